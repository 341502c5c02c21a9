"""Service endpoints for orchestrators and monitoring: liveness, readiness, metrics."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse

from riskscore import metrics, registry
from riskscore.celery import app as celery_app


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks = {"database": _database_ready(), "broker": _broker_ready(), "model": _model_ready()}
    ready = all(ok for ok, _ in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": {name: why for name, (_, why) in checks.items()}}
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response


def metrics_view(request):
    payload, content_type = metrics.render()
    return HttpResponse(payload, content_type=content_type)


def _database_ready() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure, it never raises
        return False, f"{type(exc).__name__}: {exc}"[:200]


def _broker_ready() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"[:200]


def _model_ready() -> tuple[bool, str]:
    try:
        return True, registry.active_model("signup").version
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"[:200]
