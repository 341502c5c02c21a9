"""Activating a model by training it leaves an audit entry, like any other activation."""

from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command

from accounts.models import AuditEntry
from riskscore.models import ModelVersion
from riskscore.simulation import load_simulated_signups
from riskscore.simulator import simulate_signups
from riskscore.tasks import _train


def _labelled_population():
    load_simulated_signups(simulate_signups(seed=5, accounts=240, start=datetime(2026, 1, 5, tzinfo=UTC), days=10))


def test_train_with_activate_from_the_command_line_is_audited(baseline):
    _labelled_population()
    call_command("train", activate=True, stdout=StringIO())
    active = ModelVersion.objects.get(status="active")
    entry = AuditEntry.objects.get(action="activate_model")
    assert (entry.object_id, entry.actor) == (active.version, "cli")


def test_a_training_job_that_activates_records_who_asked(baseline):
    _labelled_population()
    _train({"activate": True, "actor": "key:ops"})
    entry = AuditEntry.objects.get(action="activate_model")
    assert (entry.object_id, entry.actor) == (ModelVersion.objects.get(status="active").version, "key:ops")
