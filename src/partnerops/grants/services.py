"""Writes to grants: opportunities, their moves, obligations, sub-awards. Atomic,
validated, audited; reminders of deadlines go through the outbox, once each."""

from __future__ import annotations

import datetime as dt
import mimetypes
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from partnerops.contracts.models import Agreement, AgreementKind
from partnerops.core import audit
from partnerops.core.updates import assign_fields
from partnerops.crm.models import OrganizationKind
from partnerops.grants.audit_actions import GrantsAction
from partnerops.grants.models import Grant, GrantObligation, GrantState
from partnerops.grants.states import DATE_FIELD, GRANT_MOVES, WON
from partnerops.outbox.notifications import notify_once
from partnerops.playbooks.documents import document_store
from partnerops.playbooks.models import Document, DocumentKind

GRANT_FIELDS = (
    "funder", "programme", "title", "currency", "amount_requested", "amount_expected",
    "amount_awarded", "probability", "found_on", "due_on", "submitted_on", "decision_on",
    "award_start_on", "award_end_on", "owner", "notes",
)  # fmt: skip
REMINDER_DAYS = (30, 7)


def _validate(grant: Grant) -> None:
    grant.full_clean(exclude=["engagements", "subawards"])
    if grant.funder.kind != OrganizationKind.FUNDER:
        raise ValidationError(
            {"funder": f"{grant.funder} is not a funder; mark its kind as funder first."}
        )
    if grant.state in WON and grant.amount_awarded is None:
        raise ValidationError({"amount_awarded": "An awarded grant says how much was awarded."})


@transaction.atomic
def grant_create(*, actor: Any, engagements: list[Any] | None = None, **values: Any) -> Grant:
    grant = Grant()
    assign_fields(grant, allowed=GRANT_FIELDS, values=values)
    _validate(grant)
    grant.save()
    if engagements:
        grant.engagements.set(engagements)
    audit.record_create(actor=actor, instance=grant)
    return grant


@transaction.atomic
def grant_update(
    *, actor: Any, grant: Grant, engagements: list[Any] | None = None, **values: Any
) -> Grant:
    before = audit.stored_snapshot(grant, GRANT_FIELDS)
    assign_fields(grant, allowed=GRANT_FIELDS, values=values)
    _validate(grant)
    grant.save()
    if engagements is not None:
        grant.engagements.set(engagements)
    audit.record_update(actor=actor, instance=grant, before=before)
    return grant


@transaction.atomic
def grant_move(
    *, actor: Any, grant: Grant, state: str, on: dt.date, amount_awarded: Decimal | None = None
) -> Grant:
    """Move along the state table; the move's date fills the grant's date for it (the
    submission, the decision, the award's start or end) unless one is recorded."""
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    GRANT_MOVES.check(
        locked.state, state, refused=f"{locked.title} cannot move to {GrantState(state).label}"
    )
    before = audit.snapshot(locked, ("state", "amount_awarded", *DATE_FIELD.values()))
    locked.state = state
    field = DATE_FIELD.get(GrantState(state))
    if field and getattr(locked, field) is None:
        setattr(locked, field, on)
    if amount_awarded is not None:
        locked.amount_awarded = amount_awarded
    _validate(locked)
    locked.save()
    audit.record_update(
        actor=actor, instance=locked, before=before, action=GrantsAction.GRANT_MOVED
    )
    return locked


@transaction.atomic
def obligation_add(
    *, actor: Any, grant: Grant, kind: str, title: str, due_on: dt.date, owner: Any = None
) -> GrantObligation:
    if grant.state not in WON:
        raise ValidationError(
            {
                "grant": f"{grant.title} is {grant.get_state_display()}: deliverables and reports come with an award."
            }
        )
    obligation = GrantObligation(
        grant=grant, kind=kind, title=title.strip(), due_on=due_on, owner=owner or grant.owner
    )
    obligation.full_clean()
    obligation.save()
    audit.record_create(actor=actor, instance=obligation)
    return obligation


@transaction.atomic
def obligation_done(*, actor: Any, obligation: GrantObligation, on: dt.date) -> GrantObligation:
    before = audit.snapshot(obligation, ("done_on",))
    obligation.done_on = on
    obligation.save(update_fields=["done_on"])
    audit.record_update(
        actor=actor, instance=obligation, before=before, action=GrantsAction.OBLIGATION_DONE
    )
    return obligation


@transaction.atomic
def grant_link_subaward(*, actor: Any, grant: Grant, agreement: Agreement) -> Grant:
    if agreement.kind != AgreementKind.GRANT_SUBAWARD:
        raise ValidationError(
            {
                "agreement": f"Agreement #{agreement.pk} is a {agreement.get_kind_display().lower()}, not a grant sub-award."
            }
        )
    grant.subawards.add(agreement)
    audit.record(actor=actor, instance=grant, action=audit.AuditAction.UPDATE,
                 message=f"sub-award: agreement #{agreement.pk}")  # fmt: skip
    return grant


GRANT_DOCUMENT_KINDS = (
    DocumentKind.GRANT_PROPOSAL,
    DocumentKind.AWARD_LETTER,
    DocumentKind.GRANT_REPORT,
)
# An upload larger than this is refused before it is read whole.
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


@transaction.atomic
def grant_document_file(
    *, actor: Any, grant: Grant, kind: str, title: str, content: bytes, file_name: str
) -> Document:
    """File a proposal, an award letter or a report on the grant: a new version of the
    document of that kind and title in the funder's folder, linked to the grant."""
    if kind not in GRANT_DOCUMENT_KINDS:
        raise ValidationError({"kind": "A grant keeps its proposal, award letter and reports."})
    if not title.strip():
        raise ValidationError({"title": "Give the document a title, e.g. 'Proposal'."})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"file": f"{file_name}: larger than {MAX_DOCUMENT_BYTES // 2**20} MiB."}
        )
    extension = file_name.rsplit(".", 1)[-1].lower()[:10] if "." in file_name else "bin"
    document = document_store(
        actor=actor, engagement=None, organization=grant.funder, kind=kind,
        title=f"{grant.title}: {title.strip()}"[:300], content=content, extension=extension,
        content_type=mimetypes.guess_type(file_name)[0] or "application/octet-stream",
    )  # fmt: skip
    grant.documents.add(document)
    return document


def obligation_reminders(today: dt.date) -> list[str]:
    """30 and 7 days before each open deadline of an awarded or active grant, and once
    it is overdue: to its owner (else the grant's), through the outbox, once each. A
    tick missed for a week still sends the nearest reminder, once."""
    sent = []
    open_obligations = GrantObligation.objects.filter(
        done_on__isnull=True, grant__state__in=[GrantState.AWARDED, GrantState.ACTIVE],
        due_on__lte=today + dt.timedelta(days=max(REMINDER_DAYS)),
    ).select_related("grant__owner", "owner")  # fmt: skip
    for item in open_obligations.order_by("due_on", "id"):
        days_left = (item.due_on - today).days
        if days_left < 0:
            stage, subject = (
                "overdue",
                f"Overdue since {item.due_on:%Y-%m-%d}: {item.title} ({item.grant.title})",
            )
        else:
            stage = str(min(days for days in REMINDER_DAYS if days_left <= days))
            subject = f"Due in {days_left} days ({item.due_on:%Y-%m-%d}): {item.title} ({item.grant.title})"
        with transaction.atomic():
            notification = notify_once(
                recipient=item.owner or item.grant.owner,
                key=f"grant-obligation:{item.pk}:{item.due_on:%Y-%m-%d}:{stage}",
                subject=subject,
                body=f'The {item.get_kind_display().lower()} "{item.title}" of {item.grant.title} '
                f"({item.grant.funder}) is due on {item.due_on:%Y-%m-%d}.",
                link=reverse("grants:grant-detail", args=[item.grant_id]),
            )
        if notification is not None:
            sent.append(f"{item.title} ({stage})")
    return sent
