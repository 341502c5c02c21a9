"""Install the shipped baseline models and the default policy, so a fresh install scores from its first request."""

from django.core.management.base import BaseCommand

from riskscore import registry
from riskscore.models import ModelVersion


class Command(BaseCommand):
    help = "Activate each shipped baseline model (signup, account) whose kind has no active model (--force: all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="activate the shipped baselines even if other models are active"
        )

    def handle(self, *args, force: bool, **options):
        for kind in ModelVersion.Kind.values:
            model = registry.install_baseline(kind, force=force)
            if model is None:
                self.stdout.write(f"a {kind} model is already active; baseline not needed")
            else:
                self.stdout.write(f"activated baseline model {model.version}")
