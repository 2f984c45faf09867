"""Delivery capacity and the check costs <= amount sold <= capacity, hand-worked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from partnerops.team import services
from partnerops.team.capacity import month_capacity
from tests.invoicing.conftest import make_community

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def team() -> None:
    engineer = services.role_create(
        actor=None, name="Open Source Infrastructure Engineer", engineering=True
    )
    services.pay_scale_create(
        actor=None, role=engineer, effective_from=dt.date(2022, 1, 1), base=D("100000")
    )
    lead = services.role_create(actor=None, name="Partnerships Lead", survey_median=D("122000"))
    services.pay_scale_create(actor=None, role=lead, effective_from=dt.date(2022, 1, 1))
    one = services.person_create(actor=None, name="Erik")
    services.assignment_add(
        actor=None, person=one, role=engineer, level=1, start_on=dt.date(2025, 1, 1)
    )
    two = services.person_create(actor=None, name="Sarah")
    services.assignment_add(actor=None, person=two, role=engineer, level=1, fte=D("0.5"),
                            start_on=dt.date(2026, 10, 16))  # fmt: skip
    # The partnerships lead costs money but runs no hubs: not delivery capacity.
    jim = services.person_create(actor=None, name="Jim")
    services.assignment_add(
        actor=None, person=jim, role=lead, level=1, fte=D("0.2"), start_on=dt.date(2025, 1, 1)
    )


def test_capacity_sold_and_headroom(team: None, partnerships_user: Any) -> None:
    for name in ("Ocean", "River", "Lake"):
        make_community(partnerships_user, name, hub=name.lower())
    for name in ("Prairie", "Forest"):
        make_community(partnerships_user, name, tier="education", hub=name.lower())
    october = month_capacity("2026-10")
    # Erik all month, Sarah half time from the 16th (16 of 31 days): 1 + 0.5 x 16/31.
    assert october.engineering_fte == D("1.258")
    tiers = {tier.code: tier for tier in october.tiers}
    assert (tiers["research"].capacity_hubs, tiers["research"].hubs_sold) == (
        D("17.61"),
        3,
    )  # 1.258 x 14
    assert (tiers["education"].capacity_hubs, tiers["education"].hubs_sold) == (
        D("27.68"),
        2,
    )  # x 22
    # Sold: 3 x 0.075 + 2 x 0.045 of an engineer; headroom the rest.
    assert (october.fte_sold, october.headroom) == (D("0.315"), D("0.943"))
    assert october.sold_within_capacity
    # Amount sold: 3 x 1,500.00 + 2 x 1,000.00 a month. Costs: Erik 125,000 / 12 =
    # 10,416.67; Sarah 125,000 / 12 x 0.5 x 16/31 = 2,688.17; Jim 152,500 / 12 x 0.2
    # = 2,541.67: 15,646.51 > 6,500.00, so the costs are not covered.
    assert october.amount_sold == {"USD": D("6500.00")}
    assert october.team_cost == {"USD": D("15646.51")}
    assert october.costs_within_sold() == {"USD": False}


def test_a_month_before_anyone_was_in_service(team: None) -> None:
    september = month_capacity("2024-09")
    assert september.engineering_fte == D("0.000") and september.team_cost == {}
    assert september.fte_sold == D("0") and september.amount_sold == {}
