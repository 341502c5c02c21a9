"""Show, preview or install the enforcement policy; re-evaluate every account's tier."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enforcement import policy, selectors, services


class Command(BaseCommand):
    help = (
        "Print the enforcement policy in force (JSON); --preview FILE shows how many accounts a candidate would "
        "move; --set FILE installs it and re-evaluates every account; --refresh-all re-evaluates every account."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--set", dest="set_path", help="a JSON enforcement policy to install")
        group.add_argument("--preview", dest="preview_path", help="a JSON enforcement policy to preview")
        group.add_argument("--refresh-all", action="store_true", help="re-evaluate every account now")

    def handle(self, *args, set_path=None, preview_path=None, refresh_all=False, **options):
        if preview_path:
            preview = selectors.preview_policy(document=self._read(preview_path))
            self.stdout.write(json.dumps(_as_dict(preview), indent=2))
            return
        if set_path:
            saved = services.save_enforcement_policy(document=self._read(set_path), actor="cli")
            result = services.refresh_all(cause=services.Cause.POLICY)
            self.stdout.write(
                f"installed {policy.version_name(saved.version)}; {result.changed} of {result.evaluated} accounts "
                f"changed, {result.tier_changes} changed tier"
            )
            return
        if refresh_all:
            result = services.refresh_all(cause=services.Cause.BACKFILL)
            self.stdout.write(f"{result.changed} of {result.evaluated} accounts changed, {result.tier_changes} tier")
            return
        version, document = policy.current_enforcement_policy.fresh()
        self.stdout.write(json.dumps({"policy_version": version, "document": document}, indent=2))

    def _read(self, path: str) -> dict:
        try:
            document = json.loads(Path(path).read_text())
            policy.validate(document)
        except (OSError, ValueError) as exc:
            raise CommandError(f"not a usable enforcement policy: {exc}") from exc
        return document


def _as_dict(preview: selectors.PolicyPreview) -> dict:
    return {
        "accounts": preview.accounts,
        "would_change_tier": preview.would_change_tier,
        "transitions": preview.transitions,
        "tiers_after": preview.tiers_after,
    }
