"""HTTP views for enforcement: the gateway's lookup and change feed (scope read), the
tier-change log for analysts (scope review) and the policy (scope admin)."""

from __future__ import annotations

from datetime import timedelta

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import utc
from accounts.auth import caller_for_key, scope_required
from accounts.errors import RETRY_AFTER_SECONDS, NotFound, json_error
from accounts.pagination import page_size_from
from enforcement import policy, selectors, services, tasks
from enforcement.models import Enforcement, TierChange

REALM = 'Bearer realm="riskscore"'
EnforcementSchema = inline_serializer(
    "Enforcement",
    {
        "account_id": serializers.CharField(),
        "tier": serializers.CharField(),
        "limits": serializers.DictField(child=serializers.IntegerField()),
        "reasoning": serializers.CharField(),
        "valid_until": serializers.DateTimeField(),
        "policy_version": serializers.CharField(),
    },
)


def enforcement_body(row: Enforcement | selectors.GatewayAnswer, *, valid_until: str) -> dict:
    """What the gateway enforces, and nothing about why."""
    return {
        "account_id": row.account_ref,
        "tier": row.tier,
        "limits": {name: getattr(row, name) for name in policy.LIMITS},
        "reasoning": row.reasoning,
        "valid_until": valid_until,
        "policy_version": row.policy_version,
    }


def _valid_until() -> str:
    _, document = policy.current_enforcement_policy.get()
    return utc((timezone.now() + timedelta(seconds=document["valid_for_seconds"])).replace(microsecond=0))


class EnforcementDetailView(APIView):
    """The lookup as the OpenAPI schema documents it; requests are served by `enforcement_lookup`."""

    permission_classes = [scope_required("read")]

    @extend_schema(operation_id="enforcement_lookup", responses=EnforcementSchema)
    def get(self, request, account_id: str):
        row = selectors.get_enforcement(account_id=account_id)
        return Response(enforcement_body(row, valid_until=_valid_until()))


def enforcement_lookup(request, account_id: str):
    """GET /api/v1/enforcement/{id}: the gateway's hottest path, as a plain Django view.

    DRF's request wrapping, negotiation and rendering cost about half a millisecond a
    call, a quarter of the lookup's budget; this view gives the same answers, keys,
    scopes and error bodies as EnforcementDetailView (tests/enforcement cover both ways in).
    """
    if request.method != "GET":
        return json_error(405, "method_not_allowed", f'method "{request.method}" not allowed', Allow="GET")
    scheme, _, raw_key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not raw_key.strip():
        return json_error(401, "not_authenticated", "use 'Authorization: Bearer <key>'", WWW_Authenticate=REALM)
    try:
        caller = caller_for_key(raw_key.strip())
        if caller is None:
            return json_error(401, "not_authenticated", "unknown or revoked API key", WWW_Authenticate=REALM)
        if not caller.has_scope("read"):
            return json_error(403, "forbidden", "this key lacks the 'read' scope")
        row = selectors.get_enforcement(account_id=account_id)
    except NotFound as exc:
        return json_error(404, "not_found", exc.detail)
    except (OperationalError, InterfaceError):
        detail = "the database is unavailable; try again shortly"
        return json_error(503, "unavailable", detail, Retry_After=RETRY_AFTER_SECONDS)
    return JsonResponse(enforcement_body(row, valid_until=_valid_until()))


class EnforcementFeedView(APIView):
    permission_classes = [scope_required("read")]

    class ParamsSerializer(serializers.Serializer):
        since = serializers.CharField(max_length=200, required=False)
        page_size = serializers.CharField(required=False)

    @extend_schema(
        operation_id="enforcement_change_feed",
        parameters=[ParamsSerializer],
        responses=inline_serializer(
            "EnforcementFeed",
            {
                "results": serializers.ListField(child=serializers.DictField()),
                "cursor": serializers.CharField(),
                "more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        params = self.ParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            page = selectors.change_feed(
                since=params.validated_data.get("since"),
                page_size=page_size_from(params.validated_data.get("page_size")),
            )
        except selectors.InvalidCursor as exc:
            raise serializers.ValidationError({"since": [str(exc)]}) from None
        valid_until = _valid_until()
        return Response(
            {
                "results": [enforcement_body(row, valid_until=valid_until) for row in page.items],
                "cursor": page.cursor,
                "more": page.more,
            }
        )


def tier_change_body(change: TierChange) -> dict:
    return {
        "from_tier": change.from_tier or None,
        "to_tier": change.to_tier,
        "from_reasoning": change.from_reasoning or None,
        "to_reasoning": change.to_reasoning,
        "policy_version": change.policy_version,
        "cause": change.cause,
        "rule": change.rule,
        "changed_at": utc(change.changed_at),
    }


class TierChangesView(APIView):
    """Every tier change of an account with its cause, newest first: for analysts, never for the gateway."""

    permission_classes = [scope_required("review")]

    @extend_schema(responses=inline_serializer("TierChange", {"to_tier": serializers.CharField()}, many=True))
    def get(self, request, account_id: str):
        return Response([tier_change_body(c) for c in selectors.tier_changes(account_id=account_id)])


class EnforcementPolicyView(APIView):
    """The enforcement policy in force (GET) or a new version of it (PUT), which every account then follows."""

    permission_classes = [scope_required("admin")]

    @extend_schema(responses=inline_serializer("EnforcementPolicy", {"policy_version": serializers.CharField()}))
    def get(self, request):
        version, document = policy.current_enforcement_policy.fresh()
        return Response({"policy_version": version, "document": document})

    @extend_schema(request=inline_serializer("EnforcementPolicyIn", {"document": serializers.DictField()}))
    def put(self, request):
        document = _document_from(request.data)
        saved = services.save_enforcement_policy(document=document, actor=request.user.actor)
        tasks.request_refresh_all()
        return Response(
            {"policy_version": policy.version_name(saved.version), "document": saved.document},
            status=status.HTTP_201_CREATED,
        )


class EnforcementPolicyPreviewView(APIView):
    """How many accounts a candidate policy would move to another tier, without installing it."""

    permission_classes = [scope_required("admin")]

    @extend_schema(request=inline_serializer("EnforcementPolicyPreviewIn", {"document": serializers.DictField()}))
    def post(self, request):
        preview = selectors.preview_policy(document=_document_from(request.data))
        return Response(
            {
                "accounts": preview.accounts,
                "would_change_tier": preview.would_change_tier,
                "transitions": preview.transitions,
                "tiers_after": preview.tiers_after,
            }
        )


def _document_from(data) -> dict:
    document = data.get("document") if isinstance(data, dict) else None
    if not isinstance(document, dict):
        raise serializers.ValidationError({"document": ['expected {"document": {...an enforcement policy...}}']})
    try:
        policy.validate(document)
    except policy.InvalidEnforcementPolicy as exc:
        raise serializers.ValidationError({"document": [str(exc)]}) from None
    return document
