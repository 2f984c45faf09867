"""Pay from a scale (seed 002's handbook rules): base = L1 step 1 x level factor^(level-1)
x step factor^(step-1); total compensation = base + benefits. And the team's cost per
month: each assignment's total compensation / 12 x FTE, prorated by day."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from partnerops.core.money import round_cents
from partnerops.team.models import Assignment, JobRole, PayScale


@dataclass(frozen=True)
class Pay:
    base: Decimal
    benefits: Decimal
    currency: str

    @property
    def total(self) -> Decimal:
        return self.base + self.benefits


def pay(scale: PayScale, level: int, step: int) -> Pay:
    """A position's yearly pay at a level and step, to the cent."""
    base = round_cents(
        scale.base * scale.level_factor ** (level - 1) * scale.step_factor ** (step - 1)
    )
    return Pay(base, round_cents(base * scale.benefits_rate), scale.currency)


@dataclass(frozen=True)
class PayRange:
    title: str
    lowest: Pay  # step 1
    highest: Pay  # the last step


def published_ranges(role: JobRole, scale: PayScale) -> list[PayRange]:
    """Each position's published range under a scale: step 1 to the last step."""
    return [
        PayRange(role.title(level), pay(scale, level, 1), pay(scale, level, role.steps))
        for level in range(1, role.levels + 1)
    ]


def scale_on(scales: list[PayScale], day: dt.date) -> PayScale | None:
    """The version in effect on the day, of one role's scales."""
    for scale in sorted(scales, key=lambda item: -item.version):
        if scale.effective_from <= day and (
            scale.effective_until is None or day <= scale.effective_until
        ):
            return scale
    return None


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, number = int(month[:4]), int(month[5:7])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def covered_days(assignment: Assignment, first: dt.date, last: dt.date) -> list[dt.date]:
    start = max(assignment.start_on, first)
    end = min(assignment.end_on or last, last)
    return [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]


@dataclass(frozen=True)
class CostLine:
    assignment: Assignment
    days: int
    amount: Decimal
    currency: str
    unpriced_days: int  # days no pay scale of the role covers


def month_cost(
    assignments: list[Assignment], scales: dict[int, list[PayScale]], month: str
) -> list[CostLine]:
    """Each assignment's cost in the month: for each day it covers, the total
    compensation of the scale in effect that day / 12 x FTE / days in the month."""
    first, last = month_bounds(month)
    month_days = (last - first).days + 1
    lines = []
    for assignment in assignments:
        days = covered_days(assignment, first, last)
        if not days:
            continue
        # Days per scale in effect (a new scale may start mid-month); one division per
        # scale, so that a whole month is exactly a twelfth of the year.
        segments: dict[int, tuple[PayScale, int]] = {}
        unpriced = 0
        for day in days:
            scale = scale_on(scales.get(assignment.role_id, []), day)
            if scale is None:
                unpriced += 1
                continue
            segments[scale.pk] = (scale, segments.get(scale.pk, (scale, 0))[1] + 1)
        per_currency: dict[str, Decimal] = defaultdict(Decimal)
        for scale, count in segments.values():
            yearly = pay(scale, assignment.level, assignment.step).total
            per_currency[scale.currency] += yearly * assignment.fte * count / (12 * month_days)
        for currency, amount in sorted(per_currency.items()) or [("", Decimal(0))]:
            lines.append(CostLine(assignment, len(days), round_cents(amount), currency, unpriced))
    return lines


def team_cost(lines: list[CostLine]) -> dict[str, Decimal]:
    """The month's cost per currency (never added across currencies)."""
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in lines:
        if line.currency:
            totals[line.currency] += line.amount
    return dict(totals)
