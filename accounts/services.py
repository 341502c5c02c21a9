"""State changes on accounts: registering a signup (the hook) and everything it writes.

A signup is scored before its transaction opens, so the transaction holds locks
only for the inserts; a repeat of the same signup returns what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import Conflict
from accounts.models import Account, ScoreRecord, Trigger
from riskscore import metrics, policy
from riskscore.features.reuse import record_sightings
from riskscore.features.signup import SignupInput, extract_signup_features
from riskscore.scoring import score_features

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
    existing = Account.objects.filter(account_id=signup.account_id).first()
    if existing is not None:
        return _repeat(existing, signup, created_at_given)

    evidence = extract_signup_features(signup)
    score = score_features(evidence.features, kind="signup")
    _, document = policy.current_policy.get()
    outcome = policy.decide(probability=score.probability, pathway=signup.pathway, document=document)
    reasons = [reason.as_dict() for reason in score.reasons]
    try:
        with transaction.atomic():
            account = Account.objects.create(
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
                score=score.probability,
                band=outcome.band,
                decision=outcome.decision,
                reasons=reasons,
                model_version=score.model_version,
                scored_at=timezone.now(),
                signup_features=evidence.features_for_storage(),
            )
            record_sightings(evidence.identifiers, account_id=account.pk, at=signup.created_at)
            record = ScoreRecord.objects.create(
                account=account,
                trigger=Trigger.SIGNUP,
                score=score.probability,
                band=outcome.band,
                decision=outcome.decision,
                verification=outcome.verification,
                reasons=reasons,
                model_version=score.model_version,
                scored_at=account.scored_at,
            )
    except IntegrityError:
        # Another request registered the same account_id between our read and our insert.
        existing = Account.objects.filter(account_id=signup.account_id).first()
        if existing is None:
            raise
        return _repeat(existing, signup, created_at_given)
    metrics.SIGNUPS_SCORED.labels(pathway=signup.pathway, decision=outcome.decision).inc()
    return SignupResult(created=True, account=account, record=record)


def _repeat(account: Account, signup: SignupInput, created_at_given: bool) -> SignupResult:
    compared = [name for name in SIGNUP_FIELDS if name != "created_at" or created_at_given]
    differing = [name for name in compared if getattr(account, name) != getattr(signup, name)]
    if differing:
        raise Conflict(f"account {signup.account_id} was registered with other values for: {', '.join(differing)}")
    record = account.scores.filter(trigger=Trigger.SIGNUP).order_by("scored_at", "id").first()
    return SignupResult(created=False, account=account, record=record)
