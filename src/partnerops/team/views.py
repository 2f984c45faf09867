"""The team page (roles, positions, people) and the capacity view. Pay is shown only to
those with the "view compensation" capability; everyone else sees titles, FTE and
capacity (issue 11, privacy)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partnerops.core import csv_cells
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.team import services
from partnerops.team.capacity import month_capacity
from partnerops.team.forms import (
    AssignmentChangeForm,
    AssignmentEndForm,
    AssignmentForm,
    PayScaleForm,
    PersonForm,
    RoleForm,
)
from partnerops.team.models import Assignment, JobRole, Person
from partnerops.team.pay import pay, published_ranges, scale_on

VIEW = Capability.VIEW_PIPELINE
PAY = Capability.VIEW_COMPENSATION


@requires(VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sees_pay = has_capability(request.user, PAY)
    roles = []
    for role in JobRole.objects.prefetch_related("pay_scales").order_by("name"):
        scales = list(role.pay_scales.all())
        current = scale_on(scales, today)
        roles.append(
            {
                "role": role,
                "titles": [role.title(level) for level in range(1, role.levels + 1)],
                "scale": current if sees_pay else None,
                "ranges": published_ranges(role, current) if sees_pay and current else [],
            }
        )
    assignments = []
    for item in (
        Assignment.objects.select_related("person", "role")
        .prefetch_related("role__pay_scales")
        .order_by("person__name", "-start_on")
    ):
        in_force = item.start_on <= today and (item.end_on is None or item.end_on >= today)
        scale = scale_on(
            list(item.role.pay_scales.all()), max(item.start_on, min(today, item.end_on or today))
        )
        assignments.append(
            {
                "item": item,
                "current": in_force,
                "pay": pay(scale, item.level, item.step) if sees_pay and scale else None,
            }
        )
    context = {
        "roles": roles,
        "assignments": assignments,
        "people": Person.objects.order_by("name"),
        "sees_pay": sees_pay,
        "can_manage": has_capability(request.user, Capability.MANAGE_TEAM),
    }
    return render(request, "team/overview.html", context)


@requires(VIEW)
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every position held, as CSV; the pay columns only for those who may see pay."""
    sees_pay = has_capability(request.user, PAY)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="team.csv"'
    out = csv_cells.writer(response)
    header = ["person", "email", "title", "role", "level", "step", "fte", "start_on", "end_on"]
    out.writerow(
        header + (["currency", "base", "benefits", "total_compensation"] if sees_pay else [])
    )
    assignments = Assignment.objects.select_related("person", "role").prefetch_related(
        "role__pay_scales"
    )
    for item in assignments.order_by("person__name", "start_on"):
        row = [item.person.name, item.person.email, item.title, item.role.name, item.level, item.step,
               item.fte, item.start_on, item.end_on or ""]  # fmt: skip
        if sees_pay:
            # The pay of the position's last day in force (today, for one that runs on).
            day = min(item.end_on or timezone.localdate(), timezone.localdate())
            scale = scale_on(list(item.role.pay_scales.all()), max(day, item.start_on))
            yearly = pay(scale, item.level, item.step) if scale else None
            row += (
                [yearly.currency, yearly.base, yearly.benefits, yearly.total]
                if yearly
                else ["", "", "", ""]
            )
        out.writerow(row)
    return response


@requires(VIEW)
def capacity(request: HttpRequest) -> HttpResponse:
    month = request.GET.get("month", "") or f"{timezone.localdate():%Y-%m}"
    if (
        len(month) != 7
        or month[4] != "-"
        or not month.replace("-", "").isdigit()
        or not 1 <= int(month[5:]) <= 12
    ):
        month = f"{timezone.localdate():%Y-%m}"
    context = {
        "capacity": month_capacity(month),
        "month": month,
        "sees_pay": has_capability(request.user, PAY),
    }
    return render(request, "team/capacity.html", context)


# Writes ------------------------------------------------------------------------------

MANAGE = Capability.MANAGE_TEAM
Errors = (ValidationError, DomainError)


def _form_page(request: HttpRequest, form: Any, title: str) -> HttpResponse:
    return render(request, "form.html", {"form": form, "title": title})


def _posted(request: HttpRequest) -> Any:
    # Bound on every POST, an empty one too: it answers with the form's errors.
    return request.POST if request.method == "POST" else None


@requires(MANAGE)
def role_create(request: HttpRequest) -> HttpResponse:
    form = RoleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(actor=request.user, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Role {role} added.")
            return redirect("team:overview")
    return _form_page(request, form, "New role")


@requires(MANAGE)
def role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(JobRole, pk=pk)
    form = RoleForm(_posted(request), instance=JobRole.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(actor=request.user, role=role, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Role {role} saved.")
            return redirect("team:overview")
    return _form_page(request, form, f"Edit {role}")


@requires(MANAGE)
def scale_create(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(JobRole, pk=pk)
    form = PayScaleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            scale = services.pay_scale_create(actor=request.user, role=role, **values)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{scale}.")
            return redirect("team:overview")
    return _form_page(request, form, f"New pay scale for {role}")


@requires(MANAGE)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person} added; now give them a position.")
            return redirect("team:assignment-create", person.pk)
    return _form_page(request, form, "New person")


@requires(MANAGE)
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = AssignmentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_add(
                actor=request.user, person=person, **form.cleaned_data
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{person}: {assignment.title} from {assignment.start_on:%Y-%m-%d}."
            )
            return redirect("team:overview")
    return _form_page(request, form, f"A position for {person}")


@requires(MANAGE)
def assignment_change(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("person", "role"), pk=pk)
    form = AssignmentChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.assignment_change(
                actor=request.user, assignment=assignment, **form.cleaned_data
            )
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{new.person}: {new.title}, step {new.step}, from {new.start_on:%Y-%m-%d}.",
            )
            return redirect("team:overview")
    return _form_page(request, form, f"Change {assignment.person}'s position ({assignment.title})")


@requires(MANAGE)
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("person", "role"), pk=pk)
    form = AssignmentEndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(actor=request.user, assignment=assignment, **form.cleaned_data)
        except Errors as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{assignment.person}: {assignment.title} ends on {assignment.end_on:%Y-%m-%d}.",
            )
            return redirect("team:overview")
    return _form_page(request, form, f"End {assignment.person}'s {assignment.title}")
