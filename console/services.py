"""State changes the console makes: decisions on selections and clusters, models, policy, keys and users.

Every change goes through the service that owns it (accounts.services.record_decision,
riskscore.registry, riskscore.policy, accounts.auth) and leaves an AuditEntry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.audit import record_audit
from accounts.auth import create_api_key
from accounts.errors import NotFound
from accounts.models import ApiKey
from accounts.services import DecisionInput, record_decision
from clusters.models import Cluster
from console.roles import ADMIN, ROLES, role_group
from riskscore import policy, registry
from riskscore.models import ModelVersion

MAX_BULK = 1000


class ConsoleError(ValueError):
    """A console request that cannot be carried out, with a message for the analyst."""


@dataclass(frozen=True)
class DecisionRequest:
    label: str | None
    action: str
    note: str


def _check_note(request: DecisionRequest) -> None:
    if not request.note.strip():
        raise ConsoleError("every decision needs a note saying why")
    if request.label is None and request.action == "none":
        raise ConsoleError("choose a label, an action, or both")


def decide_accounts(*, account_ids: list[str], request: DecisionRequest, actor: str) -> int:
    """The same label and action on each selected account, one decision (and audit entry) per account."""
    _check_note(request)
    if not account_ids:
        raise ConsoleError("select at least one account")
    if len(account_ids) > MAX_BULK:
        raise ConsoleError(f"at most {MAX_BULK} accounts at once")
    try:
        with transaction.atomic():
            for account_id in dict.fromkeys(account_ids):
                record_decision(
                    decision=DecisionInput(
                        account_id=account_id, label=request.label, action=request.action, note=request.note.strip()
                    ),
                    actor=actor,
                )
    except NotFound as exc:
        raise ConsoleError(f"{exc.detail}; nothing was recorded") from exc
    return len(dict.fromkeys(account_ids))


def decide_cluster(*, cluster: Cluster, request: DecisionRequest, actor: str) -> int:
    """One action on every member of a cluster: a decision and an audit entry per account naming the cluster,
    and one entry for the cluster itself."""
    _check_note(request)
    account_ids = list(cluster.members.order_by("joined_at", "id").values_list("account__account_id", flat=True))
    if not account_ids:
        raise ConsoleError("this cluster has no members")
    with transaction.atomic():
        for account_id in account_ids:
            record_decision(
                decision=DecisionInput(
                    account_id=account_id,
                    label=request.label,
                    action=request.action,
                    note=request.note.strip(),
                    cluster_id=cluster.cluster_id,
                ),
                actor=actor,
            )
        record_audit(
            actor=actor,
            action=f"cluster_decision:{request.action}",
            object_type="cluster",
            object_id=cluster.cluster_id,
            detail={"label": request.label, "note": request.note.strip(), "accounts": len(account_ids)},
        )
    return len(account_ids)


def activate_model(*, version: str, actor: str) -> ModelVersion:
    if not ModelVersion.objects.filter(version=version).exists():
        raise ConsoleError(f"no model {version}")
    with transaction.atomic():
        model = registry.activate(version)
        record_audit(actor=actor, action="activate_model", object_type="model", object_id=version)
    registry.active_models.clear()
    return model


def roll_back_model(*, kind: str, actor: str) -> ModelVersion:
    previous = registry.previous_version(kind)
    if previous is None:
        raise ConsoleError(f"no previously active {kind} model to roll back to")
    with transaction.atomic():
        model = registry.activate(previous.version)
        record_audit(
            actor=actor,
            action="activate_model",
            object_type="model",
            object_id=model.version,
            detail={"rollback": True},
        )
    registry.active_models.clear()
    return model


def save_policy(*, document: dict, actor: str, changes: int | None = None) -> int:
    """Store a new policy version (validated by riskscore.policy); returns its version number."""
    try:
        with transaction.atomic():
            saved = policy.save_policy(document, actor=actor)
            record_audit(
                actor=actor,
                action="set_policy",
                object_type="policy",
                object_id=str(saved.version),
                detail={"decisions_changed_last_30_days": changes} if changes is not None else {},
            )
    except policy.InvalidPolicy as exc:
        raise ConsoleError(str(exc)) from exc
    return saved.version


def create_key(*, name: str, scopes: list[str], actor: str) -> tuple[ApiKey, str]:
    """A new API key; the raw key is returned once to show, and only its hash is stored."""
    if not name.strip():
        raise ConsoleError("a key needs a name")
    try:
        key, raw_key = create_api_key(name=name.strip(), scopes=scopes)
    except ValueError as exc:
        raise ConsoleError(str(exc)) from exc
    record_audit(
        actor=actor, action="create_api_key", object_type="api_key", object_id=key.prefix, detail={"name": key.name}
    )
    return key, raw_key


def revoke_key(*, key_id: int, actor: str) -> ApiKey:
    key = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).first()
    if key is None:
        raise ConsoleError("no such active key")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    record_audit(actor=actor, action="revoke_api_key", object_type="api_key", object_id=key.prefix)
    return key


def create_console_user(*, username: str, password: str, role: str, actor: str):
    """A console user with one role; admins also get Django's admin site."""
    if role not in ROLES:
        raise ConsoleError(f"role must be one of {', '.join(ROLES)}")
    if not username.strip() or len(password) < 10:
        raise ConsoleError("a user needs a name and a password of at least 10 characters")
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ConsoleError(f"user {username} exists")
    with transaction.atomic():
        user = users.objects.create_user(
            username=username, password=password, is_staff=role == ADMIN, is_superuser=role == ADMIN
        )
        user.groups.add(role_group(role))
        record_audit(actor=actor, action="create_user", object_type="user", object_id=username, detail={"role": role})
    return user
