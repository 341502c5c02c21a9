"""Replay a simulated population through the public API in event time and report detection, clusters and tiers."""

import json
import time
from dataclasses import asdict
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from riskscore import registry
from riskscore.models import ModelVersion
from riskscore.replay import ReplaySettings, replay
from riskscore.replay.camouflage import camouflage_case
from riskscore.replay.summary import summary


class Command(BaseCommand):
    help = "Send a simulated world in time order through the HTTP API (EMPTY database) and report what it caught."

    def add_arguments(self, parser):
        defaults = ReplaySettings()
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--accounts", type=int, default=defaults.accounts)
        parser.add_argument("--start", default=defaults.start.isoformat())
        parser.add_argument("--days", type=int, default=defaults.days)
        parser.add_argument("--scale", type=float, default=defaults.scale, help="usage volume per persona")
        parser.add_argument("--detect-every-hours", type=float, default=defaults.detect_every_hours)
        parser.add_argument("--label-share", type=float, default=defaults.label_share)
        parser.add_argument("--label-delay-hours", type=float, default=defaults.label_delay_hours)
        parser.add_argument("--no-limits", action="store_true", help="the gateway refuses only blocked accounts")
        parser.add_argument(
            "--monitor-only",
            action="store_true",
            help="the gateway records tiers but serves every request (detection, analysts and scoring unchanged)",
        )
        parser.add_argument("--no-camouflage", action="store_true", help="skip the camouflage case after the replay")
        parser.add_argument("--output", help="also write the report to this JSON file")

    def handle(self, *args, **options):
        if Account.objects.exists():
            raise CommandError("replay needs an empty database: set RISKSCORE_VAR_DIR or DATABASE_URL to a scratch one")
        for kind in ModelVersion.Kind.values:
            registry.install_baseline(kind)
        settings = ReplaySettings(
            seed=options["seed"],
            accounts=options["accounts"],
            start=datetime.fromisoformat(options["start"].replace("Z", "+00:00")),
            days=options["days"],
            scale=options["scale"],
            detect_every_hours=options["detect_every_hours"],
            label_share=options["label_share"],
            label_delay_hours=options["label_delay_hours"],
            apply_limits=not options["no_limits"],
            enforce=not options["monitor_only"],
        )
        started = time.perf_counter()
        report = replay(settings, progress=self.stdout.write)
        report["replay_seconds"] = round(time.perf_counter() - started)
        if not options["no_camouflage"]:
            # After the report, through the API too: its accounts are not the simulator's, its runs its own.
            report["clusters"]["camouflage_case"] = asdict(camouflage_case(seed=settings.seed))
        if options["output"]:
            with open(options["output"], "w") as handle:
                handle.write(json.dumps(report, indent=2) + "\n")
        self.stdout.write("\n" + summary(report))
