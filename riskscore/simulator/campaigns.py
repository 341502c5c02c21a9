"""Distillation campaigns: hydra clusters of accounts built from shared cards, proxies, devices and fake claims.

Each campaign mixes styles and hides a share of accounts that look like ordinary customers, so no single
signal separates them from the legitimate populations; only how they reuse infrastructure gives them away.
"""

import math
import random
from dataclasses import dataclass, field

from riskscore.simulator import identities as ids
from riskscore.simulator.clock import Timeline
from riskscore.simulator.countries import INDIVIDUAL_COUNTRY_WEIGHTS
from riskscore.simulator.institutions import (
    LOOKALIKE_PATTERNS,
    LOOKALIKE_STEMS,
    UNIVERSITIES,
    Institution,
)
from riskscore.simulator.networks import cloud_prefix24, host_in, residential_ip, residential_prefix24
from riskscore.simulator.schedules import schedule
from riskscore.simulator.signup import Draft, persona, signup_fields
from riskscore.simulator.world import World

STYLES = ("proxy_network", "card_pool", "lookalike_institution", "automation", "replacement_waves")


@dataclass(frozen=True, slots=True)
class CampaignPlan:
    campaign_id: str
    accounts_per_100k: int  # size when the whole simulation has 100,000 accounts
    styles: dict[str, float]
    schedule: str  # trickle, waves, bursts, card_days or classes (see schedules.py)
    pathways: dict[str, float]
    stealth: float  # share of accounts built to pass as an ordinary individual customer
    operator_tz: float
    rhythm: str


PLANS: tuple[CampaignPlan, ...] = (
    CampaignPlan("camp_proxy_01", 3000, {"proxy_network": 1.0}, "trickle",
                 {"standard": 0.35, "education": 0.25, "startup": 0.25, "research": 0.15}, 0.08, 8, "flat"),
    CampaignPlan("camp_waves_02", 2000, {"replacement_waves": 0.8, "card_pool": 0.2}, "waves",
                 {"education": 0.45, "research": 0.3, "startup": 0.15, "standard": 0.1}, 0.05, 3, "office"),
    CampaignPlan("camp_auto_03", 1500, {"automation": 0.85, "proxy_network": 0.15}, "bursts",
                 {"research": 0.35, "startup": 0.35, "standard": 0.3}, 0.03, -5, "flat"),
    CampaignPlan("camp_lookalike_04", 1200, {"lookalike_institution": 1.0}, "classes",
                 {"education": 0.6, "research": 0.4}, 0.05, 8, "office"),
    CampaignPlan("camp_cards_05", 800, {"card_pool": 1.0}, "card_days",
                 {"startup": 0.45, "standard": 0.4, "research": 0.15}, 0.05, 1, "evening"),
    CampaignPlan("camp_hydra_06", 2500, {"proxy_network": 0.5, "replacement_waves": 0.3, "card_pool": 0.2}, "waves",
                 {"education": 0.3, "research": 0.25, "startup": 0.25, "standard": 0.2}, 0.1, 8, "flat"),
    CampaignPlan("camp_startups_07", 400, {"card_pool": 0.5, "automation": 0.5}, "trickle",
                 {"startup": 0.8, "standard": 0.15, "enterprise": 0.05}, 0.1, -3, "office"),
    CampaignPlan("camp_quiet_08", 30, {"lookalike_institution": 0.5, "proxy_network": 0.5}, "trickle",
                 {"education": 0.4, "standard": 0.4, "research": 0.2}, 0.7, 5.5, "evening"),
)  # fmt: skip

# Residential proxy exits are sold by country; buyers ask for the countries their targets trust.
_EXIT_COUNTRIES = {"US": 50, "GB": 8, "CA": 6, "DE": 6, "IN": 6, "BR": 5, "FR": 4, "AU": 4, "JP": 3, "NL": 3, "SG": 3}
_CATCHALL_TLDS = ("xyz", "top", "site", "online", "click", "info")
_SELF_DESCRIBED = ("Personal", "Self", "Independent", "Freelance", "Student")


def campaign_sizes(rng: random.Random, accounts: int) -> list[tuple[CampaignPlan, int]]:
    # Every campaign keeps a dozen accounts from 5,000 accounts up, so each style is present in a demo run.
    floor = min(12, accounts // 400)
    return [(p, max(floor, round(p.accounts_per_100k * accounts / 100_000 * rng.uniform(0.8, 1.2)))) for p in PLANS]


def simulate_campaign(
    rng: random.Random, timeline: Timeline, plan: CampaignPlan, size: int, world: World
) -> list[Draft]:
    operation = _Operation.equip(rng, world, plan, size)
    drafts = []
    for at, wave in schedule(rng, timeline, plan.schedule, size, tz=plan.operator_tz, rhythm=plan.rhythm):
        style = ids.weighted(rng, plan.styles)
        pathway = ids.weighted(rng, plan.pathways)
        if rng.random() < plan.stealth:
            fields = _ordinary(operation, pathway)
        else:
            fields = _BUILDERS[style](operation, wave, pathway)
        drafts.append(Draft(at, fields, "campaign", plan.campaign_id, _persona(rng, plan, fields), style, wave))
    return drafts


@dataclass(slots=True)
class _WaveKit:
    """Infrastructure one replacement wave works from; some of it is carried over from the wave before."""

    cards: list[str]
    devices: list[str]
    prefixes: list[int]
    email_domain: str
    email_shape: str
    phone: str
    last_ip: str | None = None


@dataclass(slots=True)
class _Operation:
    """A campaign's pools of cards, devices, exits, phones and cover stories."""

    rng: random.Random
    world: World
    plan: CampaignPlan
    cards: list[str]
    devices: list[str]
    phones: list[str]
    cloud_prefixes: list[int]
    catchall_domains: list[str]
    fake_companies: list[tuple[str, str]]
    targets: list[tuple[Institution, str]]
    mailboxes: list[tuple[str, str]]  # (local, domain) of inboxes that receive many accounts' confirmations
    proxy_prefixes: list[tuple[str, int]] = field(default_factory=list)
    recent_ips: list[str] = field(default_factory=list)
    waves: dict[int, _WaveKit] = field(default_factory=dict)

    @classmethod
    def equip(cls, rng: random.Random, world: World, plan: CampaignPlan, size: int) -> "_Operation":
        fake_companies = [ids.company_identity(rng, world.domains) for _ in range(max(2, size // 25))]
        catchall = [
            f"{rng.choice(ids.NAMES['en'][0])}{rng.choice(('mail', 'box', 'inbox', 'post'))}{rng.randint(1, 99)}."
            f"{rng.choice(_CATCHALL_TLDS)}"
            for _ in range(rng.randint(1, 3))
        ]
        return cls(
            rng=rng,
            world=world,
            plan=plan,
            cards=[ids.new_card(rng) for _ in range(max(2, size // 14))],
            devices=[ids.new_device(rng) for _ in range(max(2, size // 20))],
            phones=[
                ids.voip_phone(rng) if rng.random() < 0.5 else ids.mobile_phone(rng, "US")
                for _ in range(max(2, size // 25))
            ],
            cloud_prefixes=[cloud_prefix24(rng) for _ in range(rng.randint(3, 8))],
            catchall_domains=catchall,
            fake_companies=fake_companies,
            targets=_lookalike_targets(rng),
            mailboxes=[
                (ids.personal_local_part(rng, *ids.person_name(rng, "US")), rng.choice(("gmail.com", "outlook.com")))
                for _ in range(max(1, size // 60))
            ],
        )

    def exit_country(self) -> str:
        return ids.weighted(self.rng, _EXIT_COUNTRIES)

    def proxy_ip(self, country: str) -> str:
        """A residential proxy exit: many /24s, and an address sometimes handed out again within hours."""
        rng = self.rng
        if self.recent_ips and rng.random() < 0.25:
            return rng.choice(self.recent_ips[-30:])
        if rng.random() < 0.05:
            ip = residential_ip(rng, country, ipv6_share=1.0)
        else:
            known = [prefix for c, prefix in self.proxy_prefixes if c == country]
            if known and rng.random() < 0.35:
                prefix = rng.choice(known)
            else:
                prefix = residential_prefix24(rng, country)
                self.proxy_prefixes.append((country, prefix))
            ip = host_in(rng, prefix)
        self.recent_ips.append(ip)
        return ip

    def wave_kit(self, wave: int) -> _WaveKit:
        if wave not in self.waves:
            rng = self.rng
            before = self.waves.get(wave - 1)
            country = self.exit_country()
            kit = _WaveKit(
                cards=[ids.new_card(rng) for _ in range(rng.randint(1, 2))],
                devices=[ids.new_device(rng) for _ in range(rng.randint(2, 5))],
                prefixes=[residential_prefix24(rng, country) for _ in range(rng.randint(1, 2))],
                email_domain=rng.choice(self.catchall_domains) if rng.random() < 0.3 else ids.webmail_domain(rng, "US"),
                email_shape=rng.choice(("name_digits", "initial_digits", "random", "first_digits", "personal")),
                phone=ids.voip_phone(rng) if rng.random() < 0.5 else ids.mobile_phone(rng, country),
            )
            if before:
                # What survives a ban: one card, one device, one network is reused by the replacements.
                kit.cards.append(rng.choice(before.cards))
                kit.devices.append(rng.choice(before.devices))
                kit.prefixes.append(rng.choice(before.prefixes))
            self.waves[wave] = kit
        return self.waves[wave]


def _lookalike_targets(rng: random.Random) -> list[tuple[Institution, str]]:
    by_key = {u.key: u for u in UNIVERSITIES}
    targets = []
    for key in rng.sample(sorted(LOOKALIKE_STEMS), rng.randint(1, 3)):
        for pattern in rng.sample(LOOKALIKE_PATTERNS, 2):
            targets.append((by_key[key], pattern.format(rng.choice(LOOKALIKE_STEMS[key]))))
    return targets


def _generated_local(rng: random.Random, shape: str, country: str = "US") -> str:
    first, last = ids.person_name(rng, country)
    if shape == "name_digits":
        return f"{first}{last}{rng.randint(10, 9999)}"
    if shape == "initial_digits":
        return f"{first[0]}{last}{rng.randint(100, 9999)}"
    if shape == "first_digits":
        return f"{first}{rng.randint(1000, 99999)}"
    if shape == "random":
        return ids.random_local_part(rng)
    return ids.personal_local_part(rng, first, last)


def _claims(op: _Operation, pathway: str, *, institution: Institution | None = None) -> tuple[str | None, str | None]:
    """The organization a campaign account claims for its pathway, and a company mail domain if it has one."""
    rng = op.rng
    if pathway == "education":
        claimed = institution or rng.choice(UNIVERSITIES)
        return (claimed.name if rng.random() < 0.75 else None), None
    if pathway == "research":
        roll = rng.random()
        if roll < 0.4:
            return f"{ids.person_name(rng, 'US')[1].title()} Lab", None
        return ((institution or rng.choice(UNIVERSITIES)).name if roll < 0.8 else None), None
    if pathway in ("startup", "enterprise"):
        name, domain = rng.choice(op.fake_companies)
        return (name if rng.random() < 0.85 else None), domain
    return (rng.choice(_SELF_DESCRIBED) if rng.random() < 0.12 else None), None


def _email(op: _Operation, shape: str, domain: str | None, country: str) -> str:
    rng = op.rng
    if domain and rng.random() < 0.6:
        first, last = ids.person_name(rng, country)
        return op.world.email(ids.work_local_part(rng, first, last), domain)
    roll = rng.random()
    if roll < 0.03:
        return op.world.email(ids.random_local_part(rng), rng.choice(ids.DISPOSABLE_DOMAINS))
    if roll < 0.10:
        # One real inbox behind many accounts, each signup using another spelling of it.
        local, mailbox_domain = rng.choice(op.mailboxes)
        return op.world.email(ids.mailbox_variant(rng, local, mailbox_domain), mailbox_domain)
    return op.world.email(_generated_local(rng, shape, country), ids.webmail_domain(rng, country))


def _proxy_network(op: _Operation, wave: int, pathway: str) -> dict:
    rng = op.rng
    country = op.exit_country()
    ip = op.world.vpn_ip() if rng.random() < 0.1 else op.proxy_ip(country)
    organization, domain = _claims(op, pathway)
    shape = rng.choices(("name_digits", "random", "personal"), weights=(45, 20, 35))[0]
    device_roll = rng.random()
    device = ids.new_device(rng) if device_roll < 0.7 else rng.choice(op.devices) if device_roll < 0.88 else None
    return signup_fields(
        email=_email(op, shape, domain, country),
        pathway=pathway,
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=rng.random() < 0.08, mobile_share=0.2),
        device_id=device,
        payment_fingerprint=rng.choice(op.cards) if rng.random() < 0.5 else None,
        phone=_phone(op, country, share=0.3),
        country=_declared(rng, country),
    )


def _card_pool(op: _Operation, wave: int, pathway: str) -> dict:
    rng = op.rng
    country = op.exit_country()
    roll = rng.random()
    ip = (
        residential_ip(rng, country) if roll < 0.8 else op.world.mobile_ip(country) if roll < 0.9 else op.world.vpn_ip()
    )
    organization, domain = _claims(op, pathway)
    # On a card-days schedule each day-long window burns one card.
    card = op.wave_kit(wave).cards[0] if op.plan.schedule == "card_days" else rng.choice(op.cards)
    return signup_fields(
        email=_email(op, "personal", domain, country),
        pathway=pathway,
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=rng.random() < 0.02, mobile_share=0.25),
        device_id=ids.new_device(rng) if rng.random() < 0.95 else None,
        payment_fingerprint=card if rng.random() < 0.95 else None,
        phone=ids.mobile_phone(rng, country) if rng.random() < 0.45 else None,
        country=_declared(rng, country),
    )


def _lookalike_institution(op: _Operation, wave: int, pathway: str) -> dict:
    rng = op.rng
    institution, lookalike = rng.choice(op.targets)
    first, last = ids.person_name(rng, institution.country)
    if rng.random() < 0.75:
        local = ids.student_local_part(rng, "name", first, last)
        email = op.world.email(local, lookalike)
    else:
        # Real student addresses bought from their owners.
        local = ids.student_local_part(rng, institution.student_address, first, last)
        email = op.world.email(local, rng.choice(institution.student_domains))
    roll = rng.random()
    if roll < 0.4:
        ip = op.proxy_ip(institution.country)
    elif roll < 0.65:
        kit = op.wave_kit(wave)  # one "dorm" /24 per batch, imitating a class on a campus network
        ip = host_in(rng, kit.prefixes[0])
    elif roll < 0.85:
        ip = host_in(rng, rng.choice(op.cloud_prefixes))
    else:
        ip = op.world.vpn_ip()
    org_roll = rng.random()
    organization = institution.name if org_roll < 0.85 else institution.key.upper() if org_roll < 0.95 else None
    return signup_fields(
        email=email,
        pathway=pathway if pathway in ("education", "research") else "education",
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=rng.random() < 0.05, mobile_share=0.3),
        device_id=ids.new_device(rng) if rng.random() < 0.8 else rng.choice(op.devices),
        payment_fingerprint=rng.choice(op.cards) if rng.random() < 0.1 else None,
        phone=_phone(op, institution.country, share=0.3),
        country=_declared(rng, institution.country),
    )


def _automation(op: _Operation, wave: int, pathway: str) -> dict:
    rng = op.rng
    country = op.exit_country()
    ip = host_in(rng, rng.choice(op.cloud_prefixes)) if rng.random() < 0.85 else op.proxy_ip(country)
    scripted = rng.random() < 0.75
    user_agent = ids.scripted_user_agent(rng, headless_share=0.4) if scripted else ids.browser_user_agent(rng)
    device_roll = rng.random()
    device = None if device_roll < 0.5 else ids.new_device(rng) if device_roll < 0.8 else rng.choice(op.devices)
    organization, domain = _claims(op, pathway)
    if rng.random() < 0.5:
        email = op.world.email(_generated_local(rng, "random"), rng.choice(op.catchall_domains))
    else:
        email = _email(op, rng.choice(("name_digits", "first_digits")), domain, country)
    return signup_fields(
        email=email,
        pathway=pathway,
        ip=ip,
        organization=organization,
        user_agent=user_agent,
        device_id=device,
        payment_fingerprint=rng.choice(op.cards) if rng.random() < 0.4 else None,
        phone=rng.choice(op.phones) if rng.random() < 0.2 else None,
        country=_declared(rng, country),
    )


def _replacement_waves(op: _Operation, wave: int, pathway: str) -> dict:
    rng = op.rng
    kit = op.wave_kit(wave)
    country = op.exit_country()
    if rng.random() < 0.55:
        ip = kit.last_ip if kit.last_ip and rng.random() < 0.3 else host_in(rng, rng.choice(kit.prefixes))
        kit.last_ip = ip
    else:
        ip = op.proxy_ip(country)
    organization, domain = _claims(op, pathway)
    if domain and rng.random() < 0.5:
        email = _email(op, kit.email_shape, domain, country)
    else:
        email = op.world.email(_generated_local(rng, kit.email_shape, country), kit.email_domain)
    phone = None
    if rng.random() < 0.25:
        phone = kit.phone if rng.random() < 0.5 else ids.mobile_phone(rng, country)
    return signup_fields(
        email=email,
        pathway=pathway,
        ip=ip,
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=rng.random() < 0.1, mobile_share=0.2),
        device_id=rng.choice(kit.devices) if rng.random() < 0.45 else ids.new_device(rng),
        payment_fingerprint=rng.choice(kit.cards) if rng.random() < 0.65 else None,
        phone=phone,
        country=_declared(rng, country),
    )


def _ordinary(op: _Operation, pathway: str) -> dict:
    """An account with nothing shared and nothing odd: only its later usage can betray it."""
    rng = op.rng
    country = ids.weighted(rng, INDIVIDUAL_COUNTRY_WEIGHTS)
    first, last = ids.person_name(rng, country)
    organization, _ = _claims(op, pathway)
    return signup_fields(
        email=op.world.email(ids.personal_local_part(rng, first, last), ids.webmail_domain(rng, country)),
        pathway=pathway,
        ip=residential_ip(rng, country, ipv6_share=0.2) if rng.random() < 0.8 else op.world.mobile_ip(country),
        organization=organization,
        user_agent=ids.signup_user_agent(rng, scripted=False, mobile_share=0.35),
        device_id=ids.new_device(rng) if rng.random() < 0.9 else None,
        payment_fingerprint=ids.new_card(rng) if rng.random() < 0.3 else None,
        phone=ids.mobile_phone(rng, country) if rng.random() < 0.4 else None,
        country=_declared(rng, country),
    )


_BUILDERS = {
    "proxy_network": _proxy_network,
    "card_pool": _card_pool,
    "lookalike_institution": _lookalike_institution,
    "automation": _automation,
    "replacement_waves": _replacement_waves,
}


def _phone(op: _Operation, country: str, *, share: float) -> str | None:
    rng = op.rng
    if rng.random() >= share:
        return None
    # SMS-verification numbers are rented by the batch and reused across accounts.
    return rng.choice(op.phones) if rng.random() < 0.6 else ids.mobile_phone(rng, country)


def _declared(rng: random.Random, country: str) -> str | None:
    roll = rng.random()
    return country if roll < 0.75 else ids.weighted(rng, INDIVIDUAL_COUNTRY_WEIGHTS) if roll < 0.85 else None


def _persona(rng: random.Random, plan: CampaignPlan, fields: dict) -> dict:
    scripted_signup = any(m in fields.get("user_agent", "") for m in ids.AUTOMATION_MARKERS)
    return persona(
        tz_offset_hours=plan.operator_tz,
        rhythm=plan.rhythm,
        # Extraction accounts run hot, but some idle to look like customers until they are needed.
        requests_per_day=rng.lognormvariate(math.log(250), 1.2),
        scripted=scripted_signup or rng.random() < 0.85,
        usage_network=rng.choice(("rotating_proxy", "cloud", "residential")),
        extraction_share=rng.uniform(0.3, 0.95),
        tenure_days=rng.uniform(1, 21),
    )
