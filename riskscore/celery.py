"""The Celery app: `celery -A riskscore worker` and `celery -A riskscore beat`.

Configuration comes from Django settings (CELERY_*). The default broker is
kombu's filesystem transport under var/broker, so a real worker runs with no server.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskscore.settings")

app = Celery("riskscore")
app.config_from_object("django.conf:settings", namespace="CELERY")


# Every periodic job, in one place (run by `celery -A riskscore beat`). Seconds between runs.
BEAT_SCHEDULE = {
    # Flagged accounts whose re-score was lost (a killed worker, a broker that was down) are sent again.
    "rescore-awaiting-accounts": {
        "task": "accounts.tasks.rescore_awaiting_accounts",
        "schedule": settings.RESCORE_CATCH_UP_SECONDS,
    },
    # Accounts without a score for RESCORE_STALE_AFTER_SECONDS are re-scored.
    "rescore-stale-accounts": {"task": "accounts.tasks.rescore_stale_accounts", "schedule": 600.0},
    # A training job once RETRAIN_MIN_NEW_LABELS accounts were labelled after the newest model.
    "retrain-if-due": {"task": "riskscore.tasks.retrain_if_due", "schedule": 3600.0},
    # Hydra-cluster detection over new evidence (skipped while a detection job is pending).
    "detect-clusters": {
        "task": "clusters.tasks.detect_clusters_periodically",
        "schedule": float(settings.CLUSTER_DETECTION_INTERVAL_SECONDS),
    },
}


def _configure_filesystem_broker() -> None:
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return
    folder = settings.CELERY_BROKER_FOLDER
    for sub in ("queue", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    app.conf.broker_transport_options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
    }


def _configure_redis_broker() -> None:
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return
    timeout = settings.CELERY_VISIBILITY_TIMEOUT
    app.conf.broker_transport_options = {
        # acks_late + a worker killed mid-task: the unacknowledged message comes back after this.
        "visibility_timeout": timeout,
        # Look for such messages every few seconds (kombu's default sweep is every 100 s).
        "unacked_restore_interval": max(1, min(10, timeout // 4)),
        "unacked_restore_throttle": 1,
        # A publish never waits on a broker that is down, unreachable or silent for longer than this.
        "socket_connect_timeout": settings.CELERY_BROKER_TIMEOUT,
        "socket_timeout": settings.CELERY_BROKER_TIMEOUT,
    }


_configure_filesystem_broker()
_configure_redis_broker()
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,  # job state and results are in the database (riskscore.models.Job)
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=settings.CELERY_BROKER_TIMEOUT,
    # Don't hang the request that enqueues when the broker is down: fail fast, the periodic job catches up.
    task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
    beat_schedule=BEAT_SCHEDULE,
)
app.autodiscover_tasks(["riskscore", "accounts", "clusters"])


@worker_process_init.connect
def load_models_after_fork(**_kwargs) -> None:
    """Load LightGBM boosters in each pool child, after the fork: one loaded before it can hang."""
    from riskscore import registry
    from riskscore.warmup import warm_up

    registry.active_models.clear()
    warm_up()
