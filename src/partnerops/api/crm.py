"""API v1: organizations, contacts, engagements (with moves), MANIAC-T and the timeline.

Every operation names the capability it needs through its ``auth``; writes go
through the same services as the pages.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import can_change_pipeline, can_view_pipeline
from partnerops.api.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    CriterionIn,
    CriterionOut,
    EngagementIn,
    EngagementOut,
    EngagementPatch,
    Id,
    MilestoneOut,
    MoveIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    Pages,
    TimelineEntryIn,
    TimelineEntryOut,
)
from partnerops.crm import selectors, services
from partnerops.crm.models import Contact, Criterion, Engagement, Organization


def _values(payload: Schema) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


def _owner(owner_id: int | None) -> Any:
    if owner_id is None:
        return None
    return get_object_or_404(get_user_model(), pk=owner_id, is_active=True)


# Organizations and contacts --------------------------------------------------------

organizations = Router(tags=["organizations"])


class OrganizationFilters(Schema):
    q: str = ""
    kind: str = ""


@organizations.get("", response=list[OrganizationOut], auth=can_view_pipeline)
@paginate(Pages)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> Any:
    queryset = Organization.objects.order_by("name", "id")
    if filters.q:
        queryset = queryset.filter(name__icontains=filters.q)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset


@organizations.post("", response={201: OrganizationOut}, auth=can_change_pipeline)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Reply[Organization]:
    values = _values(payload)
    return Reply(
        201, services.organization_create(actor=request.user, **{"name": payload.name, **values})
    )


@organizations.get("/{organization_id}", response=OrganizationOut, auth=can_view_pipeline)
def get_organization(request: HttpRequest, organization_id: Id) -> Organization:
    return get_object_or_404(Organization, pk=organization_id)


@organizations.patch("/{organization_id}", response=OrganizationOut, auth=can_change_pipeline)
def update_organization(
    request: HttpRequest, organization_id: Id, payload: OrganizationPatch
) -> Organization:
    organization = get_object_or_404(Organization, pk=organization_id)
    return services.organization_update(
        actor=request.user, organization=organization, **_values(payload)
    )


@organizations.get("/{organization_id}/contacts", response=list[ContactOut], auth=can_view_pipeline)
@paginate(Pages)
def list_contacts(request: HttpRequest, organization_id: Id) -> Any:
    organization = get_object_or_404(Organization, pk=organization_id)
    return organization.contacts.order_by("name", "id")


@organizations.post(
    "/{organization_id}/contacts", response={201: ContactOut}, auth=can_change_pipeline
)
def create_contact(request: HttpRequest, organization_id: Id, payload: ContactIn) -> Reply[Contact]:
    organization = get_object_or_404(Organization, pk=organization_id)
    values = _values(payload)
    values.update(name=payload.name, email=payload.email)
    return Reply(
        201, services.contact_create(actor=request.user, organization=organization, **values)
    )


contacts = Router(tags=["contacts"])


@contacts.get("/{contact_id}", response=ContactOut, auth=can_view_pipeline)
def get_contact(request: HttpRequest, contact_id: Id) -> Contact:
    return get_object_or_404(Contact, pk=contact_id)


@contacts.patch("/{contact_id}", response=ContactOut, auth=can_change_pipeline)
def update_contact(request: HttpRequest, contact_id: Id, payload: ContactPatch) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("organization"), pk=contact_id)
    return services.contact_update(actor=request.user, contact=contact, **_values(payload))


@contacts.delete("/{contact_id}", response={204: None}, auth=can_change_pipeline)
def delete_contact(request: HttpRequest, contact_id: Id) -> Reply[None]:
    contact = get_object_or_404(Contact.objects.select_related("organization"), pk=contact_id)
    services.contact_delete(actor=request.user, contact=contact)
    return Reply(204, None)


# Engagements -----------------------------------------------------------------------

engagements = Router(tags=["engagements"])


class EngagementQuery(Schema):
    q: str = ""
    phase: str = ""
    status: str = ""
    owner: str = ""
    kind: str = ""
    sort: str = selectors.DEFAULT_SORT


def _engagement(engagement_id: int) -> Engagement:
    return get_object_or_404(Engagement.objects.select_related("organization"), pk=engagement_id)


@engagements.get("", response=list[EngagementOut], auth=can_view_pipeline)
@paginate(Pages)
def list_engagements(request: HttpRequest, filters: Query[EngagementQuery]) -> Any:
    parsed = selectors.EngagementFilters.from_query(filters.dict())
    return (
        selectors.engagements_filtered(parsed)
        .select_related("organization")
        .order_by(*selectors.SORTS[parsed.sort])
    )


@engagements.post("", response={201: EngagementOut}, auth=can_change_pipeline)
def create_engagement(request: HttpRequest, payload: EngagementIn) -> Reply[Engagement]:
    values = _values(payload)
    organization = get_object_or_404(Organization, pk=values.pop("organization_id"))
    if "owner_id" in values:
        values["owner"] = _owner(values.pop("owner_id"))
    for optional_text in ("source", "expected_tier"):
        if values.get(optional_text) is None:
            values.pop(optional_text, None)
    return Reply(
        201, services.engagement_create(actor=request.user, organization=organization, **values)
    )


@engagements.get("/{engagement_id}", response=EngagementOut, auth=can_view_pipeline)
def get_engagement(request: HttpRequest, engagement_id: Id) -> Engagement:
    return _engagement(engagement_id)


@engagements.patch("/{engagement_id}", response=EngagementOut, auth=can_change_pipeline)
def update_engagement(
    request: HttpRequest, engagement_id: Id, payload: EngagementPatch
) -> Engagement:
    engagement = _engagement(engagement_id)
    values = _values(payload)
    if "owner_id" in values:
        values["owner"] = _owner(values.pop("owner_id"))
    for optional_text in ("source", "expected_tier"):
        if optional_text in values and values[optional_text] is None:
            values[optional_text] = ""
    return services.engagement_update(actor=request.user, engagement=engagement, **values)


@engagements.post("/{engagement_id}/move", response={200: MilestoneOut}, auth=can_change_pipeline)
def move_engagement(request: HttpRequest, engagement_id: Id, payload: MoveIn) -> Any:
    """Move to a phase (and status); refused with 409 when the transition table forbids it."""
    engagement = _engagement(engagement_id)
    return services.engagement_move(actor=request.user, engagement=engagement, **payload.dict())


@engagements.get("/{engagement_id}/milestones", response=list[MilestoneOut], auth=can_view_pipeline)
def list_milestones(request: HttpRequest, engagement_id: Id) -> Any:
    return _engagement(engagement_id).milestones.order_by("occurred_at", "id")


@engagements.get(
    "/{engagement_id}/qualification", response=list[CriterionOut], auth=can_view_pipeline
)
def get_qualification(request: HttpRequest, engagement_id: Id) -> list[dict[str, str]]:
    snapshot = services.qualification_snapshot(_engagement(engagement_id))
    return [{"criterion": name, **values} for name, values in snapshot.items()]


@engagements.put(
    "/{engagement_id}/qualification/{criterion}", response=CriterionOut, auth=can_change_pipeline
)
def set_criterion(
    request: HttpRequest, engagement_id: Id, criterion: Criterion, payload: CriterionIn
) -> dict[str, str]:
    row = services.qualification_update(
        actor=request.user,
        engagement=_engagement(engagement_id),
        criterion=criterion,
        assessment=payload.assessment,
        evidence=payload.evidence,
    )
    return {"criterion": row.criterion, "assessment": row.assessment, "evidence": row.evidence}


@engagements.get(
    "/{engagement_id}/timeline", response=list[TimelineEntryOut], auth=can_view_pipeline
)
@paginate(Pages)
def list_timeline(request: HttpRequest, engagement_id: Id) -> Any:
    return _engagement(engagement_id).timeline_entries.order_by("-occurred_at", "-id")


@engagements.post(
    "/{engagement_id}/timeline", response={201: TimelineEntryOut}, auth=can_change_pipeline
)
def add_timeline_entry(
    request: HttpRequest, engagement_id: Id, payload: TimelineEntryIn
) -> Reply[Any]:
    entry = services.timeline_entry_add(
        actor=request.user, engagement=_engagement(engagement_id), **payload.dict()
    )
    return Reply(201, entry)
