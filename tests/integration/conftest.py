"""Real processes on the test database and the configured broker: `celery worker`, `celery beat`, gunicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from riskscore.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    """A local TCP port nothing listens on (a broker or database that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A child process in its own session (so SIGKILL can take its whole process group), logging to a file."""

    def __init__(self, args: list[str], *, log: Path, env: dict[str, str], ready: str):
        self.log = log
        with log.open("a") as out:
            self.popen = subprocess.Popen(
                args, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while not ready_in(log, ready) and time.monotonic() < deadline:
            if self.popen.poll() is not None:
                pytest.fail(f"{args[2:5]} exited early:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the process and its children at once, as when a machine dies."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=20)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        print(self.log.read_text()[-3000:])


def ready_in(log: Path, ready: str) -> bool:
    return ready in log.read_text() if log.exists() else False


def process_env(**overrides: str) -> dict[str, str]:
    return {
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DB_CONN_MAX_AGE": "0",
        **overrides,
    }


def start_worker(log: Path, **env: str) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "riskscore", "worker", "--pool=prefork", "--concurrency=1"]
    args += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return Process(args, log=log, env=process_env(**env), ready="ready.")


def start_beat(log: Path, **env: str) -> Process:
    schedule = log.with_suffix(".schedule")
    args = [sys.executable, "-m", "celery", "-A", "riskscore", "beat", "--loglevel=INFO", f"--schedule={schedule}"]
    return Process(args, log=log, env=process_env(**env), ready="beat: Starting")


def start_web(log: Path, **env: str) -> tuple[Process, str]:
    """gunicorn with one worker on a free port; returns it with its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "riskscore.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "1", "--log-level", "info"]
    return Process(args, log=log, env=process_env(**env), ready="Booting worker"), f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        celery_app.control.purge()
        worker = start_worker(tmp_path_factory.mktemp("worker") / "worker.log")
    yield worker.popen
    worker.stop()


def wait_for(predicate, *, timeout: float = 90, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()
