"""Writes to the pipeline. Views, the API, the admin and the CLI call only these.

Each service is atomic: it validates, writes, and records the audit event in
the same transaction, so a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.updates import assign_fields
from partnerops.crm.audit_actions import CrmAction
from partnerops.crm.models import (
    Assessment,
    Contact,
    Criterion,
    Engagement,
    EntryKind,
    Milestone,
    Organization,
    Qualification,
    TimelineEntry,
)
from partnerops.crm.states import Phase, State, Status, board_target, check_move

ORGANIZATION_FIELDS = ("name", "kind", "website", "country", "notes")
CONTACT_FIELDS = ("name", "email", "phone", "title", *Contact.ROLE_FIELDS)
ENGAGEMENT_FIELDS = (
    "title",
    "owner",
    "source",
    "first_touch_on",
    "expected_tier",
    "expected_value",
    "currency",
    "probability",
    "follow_up_on",
)
# Allowed clock skew for "now" coming from another machine (the browser, a script).
_FUTURE_TOLERANCE = dt.timedelta(minutes=5)


# Organizations -----------------------------------------------------------------------


@transaction.atomic
def organization_create(*, actor: Any, name: str, **values: Any) -> Organization:
    organization = Organization(name=name.strip())
    assign_fields(organization, allowed=ORGANIZATION_FIELDS, values=values)
    organization.full_clean()
    organization.save()
    audit.record_create(actor=actor, instance=organization)
    return organization


@transaction.atomic
def organization_update(*, actor: Any, organization: Organization, **values: Any) -> Organization:
    before = audit.stored_snapshot(organization, ORGANIZATION_FIELDS)
    if "name" in values:
        values["name"] = str(values["name"]).strip()
    assign_fields(organization, allowed=ORGANIZATION_FIELDS, values=values)
    organization.full_clean()
    organization.save()
    audit.record_update(actor=actor, instance=organization, before=before)
    return organization


# Contacts ----------------------------------------------------------------------------


def _check_contact_email(contact: Contact) -> None:
    clash = Contact.objects.filter(
        organization_id=contact.organization_id, email__iexact=contact.email
    ).exclude(pk=contact.pk)
    if clash.exists():
        raise ValidationError(
            {
                "email": f"{contact.organization} already has a contact with the email {contact.email}."
            }
        )


@transaction.atomic
def contact_create(
    *, actor: Any, organization: Organization, name: str, email: str, **values: Any
) -> Contact:
    contact = Contact(organization=organization, name=name.strip(), email=email.strip())
    assign_fields(contact, allowed=CONTACT_FIELDS, values=values)
    contact.full_clean(validate_constraints=False)
    _check_contact_email(contact)
    contact.save()
    audit.record_create(actor=actor, instance=contact)
    return contact


@transaction.atomic
def contact_update(*, actor: Any, contact: Contact, **values: Any) -> Contact:
    before = audit.stored_snapshot(contact, CONTACT_FIELDS)
    assign_fields(contact, allowed=CONTACT_FIELDS, values=values)
    contact.full_clean(validate_constraints=False)
    _check_contact_email(contact)
    contact.save()
    audit.record_update(actor=actor, instance=contact, before=before)
    return contact


@transaction.atomic
def contact_delete(*, actor: Any, contact: Contact) -> None:
    audit.record_delete(actor=actor, instance=contact)
    contact.delete()


# Engagements -------------------------------------------------------------------------


def _check_occurred_at(engagement: Engagement | None, occurred_at: dt.datetime) -> None:
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": "The date and time must include a time zone."})
    if occurred_at > timezone.now() + _FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": "A milestone cannot be dated in the future."})
    if engagement is None:
        return
    last = (
        engagement.milestones.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    )
    if last is not None and occurred_at < last:
        raise ValidationError(
            {
                "occurred_at": f"A move cannot be dated before the previous milestone "
                f"({timezone.localtime(last):%Y-%m-%d %H:%M})."
            }
        )


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _add_milestone(
    *,
    actor: Any,
    engagement: Engagement,
    previous: State | None,
    occurred_at: dt.datetime,
    note: str,
    qualification: dict[str, Any] | None = None,
) -> Milestone:
    milestone = Milestone.objects.create(
        engagement=engagement,
        occurred_at=occurred_at,
        actor=user_or_none(actor),
        from_phase=previous.phase if previous else "",
        from_status=previous.status if previous else "",
        to_phase=engagement.phase,
        to_status=engagement.status,
        note=note,
        qualification=qualification,
    )
    TimelineEntry.objects.create(
        engagement=engagement,
        kind=EntryKind.MILESTONE,
        occurred_at=occurred_at,
        author=milestone.actor,
        title=milestone.describe(),
        body=note,
        milestone=milestone,
    )
    return milestone


@transaction.atomic
def engagement_create(
    *,
    actor: Any,
    organization: Organization,
    title: str = "",
    occurred_at: dt.datetime | None = None,
    note: str = "",
    **values: Any,
) -> Engagement:
    """A new Lead (Active Lead), with its creation milestone dated at first touch."""
    engagement = Engagement(
        organization=organization,
        title=(title.strip() or "Managed hub service"),
        phase=Phase.LEAD,
        status=Status.ACTIVE_LEAD,
    )
    assign_fields(engagement, allowed=ENGAGEMENT_FIELDS, values=values)
    if occurred_at is None:
        today = timezone.localdate()
        first_touch = engagement.first_touch_on or today
        occurred_at = timezone.now() if first_touch >= today else _start_of_day(first_touch)
    _check_occurred_at(None, occurred_at)
    engagement.phase_since = engagement.status_since = engagement.created_at = occurred_at
    engagement.full_clean()
    engagement.save()
    _add_milestone(
        actor=actor, engagement=engagement, previous=None, occurred_at=occurred_at, note=note
    )
    audit.record_create(actor=actor, instance=engagement)
    return engagement


@transaction.atomic
def engagement_update(*, actor: Any, engagement: Engagement, **values: Any) -> Engagement:
    """Change an engagement's details; phase and status change only through a move."""
    before = audit.stored_snapshot(engagement, ENGAGEMENT_FIELDS)
    assign_fields(engagement, allowed=ENGAGEMENT_FIELDS, values=values)
    if engagement.status == Status.WAITING and engagement.follow_up_on is None:
        raise ValidationError({"follow_up_on": "A Waiting engagement needs a follow-up date."})
    engagement.full_clean()
    engagement.save()
    audit.record_update(actor=actor, instance=engagement, before=before)
    return engagement


@transaction.atomic
def engagement_move(
    *,
    actor: Any,
    engagement: Engagement,
    phase: Phase | str,
    status: Status | str | None = None,
    occurred_at: dt.datetime | None = None,
    follow_up_on: dt.date | None = None,
    close_reason: str = "",
    note: str = "",
) -> Milestone:
    """Move to (phase, status) if the transition table allows it; record a milestone.

    ``status=None`` is the board's move: the status is kept if it belongs in the
    new phase, else the phase's default. ``occurred_at`` may be in the past, for
    history entered late, but not before the previous milestone.
    """
    # Lock the row so two people moving the same card cannot both succeed from
    # the same starting state.
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    current = locked.state
    requested = (
        board_target(current, Phase(phase))
        if status is None
        else State(Phase(phase), Status(status))
    )
    check_move(current, requested)
    when = occurred_at or timezone.now()
    _check_occurred_at(locked, when)
    close_reason = close_reason.strip()
    if requested.phase == Phase.CLOSED and not close_reason:
        raise ValidationError(
            {"close_reason": f"Closing needs a reason (moving from {current} to {requested})."}
        )
    if requested.status == Status.WAITING and follow_up_on is None:
        raise ValidationError(
            {
                "follow_up_on": f"Waiting needs a follow-up date (moving from {current} to {requested})."
            }
        )

    before = audit.snapshot(locked, ("phase", "status", "follow_up_on", "close_reason"))
    if requested.phase != current.phase:
        locked.phase = requested.phase
        locked.phase_since = when
    if requested.status != current.status:
        locked.status = requested.status
        locked.status_since = when
    if follow_up_on is not None:
        locked.follow_up_on = follow_up_on
    locked.close_reason = close_reason if requested.phase == Phase.CLOSED else ""
    locked.save()

    qualification = None
    if current.phase == Phase.LEAD and requested.phase == Phase.QUALIFIED_LEAD:
        qualification = qualification_snapshot(locked)
    milestone = _add_milestone(
        actor=actor,
        engagement=locked,
        previous=current,
        occurred_at=when,
        note=note,
        qualification=qualification,
    )
    audit.record_update(
        actor=actor,
        instance=locked,
        before=before,
        action=CrmAction.MOVE,
        message=milestone.describe(),
    )
    # The caller's object reflects the move too.
    for name in ("phase", "status", "phase_since", "status_since", "follow_up_on", "close_reason"):
        setattr(engagement, name, getattr(locked, name))
    return milestone


# MANIAC-T ----------------------------------------------------------------------------


def qualification_snapshot(engagement: Engagement) -> dict[str, dict[str, str]]:
    """All seven criteria as they stand, unknown where nothing was recorded."""
    stored = {q.criterion: q for q in engagement.qualifications.all()}
    result: dict[str, dict[str, str]] = {}
    for criterion in Criterion:
        row = stored.get(criterion.value)
        result[criterion.value] = {
            "assessment": row.assessment if row else Assessment.UNKNOWN.value,
            "evidence": row.evidence if row else "",
        }
    return result


@transaction.atomic
def qualification_update(
    *,
    actor: Any,
    engagement: Engagement,
    criterion: Criterion | str,
    assessment: Assessment | str,
    evidence: str,
) -> Qualification:
    criterion = Criterion(criterion)
    if assessment not in Assessment.values:
        raise ValidationError(
            {"assessment": f"{assessment!r} is not one of {', '.join(Assessment.values)}."}
        )
    row, created = Qualification.objects.get_or_create(engagement=engagement, criterion=criterion)
    before = audit.snapshot(row, ("assessment", "evidence"))
    row.assessment = assessment
    row.evidence = evidence.strip()
    row.updated_by = user_or_none(actor)
    row.save()
    changes = {
        f"{criterion.value}.{name}": {
            "old": None if created else before[name],
            "new": getattr(row, name),
        }
        for name in ("assessment", "evidence")
        if created or before[name] != getattr(row, name)
    }
    if changes:
        audit.record(
            actor=actor,
            instance=engagement,
            action=CrmAction.QUALIFICATION,
            changes=changes,
            message=f"{criterion.label}: {row.get_assessment_display()}",
        )
    return row


# Timeline ----------------------------------------------------------------------------


@transaction.atomic
def timeline_entry_add(
    *,
    actor: Any,
    engagement: Engagement,
    kind: EntryKind | str,
    title: str,
    body: str = "",
    occurred_at: dt.datetime | None = None,
) -> TimelineEntry:
    if kind == EntryKind.MILESTONE:
        raise DomainError("Milestones are recorded by moving the engagement, not as notes.")
    when = occurred_at or timezone.now()
    if timezone.is_naive(when):
        raise ValidationError({"occurred_at": "The date and time must include a time zone."})
    if when > timezone.now() + _FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": "A timeline entry cannot be dated in the future."})
    entry = TimelineEntry(
        engagement=engagement,
        kind=kind,
        title=title.strip(),
        body=body,
        occurred_at=when,
        author=user_or_none(actor),
    )
    entry.full_clean(exclude=["milestone"])
    entry.save()
    audit.record_create(actor=actor, instance=entry)
    return entry
