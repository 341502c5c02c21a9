"""When simulated signups happen: daily rhythms in each person's time zone, bursts, and event-time strings.

Times are whole seconds after the simulation's origin; the window is [0, span] inclusive.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

# Relative signup intensity per local hour, 0-23.
_RHYTHMS: dict[str, tuple[float, ...]] = {
    # Office hours with a lunch dip: employees, researchers, founders.
    "office": (1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 16, 18, 17, 14, 10, 7, 5, 4, 3, 2, 1),
    # Lectures by day, homework late into the night.
    "student": (5, 3, 2, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 14, 15, 14, 12, 11, 12, 14, 15, 14, 12, 8),
    # People signing up on their own time: evenings and weekends.
    "evening": (4, 2, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 10, 10, 9, 9, 10, 11, 13, 15, 16, 15, 12, 8),
    # Operators working a shift, or machines that do not sleep.
    "flat": (10,) * 24,
}
_CUMULATIVE = {name: tuple(accumulate(weights)) for name, weights in _RHYTHMS.items()}
# How likely a signup that falls on a Saturday or Sunday is kept, relative to a weekday.
_WEEKEND_KEEP = {"office": 0.3, "student": 0.6, "evening": 1.0, "flat": 1.0}
_HOURS = tuple(range(24))


@dataclass(frozen=True, slots=True)
class Timeline:
    origin: datetime  # UTC, whole seconds
    span: int  # seconds

    @classmethod
    def covering(cls, start: datetime, days: int) -> "Timeline":
        start = start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)
        end = start + timedelta(days=days)
        # Round the origin up so that no whole-second time string falls before the requested start.
        origin = start.replace(microsecond=0) + timedelta(seconds=1 if start.microsecond else 0)
        return cls(origin, max(0, int((end - origin).total_seconds())))

    def clamp(self, t: float) -> int:
        return min(self.span, max(0, int(t)))

    def after(self, rng: random.Random, t: int, *, mean_delay: float) -> int:
        """A follower's moment, typically `mean_delay` seconds after t; late ones land before the window closes."""
        later = t + rng.expovariate(1 / mean_delay)
        return int(later) if later <= self.span else rng.randint(min(t, self.span), self.span)

    def uniform(self, rng: random.Random) -> int:
        return rng.randint(0, self.span)

    def daily(self, rng: random.Random, *, tz_offset_hours: float, rhythm: str) -> int:
        """A moment drawn from the rhythm of someone living at that UTC offset."""
        cumulative = _CUMULATIVE[rhythm]
        keep_weekend = _WEEKEND_KEEP[rhythm]
        seconds_into_day = self.origin.hour * 3600 + self.origin.minute * 60 + self.origin.second
        days = self.span // 86400 + 1
        for _ in range(30):
            day = rng.randint(-1, days)
            local_midnight = day * 86400 - seconds_into_day - int(tz_offset_hours * 3600)
            weekday = (self.origin.weekday() + day) % 7
            if weekday >= 5 and rng.random() > keep_weekend:
                continue
            hour = rng.choices(_HOURS, cum_weights=cumulative)[0]
            t = local_midnight + hour * 3600 + rng.randrange(3600)
            if 0 <= t <= self.span:
                return t
        return self.uniform(rng)

    def burst_start(self, rng: random.Random, *, tz_offset_hours: float, rhythm: str, length: int) -> int:
        """The start of a burst that fits inside the window, drawn from the same daily rhythm."""
        t = self.daily(rng, tz_offset_hours=tz_offset_hours, rhythm=rhythm)
        return max(0, min(t, self.span - length))

    def rfc3339(self, t: int) -> str:
        return (self.origin + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
