"""API v1: the team (roles, pay scales, people, positions) and delivery capacity. Pay is
its own operations, for those who may see compensation; everything else shows titles,
FTE and capacity only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as Reply

from partnerops.api.auth import can_manage_team, can_view_compensation, can_view_pipeline
from partnerops.api.schemas import Id, Input, omittable
from partnerops.core.roles import Capability, has_capability
from partnerops.team import services
from partnerops.team.capacity import month_capacity
from partnerops.team.models import Assignment, JobRole, PayScale, Person
from partnerops.team.pay import pay, published_ranges, scale_on

team = Router(tags=["team"])


class JobRoleOut(Schema):
    id: int
    name: str
    key_goal: str
    responsibilities: str
    performance_measures: str
    reference_position: str
    salary_survey: str
    survey_year: int | None
    comparable_titles: list[str]
    levels: int
    steps: int
    engineering: bool
    titles: list[str]

    @staticmethod
    def resolve_titles(obj: JobRole) -> list[str]:
        return [obj.title(level) for level in range(1, obj.levels + 1)]


class JobRoleIn(Input):
    name: str = Field(..., examples=["Open Source Infrastructure Engineer"])
    key_goal: str = ""
    responsibilities: str = ""
    performance_measures: str = ""
    reference_position: str = ""
    salary_survey: str = ""
    survey_year: int | None = None
    survey_median: Decimal | None = Field(None, ge=0, decimal_places=2, examples=["121600.00"])
    comparable_titles: list[str] = []
    levels: int = Field(3, ge=1, le=10)
    steps: int = Field(3, ge=1, le=10)
    engineering: bool = False


class JobRolePatch(Input):
    key_goal: str = omittable()
    responsibilities: str = omittable()
    performance_measures: str = omittable()
    reference_position: str = omittable()
    salary_survey: str = omittable()
    survey_year: int | None = None
    comparable_titles: list[str] = omittable()
    levels: int = omittable(ge=1, le=10)
    steps: int = omittable(ge=1, le=10)
    engineering: bool = omittable()


class PayScaleOut(Schema):
    id: int
    role_id: int
    version: int
    effective_from: dt.date
    effective_until: dt.date | None
    base: Decimal
    level_factor: Decimal
    step_factor: Decimal
    benefits_rate: Decimal
    currency: str


class PayScaleIn(Input):
    effective_from: dt.date
    base: Decimal | None = Field(
        None, ge=0, decimal_places=2, description="Blank: the survey median."
    )
    level_factor: Decimal = Field(Decimal("1.10"), ge=1, le=3, decimal_places=4)
    step_factor: Decimal = Field(Decimal("1.02"), ge=1, le=2, decimal_places=4)
    benefits_rate: Decimal = Field(Decimal("0.25"), ge=0, le=1, decimal_places=4)
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")


class PersonOut(Schema):
    id: int
    name: str
    email: str
    user_id: int | None


class PersonIn(Input):
    name: str = Field(..., min_length=1)
    email: str = ""


class AssignmentOut(Schema):
    id: int
    person_id: int
    person: str
    role_id: int
    title: str
    level: int
    step: int
    fte: Decimal
    start_on: dt.date
    end_on: dt.date | None

    @staticmethod
    def resolve_person(obj: Assignment) -> str:
        return obj.person.name


class AssignmentIn(Input):
    role_id: Id
    level: int = Field(..., ge=1, le=10)
    step: int = Field(1, ge=1, le=10)
    fte: Decimal = Field(Decimal(1), gt=0, le=1, decimal_places=3)
    start_on: dt.date
    end_on: dt.date | None = None


class AssignmentChangeIn(Input):
    on: dt.date
    level: int | None = Field(None, ge=1, le=10)
    step: int | None = Field(None, ge=1, le=10)
    fte: Decimal | None = Field(None, gt=0, le=1, decimal_places=3)


class AssignmentEndIn(Input):
    end_on: dt.date


class PayOut(Schema):
    assignment_id: int
    title: str
    step: int
    fte: Decimal
    currency: str
    base: Decimal
    benefits: Decimal
    total: Decimal


class RangeOut(Schema):
    title: str
    currency: str
    lowest_base: Decimal
    highest_base: Decimal


class TierCapacityOut(Schema):
    code: str
    name: str
    hubs_per_engineer: Decimal
    engineer_fte_per_hub: Decimal
    capacity_hubs: Decimal
    hubs_sold: int
    fte_sold: Decimal


class CapacityOut(Schema):
    month: str
    engineering_fte: Decimal
    fte_sold: Decimal
    headroom: Decimal
    sold_within_capacity: bool
    tiers: list[TierCapacityOut]
    unsold_hubs: list[str]
    amount_sold: dict[str, Decimal]
    team_cost: dict[str, Decimal] | None = Field(
        None, description="Only for those who may see compensation; null otherwise."
    )
    costs_within_sold: dict[str, bool] | None = None


# Roles and pay scales ------------------------------------------------------------------


@team.get("/roles", response=list[JobRoleOut], auth=can_view_pipeline)
def list_roles(request: HttpRequest) -> Any:
    return list(JobRole.objects.order_by("name"))


@team.post("/roles", response={201: JobRoleOut}, auth=can_manage_team)
def create_role(request: HttpRequest, payload: JobRoleIn) -> Reply[JobRole]:
    return Reply(201, services.role_create(actor=request.user, **payload.dict()))


@team.patch("/roles/{role_id}", response=JobRoleOut, auth=can_manage_team)
def update_role(request: HttpRequest, role_id: Id, payload: JobRolePatch) -> JobRole:
    role = get_object_or_404(JobRole, pk=role_id)
    return services.role_update(actor=request.user, role=role, **payload.dict(exclude_unset=True))


@team.get("/pay-scales", response=list[PayScaleOut], auth=can_view_compensation)
def list_pay_scales(request: HttpRequest) -> Any:
    return list(PayScale.objects.order_by("role__name", "-version"))


@team.post("/roles/{role_id}/pay-scales", response={201: PayScaleOut}, auth=can_manage_team)
def create_pay_scale(request: HttpRequest, role_id: Id, payload: PayScaleIn) -> Reply[PayScale]:
    role = get_object_or_404(JobRole, pk=role_id)
    return Reply(201, services.pay_scale_create(actor=request.user, role=role, **payload.dict()))


@team.get("/roles/{role_id}/ranges", response=list[RangeOut], auth=can_view_compensation)
def role_ranges(
    request: HttpRequest, role_id: Id, on: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each position's published range (base, step 1 to the last step) under the scale in
    effect on ``on`` (today by default)."""
    role = get_object_or_404(JobRole, pk=role_id)
    scale = scale_on(list(role.pay_scales.all()), on or timezone.localdate())
    if scale is None:
        raise HttpError(
            422, f"No pay scale of {role} applies on {on or timezone.localdate():%Y-%m-%d}."
        )
    return [
        {
            "title": item.title,
            "currency": item.lowest.currency,
            "lowest_base": item.lowest.base,
            "highest_base": item.highest.base,
        }
        for item in published_ranges(role, scale)
    ]


# People and positions ---------------------------------------------------------------


@team.get("/people", response=list[PersonOut], auth=can_view_pipeline)
def list_people(request: HttpRequest) -> Any:
    return list(Person.objects.order_by("name"))


@team.post("/people", response={201: PersonOut}, auth=can_manage_team)
def create_person(request: HttpRequest, payload: PersonIn) -> Reply[Person]:
    return Reply(201, services.person_create(actor=request.user, **payload.dict()))


@team.get("/assignments", response=list[AssignmentOut], auth=can_view_pipeline)
def list_assignments(request: HttpRequest, person_id: Id | None = None) -> Any:
    rows = Assignment.objects.select_related("person", "role").order_by("person__name", "start_on")
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return list(rows)


@team.post("/people/{person_id}/assignments", response={201: AssignmentOut}, auth=can_manage_team)
def create_assignment(
    request: HttpRequest, person_id: Id, payload: AssignmentIn
) -> Reply[Assignment]:
    person = get_object_or_404(Person, pk=person_id)
    data = payload.dict()
    role = get_object_or_404(JobRole, pk=data.pop("role_id"))
    return Reply(201, services.assignment_add(actor=request.user, person=person, role=role, **data))


@team.post(
    "/assignments/{assignment_id}/change", response={201: AssignmentOut}, auth=can_manage_team
)
def change_assignment(
    request: HttpRequest, assignment_id: Id, payload: AssignmentChangeIn
) -> Reply[Assignment]:
    """A promotion, a step or an FTE change from a date: a new position from ``on``."""
    assignment = get_object_or_404(Assignment, pk=assignment_id)
    return Reply(
        201, services.assignment_change(actor=request.user, assignment=assignment, **payload.dict())
    )


@team.post("/assignments/{assignment_id}/end", response=AssignmentOut, auth=can_manage_team)
def end_assignment(request: HttpRequest, assignment_id: Id, payload: AssignmentEndIn) -> Assignment:
    assignment = get_object_or_404(Assignment, pk=assignment_id)
    return services.assignment_end(actor=request.user, assignment=assignment, end_on=payload.end_on)


@team.get("/compensation", response=list[PayOut], auth=can_view_compensation)
def compensation(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Each position in force on ``on`` (today by default) with its yearly pay."""
    day = on or timezone.localdate()
    rows = []
    assignments = (
        Assignment.objects.filter(start_on__lte=day)
        .exclude(end_on__lt=day)
        .select_related("person", "role")
        .prefetch_related("role__pay_scales")
    )
    for item in assignments:
        scale = scale_on(list(item.role.pay_scales.all()), day)
        if scale is None:
            continue
        yearly = pay(scale, item.level, item.step)
        rows.append({"assignment_id": item.pk, "title": item.title, "step": item.step, "fte": item.fte,
                     "currency": yearly.currency, "base": yearly.base, "benefits": yearly.benefits,
                     "total": yearly.total})  # fmt: skip
    return rows


@team.get("/capacity", response=CapacityOut, auth=can_view_pipeline)
def capacity(
    request: HttpRequest,
    month: str = Query(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-10"]),
) -> dict[str, Any]:
    """FTE available, sold and headroom, capacity per tier, and the check costs <= amount
    sold <= capacity; the team's cost only for those who may see compensation."""
    result = month_capacity(month)
    sees_pay = has_capability(request.user, Capability.VIEW_COMPENSATION)
    return {
        "month": result.month, "engineering_fte": result.engineering_fte, "fte_sold": result.fte_sold,
        "headroom": result.headroom, "sold_within_capacity": result.sold_within_capacity,
        "tiers": [vars(tier) for tier in result.tiers], "unsold_hubs": result.unsold_hubs,
        "amount_sold": result.amount_sold,
        "team_cost": result.team_cost if sees_pay else None,
        "costs_within_sold": result.costs_within_sold() if sees_pay else None,
    }  # fmt: skip
