"""HTTP views for the engine: models, training and jobs (scope admin)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import ACCOUNT_ID_PATTERN, utc
from accounts.audit import record_audit
from accounts.auth import scope_required
from accounts.errors import NotFound
from riskscore import jobs, registry
from riskscore.models import Job, ModelVersion

JobSchema = inline_serializer("JobAccepted", {"job_id": serializers.CharField()})


def model_body(model: ModelVersion) -> dict:
    return {
        "version": model.version,
        "kind": model.kind,
        "status": model.status,
        "trained_at": utc(model.trained_at),
        "activated_at": utc(model.activated_at),
        "metrics": model.metrics,
    }


def job_body(job: Job) -> dict:
    return {
        "job_id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "result": job.result,
        "error": job.error,
        "created_at": utc(job.created_at),
        "started_at": utc(job.started_at),
        "finished_at": utc(job.finished_at),
    }


class ModelListView(APIView):
    permission_classes = [scope_required("admin")]

    @extend_schema(responses=inline_serializer("Model", {"version": serializers.CharField()}, many=True))
    def get(self, request):
        models = ModelVersion.objects.defer("artifact").order_by("-trained_at", "-id")
        return Response([model_body(model) for model in models])


class ModelActivateView(APIView):
    permission_classes = [scope_required("admin")]

    @extend_schema(request=None, responses=inline_serializer("ModelActivated", {"version": serializers.CharField()}))
    def post(self, request, version: str):
        if not ModelVersion.objects.filter(version=version).exists():
            raise NotFound(f"no model {version}")
        model = registry.activate(version)
        record_audit(actor=request.user.actor, action="activate_model", object_type="model", object_id=version)
        return Response(model_body(model))


class TrainView(APIView):
    permission_classes = [scope_required("admin")]

    class InputSerializer(serializers.Serializer):
        activate = serializers.BooleanField(required=False, default=False)

    @extend_schema(request=InputSerializer, responses={202: JobSchema})
    def post(self, request):
        params = self.InputSerializer(data=request.data or {})
        params.is_valid(raise_exception=True)
        job = jobs.enqueue_job(kind=Job.Kind.TRAIN, params={**params.validated_data, "actor": request.user.actor})
        return Response({"job_id": str(job.id)}, status=status.HTTP_202_ACCEPTED)


class RescoreView(APIView):
    permission_classes = [scope_required("admin")]

    class InputSerializer(serializers.Serializer):
        account_ids = serializers.ListField(
            child=serializers.RegexField(ACCOUNT_ID_PATTERN, max_length=128), required=False, max_length=100_000
        )
        all = serializers.BooleanField(required=False, default=False)

        def validate(self, data):
            if data["all"] == ("account_ids" in data):
                raise serializers.ValidationError("give either account_ids or all: true")
            return data

    @extend_schema(request=InputSerializer, responses={202: JobSchema})
    def post(self, request):
        body = self.InputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        params = {"account_ids": None if body.validated_data["all"] else body.validated_data["account_ids"]}
        job = jobs.enqueue_job(kind=Job.Kind.RESCORE, params=params)
        return Response({"job_id": str(job.id)}, status=status.HTTP_202_ACCEPTED)


class JobDetailView(APIView):
    permission_classes = [scope_required("admin")]

    @extend_schema(responses=inline_serializer("Job", {"job_id": serializers.CharField()}))
    def get(self, request, job_id: str):
        return Response(job_body(jobs.get_job(job_id=job_id)))
