"""Request and response shapes of API v1."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator

from partnerops.crm.models import Assessment, EntryKind, ExpectedTier, LeadSource, OrganizationKind
from partnerops.crm.pipeline import Phase, Status


class Input(Schema):
    """A request body: a JSON object, nothing else.

    Ninja's schemas also read attributes of arbitrary objects (for responses);
    for input that would let a JSON string pass as an object (its .title method
    as a title), so bodies that are not objects are refused here.
    """

    @model_validator(mode="before")
    @classmethod
    def _must_be_an_object(cls, data: Any) -> Any:
        # Ninja hands its validators the raw value wrapped in a DjangoGetter.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            kind = (
                "a string"
                if isinstance(raw, str)
                else "a list"
                if isinstance(raw, list)
                else type(raw).__name__
            )
            raise ValueError(f"The request body must be a JSON object, not {kind}.")
        return data


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKind
    website: str
    country: str = Field(..., alias="country.code")
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime


class OrganizationIn(Input):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganizationKind = OrganizationKind.COMMUNITY
    website: str = ""
    country: str = Field("", description="ISO 3166-1 alpha-2 code, e.g. US.")
    notes: str = ""


class OrganizationPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganizationKind | None = None
    website: str | None = None
    country: str | None = None
    notes: str | None = None


class ContactOut(Schema):
    id: int
    organization_id: int
    name: str
    email: str
    phone: str
    title: str
    is_decision_maker: bool
    is_community_representative: bool
    is_billing_contact: bool
    is_technical_contact: bool


class ContactIn(Input):
    name: str = Field(..., min_length=1, max_length=200)
    email: str
    phone: str = ""
    title: str = ""
    is_decision_maker: bool = False
    is_community_representative: bool = False
    is_billing_contact: bool = False
    is_technical_contact: bool = False


class ContactPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    is_decision_maker: bool | None = None
    is_community_representative: bool | None = None
    is_billing_contact: bool | None = None
    is_technical_contact: bool | None = None


class EngagementOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(..., alias="organization.name")
    title: str
    phase: Phase
    status: Status
    owner_id: int | None
    source: str
    first_touch_on: dt.date
    expected_tier: str
    expected_value: Decimal | None
    currency: str
    probability: int
    follow_up_on: dt.date | None
    close_reason: str
    phase_since: dt.datetime
    status_since: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime


class EngagementIn(Input):
    organization_id: int
    title: str = ""
    owner_id: int | None = None
    source: LeadSource | None = None
    first_touch_on: dt.date | None = None
    expected_tier: ExpectedTier | None = None
    expected_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str = "USD"
    probability: int = Field(10, ge=0, le=100)
    follow_up_on: dt.date | None = None
    occurred_at: dt.datetime | None = Field(
        None, description="When the lead first came in, if earlier."
    )


class EngagementPatch(Input):
    title: str | None = None
    owner_id: int | None = None
    source: LeadSource | None = None
    first_touch_on: dt.date | None = None
    expected_tier: ExpectedTier | None = None
    expected_value: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str | None = None
    probability: int | None = Field(None, ge=0, le=100)
    follow_up_on: dt.date | None = None


class MoveIn(Input):
    phase: Phase
    status: Status | None = Field(
        None, description="Omit to keep the status when it fits the phase."
    )
    occurred_at: dt.datetime | None = Field(None, description="Back-date a move entered late.")
    follow_up_on: dt.date | None = None
    close_reason: str = ""
    note: str = ""


class MilestoneOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_id: int | None
    from_phase: str
    from_status: str
    to_phase: Phase
    to_status: Status
    note: str
    qualification: dict[str, dict[str, str]] | None


class CriterionOut(Schema):
    criterion: str
    assessment: Assessment
    evidence: str


class CriterionIn(Input):
    assessment: Assessment
    evidence: str = ""


class TimelineEntryOut(Schema):
    id: int
    kind: EntryKind
    occurred_at: dt.datetime
    author_id: int | None
    title: str
    body: str
    milestone_id: int | None


class TimelineEntryIn(Input):
    kind: EntryKind = EntryKind.NOTE
    title: str = Field(..., min_length=1, max_length=300)
    body: str = ""
    occurred_at: dt.datetime | None = None


class MeOut(Schema):
    id: int
    username: str
    roles: list[str]
    capabilities: list[str]
