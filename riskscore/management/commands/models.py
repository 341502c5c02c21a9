"""List model versions, activate one, or roll back to the previously active one."""

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import record_audit
from riskscore import registry
from riskscore.models import ModelVersion


class Command(BaseCommand):
    help = "List models; --activate VERSION makes one active; --rollback KIND re-activates the previous one."

    def add_arguments(self, parser):
        parser.add_argument("--activate", metavar="VERSION")
        parser.add_argument("--rollback", metavar="KIND", choices=[kind.value for kind in ModelVersion.Kind])

    def handle(self, *args, activate: str | None, rollback: str | None, **options):
        if rollback:
            previous = registry.previous_version(rollback)
            if previous is None:
                raise CommandError(f"no previously active {rollback} model to roll back to")
            activate = previous.version
        if activate:
            if not ModelVersion.objects.filter(version=activate).exists():
                raise CommandError(f"no model {activate}")
            registry.activate(activate)
            record_audit(actor="cli", action="activate_model", object_type="model", object_id=activate)
            self.stdout.write(f"activated {activate}")
        for model in ModelVersion.objects.defer("artifact").order_by("kind", "-trained_at"):
            auc = model.metrics.get("auc")
            recall = model.metrics.get("recall_at_1pct_fpr")
            self.stdout.write(
                f"{model.kind:8} {model.status:9} {model.version:40} trained {model.trained_at:%Y-%m-%d %H:%M} "
                f"AUC {auc} recall@1%FPR {recall}"
            )
