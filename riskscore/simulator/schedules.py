"""When a campaign's accounts appear: trickled batches, replacement waves, synchronised bursts, card days, classes.

Each schedule returns (time, wave) pairs in time order; the wave numbers count up with time from 0.
"""

import math
import random

from riskscore.simulator.clock import Timeline

HOUR = 3600
DAY = 86400


def schedule(rng: random.Random, timeline: Timeline, kind: str, size: int, *, tz: float, rhythm: str):
    """The creation times and wave numbers of `size` accounts, sorted by time."""
    if kind == "waves":
        slots = _waves(rng, timeline, size)
    elif kind == "bursts":
        slots = _bursts(rng, timeline, size)
    elif kind == "card_days":
        slots = _card_days(rng, timeline, size, tz=tz, rhythm=rhythm)
    elif kind == "classes":
        slots = _classes(rng, timeline, size, tz=tz, rhythm=rhythm)
    else:
        slots = _trickle(rng, timeline, size, tz=tz, rhythm=rhythm)
    return _renumber(slots)


def _renumber(slots: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort by time and renumber waves in order of their first account."""
    slots.sort()
    order: dict[int, int] = {}
    for _, wave in slots:
        order.setdefault(wave, len(order))
    return [(t, order[wave]) for t, wave in slots]


def _batch_sizes(rng: random.Random, size: int, batches: int) -> list[int]:
    weights = [rng.uniform(0.5, 1.5) for _ in range(batches)]
    sizes = [max(1, int(size * w / sum(weights))) for w in weights]
    sizes[-1] = max(1, sizes[-1] + size - sum(sizes))
    while sum(sizes) > size:
        sizes[sizes.index(max(sizes))] -= 1
    return sizes


def _trickle(rng: random.Random, timeline: Timeline, size: int, *, tz: float, rhythm: str) -> list[tuple[int, int]]:
    # Small batches through the day, blending into ordinary traffic.
    slots = []
    batches = max(1, size // rng.randint(4, 12))
    for wave, count in enumerate(_batch_sizes(rng, size, batches)):
        start = timeline.burst_start(rng, tz_offset_hours=tz, rhythm=rhythm, length=HOUR)
        slots += [(timeline.clamp(start + rng.uniform(0, 45 * 60)), wave) for _ in range(count)]
    return slots


def _waves(rng: random.Random, timeline: Timeline, size: int) -> list[tuple[int, int]]:
    # Banned accounts are replaced in batches hours to days apart; the last wave must still fit the window.
    count = max(2, round(math.sqrt(size) / 3))
    gaps = [rng.uniform(4 * HOUR, 3 * DAY) for _ in range(count - 1)]
    first = rng.uniform(0, 0.2) * timeline.span
    room = max(0.0, timeline.span * 0.95 - first)
    if sum(gaps) > room:
        gaps = [g * room / sum(gaps) for g in gaps]
    starts = [first]
    for gap in gaps:
        starts.append(starts[-1] + gap)
    slots = []
    for wave, (start, n) in enumerate(zip(starts, _batch_sizes(rng, size, count), strict=True)):
        duration = min(rng.uniform(0.5, 3) * HOUR, timeline.span - start)
        slots += [(timeline.clamp(start + rng.uniform(0, duration)), wave) for _ in range(n)]
    return slots


def _bursts(rng: random.Random, timeline: Timeline, size: int) -> list[tuple[int, int]]:
    # A script registers a batch within minutes, at any hour.
    count = max(2, round(math.sqrt(size) / 2.5))
    slots = []
    for wave, n in enumerate(_batch_sizes(rng, size, count)):
        length = min(rng.uniform(2, 10) * 60, timeline.span)
        start = rng.uniform(0.05, 1.0) * (timeline.span - length)
        slots += [(timeline.clamp(start + rng.uniform(0, length)), wave) for _ in range(n)]
    return slots


def _card_days(rng: random.Random, timeline: Timeline, size: int, *, tz: float, rhythm: str) -> list[tuple[int, int]]:
    # Each stolen or prepaid card is burnt on a few dozen accounts within about a day.
    windows = max(2, round(size / 30))
    slots = []
    for wave, n in enumerate(_batch_sizes(rng, size, windows)):
        start = timeline.burst_start(rng, tz_offset_hours=tz, rhythm=rhythm, length=DAY)
        slots += [(timeline.clamp(start + rng.uniform(0, 20 * HOUR)), wave) for _ in range(n)]
    return slots


def _classes(rng: random.Random, timeline: Timeline, size: int, *, tz: float, rhythm: str) -> list[tuple[int, int]]:
    # Imitates a class signing up: a batch within an hour in the institution's daytime, plus stragglers.
    in_batches = int(size * 0.6)
    batches = max(1, in_batches // rng.randint(15, 60))
    slots = []
    for wave, n in enumerate(_batch_sizes(rng, in_batches, batches)):
        start = timeline.burst_start(rng, tz_offset_hours=tz, rhythm="office", length=HOUR)
        slots += [(timeline.clamp(start + rng.betavariate(1.5, 3.0) * HOUR), wave) for _ in range(n)]
    slots += [(timeline.daily(rng, tz_offset_hours=tz, rhythm=rhythm), batches + i) for i in range(size - in_batches)]
    return slots
