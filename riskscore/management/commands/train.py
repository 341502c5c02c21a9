"""Train the signup model and the account model on the labelled accounts and print their held-out metrics."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record_audit
from riskscore import training


class Command(BaseCommand):
    help = "Train the signup and account models on labelled accounts (time-based split); store them with metrics."

    def add_arguments(self, parser):
        parser.add_argument("--activate", action="store_true", help="make the new models active")

    def handle(self, *args, activate: bool, **options):
        try:
            models, skipped = training.train_models(activate=activate)
        except training.NotEnoughLabels as exc:
            raise CommandError(str(exc)) from exc
        for model in models:
            if activate:
                record_audit(actor="cli", action="activate_model", object_type="model", object_id=model.version)
            self.stdout.write(f"trained {model.version} ({model.status})")
            self.stdout.write(json.dumps(model.metrics, indent=2))
        for kind, reason in skipped.items():
            self.stdout.write(f"no {kind} model trained: {reason}")
