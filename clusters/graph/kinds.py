"""The kinds of evidence that link accounts, and how telling each is.

One place for every link kind's base weight, whether it may join a connected
component on its own (a strong kind), the time window it is bucketed by, and the
column size above which it says nothing (a whole university behind one NAT).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

HOUR = 3600


class LinkKind(enum.IntEnum):
    PAYMENT_FINGERPRINT = 1
    DEVICE_ID = 2
    PHONE = 3
    MAILBOX = 4  # the same normalised address: one inbox behind many accounts
    SIGNUP_IP = 5
    SIGNUP_IP_PREFIX = 6
    EMAIL_DOMAIN = 7  # a custom or disposable domain; webmail and real academic domains say nothing
    LOOKALIKE_DOMAIN = 8  # a domain borrowing an institution's name
    EMAIL_PATTERN = 9  # the same generator: domain + local-part shape (name + digits) in the same day
    ORGANIZATION = 10
    USAGE_IP = 11
    USAGE_IP_PREFIX = 12
    TEMPLATE = 13  # a prompt template fingerprint
    SYNCHRONY = 14  # the same template (or category) on the same model in the same time bucket
    ACADEMIC_DOMAIN = 15  # a real institution's domain: a weak link, but it tells a class from strangers
    ACTIVITY = 16  # the kind of request (category) on a model in an hour: compared for synchrony, never a link


@dataclass(frozen=True, slots=True)
class KindRule:
    name: str  # as the API names it in a cluster's `links`
    base_weight: float
    strong: bool  # may join accounts into one component by itself
    window_seconds: int | None  # columns are bucketed by event time; None: the identifier alone
    max_accounts: int  # a column with more accounts is ignored: it is infrastructure, not a campaign
    synchrony: bool = False  # an action in a time bucket, compared for accounts' synchrony (SynchroTrap)
    usage: bool = False  # read from usage events (not signups)


# Base weights: how rarely two unrelated, honest accounts share such a thing. A card or a
# device shared by strangers is telling; a /24 in the same six hours or an email shape much less.
RULES: dict[LinkKind, KindRule] = {
    LinkKind.PAYMENT_FINGERPRINT: KindRule("payment_fingerprint", 1.0, True, None, 2000),
    LinkKind.DEVICE_ID: KindRule("device_id", 1.0, True, None, 2000),
    LinkKind.PHONE: KindRule("phone", 0.9, True, None, 2000),
    LinkKind.MAILBOX: KindRule("email_normalized", 1.0, True, None, 2000),
    LinkKind.SIGNUP_IP: KindRule("ip", 0.7, False, 24 * HOUR, 50),
    LinkKind.SIGNUP_IP_PREFIX: KindRule("ip_prefix", 0.35, False, 6 * HOUR, 200),
    LinkKind.EMAIL_DOMAIN: KindRule("email_domain", 0.6, False, None, 5000),
    LinkKind.LOOKALIKE_DOMAIN: KindRule("lookalike_institution", 1.0, True, None, 20000),
    LinkKind.EMAIL_PATTERN: KindRule("email_pattern", 0.25, False, 24 * HOUR, 500),
    LinkKind.ORGANIZATION: KindRule("organization", 0.2, False, 24 * HOUR, 500),
    # A shared network or a template used in the same week ties accounts, but it is not acting in step:
    # a team on one office address is co-located, not synchronised, so only actions count for synchrony.
    LinkKind.USAGE_IP: KindRule("usage_ip", 0.6, False, 6 * HOUR, 50, usage=True),
    LinkKind.USAGE_IP_PREFIX: KindRule("usage_ip_prefix", 0.3, False, 6 * HOUR, 500, usage=True),
    LinkKind.TEMPLATE: KindRule("template_fingerprint", 0.5, False, 7 * 24 * HOUR, 5000, usage=True),
    LinkKind.SYNCHRONY: KindRule("synchrony", 0.4, False, HOUR, 2000, synchrony=True, usage=True),
    LinkKind.ACADEMIC_DOMAIN: KindRule("academic_domain", 0.05, False, None, 50000),
    # Weight 0: an operator's payloads vary, so its templates scatter, but its task and target do not;
    # in-step activity is judged pairwise within groups (synchrony.py), not counted as shared evidence.
    LinkKind.ACTIVITY: KindRule("activity", 0.0, False, HOUR, 10**9, synchrony=True, usage=True),
}

# A column's weight must reach this (after inverse frequency and context) to join accounts into a
# component by itself; below it, a column still counts in dense-block search and in the score.
STRONG_WEIGHT = 0.3
