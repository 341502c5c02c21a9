"""Console roles, as Django groups: analysts view, decide and label; admins also run models, policy, keys and users."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

ANALYST = "analyst"
ADMIN = "admin"
ROLES = (ANALYST, ADMIN)
GROUP_FOR_ROLE = {ANALYST: "console-analyst", ADMIN: "console-admin"}


def role_of(user) -> str | None:
    """The strongest console role a user has, or None (no console access)."""
    if not user.is_authenticated or not user.is_active:
        return None
    groups = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or GROUP_FOR_ROLE[ADMIN] in groups:
        return ADMIN
    if GROUP_FOR_ROLE[ANALYST] in groups:
        return ANALYST
    return None


def role_group(role: str) -> Group:
    group, _ = Group.objects.get_or_create(name=GROUP_FOR_ROLE[role])
    return group


def _requires(*allowed: str):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = role_of(request.user)
            if role not in allowed:
                return render(request, "console/forbidden.html", {"console_role": role}, status=403)
            request.console_role = role
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


analyst_required = _requires(ANALYST, ADMIN)
admin_required = _requires(ADMIN)
