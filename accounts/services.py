"""State changes on accounts: registering a signup (the hook), and analysts' decisions.

A signup is scored before its transaction opens, so the transaction holds locks
only for the inserts; a repeat of the same signup returns what was stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.audit import record_audit
from accounts.errors import Conflict, NotFound
from accounts.models import Account, AnalystDecision, ScoreRecord, Status, Trigger
from accounts.signup_rows import insert_signup
from enforcement.services import Cause, refresh_enforcement
from intel.matching import FEATURE as PARTNER
from intel.matching import flag_partner_match
from riskscore import metrics, policy
from riskscore.features.signup import SignupInput, extract_signup_features
from riskscore.scoring import Score, score_features

# Signup fields compared when the same account_id arrives again.
SIGNUP_FIELDS = (
    "email",
    "pathway",
    "organization",
    "ip",
    "user_agent",
    "device_id",
    "payment_fingerprint",
    "phone",
    "country",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class SignupResult:
    created: bool
    account: Account
    record: ScoreRecord


def register_signup(*, signup: SignupInput, created_at_given: bool = True) -> SignupResult:
    """Score and store a new account; an identical repeat returns the stored result, a different one is a Conflict."""
    evidence = extract_signup_features(signup)
    score = score_features(evidence.features, kind="signup")
    _, document = policy.current_policy.get()
    outcome = policy.decide(probability=score.probability, pathway=signup.pathway, document=document)
    score, outcome = flag_partner_match(
        score=score, outcome=outcome, matches=evidence.features[PARTNER], pathway=signup.pathway, document=document
    )
    current = current_score_fields(score, outcome, scored_at=timezone.now(), evidence_through=None)
    account = Account(
        account_id=signup.account_id,
        pathway=signup.pathway,
        email=signup.email,
        email_normalized=evidence.email_normalized,
        organization=signup.organization,
        ip=signup.ip,
        user_agent=signup.user_agent,
        device_id=signup.device_id,
        payment_fingerprint=signup.payment_fingerprint,
        phone=signup.phone,
        country=signup.country,
        created_at=signup.created_at,
        status=outcome.status,
        signup_features=evidence.features_for_storage(),
        **current,
    )
    record = ScoreRecord(account=account, trigger=Trigger.SIGNUP, verification=outcome.verification, **current)
    # Repeats are rare: trying the insert first saves every new signup a lookup.
    created = insert_signup(account=account, record=record, identifiers=evidence.identifiers, at=signup.created_at)
    if not created:
        return _repeat(Account.objects.get(account_id=signup.account_id), signup, created_at_given)
    metrics.SIGNUPS_SCORED.labels(pathway=signup.pathway, decision=outcome.decision).inc()
    return SignupResult(created=True, account=account, record=record)


def current_score_fields(
    score: Score, outcome: policy.Outcome, *, scored_at: datetime, evidence_through: datetime | None
) -> dict:
    """The fields an account's current score and each of its ScoreRecords share."""
    return {
        "score": score.probability,
        "band": outcome.band,
        "decision": outcome.decision,
        "reasons": [reason.as_dict() for reason in score.reasons],
        "model_version": score.model_version,
        "scored_at": scored_at,
        "evidence_through": evidence_through,
    }


@dataclass(frozen=True, slots=True)
class Rescore:
    account: Account
    trigger: str
    outcome: policy.Outcome
    current: dict  # current_score_fields(...)
    # The policy's status for the new decision; None leaves the status as it is (an analyst has acted).
    status: str | None = None


def record_rescores(rescores: list[Rescore], *, clear_flags: bool = True) -> None:
    """Write many re-scores at once: a history row each, the accounts' current scores and statuses, and (unless
    told not to) their re-score flags cleared.

    On PostgreSQL one statement from one JSON document (per-row ORM writes cost more than the scoring).
    """
    if not rescores:
        return
    if connection.vendor != "postgresql":
        ScoreRecord.objects.bulk_create(
            ScoreRecord(account=r.account, trigger=r.trigger, verification=r.outcome.verification, **r.current)
            for r in rescores
        )
        flags = {"rescore_requested_at": None} if clear_flags else {}
        for r in rescores:
            status = {"status": r.status} if r.status is not None else {}
            Account.objects.filter(pk=r.account.pk).update(**r.current, **status, **flags)
        return
    rows = [
        {
            "id": r.account.pk,
            "trigger": r.trigger,
            "verification": r.outcome.verification,
            "status": r.status,
            **r.current,
            "scored_at": r.current["scored_at"].isoformat(),
            "evidence_through": r.current["evidence_through"] and r.current["evidence_through"].isoformat(),
        }
        for r in rescores
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH v AS (
                SELECT * FROM jsonb_to_recordset(%s::jsonb) AS v(
                    id bigint, trigger text, status text, score float8, band text, decision text,
                    verification jsonb, reasons jsonb, model_version text, scored_at timestamptz,
                    evidence_through timestamptz)
            ), updated AS (
                UPDATE accounts_account AS a
                SET score = v.score, band = v.band, decision = v.decision, reasons = v.reasons,
                    model_version = v.model_version, scored_at = v.scored_at,
                    evidence_through = v.evidence_through, status = COALESCE(v.status, a.status),
                    rescore_requested_at = CASE WHEN %s THEN NULL ELSE a.rescore_requested_at END
                FROM v WHERE a.id = v.id
            )
            INSERT INTO accounts_scorerecord (account_id, trigger, score, band, decision, verification, reasons,
                                              model_version, scored_at, evidence_through)
            SELECT id, trigger, score, band, decision, verification, reasons, model_version, scored_at,
                   evidence_through
            FROM v
            """,
            [json.dumps(rows), clear_flags],
        )


def _repeat(account: Account, signup: SignupInput, created_at_given: bool) -> SignupResult:
    compared = [name for name in SIGNUP_FIELDS if name != "created_at" or created_at_given]
    differing = [name for name in compared if getattr(account, name) != getattr(signup, name)]
    if differing:
        raise Conflict(f"account {signup.account_id} was registered with other values for: {', '.join(differing)}")
    record = account.scores.filter(trigger=Trigger.SIGNUP).order_by("scored_at", "id").first()
    return SignupResult(created=False, account=account, record=record)


STATUS_FOR_ACTION = {
    AnalystDecision.Action.VERIFY: Status.VERIFICATION_REQUIRED,
    AnalystDecision.Action.LIMIT: Status.LIMITED,
    AnalystDecision.Action.SUSPEND: Status.SUSPENDED,
    AnalystDecision.Action.BAN: Status.BANNED,
    AnalystDecision.Action.RESTORE: Status.ACTIVE,
}


@dataclass(frozen=True, slots=True)
class DecisionInput:
    account_id: str
    label: str | None
    action: str
    note: str
    # Set when the decision is part of an action on a whole cluster: the audit entry names it as the reason.
    cluster_id: str | None = None


def record_decision(*, decision: DecisionInput, actor: str) -> AnalystDecision:
    """Store an analyst's label and action; the action sets the account's status before this returns."""
    with transaction.atomic():
        account = Account.objects.select_for_update().filter(account_id=decision.account_id).first()
        if account is None:
            raise NotFound(f"no account {decision.account_id}")
        stored = AnalystDecision.objects.create(
            account=account, label=decision.label, action=decision.action, note=decision.note, actor=actor
        )
        changed = []
        if decision.label is not None:
            account.label, account.label_source = decision.label, actor
            changed += ["label", "label_source"]
        if decision.action in STATUS_FOR_ACTION:
            account.status = STATUS_FOR_ACTION[decision.action]
            changed.append("status")
        if changed:
            account.save(update_fields=changed)
        record_audit(
            actor=actor,
            action=f"decision:{decision.action}",
            object_type="account",
            object_id=account.account_id,
            detail={"label": decision.label, "note": decision.note, "status": account.status}
            | ({"cluster_id": decision.cluster_id} if decision.cluster_id else {}),
        )
        refresh_enforcement(account_pks=[account.pk], cause=Cause.DECISION)
    return stored
