"""Show the decision policy in force, or install a new version from a JSON file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record_audit
from riskscore import policy


class Command(BaseCommand):
    help = "Print the current decision policy (JSON), or --set FILE to install a new version of it."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="path", help="a JSON policy document to install")

    def handle(self, *args, path: str | None, **options):
        if path is None:
            version, document = policy.current_policy.get()
            self.stdout.write(json.dumps({"version": version, "document": document}, indent=2))
            return
        try:
            document = json.loads(Path(path).read_text())
            saved = policy.save_policy(document, actor="cli")
        except (OSError, ValueError) as exc:
            raise CommandError(f"policy not installed: {exc}") from exc
        record_audit(actor="cli", action="set_policy", object_type="policy", object_id=str(saved.version))
        self.stdout.write(f"installed policy version {saved.version}")
