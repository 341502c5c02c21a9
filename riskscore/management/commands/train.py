"""Train the signup model on the labelled accounts and print its held-out metrics."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record_audit
from riskscore import training


class Command(BaseCommand):
    help = "Train a signup model on labelled accounts (time-based split); store it with its metrics."

    def add_arguments(self, parser):
        parser.add_argument("--activate", action="store_true", help="make the new model active")

    def handle(self, *args, activate: bool, **options):
        try:
            model = training.train_signup_model(activate=activate)
        except training.NotEnoughLabels as exc:
            raise CommandError(str(exc)) from exc
        if activate:
            record_audit(actor="cli", action="activate_model", object_type="model", object_id=model.version)
        self.stdout.write(f"trained {model.version} ({model.status})")
        self.stdout.write(json.dumps(model.metrics, indent=2))
