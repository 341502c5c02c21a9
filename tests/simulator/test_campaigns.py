"""Campaigns are present in every style, sized sensibly, and behave like the attacks they imitate."""

import ipaddress
from collections import Counter, defaultdict
from datetime import UTC, datetime
from functools import cache

from riskscore.simulator import simulate_signups
from riskscore.simulator.identities import AUTOMATION_MARKERS
from riskscore.simulator.institutions import UNIVERSITIES

START = datetime(2026, 3, 1, tzinfo=UTC)
STYLES = {"proxy_network", "card_pool", "lookalike_institution", "automation", "replacement_waves"}


@cache
def signups(accounts: int = 5000, seed: int = 21):
    return tuple(simulate_signups(seed=seed, accounts=accounts, start=START, days=30))


def _campaigns(items):
    return [s for s in items if s.population == "campaign"]


def _seconds(s) -> float:
    return datetime.fromisoformat(s.payload["created_at"].replace("Z", "+00:00")).timestamp()


def _prefix(ip: str) -> str:
    return str(ipaddress.ip_network(f"{ip}/24", strict=False)) if ":" not in ip else ip


def test_abusive_share_is_between_8_and_15_percent():
    for accounts, seed in ((5000, 21), (5000, 22), (20000, 23)):
        items = signups(accounts, seed)
        share = sum(s.is_abusive for s in items) / len(items)
        assert 0.08 <= share <= 0.15, (accounts, seed, share)


def test_every_campaign_style_is_present_at_5000_accounts():
    for seed in (21, 22, 23):
        assert {s.campaign_style for s in _campaigns(signups(5000, seed))} == STYLES


def test_there_are_five_to_ten_campaigns_of_different_sizes():
    sizes = Counter(s.group for s in _campaigns(signups()))
    assert 5 <= len(sizes) <= 10
    assert max(sizes.values()) >= 5 * min(sizes.values())


def test_exactly_the_campaign_accounts_are_abusive_and_carry_a_style_and_wave():
    for s in signups():
        assert s.is_abusive == (s.population == "campaign")
        assert (s.campaign_style is not None) == s.is_abusive
        assert (s.wave is not None) == s.is_abusive
        assert s.group is not None or not s.is_abusive


def test_campaigns_spread_over_pathways():
    pathways = Counter(s.payload["pathway"] for s in _campaigns(signups()))
    assert {"education", "research", "startup", "standard"} <= pathways.keys()
    assert pathways["standard"] < sum(pathways.values()) / 2


def test_campaigns_mostly_use_real_browser_user_agents():
    agents = [s.payload.get("user_agent", "") for s in _campaigns(signups())]
    automated = sum(any(m in a for m in AUTOMATION_MARKERS) for a in agents)
    assert 0 < automated < len(agents) * 0.3


def test_replacement_waves_reuse_a_card_device_or_network_from_the_wave_before():
    waves = defaultdict(lambda: defaultdict(set))
    for s in _campaigns(signups()):
        if s.campaign_style == "replacement_waves":
            kit = waves[(s.group, s.wave)]
            kit["card"].add(s.payload.get("payment_fingerprint"))
            kit["device"].add(s.payload.get("device_id"))
            kit["prefix"].add(_prefix(s.payload["ip"]))
    carried = 0
    for (group, wave), kit in waves.items():
        before = waves.get((group, wave - 1))
        if before and any((kit[k] & before[k]) - {None} for k in ("card", "device", "prefix")):
            carried += 1
    assert carried >= 2


def test_replacement_waves_come_hours_to_days_apart():
    first_seen = {}
    for s in _campaigns(signups(20000, 23)):
        if s.group == "camp_waves_02":
            first_seen.setdefault(s.wave, _seconds(s))
    starts = sorted(first_seen.values())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) >= 4
    assert min(gaps) >= 3600


def test_card_pool_cards_are_each_used_by_many_accounts_within_a_day():
    by_card = defaultdict(list)
    for s in _campaigns(signups(20000, 23)):
        if s.campaign_style == "card_pool" and "payment_fingerprint" in s.payload:
            by_card[s.payload["payment_fingerprint"]].append(_seconds(s))
    busiest = max(by_card.values(), key=len)
    assert len(busiest) >= 10
    assert any(sum(t <= u < t + 86400 for u in busiest) >= 10 for t in busiest)


def test_automation_signs_up_in_synchronised_bursts_from_cloud_networks():
    from riskscore.simulator.networks import is_cloud_ip

    accounts = [s for s in _campaigns(signups()) if s.campaign_style == "automation"]
    times = sorted(_seconds(s) for s in accounts)
    assert any(sum(t <= u < t + 600 for u in times) >= 10 for t in times)
    assert sum(is_cloud_ip(s.payload["ip"]) for s in accounts) > len(accounts) / 2


def test_lookalike_domains_claim_a_real_institution():
    real_names = {u.name for u in UNIVERSITIES}
    real_domains = {d for u in UNIVERSITIES for d in u.staff_domains + u.student_domains}
    lookalikes = [
        s
        for s in _campaigns(signups())
        if s.campaign_style == "lookalike_institution" and s.payload["email"].split("@")[1] not in real_domains
    ]
    assert lookalikes
    claims = [s.payload.get("organization") for s in lookalikes]
    assert sum(c in real_names for c in claims) > len(claims) / 2


def test_some_lookalike_accounts_use_genuine_academic_addresses():
    real_domains = {d for u in UNIVERSITIES for d in u.student_domains}
    assert any(
        s.payload["email"].split("@")[1] in real_domains
        for s in _campaigns(signups())
        if s.campaign_style == "lookalike_institution"
    )
