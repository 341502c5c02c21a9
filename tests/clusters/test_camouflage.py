"""An attack with clean signups that mixes ordinary traffic into its usage is still found, through the public API."""

from __future__ import annotations

import pytest

from accounts.models import Account, UsageEvent
from riskscore.replay.camouflage import camouflage_case

pytestmark = pytest.mark.django_db


def test_attackers_in_step_on_one_template_are_one_pure_flagged_cluster_despite_ordinary_traffic(baseline):
    report = camouflage_case(seed=3, attackers=12, bystanders=150, hours=12)
    # Everything went in through the API: every signup, and the served requests as usage evidence.
    assert Account.objects.filter(account_id__startswith="camo_3_").count() == 162
    assert UsageEvent.objects.filter(account__account_id__startswith="camo_3_").count() > 162 * 6
    assert report.found == 12 and report.cluster_size == 12 and report.bystanders_in_cluster == 0
    # The account model scores the attackers high, so the risk-seeded grouping places them first; the dense-block
    # search finds the same block over their weak evidence.
    assert "dense_block" in report.found_by.split("+")
    assert report.cluster_band in ("high", "critical")
    assert report.attackers_flagged == 12 and report.hours_to_flag_median is not None
    assert report.detection_runs >= 3
