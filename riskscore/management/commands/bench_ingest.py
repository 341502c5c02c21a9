"""Load POST /api/v1/usage over HTTP and print events/s, request latency and the lag to each account's re-score.

Requests of 1,000 events carry ~400-word prompts from the simulator (prompt analysis on); each touches
`--accounts-per-request` accounts of the database. Event times grow from request to request, so the lag of
an event is from its request's 202 to the first re-score of its account whose evidence_through reaches it.
Writes usage events (ids bench-...) and re-scores into the benchmark database.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import statistics
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Account, Trigger
from riskscore.simulator.prompts import KINDS, generate_prompts

PROMPT_WORDS = 400


def prompt_pool(*, seed: int, per_kind: int) -> list[str]:
    """~400-word prompts of every kind (benign and campaign), simulator prompts joined to reach the length."""
    rng = random.Random(seed)
    pool = []
    for kind in KINDS:
        for _ in range(per_kind):
            words: list[str] = []
            while len(words) < PROMPT_WORDS:
                words += " ".join(generate_prompts(rng, kind, 3)).split(" ")
            pool.append(" ".join(words[:PROMPT_WORDS]))
    return pool


@dataclass(frozen=True, slots=True)
class Template:
    events: list[dict]  # without event_id and timestamp: each request sets its own
    last_index: dict[str, int]  # account id -> index of its last event in the request
    # The JSON body cut around each event's id and time: a request's body is these pieces joined with its own ids
    # and times, so the load generator never serialises 2.7 MB during the run (that took a core's share of CPU).
    pieces: list[bytes]


START = datetime(2026, 3, 1, tzinfo=UTC)


def build_templates(
    *, count: int, events: int, accounts: list[str], per_request: int, prompts: list[str], seed: int
) -> list[Template]:
    rng = random.Random(seed)
    templates = []
    for _ in range(count):
        chosen = rng.sample(accounts, min(per_request, len(accounts)))
        batch = [
            {
                "account_id": chosen[i % len(chosen)],
                "ip": f"198.51.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                "model": rng.choice(("frontier-large-2026-02", "frontier-small-2026-01")),
                "input_tokens": rng.randint(300, 900),
                "output_tokens": rng.randint(100, 4000),
                "prompt": rng.choice(prompts),
                "tool_calls": rng.choice((0, 0, 0, 2, 5)),
                "user_agent": "python-httpx/0.27",
            }
            for i in range(events)
        ]
        templates.append(Template(batch, {event["account_id"]: i for i, event in enumerate(batch)}, _pieces(batch)))
    return templates


def event_time(request: int, index: int, *, events: int) -> datetime:
    """Event times grow request after request, so a re-score's evidence_through tells which requests it covers."""
    return START + timedelta(seconds=request * events + index)


_CUT = "\x00cut\x00"  # where an event's id or time goes; JSON escapes it, so it cannot occur in the data


def _pieces(events: list[dict]) -> list[bytes]:
    marked = [{**event, "event_id": _CUT, "timestamp": _CUT} for event in events]
    return [piece.encode() for piece in json.dumps({"events": marked}).split(json.dumps(_CUT))]


def request_body(template: Template, *, run: str, request: int) -> bytes:
    """The template's body with this request's unique event ids and growing event times."""
    events = len(template.events)
    start = event_time(request, 0, events=events)
    times = [(start + timedelta(seconds=i)).strftime('"%Y-%m-%dT%H:%M:%SZ"') for i in range(events)]
    ids = [f'"bench-{run}-{request}-{i}"' for i in range(events)]
    values = [value for pair in zip(ids, times, strict=True) for value in pair]
    body = [template.pieces[0]]
    for piece, value in zip(template.pieces[1:], values, strict=True):
        body += (value.encode(), piece)
    return b"".join(body)


@dataclass(slots=True)
class Sent:
    request: int
    template: int
    accepted_at: datetime
    seconds: float
    status: int
    accepted: int


def pids(text: str) -> list[int]:
    return [int(pid) for pid in text.split(",") if pid.strip()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def database_backends() -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving this database (not this process's own), by pid: the
    server's side of the inserts and upserts. Readable when PostgreSQL runs on this machine, else empty."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    found = {}
    for pid in backends:
        with contextlib.suppress(OSError):  # gone, or another machine's
            found[pid] = cpu_seconds([pid])
    return found


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


class Command(BaseCommand):
    help = "Load POST /api/v1/usage (1,000-event requests, ~400-word prompts); print events/s, latency and lag."

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8077")
        parser.add_argument("--key", required=True, help="an API key with the ingest scope")
        parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
        parser.add_argument("--connections", type=int, default=2, help="requests in flight at once")
        parser.add_argument("--events", type=int, default=1000, help="events a request")
        parser.add_argument("--accounts-per-request", type=int, default=200)
        parser.add_argument(
            "--accounts",
            type=int,
            default=50_000,
            help="accounts the requests draw from (at most): fewer touch each account as often as more accounts "
            "would at a higher request rate",
        )
        parser.add_argument("--templates", type=int, default=16, help="distinct request bodies (accounts, prompts)")
        parser.add_argument("--drain-timeout", type=float, default=180.0, help="seconds to wait for re-scores")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--web-pids", default="", help="comma-separated web worker pids: report their CPU time")
        parser.add_argument("--worker-pids", default="", help="comma-separated Celery pool pids: their CPU time")

    def handle(self, *args, base, key, duration, connections, events, accounts_per_request, templates, **options):
        accounts = list(Account.objects.order_by("?").values_list("account_id", flat=True)[: options["accounts"]])
        if len(accounts) < accounts_per_request:
            raise CommandError(f"need {accounts_per_request}+ accounts in the database; have {len(accounts)}")
        prompts = prompt_pool(seed=options["seed"], per_kind=30)
        bodies = build_templates(
            count=templates,
            events=events,
            accounts=accounts,
            per_request=accounts_per_request,
            prompts=prompts,
            seed=options["seed"],
        )
        words = statistics.mean(len(p.split()) for p in prompts)
        size = len(request_body(bodies[0], run="size", request=0)) / 1e6
        self.stdout.write(
            f"{len(bodies)} request templates of {events} events over {accounts_per_request} accounts each, drawn "
            f"from {len(accounts):,} accounts "
            f"({size:.1f} MB; prompts {words:.0f} words); "
            f"{connections} connections, {duration:.0f} s"
        )
        run = f"{int(time.time())}"
        web_pids, worker_pids = pids(options["web_pids"]), pids(options["worker_pids"])
        web_cpu, worker_cpu = cpu_seconds(web_pids), cpu_seconds(worker_pids)
        measure_database = connection.vendor == "postgresql"
        database_cpu = database_backends() if measure_database else {}
        own_cpu = time.process_time()
        sent = self.load(base, key, bodies, run=run, duration=duration, connections=connections)
        web_cpu = cpu_seconds(web_pids) - web_cpu
        own_cpu = time.process_time() - own_cpu
        database_cpu = sum(cpu - database_cpu.get(pid, 0.0) for pid, cpu in database_backends().items())
        elapsed = max(s.accepted_at for s in sent) - min(s.accepted_at - timedelta(seconds=s.seconds) for s in sent)
        ok = [s for s in sent if s.status == 202]
        accepted = sum(s.accepted for s in ok)
        latencies = [s.seconds * 1000 for s in ok]
        self.stdout.write(
            f"ingest: {accepted} events in {len(ok)} requests over {elapsed.total_seconds():.1f} s = "
            f"{accepted / elapsed.total_seconds():,.0f} events/s; request p50 {percentile(latencies, 50):.0f} ms, "
            f"p99 {percentile(latencies, 99):.0f} ms; non-202 answers: {len(sent) - len(ok)}"
        )
        if web_pids:
            # The wall clock measures the neighbours too on a shared machine; CPU time is the code's own cost.
            self.stdout.write(
                f"web workers' CPU: {web_cpu:.1f} s for {accepted} events = {accepted / web_cpu:,.0f} events per "
                f"CPU-second ({1000 * web_cpu / max(len(ok), 1):.0f} ms a 1,000-event request)"
            )
        self.stdout.write(
            f"load generator's CPU (this process): {own_cpu:.1f} s ({1000 * own_cpu / max(len(sent), 1):.1f} ms a "
            "request)"
        )
        if measure_database:
            self.stdout.write(
                f"PostgreSQL backends' CPU (this database): {database_cpu:.1f} s "
                f"({1000 * database_cpu / max(len(ok), 1):.0f} ms a 1,000-event request, re-scores included)"
            )
        drained_in = self.drain(options["drain_timeout"])
        self.stdout.write(
            f"re-score backlog drained {drained_in:.1f} s after the load"
            if drained_in is not None
            else "re-score backlog NOT drained within the timeout"
        )
        rescored = self.report_lag(ok, bodies)
        if worker_pids and rescored:
            worker_cpu = cpu_seconds(worker_pids) - worker_cpu
            self.stdout.write(
                f"Celery worker's CPU: {worker_cpu:.1f} s for {rescored} re-scores = "
                f"{rescored / worker_cpu:,.0f} re-scores per CPU-second"
            )

    def load(self, base, key, bodies, *, run, duration, connections) -> list[Sent]:
        target = urlsplit(base)
        sent: list[Sent] = []
        counter = iter(range(10**9))
        lock = threading.Lock()
        deadline = time.monotonic() + duration

        def client():
            while time.monotonic() < deadline:
                with lock:
                    n = next(counter)
                template = n % len(bodies)
                body = request_body(bodies[template], run=run, request=n)
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                started = time.perf_counter()
                conn.request(
                    "POST",
                    "/api/v1/usage",
                    body=body,
                    headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
                )
                response = conn.getresponse()
                answer = json.loads(response.read())
                seconds = time.perf_counter() - started
                conn.close()
                record = Sent(n, template, datetime.now(UTC), seconds, response.status, answer.get("accepted", 0))
                with lock:
                    sent.append(record)

        threads = [threading.Thread(target=client) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sent

    def drain(self, timeout: float) -> float | None:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if not Account.objects.filter(rescore_requested_at__isnull=False).exists():
                return time.monotonic() - started
            time.sleep(0.5)
        return None

    def report_lag(self, sent: list[Sent], bodies: list[Template]) -> int:
        """For each (request, account): the first re-score whose evidence_through reaches the account's last event
        in that request. One that finished before the client read the 202 counts as no lag."""
        pairs = [
            (account_id, s.accepted_at, event_time(s.request, last, events=len(bodies[s.template].events)))
            for s in sent
            for account_id, last in bodies[s.template].last_index.items()
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_pairs (account_id text, accepted_at timestamptz, needed timestamptz)"
            )
            cursor.executemany("INSERT INTO bench_pairs VALUES (%s, %s, %s)", pairs)
            cursor.execute(
                """
                SELECT EXTRACT(EPOCH FROM first.scored_at - p.accepted_at)
                FROM bench_pairs p
                JOIN accounts_account a ON a.account_id = p.account_id
                LEFT JOIN LATERAL (
                    SELECT s.scored_at FROM accounts_scorerecord s
                    WHERE s.account_id = a.id AND s.trigger = %s AND s.evidence_through >= p.needed
                    ORDER BY s.scored_at LIMIT 1
                ) first ON true
                """,
                [Trigger.USAGE],
            )
            lags = [row[0] for row in cursor.fetchall()]
            cursor.execute("DROP TABLE bench_pairs")
            start = min(s.accepted_at - timedelta(seconds=s.seconds) for s in sent)
            cursor.execute(
                "SELECT count(*), EXTRACT(EPOCH FROM max(scored_at) - min(scored_at)) FROM accounts_scorerecord"
                " WHERE trigger = %s AND scored_at >= %s",
                [Trigger.USAGE, start],
            )
            rescored, span = cursor.fetchone()
        self.stdout.write(
            f"re-scores: {rescored} accounts over {float(span or 0):.1f} s"
            + (f" = {rescored / float(span):,.0f}/s" if span else "")
        )
        found = [max(0.0, float(lag) * 1000) for lag in lags if lag is not None]
        if found:
            before = sum(1 for lag in lags if lag is not None and lag <= 0)
            self.stdout.write(
                f"lag from 202 to the account's re-score: p50 {percentile(found, 50):.0f} ms, "
                f"p99 {percentile(found, 99):.0f} ms, max {max(found):.0f} ms over {len(found)} (request, account) "
                f"pairs ({before} re-scored before the client read the 202); never re-scored: {len(lags) - len(found)}"
            )
        return rescored
