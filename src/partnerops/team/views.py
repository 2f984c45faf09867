"""The team page (roles, positions, people) and the capacity view. Pay is shown only to
those with the "view compensation" capability; everyone else sees titles, FTE and
capacity (issue 11, privacy)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from partnerops.core.access import requires
from partnerops.core.roles import Capability, has_capability
from partnerops.team.capacity import month_capacity
from partnerops.team.models import Assignment, JobRole
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
    context = {"roles": roles, "assignments": assignments, "sees_pay": sees_pay}
    return render(request, "team/overview.html", context)


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
