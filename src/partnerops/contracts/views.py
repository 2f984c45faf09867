"""Pages for the price book, agreements, renewals, formal documents, the calendar and check-ins."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnerops.contracts import calendar, checkins, selectors, services
from partnerops.contracts.forms import (
    AddendumForm,
    AgreementDocumentsForm,
    AgreementForm,
    CheckInScheduleForm,
    ConfirmPriceForm,
    DeliverableForm,
    ExtendForm,
    FormalDocumentForm,
    RepriceForm,
    SurveyForm,
    TierForm,
    TransitionForm,
    UsagePricingForm,
    UsageRepriceForm,
    bands_text,
)
from partnerops.contracts.models import (
    Agreement,
    AgreementState,
    CalendarFeed,
    CheckIn,
    Deliverable,
    FormalDocumentVersion,
    ServiceTier,
    UsagePricing,
)
from partnerops.contracts.states import AGREEMENT_MOVES
from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.core.signed_links import LinkRefused
from partnerops.crm.models import Engagement

VIEW = Capability.VIEW_PIPELINE
CHANGE = Capability.CHANGE_AGREEMENTS
SIGN = Capability.SIGN_AGREEMENTS
# Operations circulates the agreement for signature and records the executed copy.
SIGNATURE_STATES = (AgreementState.OUT_FOR_SIGNATURE, AgreementState.EXECUTED)
Errors = (ValidationError, DomainError)


def _form_page(
    request: HttpRequest, form: Any, title: str, *, multipart: bool = False
) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title, "multipart": multipart})


# Price book --------------------------------------------------------------------------


@requires(VIEW)
def tier_list(request: HttpRequest) -> HttpResponse:
    tiers = ServiceTier.objects.order_by("code", "-version")
    context = {
        "tiers": tiers,
        "usage_prices": UsagePricing.objects.order_by("code", "-version"),
        "can_change": has_capability(request.user, Capability.CHANGE_PRICE_BOOK),
    }
    return render(request, "contracts/tier_list.html", context)


@requires(Capability.CHANGE_PRICE_BOOK)
def tier_create(request: HttpRequest) -> HttpResponse:
    form = TierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.tier_create(
                actor=request.user,
                code=data.pop("code"),
                effective_from=data.pop("effective_from"),
                **data,
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Tier added to the price book.")
            return redirect("contracts:tier-list")
    return _form_page(request, form, "New service tier")


@requires(Capability.CHANGE_PRICE_BOOK)
def tier_reprice(request: HttpRequest, pk: int) -> HttpResponse:
    tier = get_object_or_404(ServiceTier, pk=pk)
    form = RepriceForm(
        request.POST or None,
        initial={"monthly_fee": tier.monthly_fee, "annual_fee": tier.annual_fee},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.tier_reprice(actor=request.user, tier=tier, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{new} from {new.effective_from:%Y-%m-%d}.")
            return redirect("contracts:tier-list")
    return _form_page(request, form, f"New price for {tier.name}")


@requires(Capability.CHANGE_PRICE_BOOK)
def usage_pricing_create(request: HttpRequest) -> HttpResponse:
    form = UsagePricingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.usage_pricing_create(actor=request.user, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Usage price added to the price book.")
            return redirect("contracts:tier-list")
    return _form_page(request, form, "New usage price")


@requires(Capability.CHANGE_PRICE_BOOK)
def usage_pricing_reprice(request: HttpRequest, pk: int) -> HttpResponse:
    pricing = get_object_or_404(UsagePricing, pk=pk)
    form = UsageRepriceForm(request.POST or None, initial={"bands": bands_text(pricing.bands)})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.usage_pricing_reprice(
                actor=request.user, pricing=pricing, **form.cleaned_data
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{new} from {new.effective_from:%Y-%m-%d}.")
            return redirect("contracts:tier-list")
    return _form_page(request, form, f"New usage price for {pricing.name}")


# Agreements --------------------------------------------------------------------------


@requires(VIEW)
def agreement_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    agreements = Agreement.objects.select_related("engagement__organization", "tier").order_by(
        "end_on"
    )
    if state in AgreementState.values:
        agreements = agreements.filter(state=state)
    context = {"agreements": agreements, "state": state, "states": AgreementState.choices}
    return render(request, "contracts/agreement_list.html", context)


@requires(CHANGE)
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    form = AgreementForm(
        request.POST or None, engagement=engagement, initial={"start_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        try:
            agreement = services.agreement_create(actor=request.user, engagement=engagement, **data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft agreement created.")
            return redirect("contracts:agreement-detail", pk=agreement.pk)
    return _form_page(request, form, f"New agreement with {engagement.organization}")


@requires(VIEW)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "engagement__organization", "tier", "billing_contact", "renews"
        ),
        pk=pk,
    )
    can_change, can_sign = has_capability(request.user, CHANGE), has_capability(request.user, SIGN)
    moves = [
        state
        for state in AgreementState
        if AGREEMENT_MOVES.allows(agreement.state, state)
        and (can_sign if state in SIGNATURE_STATES else can_change)
    ]
    context = {
        "agreement": agreement,
        "moves": moves,
        "missing_evidence": agreement.missing_invoicing_evidence(),
        "hubs": agreement.hubs.all(),
        "addenda": agreement.addenda.all(),
        "deliverables": agreement.deliverables.all(),
        "extensions": agreement.extensions.select_related("actor"),
        "documents": agreement.formal_documents.all(),
        "renewal": getattr(agreement, "renewed_by", None),
        "transition_form": TransitionForm(),
        "extend_form": ExtendForm(),
        "audit_events": audit.events_for(agreement)[:50],
        "can_change": can_change,
    }
    return render(request, "contracts/agreement_detail.html", context)


@requires(CHANGE)
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        Agreement.objects.select_related("engagement__organization"), pk=pk
    )
    form = AgreementForm(request.POST or None, instance=agreement, engagement=agreement.engagement)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(actor=request.user, agreement=agreement, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agreement saved.")
            return redirect("contracts:agreement-detail", pk=agreement.pk)
    return _form_page(request, form, f"Edit {agreement}")


@requires(VIEW)
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    if not (has_capability(request.user, CHANGE) or has_capability(request.user, SIGN)):
        raise PermissionDenied("Your role does not change agreements.")
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a state to move the agreement to.")
        return redirect("contracts:agreement-detail", pk=pk)
    state = AgreementState(form.cleaned_data["state"])
    needed = SIGN if state in SIGNATURE_STATES else CHANGE
    if not has_capability(request.user, needed):
        raise PermissionDenied(f"Your role does not allow moving an agreement to {state.label}.")
    try:
        services.agreement_transition(
            actor=request.user,
            agreement=agreement,
            state=state,
            on=form.cleaned_data["on"],
            end_reason=form.cleaned_data["end_reason"] or "",
            executed_copy=form.cleaned_data["executed_copy"],
        )
    except Errors as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"Agreement is now {state.label}.")
    return redirect("contracts:agreement-detail", pk=pk)


def _message(error: ValidationError | DomainError) -> str:
    return error.message if isinstance(error, DomainError) else " ".join(error.messages)


@requires(VIEW, write=CHANGE)
@require_POST
def agreement_extend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            extension = services.agreement_extend(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except Errors as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, f"Extended {extension}.")
    else:
        messages.error(request, "Extend by 1 to 26 steps.")
    return redirect("contracts:agreement-detail", pk=pk)


@requires(VIEW, write=CHANGE)
@require_POST
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    try:
        renewal = services.agreement_renew(actor=request.user, agreement=agreement)
    except Errors as error:
        messages.error(request, _message(error))
        return redirect("contracts:agreement-detail", pk=pk)
    messages.success(request, "Draft renewal created at the tier's current price.")
    return redirect("contracts:agreement-detail", pk=renewal.pk)


@requires(CHANGE)
def agreement_confirm_price(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = ConfirmPriceForm(request.POST or None, initial={"confirmed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.agreement_confirm_price(
            actor=request.user, agreement=agreement, **form.cleaned_data
        )
        messages.success(request, "Confirmation of tier and price recorded.")
        return redirect("contracts:agreement-detail", pk=pk)
    return _form_page(request, form, "Record the confirmation of tier and price")


@requires(CHANGE)
def addendum_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.addendum_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        return redirect("contracts:agreement-detail", pk=pk)
    return _form_page(request, form, "New addendum")


@requires(CHANGE)
def deliverable_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = DeliverableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deliverable = services.deliverable_add(
            actor=request.user,
            agreement=agreement,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
        )
        services.deliverable_update(
            actor=request.user,
            deliverable=deliverable,
            status=form.cleaned_data["status"],
            delivered_on=form.cleaned_data["delivered_on"],
        )
        return redirect("contracts:agreement-detail", pk=pk)
    return _form_page(request, form, "New deliverable")


@requires(CHANGE)
def deliverable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deliverable = get_object_or_404(Deliverable, pk=pk)
    form = DeliverableForm(request.POST or None, instance=deliverable)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliverable_update(
                actor=request.user,
                deliverable=deliverable,
                status=form.cleaned_data["status"],
                delivered_on=form.cleaned_data["delivered_on"],
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            return redirect("contracts:agreement-detail", pk=deliverable.agreement_id)
    return _form_page(request, form, f"Deliverable: {deliverable.title}")


@requires(CHANGE)
def agreement_documents(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    form = AgreementDocumentsForm(
        request.POST or None, initial={"versions": agreement.formal_documents.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_set_formal_documents(
                actor=request.user,
                agreement=agreement,
                versions=list(form.cleaned_data["versions"]),
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            return redirect("contracts:agreement-detail", pk=pk)
    return _form_page(request, form, "Formal documents of this agreement")


# Renewals, formal documents -----------------------------------------------------------


@requires(VIEW)
def renewals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    views = selectors.renewal_views(today)
    sections = [(key, label, views[key]) for key, label in selectors.RENEWAL_VIEWS]
    return render(request, "contracts/renewals.html", {"sections": sections, "today": today})


@requires(VIEW)
def formal_documents(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "versions": FormalDocumentVersion.objects.all(),
        "current": selectors.current_formal_documents(today),
        "report": selectors.agreements_missing_current_documents(today),
        "can_change": has_capability(request.user, CHANGE),
    }
    return render(request, "contracts/formal_documents.html", context)


@requires(CHANGE)
def formal_document_create(request: HttpRequest) -> HttpResponse:
    form = FormalDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.formal_document_add(actor=request.user, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            return redirect("contracts:formal-documents")
    return _form_page(request, form, "New formal document version", multipart=True)


# Check-ins ---------------------------------------------------------------------------


@requires(CHANGE)
def check_in_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    current = getattr(engagement, "check_in_schedule", None)
    initial = (
        {"interval_months": current.interval_months, "next_due_on": current.next_due_on}
        if current
        else {}
    )
    form = CheckInScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        checkins.check_in_schedule_set(
            actor=request.user, engagement=engagement, **form.cleaned_data
        )
        messages.success(request, "Check-in schedule saved.")
        return redirect("crm:engagement-detail", pk=pk)
    return _form_page(request, form, f"Satisfaction check-ins for {engagement.organization}")


@login_not_required
def check_in_survey(request: HttpRequest, token: str) -> HttpResponse:
    """The community representative's survey, by signed single-use link; no sign-in."""
    try:
        check_in: CheckIn = checkins.open_check_in(token)
    except LinkRefused as refused:
        return render(
            request, "contracts/check_in_refused.html", {"reason": str(refused)}, status=410
        )
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkins.check_in_answer(token=token, **form.cleaned_data)
        except LinkRefused as refused:
            return render(
                request, "contracts/check_in_refused.html", {"reason": str(refused)}, status=410
            )
        return render(request, "contracts/check_in_thanks.html")
    return render(request, "contracts/check_in.html", {"form": form, "check_in": check_in})


# Calendar and notifications -------------------------------------------------------------


@requires(VIEW)
def calendar_page(request: HttpRequest) -> HttpResponse:
    feed = calendar.feed_for(request.user)
    url = request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))
    return render(request, "contracts/calendar.html", {"feed_url": url, "feed": feed})


@requires(VIEW)
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    calendar.feed_rotate(actor=request.user)
    messages.success(request, "New calendar address: the old one no longer works.")
    return redirect("contracts:calendar")


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed a calendar client subscribes to; it acts with its owner's role."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None or not has_capability(feed.user, VIEW):
        raise Http404("No calendar at this address.")
    response = HttpResponse(
        calendar.build_feed(feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="partnerops.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
