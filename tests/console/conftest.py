"""Console fixtures: users of each role with logged-in clients, and accounts and clusters built directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Account, IdentifierSighting
from clusters.models import Cluster, ClusterMember
from console.services import create_console_user
from tests.builders import next_id

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def analyst(db):
    return create_console_user(username="ana", password=PASSWORD, role="analyst", actor="test")


@pytest.fixture
def console_admin(db):
    return create_console_user(username="root", password=PASSWORD, role="admin", actor="test")


@pytest.fixture
def analyst_web(analyst) -> Client:
    client = Client()
    client.force_login(analyst)
    return client


@pytest.fixture
def admin_web(console_admin) -> Client:
    client = Client()
    client.force_login(console_admin)
    return client


def make_account(**overrides) -> Account:
    n = next_id()
    fields = {
        "account_id": f"acct_{n}",
        "pathway": "education",
        "email": f"jane.doe{n}@cs.stanford.edu",
        "email_normalized": f"janedoe{n}@cs.stanford.edu",
        "organization": "Stanford University",
        "ip": "171.64.12.7",
        "user_agent": "Mozilla/5.0 Firefox/125.0",
        "device_id": f"dfp_secret_{n}",
        "payment_fingerprint": f"pmfp_secret_{n}",
        "phone": "+14155550123",
        "country": "US",
        "created_at": datetime(2026, 3, 1, 12, tzinfo=UTC),
        "score": 0.9,
        "band": "critical",
        "decision": "deny",
        "status": "suspended",
        "reasons": [
            {
                "code": "shared_payment_fingerprint",
                "description": "payment card seen on 40 other accounts in 24h",
                "weight": 1.2,
            }
        ],
        "model_version": "signup-test",
        "scored_at": timezone.now(),
    }
    fields.update(overrides)
    return Account.objects.create(**fields)


def make_cluster(
    members: list[Account], *, cluster_id: str = "cl_test", joined: list[datetime] | None = None
) -> Cluster:
    joined = joined or [account.created_at for account in members]
    cluster = Cluster.objects.create(
        cluster_id=cluster_id,
        score=0.95,
        band="critical",
        size=len(members),
        links=[{"kind": "payment_fingerprint", "accounts": len(members)}],
        first_seen=min(joined),
        last_seen=max(joined),
        changed_at=timezone.now(),
    )
    for account, at in zip(members, joined, strict=True):
        ClusterMember.objects.create(cluster=cluster, account=account, joined_at=at)
        Account.objects.filter(pk=account.pk).update(cluster_id=cluster_id)
    return cluster


def share_identifier(accounts: list[Account], *, kind: int = 1, value_key: int = 8_675_309_000_111) -> None:
    for offset, account in enumerate(accounts):
        IdentifierSighting.objects.create(
            kind=kind, value_key=value_key, account=account, seen_at=account.created_at + timedelta(seconds=offset)
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a browser fixture knows whether its test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
