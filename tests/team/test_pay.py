"""Positions, pay from the scale, and the team's monthly cost, against hand-worked figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerops.team import services
from partnerops.team.models import Assignment, JobRole, PayScale
from partnerops.team.pay import month_cost, pay, published_ranges, team_cost

pytestmark = pytest.mark.django_db
D = Decimal


def lead_role() -> JobRole:
    return services.role_create(
        actor=None, name="Partnerships Lead", key_goal="Sustainable partnerships.",
        reference_position="Program Manager", salary_survey="Candid", survey_year=2022,
        survey_median=D("122000.00"), comparable_titles=["Director of Partnerships"], levels=3, steps=3,
    )  # fmt: skip


def test_a_positions_title_is_generated() -> None:
    role = lead_role()
    person = services.person_create(actor=None, name="Jim")
    assignment = services.assignment_add(
        actor=None, person=person, role=role, level=2, start_on=dt.date(2026, 1, 1)
    )
    assert assignment.title == "Partnerships Lead L2"
    assert [r.title for r in published_ranges(role, services.pay_scale_create(
        actor=None, role=role, effective_from=dt.date(2022, 1, 1)))] == [
        "Partnerships Lead L1", "Partnerships Lead L2", "Partnerships Lead L3"]  # fmt: skip


@pytest.mark.parametrize(
    ("level", "step", "base", "benefits", "total"),
    [
        (1, 1, "122000.00", "30500.00", "152500.00"),  # the survey median, + 25%
        (2, 1, "134200.00", "33550.00", "167750.00"),  # + 10% a level
        (2, 3, "139621.68", "34905.42", "174527.10"),  # 134,200 x 1.02 x 1.02
        (3, 2, "150572.40", "37643.10", "188215.50"),  # 122,000 x 1.21 x 1.02
    ],
)
def test_pay_from_the_scale(level: int, step: int, base: str, benefits: str, total: str) -> None:
    scale = services.pay_scale_create(
        actor=None, role=lead_role(), effective_from=dt.date(2022, 1, 1)
    )
    assert scale.base == D("122000.00")
    result = pay(scale, level, step)
    assert (result.base, result.benefits, result.total) == (D(base), D(benefits), D(total))


def test_the_factors_are_data() -> None:
    scale = services.pay_scale_create(actor=None, role=lead_role(), effective_from=dt.date(2022, 1, 1),
                                      base=D("100000"), level_factor=D("1.15"), benefits_rate=D("0.30"))  # fmt: skip
    result = pay(scale, 2, 2)  # 100,000 x 1.15 x 1.02
    assert (result.base, result.total) == (D("117300.00"), D("152490.00"))


def test_a_new_scale_is_a_new_version_and_ends_the_previous() -> None:
    role = lead_role()
    first = services.pay_scale_create(actor=None, role=role, effective_from=dt.date(2022, 1, 1))
    second = services.pay_scale_create(
        actor=None, role=role, effective_from=dt.date(2026, 6, 16), base=D("130000")
    )
    first.refresh_from_db()
    assert (first.effective_until, second.version, second.level_factor) == (
        dt.date(2026, 6, 15),
        2,
        D("1.1"),
    )
    with pytest.raises(ValidationError, match="must start after 2026-06-16"):
        services.pay_scale_create(actor=None, role=role, effective_from=dt.date(2026, 1, 1))


def costs(month: str) -> dict[str, list[Decimal]]:
    assignments = list(Assignment.objects.select_related("person", "role"))
    scales = {role.pk: list(role.pay_scales.all()) for role in JobRole.objects.all()}
    lines = month_cost(assignments, scales, month)
    by_person: dict[str, list[Decimal]] = {}
    for line in lines:
        by_person.setdefault(line.assignment.person.name, []).append(line.amount)
    return by_person


def test_monthly_cost_is_prorated_by_day_across_a_mid_month_change() -> None:
    role = lead_role()
    services.pay_scale_create(actor=None, role=role, effective_from=dt.date(2022, 1, 1))
    ana = services.person_create(actor=None, name="Ana")
    services.assignment_add(
        actor=None, person=ana, role=role, level=1, start_on=dt.date(2026, 6, 16)
    )
    ben = services.person_create(actor=None, name="Ben")
    first = services.assignment_add(
        actor=None, person=ben, role=role, level=1, start_on=dt.date(2026, 1, 1)
    )
    services.assignment_change(actor=None, assignment=first, on=dt.date(2026, 6, 16), level=2)
    cal = services.person_create(actor=None, name="Cal")
    services.assignment_add(
        actor=None, person=cal, role=role, level=1, fte=D("0.5"), start_on=dt.date(2026, 6, 1)
    )
    # June has 30 days. Ana from the 16th: 152,500 / 12 x 15/30 = 6,354.17.
    # Ben: L1 to the 15th (6,354.17), L2 from the 16th: 167,750 / 12 x 15/30 = 6,989.58.
    # Cal: half time all month: 152,500 / 12 x 0.5 = 6,354.17.
    assert costs("2026-06") == {
        "Ana": [D("6354.17")], "Ben": [D("6354.17"), D("6989.58")], "Cal": [D("6354.17")],
    }  # fmt: skip
    scales = {role.pk: list(role.pay_scales.all())}
    # 6,354.17 + 6,354.17 + 6,989.58 + 6,354.17
    assert team_cost(month_cost(list(Assignment.objects.all()), scales, "2026-06")) == {
        "USD": D("26052.09")
    }
    # July, whole month: a twelfth of each year.
    assert costs("2026-07") == {
        "Ana": [D("12708.33")],
        "Ben": [D("13979.17")],
        "Cal": [D("6354.17")],
    }


def test_a_new_scale_mid_month_costs_each_day_at_its_own_scale() -> None:
    role = lead_role()
    services.pay_scale_create(actor=None, role=role, effective_from=dt.date(2022, 1, 1))
    services.pay_scale_create(
        actor=None, role=role, effective_from=dt.date(2026, 6, 16), base=D("130000")
    )
    ben = services.person_create(actor=None, name="Ben")
    services.assignment_add(
        actor=None, person=ben, role=role, level=2, start_on=dt.date(2026, 1, 1)
    )
    # 167,750 x 15/360 + 178,750 (130,000 x 1.1 x 1.25) x 15/360 = 6,989.58 + 7,447.92.
    assert costs("2026-06") == {"Ben": [D("14437.50")]}
    # May keeps the old scale: history keeps the scale it was computed with.
    assert costs("2026-05") == {"Ben": [D("13979.17")]}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"level": 4}, "Partnerships Lead has levels L1 to L3"),
        ({"level": 1, "step": 4}, "has steps 1 to 3 in each level"),
        ({"level": 1, "fte": D("1.5")}, "less than or equal to 1"),
    ],
)
def test_assignments_stay_within_the_role(values: dict[str, object], message: str) -> None:
    role = lead_role()
    person = services.person_create(actor=None, name="Dee")
    with pytest.raises(ValidationError, match=message):
        services.assignment_add(
            actor=None, person=person, role=role, start_on=dt.date(2026, 1, 1), **values
        )  # type: ignore[arg-type]


def test_one_person_is_at_most_one_fte_on_any_day() -> None:
    role = lead_role()
    person = services.person_create(actor=None, name="Eve")
    services.assignment_add(
        actor=None, person=person, role=role, level=1, fte=D("0.6"), start_on=dt.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match=r"already 0\.6 FTE as Partnerships Lead L1"):
        services.assignment_add(
            actor=None,
            person=person,
            role=role,
            level=2,
            fte=D("0.5"),
            start_on=dt.date(2026, 3, 1),
        )
    services.assignment_add(
        actor=None, person=person, role=role, level=2, fte=D("0.4"), start_on=dt.date(2026, 3, 1)
    )
    assert PayScale.objects.count() == 0
