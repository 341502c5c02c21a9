"""Every error the API answers, in one place: `{"error", "detail"[, "fields"]}`.

Domain exceptions raised by services are mapped to HTTP status codes here, so
views never build error responses themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

RETRY_AFTER_SECONDS = "5"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One item of a batch (events, decisions, STIX objects) refused while the rest goes on: `rejected[]`."""

    index: int
    error: str
    detail: str

    def as_dict(self) -> dict:
        return {"index": self.index, "error": self.error, "detail": self.detail}


class ApiError(Exception):
    """A domain error with its HTTP status and machine code."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "bad_request"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "too_large"


class ServiceUnavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "unavailable"


DRF_CODES = {
    exceptions.ParseError: "malformed_json",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    body = {"error": code, "detail": detail}
    if fields is not None:
        body["fields"] = fields
    return body


def json_error(status_code: int, code: str, detail: str, **headers) -> JsonResponse:
    """The error body for plain Django views (the hot paths that skip DRF); header names use _ for -."""
    response = JsonResponse(error_body(code, detail), status=status_code)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _flatten(errors) -> dict[str, list[str]]:
    if isinstance(errors, list):
        return {"non_field_errors": [str(e) for e in errors]}
    return {
        name: [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
        for name, messages in errors.items()
    }


def api_exception_handler(exc, context):
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in fields.items())
        return Response(error_body("validation_error", summary, fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", str(exc)), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, ApiError):
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if exc.status_code == 503 else None
        return Response(error_body(exc.code, exc.detail), status=exc.status_code, headers=headers)
    if isinstance(exc, (OperationalError, InterfaceError)) or type(exc) is DatabaseError:
        body = error_body("unavailable", "the database is unavailable; try again shortly")
        return Response(body, status=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "not found")
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = error_body(code, str(detail))
    return response


def json_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "no such endpoint"), status=404)


def json_server_error(request):
    return JsonResponse(error_body("internal_error", "an unexpected error occurred; it has been logged"), status=500)


def json_bad_request(request, exception=None):
    return JsonResponse(error_body("bad_request", str(exception) or "bad request"), status=400)
