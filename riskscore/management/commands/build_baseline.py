"""Rebuild a shipped baseline model from the simulator. Run on a scratch database (see README)."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from riskscore.baseline import build_account_baseline, build_baseline


class Command(BaseCommand):
    help = "Simulate a population into an EMPTY database, train on it and write riskscore/data/baseline/."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=("signup", "account"), default="signup")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--accounts", type=int, help="default: 20,000 for signup, 5,000 for account")
        parser.add_argument("--days", type=int, help="default: 45 for signup, 28 for account")

    def handle(self, *args, kind, seed, accounts, days, **options):
        if Account.objects.exists():
            raise CommandError("build_baseline needs an empty database: set RISKSCORE_VAR_DIR to a scratch folder")
        if kind == "signup":
            meta = build_baseline(seed=seed, accounts=accounts or 20000, days=days or 45)
        else:
            meta = build_account_baseline(
                seed=seed, accounts=accounts or 5000, days=days or 28, progress=self.stdout.write
            )
        self.stdout.write(f"wrote baseline {meta['version']}")
        self.stdout.write(json.dumps(meta["metrics"], indent=2))
