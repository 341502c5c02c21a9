"""The replay loop: a simulated world sent through the public HTTP API in event-time order.

Four outside actors, each with its own API key: the signup flow (`POST /api/v1/signups`), the
gateway (serves or refuses each request by the enforcement it follows, and ships the served ones
in batches of at most 1,000 events and BATCH_SPAN of event time), the analysts (labels and bans
some hours after signup) and an operator who runs cluster detection every few hours of event
time (`POST /api/v1/clusters/detect`). Celery runs eagerly, so each batch is re-scored and each
detection job finishes before the next request: figures measure the models and the policy, not
how busy a worker was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.test import Client

from accounts.auth import create_api_key
from riskscore.celery import app as celery_app
from riskscore.replay.analysts import Analysts
from riskscore.replay.gateway import Gateway
from riskscore.simulator import SimulatedSignup, simulate_signups
from riskscore.simulator.usage import SimulatedEvent, UsagePlan, simulate_usage

BATCH_SPAN = timedelta(hours=1)
MAX_BATCH = 1000
FLAGGED_CLUSTER_BANDS = ("high", "critical")


@dataclass(frozen=True)
class ReplaySettings:
    seed: int = 7
    accounts: int = 3000
    start: datetime = datetime.fromisoformat("2026-04-06T00:00:00+00:00")
    days: int = 21
    scale: float = 0.1
    detect_every_hours: float = 3.0
    label_share: float = 0.3
    label_delay_hours: float = 48.0
    apply_limits: bool = True
    enforce: bool = True  # False: the gateway only records tiers and serves everything

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


@dataclass(slots=True)
class ReplayRecord:
    """What the replay saw from outside, for the report."""

    settings: ReplaySettings
    signups: list[SimulatedSignup]
    events: list[SimulatedEvent]
    gateway: Gateway
    analysts: Analysts
    operator: Client  # runs detection and reads clusters
    signup_flow: Client
    cluster_flagged_at: dict[str, datetime] = field(default_factory=dict)  # first run finding it in a flagged cluster
    detection_seconds: list[float] = field(default_factory=list)


def client_for(name: str, scopes: list[str]) -> Client:
    _, key = create_api_key(name=name, scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def run_replay(settings: ReplaySettings, *, progress: Callable[[str], object] = lambda _: None) -> ReplayRecord:
    signups = simulate_signups(seed=settings.seed, accounts=settings.accounts, start=settings.start, days=settings.days)
    events = simulate_usage(
        seed=settings.seed, signups=signups, start=settings.start, days=settings.days, plan=UsagePlan(settings.scale)
    )
    progress(f"simulated {len(signups)} signups and {len(events)} usage events")
    record = new_record(settings, signups, events)
    play(record, progress=progress)
    return record


def new_record(
    settings: ReplaySettings, signups: list[SimulatedSignup], events: list[SimulatedEvent], *, actors: str = "replay"
) -> ReplayRecord:
    """A replay of these signups and events by the four actors, each with a new API key named `{actors}-...`."""
    return ReplayRecord(
        settings=settings,
        signups=signups,
        events=events,
        gateway=Gateway(
            client_for(f"{actors}-gateway", ["ingest", "read"]),
            apply_limits=settings.apply_limits,
            enforce=settings.enforce,
        ),
        analysts=Analysts.sampling(
            client_for(f"{actors}-analysts", ["review"]),
            signups,
            seed=settings.seed,
            share=settings.label_share,
            delay=timedelta(hours=settings.label_delay_hours),
        ),
        operator=client_for(f"{actors}-operator", ["admin"]),
        signup_flow=client_for(f"{actors}-signup-flow", ["signup"]),
    )


def play(record: ReplayRecord, *, progress: Callable[[str], object] = lambda _: None) -> None:
    """Send the record's signups and events through the API in event-time order, tasks run eagerly."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    # An eager task logs every success at INFO: a hundred thousand lines that say nothing.
    task_log = logging.getLogger("celery.app.trace")
    level = task_log.level
    task_log.setLevel(logging.WARNING)
    try:
        _Loop(record, progress).run()
    finally:
        celery_app.conf.task_always_eager = eager
        task_log.setLevel(level)


class _Loop:
    def __init__(self, record: ReplayRecord, progress: Callable[[str], object]):
        self.record = record
        self.progress = progress
        self.signup_flow = record.signup_flow
        self.operator = record.operator
        self.gateway = record.gateway
        self.analysts = record.analysts
        self.batch: list[dict] = []
        self.batch_end = record.settings.start
        self.step = timedelta(hours=record.settings.detect_every_hours)
        self.next_detection = record.settings.start + self.step
        self.sent = 0

    def run(self) -> None:
        stream = sorted(
            [(s.payload["created_at"], 0, s.payload) for s in self.record.signups]
            + [(e.payload["timestamp"], 1, e.payload) for e in self.record.events],
            key=lambda item: (item[0], item[1]),
        )
        for text, kind, payload in stream:
            at = _parse(text)
            while self.next_detection <= at:
                self._detect(at=self.next_detection)
            if self.analysts.work(now=at):
                self.gateway.follow(now=at)
            if self.batch and (len(self.batch) == MAX_BATCH or at >= self.batch_end):
                self._ship(now=at)
            if kind == 0:
                _post(self.signup_flow, "/api/v1/signups", payload)
                self.analysts.signed_up(payload["account_id"], at=at)
                self.gateway.follow(now=at)
            elif self.gateway.serve(payload, at=at):
                if not self.batch:
                    self.batch_end = at + BATCH_SPAN
                self.batch.append(payload)
        end = self.record.settings.end
        self.analysts.work(now=end)
        while self.next_detection <= end:
            self._detect(at=self.next_detection)
        if self.next_detection - self.step < end:
            self._detect(at=end)

    def _ship(self, *, now: datetime) -> None:
        self.sent += _post(self.gateway.client, "/api/v1/usage", {"events": self.batch})["accepted"]
        self.batch = []
        self.gateway.follow(now=now)

    def _detect(self, *, at: datetime) -> None:
        """Evidence up to `at` is in; one detection run, then who is in a flagged cluster (through the API)."""
        if self.batch:
            self._ship(now=at)
        job_id = _post(self.operator, "/api/v1/clusters/detect", {})["job_id"]
        job = get_json(self.operator, f"/api/v1/jobs/{job_id}")
        if job["status"] != "succeeded":
            raise RuntimeError(f"detection job {job_id} {job['status']}: {job['error']}")
        self.record.detection_seconds.append(job["result"].get("seconds", 0.0))
        for band in FLAGGED_CLUSTER_BANDS:
            for cluster in _pages(self.operator, f"/api/v1/clusters?band={band}&page_size=1000"):
                for account_id in cluster["member_ids"]:
                    self.record.cluster_flagged_at.setdefault(account_id, at)
        self.gateway.follow(now=at)
        runs = len(self.record.detection_seconds)
        if runs % 10 == 0:
            self.progress(f"  {at:%Y-%m-%d %H:%M}: {self.sent} events sent, {runs} detection runs")
        self.next_detection += self.step


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _post(client: Client, path: str, body: dict) -> dict:
    response = client.post(path, body, content_type="application/json")
    if response.status_code not in (200, 201, 202):
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def get_json(client: Client, path: str) -> dict:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _pages(client: Client, path: str):
    while path:
        page = get_json(client, path)
        yield from page["results"]
        path = _local(page["next"]) if page["next"] else None


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
