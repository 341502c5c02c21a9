"""Celery tasks for enforcement: thin, idempotent (a refresh writes only what changed)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from enforcement import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def refresh_all_enforcement(cause: str = services.Cause.POLICY) -> dict:
    result = services.refresh_all(cause=cause)
    return {"evaluated": result.evaluated, "changed": result.changed}


def request_refresh_all() -> None:
    """After a policy change. If the broker is down, every account still follows the new
    policy at its next refresh, and `manage.py enforcement --refresh-all` catches up at once."""
    try:
        refresh_all_enforcement.delay()
    except BrokerError:
        logger.warning("broker unavailable: run `manage.py enforcement --refresh-all` to apply the new policy now")
