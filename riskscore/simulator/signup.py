"""What the simulator hands out: one signup request body plus the hidden truth about who sent it.

Populations and campaigns produce drafts; generate.py turns them into SimulatedSignup once ids and times are fixed.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SimulatedSignup:
    payload: dict  # exactly the POST /api/v1/signups body; optional keys a real client would omit are absent
    population: str  # student, researcher, startup, individual, enterprise or campaign
    group: str | None  # the class, lab, startup or company; for campaign accounts the campaign id
    campaign_style: str | None  # proxy_network, card_pool, lookalike_institution, automation or replacement_waves
    wave: int | None  # for campaign accounts, the wave or batch the account was created in
    is_abusive: bool
    persona: dict  # hidden traits later usage simulation needs, see generate.PERSONA_KEYS


@dataclass(frozen=True, slots=True)
class Draft:
    at: int  # seconds after the timeline origin
    fields: dict  # the payload without account_id and created_at
    population: str
    group: str | None
    persona: dict
    campaign_style: str | None = None
    wave: int | None = None

    @property
    def is_abusive(self) -> bool:
        return self.population == "campaign"


def signup_fields(
    *,
    email: str,
    pathway: str,
    ip: str,
    organization: str | None = None,
    user_agent: str | None = None,
    device_id: str | None = None,
    payment_fingerprint: str | None = None,
    phone: str | None = None,
    country: str | None = None,
) -> dict:
    """The request body's fields, leaving out what this client did not send."""
    fields = {"email": email, "pathway": pathway, "ip": ip}
    optional = {
        "organization": organization,
        "user_agent": user_agent,
        "device_id": device_id,
        "payment_fingerprint": payment_fingerprint,
        "phone": phone,
        "country": country,
    }
    fields.update({key: value for key, value in optional.items() if value is not None})
    return fields


def persona(
    *,
    tz_offset_hours: float,
    rhythm: str,
    requests_per_day: float,
    scripted: bool,
    usage_network: str,
    extraction_share: float = 0.0,
    tenure_days: float = 90.0,
) -> dict:
    return {
        "tz_offset_hours": tz_offset_hours,
        "rhythm": rhythm,
        "requests_per_day": round(requests_per_day, 1),
        "scripted": scripted,
        "usage_network": usage_network,
        "extraction_share": round(extraction_share, 2),
        "tenure_days": round(tenure_days, 1),
    }
