"""Benchmark helpers for enforcement and indicator export (driven by scripts/bench_enforcement.sh).

--prepare   bulk-load a population (bench_e_* accounts) and a confirmed campaign of --campaign members
            (bench_c_*), give every account its enforcement, and time the campaign's indicator export;
--feed      against a running server: ban accounts one at a time while a gateway follows the change
            feed and usage ingest runs, and print how long each ban took to appear in the feed.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account, IdentifierKind, IdentifierSighting, Label
from clusters.models import Cluster
from enforcement.services import Cause, refresh_all
from intel.export import export_bundle
from riskscore.features import reference
from riskscore.features.identifiers import identifier_key

CLUSTER_ID = "cl_bench_campaign"
START = datetime(2026, 2, 1, tzinfo=UTC)


def _account(account_id: str, n: int, *, email: str, ip: str, card: str, device: str, **extra) -> Account:
    created = START + timedelta(seconds=97 * n)
    return Account(
        account_id=account_id,
        pathway=extra.pop("pathway", "education"),
        email=email,
        email_normalized=email,
        ip=ip,
        device_id=device,
        payment_fingerprint=card,
        created_at=created,
        score=extra.pop("score", 0.05),
        band=extra.pop("band", "low"),
        decision="allow",
        model_version="bench",
        scored_at=created,
        **extra,
    )


def _sightings(accounts: list[Account]) -> list[IdentifierSighting]:
    rows = []
    for a in accounts:
        for kind, value in (
            (IdentifierKind.PAYMENT_FINGERPRINT, a.payment_fingerprint),
            (IdentifierKind.DEVICE_ID, a.device_id),
            (IdentifierKind.EMAIL_DOMAIN, a.email.rpartition("@")[2]),
            (IdentifierKind.IP_PREFIX, reference.ip_prefix(a.ip)),
        ):
            rows.append(
                IdentifierSighting(kind=kind, value_key=identifier_key(kind, value), account=a, seen_at=a.created_at)
            )
    return rows


class Command(BaseCommand):
    help = "Prepare the enforcement benchmark's population and time the export, or measure ban-to-feed latency."

    def add_arguments(self, parser):
        parser.add_argument("--prepare", action="store_true")
        parser.add_argument("--accounts", type=int, default=20000)
        parser.add_argument("--campaign", type=int, default=10000)
        parser.add_argument("--feed", action="store_true")
        parser.add_argument("--base", default="http://127.0.0.1:8023")
        parser.add_argument("--key", default="")
        parser.add_argument("--bans", type=int, default=200)

    def handle(self, *args, **o):
        if o["prepare"]:
            self.prepare(accounts=o["accounts"], campaign=o["campaign"])
        if o["feed"]:
            self.feed_latency(base=o["base"], key=o["key"], bans=o["bans"])

    def prepare(self, *, accounts: int, campaign: int) -> None:
        rng = random.Random(7)
        have = Account.objects.filter(account_id__startswith="bench_e_").count()
        batch = []
        for n in range(have, accounts):
            campus = rng.random() < 0.3
            batch.append(
                _account(
                    f"bench_e_{n}",
                    n,
                    email=f"user{n}@{'cs.stanford.edu' if campus else 'example-' + str(n % 3000) + '.com'}",
                    ip=f"171.64.{n % 8}.{n % 250 + 1}" if campus else f"73.{n % 250}.{(n // 250) % 250}.{n % 200 + 1}",
                    card=f"card_e_{n}",
                    device=f"dev_e_{n}",
                )
            )
        members = []
        if not Cluster.objects.filter(cluster_id=CLUSTER_ID).exists():
            for n in range(campaign):
                members.append(
                    _account(
                        f"bench_c_{n}",
                        n,
                        email=f"grader{n}@rubric-farm-{n % 5}.io",
                        ip=f"45.142.{n % 40}.{n % 250 + 1}",
                        card=f"pool_card_{n % 200}",
                        device=f"farm_device_{n % 400}",
                        pathway="research",
                        score=0.9,
                        band="critical",
                        cluster_id=CLUSTER_ID,
                        label=Label.ABUSIVE if n % 10 == 0 else None,
                    )
                )
        started = time.perf_counter()
        with transaction.atomic():
            created = Account.objects.bulk_create(batch + members, batch_size=2000)
            IdentifierSighting.objects.bulk_create(_sightings(created), batch_size=5000)
            if members:
                Cluster.objects.create(
                    cluster_id=CLUSTER_ID,
                    score=0.97,
                    band="critical",
                    size=campaign,
                    first_seen=START,
                    last_seen=START + timedelta(days=30),
                    changed_at=timezone.now(),
                )
        self.stdout.write(f"loaded {len(created)} accounts in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        result = refresh_all(cause=Cause.BACKFILL)
        self.stdout.write(f"enforcement for {result.evaluated} accounts in {time.perf_counter() - started:.1f}s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        reference.warm_up()  # as every server process does before its first request
        size = Account.objects.filter(cluster_id=CLUSTER_ID).count()
        started = time.perf_counter()
        bundle = export_bundle(since=None)
        took = time.perf_counter() - started
        indicators = sum(1 for o in bundle["objects"] if o["type"] == "indicator")
        self.stdout.write(f"export: campaign of {size} accounts, {indicators} indicators, {took:.2f}s")

    def feed_latency(self, *, base: str, key: str, bans: int) -> None:
        url = urllib.parse.urlparse(base)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

        def call(conn, method, path, body=None):
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")

        def connect():
            return http.client.HTTPConnection(url.hostname, url.port, timeout=30)

        gateway = connect()
        cursor, more = "", True
        while more:  # catch up with the feed, as a gateway that has been following it would have
            status, page = call(
                gateway, "GET", "/api/v1/enforcement?page_size=1000" + (f"&since={cursor}" if cursor else "")
            )
            cursor, more = page["cursor"], page["more"]
        seen: dict[str, float] = {}
        stop = threading.Event()

        def follow():
            nonlocal cursor
            conn = connect()
            while not stop.is_set():
                _, page = call(conn, "GET", f"/api/v1/enforcement?page_size=1000&since={cursor}")
                now = time.perf_counter()
                for row in page["results"]:
                    seen.setdefault(row["account_id"], now)
                cursor = page["cursor"]

        ingested = [0]

        def ingest():
            conn, n = connect(), 0
            while not stop.is_set():
                events = [
                    {
                        "event_id": f"benchfeed-{time.time_ns()}-{i}",
                        "account_id": f"bench_e_{(n * 100 + i) % 1000}",
                        "timestamp": "2026-03-01T12:00:00Z",
                        "ip": "73.1.2.3",
                        "model": "m",
                        "input_tokens": 100,
                        "output_tokens": 200,
                        "prompt": "Think step by step and show all your reasoning before the answer.",
                    }
                    for i in range(100)
                ]
                status, _ = call(conn, "POST", "/api/v1/usage", {"events": events})
                ingested[0] += 100 if status == 202 else 0
                n += 1

        threads = [threading.Thread(target=follow), threading.Thread(target=ingest)]
        for thread in threads:
            thread.start()
        targets = list(
            Account.objects.filter(account_id__startswith="bench_e_", status="active")
            .order_by("?")
            .values_list("account_id", flat=True)[:bans]
        )
        banned_at: dict[str, float] = {}
        conn = connect()
        started = time.perf_counter()
        for account_id in targets:
            status, _ = call(conn, "POST", f"/api/v1/accounts/{account_id}/decisions", {"action": "ban", "label": None})
            banned_at[account_id] = time.perf_counter()
            time.sleep(0.02)
        deadline = time.perf_counter() + 10
        while len(set(banned_at) & set(seen)) < len(banned_at) and time.perf_counter() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join()
        latencies = sorted(max(0.0, seen[a] - banned_at[a]) * 1000 for a in banned_at if a in seen)
        missing = len(banned_at) - len(latencies)
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        self.stdout.write(
            f"ban -> change feed: {len(latencies)} bans, p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms, "
            f"max {latencies[-1]:.1f} ms, never seen {missing}; usage ingested meanwhile: "
            f"{ingested[0] / elapsed:.0f} events/s"
        )
        # Put the banned accounts back, so the next run starts from the same population.
        Account.objects.filter(account_id__in=targets).update(status="active")
        refresh_all(cause=Cause.BACKFILL)
