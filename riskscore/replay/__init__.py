"""Replay evaluation: a simulated world sent through the public HTTP API in event-time order, and its report.

`driver` runs the replay (signup flow, gateway, analysts, detection runs), `gateway` is the API
gateway that follows enforcement, `analysts` label and ban, `report` computes the figures of
issues 3, 4 and 7, and `summary` prints them as tables. `manage.py replay` runs it all.
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import Account
from riskscore.models import SimulatedAccount
from riskscore.replay.driver import ReplayRecord, ReplaySettings, run_replay
from riskscore.replay.report import build_report

__all__ = ["ReplayRecord", "ReplaySettings", "replay", "run_replay"]


def replay(settings: ReplaySettings, *, progress: Callable[[str], object] = lambda _: None) -> dict:
    """Run the replay and return its report; the simulator's ground truth is kept beside the accounts."""
    record = run_replay(settings, progress=progress)
    report = build_report(record)
    _keep_ground_truth(record)
    return report


def _keep_ground_truth(record: ReplayRecord) -> None:
    """SimulatedAccount rows (for `manage.py enforcement_report`); labels stay what the analysts said."""
    pk_of = dict(Account.objects.values_list("account_id", "pk"))
    SimulatedAccount.objects.bulk_create(
        [
            SimulatedAccount(
                account_id=pk_of[s.payload["account_id"]],
                population=s.population,
                group=s.group or "",
                campaign_style=s.campaign_style or "",
                wave=s.wave,
                is_abusive=s.is_abusive,
            )
            for s in record.signups
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
