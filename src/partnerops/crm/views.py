"""Pipeline pages: board, list, organizations, engagements, MANIAC-T, timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.crm import selectors, services
from partnerops.crm.forms import (
    ContactForm,
    EngagementForm,
    MoveForm,
    OrganizationForm,
    QualificationForm,
    TimelineEntryForm,
)
from partnerops.crm.models import (
    Assessment,
    Contact,
    Criterion,
    Engagement,
    Organization,
    OrganizationKind,
)
from partnerops.crm.sections import engagement_sections
from partnerops.crm.states import PHASE_MOVES, PHASE_ORDER, Phase, Status, allowed_targets

VIEW = Capability.VIEW_PIPELINE
CHANGE = Capability.CHANGE_PIPELINE


def _filter_context(request: HttpRequest, filters: selectors.EngagementFilters) -> dict[str, Any]:
    owners = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    return {
        "filters": filters,
        "phases": Phase.choices,
        "statuses": Status.choices,
        "kinds": OrganizationKind.choices,
        "owners": owners,
        "can_change": has_capability(request.user, CHANGE),
    }


# Board and list ----------------------------------------------------------------------


@requires(VIEW)
def board(request: HttpRequest) -> HttpResponse:
    filters = selectors.EngagementFilters.from_query(request.GET)
    columns = selectors.board_columns(filters)
    # Closing needs a reason, so the card's quick move offers the other phases;
    # "More…" opens the full move form.
    for column in columns:
        here = PHASE_ORDER.index(column.phase)
        # Forward moves first: the usual next step is the default choice.
        quick = sorted(
            PHASE_MOVES.moves[column.phase] - {Phase.CLOSED},
            key=lambda phase: (PHASE_ORDER.index(phase) < here, PHASE_ORDER.index(phase)),
        )
        for engagement in column.cards:
            engagement.next_phases = quick  # type: ignore[attr-defined]
    context = {"columns": columns, **_filter_context(request, filters)}
    return render(request, "crm/board.html", context)


@requires(VIEW, write=CHANGE)
@require_POST
def board_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card to another column: the same service and rules as the move form."""
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    try:
        services.engagement_move(
            actor=request.user, engagement=engagement, phase=request.POST.get("phase", "")
        )
    except (DomainError, ValidationError, ValueError) as error:
        text = (
            error.message
            if isinstance(error, DomainError)
            else "; ".join(getattr(error, "messages", [str(error)]))
        )
        messages.error(request, f"{engagement.organization}: {text}")
    else:
        messages.success(
            request, f"{engagement.organization} moved to {Phase(engagement.phase).label}."
        )
    return redirect(request.POST.get("next") or reverse("crm:board"))


@requires(VIEW)
def engagement_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.EngagementFilters.from_query(request.GET)
    page = selectors.engagement_page(filters, request.GET.get("page"), settings.PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "querystring": query.urlencode(), **_filter_context(request, filters)}
    template = "crm/_engagement_rows.html" if request.htmx else "crm/engagement_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


# Engagements -------------------------------------------------------------------------


@requires(VIEW)
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(
        Engagement.objects.select_related("organization", "owner").prefetch_related(
            Prefetch("organization__contacts", queryset=Contact.objects.order_by("name"))
        ),
        pk=pk,
    )
    timeline = engagement.timeline_entries.select_related("author", "milestone")
    context = {
        "engagement": engagement,
        "timeline": timeline,
        "criteria": _criteria_rows(services.qualification_snapshot(engagement)),
        "targets": allowed_targets(engagement.state),
        "entry_form": TimelineEntryForm(),
        "audit_events": audit.events_for(engagement)[:50],
        "can_change": has_capability(request.user, CHANGE),
        **engagement_sections(engagement),
    }
    return render(request, "crm/engagement_detail.html", context)


def _criteria_rows(snapshot: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    return [
        {
            "label": criterion.label,
            "assessment": snapshot[criterion.value]["assessment"],
            "assessment_label": Assessment(snapshot[criterion.value]["assessment"]).label,
            "evidence": snapshot[criterion.value]["evidence"],
        }
        for criterion in Criterion
    ]


@requires(CHANGE)
def engagement_create(request: HttpRequest) -> HttpResponse:
    initial = {"owner": request.user.pk, "organization": request.GET.get("organization")}
    form = EngagementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organization = data.pop("organization")
        try:
            engagement = services.engagement_create(
                actor=request.user, organization=organization, **data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Engagement with {organization} created as a Lead.")
            return redirect("crm:engagement-detail", pk=engagement.pk)
    return render(request, "form.html", {"form": form, "title": "New engagement"})


@requires(CHANGE)
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    form = EngagementForm(request.POST or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                actor=request.user, engagement=engagement, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Engagement saved.")
            return redirect("crm:engagement-detail", pk=engagement.pk)
    return render(
        request,
        "form.html",
        {"form": form, "title": f"Edit {engagement}"},
    )


@requires(CHANGE)
def engagement_move(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    targets = allowed_targets(engagement.state)
    initial = {"target": request.GET.get("target", "")}
    form = MoveForm(request.POST or None, targets=targets, initial=initial)
    if request.method == "POST" and form.is_valid():
        phase, status = form.target_state()
        try:
            milestone = services.engagement_move(
                actor=request.user,
                engagement=engagement,
                phase=phase,
                status=status,
                occurred_at=form.cleaned_data["occurred_at"],
                follow_up_on=form.cleaned_data["follow_up_on"],
                close_reason=form.cleaned_data["close_reason"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, milestone.describe())
            return redirect("crm:engagement-detail", pk=engagement.pk)
    context = {"form": form, "engagement": engagement, "title": f"Move {engagement}"}
    return render(request, "crm/move.html", context)


@requires(VIEW, write=CHANGE)
def engagement_qualify(request: HttpRequest, pk: int) -> HttpResponse:
    """MANIAC-T side by side; saving records each criterion, qualifying moves the lead."""
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    current = services.qualification_snapshot(engagement)
    form = QualificationForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for criterion in current:
            services.qualification_update(
                actor=request.user,
                engagement=engagement,
                criterion=criterion,
                assessment=form.cleaned_data[f"{criterion}_assessment"],
                evidence=form.cleaned_data[f"{criterion}_evidence"],
            )
        if "qualify" in request.POST:
            try:
                services.engagement_move(
                    actor=request.user,
                    engagement=engagement,
                    phase=Phase.QUALIFIED_LEAD,
                    status=None,
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error)
                return render(request, "crm/qualify.html", {"form": form, "engagement": engagement})
            messages.success(request, f"{engagement.organization} is now a Qualified Lead.")
        else:
            messages.success(request, "MANIAC-T assessment saved.")
        return redirect("crm:engagement-detail", pk=engagement.pk)
    context = {
        "form": form,
        "engagement": engagement,
        "can_change": has_capability(request.user, CHANGE),
        "can_qualify": engagement.phase == Phase.LEAD,
    }
    return render(request, "crm/qualify.html", context)


@requires(CHANGE)
def timeline_add(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    form = TimelineEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.timeline_entry_add(
                actor=request.user, engagement=engagement, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added to the running notes.")
            return redirect(reverse("crm:engagement-detail", args=[engagement.pk]) + "#timeline")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": f"Add to the running notes of {engagement}",
        },
    )


# Organizations and contacts ----------------------------------------------------------


@requires(VIEW)
def organization_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    organizations = Organization.objects.annotate(
        contact_count=Count("contacts", distinct=True),
        engagement_count=Count("engagements", distinct=True),
    ).order_by("name")
    if q:
        organizations = organizations.filter(name__icontains=q)
    if kind:
        organizations = organizations.filter(kind=kind)
    page = Paginator(organizations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "kind": kind,
        "kinds": OrganizationKind.choices,
        "can_change": has_capability(request.user, CHANGE),
    }
    return render(request, "crm/organization_list.html", context)


@requires(VIEW)
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    context = {
        "organization": organization,
        "contacts": organization.contacts.order_by("name"),
        "engagements": organization.engagements.select_related("owner").order_by("-created_at"),
        "audit_events": audit.events_for(organization)[:50],
        "can_change": has_capability(request.user, CHANGE),
    }
    return render(request, "crm/organization_detail.html", context)


@requires(CHANGE)
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organization} created.")
            return redirect("crm:organization-detail", pk=organization.pk)
    return render(request, "form.html", {"form": form, "title": "New organization"})


@requires(CHANGE)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organization} saved.")
            return redirect("crm:organization-detail", pk=organization.pk)
    return render(request, "form.html", {"form": form, "title": f"Edit {organization}"})


@requires(CHANGE)
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    form = ContactForm(request.POST or None, instance=Contact(organization=organization))
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} added to {organization}.")
            return redirect("crm:organization-detail", pk=organization.pk)
    return render(request, "form.html", {"form": form, "title": f"New contact at {organization}"})


@requires(CHANGE)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organization"), pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.cleaned_data)
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} saved.")
            return redirect("crm:organization-detail", pk=contact.organization_id)
    return render(request, "form.html", {"form": form, "title": f"Edit {contact.name}"})


@requires(CHANGE)
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organization"), pk=pk)
    organization_id = contact.organization_id
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, f"{contact.name} removed.")
    return redirect("crm:organization-detail", pk=organization_id)
