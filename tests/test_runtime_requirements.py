"""requirements.txt alone runs the service: every distribution whose modules the service imports —
web, worker and the brokers it supports — is pinned there or required by what is pinned. The test
environment also has the development tools installed, which would hide a missing pin (kombu's Redis
transport imports `packaging` without declaring it)."""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
# What the web server, the Celery worker and beat import, including each broker transport they support.
RUNTIME_MODULES = (
    "riskscore.wsgi",
    "riskscore.celery",
    "kombu.transport.redis",
    "kombu.transport.pyamqp",
    "kombu.transport.filesystem",
    "gunicorn.app.wsgiapp",
    "celery.bin.celery",
)
# Every Python 3.11 virtualenv and the python:3.11 image carry these.
SHIPPED_WITH_PYTHON = {"pip", "setuptools"}
# Imported when present, skipped when not (try/except ImportError in celery): the test tools bring them.
OPTIONAL = {"greenlet", "pygments"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_closure() -> set[str]:
    """The distributions requirements.txt installs: its pins and, transitively, what they require."""
    wanted = [
        Requirement(line.split("#")[0].strip())
        for line in REQUIREMENTS.read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    found: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonical(requirement.name)
        if name in found:
            continue
        found.add(name)
        extras = requirement.extras or {""}
        for declared in metadata.requires(requirement.name) or []:
            dependency = Requirement(declared)
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": e}) for e in extras):
                wanted.append(dependency)
    return found


IMPORT_AND_LIST = """
import importlib, json, sys
for module in sys.argv[1:]:
    importlib.import_module(module)
print(json.dumps(sorted({name.partition('.')[0] for name in sys.modules})))
"""


def test_every_distribution_the_service_imports_is_installed_by_requirements_txt():
    # A fresh interpreter: what pytest and its plugins loaded would count otherwise.
    listed = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_LIST, *RUNTIME_MODULES],
        capture_output=True,
        text=True,
        check=True,
        cwd=REQUIREMENTS.parent,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "riskscore.settings"},
    )
    imported = json.loads(listed.stdout.strip().splitlines()[-1])
    providers = metadata.packages_distributions()
    needed = {canonical(dist) for top in imported for dist in providers.get(top, ())}
    missing = needed - pinned_closure() - SHIPPED_WITH_PYTHON - OPTIONAL
    assert not missing, f"imported at run time but not installed by requirements.txt: {sorted(missing)}"
