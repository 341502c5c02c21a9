"""Legitimate students and researchers: classes that sign up together from one campus, labs on one grant card.

These are the look-alikes of distillation campaigns: many accounts, one network or one card, within hours.
"""

import math
import random

from riskscore.simulator import identities as ids
from riskscore.simulator.clock import Timeline
from riskscore.simulator.countries import declared_country
from riskscore.simulator.institutions import (
    INSTITUTIONS,
    LOOKALIKE_STEMS,
    UNIVERSITIES,
    UNIVERSITY_WEIGHTS,
    Institution,
)
from riskscore.simulator.networks import (
    campus_blocks,
    cloud_prefix24,
    host_in,
    random_ipv4,
    random_prefix24,
    residential_ip,
)
from riskscore.simulator.signup import Draft, persona, signup_fields
from riskscore.simulator.world import World

# Where international students come from, weighted.
_HOME_COUNTRIES = ("CN", "IN", "KR", "US", "DE", "BR", "VN", "NG")
_HOME_WEIGHTS = (30, 30, 10, 8, 6, 6, 6, 4)
_DEPARTMENTS = (
    "Department of Computer Science",
    "School of Engineering",
    "Department of Statistics",
    "Department of Linguistics",
    "Department of Physics",
    "School of Medicine",
)
_TOPICS = ("nlp", "vision", "robotics", "ml", "ai", "lang", "theory", "bio", "hci", "sys")


def _organization_variant(rng: random.Random, institution: Institution) -> str:
    # Free-text fields are messy: abbreviations, lower case, the department instead of the school.
    return rng.choice(
        (institution.key.upper(), institution.name.lower(), f"{rng.choice(_DEPARTMENTS)}, {institution.name}")
    )


def _lab_organization(rng: random.Random, lab_name: str, institution: Institution) -> str | None:
    roll = rng.random()
    if roll < 0.45:
        return lab_name
    if roll < 0.8:
        return institution.name
    return f"{institution.name}, {rng.choice(_DEPARTMENTS)}" if roll < 0.9 else None


def _lab_domain(rng: random.Random, institution: Institution, principal: str, topic: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"{principal}-{topic}lab.org"
    if roll < 0.75:
        # Genuine groups name their sites after the school, exactly as look-alike domains do.
        stem = rng.choice(LOOKALIKE_STEMS.get(institution.key, (institution.key,)))
        return f"{stem}-{topic}-lab.org" if rng.random() < 0.5 else f"{stem}{topic}.org"
    return f"{topic}lab.{institution.staff_domains[0]}"


def simulate_students(rng: random.Random, timeline: Timeline, count: int, world: World) -> list[Draft]:
    drafts: list[Draft] = []
    classes = 0
    while len(drafts) < count:
        remaining = count - len(drafts)
        university = rng.choices(UNIVERSITIES, weights=UNIVERSITY_WEIGHTS)[0]
        if remaining < 20 or rng.random() < 0.12:
            # Students who found the programme on their own, one at a time.
            for _ in range(min(remaining, rng.randint(1, 6))):
                at = timeline.daily(rng, tz_offset_hours=university.tz_offset_hours, rhythm="student")
                drafts.append(_student(rng, world, university, at, group=None, campus_ip=None, lab_devices=()))
            continue
        size = min(remaining, int(min(200.0, max(20.0, rng.lognormvariate(math.log(45), 0.6)))))
        drafts += _class(rng, timeline, world, university, size, group=f"class_{university.key}_{classes:03d}")
        classes += 1
    return drafts


def _class(
    rng: random.Random, timeline: Timeline, world: World, university: Institution, size: int, *, group: str
) -> list[Draft]:
    """A course whose instructor hands out the signup link in a lecture: most join within the hour."""
    blocks = campus_blocks(university.networks)
    # A lecture hall's wireless network leaves campus through a few NAT addresses.
    nat_ips = tuple(host_in(rng, random_prefix24(rng, blocks)) for _ in range(rng.randint(1, 4)))
    lab_devices = tuple(ids.new_device(rng) for _ in range(rng.randint(3, 10)))
    start = timeline.burst_start(rng, tz_offset_hours=university.tz_offset_hours, rhythm="office", length=3600)
    drafts = []
    for _ in range(size):
        if rng.random() < 0.75:
            at = timeline.clamp(start + rng.betavariate(1.5, 3.0) * 3600)
            campus_ip = rng.choice(nat_ips) if rng.random() < 0.72 else random_ipv4(rng, blocks)
            drafts.append(
                _student(rng, world, university, at, group=group, campus_ip=campus_ip, lab_devices=lab_devices)
            )
        else:
            # Latecomers sign up from their dorms and phones over the following week.
            at = timeline.after(rng, start, mean_delay=2.5 * 86400)
            campus_ip = random_ipv4(rng, blocks) if rng.random() < 0.35 else None
            drafts.append(_student(rng, world, university, at, group=group, campus_ip=campus_ip, lab_devices=()))
    return drafts


def _student(
    rng: random.Random,
    world: World,
    university: Institution,
    at: int,
    *,
    group: str | None,
    campus_ip: str | None,
    lab_devices: tuple[str, ...],
) -> Draft:
    international = rng.random() < 0.15
    home = rng.choices(_HOME_COUNTRIES, weights=_HOME_WEIGHTS)[0] if international else university.country
    first, last = ids.person_name(rng, home)
    roll = rng.random()
    if roll < 0.70:
        local = ids.student_local_part(rng, university.student_address, first, last)
        email = world.email(local, rng.choice(university.student_domains))
    elif roll < 0.78:
        email = world.email(ids.work_local_part(rng, first, last), rng.choice(university.staff_domains))
    else:
        email = world.email(ids.personal_local_part(rng, first, last), ids.webmail_domain(rng, home))
    if campus_ip is not None:
        ip = campus_ip
    elif rng.random() < 0.4:
        ip = world.mobile_ip(university.country)
    else:
        ip = residential_ip(rng, university.country, ipv6_share=0.2)
    if lab_devices and rng.random() < 0.15:
        device = rng.choice(lab_devices)  # a computer-lab machine several students use in turn
    else:
        device = ids.new_device(rng) if rng.random() < 0.92 else None
    scripted = rng.random() < 0.004
    org_roll = rng.random()
    organization = (
        university.name if org_roll < 0.72 else _organization_variant(rng, university) if org_roll < 0.84 else None
    )
    fields = signup_fields(
        email=email,
        pathway=ids.weighted(rng, {"education": 0.88, "standard": 0.09, "research": 0.03}),
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=scripted, mobile_share=0.3),
        device_id=device,
        payment_fingerprint=ids.new_card(rng) if rng.random() < 0.08 else None,
        phone=ids.mobile_phone(rng, rng.choice((home, university.country))) if rng.random() < 0.35 else None,
        country=declared_country(rng, university.country, home),
    )
    traits = persona(
        tz_offset_hours=university.tz_offset_hours,
        rhythm="student",
        requests_per_day=rng.lognormvariate(math.log(12), 0.9),
        scripted=scripted or rng.random() < 0.1,
        usage_network="campus" if rng.random() < 0.5 else "residential",
        tenure_days=rng.uniform(20, 140),
    )
    return Draft(at, fields, "student", group, traits)


def simulate_researchers(rng: random.Random, timeline: Timeline, count: int, world: World) -> list[Draft]:
    drafts: list[Draft] = []
    labs = 0
    while len(drafts) < count:
        size = min(count - len(drafts), min(15, 3 + int(rng.expovariate(1 / 4))))
        drafts += _lab(rng, timeline, world, rng.choice(INSTITUTIONS), size, group=f"lab_{labs:04d}")
        labs += 1
    return drafts


def _lab(
    rng: random.Random, timeline: Timeline, world: World, institution: Institution, size: int, *, group: str
) -> list[Draft]:
    """A research group: one grant card, one cloud account, the campus network, and scripts."""
    _, principal = ids.person_name(rng, institution.country)
    lab_name = f"{principal.title()} Lab"
    topic = rng.choice(_TOPICS)
    lab_domain = _lab_domain(rng, institution, principal, topic)
    grant_card = ids.new_card(rng)
    cloud_prefixes = tuple(cloud_prefix24(rng) for _ in range(rng.randint(1, 2)))
    cloud_ips = tuple(host_in(rng, rng.choice(cloud_prefixes)) for _ in range(rng.randint(1, 6)))
    shared_workstation = ids.new_device(rng)
    lab_phone = ids.mobile_phone(rng, institution.country)
    blocks = campus_blocks(institution.networks)
    tz = institution.tz_offset_hours
    start = timeline.daily(rng, tz_offset_hours=tz, rhythm="office")
    drafts = []
    for member in range(size):
        # The principal investigator signs up first; students and postdocs follow over days.
        at = start if member == 0 else timeline.after(rng, start, mean_delay=2 * 86400)
        first, last = ids.person_name(rng, institution.country)
        roll = rng.random()
        if roll < 0.78:
            domains = institution.staff_domains
            email = world.email(ids.work_local_part(rng, first, last), rng.choice(domains))
        elif roll < 0.90:
            email = world.email(ids.personal_local_part(rng, first, last), ids.webmail_domain(rng, institution.country))
        else:
            email = world.email(ids.work_local_part(rng, first, last), lab_domain)
        network = rng.random()
        if network < 0.42:
            ip = rng.choice(cloud_ips)
        elif network < 0.85:
            ip = random_ipv4(rng, blocks)
        else:
            ip = residential_ip(rng, institution.country)
        scripted = rng.random() < 0.25
        if scripted:
            device = None if rng.random() < 0.8 else ids.new_device(rng)
        else:
            device = shared_workstation if rng.random() < 0.1 else ids.new_device(rng)
        card_roll = rng.random()
        card = grant_card if card_roll < 0.7 else ids.new_card(rng) if card_roll < 0.78 else None
        fields = signup_fields(
            email=email,
            pathway=ids.weighted(rng, {"research": 0.8, "education": 0.12, "startup": 0.03, "standard": 0.05}),
            ip=ip,
            organization=_lab_organization(rng, lab_name, institution),
            user_agent=ids.signup_user_agent(rng, scripted=scripted, mobile_share=0.05),
            device_id=device,
            payment_fingerprint=card,
            phone=ids.member_phone(rng, institution.country, share=0.45, shared=lab_phone, shared_share=0.08),
            country=declared_country(rng, institution.country, institution.country),
        )
        traits = persona(
            tz_offset_hours=tz,
            rhythm="office",
            requests_per_day=rng.lognormvariate(math.log(80), 1.0),
            scripted=scripted or rng.random() < 0.5,
            usage_network="cloud" if rng.random() < 0.5 else "campus",
            tenure_days=rng.uniform(60, 365),
        )
        drafts.append(Draft(at, fields, "researcher", group, traits))
    return drafts
