"""Share of each simulated population in each tier, and of each campaign: how enforcement treats whom.

Reads the simulator's ground truth (SimulatedAccount) beside each account's current
enforcement; run after `manage.py simulate` (and any replay of usage) to see whether
legitimate students, researchers and startups get through and campaigns do not.
"""

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand

from enforcement.models import Enforcement, Tier
from riskscore.models import SimulatedAccount

TIERS = [tier.value for tier in Tier]


class Command(BaseCommand):
    help = "Print, per simulated population (and per campaign), the share of its accounts in each tier."

    def handle(self, *args, **options):
        tier_of = dict(Enforcement.objects.values_list("account_id", "tier"))
        groups: dict[str, Counter] = defaultdict(Counter)
        rows = SimulatedAccount.objects.values_list("account_id", "population", "campaign_style", "is_abusive")
        for account_pk, population, style, abusive in rows.iterator():
            name = f"campaign:{style}" if abusive else population
            groups[name][tier_of.get(account_pk, "none")] += 1
        self.stdout.write(f"{'population':<28}{'accounts':>9}" + "".join(f"{t:>12}" for t in TIERS))
        for name in sorted(groups, key=lambda n: (n.startswith("campaign"), n)):
            counts = groups[name]
            total = sum(counts.values())
            shares = "".join(f"{100 * counts[t] / total:>11.1f}%" for t in TIERS)
            self.stdout.write(f"{name:<28}{total:>9}{shares}")
