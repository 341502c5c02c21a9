"""Install the shipped baseline models and the default policy, so a fresh install scores from its first request."""

from django.core.management.base import BaseCommand

from riskscore import registry


class Command(BaseCommand):
    help = "Register and activate the shipped baseline signup model if no signup model is active."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="activate the shipped baseline even if another model is active"
        )

    def handle(self, *args, force: bool, **options):
        model = registry.install_baseline("signup", force=force)
        if model is None:
            self.stdout.write("a signup model is already active; baseline not needed")
        else:
            self.stdout.write(f"activated baseline model {model.version}")
