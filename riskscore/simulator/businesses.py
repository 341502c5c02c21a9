"""Legitimate startups and enterprises: teams on one company card and one office network.

Enterprises roll access out in waves, so a burst of same-/24 signups on a weekday morning is normal here.
"""

import math
import random

from riskscore.simulator import identities as ids
from riskscore.simulator.clock import Timeline
from riskscore.simulator.countries import COUNTRIES, STARTUP_COUNTRY_WEIGHTS, declared_country
from riskscore.simulator.networks import cloud_prefix24, host_in, residential_ip, residential_prefix24
from riskscore.simulator.signup import Draft, persona, signup_fields
from riskscore.simulator.world import World

# Microsoft's fictitious sample companies: household-sized names that belong to no real customer.
_ENTERPRISES = (
    ("Contoso", "contoso.com", "US"),
    ("Fabrikam", "fabrikam.com", "US"),
    ("Northwind Traders", "northwindtraders.com", "US"),
    ("Woodgrove Bank", "woodgrovebank.com", "GB"),
    ("Tailspin Toys", "tailspintoys.com", "US"),
    ("Litware", "litwareinc.com", "US"),
    ("Adventure Works", "adventure-works.com", "DE"),
    ("Proseware", "proseware.com", "IN"),
    ("Fourth Coffee", "fourthcoffee.com", "US"),
    ("Trey Research", "treyresearch.net", "JP"),
    ("Lucerne Publishing", "lucernepublishing.com", "FR"),
    ("Alpine Ski House", "alpineskihouse.com", "CH"),
)
_LEGAL_SUFFIXES = ("Inc.", "Ltd", "Corporation", "Group", "GmbH", "LLC")


def simulate_startups(rng: random.Random, timeline: Timeline, count: int, world: World) -> list[Draft]:
    drafts: list[Draft] = []
    teams = 0
    while len(drafts) < count:
        size = min(count - len(drafts), min(20, 2 + int(rng.expovariate(1 / 4))))
        drafts += _startup(rng, timeline, world, size, group=f"startup_{teams:04d}")
        teams += 1
    return drafts


def _startup(rng: random.Random, timeline: Timeline, world: World, size: int, *, group: str) -> list[Draft]:
    country = ids.weighted(rng, STARTUP_COUNTRY_WEIGHTS)
    coworking = [prefix for c, prefix in world.coworking if c == country]
    # In a coworking space other companies' people share the office /24.
    office = rng.choice(coworking) if coworking and rng.random() < 0.3 else residential_prefix24(rng, country)
    office_ips = tuple(host_in(rng, office) for _ in range(rng.randint(1, 3)))
    cloud = cloud_prefix24(rng)
    name, domain = ids.company_identity(rng, world.domains)
    card = ids.new_card(rng) if rng.random() < 0.85 else None
    office_phone = ids.mobile_phone(rng, country)
    tz = _tz(country)
    start = timeline.daily(rng, tz_offset_hours=tz, rhythm="office")
    drafts = []
    for member in range(size):
        at = start if member == 0 else timeline.after(rng, start, mean_delay=3 * 86400)
        first, last = ids.person_name(rng, country)
        if rng.random() < 0.85:
            email = world.email(ids.work_local_part(rng, first, last), domain)
        else:
            email = world.email(ids.personal_local_part(rng, first, last), ids.webmail_domain(rng, country))
        network = rng.random()
        if network < 0.55:
            ip = rng.choice(office_ips)
        elif network < 0.8:
            ip = residential_ip(rng, country) if rng.random() < 0.6 else world.mobile_ip(country)
        else:
            ip = host_in(rng, cloud)
        scripted = rng.random() < 0.08
        card_roll = rng.random()
        payment = card if card and card_roll < 0.75 else ids.new_card(rng) if card_roll < 0.85 else None
        org_roll = rng.random()
        fields = signup_fields(
            email=email,
            pathway=ids.weighted(rng, {"startup": 0.8, "standard": 0.15, "enterprise": 0.05}),
            ip=ip,
            organization=name if org_roll < 0.85 else domain if org_roll < 0.9 else None,
            user_agent=ids.signup_user_agent(rng, scripted=scripted, mobile_share=0.1),
            device_id=ids.new_device(rng) if rng.random() < 0.92 else None,
            payment_fingerprint=payment,
            phone=ids.member_phone(rng, country, share=0.5, shared=office_phone, shared_share=0.12),
            country=declared_country(rng, country, country),
        )
        traits = persona(
            tz_offset_hours=tz,
            rhythm="office",
            requests_per_day=rng.lognormvariate(math.log(40), 1.1),
            scripted=scripted or rng.random() < 0.3,
            usage_network="office" if rng.random() < 0.6 else "cloud",
            tenure_days=rng.uniform(30, 300),
        )
        drafts.append(Draft(at, fields, "startup", group, traits))
    return drafts


def simulate_enterprises(rng: random.Random, timeline: Timeline, count: int, world: World) -> list[Draft]:
    companies = rng.sample(_ENTERPRISES, min(len(_ENTERPRISES), max(3, round(count / 300))))
    weights = [rng.paretovariate(1.2) for _ in companies]
    sizes = [int(count * w / sum(weights)) for w in weights]
    sizes[0] += count - sum(sizes)
    drafts: list[Draft] = []
    for (name, domain, country), size in zip(companies, sizes, strict=True):
        world.domains.add(domain)
        drafts += _enterprise(rng, timeline, world, name, domain, country, size)
    return drafts


def _enterprise(
    rng: random.Random, timeline: Timeline, world: World, name: str, domain: str, country: str, size: int
) -> list[Draft]:
    if rng.random() < 0.3:
        # Behind a cloud security proxy the company's traffic mingles with other companies'.
        nat_prefixes = tuple(rng.sample(world.corporate_proxies, 3))
    else:
        nat_prefixes = tuple(residential_prefix24(rng, country) for _ in range(rng.randint(2, 6)))
    nat_ips = tuple(host_in(rng, rng.choice(nat_prefixes)) for _ in range(max(2, len(nat_prefixes) * 3)))
    card = ids.new_card(rng) if rng.random() < 0.5 else None
    switchboard = ids.mobile_phone(rng, country)
    tz = _tz(country)
    rollouts = [
        timeline.burst_start(rng, tz_offset_hours=tz, rhythm="office", length=4 * 3600)
        for _ in range(rng.randint(2, 5))
    ]
    group = f"enterprise_{domain.split('.')[0]}"
    drafts = []
    for _ in range(size):
        if rng.random() < 0.6:
            at = timeline.clamp(rng.choice(rollouts) + rng.betavariate(1.2, 2.5) * 4 * 3600)
        else:
            at = timeline.daily(rng, tz_offset_hours=tz, rhythm="office")
        office_country = country if rng.random() < 0.85 else ids.weighted(rng, STARTUP_COUNTRY_WEIGHTS)
        first, last = ids.person_name(rng, office_country)
        if rng.random() < 0.95:
            email = world.email(ids.work_local_part(rng, first, last), domain)
        else:
            email = world.email(ids.personal_local_part(rng, first, last), ids.webmail_domain(rng, office_country))
        network = rng.random()
        if network < 0.8:
            ip = rng.choice(nat_ips)
        elif network < 0.95:
            ip = residential_ip(rng, office_country)  # working from home
        else:
            ip = world.mobile_ip(office_country)
        scripted = rng.random() < 0.03
        fields = signup_fields(
            email=email,
            pathway=ids.weighted(rng, {"enterprise": 0.85, "standard": 0.15}),
            ip=ip,
            organization=_company_as_typed(rng, name),
            user_agent=ids.signup_user_agent(rng, scripted=scripted, mobile_share=0.08),
            device_id=ids.new_device(rng) if rng.random() < 0.85 else None,
            payment_fingerprint=card if card and rng.random() < 0.6 else None,
            phone=ids.member_phone(rng, office_country, share=0.25, shared=switchboard, shared_share=0.08),
            country=declared_country(rng, office_country, country),
        )
        traits = persona(
            tz_offset_hours=_tz(office_country),
            rhythm="office",
            requests_per_day=rng.lognormvariate(math.log(25), 0.9),
            scripted=scripted or rng.random() < 0.1,
            usage_network="corporate",
            tenure_days=rng.uniform(120, 720),
        )
        drafts.append(Draft(at, fields, "enterprise", group, traits))
    return drafts


def _company_as_typed(rng: random.Random, name: str) -> str | None:
    # Employees type their employer's name every which way, or not at all.
    roll = rng.random()
    if roll < 0.7:
        return name
    if roll < 0.82:
        return f"{name} {rng.choice(_LEGAL_SUFFIXES)}"
    return name.lower() if roll < 0.9 else None


def _tz(country: str) -> float:
    return COUNTRIES[country].tz_offset_hours
