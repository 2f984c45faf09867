"""Grant pages: the list (by state), a grant with its moves, deliverables and reports,
and sub-awards; forms for each write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.core.uploads import read_upload, upload_name
from partnerops.grants import selectors, services
from partnerops.grants.forms import (
    DoneForm,
    GrantDocumentForm,
    GrantForm,
    MoveForm,
    ObligationForm,
    SubawardForm,
)
from partnerops.grants.models import Grant, GrantObligation, GrantState
from partnerops.grants.states import GRANT_MOVES

VIEW = Capability.VIEW_PIPELINE
MANAGE = Capability.MANAGE_GRANTS
Errors = (ValidationError, DomainError)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@requires(VIEW)
def grant_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    grants = Grant.objects.select_related("funder", "owner").order_by("-found_on", "-id")
    if state in GrantState.values:
        grants = grants.filter(state=state)
    context = {
        "grants": grants,
        "state": state,
        "states": GrantState.choices,
        "years": selectors.grant_years(),
        "pending": selectors.pending_weighted(),
        "can_manage": has_capability(request.user, MANAGE),
    }
    return render(request, "grants/grant_list.html", context)


@requires(VIEW)
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant.objects.select_related("funder", "owner"), pk=pk)
    context = {
        "grant": grant,
        "moves": GRANT_MOVES.allowed(grant.state),
        "obligations": grant.obligations.select_related("owner"),
        "engagements": grant.engagements.select_related("organization"),
        "subawards": grant.subawards.select_related("engagement__organization"),
        "today": timezone.localdate(),
        "obligation_form": ObligationForm(),
        "subaward_form": SubawardForm(),
        "document_form": GrantDocumentForm(),
        "documents": grant.documents.order_by("kind", "title", "-version"),
        "can_manage": has_capability(request.user, MANAGE),
        "audit_events": audit.events_for(grant)[:30],
    }
    return render(request, "grants/grant_detail.html", context)


@requires(MANAGE)
def grant_create(request: HttpRequest) -> HttpResponse:
    form = GrantForm(_posted(request), initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            grant = services.grant_create(
                actor=request.user, engagements=list(data.pop("engagements")), **data
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{grant.title} added.")
            return redirect("grants:grant-detail", grant.pk)
    return render(request, "form.html", {"form": form, "title": "New grant opportunity"})


@requires(MANAGE)
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)
    form = GrantForm(_posted(request), instance=Grant.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.grant_update(
                actor=request.user, grant=grant, engagements=list(data.pop("engagements")), **data
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{grant.title} saved.")
            return redirect("grants:grant-detail", grant.pk)
    return render(request, "form.html", {"form": form, "title": f"Edit {grant.title}"})


def _refusal(error: ValidationError | DomainError) -> str:
    return error.message if isinstance(error, DomainError) else " ".join(error.messages)


def _act(
    request: HttpRequest,
    grant: Grant,
    form: Any,
    invalid: str,
    act: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """A POST from the grant's page: the form, the service, a message, back to the page."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            done = act(form.cleaned_data)
        except Errors as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, done)
    return redirect("grants:grant-detail", grant.pk)


@require_POST
@requires(MANAGE)
def grant_move(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)

    def move(data: dict[str, Any]) -> str:
        moved = services.grant_move(actor=request.user, grant=grant, **data)
        return f"{moved.title} is {moved.get_state_display()}."

    return _act(
        request, grant, MoveForm(request.POST), "Choose a state and the date of the move.", move
    )


@require_POST
@requires(MANAGE)
def obligation_add(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)

    def add(data: dict[str, Any]) -> str:
        return f"{services.obligation_add(actor=request.user, grant=grant, **data)} added."

    return _act(
        request,
        grant,
        ObligationForm(request.POST),
        "Give the kind, a title and the due date.",
        add,
    )


@require_POST
@requires(MANAGE)
def obligation_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(GrantObligation, pk=pk)
    form = DoneForm(request.POST)
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    services.obligation_done(actor=request.user, obligation=item, on=on)
    messages.success(request, f"{item.title} done on {on:%Y-%m-%d}.")
    return redirect("grants:grant-detail", item.grant_id)


@require_POST
@requires(MANAGE)
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)

    def file(data: dict[str, Any]) -> str:
        upload = data["file"]
        content = read_upload(upload, limit=services.MAX_DOCUMENT_BYTES, field="file")
        document = services.grant_document_file(
            actor=request.user, grant=grant, kind=data["kind"], title=data["title"],
            content=content, file_name=upload_name(upload),
        )  # fmt: skip
        return f"{document} filed."

    form = GrantDocumentForm(request.POST, request.FILES)
    return _act(request, grant, form, "Choose the kind, a title and the file.", file)


@require_POST
@requires(MANAGE)
def subaward_link(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk)

    def link(data: dict[str, Any]) -> str:
        services.grant_link_subaward(actor=request.user, grant=grant, agreement=data["agreement"])
        return "Sub-award linked."

    return _act(
        request,
        grant,
        SubawardForm(request.POST),
        "Choose an agreement of kind grant sub-award.",
        link,
    )
