"""Builders for indicator-sharing tests: a confirmed campaign, and partner bundles made by hand."""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings

from accounts.models import Account
from accounts.services import DecisionInput, record_decision
from tests.builders import next_id
from tests.enforcement.builders import make_cluster, new_account


def sharing_hmac(canonical: str, key: str | None = None) -> str:
    return hmac.new((key or settings.INTEL_SHARING_KEY).encode(), canonical.encode(), hashlib.sha256).hexdigest()


def pattern(kind: str, digest: str) -> str:
    return f"[x-riskscore-identifier:kind = '{kind}' AND x-riskscore-identifier:hmac_sha256 = '{digest}']"


def campaign_accounts(
    n: int = 4,
    *,
    email: str = "grader{i}.{run}@grader-labs{run}.io",
    ip: str = "77.88.{subnet}.{host}",
    **overrides,
) -> list[Account]:
    """Accounts of one campaign: a shared card and device, a custom domain, a residential proxy /24.
    `email` and `ip` are templates over {i}, {run}, {subnet} and {host}."""
    run = next_id()
    fields = {
        "pathway": "research",
        "organization": "Independent Research",
        "device_id": f"dev-farm-{run}",
        "payment_fingerprint": f"card-pool-{run}",
        "phone": "",
        **overrides,
    }
    return [
        new_account(
            email=email.format(i=i, run=run), ip=ip.format(subnet=run % 200, host=i + 10, i=i, run=run), **fields
        )
        for i in range(n)
    ]


def confirm_campaign(accounts: list[Account], *, band: str = "critical"):
    cluster = make_cluster(accounts, band=band)
    for account in accounts[:2]:
        record_decision(decision=DecisionInput(account.account_id, "abusive", "ban", "confirmed"), actor="test")
    return cluster


def indicator(kind: str, canonical: str, *, key: str | None = None, **overrides) -> dict:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid4()}",
        "created": "2026-02-01T00:00:00.000Z",
        "modified": "2026-02-01T00:00:00.000Z",
        "name": f"shared {kind}",
        "pattern": pattern(kind, sharing_hmac(canonical, key)),
        "pattern_type": "stix",
        "valid_from": "2026-02-01T00:00:00Z",
        "object_marking_refs": ["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
        **overrides,
    }


def bundle(*objects) -> dict:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}
