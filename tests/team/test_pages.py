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
