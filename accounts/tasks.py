"""Celery tasks for accounts: take ids, load fresh state, call a service; safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from riskscore import rescoring

logger = logging.getLogger(__name__)

# Accounts one catch-up or stale run sends at most: a backlog is worked off over several runs.
CLAIM_LIMIT = 20_000


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=settings.RESCORE_MAX_RETRIES,
)
def rescore_accounts(account_pks: list[int]) -> int:
    """Re-score those of these accounts still flagged. After the last attempt they stay flagged: the catch-up
    job sends them again."""
    return rescoring.rescore_flagged(account_pks=account_pks)


@shared_task(acks_late=True)
def rescore_awaiting_accounts() -> int:
    """Periodic catch-up: accounts flagged for a while without a re-score get a task again."""
    pending = rescoring.claim_awaiting_rescore(
        older_than=timedelta(seconds=settings.RESCORE_LOST_AFTER_SECONDS), limit=CLAIM_LIMIT
    )
    request_rescores(pending)
    return len(pending)


@shared_task(acks_late=True)
def rescore_stale_accounts() -> int:
    """Periodic: accounts whose score is older than RESCORE_STALE_AFTER_SECONDS are flagged and re-scored."""
    stale = rescoring.claim_stale(older_than=timedelta(seconds=settings.RESCORE_STALE_AFTER_SECONDS), limit=CLAIM_LIMIT)
    request_rescores(stale)
    return len(stale)


def request_rescores(account_pks: list[int]) -> None:
    """Send the re-scores of these (newly flagged) accounts, RESCORE_BATCH_SIZE accounts a task; those re-scored on
    usage less than RESCORE_MIN_INTERVAL_SECONDS ago in tasks that wait for the rest of it. If the broker is down
    the accounts stay flagged and rescore_awaiting_accounts sends them once it is back: the evidence is already
    stored."""
    due, waiting, wait = rescoring.spaced_rescores(
        account_pks=account_pks, min_interval=settings.RESCORE_MIN_INTERVAL_SECONDS
    )
    size = settings.RESCORE_BATCH_SIZE
    try:
        for start in range(0, len(due), size):
            rescore_accounts.delay(due[start : start + size])
        for start in range(0, len(waiting), size):
            rescore_accounts.apply_async((waiting[start : start + size],), countdown=wait)
    except BrokerError:
        logger.warning("broker unavailable: %d re-scores left to the periodic job", len(account_pks))
