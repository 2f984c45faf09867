"""The Active Hubs table."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.hubs import services
from partnerops.hubs.forms import HubForm
from partnerops.hubs.models import CloudProvider, Hub, HubState
from partnerops.hubs.panels import hub_panels
from partnerops.hubs.states import HUB_MOVES

VIEW = Capability.VIEW_PIPELINE
CHANGE = Capability.CHANGE_HUBS


@requires(VIEW)
def hub_list(request: HttpRequest) -> HttpResponse:
    hubs = Hub.objects.select_related("community", "agreement__tier").order_by("name")
    state, provider = request.GET.get("state", ""), request.GET.get("provider", "")
    if state:
        hubs = hubs.filter(state=state)
    if provider:
        hubs = hubs.filter(provider=provider)
    context = {
        "hubs": hubs,
        "state": state,
        "provider": provider,
        "states": HubState.choices,
        "providers": CloudProvider.choices,
        "can_change": has_capability(request.user, CHANGE),
    }
    return render(request, "hubs/hub_list.html", context)


@requires(VIEW)
def hub_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hub = get_object_or_404(Hub.objects.select_related("community", "agreement__tier"), pk=pk)
    context = {
        "hub": hub,
        "moves": HUB_MOVES.allowed(hub.state),
        "audit_events": audit.events_for(hub)[:50],
        "can_change": has_capability(request.user, CHANGE),
        "panels": hub_panels(hub),
    }
    return render(request, "hubs/hub_detail.html", context)


@requires(CHANGE)
def hub_create(request: HttpRequest) -> HttpResponse:
    form = HubForm(
        request.POST or None,
        initial={
            "community": request.GET.get("community"),
            "agreement": request.GET.get("agreement"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            hub = services.hub_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Hub {hub.name} added to the Active Hubs table.")
            return redirect("hubs:hub-detail", pk=hub.pk)
    return render(request, "form.html", {"form": form, "title": "New hub"})


@requires(CHANGE)
def hub_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hub = get_object_or_404(Hub, pk=pk)
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        try:
            services.hub_update(actor=request.user, hub=hub, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            return redirect("hubs:hub-detail", pk=hub.pk)
    return render(request, "form.html", {"form": form, "title": f"Edit hub {hub.name}"})


@requires(VIEW, write=CHANGE)
@require_POST
def hub_transition(request: HttpRequest, pk: int) -> HttpResponse:
    hub = get_object_or_404(Hub, pk=pk)
    state = request.POST.get("state", "")
    if state not in HubState.values:
        messages.error(request, "Choose a state for the hub.")
        return redirect("hubs:hub-detail", pk=pk)
    try:
        services.hub_transition(actor=request.user, hub=hub, state=state)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Hub {hub.name} is now {HubState(state).label}.")
    return redirect("hubs:hub-detail", pk=pk)
