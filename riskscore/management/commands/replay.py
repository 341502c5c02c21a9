"""Replay a simulated population through the public API in time order and report how fast campaigns are caught."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from riskscore import registry
from riskscore.models import ModelVersion
from riskscore.replay import ReplaySettings, replay


class Command(BaseCommand):
    help = "Send simulated signups and usage in time order through the HTTP API (EMPTY database) and report detection."

    def add_arguments(self, parser):
        defaults = ReplaySettings()
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--accounts", type=int, default=defaults.accounts)
        parser.add_argument("--start", default=defaults.start.isoformat())
        parser.add_argument("--days", type=int, default=defaults.days)
        parser.add_argument("--scale", type=float, default=defaults.scale, help="usage volume per persona")
        parser.add_argument("--output", help="also write the report to this JSON file")

    def handle(self, *args, seed, accounts, start, days, scale, output, **options):
        if Account.objects.exists():
            raise CommandError("replay needs an empty database: set RISKSCORE_VAR_DIR or DATABASE_URL to a scratch one")
        for kind in ModelVersion.Kind.values:
            registry.install_baseline(kind)
        begin = datetime.fromisoformat(start.replace("Z", "+00:00"))
        settings = ReplaySettings(seed=seed, accounts=accounts, start=begin, days=days, scale=scale)
        result = replay(settings, progress=self.stdout.write)
        text = json.dumps(result, indent=2)
        self.stdout.write(text)
        if output:
            with open(output, "w") as handle:
                handle.write(text + "\n")
