"""HTTP views for indicator sharing between providers (scope admin): export and import of STIX 2.1 bundles."""

from __future__ import annotations

import logging

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ZonedDateTimeField
from accounts.auth import scope_required
from accounts.errors import PayloadTooLarge, ServiceUnavailable
from accounts.models import Account
from intel import export, importing, rescan
from riskscore import jobs, rescoring
from riskscore.models import Job

logger = logging.getLogger(__name__)


class StixJSONParser(JSONParser):
    media_type = "application/stix+json"


class ExportView(APIView):
    permission_classes = [scope_required("admin")]

    class ParamsSerializer(serializers.Serializer):
        since = ZonedDateTimeField(required=False)

    @extend_schema(
        parameters=[ParamsSerializer], responses=inline_serializer("Bundle", {"type": serializers.CharField()})
    )
    def get(self, request):
        params = self.ParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(export.export_bundle(since=params.validated_data.get("since")))


class ImportView(APIView):
    permission_classes = [scope_required("admin")]
    parser_classes = [JSONParser, StixJSONParser]

    class ParamsSerializer(serializers.Serializer):
        source = serializers.RegexField(r"^[A-Za-z0-9._:@ -]{1,200}$", required=False)

    @extend_schema(
        request=inline_serializer("BundleIn", {"type": serializers.CharField()}),
        responses={202: inline_serializer("ImportResult", {"indicators": serializers.IntegerField()})},
    )
    def post(self, request):
        params = self.ParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        length = request.META.get("CONTENT_LENGTH") or "0"
        declared = int(length) if length.isdigit() else 0
        # The declared length refuses a large bundle unread; the body's own length catches a chunked one.
        if declared > settings.INTEL_MAX_IMPORT_BYTES or len(request.body) > settings.INTEL_MAX_IMPORT_BYTES:
            raise PayloadTooLarge(f"an indicator bundle is at most {settings.INTEL_MAX_IMPORT_BYTES} bytes")
        try:
            result = importing.import_bundle(
                bundle=request.data, source=params.validated_data.get("source") or request.user.actor
            )
        except importing.NotABundle as exc:
            raise serializers.ValidationError({"bundle": [str(exc)]}) from None
        matching = rescan.accounts_matching(result.identifiers)
        return Response(
            {
                "indicators": result.indicators,
                "new": result.new,
                "updated": result.updated,
                "rejected": [r.as_dict() for r in result.rejected],
                # Zero for a bundle made under another sharing key: its hashes can match nothing here.
                "matching_accounts": len(matching),
                "rescore_job_id": _rescore(matching),
            },
            status=status.HTTP_202_ACCEPTED,
        )


def _rescore(account_pks: list[int]) -> str | None:
    if not account_pks:
        return None
    account_ids = list(Account.objects.filter(pk__in=account_pks).values_list("account_id", flat=True))
    try:
        return str(jobs.enqueue_job(kind=Job.Kind.RESCORE, params={"account_ids": account_ids}).id)
    except ServiceUnavailable:
        logger.warning("broker unavailable: re-scoring %d accounts matching partner indicators now", len(account_ids))
        rescoring.rescore_accounts(account_ids=account_ids, trigger="manual")
        return None
