"""Reading enforcement: one account's answer, the change feed, the tier-change log and a policy preview."""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from accounts.errors import NotFound
from accounts.models import Account
from enforcement import policy
from enforcement.facts import gather_facts
from enforcement.models import Enforcement, TierChange
from enforcement.services import BATCH, Cause, refresh_enforcement

ENFORCEMENT_FIELDS = ("account_ref", "tier", "reasoning", "policy_version", *policy.LIMITS, "seq")


class InvalidCursor(ValueError):
    """A cursor this service did not issue."""


@dataclass(frozen=True, slots=True)
class GatewayAnswer:
    """What the gateway enforces for one account (the same attribute names as an Enforcement row)."""

    account_ref: str
    tier: str
    reasoning: str
    policy_version: str
    requests_per_minute: int
    output_tokens_per_day: int
    concurrent_requests: int


# The gateway's hot path is one probe of a unique index; fixed SQL skips the ORM's
# query building and model instantiation (about half a millisecond a lookup).
_ANSWER_COLUMNS = [f.name for f in GatewayAnswer.__dataclass_fields__.values()]
LOOKUP_SQL = f"SELECT {', '.join(_ANSWER_COLUMNS)} FROM {Enforcement._meta.db_table} WHERE account_ref = %s"  # noqa: S608


def get_enforcement(*, account_id: str) -> GatewayAnswer:
    with connection.cursor() as cursor:
        cursor.execute(LOOKUP_SQL, [account_id])
        found = cursor.fetchone()
    if found is not None:
        return GatewayAnswer(*found)
    account = Account.objects.filter(account_id=account_id).only("pk").first()
    if account is None:
        raise NotFound(f"no account {account_id}")
    # An account from before enforcement existed (or before `manage.py enforcement --refresh-all`).
    refresh_enforcement(account_pks=[account.pk], cause=Cause.BACKFILL)
    return get_enforcement(account_id=account_id)


@dataclass(frozen=True, slots=True)
class FeedPage:
    items: list[Enforcement]
    cursor: str
    more: bool


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"seq": seq}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        seq = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["seq"]
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise InvalidCursor("not a cursor this service issued") from None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise InvalidCursor("not a cursor this service issued")
    return seq


def change_feed(*, since: str | None, page_size: int) -> FeedPage:
    """Accounts whose enforcement changed after the cursor, each once, in its current state, oldest change first."""
    after = decode_cursor(since) if since else 0
    rows = list(Enforcement.objects.only(*ENFORCEMENT_FIELDS).filter(seq__gt=after).order_by("seq")[: page_size + 1])
    page = rows[:page_size]
    return FeedPage(items=page, cursor=encode_cursor(page[-1].seq if page else after), more=len(rows) > page_size)


def tier_changes(*, account_id: str, limit: int = 100) -> list[TierChange]:
    account = Account.objects.filter(account_id=account_id).only("pk").first()
    if account is None:
        raise NotFound(f"no account {account_id}")
    return list(TierChange.objects.filter(account_id=account.pk).order_by("-changed_at", "-id")[:limit])


@dataclass(frozen=True, slots=True)
class PolicyPreview:
    accounts: int
    would_change_tier: int
    transitions: dict[str, int]  # "probation->standard": 12
    tiers_after: dict[str, int]


def preview_policy(*, document: dict) -> PolicyPreview:
    """How many accounts a candidate policy would move to another tier; nothing is written."""
    policy.validate(document)
    transitions: Counter[str] = Counter()
    after: Counter[str] = Counter()
    total, last_pk = 0, 0
    while pks := list(Account.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        current = dict(Enforcement.objects.filter(account_id__in=pks).values_list("account_id", "tier"))
        for pk, facts in gather_facts(account_pks=pks, document=document).items():
            tier = policy.decide_tier(facts, document).tier
            after[tier] += 1
            if current.get(pk) != tier:
                transitions[f"{current.get(pk, 'none')}->{tier}"] += 1
        total += len(pks)
        last_pk = pks[-1]
    return PolicyPreview(
        accounts=total,
        would_change_tier=sum(transitions.values()),
        transitions=dict(transitions),
        tiers_after=dict(after),
    )
