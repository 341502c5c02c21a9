"""The console's routes, mounted at /console/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="console/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("queue/", views.queue, name="queue"),
    path("queue/decide/", views.queue_decide, name="queue-decide"),
    path("accounts/<str:account_id>/", views.account_detail, name="account"),
    path("accounts/<str:account_id>/decide/", views.account_decide, name="account-decide"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("clusters/<str:cluster_id>/", views.cluster_detail, name="cluster"),
    path("clusters/<str:cluster_id>/decide/", views.cluster_decide, name="cluster-decide"),
    path("audit/", views.audit, name="audit"),
    path("models/", views.models_page, name="models"),
    path("models/<str:version>/activate/", views.model_activate, name="model-activate"),
    path("models/rollback/<str:kind>/", views.model_roll_back, name="model-rollback"),
    path("policy/", views.policy_page, name="policy"),
    path("enforcement-policy/", views.enforcement_policy_page, name="enforcement-policy"),
    path("keys/", views.keys_page, name="keys"),
    path("keys/<int:key_id>/revoke/", views.key_revoke, name="key-revoke"),
    path("users/", views.users_page, name="users"),
]
