"""Reads of accounts and their score history, named for what they ask."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.errors import NotFound
from accounts.models import Account, ScoreRecord

ACCOUNT_ORDERINGS = ("score", "created_at", "scored_at")
ACCOUNT_FILTERS = ("band", "pathway", "decision", "status", "cluster_id")


def get_account(*, account_id: str) -> Account:
    account = Account.objects.filter(account_id=account_id).first()
    if account is None:
        raise NotFound(f"no account {account_id}")
    return account


def score_history(*, account: Account) -> QuerySet[ScoreRecord]:
    return account.scores.order_by("-scored_at", "-id")


def filtered_accounts(*, filters: dict[str, str]) -> QuerySet[Account]:
    return Account.objects.filter(**{name: value for name, value in filters.items() if name in ACCOUNT_FILTERS})
