"""API keys: `Authorization: Bearer <key>`, stored as SHA-256 only, with scopes.

`admin` implies every other scope. Verified keys are remembered per process for
CACHE_TTL_SECONDS, so a revoked key stops working within that time.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from rest_framework import authentication, exceptions, permissions

from accounts.models import ApiKey

SCOPES = ("signup", "ingest", "read", "review", "admin")


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """The authenticated caller: what `request.user` is for API requests."""

    key_id: int
    name: str
    scopes: frozenset[str]
    is_authenticated: bool = True

    @property
    def actor(self) -> str:
        return f"key:{self.name}"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def create_api_key(*, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """A new key; the raw key is returned once and never stored."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes must be among {', '.join(SCOPES)}; got {', '.join(sorted(unknown)) or 'none'}")
    raw_key = "rsk_" + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, prefix=raw_key[:10], key_hash=hash_key(raw_key), scopes=sorted(set(scopes)))
    return key, raw_key


_verified: dict[str, tuple[float, ApiCaller]] = {}


def caller_for_key(raw_key: str) -> ApiCaller | None:
    digest = hash_key(raw_key)
    hit = _verified.get(digest)
    if hit and time.monotonic() - hit[0] < settings.CACHE_TTL_SECONDS:
        return hit[1]
    key = ApiKey.objects.filter(key_hash=digest, revoked_at__isnull=True).first()
    if key is None:
        _verified.pop(digest, None)
        return None
    caller = ApiCaller(key_id=key.pk, name=key.name, scopes=frozenset(key.scopes))
    _verified[digest] = (time.monotonic(), caller)
    return caller


def caller_from_header(request) -> ApiCaller | None:
    """The caller of a request's `Authorization: Bearer <key>`, or None (no, malformed or unknown key)."""
    scheme, _, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not raw_key.strip():
        return None
    return caller_for_key(raw_key.strip())


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _, raw_key = header.partition(" ")
        if scheme.lower() != "bearer" or not raw_key.strip():
            raise exceptions.AuthenticationFailed("use 'Authorization: Bearer <key>'")
        caller = caller_for_key(raw_key.strip())
        if caller is None:
            raise exceptions.AuthenticationFailed("unknown or revoked API key")
        return caller, None

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="riskscore"'


def scope_required(scope: str) -> type[permissions.BasePermission]:
    class HasScope(permissions.BasePermission):
        message = f"this key lacks the '{scope}' scope"

        def has_permission(self, request, view) -> bool:
            caller = request.user
            return isinstance(caller, ApiCaller) and caller.has_scope(scope)

    HasScope.__name__ = f"HasScope_{scope}"
    return HasScope
