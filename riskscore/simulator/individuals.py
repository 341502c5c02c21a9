"""Legitimate individual customers: webmail, home and mobile networks, VPNs, and households on one family card.

Random-looking handles, VPN exits, disposable addresses and shared cards all occur here at honest rates.
"""

import math
import random

from riskscore.simulator import identities as ids
from riskscore.simulator.clock import Timeline
from riskscore.simulator.countries import COUNTRIES, INDIVIDUAL_COUNTRY_WEIGHTS, declared_country
from riskscore.simulator.institutions import UNIVERSITIES
from riskscore.simulator.networks import cloud_prefix24, host_in, residential_ip
from riskscore.simulator.signup import Draft, persona, signup_fields
from riskscore.simulator.world import World

_PERSONAL_TLDS = ("com", "me", "dev", "net", "org", "io", "family")
_SELF_DESCRIBED = ("Personal", "Self", "Independent", "Freelance", "N/A", "none", "Student", "Hobbyist")


def simulate_individuals(rng: random.Random, timeline: Timeline, count: int, world: World) -> list[Draft]:
    drafts: list[Draft] = []
    households = 0
    while len(drafts) < count:
        country = ids.weighted(rng, INDIVIDUAL_COUNTRY_WEIGHTS)
        if rng.random() < 0.035:
            # Partners, parents and teenagers on one family card, at home, within a few days.
            size = min(count - len(drafts), rng.randint(2, 4))
            drafts += _household(rng, timeline, world, country, size, group=f"household_{households:05d}")
            households += 1
        else:
            at = timeline.daily(rng, tz_offset_hours=COUNTRIES[country].tz_offset_hours, rhythm="evening")
            ip = _network(rng, world, country)
            card = ids.new_card(rng) if rng.random() < 0.38 else None
            device = ids.new_device(rng) if rng.random() < 0.9 else None
            drafts.append(_individual(rng, world, country, at, ip=ip, card=card, device=device, phone=None, group=None))
    return drafts


def _household(
    rng: random.Random, timeline: Timeline, world: World, country: str, size: int, *, group: str
) -> list[Draft]:
    tz = COUNTRIES[country].tz_offset_hours
    home_ip = residential_ip(rng, country, ipv6_share=0.0)
    family_card = ids.new_card(rng)
    family_laptop = ids.new_device(rng)
    family_phone = ids.mobile_phone(rng, country)
    start = timeline.daily(rng, tz_offset_hours=tz, rhythm="evening")
    drafts = []
    for _ in range(size):
        at = timeline.after(rng, start, mean_delay=1.5 * 86400)
        ip = home_ip if rng.random() < 0.7 else _network(rng, world, country)
        card = family_card if rng.random() < 0.85 else None
        device = family_laptop if rng.random() < 0.3 else ids.new_device(rng)
        phone = family_phone if rng.random() < 0.2 else None
        drafts.append(_individual(rng, world, country, at, ip=ip, card=card, device=device, phone=phone, group=group))
    return drafts


def _network(rng: random.Random, world: World, country: str) -> str:
    roll = rng.random()
    if roll < 0.66:
        return residential_ip(rng, country, ipv6_share=0.2)
    if roll < 0.8:
        return world.mobile_ip(country)
    if roll < 0.92:
        return world.vpn_ip()
    if roll < 0.96:
        return host_in(rng, cloud_prefix24(rng))  # a cloud desktop or a dev box
    return residential_ip(rng, ids.weighted(rng, INDIVIDUAL_COUNTRY_WEIGHTS))  # travelling


def _individual(
    rng: random.Random,
    world: World,
    country: str,
    at: int,
    *,
    ip: str,
    card: str | None,
    device: str | None,
    phone: str | None,
    group: str | None,
) -> Draft:
    first, last = ids.person_name(rng, country)
    roll = rng.random()
    if roll < 0.90:
        local = ids.personal_local_part(rng, first, last)
        if rng.random() < 0.03:
            local = ids.plus_tagged(rng, local)
        email = world.email(local, ids.webmail_domain(rng, country))
    elif roll < 0.96:
        domain = (
            f"{first}{last}.{rng.choice(_PERSONAL_TLDS)}"
            if rng.random() < 0.5
            else f"{last}.{rng.choice(_PERSONAL_TLDS)}"
        )
        email = world.email(first, domain)
    elif roll < 0.98:
        email = world.email(ids.random_local_part(rng), rng.choice(ids.DISPOSABLE_DOMAINS))
    else:
        # Alumni keep forwarding addresses at their old university.
        email = world.email(ids.work_local_part(rng, first, last), rng.choice(UNIVERSITIES).staff_domains[0])
    scripted = rng.random() < 0.02
    org_roll = rng.random()
    organization = (
        None if org_roll < 0.86 else rng.choice(_SELF_DESCRIBED) if org_roll < 0.95 else rng.choice(UNIVERSITIES).name
    )
    if phone is None and rng.random() < 0.45:
        phone = ids.voip_phone(rng) if rng.random() < 0.06 else ids.mobile_phone(rng, country)
    fields = signup_fields(
        email=email,
        pathway=ids.weighted(rng, {"standard": 0.84, "education": 0.07, "startup": 0.05, "research": 0.04}),
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=scripted, mobile_share=0.35),
        device_id=device,
        payment_fingerprint=card,
        phone=phone,
        country=declared_country(rng, country, ids.weighted(rng, INDIVIDUAL_COUNTRY_WEIGHTS)),
    )
    traits = persona(
        tz_offset_hours=COUNTRIES[country].tz_offset_hours,
        rhythm="evening",
        requests_per_day=rng.lognormvariate(math.log(8), 1.2),
        scripted=scripted or rng.random() < 0.08,
        usage_network="residential" if rng.random() < 0.7 else rng.choice(("mobile", "vpn")),
        tenure_days=rng.uniform(7, 240),
    )
    return Draft(at, fields, "individual", group, traits)
