"""Writes to the team: roles, pay scales (versioned), people, assignments. Atomic,
validated, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from partnerops.core import audit
from partnerops.core.updates import assign_fields
from partnerops.team.audit_actions import TeamAction
from partnerops.team.models import Assignment, JobRole, PayScale, Person

ROLE_FIELDS = (
    "name",
    "key_goal",
    "responsibilities",
    "performance_measures",
    "reference_position",
    "salary_survey",
    "survey_year",
    "survey_median",
    "comparable_titles",
    "levels",
    "steps",
    "engineering",
)
SCALE_FIELDS = ("base", "level_factor", "step_factor", "benefits_rate", "currency")


def _validate_role(role: JobRole) -> None:
    role.full_clean()
    if not isinstance(role.comparable_titles, list) or not all(
        isinstance(title, str) and title.strip() for title in role.comparable_titles
    ):
        raise ValidationError({"comparable_titles": "A list of job titles."})


@transaction.atomic
def role_create(*, actor: Any, **values: Any) -> JobRole:
    role = JobRole()
    assign_fields(role, allowed=ROLE_FIELDS, values=values)
    _validate_role(role)
    role.save()
    audit.record_create(actor=actor, instance=role)
    return role


@transaction.atomic
def role_update(*, actor: Any, role: JobRole, **values: Any) -> JobRole:
    before = audit.stored_snapshot(role, ROLE_FIELDS)
    assign_fields(role, allowed=ROLE_FIELDS, values=values)
    _validate_role(role)
    highest = role.assignments.order_by("-level").values_list("level", flat=True).first()
    if highest and highest > role.levels:
        raise ValidationError(
            {"levels": f"Someone holds L{highest}: keep at least {highest} levels."}
        )
    role.save()
    audit.record_update(actor=actor, instance=role, before=before)
    return role


@transaction.atomic
def pay_scale_create(
    *,
    actor: Any,
    role: JobRole,
    effective_from: dt.date,
    base: Decimal | None = None,
    **values: Any,
) -> PayScale:
    """A new version of the role's scale from ``effective_from`` (the previous ends the
    day before). The base of L1 step 1 defaults to the survey median."""
    latest = role.pay_scales.select_for_update().order_by("-version").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": f"A new scale must start after {latest.effective_from:%Y-%m-%d}, when v{latest.version} started."
            }
        )
    if base is None:
        if role.survey_median is None:
            raise ValidationError(
                {"base": "Give the base of L1 step 1, or the role's survey median."}
            )
        base = role.survey_median
    scale = PayScale(
        role=role,
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        base=base,
    )
    for name in SCALE_FIELDS:
        if name in values:
            setattr(scale, name, values.pop(name))
        elif latest is not None and name != "base":
            setattr(scale, name, getattr(latest, name))
    if values:
        raise TypeError(f"Unknown pay scale fields: {', '.join(sorted(values))}")
    if scale.level_factor < 1 or scale.step_factor < 1 or scale.benefits_rate < 0:
        raise ValidationError(
            {"level_factor": "Levels and steps never pay less; benefits are not negative."}
        )
    scale.full_clean()
    if latest is not None:
        before = audit.snapshot(latest, ("effective_until",))
        latest.effective_until = effective_from - dt.timedelta(days=1)
        latest.save(update_fields=["effective_until"])
        audit.record_update(actor=actor, instance=latest, before=before)
    scale.save()
    audit.record_create(actor=actor, instance=scale)
    return scale


@transaction.atomic
def person_create(*, actor: Any, name: str, email: str = "", user: Any = None) -> Person:
    person = Person(name=name.strip(), email=email.strip(), user=user)
    person.full_clean()
    person.save()
    audit.record_create(actor=actor, instance=person)
    return person


def _validate_assignment(assignment: Assignment) -> None:
    assignment.full_clean()
    role = assignment.role
    if assignment.level > role.levels:
        raise ValidationError({"level": f"{role} has levels L1 to L{role.levels}."})
    if assignment.step > role.steps:
        raise ValidationError({"step": f"{role} has steps 1 to {role.steps} in each level."})
    # One person is at most one full-time equivalent on any day.
    others = Assignment.objects.filter(person=assignment.person).exclude(pk=assignment.pk)
    end = assignment.end_on or dt.date.max
    for other in others:
        other_end = other.end_on or dt.date.max
        overlaps = other.start_on <= end and assignment.start_on <= other_end
        if overlaps and other.fte + assignment.fte > 1:
            raise ValidationError(
                {"fte": f"{assignment.person} is already {other.fte.normalize()} FTE as {other.title} "
                 f"from {other.start_on:%Y-%m-%d}: together more than 1 FTE."}
            )  # fmt: skip


@transaction.atomic
def assignment_add(
    *, actor: Any, person: Person, role: JobRole, level: int, start_on: dt.date,
    step: int = 1, fte: Decimal = Decimal(1), end_on: dt.date | None = None,
) -> Assignment:  # fmt: skip
    assignment = Assignment(person=person, role=role, level=level, step=step, fte=fte,
                            start_on=start_on, end_on=end_on)  # fmt: skip
    _validate_assignment(assignment)
    assignment.save()
    audit.record_create(actor=actor, instance=assignment)
    return assignment


@transaction.atomic
def assignment_end(*, actor: Any, assignment: Assignment, end_on: dt.date) -> Assignment:
    if end_on < assignment.start_on:
        raise ValidationError(
            {"end_on": f"The assignment starts on {assignment.start_on:%Y-%m-%d}."}
        )
    before = audit.snapshot(assignment, ("end_on",))
    assignment.end_on = end_on
    _validate_assignment(assignment)
    assignment.save(update_fields=["end_on"])
    audit.record_update(
        actor=actor, instance=assignment, before=before, action=TeamAction.ASSIGNMENT_ENDED
    )
    return assignment


@transaction.atomic
def assignment_change(
    *, actor: Any, assignment: Assignment, on: dt.date, level: int | None = None,
    step: int | None = None, fte: Decimal | None = None, role: JobRole | None = None,
) -> Assignment:  # fmt: skip
    """A promotion, a step or an FTE change from ``on``: the current assignment ends the
    day before and a new one begins, so every month keeps the position it was paid at."""
    if on <= assignment.start_on:
        raise ValidationError({"on": f"A change starts after {assignment.start_on:%Y-%m-%d}."})
    previous_end = assignment.end_on
    assignment_end(actor=actor, assignment=assignment, end_on=on - dt.timedelta(days=1))
    return assignment_add(
        actor=actor, person=assignment.person, role=role or assignment.role,
        level=level or assignment.level, step=step or assignment.step,
        fte=fte if fte is not None else assignment.fte, start_on=on, end_on=previous_end,
    )  # fmt: skip
