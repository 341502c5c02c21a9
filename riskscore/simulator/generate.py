"""simulate_signups: a whole population of legitimate customers and distillation campaigns, as signup requests.

Every population and campaign draws from its own random stream derived from the seed (string seeds, so the
output does not depend on PYTHONHASHSEED): the same seed gives the same signups on any machine.
"""

import random
from datetime import datetime

from riskscore.simulator import identities as ids
from riskscore.simulator.academia import simulate_researchers, simulate_students
from riskscore.simulator.businesses import simulate_enterprises, simulate_startups
from riskscore.simulator.campaigns import campaign_sizes, simulate_campaign
from riskscore.simulator.clock import Timeline
from riskscore.simulator.individuals import simulate_individuals
from riskscore.simulator.signup import Draft, SimulatedSignup
from riskscore.simulator.world import World

# Shares of the legitimate accounts; campaigns take about 11% of the total on top (campaigns.PLANS).
LEGITIMATE_SHARES: dict[str, float] = {
    "individual": 0.44,
    "student": 0.20,
    "enterprise": 0.13,
    "startup": 0.13,
    "researcher": 0.10,
}
_SIMULATORS = {
    "individual": simulate_individuals,
    "student": simulate_students,
    "enterprise": simulate_enterprises,
    "startup": simulate_startups,
    "researcher": simulate_researchers,
}
# What SimulatedSignup.persona holds, for the usage simulation that follows signup.
PERSONA_KEYS = (
    "tz_offset_hours",  # the UTC offset the account's human (or operator) lives at
    "rhythm",  # office, student, evening or flat: the daily pattern of activity (clock.py)
    "requests_per_day",  # typical API requests on an active day
    "scripted",  # whether usage comes mostly from scripts and SDKs rather than a chat client
    # where usage comes from: campus, cloud, office, corporate, residential, mobile, vpn or rotating_proxy
    "usage_network",
    "extraction_share",  # fraction of the account's traffic that harvests outputs (0 for legitimate accounts)
    "tenure_days",  # how long the account stays active before churning or being replaced
)


def simulate_signups(*, seed: int, accounts: int, start: datetime, days: int) -> list[SimulatedSignup]:
    """About `accounts` signups between `start` and `start + days`, sorted by created_at, the same for a seed.

    A naive `start` is taken as UTC.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if accounts < 0:
        raise ValueError("accounts must not be negative")
    timeline = Timeline.covering(start, days)
    world = World.build(random.Random(f"{seed}:world"), accounts=accounts)
    drafts: list[Draft] = []
    # Campaigns first: they size themselves from the total, and legitimate users fill the rest.
    for plan, size in campaign_sizes(random.Random(f"{seed}:campaign-sizes"), accounts):
        if size == 0:
            continue
        drafts += simulate_campaign(random.Random(f"{seed}:{plan.campaign_id}"), timeline, plan, size, world)
    legitimate = max(0, accounts - len(drafts))
    for population, count in _apportion(legitimate, LEGITIMATE_SHARES).items():
        drafts += _SIMULATORS[population](random.Random(f"{seed}:{population}"), timeline, count, world)
    return _finish(random.Random(f"{seed}:finish"), timeline, drafts)


def _apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Whole counts in proportion to the shares that add up to exactly `total` (largest remainders)."""
    exact = {key: total * share / sum(shares.values()) for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda key: exact[key] - counts[key], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def _finish(rng: random.Random, timeline: Timeline, drafts: list[Draft]) -> list[SimulatedSignup]:
    # Shuffle before the stable sort so that signups in the same second are not grouped by population.
    rng.shuffle(drafts)
    drafts.sort(key=lambda d: d.at)
    account_ids: set[str] = set()
    signups = []
    for draft in drafts:
        account_id = "sim_" + ids.random_hex(rng, 12)
        while account_id in account_ids:
            account_id = "sim_" + ids.random_hex(rng, 12)
        account_ids.add(account_id)
        payload = {"account_id": account_id, **draft.fields, "created_at": timeline.rfc3339(draft.at)}
        signups.append(
            SimulatedSignup(
                payload=payload,
                population=draft.population,
                group=draft.group,
                campaign_style=draft.campaign_style,
                wave=draft.wave,
                is_abusive=draft.is_abusive,
                persona=draft.persona,
            )
        )
    return signups
