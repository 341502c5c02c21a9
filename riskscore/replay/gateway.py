"""The replay's API gateway: it follows the enforcement change feed and serves or refuses each request.

As a real gateway does, it keeps each account's tier, limits and reasoning visibility from
`GET /api/v1/enforcement?since=` (asking `GET /api/v1/enforcement/{id}` for an account it has
not seen yet), refuses the requests of blocked accounts and those over the requests-per-minute
and output-tokens-per-day limits, and records every request with the tier and reasoning in force
when it was served. Only served requests become usage evidence. Its clock is event time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.test import Client

from enforcement.models import Tier

SERVED = "served"
REFUSED_BLOCKED = "blocked"
REFUSED_RATE = "requests_per_minute"
REFUSED_TOKENS = "output_tokens_per_day"
OUTCOMES = (SERVED, REFUSED_BLOCKED, REFUSED_RATE, REFUSED_TOKENS)
RESTRICTED_TIERS = (Tier.RESTRICTED.value, Tier.BLOCKED.value)


@dataclass(frozen=True, slots=True)
class Allowance:
    """What the enforcement answer lets an account do."""

    tier: str
    reasoning: str
    requests_per_minute: int
    output_tokens_per_day: int

    @classmethod
    def from_answer(cls, body: dict) -> Allowance:
        limits = body["limits"]
        return cls(body["tier"], body["reasoning"], limits["requests_per_minute"], limits["output_tokens_per_day"])


@dataclass(frozen=True, slots=True)
class Request:
    """One request the gateway saw, as the replay's report reads it."""

    account_id: str
    at: datetime
    output_tokens: int
    outcome: str
    tier: str
    reasoning: str


@dataclass(slots=True)
class Gateway:
    client: Client
    apply_limits: bool = True
    enforce: bool = True  # False: a monitoring gateway that records the tier but serves every request
    allowance: dict[str, Allowance] = field(default_factory=dict)
    # Per account, (event time the gateway learned it, tier, reasoning): its own view of tiers over time.
    history: dict[str, list[tuple[datetime, str, str]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    cursor: str | None = None
    feed_reads: int = 0
    _per_minute: dict[tuple[str, int], int] = field(default_factory=dict)
    _per_day: dict[tuple[str, int], int] = field(default_factory=dict)

    def follow(self, *, now: datetime) -> None:
        """Read the change feed to its end and take every change as in force from `now`."""
        more = True
        while more:
            query = {"page_size": 1000} | ({"since": self.cursor} if self.cursor else {})
            response = self.client.get("/api/v1/enforcement", query)
            if response.status_code != 200:
                raise RuntimeError(f"the change feed answered {response.status_code}: {response.content[:300]!r}")
            page = response.json()
            for body in page["results"]:
                self._learn(body, now=now)
            self.cursor, more = page["cursor"], page["more"]
            self.feed_reads += 1

    def serve(self, event: dict, *, at: datetime) -> bool:
        """Serve or refuse one request (a usage event's payload) as the account's enforcement says."""
        account_id = event["account_id"]
        allowance = self.allowance.get(account_id) or self._look_up(account_id, now=at)
        outcome = self._outcome(account_id, event, allowance, at)
        self.requests.append(
            Request(account_id, at, int(event["output_tokens"]), outcome, allowance.tier, allowance.reasoning)
        )
        return outcome == SERVED

    def _outcome(self, account_id: str, event: dict, allowance: Allowance, at: datetime) -> str:
        if not self.enforce:
            return SERVED
        if allowance.tier == Tier.BLOCKED.value:
            return REFUSED_BLOCKED
        epoch = int(at.timestamp())
        minute, day = (account_id, epoch // 60), (account_id, epoch // 86400)
        if self.apply_limits:
            if self._per_minute.get(minute, 0) >= allowance.requests_per_minute:
                return REFUSED_RATE
            # The gateway knows a response's size only once it is sent: the day's budget stops the next one.
            if self._per_day.get(day, 0) >= allowance.output_tokens_per_day:
                return REFUSED_TOKENS
        self._per_minute[minute] = self._per_minute.get(minute, 0) + 1
        self._per_day[day] = self._per_day.get(day, 0) + int(event["output_tokens"])
        return SERVED

    def _look_up(self, account_id: str, *, now: datetime) -> Allowance:
        response = self.client.get(f"/api/v1/enforcement/{account_id}")
        if response.status_code != 200:
            raise RuntimeError(f"enforcement of {account_id} answered {response.status_code}")
        return self._learn(response.json(), now=now)

    def _learn(self, body: dict, *, now: datetime) -> Allowance:
        allowance = Allowance.from_answer(body)
        self.allowance[body["account_id"]] = allowance
        timeline = self.history.setdefault(body["account_id"], [])
        if not timeline or timeline[-1][1:] != (allowance.tier, allowance.reasoning):
            timeline.append((now, allowance.tier, allowance.reasoning))
        return allowance


def tier_at(timeline: list[tuple[datetime, str, str]], at: datetime) -> str | None:
    """The tier the gateway held for an account at event time `at` (None before it knew the account)."""
    tier = None
    for learned, learned_tier, _ in timeline:
        if learned > at:
            break
        tier = learned_tier
    return tier


def first_restricted(timeline: list[tuple[datetime, str, str]]) -> datetime | None:
    """When the gateway first held the account restricted or blocked."""
    return next((learned for learned, tier, _ in timeline if tier in RESTRICTED_TIERS), None)
