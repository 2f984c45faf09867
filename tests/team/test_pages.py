"""The team pages: titles, FTE and capacity for everyone; pay only with "view compensation"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerops.core.roles import Role
from partnerops.team import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_as(role: Role) -> Client:
    client = Client()
    client.force_login(UserFactory(username=f"t-{role.value.lower()}", roles=[role.value]))
    return client


@pytest.fixture
def team() -> None:
    role = services.role_create(actor=None, name="Open Source Infrastructure Engineer", engineering=True,
                                comparable_titles=["Site reliability engineer"])  # fmt: skip
    services.pay_scale_create(
        actor=None, role=role, effective_from=dt.date(2022, 1, 1), base=Decimal("121600")
    )
    person = services.person_create(actor=None, name="Georgiana")
    services.assignment_add(
        actor=None, person=person, role=role, level=2, step=2, start_on=dt.date(2024, 1, 1)
    )


# 121,600 x 1.1 x 1.02 = 136,435.20 base; + 25% = 170,544.00.
PAY = ("136,435.20", "170,544.00", "121,600.00")


@pytest.mark.parametrize("role", [Role.PARTNERSHIPS, Role.ENGINEERING, Role.VIEWER])
def test_without_the_capability_no_pay_is_shown(team: None, role: Role) -> None:
    client = client_as(role)
    page = client.get(reverse("team:overview")).content.decode()
    assert "Open Source Infrastructure Engineer L2" in page and "Georgiana" in page
    assert not any(figure in page for figure in PAY)
    capacity = client.get(reverse("team:capacity") + "?month=2026-10").content.decode()
    assert "Engineering FTE available</dt><dd>1</dd>" in capacity
    assert "Team cost" not in capacity and "14,212.00" not in capacity


@pytest.mark.parametrize("role", [Role.OPERATIONS, Role.ADMINISTRATOR])
def test_with_the_capability_pay_and_ranges_are_shown(team: None, role: Role) -> None:
    client = client_as(role)
    page = client.get(reverse("team:overview")).content.decode()
    assert all(figure in page for figure in PAY)
    # The published range of L1: step 1 to step 3 (121,600 x 1.02^2 = 126,512.64).
    assert "Open Source Infrastructure Engineer L1: USD 121,600.00 to 126,512.64" in page
    capacity = client.get(reverse("team:capacity") + "?month=2026-10").content.decode()
    assert "USD 14,212.00" in capacity  # 170,544.00 / 12


def test_a_bad_month_shows_the_current_one(team: None) -> None:
    response = client_as(Role.VIEWER).get(reverse("team:capacity") + "?month=2026-13")
    assert response.status_code == 200
    assert f"Delivery capacity, {timezone.localdate():%Y-%m}" in response.content.decode()


def test_operations_keeps_the_team_through_the_forms() -> None:
    client = client_as(Role.OPERATIONS)
    response = client.post(reverse("team:role-create"), {
        "name": "Partnerships Lead", "survey_median": "122000", "levels": "3", "steps": "3",
        "comparable_titles": "Director of Partnerships\nHead of Sales",
    })  # fmt: skip
    assert response.status_code == 302
    from partnerops.team.models import Assignment, JobRole, Person

    role = JobRole.objects.get()
    assert role.comparable_titles == ["Director of Partnerships", "Head of Sales"]
    client.post(reverse("team:scale-create", args=[role.pk]), {
        "effective_from": "2022-01-01", "level_factor": "1.1", "step_factor": "1.02",
        "benefits_rate": "0.25", "currency": "USD",
    })  # fmt: skip
    assert role.pay_scales.get().base == Decimal("122000.00")  # the survey median
    response = client.post(reverse("team:person-create"), {"name": "Jim"})
    person = Person.objects.get()
    assert response.url == reverse("team:assignment-create", args=[person.pk])  # type: ignore[attr-defined]
    too_high = client.post(reverse("team:assignment-create", args=[person.pk]),
                           {"role": role.pk, "level": "4", "step": "1", "fte": "1", "start_on": "2025-01-01"})  # fmt: skip
    assert "Partnerships Lead has levels L1 to L3" in too_high.content.decode()
    client.post(reverse("team:assignment-create", args=[person.pk]),
                {"role": role.pk, "level": "1", "step": "1", "fte": "1", "start_on": "2025-01-01"})  # fmt: skip
    first = Assignment.objects.get()
    client.post(
        reverse("team:assignment-change", args=[first.pk]), {"on": "2026-01-01", "level": "2"}
    )
    assert [(a.title, a.start_on, a.end_on) for a in Assignment.objects.order_by("start_on")] == [
        ("Partnerships Lead L1", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("Partnerships Lead L2", dt.date(2026, 1, 1), None),
    ]
    empty = client.post(reverse("team:role-create"), {})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert client_as(Role.PARTNERSHIPS).get(reverse("team:role-create")).status_code == 403
