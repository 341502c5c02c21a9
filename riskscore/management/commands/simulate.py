"""Generate a simulated population and register it through the real signup path, with ground-truth labels;
with --usage, also its API usage through the real ingest path."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from accounts.tasks import request_rescores
from riskscore.simulation import load_simulated_signups, load_simulated_usage
from riskscore.simulator import simulate_signups
from riskscore.simulator.usage import UsagePlan, simulate_usage


class Command(BaseCommand):
    help = "Simulate signups (students, researchers, startups, individuals, enterprises, campaigns) and register them."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--accounts", type=int, default=5000)
        parser.add_argument("--start", default="2026-01-05T00:00:00Z", help="event time of the first day")
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--no-labels", action="store_true", help="register without ground-truth labels")
        parser.add_argument("--usage", action="store_true", help="also simulate and ingest the accounts' API usage")
        parser.add_argument("--usage-scale", type=float, default=UsagePlan().scale, help="requests per persona")
        parser.add_argument(
            "--rescore", action="store_true", help="queue a re-score per account with new usage (needs a worker)"
        )

    def handle(self, *args, seed, accounts, start, days, no_labels, usage, usage_scale, rescore, **options):
        begin = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(UTC)
        signups = simulate_signups(seed=seed, accounts=accounts, start=begin, days=days)
        summary = load_simulated_signups(signups, label=not no_labels, progress=self.stdout.write)
        self.stdout.write(
            f"registered {summary.registered} accounts ({summary.abusive} abusive, {summary.repeats} already present) "
            f"in {summary.seconds:.1f}s"
        )
        if usage:
            events = simulate_usage(seed=seed, signups=signups, start=begin, days=days, plan=UsagePlan(usage_scale))
            # Without --rescore the accounts stay flagged, and the periodic job re-scores them once a worker runs.
            stored = load_simulated_usage(
                events, request_rescores=request_rescores if rescore else lambda pks: None, progress=self.stdout.write
            )
            self.stdout.write(f"ingested {stored} of {len(events)} usage events")
