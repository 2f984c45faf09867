"""The team through the API and as CSV: compensation only for those who may see it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from partnerops.core.roles import Role
from tests.api.client import Api
from tests.team.test_pages import client_as
from tests.team.test_pages import team as team  # the fixture

pytestmark = pytest.mark.django_db


def test_operations_builds_the_team_through_the_api() -> None:
    api = Api(Role.OPERATIONS)
    role = api.call("POST", "/team/roles", {"name": "Open Source Infrastructure Engineer", "engineering": True,
                                            "survey_median": "121600.00", "levels": 3, "steps": 3}).json()  # fmt: skip
    assert (
        role["titles"][1] == "Open Source Infrastructure Engineer L2"
        and "survey_median" not in role
    )
    scale = api.call(
        "POST", f"/team/roles/{role['id']}/pay-scales", {"effective_from": "2022-01-01"}
    )
    assert scale.status_code == 201 and scale.json()["base"] == "121600.00"
    person = api.call("POST", "/team/people", {"name": "Georgiana"}).json()
    held = api.call("POST", f"/team/people/{person['id']}/assignments",
                    {"role_id": role["id"], "level": 2, "step": 2, "start_on": "2024-01-01"})  # fmt: skip
    assert (
        held.status_code == 201 and held.json()["title"] == "Open Source Infrastructure Engineer L2"
    )
    refused = api.call("POST", f"/team/people/{person['id']}/assignments",
                       {"role_id": role["id"], "level": 4, "start_on": "2024-01-01"})  # fmt: skip
    assert refused.status_code == 422
    changed = api.call(
        "POST", f"/team/assignments/{held.json()['id']}/change", {"on": "2026-01-01", "level": 3}
    )
    assert changed.status_code == 201 and changed.json()["title"].endswith("L3")
    pay = api.call("GET", "/team/compensation?on=2026-10-01").json()
    # L3 step 2: 121,600 x 1.21 x 1.02 = 150,078.72; + 25% = 187,598.40.
    assert [(row["title"], row["base"], row["total"]) for row in pay] == [
        ("Open Source Infrastructure Engineer L3", "150078.72", "187598.40")
    ]
    capacity = api.call("GET", "/team/capacity?month=2026-10").json()
    assert capacity["engineering_fte"] == "1.000" and capacity["team_cost"] == {"USD": "15633.20"}


@pytest.mark.parametrize("role", [Role.PARTNERSHIPS, Role.ENGINEERING, Role.VIEWER])
def test_without_the_capability_the_api_shows_no_pay(team: None, role: Role) -> None:
    api = Api(role)
    assert api.call("GET", "/team/compensation").status_code == 403
    assert api.call("GET", "/team/pay-scales").status_code == 403
    capacity = api.call("GET", "/team/capacity?month=2026-10").json()
    assert capacity["engineering_fte"] == "1.000" and capacity["team_cost"] is None
    listed = api.call("GET", "/team/assignments")
    assert "136435" not in listed.content.decode() and listed.json()[0]["fte"] == "1.000"


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_csv_has_pay_columns_only_with_the_capability(team: None) -> None:
    hidden = read_csv(client_as(Role.PARTNERSHIPS).get("/team/export.csv").content)
    assert hidden == [{
        "person": "Georgiana", "email": "", "title": "Open Source Infrastructure Engineer L2",
        "role": "Open Source Infrastructure Engineer", "level": "2", "step": "2", "fte": "1.000",
        "start_on": "2024-01-01", "end_on": "",
    }]  # fmt: skip
    shown = read_csv(client_as(Role.OPERATIONS).get("/team/export.csv").content)
    assert (shown[0]["base"], shown[0]["total_compensation"]) == ("136435.20", "170544.00")
    assert dt.date.fromisoformat(shown[0]["start_on"]) == dt.date(2024, 1, 1)
    assert Decimal(shown[0]["benefits"]) == Decimal("34108.80")
