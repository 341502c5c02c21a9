"""CPU of POST /api/v1/usage in this one process: the ingest code's own cost, whatever else the machine runs.

The same 1,000-event requests with ~400-word prompts as bench_ingest, sent through Django's test client (routing,
authentication, validation, prompt analysis, the writes), one after another; re-score tasks are not sent. Prints the
best and median CPU time of a request and the events per CPU-second. Writes usage events (ids cpu-...) to the
database.
"""

from __future__ import annotations

import io
import statistics
import time
from unittest import mock

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from accounts.models import Account
from riskscore.management.commands.bench_ingest import build_templates, cpu_seconds, prompt_pool, request_body


class Command(BaseCommand):
    help = "CPU time of 1,000-event POST /api/v1/usage requests in this process (prompt analysis on)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=12, help="requests measured (after 2 to warm up)")
        parser.add_argument("--events", type=int, default=1000, help="events a request")
        parser.add_argument("--accounts-per-request", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, requests, events, accounts_per_request, seed, **options):
        accounts = list(Account.objects.order_by("pk").values_list("account_id", flat=True)[:20_000])
        if len(accounts) < accounts_per_request:
            raise CommandError(f"need {accounts_per_request}+ accounts in the database; have {len(accounts)}")
        bodies = build_templates(
            count=4,
            events=events,
            accounts=accounts,
            per_request=accounts_per_request,
            prompts=prompt_pool(seed=seed, per_kind=30),
            seed=seed,
        )
        printed = io.StringIO()
        call_command("create_api_key", name="bench-ingest-cpu", scopes="ingest", stdout=printed)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {printed.getvalue().strip().splitlines()[-1]}")
        run = f"cpu-{int(time.time())}"
        backend = self.database_backend()
        seconds, database_seconds = [], []
        with mock.patch("accounts.api.request_rescores"):
            for request in range(requests + 2):
                body = request_body(bodies[request % len(bodies)], run=run, request=request)
                started, database_started = time.process_time(), backend and cpu_seconds([backend])
                response = client.post("/api/v1/usage", data=body, content_type="application/json")
                if response.status_code != 202:
                    raise CommandError(f"answer {response.status_code}: {response.content[:300]!r}")
                seconds.append(time.process_time() - started)
                if backend:
                    database_seconds.append(cpu_seconds([backend]) - database_started)
        measured = seconds[2:]  # the first requests also load code and compile the prompt rules
        best, median = min(measured), statistics.median(measured)
        self.stdout.write(
            f"{len(measured)} requests of {events} events: CPU a request best {best * 1000:.0f} ms, median "
            f"{median * 1000:.0f} ms = {events / median:,.0f} events per CPU-second (median)"
        )
        if backend:
            database = database_seconds[2:]  # in clock ticks (10 ms): the mean says more than the best
            self.stdout.write(f"PostgreSQL backend's CPU a request: mean {statistics.mean(database) * 1000:.0f} ms")

    def database_backend(self) -> int | None:
        """The pid of this process's PostgreSQL backend when PostgreSQL runs on this machine, else None."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        try:
            cpu_seconds([pid])
        except OSError:
            return None
        return pid
