"""API v1: hub usage (clusters, their Prometheus, excluded users, pulls, CSV imports,
usage per hub and month). The token or password of a cluster is written, never read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import AnyHttpUrl

from partnerops.api.auth import can_change_hubs, can_import_costs, can_view_pipeline
from partnerops.api.schemas import Id, Input, omittable
from partnerops.core.uploads import read_upload, upload_name
from partnerops.hubs.models import Hub
from partnerops.usage import selectors, services
from partnerops.usage.models import (
    DEFAULT_ACTIVE_USERS_QUERY,
    DEFAULT_MEMORY_QUERY,
    DEFAULT_SERVER_HOURS_QUERY,
    Cluster,
    ExcludedUser,
    HubUsage,
    PrometheusAuth,
)

usage = Router(tags=["usage"])
clusters = Router(tags=["usage"])

MONTH = Field(..., pattern=r"^\d{4}-\d{2}$", examples=["2026-10"], description="YYYY-MM")


class ClusterOut(Schema):
    id: int
    name: str
    prometheus_url: str
    auth: PrometheusAuth
    username: str
    secret_set: bool = Field(description="Whether a token or password is stored (never shown).")
    verify_tls: bool
    timeout_seconds: int
    namespace_label: str
    user_label: str
    active_users_query: str
    server_hours_query: str
    memory_query: str

    @staticmethod
    def resolve_secret_set(obj: Cluster) -> bool:
        return bool(obj.secret)


class ClusterIn(Input):
    name: str = Field(
        ..., examples=["shared-k8s"], description="As the hubs' cluster field names it."
    )
    prometheus_url: AnyHttpUrl | None = Field(None, examples=["https://prometheus.example.org"])
    auth: PrometheusAuth = PrometheusAuth.NONE
    username: str = ""
    secret: str = Field("", description="Bearer token or password; write-only.")
    verify_tls: bool = True
    timeout_seconds: int = Field(30, ge=1, le=300)
    namespace_label: str = "namespace"
    user_label: str = "annotation_hub_jupyter_org_username"
    active_users_query: str = Field(
        DEFAULT_ACTIVE_USERS_QUERY, description="{range} is the month's length."
    )
    server_hours_query: str = DEFAULT_SERVER_HOURS_QUERY
    memory_query: str = DEFAULT_MEMORY_QUERY


class ClusterPatch(Input):
    """Omitted fields stay as they are; an empty secret keeps the stored one."""

    prometheus_url: AnyHttpUrl | None = omittable()
    auth: PrometheusAuth = omittable()
    username: str = omittable()
    secret: str = omittable()
    verify_tls: bool = omittable()
    timeout_seconds: int = omittable()
    namespace_label: str = omittable()
    user_label: str = omittable()
    active_users_query: str = omittable()
    server_hours_query: str = omittable()
    memory_query: str = omittable()


class PullIn(Input):
    month: str = MONTH


class HubFiguresOut(Schema):
    hub_id: int
    hub: str
    active_users: int
    excluded_users: int
    server_hours: Decimal | None
    memory_byte_hours: Decimal | None


class PullOut(Schema):
    pull_id: int | None
    month: str
    cluster: str
    source: str
    partial_month: bool
    excluded: int
    active_users: int
    unknown_namespaces: list[str]
    hubs: list[HubFiguresOut]


class HubUsageOut(Schema):
    hub_id: int
    hub: str
    month: str
    active_users: int
    excluded_users: int
    server_hours: Decimal | None
    memory_byte_hours: str
    source: str
    pulled_at: dt.datetime
    partial_month: bool

    @staticmethod
    def resolve_hub(obj: HubUsage) -> str:
        return obj.hub.name

    @staticmethod
    def resolve_source(obj: HubUsage) -> str:
        return obj.pull.source

    @staticmethod
    def resolve_pulled_at(obj: HubUsage) -> dt.datetime:
        return obj.pull.pulled_at

    @staticmethod
    def resolve_partial_month(obj: HubUsage) -> bool:
        return obj.pull.partial_month


class ExcludedIn(Input):
    username: str = Field(..., examples=["deployment-service-check"])
    cluster_id: Id | None = Field(None, description="Blank: on every cluster.")
    reason: str = ""


class ExcludedOut(Schema):
    id: int
    username: str
    cluster_id: int | None
    reason: str


class WeightOut(Schema):
    month: str
    namespace: str
    hub_id: int | None
    weight: Decimal
    share_percent: Decimal
    source: str


def _pull_out(result: services.PullResult) -> dict[str, Any]:
    return {
        "pull_id": result.pull.pk if result.pull else None,
        "month": result.month,
        "cluster": result.cluster,
        "source": result.source,
        "partial_month": result.partial_month,
        "excluded": result.excluded,
        "active_users": result.active_users,
        "unknown_namespaces": result.unknown_namespaces,
        "hubs": [
            {
                "hub_id": item.hub.pk,
                "hub": item.hub.name,
                "active_users": item.active_users,
                "excluded_users": item.excluded_users,
                "server_hours": item.server_hours,
                "memory_byte_hours": item.memory_byte_hours,
            }
            for item in result.hubs
        ],
    }


def _cluster_values(data: dict[str, Any]) -> dict[str, Any]:
    if "prometheus_url" in data:
        data["prometheus_url"] = str(data["prometheus_url"] or "")
    return data


# Clusters ----------------------------------------------------------------------------


@clusters.get("", response=list[ClusterOut], auth=can_view_pipeline)
def list_clusters(request: HttpRequest) -> Any:
    return list(Cluster.objects.order_by("name"))


@clusters.post("", response={201: ClusterOut}, auth=can_change_hubs)
def create_cluster(request: HttpRequest, payload: ClusterIn) -> Reply[Cluster]:
    return Reply(
        201, services.cluster_create(actor=request.user, **_cluster_values(payload.dict()))
    )


@clusters.get("/{cluster_id}", response=ClusterOut, auth=can_view_pipeline)
def get_cluster(request: HttpRequest, cluster_id: Id) -> Cluster:
    return get_object_or_404(Cluster, pk=cluster_id)


@clusters.patch("/{cluster_id}", response=ClusterOut, auth=can_change_hubs)
def update_cluster(request: HttpRequest, cluster_id: Id, payload: ClusterPatch) -> Cluster:
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    values = _cluster_values(payload.dict(exclude_unset=True))
    return services.cluster_update(actor=request.user, cluster=cluster, **values)


@clusters.post("/{cluster_id}/pull", response=PullOut, auth=can_import_costs)
def pull_cluster(request: HttpRequest, cluster_id: Id, payload: PullIn) -> dict[str, Any]:
    """Ask the cluster's Prometheus for the month; it replaces the month's figures and
    the cluster's cost weights. 502 naming the cluster and query when Prometheus fails."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    result = services.usage_pull(actor=request.user, cluster=cluster, month=payload.month)
    return _pull_out(result)


@clusters.get("/{cluster_id}/weights", response=list[WeightOut], auth=can_view_pipeline)
def cluster_weights(request: HttpRequest, cluster_id: Id, month: str = "") -> list[dict[str, Any]]:
    """The memory byte-hours per namespace and month the cluster's shared cost is split by."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    return [
        {
            "month": row.month,
            "namespace": row.namespace,
            "hub_id": row.hub.pk if row.hub else None,
            "weight": row.weight,
            "share_percent": row.share,
            "source": row.source,
        }
        for row in selectors.cluster_weights(cluster)
        if not month or row.month == month
    ]


# Usage -------------------------------------------------------------------------------


@usage.get("", response=list[HubUsageOut], auth=can_view_pipeline)
def list_usage(request: HttpRequest, month: str = "", hub_id: Id | None = None) -> Any:
    """Usage per hub and month (filter by ?month=YYYY-MM and ?hub_id=), newest first."""
    if not month and hub_id is None:
        raise HttpError(422, "Give a month (?month=YYYY-MM) or a hub (?hub_id=).")
    rows = HubUsage.objects.select_related("hub", "pull").order_by("-month", "hub__name")
    if month:
        services.month_bounds(month)
        rows = rows.filter(month=month)
    if hub_id is not None:
        rows = rows.filter(hub=get_object_or_404(Hub, pk=hub_id))
    return list(rows[:2000])


@usage.post("/imports", response={201: PullOut}, auth=can_import_costs)
def import_usage(
    request: HttpRequest,
    file: UploadedFile = File(..., description="CSV of month,hub,active_users[,server_hours]"),  # noqa: B008
) -> Reply[dict[str, Any]]:
    """Upload a usage CSV (multipart, field ``file``); every row is checked first, and a
    bad one names its row and column (422) with nothing stored."""
    try:
        content = read_upload(file, limit=services.MAX_CSV_BYTES, field="file")
    except ValidationError as error:  # over the bound
        raise HttpError(422, " ".join(error.messages)) from None
    result = services.usage_import_csv(
        actor=request.user, content=content, file_name=upload_name(file)
    )
    return Reply(201, _pull_out(result))


@usage.get("/excluded-users", response=list[ExcludedOut], auth=can_view_pipeline)
def list_excluded(request: HttpRequest) -> Any:
    return list(ExcludedUser.objects.order_by("username", "cluster_id"))


@usage.post("/excluded-users", response={201: ExcludedOut}, auth=can_change_hubs)
def add_excluded(request: HttpRequest, payload: ExcludedIn) -> Reply[ExcludedUser]:
    cluster = get_object_or_404(Cluster, pk=payload.cluster_id) if payload.cluster_id else None
    return Reply(
        201,
        services.excluded_user_add(
            actor=request.user, username=payload.username, cluster=cluster, reason=payload.reason
        ),
    )


@usage.delete("/excluded-users/{excluded_id}", response={204: None}, auth=can_change_hubs)
def remove_excluded(request: HttpRequest, excluded_id: Id) -> Reply[None]:
    services.excluded_user_remove(
        actor=request.user, excluded=get_object_or_404(ExcludedUser, pk=excluded_id)
    )
    return Reply(204, None)
