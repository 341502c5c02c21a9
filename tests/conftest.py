"""Shared test fixtures: API clients with keys of each scope, an active model, signup payloads."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.auth import create_api_key
from riskscore import policy, registry
from tests.builders import next_id


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    registry.active_models.clear()
    policy.current_policy.clear()
    yield
    registry.active_models.clear()
    policy.current_policy.clear()


@pytest.fixture
def baseline(db):
    return registry.install_baseline("signup")


def client_with_scopes(*scopes: str) -> APIClient:
    _, raw_key = create_api_key(name=f"test-{'-'.join(scopes)}-{next_id()}", scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


@pytest.fixture
def admin_client(db, baseline) -> APIClient:
    return client_with_scopes("admin")


@pytest.fixture
def signup_client(db, baseline) -> APIClient:
    return client_with_scopes("signup")


@pytest.fixture
def read_client(db, baseline) -> APIClient:
    return client_with_scopes("read")
