"""The console's pages. Thin: parse a form, call one selector or service, render a template."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Account, AnalystDecision, ApiKey, Status
from clusters.models import Cluster
from console import campaigns, charts, model_reports, policy_edit, selectors, services
from console.forms import (
    ApiKeyForm,
    AuditFilterForm,
    BulkDecisionForm,
    DecisionForm,
    EnforcementPolicyForm,
    PolicyForm,
    QueueFilterForm,
    UserForm,
)
from console.masking import mask_email, mask_identifier, mask_ip, mask_phone
from console.roles import ADMIN, GROUP_FOR_ROLE, admin_required, analyst_required
from console.templatetags.console_tags import link_name
from enforcement import policy as enforcement_policy
from enforcement import selectors as enforcement_selectors
from enforcement import services as enforcement_services
from enforcement import tasks as enforcement_tasks
from riskscore import policy
from riskscore.models import ModelVersion
from riskscore.registry import previous_version

PAGE_SIZE = 50


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


def _page(request, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _not_found(request, what: str):
    return render(request, "console/not_found.html", {"what": what}, status=404)


@require_safe
@analyst_required
def home(request):
    return redirect("console:queue")


@require_safe
@analyst_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.QueueFilters()
    page = _page(request, selectors.review_queue(filters=filters))
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "console/queue.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.queue_counts(),
            "decision_form": BulkDecisionForm(),
            "query": urlencode(query),
            "here": request.get_full_path(),
        },
    )


@require_POST
@analyst_required
def queue_decide(request):
    form = BulkDecisionForm(request.POST)
    back = _back(request, reverse("console:queue"))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", [])) or _errors(form))
        return redirect(back)
    try:
        count = services.decide_accounts(
            account_ids=form.selected, request=_decision_request(form), actor=_actor(request)
        )
    except services.ConsoleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Recorded the decision on {count} account{'s' if count != 1 else ''}.")
    return redirect(back)


def _errors(form) -> str:
    return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())


def _decision_request(form: DecisionForm) -> services.DecisionRequest:
    return services.DecisionRequest(
        label=form.label_value, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
    )


def _apply_decision(request, form: DecisionForm, decide: Callable[[services.DecisionRequest], str]) -> bool:
    """Validate the form and carry it out; a refusal lands on the form. True once recorded."""
    if not form.is_valid():
        return False
    try:
        message = decide(_decision_request(form))
    except services.ConsoleError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, message)
    return True


@require_safe
@analyst_required
def account_detail(request, account_id: str):
    account = Account.objects.filter(account_id=account_id).first()
    if account is None:
        return _not_found(request, f"account {account_id}")
    return render(request, "console/account.html", _account_context(account, DecisionForm()))


def _account_context(account: Account, form: DecisionForm) -> dict:
    _, document = policy.current_policy.get()
    thresholds = policy.resolve(document, account.pathway)["band_thresholds"]
    history = selectors.score_history(account=account)
    usage = selectors.usage_summary(account=account)
    gateway, tier_changes = selectors.gateway_state(account=account)
    return {
        "account": account,
        "masked": {
            "email": mask_email(account.email),
            "phone": mask_phone(account.phone),
            "ip": mask_ip(account.ip),
            "device": mask_identifier(account.device_id),
            "payment": mask_identifier(account.payment_fingerprint),
        },
        "history": list(reversed(history)),
        "history_chart": charts.score_history_chart(
            [(record.scored_at, record.score, record.trigger) for record in history], thresholds
        ),
        "usage": usage,
        "usage_chart": _usage_chart(usage),
        "usage_legend": [
            (name.replace("_", " "), n, CATEGORY_CSS.get(name, "cat-8")) for name, n in usage.categories.items()
        ],
        "cot_chart": charts.bar_chart(
            [
                charts.Bar(f"{day.day:%m-%d}", [("series-2", day.cot_share)], f"{day.cot_share:.0%}")
                for day in usage.days
            ],
            label="Share of prompts eliciting chain of thought per day",
            y_format="{:.0%}",
            height=140,
        ),
        "linked": selectors.linked_identifiers(account=account),
        "cluster": selectors.cluster_of(account=account),
        "decisions": selectors.decision_history(account=account),
        "gateway": gateway,
        "tier_changes": tier_changes,
        "form": form,
        "actions": AnalystDecision.Action,
    }


CATEGORY_CSS = {
    "coding": "cat-0",
    "agentic_tool_use": "cat-1",
    "computer_use": "cat-2",
    "data_analysis": "cat-3",
    "reasoning": "cat-4",
    "grading": "cat-5",
    "rewriting": "cat-6",
    "general": "cat-7",
}


def _usage_chart(usage: selectors.UsageSummary):
    bars = [
        charts.Bar(
            f"{day.day:%m-%d}",
            [(CATEGORY_CSS.get(name, "cat-8"), n) for name, n in sorted(day.categories.items())],
            f"{day.day:%Y-%m-%d}: {day.events} requests, {day.tokens} tokens",
        )
        for day in usage.days
    ]
    return charts.bar_chart(bars, label="Requests per day by capability")


@require_POST
@analyst_required
def account_decide(request, account_id: str):
    account = Account.objects.filter(account_id=account_id).first()
    if account is None:
        return _not_found(request, f"account {account_id}")
    form = DecisionForm(request.POST)

    def decide(decision: services.DecisionRequest) -> str:
        services.decide_accounts(account_ids=[account_id], request=decision, actor=_actor(request))
        return f"Recorded: {decision.action} / {decision.label or 'no label'}."

    if _apply_decision(request, form, decide):
        return redirect("console:account", account_id=account_id)
    return render(request, "console/account.html", _account_context(account, form), status=400)


@require_safe
@analyst_required
def cluster_list(request):
    return render(request, "console/clusters.html", {"page": _page(request, campaigns.clusters_by_score())})


@require_safe
@analyst_required
def cluster_detail(request, cluster_id: str):
    cluster = Cluster.objects.filter(cluster_id=cluster_id).first()
    if cluster is None:
        return _not_found(request, f"cluster {cluster_id}")
    return render(request, "console/cluster.html", _cluster_context(cluster, DecisionForm()))


def _cluster_context(cluster: Cluster, form: DecisionForm) -> dict:
    members = campaigns.cluster_members(cluster=cluster)
    shared = campaigns.shared_identifiers(members=members)
    waves = campaigns.waves(members=members)
    graph = None
    if 0 < len(members) <= campaigns.MAX_GRAPH_MEMBERS:
        kinds = sorted({item.kind for item in shared})
        graph = charts.link_graph(
            [
                charts.GraphNode(
                    key=m.account.account_id,
                    label=f"{m.account.account_id} · {m.account.status} · score {m.account.score:.2f}",
                    css=f"status-{m.account.status}",
                    href=reverse("console:account", args=[m.account.account_id]),
                )
                for m in members
            ],
            [
                charts.GraphHub(
                    key=item.key,
                    label=item.key,
                    css=f"kind-{kinds.index(item.kind)}",
                    members=[a.account_id for a in item.members],
                )
                for item in shared
            ],
            label=f"Members of {cluster.cluster_id} and the identifiers they share",
        )
    timeline = charts.bar_chart(
        [
            charts.Bar(
                f"wave {w.number}",
                [("series-0", w.members)],
                f"wave {w.number}: {w.members} members, {w.start:%Y-%m-%d %H:%M} – {w.end:%Y-%m-%d %H:%M}",
            )
            for w in waves
        ],
        label="Members per wave",
        height=160,
    )
    kinds = sorted({item.kind for item in shared})
    return {
        "cluster": cluster,
        "members": members,
        "shared": shared,
        "legend": [(kind, f"kind-{index}") for index, kind in enumerate(kinds)],
        "statuses": Status.choices,
        "links": [(link_name(link.get("kind", "")), link.get("accounts")) for link in cluster.links],
        "waves": waves,
        "timeline": timeline,
        "graph": graph,
        "max_graph": campaigns.MAX_GRAPH_MEMBERS,
        "form": form,
    }


@require_POST
@analyst_required
def cluster_decide(request, cluster_id: str):
    cluster = Cluster.objects.filter(cluster_id=cluster_id).first()
    if cluster is None:
        return _not_found(request, f"cluster {cluster_id}")
    form = DecisionForm(request.POST)

    def decide(decision: services.DecisionRequest) -> str:
        count = services.decide_cluster(cluster=cluster, request=decision, actor=_actor(request))
        return f"Recorded the decision on all {count} members of {cluster_id}."

    if _apply_decision(request, form, decide):
        return redirect("console:cluster", cluster_id=cluster_id)
    return render(request, "console/cluster.html", _cluster_context(cluster, form), status=400)


@require_safe
@analyst_required
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.AuditFilters()
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "console/audit.html",
        {"form": form, "page": _page(request, selectors.audit_log(filters=filters)), "query": urlencode(query)},
    )


@require_safe
@admin_required
def models_page(request):
    selected = model_reports.get_version(request.GET.get("version", "")) or model_reports.default_version()
    context = {"versions": model_reports.model_versions(), "selected": selected}
    if selected is not None:
        active = model_reports.active_of_kind(selected.kind)
        curves = model_reports.stored_curves(selected)
        context["selected_has_curves"] = curves is not None
        active_curves = model_reports.stored_curves(active) if active and active.pk != selected.pk else None
        roc, pr = [], []
        for name, stored, css in (
            (selected.version, curves, "series-1"),
            (f"active ({active.version})" if active else "", active_curves, "series-0"),
        ):
            if stored:
                roc.append(charts.Series(name, list(zip(stored["roc"]["fpr"], stored["roc"]["tpr"], strict=True)), css))
                pr.append(
                    charts.Series(name, list(zip(stored["pr"]["recall"], stored["pr"]["precision"], strict=True)), css)
                )
        distributions, sample = [], model_reports.recent_signup_features()
        for name, model, css in (
            (f"active ({active.version})" if active else "", active, "series-0"),
            (
                f"selected ({selected.version})",
                selected if not active or active.pk != selected.pk else None,
                "series-1",
            ),
        ):
            points = model_reports.score_distribution(model, sample) if model else None
            if points:
                distributions.append(charts.Series(name, points, css))
        context |= {
            "active": active,
            "curve_legend": [(series.name, series.css) for series in roc],
            "by_pathway": sorted((selected.metrics.get("by_pathway") or {}).items()),
            "roc_chart": charts.curve_chart(
                roc, x_name="false-positive rate", y_name="true-positive rate", label="ROC curve", diagonal=True
            )
            if roc
            else None,
            "pr_chart": charts.curve_chart(pr, x_name="recall", y_name="precision", label="Precision-recall curve")
            if pr
            else None,
            "importance": model_reports.feature_importance(selected),
            "distribution_chart": charts.histogram_chart(
                distributions, label="Score distribution of recent accounts", bins=model_reports.DISTRIBUTION_BINS
            )
            if distributions
            else None,
            "sample_size": model_reports.DISTRIBUTION_SAMPLE,
            "can_roll_back": previous_version(selected.kind) is not None,
        }
    return render(request, "console/models.html", context)


@require_POST
@admin_required
def model_activate(request, version: str):
    try:
        services.activate_model(version=version, actor=_actor(request))
    except services.ConsoleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{version} is now active.")
    return redirect(f"{reverse('console:models')}?{urlencode({'version': version})}")


@require_POST
@admin_required
def model_roll_back(request, kind: str):
    if kind not in ModelVersion.Kind.values:
        return _not_found(request, f"model kind {kind}")
    try:
        model = services.roll_back_model(kind=kind, actor=_actor(request))
    except services.ConsoleError as exc:
        messages.error(request, str(exc))
        return redirect("console:models")
    messages.success(request, f"Rolled back: {model.version} is active again.")
    return redirect(f"{reverse('console:models')}?{urlencode({'version': model.version})}")


@admin_required
def policy_page(request):
    version, document = policy.current_policy.get()
    rows = policy_edit.policy_rows(document)
    form = PolicyForm(request.POST or None, rows=rows)
    context = {"version": version, "rows": rows, "form": form, "preview_days": policy_edit.PREVIEW_DAYS}
    if request.method == "POST" and form.is_valid():
        edited = policy_edit.edited_document(document, form.cleaned_data)
        try:
            policy.validate(edited)
        except policy.InvalidPolicy as exc:
            form.add_error(None, str(exc))
            return render(request, "console/policy.html", context, status=400)
        result = policy_edit.preview(document=edited)
        if request.POST.get("intent") == "save":
            try:
                saved = services.save_policy(document=edited, actor=_actor(request), changes=result.changed)
            except services.ConsoleError as exc:
                form.add_error(None, str(exc))
                return render(request, "console/policy.html", context, status=400)
            messages.success(request, f"Saved policy version {saved}.")
            return redirect("console:policy")
        context["preview"] = result
    elif request.method == "POST":
        return render(request, "console/policy.html", context, status=400)
    return render(request, "console/policy.html", context)


@admin_required
def enforcement_policy_page(request):
    """The gateway's tiers, limits and rules: preview how many accounts would change tier, then save a version."""
    version, document = enforcement_policy.current_enforcement_policy.fresh()
    form = EnforcementPolicyForm(request.POST or None, initial={"document": json.dumps(document, indent=2)})
    context = {"version": version, "form": form, "tiers": document["tiers"]}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "console/enforcement_policy.html", context, status=400)
        edited = form.cleaned_data["document"]
        if request.POST.get("intent") == "save":
            saved = enforcement_services.save_enforcement_policy(document=edited, actor=_actor(request))
            enforcement_tasks.request_refresh_all()
            name = enforcement_policy.version_name(saved.version)
            messages.success(request, f"Saved enforcement policy {name}; every account is being re-evaluated.")
            return redirect("console:enforcement-policy")
        context["preview"] = enforcement_selectors.preview_policy(document=edited)
    return render(request, "console/enforcement_policy.html", context)


@admin_required
def keys_page(request):
    form = ApiKeyForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = services.create_key(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], actor=_actor(request)
            )
        except services.ConsoleError as exc:
            form.add_error(None, str(exc))
        else:
            created, form = (key, raw), ApiKeyForm()
    keys = ApiKey.objects.order_by("-created_at", "-id")
    return render(
        request,
        "console/keys.html",
        {"form": form, "keys": keys, "created": created},
        status=400 if request.method == "POST" and not created else 200,
    )


@require_POST
@admin_required
def key_revoke(request, key_id: int):
    try:
        key = services.revoke_key(key_id=key_id, actor=_actor(request))
    except services.ConsoleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Revoked {key.name} ({key.prefix}…).")
    return redirect("console:keys")


@admin_required
def users_page(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_console_user(**form.cleaned_data, actor=_actor(request))
        except services.ConsoleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Created {user.username} ({form.cleaned_data['role']}).")
            return redirect("console:users")
    users = get_user_model().objects.prefetch_related("groups").order_by("username")
    rows = [
        (
            user,
            ADMIN
            if user.is_superuser or any(g.name == GROUP_FOR_ROLE[ADMIN] for g in user.groups.all())
            else ", ".join(g.name.removeprefix("console-") for g in user.groups.all()) or "none",
        )
        for user in users
    ]
    return render(request, "console/users.html", {"form": form, "rows": rows}, status=400 if form.errors else 200)
