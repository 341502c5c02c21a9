"""Load POST /api/v1/usage over HTTP and print events/s, request latency and the lag to each account's re-score.

Requests of 1,000 events carry ~400-word prompts from the simulator (prompt analysis on); each touches
`--accounts-per-request` accounts of the database. The lag of an event is from its request's 202 to the
first usage re-score of its account that started after it (that one includes it: re-scoring and ingest
lock the account, so a re-score that ends after the 202 read the event). Writes usage events
(ids bench-...) and re-scores into the benchmark database.
"""

from __future__ import annotations

import http.client
import json
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
REQUEST_TOKEN = b"@@REQUEST@@"


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
    body: bytes  # JSON with REQUEST_TOKEN where each request puts its own number (event ids stay unique)
    account_ids: list[str]


def build_templates(
    *, count: int, events: int, accounts: list[str], per_request: int, prompts: list[str], seed: int
) -> list[Template]:
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    templates = []
    for t in range(count):
        chosen = rng.sample(accounts, min(per_request, len(accounts)))
        batch = [
            {
                "event_id": f"bench-@@REQUEST@@-{i}",
                "account_id": chosen[i % len(chosen)],
                "timestamp": (start + timedelta(seconds=t * events + i)).isoformat().replace("+00:00", "Z"),
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
        templates.append(Template(json.dumps({"events": batch}).encode(), chosen))
    return templates


@dataclass(slots=True)
class Sent:
    template: int
    accepted_at: datetime
    seconds: float
    status: int
    accepted: int


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
        parser.add_argument("--templates", type=int, default=16, help="distinct request bodies (accounts, prompts)")
        parser.add_argument("--drain-timeout", type=float, default=180.0, help="seconds to wait for re-scores")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, base, key, duration, connections, events, accounts_per_request, templates, **options):
        accounts = list(Account.objects.order_by("?").values_list("account_id", flat=True)[:50_000])
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
        self.stdout.write(
            f"{len(bodies)} request bodies of {events} events over {accounts_per_request} accounts each "
            f"({len(bodies[0].body) / 1e6:.1f} MB; prompts {words:.0f} words); "
            f"{connections} connections, {duration:.0f} s"
        )
        run = f"{int(time.time())}"
        sent = self.load(base, key, bodies, run=run, duration=duration, connections=connections)
        elapsed = max(s.accepted_at for s in sent) - min(s.accepted_at - timedelta(seconds=s.seconds) for s in sent)
        ok = [s for s in sent if s.status == 202]
        accepted = sum(s.accepted for s in ok)
        latencies = [s.seconds * 1000 for s in ok]
        self.stdout.write(
            f"ingest: {accepted} events in {len(ok)} requests over {elapsed.total_seconds():.1f} s = "
            f"{accepted / elapsed.total_seconds():,.0f} events/s; request p50 {percentile(latencies, 50):.0f} ms, "
            f"p99 {percentile(latencies, 99):.0f} ms; non-202 answers: {len(sent) - len(ok)}"
        )
        drained_in = self.drain(options["drain_timeout"])
        self.stdout.write(
            f"re-score backlog drained {drained_in:.1f} s after the load"
            if drained_in is not None
            else "re-score backlog NOT drained within the timeout"
        )
        self.report_lag(ok, bodies)

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
                body = bodies[template].body.replace(REQUEST_TOKEN, f"{run}-{n}".encode())
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
                record = Sent(template, datetime.now(UTC), seconds, response.status, answer.get("accepted", 0))
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

    def report_lag(self, sent: list[Sent], bodies: list[Template]) -> None:
        pairs = [(account_id, s.accepted_at) for s in sent for account_id in bodies[s.template].account_ids]
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE bench_pairs (account_id text, accepted_at timestamptz)")
            cursor.executemany("INSERT INTO bench_pairs VALUES (%s, %s)", pairs)
            cursor.execute(
                """
                SELECT EXTRACT(EPOCH FROM first.scored_at - p.accepted_at)
                FROM bench_pairs p
                JOIN accounts_account a ON a.account_id = p.account_id
                LEFT JOIN LATERAL (
                    SELECT s.scored_at FROM accounts_scorerecord s
                    WHERE s.account_id = a.id AND s.trigger = %s AND s.scored_at >= p.accepted_at
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
        found = [float(lag) * 1000 for lag in lags if lag is not None]
        self.stdout.write(
            f"re-scores: {rescored} accounts over {float(span or 0):.1f} s"
            + (f" = {rescored / float(span):,.0f}/s" if span else "")
        )
        if found:
            self.stdout.write(
                f"lag from 202 to the account's re-score: p50 {percentile(found, 50):.0f} ms, "
                f"p99 {percentile(found, 99):.0f} ms, max {max(found):.0f} ms over {len(found)} (event, account) "
                f"pairs; not re-scored: {len(lags) - len(found)}"
            )
