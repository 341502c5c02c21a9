"""The replay's analysts: they review a random share of accounts some hours after signup, through the API.

Each reviewed account gets its true label through `POST /api/v1/decisions`; an abusive one is
also banned (what an analyst does with a confirmed extraction account), a legitimate one is only
labelled. Labels make a campaign known and feed cluster scores; bans block at the gateway.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.test import Client

from riskscore.simulator import SimulatedSignup

MAX_DECISIONS = 1000  # per request, as the contract allows
NOTE = "replay analyst review"


@dataclass(slots=True)
class Analysts:
    client: Client
    truth: dict[str, SimulatedSignup]
    reviewed: set[str]
    delay: timedelta
    # campaign id -> event time at which analysts first labelled one of its accounts abusive
    known_from: dict[str, datetime] = field(default_factory=dict)
    labelled: int = 0
    _due: list[tuple[datetime, str]] = field(default_factory=list)

    @classmethod
    def sampling(cls, client: Client, signups: list[SimulatedSignup], *, seed: int, share: float, delay: timedelta):
        rng = random.Random(f"{seed}:analysts")
        reviewed = {s.payload["account_id"] for s in signups if rng.random() < share}
        return cls(client, {s.payload["account_id"]: s for s in signups}, reviewed, delay)

    def signed_up(self, account_id: str, *, at: datetime) -> None:
        if account_id in self.reviewed:
            heapq.heappush(self._due, (at + self.delay, account_id))

    def work(self, *, now: datetime) -> bool:
        """Send every review due by `now`; True when anything was sent."""
        due = []
        while self._due and self._due[0][0] <= now:
            due.append(heapq.heappop(self._due)[1])
        for start in range(0, len(due), MAX_DECISIONS):
            self._send(due[start : start + MAX_DECISIONS])
        for account_id in due:
            signup = self.truth[account_id]
            if signup.is_abusive:
                self.known_from.setdefault(signup.group or "campaign", now)
        self.labelled += len(due)
        return bool(due)

    def _send(self, account_ids: list[str]) -> None:
        decisions = [
            {"account_id": a, "label": "abusive", "action": "ban", "note": NOTE}
            if self.truth[a].is_abusive
            else {"account_id": a, "label": "legitimate", "action": "none", "note": NOTE}
            for a in account_ids
        ]
        response = self.client.post("/api/v1/decisions", {"decisions": decisions}, content_type="application/json")
        if response.status_code != 201 or response.json()["rejected"]:
            raise RuntimeError(f"decisions answered {response.status_code}: {response.content[:300]!r}")
