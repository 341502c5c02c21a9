"""Data migrations fill what they add from what is already stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import UsageHour
from tests.enforcement.builders import new_account

BEFORE = [("accounts", "0005_usage_indexes_without_duplicates")]
AFTER = [("accounts", "0006_usage_hour_cot_thresholds")]


@pytest.mark.django_db(transaction=True)
def test_hourly_elicitation_counts_are_filled_in_from_the_stored_events(baseline):
    account = new_account()
    hour = datetime(2026, 3, 2, 9, tzinfo=UTC)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        scores = [0.05, 0.35, 0.6, 1.0, None]
        for minute, score in enumerate(scores):
            old.get_model("accounts", "UsageEvent").objects.create(
                event_id=f"evt-{minute}",
                account_id=account.pk,
                timestamp=hour.replace(minute=minute),
                ip="198.51.100.20",
                model="m",
                input_tokens=1,
                output_tokens=1,
                cot_elicitation=score,
            )
        old.get_model("accounts", "UsageHour").objects.create(
            account_id=account.pk, hour=hour, requests=5, analysed=4, cot_elicitation_hits=2
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    filled = UsageHour.objects.get(account=account)
    counts = [filled.cot_at_least_10, filled.cot_at_least_30, filled.cot_at_least_40, filled.cot_at_least_50]
    counts += [filled.cot_at_least_60, filled.cot_at_least_70, filled.cot_at_least_100]
    assert counts == [3, 3, 2, 2, 2, 1, 1]
