"""Changing enforcement: re-evaluating accounts' tiers when something they follow from changes.

`refresh_enforcement` is called in the transaction of the signup, decision,
re-score or cluster run that caused it, so a change reaches the change feed
exactly when its cause commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.audit import record_audit
from accounts.models import Account
from enforcement import policy
from enforcement.facts import gather_facts, new_account_facts
from enforcement.models import Enforcement, EnforcementPolicy, TierChange

BATCH = 500
NEWEST_SQL = (
    f"SELECT (SELECT MAX(version) FROM {EnforcementPolicy._meta.db_table}),"
    f" (SELECT MAX(seq) FROM {Enforcement._meta.db_table})"
)


class Cause:
    SIGNUP = "signup"
    DECISION = "decision"
    RESCORE = "rescore"
    CLUSTER = "cluster"
    POLICY = "policy"
    PARTNER_INDICATOR = "partner_indicator"
    BACKFILL = "backfill"


@dataclass(frozen=True, slots=True)
class RefreshResult:
    evaluated: int
    changed: int
    tier_changes: int


def lock_feed() -> None:
    """Hold the feed lock until this transaction ends, so feed positions commit in the order they are given.

    A sequence alone is not enough on PostgreSQL: a transaction that took position 7
    may commit after one that took 8, and a reader that saw 8 would skip 7 for ever.
    SQLite already runs one writing transaction at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT enforcement_lock_feed()")  # enforcement/migrations/0002_*


def refresh_enforcement(*, account_pks: Iterable[int], cause: str) -> RefreshResult:
    """Re-evaluate these accounts' tiers; a changed state moves to the head of the change feed."""
    pks = sorted(set(account_pks))
    if not pks:
        return RefreshResult(0, 0, 0)
    # No savepoint inside a caller's transaction: a failure here fails the cause with it.
    with transaction.atomic(savepoint=False):
        lock_feed()
        # Read under the lock: a concurrent writer of the same account has committed by now.
        version, document, top_seq = _policy_in_force()
        facts = gather_facts(account_pks=pks, document=document)
        current = {row.account_id: row for row in Enforcement.objects.filter(account_id__in=facts)}
        return _apply(facts, current=current, version=version, document=document, top_seq=top_seq, cause=cause)


def enforce_new_account(*, account: Account) -> RefreshResult:
    """A just-registered account, from what is in hand: no cluster, decisions, usage or enforcement yet.
    (On PostgreSQL the signup's own statement writes this state instead: see first_enforcement.)"""
    with transaction.atomic(savepoint=False):
        lock_feed()
        version, document, top_seq = _policy_in_force()
        facts = {account.pk: new_account_facts(account)}
        return _apply(facts, current={}, version=version, document=document, top_seq=top_seq, cause=Cause.SIGNUP)


@dataclass(frozen=True, slots=True)
class FirstEnforcement:
    """A new account's first state and its log entry, for a writer that assigns the feed position itself."""

    row: Enforcement
    change: TierChange
    policy_version: int  # the version it was decided under; the writer checks it is still the newest


def first_enforcement(*, account: Account) -> FirstEnforcement:
    version, document = policy.current_enforcement_policy.get()
    outcome = policy.decide_tier(new_account_facts(account), document)
    now = timezone.now()
    row = Enforcement(account_ref=account.account_id, seq=0, changed_at=now)
    _set_state(row, outcome, version=version)
    change = _tier_change(account.pk, None, outcome, version=version, cause=Cause.SIGNUP, at=now)
    return FirstEnforcement(row=row, change=change, policy_version=policy.version_number(version))


def _tier_change(
    pk: int | None, row: Enforcement | None, outcome: policy.TierOutcome, *, version: str, cause: str, at: datetime
) -> TierChange:
    return TierChange(
        account_id=pk,
        from_tier=row.tier if row else "",
        to_tier=outcome.tier,
        from_reasoning=row.reasoning if row else "",
        to_reasoning=outcome.reasoning,
        policy_version=version,
        cause=cause,
        rule=outcome.rule[:200],
        changed_at=at,
    )


def _set_state(row: Enforcement, outcome: policy.TierOutcome, *, version: str) -> None:
    row.tier, row.reasoning, row.policy_version = outcome.tier, outcome.reasoning, version
    for name, value in outcome.limits.items():
        setattr(row, name, value)


def _apply(
    facts: dict, *, current: dict[int, Enforcement], version: str, document: dict, top_seq: int, cause: str
) -> RefreshResult:
    now = timezone.now()
    next_seq = top_seq + 1
    changed, log = [], []
    for pk in sorted(facts):
        outcome = policy.decide_tier(facts[pk], document)
        row = current.get(pk)
        if row is not None and _state(row) == outcome.state(version):
            continue
        if row is None or (row.tier, row.reasoning) != (outcome.tier, outcome.reasoning):
            log.append(_tier_change(pk, row, outcome, version=version, cause=cause, at=now))
        row = row or Enforcement(account_id=pk, account_ref=facts[pk].account_id)
        _set_state(row, outcome, version=version)
        row.seq, row.changed_at = next_seq, now
        next_seq += 1
        changed.append(row)
    _write(changed, existing=current)
    TierChange.objects.bulk_create(log)
    return RefreshResult(evaluated=len(facts), changed=len(changed), tier_changes=len(log))


def refresh_all(*, cause: str) -> RefreshResult:
    """Every account, in batches (after a policy change, or to backfill accounts from before enforcement)."""
    evaluated = changed = logged = 0
    last_pk = 0
    while pks := list(Account.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        result = refresh_enforcement(account_pks=pks, cause=cause)
        evaluated, changed, logged = (
            evaluated + result.evaluated,
            changed + result.changed,
            logged + result.tier_changes,
        )
        last_pk = pks[-1]
    return RefreshResult(evaluated, changed, logged)


def refresh_cluster_members(*, cluster_ids: Iterable[str], cause: str = Cause.CLUSTER) -> RefreshResult:
    """The members of these clusters move together: call after a detection run changed them."""
    pks = Account.objects.filter(cluster_id__in=list(cluster_ids)).values_list("pk", flat=True)
    return refresh_enforcement(account_pks=list(pks), cause=cause)


def save_enforcement_policy(*, document: dict, actor: str) -> EnforcementPolicy:
    """Install a new policy version; callers then re-evaluate every account (refresh_all)."""
    policy.validate(document)
    with transaction.atomic():
        latest = EnforcementPolicy.objects.select_for_update().order_by("-version").first()
        saved = EnforcementPolicy.objects.create(
            version=(latest.version + 1) if latest else 1, document=document, created_by=actor
        )
        record_audit(
            actor=actor,
            action="set_enforcement_policy",
            object_type="enforcement_policy",
            object_id=policy.version_name(saved.version),
        )
    policy.current_enforcement_policy.clear()
    return saved


def _policy_in_force() -> tuple[str, dict, int]:
    """The policy to write (never an old one another process replaced within the cache's lifetime)
    and the feed's newest position, in one query under the feed lock."""
    version, document = policy.current_enforcement_policy.get()
    with connection.cursor() as cursor:
        cursor.execute(NEWEST_SQL)
        newest_version, top_seq = cursor.fetchone()
    if policy.version_name(newest_version or 0) != version:
        version, document = policy.current_enforcement_policy.fresh()
    return version, document, top_seq or 0


def _state(row: Enforcement) -> tuple:
    return (
        row.tier,
        row.reasoning,
        *(getattr(row, name) for name in policy.LIMITS),
        row.policy_version,
    )


def _write(rows: list[Enforcement], *, existing: dict[int, Enforcement]) -> None:
    updated = [row for row in rows if row.account_id in existing]
    if updated:
        # New positions are all above the current maximum, so the unique seq never collides.
        Enforcement.objects.bulk_update(
            updated, ["tier", "reasoning", "policy_version", *policy.LIMITS, "seq", "changed_at"], batch_size=BATCH
        )
    Enforcement.objects.bulk_create([row for row in rows if row.account_id not in existing], batch_size=BATCH)
