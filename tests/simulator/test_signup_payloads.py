"""The simulator's output is valid input for POST /api/v1/signups, deterministic for a seed, and in time order."""

import hashlib
import ipaddress
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import phonenumbers
import pytest

from riskscore.simulator import PERSONA_KEYS, simulate_signups

START = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
DAYS = 14
PATHWAYS = {"education", "research", "startup", "standard", "enterprise"}
REQUIRED = {"account_id", "email", "pathway", "ip", "created_at"}
OPTIONAL = {"organization", "user_agent", "device_id", "payment_fingerprint", "phone", "country"}
EMAIL = re.compile(r"^[a-z0-9][a-z0-9._+-]*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
ACCOUNT_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@cache
def signups(seed: int = 11, accounts: int = 5000):
    return tuple(simulate_signups(seed=seed, accounts=accounts, start=START, days=DAYS))


def _fingerprint(items) -> str:
    return hashlib.sha256(json.dumps([s.payload for s in items], sort_keys=True).encode()).hexdigest()


def test_the_same_seed_gives_identical_signups():
    again = simulate_signups(seed=11, accounts=5000, start=START, days=DAYS)
    assert list(signups()) == again


def test_different_seeds_give_different_signups():
    other = simulate_signups(seed=12, accounts=5000, start=START, days=DAYS)
    assert _fingerprint(signups()) != _fingerprint(other)
    assert not {s.payload["account_id"] for s in signups()} & {s.payload["account_id"] for s in other}


def test_output_does_not_depend_on_the_python_hash_seed():
    script = (
        "import hashlib, json; from datetime import datetime, UTC; from riskscore.simulator import simulate_signups;"
        "s = simulate_signups(seed=5, accounts=1500, start=datetime(2026, 3, 1, tzinfo=UTC), days=7);"
        "print(hashlib.sha256(json.dumps([x.payload for x in s], sort_keys=True).encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parents[2]
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={"PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_signups_are_sorted_by_created_at():
    times = [s.payload["created_at"] for s in signups()]
    assert times == sorted(times)


def test_the_total_is_the_requested_number_of_accounts():
    assert len(signups()) == 5000


def test_account_ids_are_unique_and_valid():
    ids = [s.payload["account_id"] for s in signups()]
    assert len(set(ids)) == len(ids)
    assert all(ACCOUNT_ID.match(i) for i in ids)


def test_account_ids_have_one_shape_whatever_the_population():
    shapes = {re.sub(r"[0-9a-f]", "h", s.payload["account_id"]) for s in signups()}
    assert shapes == {"sim_hhhhhhhhhhhh"}


def test_payloads_carry_the_required_fields_and_only_contract_fields():
    for s in signups():
        assert REQUIRED <= s.payload.keys() <= REQUIRED | OPTIONAL
        assert all(isinstance(v, str) and v for v in s.payload.values())


def test_some_signups_omit_each_optional_field():
    for key in OPTIONAL:
        assert any(key not in s.payload for s in signups()), key
        assert any(key in s.payload for s in signups()), key


def test_emails_are_well_formed():
    bad = [s.payload["email"] for s in signups() if not EMAIL.match(s.payload["email"])]
    assert bad == []


def test_pathways_are_the_five_allowed_values():
    assert {s.payload["pathway"] for s in signups()} == PATHWAYS


def test_ips_are_valid_public_ipv4_or_ipv6_addresses():
    addresses = [ipaddress.ip_address(s.payload["ip"]) for s in signups()]
    assert all(a.is_global for a in addresses)
    assert {a.version for a in addresses} == {4, 6}


def test_phones_are_valid_e164_numbers():
    phones = [s.payload["phone"] for s in signups() if "phone" in s.payload]
    assert all(re.match(r"^\+[1-9]\d{6,14}$", p) for p in phones)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)


def test_countries_are_two_letter_codes():
    assert all(re.match(r"^[A-Z]{2}$", s.payload["country"]) for s in signups() if "country" in s.payload)


def test_device_and_card_fingerprints_have_their_prefixes():
    for s in signups():
        assert re.match(r"^dfp_[0-9a-f]{16}$", s.payload.get("device_id", "dfp_" + "0" * 16))
        assert re.match(r"^pmfp_[0-9a-f]{16}$", s.payload.get("payment_fingerprint", "pmfp_" + "0" * 16))


def test_created_at_is_rfc3339_utc_within_the_window():
    end = START + timedelta(days=DAYS)
    for s in signups():
        created_at = s.payload["created_at"]
        assert RFC3339_UTC.match(created_at)
        assert START <= datetime.fromisoformat(created_at.replace("Z", "+00:00")) <= end


def test_signups_spread_over_every_day_of_the_window():
    days = {s.payload["created_at"][:10] for s in signups()}
    assert len(days) >= DAYS


def test_a_start_with_microseconds_or_no_zone_stays_inside_the_window():
    start = datetime(2026, 3, 1, 8, 0, 0, 750_000)
    result = simulate_signups(seed=3, accounts=300, start=start, days=1)
    times = [datetime.fromisoformat(s.payload["created_at"].replace("Z", "+00:00")) for s in result]
    assert min(times) >= start.replace(tzinfo=UTC)
    assert max(times) <= start.replace(tzinfo=UTC) + timedelta(days=1)


def test_a_window_shorter_than_a_day_is_rejected():
    with pytest.raises(ValueError):
        simulate_signups(seed=1, accounts=10, start=START, days=0)


def test_every_persona_has_the_documented_keys():
    assert all(set(s.persona) == set(PERSONA_KEYS) for s in signups())


def test_populations_are_the_six_documented_ones():
    assert {s.population for s in signups()} == {
        "student",
        "researcher",
        "startup",
        "individual",
        "enterprise",
        "campaign",
    }
