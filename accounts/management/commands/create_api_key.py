"""Create an API key; the key is printed once, alone on the last line, and only its hash is stored."""

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record_audit
from accounts.auth import SCOPES, create_api_key


class Command(BaseCommand):
    help = "Create an API key with the given scopes and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--scopes", required=True, help=f"comma-separated, from: {', '.join(SCOPES)}")

    def handle(self, *args, name: str, scopes: str, **options):
        try:
            key, raw_key = create_api_key(name=name, scopes=[s.strip() for s in scopes.split(",") if s.strip()])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        record_audit(
            actor="cli",
            action="create_api_key",
            object_type="api_key",
            object_id=key.prefix,
            detail={"name": name, "scopes": key.scopes},
        )
        self.stdout.write(f"created key '{name}' with scopes {','.join(key.scopes)} (prefix {key.prefix})")
        self.stdout.write(raw_key)
