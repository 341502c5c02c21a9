"""HTTP views for clusters: list, one cluster, run detection (a job), and act on a whole cluster."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import DecisionFields, utc
from accounts.auth import scope_required
from accounts.models import AnalystDecision, Band
from accounts.pagination import next_page_url, page_size_from, paginate
from clusters import selectors, services
from clusters.models import Cluster
from riskscore import jobs
from riskscore.models import Job

ClusterSchema = inline_serializer(
    "Cluster",
    {
        "cluster_id": serializers.CharField(),
        "size": serializers.IntegerField(),
        "score": serializers.FloatField(),
        "band": serializers.ChoiceField(choices=Band.choices),
        "links": serializers.ListField(child=serializers.DictField()),
        "first_seen": serializers.DateTimeField(),
        "last_seen": serializers.DateTimeField(),
        "member_ids": serializers.ListField(child=serializers.CharField()),
        "features": serializers.DictField(),
        "changed_at": serializers.DateTimeField(),
    },
)


def cluster_body(cluster: Cluster, member_ids: list[str]) -> dict:
    return {
        "cluster_id": cluster.cluster_id,
        "size": cluster.size,
        "score": cluster.score,
        "band": cluster.band,
        "links": cluster.links,
        "first_seen": utc(cluster.first_seen),
        "last_seen": utc(cluster.last_seen),
        "member_ids": member_ids,
        "features": cluster.features,
        "changed_at": utc(cluster.changed_at),
        "dissolved_at": utc(cluster.dissolved_at),
    }


class ClusterListView(APIView):
    permission_classes = [scope_required("read")]

    class FilterSerializer(serializers.Serializer):
        band = serializers.ChoiceField(choices=Band.choices, required=False)
        ordering = serializers.ChoiceField(
            choices=[f"{sign}{field}" for field in selectors.CLUSTER_ORDERINGS for sign in ("", "-")],
            required=False,
            default="-score",
        )
        cursor = serializers.CharField(max_length=500, required=False)
        page_size = serializers.CharField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=ClusterSchema)
    def get(self, request):
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data
        page = paginate(
            selectors.live_clusters(filters=query),
            ordering=query["ordering"],
            cursor=query.get("cursor"),
            page_size=page_size_from(query.get("page_size")),
        )
        members = selectors.member_ids(clusters=page.items)
        next_url = next_page_url(request, page.next_cursor)
        return Response({"results": [cluster_body(c, members.get(c.pk, [])) for c in page.items], "next": next_url})


class ClusterDetailView(APIView):
    permission_classes = [scope_required("read")]

    @extend_schema(responses=ClusterSchema)
    def get(self, request, cluster_id: str):
        cluster = selectors.get_cluster(cluster_id=cluster_id)
        return Response(cluster_body(cluster, selectors.member_ids(clusters=[cluster]).get(cluster.pk, [])))


class ClusterDetectView(APIView):
    permission_classes = [scope_required("admin")]

    @extend_schema(
        request=None, responses={202: inline_serializer("DetectAccepted", {"job_id": serializers.CharField()})}
    )
    def post(self, request):
        job = jobs.enqueue_job(kind=Job.Kind.DETECT_CLUSTERS, params={"trigger": "api"})
        return Response({"job_id": str(job.id)}, status=status.HTTP_202_ACCEPTED)


class ClusterActionView(APIView):
    permission_classes = [scope_required("review")]

    class InputSerializer(DecisionFields):
        action = serializers.ChoiceField(choices=[AnalystDecision.Action.SUSPEND, AnalystDecision.Action.BAN])

    @extend_schema(
        request=InputSerializer,
        responses={201: inline_serializer("ClusterActed", {"accounts": serializers.IntegerField()})},
    )
    def post(self, request, cluster_id: str):
        fields = self.InputSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        acted = services.act_on_cluster(
            action=services.ClusterAction(cluster_id=cluster_id, **fields.validated_data), actor=request.user.actor
        )
        body = {
            "cluster_id": cluster_id,
            "action": fields.validated_data["action"],
            "label": fields.validated_data["label"],
            "accounts": len(acted),
            "account_ids": acted,
        }
        return Response(body, status=status.HTTP_201_CREATED)
