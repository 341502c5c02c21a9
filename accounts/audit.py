"""The audit log: one call records who did what to which object."""

from __future__ import annotations

from accounts.models import AuditEntry


def record_audit(
    *, actor: str, action: str, object_type: str, object_id: str, detail: dict | None = None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, action=action, object_type=object_type, object_id=object_id, detail=detail or {}
    )
