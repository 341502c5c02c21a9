"""Request latency for /metrics, labelled by route (not path, which would explode label cardinality)."""

from __future__ import annotations

import time

from riskscore.metrics import REQUEST_SECONDS

UNTIMED = {"healthz", "metrics"}


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.url_name if match and match.url_name else "unmatched"
        if view not in UNTIMED:
            REQUEST_SECONDS.labels(view=view, method=request.method, status=str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response
