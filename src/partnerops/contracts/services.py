"""Writes to the price book and agreements. Atomic, validated, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from partnerops.contracts.audit_actions import ContractsAction
from partnerops.contracts.models import (
    Addendum,
    Agreement,
    AgreementKind,
    AgreementState,
    BillingPeriod,
    CheckInSchedule,
    Deliverable,
    EndReason,
    Extension,
    FormalDocumentVersion,
    ServiceTier,
    UsagePricing,
)
from partnerops.contracts.states import check_agreement_move
from partnerops.contracts.usage_pricing import parse_bands
from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.updates import assign_fields
from partnerops.crm.models import Engagement
from partnerops.crm.services import engagement_move
from partnerops.crm.states import Phase, Status

TIER_FIELDS = (
    "name",
    "kind",
    "monthly_fee",
    "annual_fee",
    "hourly_rate",
    "currency",
    "cloud_cost_pass_through",
    "dedicated_cluster_markup_percent",
    "cloud_markup_on_dedicated",
    "engineer_fte_per_hub",
    "hubs_per_engineer",
    "usage_pricing_code",
    "notes",
)
AGREEMENT_TERMS = (
    "kind",
    "tier",
    "price",
    "currency",
    "billing_period",
    "start_on",
    "end_on",
    "term_months",
    "auto_renew",
    "notice_days",
    "billing_contact",
    "delivery_basis",
    "proration",
    "usage_pricing",
    "usage_fee_waived",
)
# Terms are negotiated until the agreement is ready to sign; afterwards they change
# only through an extension, an addendum or a renewal.
EDITABLE_STATES = (AgreementState.DRAFT, AgreementState.NEGOTIATING)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def term_end(start_on: dt.date, term_months: int) -> dt.date:
    return add_months(start_on, term_months) - dt.timedelta(days=1)


# Price book --------------------------------------------------------------------------


def current_tier(code: str, on: dt.date | None = None) -> ServiceTier:
    day = on or timezone.localdate()
    for tier in ServiceTier.objects.filter(code=code, effective_from__lte=day).order_by("-version"):
        if tier.applies_on(day):
            return tier
    raise DomainError(f"No price for tier {code!r} applies on {day:%Y-%m-%d}.")


@transaction.atomic
def tier_create(*, actor: Any, code: str, effective_from: dt.date, **values: Any) -> ServiceTier:
    if ServiceTier.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": f"Tier {code!r} exists; change its price with a new version."}
        )
    unknown = set(values) - set(TIER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tier fields: {', '.join(sorted(unknown))}")
    tier = ServiceTier(code=code, version=1, effective_from=effective_from, **values)
    tier.full_clean()
    _validate_usage_code(tier)
    tier.save()
    audit.record_create(actor=actor, instance=tier)
    return tier


def _supersede(
    model: type[ServiceTier] | type[UsagePricing],
    code: str,
    effective_from: dt.date,
    actor: Any,
    what: str,
) -> Any:
    """The code's latest version, locked, ended the day before ``effective_from`` (which
    must come after it started), audited. The price book's versions never overlap."""
    latest = model.objects.select_for_update().filter(code=code).order_by("-version").first()
    assert latest is not None
    if effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": f"{what} must start after {latest.effective_from:%Y-%m-%d}, when v{latest.version} started."
            }
        )
    before = audit.snapshot(latest, ("effective_until",))
    latest.effective_until = effective_from - dt.timedelta(days=1)
    latest.save(update_fields=["effective_until"])
    audit.record_update(
        actor=actor, instance=latest, before=before, action=ContractsAction.SUPERSEDED
    )
    return latest


@transaction.atomic
def tier_reprice(
    *,
    actor: Any,
    tier: ServiceTier,
    effective_from: dt.date,
    monthly_fee: Decimal,
    annual_fee: Decimal,
    hourly_rate: Decimal | None = None,
) -> ServiceTier:
    """A new version of the tier from ``effective_from``; the old version ends the day before.

    Agreements keep the version (and price) they were made at.
    """
    latest = _supersede(ServiceTier, tier.code, effective_from, actor, "A new price")
    new = ServiceTier(
        code=latest.code,
        version=latest.version + 1,
        effective_from=effective_from,
        **{name: getattr(latest, name) for name in TIER_FIELDS},
    )
    new.monthly_fee, new.annual_fee = monthly_fee, annual_fee
    new.hourly_rate = hourly_rate if hourly_rate is not None else latest.hourly_rate
    new.full_clean()
    new.save()
    audit.record_create(actor=actor, instance=new, message=f"price change from v{latest.version}")
    return new


# Usage prices -------------------------------------------------------------------------


@transaction.atomic
def usage_pricing_create(
    *,
    actor: Any,
    code: str,
    name: str,
    effective_from: dt.date,
    bands: list[dict[str, Any]],
    currency: str = "USD",
    notes: str = "",
) -> UsagePricing:
    if UsagePricing.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": f"Usage price {code!r} exists; change it with a new version."}
        )
    parse_bands(bands)
    pricing = UsagePricing(
        code=code,
        version=1,
        name=name,
        currency=currency,
        effective_from=effective_from,
        bands=bands,
        notes=notes,
    )
    pricing.full_clean()
    pricing.save()
    audit.record_create(actor=actor, instance=pricing)
    return pricing


@transaction.atomic
def usage_pricing_reprice(
    *, actor: Any, pricing: UsagePricing, effective_from: dt.date, bands: list[dict[str, Any]]
) -> UsagePricing:
    """A new version from ``effective_from``; the previous one ends the day before. Months
    already invoiced keep the amounts they were invoiced at."""
    parse_bands(bands)
    latest = _supersede(UsagePricing, pricing.code, effective_from, actor, "A new usage price")
    new = UsagePricing(
        code=latest.code,
        version=latest.version + 1,
        name=latest.name,
        currency=latest.currency,
        effective_from=effective_from,
        bands=bands,
        notes=latest.notes,
    )
    new.full_clean()
    new.save()
    audit.record_create(actor=actor, instance=new, message=f"price change from v{latest.version}")
    return new


def _validate_usage_code(tier: ServiceTier) -> None:
    if (
        tier.usage_pricing_code
        and not UsagePricing.objects.filter(code=tier.usage_pricing_code).exists()
    ):
        raise ValidationError(
            {"usage_pricing_code": f"No usage price {tier.usage_pricing_code!r} in the price book."}
        )


# Agreements --------------------------------------------------------------------------


def _default_price(tier: ServiceTier, billing_period: str) -> Decimal:
    return tier.annual_fee if billing_period == BillingPeriod.ANNUAL else tier.monthly_fee


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    engagement: Engagement,
    tier: ServiceTier,
    kind: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    term_months: int = 12,
    price: Decimal | None = None,
    billing_period: str = BillingPeriod.MONTHLY,
    renews: Agreement | None = None,
    **values: Any,
) -> Agreement:
    """A draft agreement at the tier's price unless another is negotiated."""
    if engagement.phase == Phase.CLOSED:
        raise DomainError(f"{engagement} is closed; reopen it before making an agreement.")
    if renews is not None and renews.engagement_id != engagement.pk:
        raise DomainError("A renewal belongs to the same engagement as the agreement it renews.")
    agreement = Agreement(
        engagement=engagement,
        tier=tier,
        kind=kind,
        start_on=start_on,
        end_on=end_on or term_end(start_on, term_months),
        term_months=term_months,
        price=_default_price(tier, billing_period) if price is None else price,
        currency=values.pop("currency", tier.currency),
        billing_period=billing_period,
        renews=renews,
    )
    assign_fields(agreement, allowed=AGREEMENT_TERMS, values=values)
    _validate_terms(agreement)
    agreement.save()
    audit.record_create(actor=actor, instance=agreement)
    return agreement


def _validate_terms(agreement: Agreement) -> None:
    agreement.full_clean(exclude=["executed_copy"])
    if agreement.usage_pricing and agreement.usage_pricing.currency != agreement.currency:
        raise ValidationError(
            {
                "usage_pricing": f"The usage price is in {agreement.usage_pricing.currency}, "
                f"the agreement in {agreement.currency}."
            }
        )
    if (
        agreement.billing_contact
        and agreement.billing_contact.organization_id != agreement.engagement.organization_id
    ):
        raise ValidationError(
            {"billing_contact": "The billing contact must belong to the partner organization."}
        )
    # An old price (grandfathered) is allowed only for a renewal of the same tier code.
    grandfathered = (
        agreement.renews is not None and agreement.renews.tier.code == agreement.tier.code
    )
    if (
        agreement.pk is None
        and not agreement.tier.applies_on(agreement.start_on)
        and not grandfathered
    ):
        raise ValidationError(
            {
                "tier": f"{agreement.tier} does not apply on {agreement.start_on:%Y-%m-%d}; choose the current version."
            }
        )


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **values: Any) -> Agreement:
    if agreement.state not in EDITABLE_STATES:
        raise DomainError(
            f"The agreement is {agreement.get_state_display()}: its terms no longer change. "
            "Extend it, add an addendum, or make a renewal."
        )
    before = audit.stored_snapshot(agreement, AGREEMENT_TERMS)
    assign_fields(agreement, allowed=AGREEMENT_TERMS, values=values)
    _validate_terms(agreement)
    agreement.save()
    audit.record_update(actor=actor, instance=agreement, before=before)
    return agreement


@transaction.atomic
def agreement_confirm_price(
    *, actor: Any, agreement: Agreement, confirmed_on: dt.date, confirmation: str
) -> Agreement:
    """Record the community's confirmation of the tier at its price (invoicing evidence)."""
    before = audit.stored_snapshot(agreement, ("price_confirmed_on", "price_confirmation"))
    agreement.price_confirmed_on = confirmed_on
    agreement.price_confirmation = confirmation.strip()
    agreement.save(update_fields=["price_confirmed_on", "price_confirmation", "updated_at"])
    audit.record_update(
        actor=actor, instance=agreement, before=before, action=ContractsAction.PRICE_CONFIRMED
    )
    return agreement


@transaction.atomic
def agreement_transition(
    *,
    actor: Any,
    agreement: Agreement,
    state: AgreementState | str,
    on: dt.date | None = None,
    end_reason: str = "",
    executed_copy: UploadedFile | None = None,
) -> Agreement:
    """Move an agreement along the table; executing makes the engagement a Partner."""
    locked = (
        Agreement.objects.select_for_update()
        .select_related("engagement__organization")
        .get(pk=agreement.pk)
    )
    check_agreement_move(kind=locked.kind, current=locked.state, requested=str(state))
    day = on or timezone.localdate()
    before = audit.snapshot(
        locked, ("state", "executed_on", "ended_on", "end_reason", "executed_copy")
    )
    if state == AgreementState.EXECUTED:
        _execute(actor=actor, agreement=locked, day=day, executed_copy=executed_copy)
    elif state == AgreementState.ACTIVE:
        if locked.start_on > day:
            raise DomainError(
                f"The agreement starts on {locked.start_on:%Y-%m-%d}; it becomes active then."
            )
    elif state == AgreementState.ENDED:
        if end_reason not in EndReason.values:
            raise ValidationError(
                {"end_reason": f"Say why it ends: {', '.join(EndReason.labels)}."}
            )
        locked.end_reason, locked.ended_on = end_reason, day
    locked.state = AgreementState(state)
    locked.save()
    audit.record_update(
        actor=actor, instance=locked, before=before, action=ContractsAction.TRANSITION
    )
    if state == AgreementState.ACTIVE and locked.renews_id:
        # The renewed agreement stays in force until its renewal takes over.
        _end_renewed(
            actor=actor,
            renewed_id=locked.renews_id,
            ended_on=locked.start_on - dt.timedelta(days=1),
        )
    agreement.refresh_from_db()
    return agreement


def _execute(
    *, actor: Any, agreement: Agreement, day: dt.date, executed_copy: UploadedFile | None
) -> None:
    engagement = agreement.engagement
    if engagement.phase not in (Phase.PROSPECT, Phase.PARTNER):
        raise DomainError(
            f"{engagement.organization} is a {Phase(engagement.phase).label}; an agreement is executed "
            "with a Prospect (after the verbal close)."
        )
    if executed_copy is not None:
        agreement.executed_copy.save(
            executed_copy.name or "executed.pdf", executed_copy, save=False
        )
    elif agreement.kind != AgreementKind.EMAIL_CONFIRMATION and not agreement.executed_copy:
        raise ValidationError({"executed_copy": "Upload the executed copy signed by all parties."})
    agreement.executed_on = day
    if agreement.kind == AgreementKind.EMAIL_CONFIRMATION and agreement.price_confirmed_on is None:
        agreement.price_confirmed_on = day
    # Every partner gets satisfaction check-ins, quarterly from the start unless set otherwise.
    CheckInSchedule.objects.get_or_create(
        engagement=engagement,
        defaults={"interval_months": 3, "next_due_on": add_months(agreement.start_on, 3)},
    )
    if engagement.phase == Phase.PROSPECT:
        # Seed 003: the executed close makes a Partner; seed 004: Needs Admin.
        engagement_move(
            actor=actor,
            engagement=engagement,
            phase=Phase.PARTNER,
            status=Status.NEEDS_ADMIN,
            note=f"Executed close: {agreement.get_kind_display()} for {agreement.tier.name}.",
        )


def _end_renewed(*, actor: Any, renewed_id: int, ended_on: dt.date) -> None:
    renewed = Agreement.objects.select_for_update().get(pk=renewed_id)
    if renewed.state in (AgreementState.EXECUTED, AgreementState.ACTIVE):
        before = audit.snapshot(renewed, ("state", "ended_on", "end_reason"))
        renewed.state, renewed.end_reason = AgreementState.ENDED, EndReason.RENEWED
        renewed.ended_on = ended_on
        renewed.save()
        audit.record_update(
            actor=actor, instance=renewed, before=before, action=ContractsAction.RENEWED
        )


@transaction.atomic
def agreement_extend(
    *, actor: Any, agreement: Agreement, steps: int = 1, reason: str = ""
) -> Extension:
    """Move the end date on by ``steps`` extension steps (2 weeks each by default)."""
    if steps < 1:
        raise ValidationError({"steps": "Extend by at least one step."})
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.state not in (AgreementState.EXECUTED, AgreementState.ACTIVE):
        raise DomainError(
            f"Only an executed or active agreement is extended; this one is {locked.get_state_display()}."
        )
    days = steps * settings.EXTENSION_STEP_DAYS
    extension = Extension.objects.create(
        agreement=locked,
        steps=steps,
        days=days,
        previous_end_on=locked.end_on,
        new_end_on=locked.end_on + dt.timedelta(days=days),
        reason=reason.strip(),
        actor=user_or_none(actor),
    )
    before = audit.snapshot(locked, ("end_on",))
    locked.end_on = extension.new_end_on
    locked.save(update_fields=["end_on", "updated_at"])
    audit.record_update(
        actor=actor,
        instance=locked,
        before=before,
        action=ContractsAction.EXTEND,
        message=str(extension),
    )
    agreement.end_on = locked.end_on
    return extension


@transaction.atomic
def agreement_renew(
    *,
    actor: Any,
    agreement: Agreement,
    tier: ServiceTier | None = None,
    price: Decimal | None = None,
) -> Agreement:
    """A draft renewal starting the day after the end, at the current price of the same tier."""
    if hasattr(agreement, "renewed_by"):
        raise DomainError(f"This agreement already has a renewal (#{agreement.renewed_by.pk}).")
    start = agreement.end_on + dt.timedelta(days=1)
    new_tier = tier or current_tier(agreement.tier.code, start)
    return agreement_create(
        actor=actor,
        engagement=agreement.engagement,
        tier=new_tier,
        kind=agreement.kind,
        start_on=start,
        term_months=agreement.term_months,
        price=price,
        billing_period=agreement.billing_period,
        renews=agreement,
        auto_renew=agreement.auto_renew,
        notice_days=agreement.notice_days,
        billing_contact=agreement.billing_contact,
        delivery_basis=agreement.delivery_basis,
    )


@transaction.atomic
def agreement_auto_renew(*, actor: Any, agreement: Agreement) -> Agreement:
    """At the end of an auto-renewing agreement: the renewal starts active, the old one ends renewed."""
    renewal = agreement_renew(actor=actor, agreement=agreement, price=agreement.price)
    renewal.state = AgreementState.ACTIVE
    renewal.executed_on = agreement.end_on + dt.timedelta(days=1)
    renewal.price_confirmed_on = agreement.price_confirmed_on
    renewal.price_confirmation = f"Auto-renewal of agreement #{agreement.pk}."
    renewal.save()
    audit.record(
        actor=actor,
        instance=renewal,
        action=ContractsAction.AUTO_RENEWED,
        message=f"renews #{agreement.pk}",
    )
    _end_renewed(actor=actor, renewed_id=agreement.pk, ended_on=agreement.end_on)
    return renewal


# Addenda, deliverables, formal documents ---------------------------------------------


@transaction.atomic
def addendum_add(
    *, actor: Any, agreement: Agreement, kind: str, title: str, text: str = ""
) -> Addendum:
    addendum = Addendum(agreement=agreement, kind=kind, title=title.strip(), text=text)
    addendum.full_clean()
    addendum.save()
    audit.record_create(actor=actor, instance=addendum)
    return addendum


@transaction.atomic
def deliverable_add(
    *, actor: Any, agreement: Agreement, title: str, due_on: dt.date
) -> Deliverable:
    deliverable = Deliverable(agreement=agreement, title=title.strip(), due_on=due_on)
    deliverable.full_clean()
    deliverable.save()
    audit.record_create(actor=actor, instance=deliverable)
    return deliverable


@transaction.atomic
def deliverable_update(
    *, actor: Any, deliverable: Deliverable, status: str, delivered_on: dt.date | None = None
) -> Deliverable:
    before = audit.stored_snapshot(deliverable, ("status", "delivered_on"))
    deliverable.status = status
    deliverable.delivered_on = delivered_on
    deliverable.full_clean()
    deliverable.save()
    audit.record_update(actor=actor, instance=deliverable, before=before)
    return deliverable


@transaction.atomic
def formal_document_add(
    *,
    actor: Any,
    document: str,
    version: str,
    effective_on: dt.date,
    file: UploadedFile | None = None,
    notes: str = "",
) -> FormalDocumentVersion:
    record = FormalDocumentVersion(
        document=document, version=version.strip(), effective_on=effective_on, notes=notes
    )
    if file is not None:
        record.file.save(file.name or f"{document}-{version}", file, save=False)
    record.full_clean()
    record.save()
    audit.record_create(actor=actor, instance=record)
    return record


@transaction.atomic
def agreement_set_formal_documents(
    *, actor: Any, agreement: Agreement, versions: list[FormalDocumentVersion]
) -> Agreement:
    kinds = [version.document for version in versions]
    if len(kinds) != len(set(kinds)):
        raise ValidationError({"formal_documents": "Choose one version of each document."})
    before = sorted(str(version) for version in agreement.formal_documents.all())
    agreement.formal_documents.set(versions)
    after = sorted(str(version) for version in versions)
    if before != after:
        audit.record(
            actor=actor,
            instance=agreement,
            action=ContractsAction.FORMAL_DOCUMENTS,
            changes={"formal_documents": {"old": before, "new": after}},
        )
    return agreement
