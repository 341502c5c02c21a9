"""simulate_usage: what every simulated account sends through the API after signing up, as usage events.

People use the API by day in their own time zone, in sessions; researchers run templated benchmark sweeps from
cloud machines; startups' CI agents call it on a fixed schedule around the clock. Campaigns send templated
extraction prompts with varied payloads mixed with ordinary-looking ones, in jobs synchronised across their
accounts, through rotating proxy exits, and move about half their traffic to a new model within a day of its
release. One campaign style (HELD_OUT_STYLE, "low and slow") is never used for training: it works in human-like
sessions from residential addresses with phrasings the prompt rules were not tuned on, and does not pivot.
Deterministic: string-seeded random streams per account and per campaign.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from riskscore.simulator.clock import _CUMULATIVE, Timeline
from riskscore.simulator.networks import cloud_prefix24, host_in, residential_ip, residential_prefix24
from riskscore.simulator.prompts import generate_prompts, templated_prompts
from riskscore.simulator.signup import SimulatedSignup

DAY, HOUR = 86400, 3600
MODELS = ("frontier-large-2025-10", "frontier-mini-2025-10")
NEW_MODEL = "frontier-large-2026-next"
# Campaigns: the prompt kinds each one harvests (campaign_id -> kinds); the held-out style's campaign last.
CAMPAIGN_KINDS: dict[str, tuple[str, ...]] = {
    "camp_proxy_01": ("campaign_cot_trace",),
    "camp_waves_02": ("campaign_rubric_grading", "campaign_cot_trace"),
    "camp_auto_03": ("campaign_agentic_coding",),
    "camp_lookalike_04": ("campaign_censorship_rewrite", "campaign_cot_trace"),
    "camp_hydra_06": ("campaign_cot_trace", "campaign_rubric_grading", "campaign_agentic_coding"),
    "camp_startups_07": ("campaign_agentic_coding",),
    "camp_quiet_08": ("campaign_rubric_grading",),
    "camp_cards_05": ("campaign_cot_trace", "campaign_rubric_grading", "campaign_censorship_rewrite"),
}
HELD_OUT_CAMPAIGN = "camp_cards_05"
HELD_OUT_STYLE = "low_and_slow"
CAMOUFLAGE_KINDS = ("casual", "student", "developer_coding", "writer_rewrite")
HUMAN_KINDS = {
    "student": ("student", "casual", "writer_rewrite", "student"),
    "researcher": ("benchmark_cot", "developer_coding", "casual", "teacher_grading"),
    "startup": ("developer_coding", "developer_coding", "casual", "writer_rewrite"),
    "individual": ("casual", "writer_rewrite", "developer_coding", "student", "teacher_grading"),
    "enterprise": ("developer_coding", "writer_rewrite", "casual", "teacher_grading"),
}


@dataclass(frozen=True, slots=True)
class SimulatedEvent:
    at: int  # seconds after the timeline origin
    payload: dict  # exactly one event of the POST /api/v1/usage body
    campaign: str | None  # the campaign id for an abusive account's event


@dataclass(frozen=True, slots=True)
class UsagePlan:
    """Knobs of one usage simulation."""

    scale: float = 0.1  # multiplies every persona's requests per day (1.0: the personas' full volume)
    max_per_day: int = 300
    release_day: float = 0.5  # the new model appears at this fraction of the timeline
    # Campaign personas' volumes are those of a full extraction run; this keeps them from drowning the population.
    campaign_share: float = 0.4


def simulate_usage(
    *, seed: int, signups: list[SimulatedSignup], start: datetime, days: int, plan: UsagePlan | None = None
) -> list[SimulatedEvent]:
    """Every account's usage events between its signup and the end of the timeline, sorted by event time."""
    plan = plan or UsagePlan()
    timeline = Timeline.covering(start, days)
    release = int(timeline.span * plan.release_day)
    origin_seconds = _seconds_into_day(timeline.origin)
    campaigns: dict[str, _Campaign] = {}
    events: list[SimulatedEvent] = []
    for signup in signups:
        rng = random.Random(f"{seed}:usage:{signup.payload['account_id']}")
        at = _signup_at(timeline, signup.payload["created_at"])
        if signup.is_abusive:
            group = signup.group or "campaign"
            campaign = campaigns.get(group)
            if campaign is None:
                campaign = campaigns[group] = _Campaign.equip(random.Random(f"{seed}:usage:{group}"), group, timeline)
            generated = _campaign_account(rng, signup, at, timeline, release, plan, campaign, origin_seconds)
        else:
            generated = _legitimate_account(rng, signup, at, timeline, release, plan, origin_seconds)
        events += generated
    events.sort(key=lambda e: (e.at, e.payload["event_id"]))
    return events


# ---- campaigns ----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Campaign:
    campaign_id: str
    kinds: tuple[str, ...]
    templates: dict[str, int]  # the wrapper every account of the campaign uses, per kind
    exits: list[str]  # rotating proxy exits shared by the campaign's accounts
    cloud_prefixes: list[int]
    jobs: list[int]  # start times of the campaign's synchronised jobs
    pivot_delay: int  # seconds after the new model's release before the scripts switch half their traffic
    held_out: bool

    @classmethod
    def equip(cls, rng: random.Random, campaign_id: str, timeline: Timeline) -> _Campaign:
        held_out = campaign_id == HELD_OUT_CAMPAIGN
        kinds = CAMPAIGN_KINDS.get(campaign_id, ("campaign_cot_trace",))
        country = rng.choice(("US", "US", "GB", "DE", "CA"))
        exits = [host_in(rng, residential_prefix24(rng, country)) for _ in range(rng.randint(15, 60))]
        per_day = rng.randint(3, 8)
        jobs = sorted(day * DAY + rng.randrange(DAY) for day in range(timeline.span // DAY + 1) for _ in range(per_day))
        return cls(
            campaign_id=campaign_id,
            kinds=kinds,
            templates={kind: rng.randrange(100) for kind in kinds},
            exits=exits,
            cloud_prefixes=[cloud_prefix24(rng) for _ in range(3)],
            jobs=jobs,
            pivot_delay=int(rng.uniform(2, 22) * HOUR),
            held_out=held_out,
        )


def _campaign_account(
    rng: random.Random,
    signup: SimulatedSignup,
    at: int,
    timeline: Timeline,
    release: int,
    plan: UsagePlan,
    campaign: _Campaign,
    origin_seconds: int,
) -> list[SimulatedEvent]:
    persona = signup.persona
    end = min(timeline.span, at + int(persona["tenure_days"] * DAY))
    per_day = min(plan.max_per_day, persona["requests_per_day"] * plan.scale * plan.campaign_share)
    home = residential_ip(rng, signup.payload.get("country", "US"))
    network = "residential" if campaign.held_out else persona["usage_network"]
    times: list[int] = []
    if campaign.held_out:
        # Low and slow: human-like sessions on the operator's evenings, a fraction of the volume.
        times = _sessions(rng, at, end, per_day * 0.4, persona["tz_offset_hours"], "evening", origin_seconds)
    else:
        # Synchronised jobs: every account joins most of the campaign's jobs, within minutes of each other.
        jobs = [job for job in campaign.jobs if at <= job < end]
        per_job = per_day * (timeline.span / DAY) / max(1, len(campaign.jobs))
        for job in jobs:
            if rng.random() < 0.8:
                burst = _poisson(rng, per_job * 1.25)
                start = job + rng.randrange(300)
                times += [start + int(i * rng.uniform(5, 40)) for i in range(burst)]
    # Extraction personas are sized for a full harvest; campaigns here hide more of it among ordinary requests.
    extraction = persona["extraction_share"] * (0.4 if campaign.held_out else 0.5)
    split = "holdout" if campaign.held_out else "tune"
    events = []
    for n, t in enumerate(sorted(t for t in times if t <= timeline.span)):
        if rng.random() < extraction:
            kind = rng.choice(campaign.kinds)
            prompt = templated_prompts(rng, kind, 1, template=campaign.templates[kind], split=split)[0]
            tools = rng.randint(2, 12) if kind == "campaign_agentic_coding" else 0
            output = int(rng.lognormvariate(math.log(1000), 0.7))
        else:
            kind = rng.choice(CAMOUFLAGE_KINDS)
            prompt = generate_prompts(rng, kind, 1, split=rng.choice(("tune", "holdout")))[0]
            tools = 0
            output = int(rng.lognormvariate(math.log(600), 0.8))
        if network == "rotating_proxy":
            ip = rng.choice(campaign.exits)
        elif network == "cloud":
            ip = host_in(rng, rng.choice(campaign.cloud_prefixes))
        else:
            ip = home
        pivot = not campaign.held_out and t >= release + campaign.pivot_delay
        model = NEW_MODEL if pivot and rng.random() < 0.5 else _old_model(rng)
        events.append(
            _event(signup, n, t, timeline, ip=ip, model=model, prompt=prompt, tools=tools, output=output,
                   agent="python-httpx/0.27" if persona["scripted"] else _BROWSER, campaign=campaign.campaign_id)
        )  # fmt: skip
    return events


# ---- legitimate customers -----------------------------------------------------------------------------------------

_BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15"
_SDK_AGENTS = ("python-httpx/0.27", "openai-python/1.40.0", "node-fetch/3.3", "curl/8.5.0")


def _legitimate_account(
    rng: random.Random,
    signup: SimulatedSignup,
    at: int,
    timeline: Timeline,
    release: int,
    plan: UsagePlan,
    origin_seconds: int,
) -> list[SimulatedEvent]:
    persona = signup.persona
    population = signup.population
    end = min(timeline.span, at + int(persona["tenure_days"] * DAY))
    per_day = min(plan.max_per_day, persona["requests_per_day"] * plan.scale)
    tz, rhythm = persona["tz_offset_hours"], persona["rhythm"]
    ip_pool = _legitimate_ips(rng, signup)
    # Early adopters try a new model within days; most drift to it over weeks, and few move half their traffic.
    adoption_days = rng.choice((1, 3, 7, 14, 30, 60))
    kinds = HUMAN_KINDS.get(population, HUMAN_KINDS["individual"])
    sweeps = population == "researcher" and persona["scripted"]
    ci = population == "startup" and persona["scripted"]
    scripted_elsewhere = persona["scripted"] and not (sweeps or ci)
    agent = rng.choice(_SDK_AGENTS) if persona["scripted"] else _BROWSER

    # (time, kind, template or None): a template fixes the phrasing, as a script's loop would.
    plan_times: list[tuple[int, str, int | None]] = []
    human_share = 0.3 if (sweeps or ci) else 1.0
    # Some people ask for worked, fully reasoned answers as a habit (tutoring, checking a proof).
    tutoring = rng.random() < 0.2
    for t in _sessions(rng, at, end, per_day * human_share, tz, rhythm, origin_seconds):
        kind = "campaign_cot_trace" if tutoring and rng.random() < 0.35 else rng.choice(kinds)
        plan_times.append((t, kind, None))
    if scripted_elsewhere:
        # An app built on the API sends its own prompt template, or that of a popular open-source tool.
        app_kind, app_template = rng.choice(_OPEN_SOURCE_TOOLS) if rng.random() < 0.4 else _own_app(rng)
        plan_times = [(t, app_kind, app_template) if rng.random() < 0.7 else (t, k, None) for t, k, _ in plan_times]
    if sweeps:
        # Evaluation teams: benchmark sweeps, LLM-as-judge grading, reasoning-trace studies — all templated.
        sweep_kind = rng.choices(("benchmark_cot", "campaign_rubric_grading", "campaign_cot_trace"), (55, 30, 15))[0]
        benchmark = rng.randrange(100)
        day = at // DAY
        while day * DAY < end:
            if rng.random() < 0.5:
                start = max(at, _local_time(rng, day, tz, "office", origin_seconds))
                size = _poisson(rng, per_day * 2)
                gap = rng.uniform(3, 30)
                plan_times += [(start + int(i * gap), sweep_kind, benchmark) for i in range(size)]
            day += 1
    if ci:
        period = rng.choice((15, 30, 60, 120)) * 60
        offset = rng.randrange(period)
        runs = per_day * 0.7 / (DAY / period)
        agent_template = rng.randrange(100)
        t = at + offset
        while t < end:
            plan_times += [(t + 2 * i, "developer_coding", agent_template) for i in range(_poisson(rng, runs))]
            t += period
    events = []
    for n, (t, kind, template) in enumerate(
        sorted((p for p in plan_times if p[0] <= timeline.span), key=lambda p: p[0])
    ):
        split = rng.choice(("tune", "holdout"))
        if template is not None:
            prompt = templated_prompts(rng, kind, 1, template=template, split="tune")[0]
        else:
            prompt = generate_prompts(rng, kind, 1, split=split)[0]
        tools = (
            rng.randint(1, 8)
            if (ci and kind == "developer_coding") or (scripted_elsewhere and rng.random() < 0.3)
            else 0
        )
        output = int(rng.lognormvariate(math.log(_LEGITIMATE_OUTPUT.get(kind, 600)), 0.8))
        adopting = t > release and rng.random() < min(0.5, 0.5 * (t - release) / (adoption_days * DAY))
        model = NEW_MODEL if adopting else _old_model(rng)
        events.append(
            _event(signup, n, t, timeline, ip=rng.choice(ip_pool), model=model, prompt=prompt, tools=tools,
                   output=output, agent=agent, campaign=None)
        )  # fmt: skip
    return events


# Prompt templates of popular open-source tools: the same wrapper on many unrelated legitimate accounts.
_OPEN_SOURCE_TOOLS = (("developer_coding", 3), ("developer_coding", 7), ("writer_rewrite", 1), ("teacher_grading", 2))
_LEGITIMATE_OUTPUT = {"benchmark_cot": 900, "campaign_cot_trace": 1200, "campaign_rubric_grading": 700}


def _own_app(rng: random.Random) -> tuple[str, int]:
    return rng.choice(("developer_coding", "writer_rewrite", "teacher_grading", "casual")), rng.randrange(100)


def _legitimate_ips(rng: random.Random, signup: SimulatedSignup) -> list[str]:
    """Where a legitimate account's requests come from: the signup network (a campus or office NAT shared with
    colleagues), a home address, cloud machines, or a shared VPN or mobile exit."""
    network = signup.persona["usage_network"]
    signup_ip = signup.payload["ip"]
    country = signup.payload.get("country", "US")
    if network in ("campus", "office", "corporate"):
        return [signup_ip] * 4 + [residential_ip(rng, country)]
    if network == "cloud":
        prefix = cloud_prefix24(random.Random(f"lab-cloud:{signup.group}"))
        return [host_in(rng, prefix) for _ in range(rng.randint(1, 6))]
    if network in ("vpn", "mobile"):
        # Few shared exits serve many customers: the same addresses appear on unrelated accounts.
        shared = random.Random(f"shared-exits:{network}:{country}")
        exits = [host_in(shared, residential_prefix24(shared, country)) for _ in range(20)]
        return [rng.choice(exits) for _ in range(rng.randint(2, 6))]
    return [signup_ip, residential_ip(rng, country)]


# ---- time -----------------------------------------------------------------------------------------------------------


def _sessions(
    rng: random.Random, start: int, end: int, per_day: float, tz: float, rhythm: str, origin_seconds: int
) -> list[int]:
    """Requests in sessions at the rhythm's busy hours of each active day, in the person's time zone."""
    times: list[int] = []
    day = start // DAY
    while day * DAY < end:
        if rng.random() < 0.7:
            remaining = _poisson(rng, per_day / 0.7)
            while remaining > 0:
                session = min(remaining, 1 + _poisson(rng, 4))
                t = _local_time(rng, day, tz, rhythm, origin_seconds)
                times += [t + int(i * rng.expovariate(1 / 90)) for i in range(session)]
                remaining -= session
        day += 1
    return [t for t in times if start <= t < end]


def _local_time(rng: random.Random, day: int, tz: float, rhythm: str, origin_seconds: int) -> int:
    hour = rng.choices(range(24), cum_weights=_CUMULATIVE[rhythm])[0]
    return day * DAY - origin_seconds - int(tz * HOUR) + hour * HOUR + rng.randrange(HOUR)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _seconds_into_day(origin: datetime) -> int:
    return origin.hour * HOUR + origin.minute * 60 + origin.second


def _signup_at(timeline: Timeline, created_at: str) -> int:
    created = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return int((created - timeline.origin).total_seconds())


def _old_model(rng: random.Random) -> str:
    return MODELS[0] if rng.random() < 0.7 else MODELS[1]


def _event(
    signup: SimulatedSignup,
    n: int,
    t: int,
    timeline: Timeline,
    *,
    ip: str,
    model: str,
    prompt: str,
    tools: int,
    output: int,
    agent: str,
    campaign: str | None,
) -> SimulatedEvent:
    account_id = signup.payload["account_id"]
    payload = {
        "event_id": f"{account_id}-u{n}",
        "account_id": account_id,
        "timestamp": (timeline.origin + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ip": ip,
        "model": model,
        "input_tokens": max(1, int(len(prompt) / 4)),
        "output_tokens": max(1, output),
        "prompt": prompt,
        "tool_calls": tools,
        "user_agent": agent,
    }
    return SimulatedEvent(at=t, payload=payload, campaign=campaign)
