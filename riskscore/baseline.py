"""Building the shipped baseline model: simulate a population, train on it, write the artifact.

Signup features do not depend on the model that scores them, so the simulated
signups are registered under a placeholder model and the baseline is trained on them.
The account baseline is built on simulated signups and usage fed in event-time steps, with
detection running after each step and simulated analysts labelling some accounts two days
after signup, so that its cluster features are learned as they would have been known live;
the held-out campaign style is left unlabelled so that it can be evaluated as unseen.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import lightgbm
import numpy as np
from django.utils import timezone

from accounts.models import Account, AnalystDecision, Label
from clusters.services import detect_clusters
from intel import matching
from intel.identifiers import canonical_identifiers, shared
from intel.models import ImportedIndicator
from riskscore import account_training, registry, training
from riskscore.features.signup import SIGNUP_FEATURES
from riskscore.models import ModelVersion, SimulatedAccount
from riskscore.simulation import apply_ground_truth, hold_out_unlabelled, load_simulated_signups, load_simulated_usage
from riskscore.simulator import simulate_signups
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN, simulate_usage

BASELINE_START = datetime(2026, 1, 5, tzinfo=UTC)

PLACEHOLDER_VERSION = "bootstrap-placeholder"
# The account baseline's history: detection every 6 h of event time; analysts label 30% of accounts 48 h after
# signup (as clusters.evaluation assumes), which is all the cluster features' labelled share may know of.
DETECTION_EVERY = timedelta(hours=6)
ANALYST_SHARE = 0.3
ANALYST_DELAY = timedelta(hours=48)
ANALYST = "simulated-analyst"
# A partner provider that met half the campaigns elsewhere shares, after the first week, some of the
# identifiers their accounts use, so both models learn a weight for partner-indicator matches.
PARTNER_CAMPAIGN_SHARE = 0.5
PARTNER_IDENTIFIER_SHARE = 0.5
PARTNER_SHARES_AFTER = timedelta(days=7)
PARTNER = "simulated-partner"


def install_placeholder() -> None:
    """A one-tree model that scores every signup 0.5: only there so signups can be registered."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(50, len(SIGNUP_FEATURES)))
    booster = lightgbm.train(
        {"objective": "binary", "verbosity": -1, "num_leaves": 2},
        lightgbm.Dataset(features, label=rng.integers(0, 2, 50), feature_name=list(SIGNUP_FEATURES)),
        num_boost_round=1,
    )
    registry.register(
        kind="signup",
        version=PLACEHOLDER_VERSION,
        artifact=booster.model_to_string(),
        feature_names=list(SIGNUP_FEATURES),
        calibration={"x": [-1.0, 1.0], "y": [0.5, 0.5]},
        metrics={},
        params={},
        trained_at=timezone.now(),
    )
    registry.activate(PLACEHOLDER_VERSION)


def build_baseline(*, seed: int, accounts: int, days: int) -> dict:
    install_placeholder()
    signups = simulate_signups(seed=seed, accounts=accounts, start=BASELINE_START, days=days)
    # Before the signups, so that each is matched as of its own time: the model learns the feature's weight.
    partner_indicators = import_partner_indicators(signups, seed=seed)
    load_simulated_signups(signups)
    model = training.train_signup_model()
    simulator = {"seed": seed, "accounts": accounts, "days": days, "partner_indicators": partner_indicators}
    return _write_baseline(model, simulator={**simulator, "partner_campaign_share": PARTNER_CAMPAIGN_SHARE})


def build_account_baseline(*, seed: int, accounts: int, days: int, progress=None) -> dict:
    """Simulated signups (scored by the shipped signup baseline) and their usage in event-time steps with
    detection and analysts' labels between them, then the account model on the ground truth."""
    registry.install_baseline(ModelVersion.Kind.SIGNUP)
    signups = simulate_signups(seed=seed, accounts=accounts, start=BASELINE_START, days=days)
    events = simulate_usage(seed=seed, signups=signups, start=BASELINE_START, days=days)
    import_partner_indicators(signups, seed=seed)
    replay_with_detection(signups, events, seed=seed, progress=progress)
    apply_ground_truth(list(SimulatedAccount.objects.select_related("account")))
    hold_out_unlabelled(HELD_OUT_CAMPAIGN)
    model = account_training.train_account_model()
    simulator = {"seed": seed, "accounts": accounts, "days": days, "usage_events": len(events)}
    history = {
        "detection_every_hours": DETECTION_EVERY / timedelta(hours=1),
        "analyst_share": ANALYST_SHARE,
        "partner_campaign_share": PARTNER_CAMPAIGN_SHARE,
    }
    return _write_baseline(model, simulator={**simulator, **history, "held_out_campaign": HELD_OUT_CAMPAIGN})


def import_partner_indicators(signups: list, *, seed: int) -> int:
    """Indicators, valid from the second week, for half the identifiers of the campaigns the partner met that no
    legitimate account uses (never the held-out style's); returns how many."""
    rng = random.Random(f"{seed}:partner")
    campaigns = sorted({s.group for s in signups if s.is_abusive and s.group != HELD_OUT_CAMPAIGN})
    met = {c for c in campaigns if rng.random() < PARTNER_CAMPAIGN_SHARE}
    users: dict[tuple[str, str], set[str]] = {}
    legitimate: set[tuple[str, str]] = set()
    for s in signups:
        p = s.payload
        identifiers = canonical_identifiers(
            email=p["email"],
            ip=p["ip"],
            payment_fingerprint=p.get("payment_fingerprint", ""),
            device_id=p.get("device_id", ""),
            phone_number=p.get("phone", ""),
        )
        for identifier in identifiers:
            if not s.is_abusive:
                legitimate.add(identifier)
            elif s.group in met:
                users.setdefault(identifier, set()).add(p["account_id"])
    # The partner saw these campaigns' infrastructure through its own accounts: some of it, not all.
    telling = [i for i in sorted(users) if i not in legitimate and rng.random() < PARTNER_IDENTIFIER_SHARE]
    valid_from = BASELINE_START + PARTNER_SHARES_AFTER
    ImportedIndicator.objects.bulk_create(
        ImportedIndicator(
            source=PARTNER,
            stix_id=f"indicator--{PARTNER}-{n}",
            kind=shared(kind, canonical).kind,
            hmac_sha256=shared(kind, canonical).hmac_sha256,
            valid_from=valid_from,
            modified=valid_from,
        )
        for n, (kind, canonical) in enumerate(telling)
    )
    matching.kinds_present.clear()
    return len(telling)


def replay_with_detection(signups: list, events: list, *, seed: int, progress=None) -> int:
    """Register signups and ingest usage up to each step's end, give the analysts' labels due by then (as
    decisions at that event time), and run detection; returns the number of detection runs."""
    rng = random.Random(f"{seed}:analysts")
    # The held-out style stays unseen: analysts label none of it.
    reviewed = [s for s in signups if rng.random() < ANALYST_SHARE and s.group != HELD_OUT_CAMPAIGN]
    due = sorted((_created_at(s) + ANALYST_DELAY, s.payload["account_id"], s.is_abusive) for s in reviewed)
    cursor = BASELINE_START + DETECTION_EVERY
    end = max(_created_at(signups[-1]), *(_event_at(e) for e in events[-1:])) + DETECTION_EVERY
    next_signup = next_event = next_label = runs = 0
    while cursor <= end:
        stop = next_signup
        while stop < len(signups) and _created_at(signups[stop]) < cursor:
            stop += 1
        load_simulated_signups(signups[next_signup:stop], label=False)
        stop, next_signup = next_event, stop
        while stop < len(events) and _event_at(events[stop]) < cursor:
            stop += 1
        load_simulated_usage(events[next_event:stop])
        stop, next_event = next_label, stop
        while stop < len(due) and due[stop][0] < cursor:
            stop += 1
        _analysts_label(due[next_label:stop])
        next_label = stop
        detect_clusters()
        runs += 1
        if progress and runs % 20 == 0:
            progress(f"  {cursor:%Y-%m-%d %H:%M}: {next_signup} signups, {next_event} events, {runs} detection runs")
        cursor += DETECTION_EVERY
    return runs


def _created_at(signup) -> datetime:
    return datetime.fromisoformat(signup.payload["created_at"].replace("Z", "+00:00"))


def _event_at(event) -> datetime:
    return datetime.fromisoformat(event.payload["timestamp"])


def _analysts_label(due: list[tuple[datetime, str, bool]]) -> None:
    """Labels as the decisions API stores them, each at the event time it was given."""
    pks = dict(Account.objects.filter(account_id__in=[a for _, a, _ in due]).values_list("account_id", "pk"))
    for at, account_id, abusive in due:
        label = Label.ABUSIVE if abusive else Label.LEGITIMATE
        Account.objects.filter(pk=pks[account_id]).update(label=label, label_source=ANALYST)
        decision = AnalystDecision.objects.create(account_id=pks[account_id], label=label, actor=ANALYST)
        AnalystDecision.objects.filter(pk=decision.pk).update(created_at=at)


def _write_baseline(model: ModelVersion, *, simulator: dict) -> dict:
    model_path, meta_path = registry.baseline_files(model.kind)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_text(model.artifact)
    meta = {
        "version": model.version.replace(f"{model.kind}-", f"{model.kind}-baseline-"),
        "checksum": model.checksum,
        "feature_names": model.feature_names,
        "calibration": model.calibration,
        "metrics": model.metrics,
        "params": {**model.params, "simulator": simulator},
        "trained_at": model.trained_at.isoformat(),
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return meta
