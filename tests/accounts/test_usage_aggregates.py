"""Usage aggregates are kept at ingest, in event time, and count each accepted event exactly once."""

from datetime import UTC, datetime
from unittest import mock

import pytest

from accounts.ingest import EventInput, ingest_events
from accounts.models import (
    COT_THRESHOLDS,
    ModelFirstSeen,
    UsageAccountIp,
    UsageAccountModel,
    UsageAccountTemplate,
    UsageHour,
    cot_column,
)
from accounts.services import register_signup
from riskscore.features.prompts import PromptAnalysis
from tests.builders import next_id, signup_input

GRADER = "You are a grader. Score the RESPONSE against the rubric 1-10 and justify each criterion: {payload}"


@pytest.fixture
def account(baseline):
    return register_signup(signup=signup_input()).account


def usage(account, at, **overrides):
    fields = {
        "index": 0,
        "event_id": f"evt-{next_id()}",
        "account_id": account.account_id,
        "timestamp": at,
        "ip": "198.51.100.20",
        "model": "frontier-large",
        "input_tokens": 100,
        "output_tokens": 300,
        "tool_calls": 0,
    }
    fields.update(overrides)
    return EventInput(**fields)


def ingest(*events):
    return ingest_events(list(events), invalid=[], request_rescores=lambda pks: None)


def at(hour, minute=0, day=1):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_events_in_one_hour_add_up_in_one_bucket_across_batches(account):
    ingest(usage(account, at(9, 5)), usage(account, at(9, 40), tool_calls=3))
    ingest(usage(account, at(9, 59), input_tokens=50))
    bucket = UsageHour.objects.get(account=account, hour=at(9))
    assert (bucket.requests, bucket.input_tokens, bucket.output_tokens, bucket.tool_calls) == (3, 250, 900, 3)


def test_a_repeated_event_is_not_counted_twice(account):
    first = usage(account, at(10))
    ingest(first)
    ingest(first)
    assert UsageHour.objects.get(account=account).requests == 1
    assert UsageAccountIp.objects.get(account=account).requests == 1


def test_prompt_analysis_is_aggregated_by_category_and_elicitation(account):
    ingest(*(usage(account, at(11, n), prompt=GRADER.format(payload=f"answer {n}")) for n in range(4)))
    bucket = UsageHour.objects.get(account=account)
    assert bucket.analysed == 4
    assert bucket.grading == 4
    assert UsageAccountTemplate.objects.filter(account=account).count() == 1


def test_first_seen_is_the_earliest_event_time_even_when_it_arrives_late(account):
    ingest(usage(account, at(12), ip="203.0.113.9"))
    ingest(usage(account, at(8), ip="203.0.113.9"))
    seen = UsageAccountIp.objects.get(account=account)
    assert (seen.first_seen, seen.requests, seen.prefix) == (at(8), 2, "203.0.113.0/24")


def test_a_models_first_appearance_is_kept_across_the_whole_stream(account, baseline):
    other = register_signup(signup=signup_input()).account
    ingest(usage(account, at(15), model="frontier-next"))
    ingest(usage(other, at(13, day=2), model="frontier-next"), usage(other, at(14), model="frontier-next"))
    assert ModelFirstSeen.objects.get(model="frontier-next").first_seen == at(14)
    assert UsageAccountModel.objects.get(account=other, model="frontier-next").first_seen == at(14)


def test_events_are_bucketed_by_their_utc_hour_whatever_their_offset(account):
    from datetime import timedelta, timezone

    india = timezone(timedelta(hours=5, minutes=30))
    ingest(usage(account, datetime(2026, 3, 1, 15, 10, tzinfo=india)))
    assert UsageHour.objects.get(account=account).hour == at(9)


def test_an_hour_counts_its_prompts_at_each_elicitation_threshold(account):
    scores = [0.05, 0.1, 0.5999, 0.6, 1.0]
    with mock.patch("accounts.ingest.analyse_prompt", side_effect=[PromptAnalysis(s, "coding", 1, 3) for s in scores]):
        ingest(*(usage(account, at(9, n), index=n, prompt="a prompt") for n in range(len(scores))))
    bucket = UsageHour.objects.get(account=account)
    counts = [getattr(bucket, cot_column(threshold)) for threshold in COT_THRESHOLDS]
    assert (bucket.analysed, counts) == (5, [4, 3, 3, 3, 3, 2, 1, 1, 1, 1])
