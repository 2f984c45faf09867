"""Request and response shapes of API v1."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import model_validator

from partnerops.crm.models import Assessment, EntryKind, ExpectedTier, LeadSource, OrganizationKind
from partnerops.crm.states import Phase, Status

# The largest key both databases store (a signed 64-bit integer): a larger id or offset
# is a 422 naming the parameter, not an overflow deep in the driver (a 500).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Pages(LimitOffsetPagination):
    """Ninja's limit/offset pages, with an offset the databases can take."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_ID)


def omittable(**constraints: Any) -> Any:
    """A field of a PATCH body that may be left out (then it stays as it is) but is never
    null: the database has no empty value for it, so null is a 422 naming the field."""
    return Field(None, **constraints)


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
    """Omitted fields stay as they are; null only where the field may be empty."""

    name: str = omittable(min_length=1, max_length=200)
    kind: OrganizationKind = omittable()
    website: str = omittable()
    country: str = omittable()
    notes: str = omittable()


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
    """Omitted fields stay as they are; null only where the field may be empty."""

    name: str = omittable(min_length=1, max_length=200)
    email: str = omittable()
    phone: str = omittable()
    title: str = omittable()
    is_decision_maker: bool = omittable()
    is_community_representative: bool = omittable()
    is_billing_contact: bool = omittable()
    is_technical_contact: bool = omittable()


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
    organization_id: Id
    title: str = ""
    owner_id: Id | None = None
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
    """Omitted fields stay as they are; null only where the field may be empty."""

    title: str = omittable()
    owner_id: Id | None = None
    source: LeadSource = omittable()
    first_touch_on: dt.date = omittable()
    expected_tier: ExpectedTier = omittable()
    expected_value: Decimal | None = omittable(ge=0, max_digits=12, decimal_places=2)
    currency: str = omittable()
    probability: int = omittable(ge=0, le=100)
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
