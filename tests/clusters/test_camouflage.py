"""An attack with clean signups that mixes ordinary traffic into its usage is still found, through ingested events."""

from __future__ import annotations

import pytest

from clusters.evaluation import camouflage_case

pytestmark = pytest.mark.django_db


def test_attackers_in_step_on_one_template_are_one_pure_cluster_despite_ordinary_traffic(baseline):
    report = camouflage_case(seed=3, attackers=12, bystanders=60, hours=12)
    assert report.found == 12 and report.cluster_size == 12
    assert report.found_by == "dense_block"
    assert report.cluster_band in ("high", "critical")
