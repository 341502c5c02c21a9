"""Rebuild the shipped baseline model from the simulator. Run on a scratch database (see README)."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from riskscore.baseline import build_baseline


class Command(BaseCommand):
    help = "Simulate a population into an EMPTY database, train on it and write riskscore/data/baseline/."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--accounts", type=int, default=20000)
        parser.add_argument("--days", type=int, default=45)

    def handle(self, *args, seed, accounts, days, **options):
        if Account.objects.exists():
            raise CommandError("build_baseline needs an empty database: set RISKSCORE_VAR_DIR to a scratch folder")
        meta = build_baseline(seed=seed, accounts=accounts, days=days)
        self.stdout.write(f"wrote baseline {meta['version']}")
        self.stdout.write(json.dumps(meta["metrics"], indent=2))
