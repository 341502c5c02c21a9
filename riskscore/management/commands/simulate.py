"""Generate a simulated population and register it through the real signup path, with ground-truth labels."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand

from riskscore.simulation import load_simulated_signups
from riskscore.simulator import simulate_signups


class Command(BaseCommand):
    help = "Simulate signups (students, researchers, startups, individuals, enterprises, campaigns) and register them."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--accounts", type=int, default=5000)
        parser.add_argument("--start", default="2026-01-05T00:00:00Z", help="event time of the first day")
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--no-labels", action="store_true", help="register without ground-truth labels")

    def handle(self, *args, seed, accounts, start, days, no_labels, **options):
        begin = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(UTC)
        signups = simulate_signups(seed=seed, accounts=accounts, start=begin, days=days)
        summary = load_simulated_signups(signups, label=not no_labels, progress=self.stdout.write)
        self.stdout.write(
            f"registered {summary.registered} accounts ({summary.abusive} abusive, {summary.repeats} already present) "
            f"in {summary.seconds:.1f}s"
        )
