"""URL routes. Every API path works with or without a trailing slash, without redirects."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import api as accounts_api
from clusters import api as clusters_api
from enforcement import api as enforcement_api
from intel import api as intel_api
from riskscore import api as engine_api
from riskscore import views

ACCOUNT_ID = r"(?P<account_id>[^/]{1,300})"


def api(pattern: str, view, name: str):
    return re_path(rf"^api/v1/{pattern}/?$", view, name=name)


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    api("schema", SpectacularAPIView.as_view(), "schema"),
    api("docs", SpectacularSwaggerView.as_view(url_name="schema"), "docs"),
    # Hot paths are served by a plain view (the first match); the DRF view after each documents it.
    api("signups", accounts_api.signup_hook, "signups"),
    api("signups", accounts_api.SignupView.as_view(), "signups-documented"),
    api("usage", accounts_api.UsageView.as_view(), "usage"),
    api("accounts", accounts_api.AccountListView.as_view(), "account-list"),
    api(rf"accounts/{ACCOUNT_ID}/scores", accounts_api.AccountScoresView.as_view(), "account-scores"),
    api(rf"accounts/{ACCOUNT_ID}/decisions", accounts_api.AccountDecisionView.as_view(), "account-decisions"),
    api(rf"accounts/{ACCOUNT_ID}/tier-changes", enforcement_api.TierChangesView.as_view(), "account-tier-changes"),
    api(rf"accounts/{ACCOUNT_ID}", accounts_api.AccountDetailView.as_view(), "account-detail"),
    api("decisions", accounts_api.BulkDecisionView.as_view(), "decisions"),
    api("clusters", clusters_api.ClusterListView.as_view(), "cluster-list"),
    api("clusters/detect", clusters_api.ClusterDetectView.as_view(), "cluster-detect"),
    api(r"clusters/(?P<cluster_id>[^/]{1,300})/actions", clusters_api.ClusterActionView.as_view(), "cluster-actions"),
    api(r"clusters/(?P<cluster_id>[^/]{1,300})", clusters_api.ClusterDetailView.as_view(), "cluster-detail"),
    api("models", engine_api.ModelListView.as_view(), "model-list"),
    api(r"models/(?P<version>[^/]+)/activate", engine_api.ModelActivateView.as_view(), "model-activate"),
    api("models/train", engine_api.TrainView.as_view(), "model-train"),
    api("rescore", engine_api.RescoreView.as_view(), "rescore"),
    api(r"jobs/(?P<job_id>[^/]+)", engine_api.JobDetailView.as_view(), "job-detail"),
    api("enforcement", enforcement_api.EnforcementFeedView.as_view(), "enforcement-feed"),
    api(rf"enforcement/{ACCOUNT_ID}", enforcement_api.enforcement_lookup, "enforcement-lookup"),
    api(rf"enforcement/{ACCOUNT_ID}", enforcement_api.EnforcementDetailView.as_view(), "enforcement-detail"),
    api("enforcement-policy", enforcement_api.EnforcementPolicyView.as_view(), "enforcement-policy"),
    api("enforcement-policy/preview", enforcement_api.EnforcementPolicyPreviewView.as_view(), "enforcement-preview"),
    api("intel/export", intel_api.ExportView.as_view(), "intel-export"),
    api("intel/import", intel_api.ImportView.as_view(), "intel-import"),
    path("admin/", admin.site.urls),
    path("console/", include("console.urls")),
]

handler404 = "accounts.errors.json_not_found"
handler500 = "accounts.errors.json_server_error"
handler400 = "accounts.errors.json_bad_request"
