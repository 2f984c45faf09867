"""Hub usage pages: the usage overview (months, CSV import, exclusions on every
cluster), clusters (their Prometheus, weights per month, pulls), and the hub page's
usage panel."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.core.uploads import read_upload, upload_name
from partnerops.hubs.models import Hub
from partnerops.usage import selectors, services
from partnerops.usage.forms import ClusterForm, ExcludedUserForm, PullForm, UsageCsvForm
from partnerops.usage.models import Cluster, ExcludedUser, HubUsage, UsagePull

VIEW = Capability.VIEW_PIPELINE
CONFIGURE = Capability.CHANGE_HUBS
PULL = Capability.IMPORT_COSTS
Errors = (ValidationError, services.UsageError)


def hub_usage_panel(hub: Hub) -> SafeString:
    history = selectors.hub_history(hub)
    users = selectors.bars([(row.month, Decimal(row.active_users)) for row in history])
    hours = selectors.bars(
        [(row.month, row.server_hours) for row in history if row.server_hours is not None]
    )
    context = {
        "hub": hub,
        "history": history,
        "users_bars": users,
        "hours_bars": hours,
        "users_width": max(34 * len(users), 200),
        "hours_width": max(34 * len(hours), 200),
    }
    return SafeString(render_to_string("usage/hub_panel.html", context))


@requires(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    months = (
        HubUsage.objects.values("month")
        .annotate(hubs=Count("id"), users=Sum("active_users"), pulled=Max("pull__pulled_at"))
        .order_by("-month")
    )
    context = {
        "months": months,
        "pulls": UsagePull.objects.select_related("cluster", "pulled_by")[:30],
        "excluded": ExcludedUser.objects.filter(cluster=None),
        "csv_form": UsageCsvForm(),
        "exclude_form": ExcludedUserForm(),
        "can_pull": has_capability(request.user, PULL),
        "can_configure": has_capability(request.user, CONFIGURE),
    }
    return render(request, "usage/overview.html", context)


@requires(VIEW)
def month(request: HttpRequest, month: str) -> HttpResponse:
    try:
        services.month_bounds(month)
    except services.UsageError as error:
        messages.error(request, error.message)
        return redirect("usage:overview")
    rows = HubUsage.objects.filter(month=month).select_related("hub__community", "pull__cluster")
    return render(request, "usage/month.html", {"month": month, "rows": rows.order_by("hub__name")})


@requires(PULL)
def import_csv(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, an empty one too: it answers with the form's errors.
    posted = request.method == "POST"
    form = UsageCsvForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = read_upload(upload, limit=services.MAX_CSV_BYTES, field="file")
            result = services.usage_import_csv(
                actor=request.user, content=content, file_name=upload_name(upload)
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{upload_name(upload)}: usage of {len(result.hubs)} hub months for {result.month}.",
            )
            return redirect("usage:overview")
    return render(
        request, "form.html", {"form": form, "title": "Import usage (CSV)", "multipart": True}
    )


@requires(VIEW)
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = Cluster.objects.annotate(last_pull=Max("pulls__pulled_at")).order_by("name")
    names = set(Hub.objects.values_list("cluster", flat=True))
    context = {
        "clusters": clusters,
        "unconfigured": sorted(names - {cluster.name for cluster in clusters}),
        "can_configure": has_capability(request.user, CONFIGURE),
    }
    return render(request, "usage/cluster_list.html", context)


@requires(VIEW)
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    usage = (
        HubUsage.objects.filter(hub__cluster=cluster.name)
        .select_related("hub", "pull")
        .order_by("-month", "hub__name")[:500]
    )
    context = {
        "cluster": cluster,
        "hubs": Hub.objects.filter(cluster=cluster.name).order_by("name"),
        "weights": selectors.cluster_weights(cluster)[:500],
        "usage": usage,
        "pulls": cluster.pulls.select_related("pulled_by")[:20],
        "excluded": cluster.excluded_users.all(),
        "pull_form": PullForm(),
        "exclude_form": ExcludedUserForm(),
        "can_pull": has_capability(request.user, PULL),
        "can_configure": has_capability(request.user, CONFIGURE),
        "audit_events": audit.events_for(cluster)[:30],
    }
    return render(request, "usage/cluster_detail.html", context)


@requires(CONFIGURE)
def cluster_create(request: HttpRequest) -> HttpResponse:
    form = ClusterForm(
        request.POST if request.method == "POST" else None,
        initial={"name": request.GET.get("name", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(actor=request.user, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Cluster {cluster} added.")
            return redirect("usage:cluster-detail", cluster.pk)
    return render(request, "form.html", {"form": form, "title": "New cluster"})


@requires(CONFIGURE)
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    form = ClusterForm(
        request.POST if request.method == "POST" else None, instance=Cluster.objects.get(pk=pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_update(actor=request.user, cluster=cluster, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Cluster {cluster} saved.")
            return redirect("usage:cluster-detail", cluster.pk)
    return render(request, "form.html", {"form": form, "title": f"Edit cluster {cluster}"})


@require_POST
@requires(PULL)
def cluster_pull(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    form = PullForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the month as YYYY-MM, e.g. 2026-10.")
        return redirect("usage:cluster-detail", cluster.pk)
    try:
        result = services.usage_pull(
            actor=request.user, cluster=cluster, month=form.cleaned_data["month"]
        )
    except services.UsageError as error:
        messages.error(request, error.message)
    else:
        text = f"{result.month}: {result.active_users} active users on {len(result.hubs)} hubs"
        if result.excluded:
            text += f", {result.excluded} user names excluded"
        if result.unknown_namespaces:
            text += "; namespaces with users that are no hub: " + ", ".join(
                result.unknown_namespaces
            )
        if result.partial_month:
            text += " (the month is not over: a running view)"
        messages.success(request, text + ".")
    return redirect("usage:cluster-detail", cluster.pk)


@require_POST
@requires(CONFIGURE)
def excluded_add(request: HttpRequest) -> HttpResponse:
    cluster_id = request.POST.get("cluster", "")
    cluster = get_object_or_404(Cluster, pk=int(cluster_id)) if cluster_id.isdigit() else None
    form = ExcludedUserForm(request.POST)
    back = redirect("usage:cluster-detail", cluster.pk) if cluster else redirect("usage:overview")
    if not form.is_valid():
        messages.error(request, "Give the user name that should never count.")
        return back
    try:
        services.excluded_user_add(actor=request.user, cluster=cluster, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{form.cleaned_data['username']} no longer counts.")
    return back


@require_POST
@requires(CONFIGURE)
def excluded_remove(request: HttpRequest, pk: int) -> HttpResponse:
    excluded = get_object_or_404(ExcludedUser, pk=pk)
    cluster_id = excluded.cluster_id
    services.excluded_user_remove(actor=request.user, excluded=excluded)
    messages.success(request, f"{excluded.username} counts again.")
    return (
        redirect("usage:cluster-detail", cluster_id) if cluster_id else redirect("usage:overview")
    )
