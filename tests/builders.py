"""Small builders for test objects: valid signup payloads and inputs, overridable field by field."""

from __future__ import annotations

import itertools
from datetime import datetime

from riskscore.features.signup import SignupInput

_ids = itertools.count(1)


def next_id() -> int:
    return next(_ids)


def signup_payload(**overrides) -> dict:
    n = next_id()
    payload = {
        "account_id": f"acct_{n}",
        "email": f"m.lee{n}@cs.stanford.edu",
        "pathway": "education",
        "organization": "Stanford University",
        "ip": "171.64.12.7",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/125.0",
        "device_id": f"dfp_{n}",
        "payment_fingerprint": f"pmfp_{n}",
        "phone": "+14155550100",
        "country": "US",
        "created_at": "2026-03-01T12:00:00Z",
    }
    payload.update(overrides)
    return payload


def signup_input(**overrides) -> SignupInput:
    payload = signup_payload(**overrides)
    created_at = datetime.fromisoformat(payload.pop("created_at").replace("Z", "+00:00"))
    return SignupInput(created_at=created_at, **payload)
