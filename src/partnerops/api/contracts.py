"""API v1: the price book, agreements with their transitions, formal documents, renewals."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import AuthorizationError
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import (
    can_change_agreements,
    can_change_price_book,
    can_move_agreements,
    can_view_pipeline,
)
from partnerops.api.schemas import Id, Input, Pages, omittable
from partnerops.contracts import selectors, services
from partnerops.contracts.models import (
    Agreement,
    AgreementKind,
    AgreementState,
    BillingPeriod,
    DeliveryBasis,
    EndReason,
    FormalDocumentKind,
    FormalDocumentVersion,
    Proration,
    ServiceTier,
    TierKind,
    UsagePricing,
)
from partnerops.core.roles import Capability, has_capability
from partnerops.crm.models import Contact, Engagement

# Price book ---------------------------------------------------------------------------

tiers = Router(tags=["price book"])


class TierOut(Schema):
    id: int
    code: str
    version: int
    name: str
    kind: TierKind
    effective_from: dt.date
    effective_until: dt.date | None
    monthly_fee: Decimal
    annual_fee: Decimal
    hourly_rate: Decimal | None
    currency: str
    cloud_cost_pass_through: bool
    dedicated_cluster_markup_percent: Decimal
    cloud_markup_on_dedicated: bool
    engineer_fte_per_hub: Decimal
    hubs_per_engineer: Decimal
    usage_pricing_code: str


class TierIn(Input):
    code: str = Field(..., pattern=r"^[-a-z0-9_]+$")
    name: str
    kind: TierKind
    effective_from: dt.date
    monthly_fee: Decimal = Field(..., ge=0, decimal_places=2)
    annual_fee: Decimal = Field(..., ge=0, decimal_places=2)
    hourly_rate: Decimal | None = Field(None, ge=0, decimal_places=2)
    currency: str = "USD"
    cloud_cost_pass_through: bool = True
    dedicated_cluster_markup_percent: Decimal = Decimal("50.00")
    cloud_markup_on_dedicated: bool = False
    engineer_fte_per_hub: Decimal
    hubs_per_engineer: Decimal
    usage_pricing_code: str = Field(
        "", examples=["mau"], description="Charges this usage price; blank: no usage fee."
    )


class RepriceIn(Input):
    effective_from: dt.date
    monthly_fee: Decimal = Field(..., ge=0, decimal_places=2)
    annual_fee: Decimal = Field(..., ge=0, decimal_places=2)
    hourly_rate: Decimal | None = Field(None, ge=0, decimal_places=2)


class Band(Schema):
    up_to: int | None = Field(
        ..., examples=[10], description="The last user priced; null: all above."
    )
    unit_amount: Decimal = Field(..., ge=0, decimal_places=2, examples=["10.00"])


class UsagePricingOut(Schema):
    id: int
    code: str
    version: int
    name: str
    currency: str
    effective_from: dt.date
    effective_until: dt.date | None
    bands: list[Band]
    notes: str


class UsagePricingIn(Input):
    code: str = Field(..., pattern=r"^[-a-z0-9_]+$", examples=["mau"])
    name: str
    currency: str = "USD"
    effective_from: dt.date
    bands: list[Band] = Field(..., min_length=1)
    notes: str = ""


class UsageRepriceIn(Input):
    effective_from: dt.date
    bands: list[Band] = Field(..., min_length=1)


def _bands(bands: list[Band]) -> list[dict[str, Any]]:
    return [{"up_to": band.up_to, "unit_amount": f"{band.unit_amount:.2f}"} for band in bands]


@tiers.get("/usage-prices", response=list[UsagePricingOut], auth=can_view_pipeline)
def list_usage_prices(request: HttpRequest) -> Any:
    """Usage prices: the monthly-active-user fee in graduated bands, every version."""
    return list(UsagePricing.objects.order_by("code", "-version"))


@tiers.post("/usage-prices", response={201: UsagePricingOut}, auth=can_change_price_book)
def create_usage_price(request: HttpRequest, payload: UsagePricingIn) -> Reply[UsagePricing]:
    data = payload.dict()
    data["bands"] = _bands(payload.bands)
    return Reply(201, services.usage_pricing_create(actor=request.user, **data))


@tiers.post(
    "/usage-prices/{pricing_id}/reprice",
    response={201: UsagePricingOut},
    auth=can_change_price_book,
)
def reprice_usage_price(
    request: HttpRequest, pricing_id: Id, payload: UsageRepriceIn
) -> Reply[UsagePricing]:
    pricing = get_object_or_404(UsagePricing, pk=pricing_id)
    new = services.usage_pricing_reprice(
        actor=request.user,
        pricing=pricing,
        effective_from=payload.effective_from,
        bands=_bands(payload.bands),
    )
    return Reply(201, new)


@tiers.get("", response=list[TierOut], auth=can_view_pipeline)
def list_tiers(request: HttpRequest, current_on: dt.date | None = None) -> Any:
    """Every version, or with ``current_on`` only the versions that apply that day."""
    queryset = ServiceTier.objects.order_by("code", "-version")
    if current_on:
        return [tier for tier in queryset if tier.applies_on(current_on)]
    return list(queryset)


@tiers.post("", response={201: TierOut}, auth=can_change_price_book)
def create_tier(request: HttpRequest, payload: TierIn) -> Reply[ServiceTier]:
    data = payload.dict()
    return Reply(
        201,
        services.tier_create(
            actor=request.user,
            code=data.pop("code"),
            effective_from=data.pop("effective_from"),
            **data,
        ),
    )


@tiers.post("/{tier_id}/reprice", response={201: TierOut}, auth=can_change_price_book)
def reprice_tier(request: HttpRequest, tier_id: Id, payload: RepriceIn) -> Reply[ServiceTier]:
    tier = get_object_or_404(ServiceTier, pk=tier_id)
    return Reply(201, services.tier_reprice(actor=request.user, tier=tier, **payload.dict()))


# Agreements ---------------------------------------------------------------------------

agreements = Router(tags=["agreements"])


class AgreementOut(Schema):
    id: int
    engagement_id: int
    organization_name: str = Field(..., alias="engagement.organization.name")
    renews_id: int | None
    kind: AgreementKind
    tier_id: int
    price: Decimal
    currency: str
    billing_period: BillingPeriod
    start_on: dt.date
    end_on: dt.date
    term_months: int
    auto_renew: bool
    notice_days: int
    billing_contact_id: int | None
    state: AgreementState
    end_reason: str
    ended_on: dt.date | None
    executed_on: dt.date | None
    price_confirmed_on: dt.date | None
    delivery_basis: DeliveryBasis
    proration: Proration
    usage_pricing_id: int | None
    usage_fee_waived: bool
    missing_invoicing_evidence: list[str]

    @staticmethod
    def resolve_missing_invoicing_evidence(obj: Agreement) -> list[str]:
        return obj.missing_invoicing_evidence()


class AgreementIn(Input):
    engagement_id: Id
    tier_id: Id
    kind: AgreementKind
    start_on: dt.date
    end_on: dt.date | None = None
    term_months: int = Field(12, ge=1, le=120)
    price: Decimal | None = Field(None, ge=0, decimal_places=2)
    billing_period: BillingPeriod = BillingPeriod.MONTHLY
    auto_renew: bool = False
    notice_days: int = Field(60, ge=0)
    billing_contact_id: Id | None = None
    delivery_basis: DeliveryBasis = DeliveryBasis.MONTHLY_CONFIRMATION
    proration: Proration = Proration.BY_DAY
    usage_pricing_id: Id | None = Field(None, description="Its own usage price; null: the tier's.")
    usage_fee_waived: bool = False


class AgreementPatch(Input):
    """Omitted fields stay as they are; null only where the field may be empty."""

    price: Decimal = omittable(ge=0, decimal_places=2)
    start_on: dt.date = omittable()
    end_on: dt.date = omittable()
    term_months: int = omittable(ge=1, le=120)
    auto_renew: bool = omittable()
    notice_days: int = omittable(ge=0)
    billing_contact_id: Id | None = None
    delivery_basis: DeliveryBasis = omittable()
    proration: Proration = omittable()
    usage_pricing_id: Id | None = None
    usage_fee_waived: bool = omittable()


class TransitionIn(Input):
    state: AgreementState
    on: dt.date | None = None
    end_reason: EndReason | None = None


class ExtendIn(Input):
    steps: int = Field(1, ge=1, le=26)
    reason: str = ""


class PriceConfirmationIn(Input):
    confirmed_on: dt.date
    confirmation: str = Field(..., min_length=1)


def _agreement(agreement_id: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related("engagement__organization", "tier"), pk=agreement_id
    )


def _contact(engagement: Engagement, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    return get_object_or_404(Contact, pk=contact_id)


def _usage_pricing(pricing_id: int | None) -> UsagePricing | None:
    return None if pricing_id is None else get_object_or_404(UsagePricing, pk=pricing_id)


@agreements.get("", response=list[AgreementOut], auth=can_view_pipeline)
@paginate(Pages)
def list_agreements(request: HttpRequest, state: str = "", engagement_id: Id | None = None) -> Any:
    queryset = Agreement.objects.select_related("engagement__organization").order_by("end_on", "id")
    if state:
        queryset = queryset.filter(state=state)
    if engagement_id:
        queryset = queryset.filter(engagement_id=engagement_id)
    return queryset


@agreements.post("", response={201: AgreementOut}, auth=can_change_agreements)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Reply[Agreement]:
    data = payload.dict()
    engagement = get_object_or_404(Engagement, pk=data.pop("engagement_id"))
    tier = get_object_or_404(ServiceTier, pk=data.pop("tier_id"))
    data["billing_contact"] = _contact(engagement, data.pop("billing_contact_id"))
    data["usage_pricing"] = _usage_pricing(data.pop("usage_pricing_id"))
    agreement = services.agreement_create(
        actor=request.user, engagement=engagement, tier=tier, **data
    )
    return Reply(201, _agreement(agreement.pk))


@agreements.get("/{agreement_id}", response=AgreementOut, auth=can_view_pipeline)
def get_agreement(request: HttpRequest, agreement_id: Id) -> Agreement:
    return _agreement(agreement_id)


@agreements.patch("/{agreement_id}", response=AgreementOut, auth=can_change_agreements)
def update_agreement(request: HttpRequest, agreement_id: Id, payload: AgreementPatch) -> Agreement:
    agreement = _agreement(agreement_id)
    data = payload.dict(exclude_unset=True)
    if "billing_contact_id" in data:
        data["billing_contact"] = _contact(agreement.engagement, data.pop("billing_contact_id"))
    if "usage_pricing_id" in data:
        data["usage_pricing"] = _usage_pricing(data.pop("usage_pricing_id"))
    services.agreement_update(actor=request.user, agreement=agreement, **data)
    return _agreement(agreement_id)


@agreements.post("/{agreement_id}/transition", response=AgreementOut, auth=can_move_agreements)
def transition_agreement(
    request: HttpRequest, agreement_id: Id, payload: TransitionIn
) -> Agreement:
    """Out for signature and executed need the Operations role (signature); the rest Partnerships.
    An executed contract needs its executed copy, uploaded on the agreement's page."""
    signature = payload.state in (AgreementState.OUT_FOR_SIGNATURE, AgreementState.EXECUTED)
    needed = Capability.SIGN_AGREEMENTS if signature else Capability.CHANGE_AGREEMENTS
    if not has_capability(request.user, needed):
        raise AuthorizationError(
            message=f"Your role does not allow moving an agreement to {payload.state.label}."
        )
    services.agreement_transition(
        actor=request.user,
        agreement=_agreement(agreement_id),
        state=payload.state,
        on=payload.on,
        end_reason=payload.end_reason or "",
    )
    return _agreement(agreement_id)


@agreements.post("/{agreement_id}/extend", response=AgreementOut, auth=can_change_agreements)
def extend_agreement(request: HttpRequest, agreement_id: Id, payload: ExtendIn) -> Agreement:
    services.agreement_extend(
        actor=request.user, agreement=_agreement(agreement_id), **payload.dict()
    )
    return _agreement(agreement_id)


@agreements.post("/{agreement_id}/renew", response={201: AgreementOut}, auth=can_change_agreements)
def renew_agreement(request: HttpRequest, agreement_id: Id) -> Reply[Agreement]:
    renewal = services.agreement_renew(actor=request.user, agreement=_agreement(agreement_id))
    return Reply(201, _agreement(renewal.pk))


@agreements.post(
    "/{agreement_id}/price-confirmation", response=AgreementOut, auth=can_change_agreements
)
def confirm_price(
    request: HttpRequest, agreement_id: Id, payload: PriceConfirmationIn
) -> Agreement:
    services.agreement_confirm_price(
        actor=request.user, agreement=_agreement(agreement_id), **payload.dict()
    )
    return _agreement(agreement_id)


class RenewalsOut(Schema):
    today: dt.date
    needs_renewal: list[AgreementOut]
    lapsed: list[AgreementOut]
    ready_for_decommissioning: list[AgreementOut]
    active: list[AgreementOut]
    ended_or_renewed: list[AgreementOut]


renewals = Router(tags=["agreements"])


@renewals.get("", response=RenewalsOut, auth=can_view_pipeline)
def renewal_views(request: HttpRequest, today: dt.date | None = None) -> dict[str, Any]:
    day = today or timezone.localdate()
    return {
        "today": day,
        **{key: list(value) for key, value in selectors.renewal_views(day).items()},
    }


# Formal documents -----------------------------------------------------------------------

documents = Router(tags=["formal documents"])


class FormalDocumentOut(Schema):
    id: int
    document: FormalDocumentKind
    version: str
    effective_on: dt.date
    file: str | None

    @staticmethod
    def resolve_file(obj: FormalDocumentVersion) -> str | None:
        return obj.file.url if obj.file else None


class FormalDocumentIn(Input):
    document: FormalDocumentKind
    version: str = Field(..., min_length=1, max_length=30)
    effective_on: dt.date
    notes: str = ""


class MissingDocumentsOut(Schema):
    agreement_id: int
    organization_name: str
    missing: list[FormalDocumentOut]


@documents.get("", response=list[FormalDocumentOut], auth=can_view_pipeline)
def list_formal_documents(request: HttpRequest) -> Any:
    return list(FormalDocumentVersion.objects.all())


@documents.post("", response={201: FormalDocumentOut}, auth=can_change_agreements)
def create_formal_document(
    request: HttpRequest, payload: FormalDocumentIn
) -> Reply[FormalDocumentVersion]:
    return Reply(201, services.formal_document_add(actor=request.user, **payload.dict()))


@documents.get("/missing", response=list[MissingDocumentsOut], auth=can_view_pipeline)
def missing_formal_documents(request: HttpRequest) -> list[dict[str, Any]]:
    report = selectors.agreements_missing_current_documents(timezone.localdate())
    return [
        {
            "agreement_id": row.agreement.pk,
            "organization_name": row.agreement.engagement.organization.name,
            "missing": row.missing,
        }
        for row in report
    ]
