"""Server-rendered charts as inline SVG: lines, curves, bars and a cluster's link graph.

No JavaScript charting library and nothing inline but SVG markup: colours come from
console.css through classes, so the Content-Security-Policy needs no 'unsafe-inline'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[float, float]]
    css: str = "series-0"


def _svg(body: list[str], *, width: int, height: int, label: str) -> SafeString:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{"".join(body)}</svg>'
    )


class _Frame:
    """Maps data coordinates into the plotting area."""

    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], width: int, height: int):
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        if self.x1 == self.x0:
            self.x0, self.x1 = self.x0 - 1, self.x1 + 1
        if self.y1 == self.y0:
            self.y1 = self.y0 + 1
        self.left, self.right = MARGIN_LEFT, width - MARGIN_RIGHT
        self.top, self.bottom = MARGIN_TOP, height - MARGIN_BOTTOM

    def x(self, value: float) -> float:
        return round(self.left + (value - self.x0) / (self.x1 - self.x0) * (self.right - self.left), 1)

    def y(self, value: float) -> float:
        return round(self.bottom - (value - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top), 1)

    def axes(self, y_ticks: Sequence[float], y_format: str = "{:.1f}") -> list[str]:
        parts = [f'<line class="axis" x1="{self.left}" y1="{self.bottom}" x2="{self.right}" y2="{self.bottom}"/>']
        for tick in y_ticks:
            y = self.y(tick)
            parts.append(f'<line class="grid" x1="{self.left}" y1="{y}" x2="{self.right}" y2="{y}"/>')
            parts.append(f'<text class="tick" x="{self.left - 6}" y="{y + 4}" text-anchor="end">')
            parts.append(f"{escape(y_format.format(tick))}</text>")
        return parts

    def x_label(self, value: float, text: str, anchor: str = "middle") -> str:
        x, y = self.x(value), self.bottom + 18
        return f'<text class="tick" x="{x}" y="{y}" text-anchor="{anchor}">{escape(text)}</text>'


def _polyline(frame: _Frame, points: Sequence[tuple[float, float]], css: str) -> str:
    coords = " ".join(f"{frame.x(x)},{frame.y(y)}" for x, y in points)
    return f'<polyline class="line {css}" points="{coords}"/>'


def score_history_chart(points: Sequence[tuple[datetime, float, str]], thresholds: dict[str, float]) -> SafeString:
    """Score over time (one dot per scoring, labelled by trigger), with the band thresholds as dashed lines."""
    if not points:
        return mark_safe('<p class="muted">No score history.</p>')
    times = [at.timestamp() for at, _, _ in points]
    frame = _Frame((min(times), max(times)), (0.0, 1.0), WIDTH, HEIGHT)
    body = frame.axes([0, 0.25, 0.5, 0.75, 1.0], "{:.2f}")
    for band, cut in thresholds.items():
        y = frame.y(cut)
        body.append(
            f'<line class="threshold band-{escape(band)}" x1="{frame.left}" y1="{y}" x2="{frame.right}" y2="{y}"/>'
        )
        body.append(f'<text class="tick" x="{frame.right}" y="{y - 3}" text-anchor="end">{escape(band)}</text>')
    body.append(_polyline(frame, list(zip(times, [score for _, score, _ in points], strict=True)), "series-0"))
    for (at, score, trigger), t in zip(points, times, strict=True):
        body.append(
            f'<circle class="dot series-0" cx="{frame.x(t)}" cy="{frame.y(score)}" r="4">'
            f"<title>{escape(f'{at:%Y-%m-%d %H:%M} UTC · {trigger} · {score:.3f}')}</title></circle>"
        )
    body.append(frame.x_label(times[0], f"{points[0][0]:%Y-%m-%d}", "start"))
    if len(points) > 1:
        body.append(frame.x_label(times[-1], f"{points[-1][0]:%Y-%m-%d}", "end"))
    return _svg(body, width=WIDTH, height=HEIGHT, label="Score history")


def curve_chart(
    series: Sequence[Series], *, x_name: str, y_name: str, label: str, diagonal: bool = False
) -> SafeString:
    """A unit-square curve chart (ROC, precision-recall), one polyline per series; the page carries the legend."""
    size = 300
    frame = _Frame((0.0, 1.0), (0.0, 1.0), size, size)
    body = frame.axes([0, 0.25, 0.5, 0.75, 1.0], "{:.2f}")
    if diagonal:
        body.append(_polyline(frame, [(0, 0), (1, 1)], "chance"))
    for item in series:
        body.append(_polyline(frame, item.points, item.css))
    body.append(frame.x_label(0.5, x_name))
    body.append(
        f'<text class="tick" x="12" y="{size / 2}" transform="rotate(-90 12 {size / 2})" '
        f'text-anchor="middle">{escape(y_name)}</text>'
    )
    return _svg(body, width=size, height=size, label=label)


def histogram_chart(series: Sequence[Series], *, label: str, bins: int) -> SafeString:
    """Shares of accounts per score bin, one outlined step line per series (active against candidate)."""
    top = max((share for item in series for _, share in item.points), default=0.0) or 1.0
    frame = _Frame((0.0, 1.0), (0.0, top * 1.1), WIDTH, HEIGHT)
    body = frame.axes([0, top / 2, top], "{:.0%}")
    for item in series:
        steps: list[tuple[float, float]] = []
        for index, (_, share) in enumerate(item.points):
            steps += [(index / bins, share), ((index + 1) / bins, share)]
        body.append(_polyline(frame, steps, item.css))
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(frame.x_label(tick, f"{tick:.2f}"))
    for index, item in enumerate(series):
        y = frame.top + 12 + index * 16
        body.append(f'<rect class="swatch {item.css}" x="{frame.right - 290}" y="{y - 9}" width="10" height="10"/>')
        body.append(f'<text class="legend" x="{frame.right - 275}" y="{y}">{escape(item.name)}</text>')
    return _svg(body, width=WIDTH, height=HEIGHT, label=label)


@dataclass(frozen=True)
class Bar:
    label: str
    segments: Sequence[tuple[str, float]]  # (css class, value), stacked bottom-up
    title: str = ""


def bar_chart(bars: Sequence[Bar], *, label: str, y_format: str = "{:.0f}", height: int = HEIGHT) -> SafeString:
    """Stacked bars in order (days, hours, waves); labels under the first, middle and last bar."""
    if not bars:
        return mark_safe('<p class="muted">Nothing to show.</p>')
    top = max(sum(value for _, value in bar.segments) for bar in bars) or 1.0
    frame = _Frame((0.0, float(len(bars))), (0.0, top), WIDTH, height)
    body = frame.axes([0, top / 2, top], y_format)
    slot = (frame.right - frame.left) / len(bars)
    width = max(1.0, slot * 0.8)
    for index, bar in enumerate(bars):
        x = round(frame.left + index * slot + (slot - width) / 2, 1)
        base = 0.0
        for css, value in bar.segments:
            if value <= 0:
                continue
            y_top, y_bottom = frame.y(base + value), frame.y(base)
            body.append(
                f'<rect class="bar {escape(css)}" x="{x}" y="{y_top}" width="{round(width, 1)}" '
                f'height="{round(y_bottom - y_top, 1)}"><title>{escape(bar.title or bar.label)}</title></rect>'
            )
            base += value
    labelled = sorted({0, len(bars) // 2, len(bars) - 1})
    for index in labelled:
        body.append(frame.x_label(index + 0.5, bars[index].label))
    return _svg(body, width=WIDTH, height=height, label=label)


@dataclass(frozen=True)
class GraphNode:
    key: str
    label: str
    css: str
    href: str = ""


@dataclass(frozen=True)
class GraphHub:
    key: str
    label: str
    css: str
    members: Sequence[str]  # GraphNode keys


def link_graph(nodes: Sequence[GraphNode], hubs: Sequence[GraphHub], *, label: str) -> SafeString:
    """Members on an outer circle (in the order given: join time), shared identifiers on an inner one, and an edge
    from each member to every identifier it shares. Deterministic: the same cluster always draws the same way."""
    size = 640
    centre = size / 2
    outer, inner = size / 2 - 24, size / 2 - 150
    position: dict[str, tuple[float, float]] = {}
    for index, node in enumerate(nodes):
        angle = 2 * math.pi * index / max(1, len(nodes)) - math.pi / 2
        position[node.key] = (round(centre + outer * math.cos(angle), 1), round(centre + outer * math.sin(angle), 1))
    body: list[str] = []
    hub_position = {}
    for index, hub in enumerate(hubs):
        angle = 2 * math.pi * index / max(1, len(hubs)) - math.pi / 2
        radius = inner if len(hubs) > 1 else 0
        hub_position[hub.key] = (
            round(centre + radius * math.cos(angle), 1),
            round(centre + radius * math.sin(angle), 1),
        )
        hx, hy = hub_position[hub.key]
        for member in hub.members:
            if member in position:
                mx, my = position[member]
                body.append(f'<line class="edge {escape(hub.css)}" x1="{hx}" y1="{hy}" x2="{mx}" y2="{my}"/>')
    for hub in hubs:
        hx, hy = hub_position[hub.key]
        radius = round(4 + 2.5 * math.sqrt(len(hub.members)), 1)
        body.append(
            f'<circle class="hub {escape(hub.css)}" cx="{hx}" cy="{hy}" r="{radius}">'
            f"<title>{escape(f'{hub.label}: shared by {len(hub.members)} members')}</title></circle>"
        )
    node_radius = 5 if len(nodes) <= 60 else 3
    for node in nodes:
        x, y = position[node.key]
        circle = (
            f'<circle class="node {escape(node.css)}" cx="{x}" cy="{y}" r="{node_radius}">'
            f"<title>{escape(node.label)}</title></circle>"
        )
        body.append(f'<a href="{escape(node.href)}">{circle}</a>' if node.href else circle)
    return _svg(body, width=size, height=size, label=label)
