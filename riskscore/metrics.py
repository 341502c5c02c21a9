"""Prometheus metrics, defined once. Served at /metrics.

Under gunicorn and Celery several processes share PROMETHEUS_MULTIPROC_DIR,
so /metrics aggregates every worker, not only the one that answers.
"""

from __future__ import annotations

from django.conf import settings
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

SIGNUPS_SCORED = Counter(
    "riskscore_signups_scored_total", "Signups scored, by pathway and decision.", ["pathway", "decision"]
)
REQUEST_SECONDS = Histogram(
    "riskscore_request_seconds",
    "API request latency at the server.",
    ["view", "method", "status"],
    buckets=(0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0, 5.0),
)


def render() -> tuple[bytes, str]:
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(DEFAULT_REGISTRY), CONTENT_TYPE_LATEST
