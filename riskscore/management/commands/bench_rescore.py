"""Time batched re-scoring in one process: flag accounts, re-score them RESCORE_BATCH_SIZE at a time, print accounts/s.

This is what one Celery worker process does with re-score tasks, without the broker. Writes a
score history row per account into the benchmark database.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Account, UsageEvent
from riskscore import registry
from riskscore.rescoring import rescore_flagged


class Command(BaseCommand):
    help = "Flag --accounts accounts and re-score them in batches in-process; print accounts/s."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=5000)
        parser.add_argument("--batch", type=int, default=settings.RESCORE_BATCH_SIZE)
        parser.add_argument(
            "--with-usage", action="store_true", help="only accounts with usage events (scored by the account model)"
        )

    def handle(self, *args, accounts: int, batch: int, with_usage: bool, **options):
        registry.active_model("signup")
        chosen = Account.objects.order_by("?")
        if with_usage:
            registry.active_model("account")
            chosen = chosen.filter(pk__in=UsageEvent.objects.values("account_id"))
        pks = list(chosen.values_list("pk", flat=True)[:accounts])
        Account.objects.filter(pk__in=pks).update(rescore_requested_at=timezone.now())
        rescore_flagged(account_pks=pks[:batch])  # warm-up, not timed
        timed = pks[batch:]
        started, cpu_started = time.perf_counter(), time.process_time()
        rescored = sum(rescore_flagged(account_pks=timed[i : i + batch]) for i in range(0, len(timed), batch))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        # CPU seconds of this process alone (PostgreSQL's work is not in it): what a worker needs when the
        # machine is shared and the wall clock says as much about the neighbours as about the code.
        self.stdout.write(
            f"re-scored {rescored} accounts in {seconds:.2f} s, batches of {batch}: "
            f"{rescored / seconds:,.0f} accounts/s in one process ({rescored / cpu:,.0f} per CPU-second of it)"
        )
