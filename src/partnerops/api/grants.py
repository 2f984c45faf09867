"""API v1: grants we seek, their moves, deliverables and reports, sub-awards, and the
figures the measures read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import can_manage_grants, can_view_pipeline
from partnerops.api.schemas import Id, Input, Pages, omittable
from partnerops.contracts.models import Agreement
from partnerops.core.uploads import read_upload, upload_name
from partnerops.crm.models import Engagement, Organization
from partnerops.grants import selectors, services
from partnerops.grants.models import Grant, GrantObligation, GrantState, ObligationKind
from partnerops.playbooks.models import Document

grants = Router(tags=["grants"])


class GrantOut(Schema):
    id: int
    funder_id: int
    funder: str
    programme: str
    title: str
    currency: str
    amount_requested: Decimal
    amount_expected: Decimal | None
    amount_awarded: Decimal | None
    probability: int
    found_on: dt.date
    due_on: dt.date | None
    submitted_on: dt.date | None
    decision_on: dt.date | None
    award_start_on: dt.date | None
    award_end_on: dt.date | None
    owner_id: int | None
    state: GrantState
    engagement_ids: list[int]
    subaward_ids: list[int]
    notes: str

    @staticmethod
    def resolve_funder(obj: Grant) -> str:
        return obj.funder.name

    @staticmethod
    def resolve_engagement_ids(obj: Grant) -> list[int]:
        return sorted(item.pk for item in obj.engagements.all())

    @staticmethod
    def resolve_subaward_ids(obj: Grant) -> list[int]:
        return sorted(item.pk for item in obj.subawards.all())


class GrantIn(Input):
    funder_id: Id = Field(..., description="An organization of kind funder.")
    programme: str = ""
    title: str = Field(..., min_length=1, examples=["Open infrastructure for science"])
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    amount_requested: Decimal = Field(..., ge=0, decimal_places=2, examples=["500000.00"])
    amount_expected: Decimal | None = Field(None, ge=0, decimal_places=2)
    probability: int = Field(25, ge=0, le=100)
    found_on: dt.date | None = None
    due_on: dt.date | None = None
    owner_id: Id | None = None
    engagement_ids: list[Id] = []
    notes: str = ""


class GrantPatch(Input):
    programme: str = omittable()
    title: str = omittable(min_length=1)
    amount_requested: Decimal = omittable(ge=0, decimal_places=2)
    amount_expected: Decimal | None = None
    probability: int = omittable(ge=0, le=100)
    due_on: dt.date | None = None
    owner_id: Id | None = None
    engagement_ids: list[Id] = omittable()
    notes: str = omittable()


class GrantMoveIn(Input):
    state: GrantState
    on: dt.date
    amount_awarded: Decimal | None = Field(
        None, ge=0, decimal_places=2, description="Needed to award."
    )


class ObligationOut(Schema):
    id: int
    grant_id: int
    kind: ObligationKind
    title: str
    due_on: dt.date
    owner_id: int | None
    done_on: dt.date | None


class ObligationIn(Input):
    kind: ObligationKind
    title: str = Field(..., min_length=1, examples=["Year 1 narrative report"])
    due_on: dt.date
    owner_id: Id | None = None


class DoneIn(Input):
    on: dt.date


class SubawardIn(Input):
    agreement_id: Id


class GrantYearOut(Schema):
    year: int
    applied: int
    decided: int
    won: int
    success_rate: Decimal | None
    awarded: dict[str, Decimal]


class GrantFiguresOut(Schema):
    years: list[GrantYearOut]
    pending_weighted: dict[str, Decimal]


def _links(data: dict[str, Any]) -> dict[str, Any]:
    if "funder_id" in data:
        data["funder"] = get_object_or_404(Organization, pk=data.pop("funder_id"))
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        data["owner"] = get_object_or_404(get_user_model(), pk=owner_id) if owner_id else None
    if "engagement_ids" in data:
        ids = data.pop("engagement_ids")
        data["engagements"] = [get_object_or_404(Engagement, pk=pk) for pk in ids]
    if data.get("found_on", "") is None:
        data.pop("found_on")
    return data


def _grant(grant_id: int) -> Grant:
    return get_object_or_404(
        Grant.objects.select_related("funder").prefetch_related("engagements", "subawards"),
        pk=grant_id,
    )


@grants.get("", response=list[GrantOut], auth=can_view_pipeline)
@paginate(Pages)
def list_grants(request: HttpRequest, state: str = "") -> Any:
    queryset = Grant.objects.select_related("funder").prefetch_related("engagements", "subawards")
    return queryset.filter(state=state) if state else queryset


@grants.post("", response={201: GrantOut}, auth=can_manage_grants)
def create_grant(request: HttpRequest, payload: GrantIn) -> Reply[Grant]:
    grant = services.grant_create(actor=request.user, **_links(payload.dict()))
    return Reply(201, _grant(grant.pk))


@grants.get("/figures", response=GrantFiguresOut, auth=can_view_pipeline)
def grant_figures(request: HttpRequest) -> dict[str, Any]:
    """Per year: applied, decided, won, success rate (null before any decision) and
    funding awarded per currency; and the pending amount weighted by probability."""
    years = [
        {
            "year": y.year,
            "applied": y.applied,
            "decided": y.decided,
            "won": y.won,
            "success_rate": y.success_rate,
            "awarded": y.awarded,
        }
        for y in selectors.grant_years()
    ]
    return {"years": years, "pending_weighted": selectors.pending_weighted()}


@grants.get("/{grant_id}", response=GrantOut, auth=can_view_pipeline)
def get_grant(request: HttpRequest, grant_id: Id) -> Grant:
    return _grant(grant_id)


@grants.patch("/{grant_id}", response=GrantOut, auth=can_manage_grants)
def update_grant(request: HttpRequest, grant_id: Id, payload: GrantPatch) -> Grant:
    grant = _grant(grant_id)
    services.grant_update(
        actor=request.user, grant=grant, **_links(payload.dict(exclude_unset=True))
    )
    return _grant(grant_id)


@grants.post("/{grant_id}/move", response=GrantOut, auth=can_manage_grants)
def move_grant(request: HttpRequest, grant_id: Id, payload: GrantMoveIn) -> Grant:
    services.grant_move(actor=request.user, grant=_grant(grant_id), **payload.dict())
    return _grant(grant_id)


@grants.get("/{grant_id}/obligations", response=list[ObligationOut], auth=can_view_pipeline)
def list_obligations(request: HttpRequest, grant_id: Id) -> Any:
    return list(_grant(grant_id).obligations.all())


@grants.post("/{grant_id}/obligations", response={201: ObligationOut}, auth=can_manage_grants)
def add_obligation(
    request: HttpRequest, grant_id: Id, payload: ObligationIn
) -> Reply[GrantObligation]:
    data = _links(payload.dict())
    return Reply(201, services.obligation_add(actor=request.user, grant=_grant(grant_id), **data))


@grants.post("/obligations/{obligation_id}/done", response=ObligationOut, auth=can_manage_grants)
def obligation_done(request: HttpRequest, obligation_id: Id, payload: DoneIn) -> GrantObligation:
    item = get_object_or_404(GrantObligation, pk=obligation_id)
    return services.obligation_done(actor=request.user, obligation=item, on=payload.on)


@grants.post("/{grant_id}/subawards", response=GrantOut, auth=can_manage_grants)
def link_subaward(request: HttpRequest, grant_id: Id, payload: SubawardIn) -> Grant:
    agreement = get_object_or_404(Agreement, pk=payload.agreement_id)
    services.grant_link_subaward(actor=request.user, grant=_grant(grant_id), agreement=agreement)
    return _grant(grant_id)


class GrantDocumentOut(Schema):
    id: int
    kind: str
    title: str
    version: int
    created_at: dt.datetime
    download: str

    @staticmethod
    def resolve_download(obj: Document) -> str:
        return reverse("playbooks:document-download", args=[obj.pk])


@grants.get("/{grant_id}/documents", response=list[GrantDocumentOut], auth=can_view_pipeline)
def list_grant_documents(request: HttpRequest, grant_id: Id) -> Any:
    return list(_grant(grant_id).documents.order_by("kind", "title", "-version"))


@grants.post("/{grant_id}/documents", response={201: GrantDocumentOut}, auth=can_manage_grants)
def file_grant_document(
    request: HttpRequest,
    grant_id: Id,
    kind: str = Form(
        ..., examples=["grant_proposal"], description="grant_proposal, award_letter or grant_report"
    ),
    title: str = Form(..., examples=["Proposal"]),
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare uploads
) -> Reply[Document]:
    """File a proposal, an award letter or a report (multipart); the same kind and
    title again is a new version."""
    grant = _grant(grant_id)
    try:
        content = read_upload(file, limit=services.MAX_DOCUMENT_BYTES, field="file")
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    document = services.grant_document_file(
        actor=request.user,
        grant=grant,
        kind=kind,
        title=title,
        content=content,
        file_name=upload_name(file),
    )
    return Reply(201, document)
