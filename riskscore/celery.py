"""The Celery app: `celery -A riskscore worker` and `celery -A riskscore beat`.

Configuration comes from Django settings (CELERY_*). The default broker is
kombu's filesystem transport under var/broker, so a real worker runs with no server.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskscore.settings")

app = Celery("riskscore")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _configure_filesystem_broker() -> None:
    from django.conf import settings

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


_configure_filesystem_broker()
from django.conf import settings  # noqa: E402 - after DJANGO_SETTINGS_MODULE is set

app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,  # job state and results are in the database (riskscore.models.Job)
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    # Don't hang the request that enqueues when the broker is down: fail fast, the periodic job catches up.
    task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
    beat_schedule={
        "rescore-awaiting-accounts": {"task": "accounts.tasks.rescore_awaiting_accounts", "schedule": 30.0},
        "detect-clusters": {
            "task": "clusters.tasks.detect_clusters_periodically",
            "schedule": float(settings.CLUSTER_DETECTION_INTERVAL_SECONDS),
        },
    },
)
app.autodiscover_tasks(["riskscore", "accounts", "clusters"])


@worker_process_init.connect
def load_models_after_fork(**_kwargs) -> None:
    """Load LightGBM boosters in each pool child, after the fork: one loaded before it can hang."""
    from riskscore import registry
    from riskscore.warmup import warm_up

    registry.active_models.clear()
    warm_up()
