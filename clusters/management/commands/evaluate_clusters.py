"""Replay the simulator in event time through detection and print purity, coverage, flag rates and time to flag.

Needs an empty database of its own (it registers every simulated signup), e.g.
`DATABASE_URL=postgres://…/riskscore_eval manage.py migrate && … evaluate_clusters`.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from clusters.evaluation import camouflage_case, replay, summarise
from riskscore import registry


class Command(BaseCommand):
    help = "Evaluate cluster detection on a simulated population replayed in event time."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--accounts", type=int, default=10000)
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--step-hours", type=float, default=6.0, help="detection runs every this many hours")
        parser.add_argument("--label-share", type=float, default=0.3, help="share of accounts analysts label")
        parser.add_argument("--label-delay-hours", type=float, default=48.0)

    def handle(self, *args, seed, accounts, days, step_hours, label_share, label_delay_hours, **options):
        if Account.objects.exists():
            raise CommandError("the database already holds accounts; evaluate on an empty one")
        registry.install_baseline("signup")
        started = time.perf_counter()
        report = replay(
            seed=seed,
            accounts=accounts,
            days=days,
            step_hours=step_hours,
            label_delay_hours=label_delay_hours,
            label_share=label_share,
            progress=self.stdout.write,
        )
        out = self.stdout.write
        out(
            f"\n{report.accounts} simulated accounts over {days} days, "
            f"detection every {step_hours:g} h ({report.steps} runs)"
        )
        out(f"analysts label {label_share:.0%} of accounts {label_delay_hours:g} h after signup")
        out("\ncampaign                accounts  clusters  purity  coverage  flagged")
        for c in report.campaigns:
            out(
                f"{c.campaign_id:<22} {c.accounts:>9} {c.clusters:>9} "
                f"{c.purity:>7.2f} {c.coverage:>9.2f} {c.flagged:>8.2f}"
            )
        out("\nlegitimate groups        groups  clustered  flagged")
        for population, (groups, clustered, flagged) in report.legitimate_groups.items():
            out(f"{population:<22} {groups:>8} {clustered:>10} {flagged:>8}  ({flagged / max(1, groups):.1%} flagged)")
        out(f"legitimate accounts in a flagged cluster: {report.legitimate_accounts_flagged:.2%}")
        median, p90 = summarise(report.hours_to_flag_new_wave)
        flagged = len(report.hours_to_flag_new_wave)
        total = flagged + report.never_flagged_new_wave
        out(
            f"\nnew-wave accounts of known campaigns: {flagged}/{total} flagged; hours from signup to flag: "
            f"median {median:.1f}, p90 {p90:.1f} (resolution {step_hours:g} h)"
        )
        runs = sorted(report.detection_seconds)
        out(f"detection run: median {runs[len(runs) // 2]:.2f} s, slowest {runs[-1]:.2f} s")
        camo = camouflage_case(seed=seed)
        out(
            f"\ncamouflage: {camo.found}/{camo.attackers} attackers in one cluster of {camo.cluster_size} "
            f"(score {camo.cluster_score:.2f}, {camo.cluster_band}, found by {camo.found_by})"
        )
        out(f"\ntotal {time.perf_counter() - started:.0f} s")
