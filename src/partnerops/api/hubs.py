"""API v1: the Active Hubs table and each hub's lifecycle."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import can_change_hubs, can_view_pipeline
from partnerops.api.schemas import Id, Input, Pages, omittable
from partnerops.contracts.models import Agreement
from partnerops.crm.models import Organization
from partnerops.hubs import services as hub_services
from partnerops.hubs.models import CloudProvider, Hub, HubState, Tenancy

hubs = Router(tags=["hubs"])


class HubOut(Schema):
    id: int
    name: str
    url: str
    community_id: int
    agreement_id: int | None
    cluster: str
    provider: CloudProvider
    tenancy: Tenancy
    cloud_accounts: list[str]
    cost_labels: dict[str, str]
    we_pay_cloud_bill: bool
    state: HubState
    requested_on: dt.date
    service_start_on: dt.date | None
    deploying_since: dt.date | None
    running_since: dt.date | None
    decommissioned_on: dt.date | None
    engineering_issues: list[str]


class HubIn(Input):
    name: str
    url: str = ""
    community_id: Id
    agreement_id: Id | None = None
    cluster: str
    provider: CloudProvider
    tenancy: Tenancy = Tenancy.SHARED
    cloud_accounts: list[str] = []
    cost_labels: dict[str, str] = {}
    we_pay_cloud_bill: bool = True
    service_start_on: dt.date | None = None
    engineering_issues: list[str] = []


class HubPatch(Input):
    """Omitted fields stay as they are; null only where the field may be empty."""

    url: str = omittable()
    agreement_id: Id | None = None
    cluster: str = omittable()
    tenancy: Tenancy = omittable()
    cloud_accounts: list[str] = omittable()
    cost_labels: dict[str, str] = omittable()
    we_pay_cloud_bill: bool = omittable()
    service_start_on: dt.date | None = None
    engineering_issues: list[str] = omittable()


class HubTransitionIn(Input):
    state: HubState
    on: dt.date | None = None


def _resolve_hub_links(data: dict[str, Any]) -> dict[str, Any]:
    if "community_id" in data:
        data["community"] = get_object_or_404(Organization, pk=data.pop("community_id"))
    if "agreement_id" in data:
        agreement_id = data.pop("agreement_id")
        data["agreement"] = get_object_or_404(Agreement, pk=agreement_id) if agreement_id else None
    return data


@hubs.get("", response=list[HubOut], auth=can_view_pipeline)
@paginate(Pages)
def list_hubs(
    request: HttpRequest, state: str = "", provider: str = "", community_id: Id | None = None
) -> Any:
    queryset = Hub.objects.order_by("name")
    if state:
        queryset = queryset.filter(state=state)
    if provider:
        queryset = queryset.filter(provider=provider)
    if community_id:
        queryset = queryset.filter(community_id=community_id)
    return queryset


@hubs.post("", response={201: HubOut}, auth=can_change_hubs)
def create_hub(request: HttpRequest, payload: HubIn) -> Reply[Hub]:
    return Reply(
        201, hub_services.hub_create(actor=request.user, **_resolve_hub_links(payload.dict()))
    )


@hubs.get("/{hub_id}", response=HubOut, auth=can_view_pipeline)
def get_hub(request: HttpRequest, hub_id: Id) -> Hub:
    return get_object_or_404(Hub, pk=hub_id)


@hubs.patch("/{hub_id}", response=HubOut, auth=can_change_hubs)
def update_hub(request: HttpRequest, hub_id: Id, payload: HubPatch) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    return hub_services.hub_update(
        actor=request.user, hub=hub, **_resolve_hub_links(payload.dict(exclude_unset=True))
    )


@hubs.post("/{hub_id}/transition", response=HubOut, auth=can_change_hubs)
def transition_hub(request: HttpRequest, hub_id: Id, payload: HubTransitionIn) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    return hub_services.hub_transition(
        actor=request.user, hub=hub, state=payload.state, on=payload.on
    )
