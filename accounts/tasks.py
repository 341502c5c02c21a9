"""Celery tasks for accounts: take ids, load fresh state, call a service; safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from riskscore import rescoring

logger = logging.getLogger(__name__)

# A re-score flagged this long ago and not started was lost (or the broker was down): send it again.
LOST_RESCORE_AFTER = timedelta(seconds=60)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def rescore_account(account_pk: int) -> None:
    rescoring.rescore_for_evidence(account_pk=account_pk)


@shared_task(acks_late=True)
def rescore_awaiting_accounts() -> int:
    """Periodic catch-up: every account still flagged for a re-score gets a task."""
    pending = rescoring.accounts_awaiting_rescore(older_than=LOST_RESCORE_AFTER)
    request_rescores(pending)
    return len(pending)


def request_rescores(account_pks: list[int]) -> None:
    """Send one re-score task per account. If the broker is down the accounts stay flagged,
    and rescore_awaiting_accounts sends them once it is back: the evidence is already stored."""
    try:
        for pk in account_pks:
            rescore_account.delay(pk)
    except BrokerError:
        logger.warning("broker unavailable: %d re-scores left to the periodic job", len(account_pks))
