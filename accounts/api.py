"""HTTP views for accounts: the signup hook, usage evidence, reading risk, analysts' decisions.

Thin: validate, call one service, render.
"""

from __future__ import annotations

import re
from datetime import UTC

import phonenumbers
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import ingest, selectors, services, usage_input
from accounts.auth import caller_from_header, scope_required
from accounts.errors import RETRY_AFTER_SECONDS, ApiError, NotFound, PayloadTooLarge, Rejection, json_error
from accounts.models import Account, AnalystDecision, Band, Decision, Label, Pathway, ScoreRecord, Status
from accounts.pagination import next_page_url, page_size_from, paginate
from accounts.signup_input import E164, EMAIL_MAX_LENGTH, OPTIONAL_MAX_LENGTHS, decode_canonical_signup
from accounts.tasks import request_rescores
from accounts.usage_input import ACCOUNT_ID_PATTERN
from riskscore.features.signup import SignupInput


def utc(value) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


class StrictCharField(serializers.CharField):
    """A string and nothing else: numbers and lists are refused, not coerced."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ZonedDateTimeField(serializers.DateTimeField):
    """RFC 3339 with a zone; naive times are refused rather than guessed."""

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="RFC 3339 with a zone, e.g. 2026-03-01T12:00:00Z")
        parsed = super().to_internal_value(value)
        if not re.search(r"(Z|[+-]\d{2}:?\d{2})$", value.strip(), re.IGNORECASE):
            raise serializers.ValidationError("must carry a zone, e.g. 2026-03-01T12:00:00Z")
        return parsed.astimezone(UTC)


class SignupView(APIView):
    permission_classes = [scope_required("signup")]

    class InputSerializer(serializers.Serializer):
        account_id = serializers.RegexField(ACCOUNT_ID_PATTERN, max_length=128)
        email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)
        pathway = serializers.ChoiceField(choices=Pathway.choices)
        organization = StrictCharField(
            max_length=OPTIONAL_MAX_LENGTHS["organization"], required=False, allow_blank=True, default=""
        )
        ip = serializers.IPAddressField()
        user_agent = StrictCharField(
            max_length=OPTIONAL_MAX_LENGTHS["user_agent"],
            required=False,
            allow_blank=True,
            default="",
            trim_whitespace=False,
        )
        device_id = StrictCharField(
            max_length=OPTIONAL_MAX_LENGTHS["device_id"], required=False, allow_blank=True, default=""
        )
        payment_fingerprint = StrictCharField(
            max_length=OPTIONAL_MAX_LENGTHS["payment_fingerprint"], required=False, allow_blank=True, default=""
        )
        phone = StrictCharField(max_length=OPTIONAL_MAX_LENGTHS["phone"], required=False, allow_blank=True, default="")
        country = StrictCharField(
            max_length=OPTIONAL_MAX_LENGTHS["country"], required=False, allow_blank=True, default=""
        )
        created_at = ZonedDateTimeField(required=False)

        def validate_phone(self, value: str) -> str:
            if value and not E164.match(value):
                raise serializers.ValidationError("must be E.164, e.g. +14155550100")
            return value

        def validate_country(self, value: str) -> str:
            if value and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
                raise serializers.ValidationError("must be an ISO 3166-1 alpha-2 code, e.g. US")
            return value.upper()

    class OutputSerializer(serializers.Serializer):
        account_id = serializers.CharField()
        score = serializers.FloatField()
        band = serializers.ChoiceField(choices=Band.choices)
        decision = serializers.ChoiceField(choices=Decision.choices)
        verification = serializers.ListField(child=serializers.CharField())
        reasons = serializers.ListField(child=serializers.DictField())
        cluster_id = serializers.CharField(allow_null=True)
        model_version = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, 200: OutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        given = "created_at" in data
        data.setdefault("created_at", timezone.now())
        result = services.register_signup(signup=SignupInput(**data), created_at_given=given)
        return Response(signup_body(result), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


def signup_body(result: services.SignupResult) -> dict:
    record = result.record
    return {
        "account_id": result.account.account_id,
        "score": record.score,
        "band": record.band,
        "decision": record.decision,
        "verification": record.verification,
        "reasons": record.reasons,
        "cluster_id": result.account.cluster_id,
        "model_version": record.model_version,
    }


_signup_view = SignupView.as_view()
FAST_PATH_MAX_BYTES = 16_384


@csrf_exempt
def signup_hook(request):
    """POST /api/v1/signups: a well-formed signup from a caller with the signup scope, without DRF.

    DRF's request wrapping, serializer and rendering cost about a millisecond, a quarter of
    the hook's budget. Everything else — a bad key, another method or media type, a field
    the fast path is not sure of (accounts/signup_input.py) — goes to SignupView, which
    validates, documents (OpenAPI) and answers errors as the contract says.
    """
    signup = None
    if (
        request.method == "POST"
        and request.content_type == "application/json"
        and int(request.META.get("CONTENT_LENGTH") or 0) <= FAST_PATH_MAX_BYTES
    ):
        try:
            caller = caller_from_header(request)
        except (OperationalError, InterfaceError):
            caller = None
        if caller is not None and caller.has_scope("signup"):
            signup = decode_canonical_signup(request.body)
    if signup is None:
        return _signup_view(request)
    try:
        result = services.register_signup(signup=signup[0], created_at_given=signup[1])
    except ApiError as exc:
        return json_error(exc.status_code, exc.code, exc.detail)
    except (OperationalError, InterfaceError):
        detail = "the database is unavailable; try again shortly"
        return json_error(503, "unavailable", detail, Retry_After=RETRY_AFTER_SECONDS)
    return JsonResponse(signup_body(result), status=201 if result.created else 200)


def account_body(account: Account) -> dict:
    return {
        "account_id": account.account_id,
        "pathway": account.pathway,
        "status": account.status,
        "score": account.score,
        "band": account.band,
        "decision": account.decision,
        "reasons": account.reasons,
        "cluster_id": account.cluster_id,
        "model_version": account.model_version,
        "scored_at": utc(account.scored_at),
        "evidence_through": utc(account.evidence_through),
        "created_at": utc(account.created_at),
    }


def score_body(record: ScoreRecord) -> dict:
    return {
        "score": record.score,
        "band": record.band,
        "decision": record.decision,
        "verification": record.verification,
        "reasons": record.reasons,
        "trigger": record.trigger,
        "model_version": record.model_version,
        "scored_at": utc(record.scored_at),
        "evidence_through": utc(record.evidence_through),
    }


AccountSchema = inline_serializer(
    "Account",
    {
        "account_id": serializers.CharField(),
        "pathway": serializers.ChoiceField(choices=Pathway.choices),
        "status": serializers.ChoiceField(choices=Status.choices),
        "score": serializers.FloatField(),
        "band": serializers.ChoiceField(choices=Band.choices),
        "decision": serializers.ChoiceField(choices=Decision.choices),
        "reasons": serializers.ListField(child=serializers.DictField()),
        "cluster_id": serializers.CharField(allow_null=True),
        "model_version": serializers.CharField(),
        "scored_at": serializers.DateTimeField(),
        "evidence_through": serializers.DateTimeField(allow_null=True),
        "created_at": serializers.DateTimeField(),
    },
)


class AccountDetailView(APIView):
    permission_classes = [scope_required("read")]

    @extend_schema(responses=AccountSchema)
    def get(self, request, account_id: str):
        return Response(account_body(selectors.get_account(account_id=account_id)))


class AccountScoresView(APIView):
    permission_classes = [scope_required("read")]

    @extend_schema(responses=inline_serializer("ScoreRecord", {"score": serializers.FloatField()}, many=True))
    def get(self, request, account_id: str):
        account = selectors.get_account(account_id=account_id)
        return Response([score_body(record) for record in selectors.score_history(account=account)])


class AccountListView(APIView):
    permission_classes = [scope_required("read")]

    class FilterSerializer(serializers.Serializer):
        band = serializers.ChoiceField(choices=Band.choices, required=False)
        pathway = serializers.ChoiceField(choices=Pathway.choices, required=False)
        decision = serializers.ChoiceField(choices=Decision.choices, required=False)
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        cluster_id = serializers.CharField(max_length=64, required=False)
        ordering = serializers.ChoiceField(
            choices=[f"{sign}{field}" for field in selectors.ACCOUNT_ORDERINGS for sign in ("", "-")],
            required=False,
            default="-scored_at",
        )
        cursor = serializers.CharField(max_length=500, required=False)
        page_size = serializers.CharField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=AccountSchema)
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        page = paginate(
            selectors.filtered_accounts(filters=query),
            ordering=query["ordering"],
            cursor=query.get("cursor"),
            page_size=page_size_from(query.get("page_size")),
        )
        next_url = next_page_url(request, page.next_cursor)
        return Response({"results": [account_body(a) for a in page.items], "next": next_url})


class DecisionFields(serializers.Serializer):
    label = serializers.ChoiceField(choices=Label.choices, allow_null=True, required=False, default=None)
    action = serializers.ChoiceField(choices=AnalystDecision.Action.choices, required=False, default="none")
    note = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


def decision_body(decision: AnalystDecision) -> dict:
    return {
        "account_id": decision.account.account_id,
        "label": decision.label,
        "action": decision.action,
        "note": decision.note,
        "actor": decision.actor,
        "status": decision.account.status,
        "created_at": utc(decision.created_at),
    }


class AccountDecisionView(APIView):
    permission_classes = [scope_required("review")]

    @extend_schema(
        request=DecisionFields, responses={201: inline_serializer("Decision", {"label": serializers.CharField()})}
    )
    def post(self, request, account_id: str):
        fields = DecisionFields(data=request.data)
        fields.is_valid(raise_exception=True)
        decision = services.record_decision(
            decision=services.DecisionInput(account_id=account_id, **fields.validated_data), actor=request.user.actor
        )
        return Response(decision_body(decision), status=status.HTTP_201_CREATED)


MAX_BULK_DECISIONS = 1000


class BulkDecisionView(APIView):
    permission_classes = [scope_required("review")]

    class InputSerializer(serializers.Serializer):
        decisions = serializers.ListField(child=serializers.DictField(), max_length=MAX_BULK_DECISIONS)

    class ItemSerializer(DecisionFields):
        account_id = serializers.RegexField(ACCOUNT_ID_PATTERN, max_length=128)

    @extend_schema(
        request=InputSerializer,
        responses={201: inline_serializer("BulkDecisions", {"accepted": serializers.IntegerField()})},
    )
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accepted, rejected = 0, []
        for index, item in enumerate(body.validated_data["decisions"]):
            fields = self.ItemSerializer(data=item)
            if not fields.is_valid():
                rejected.append(Rejection(index, "validation_error", str(dict(fields.errors))))
                continue
            try:
                services.record_decision(
                    decision=services.DecisionInput(**fields.validated_data), actor=request.user.actor
                )
            except NotFound as exc:
                rejected.append(Rejection(index, "unknown_account", exc.detail))
                continue
            accepted += 1
        answer = {"accepted": accepted, "rejected": [rejection.as_dict() for rejection in rejected]}
        return Response(answer, status=status.HTTP_201_CREATED)


class UsageView(APIView):
    permission_classes = [scope_required("ingest")]

    class EventSerializer(serializers.Serializer):
        """The schema's description of an event; events are validated by accounts.usage_input (msgspec)."""

        event_id = StrictCharField(max_length=128)
        account_id = serializers.RegexField(ACCOUNT_ID_PATTERN, max_length=128)
        timestamp = ZonedDateTimeField()
        ip = serializers.IPAddressField()
        model = StrictCharField(max_length=128)
        input_tokens = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
        output_tokens = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
        prompt = StrictCharField(required=False, allow_blank=True, trim_whitespace=False, max_length=200_000)
        tool_calls = serializers.IntegerField(min_value=0, max_value=100_000, required=False, default=0)
        user_agent = StrictCharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(
        request=inline_serializer("UsageBatch", {"events": EventSerializer(many=True)}),
        responses={202: inline_serializer("UsageAccepted", {"accepted": serializers.IntegerField()})},
    )
    def post(self, request):
        events = request.data.get("events") if isinstance(request.data, dict) else None
        if not isinstance(events, list):
            raise serializers.ValidationError({"events": ['expected {"events": [ ... ]}']})
        if len(events) > ingest.MAX_EVENTS_PER_REQUEST:
            raise PayloadTooLarge(f"at most {ingest.MAX_EVENTS_PER_REQUEST} events a request; got {len(events)}")
        valid, invalid = usage_input.parse_events(events)
        result = ingest.ingest_events(valid, invalid=invalid, request_rescores=request_rescores)
        body = {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": [rejection.as_dict() for rejection in result.rejected],
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)
