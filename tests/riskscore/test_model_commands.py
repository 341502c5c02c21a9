"""The models command: activate a version and roll back to the previous one."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from riskscore.models import ModelVersion
from tests.riskscore.test_registry import register_tiny


def run(*args) -> str:
    out = StringIO()
    call_command("models", *args, stdout=out)
    return out.getvalue()


def test_activate_then_rollback_restores_the_previous_model(db):
    register_tiny("m1")
    register_tiny("m2", seed=2)
    run("--activate", "m1")
    run("--activate", "m2")
    output = run("--rollback", "signup")
    assert "activated m1" in output
    assert ModelVersion.objects.get(status="active").version == "m1"


def test_rollback_without_history_is_an_error(db):
    with pytest.raises(CommandError):
        run("--rollback", "signup")
