"""What playbook steps can do. A step names an action and its parameters (editable by
administrators in the admin); the action runs inside the step's transaction and
returns an Outcome. Keeping the actions in code means a playbook can be reworded,
reordered and extended with manual steps without anyone writing code, while what
the system does automatically stays reviewed and tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils import timezone

from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.profile import get_profile
from partnerops.crm import services as crm
from partnerops.crm.models import Engagement, EntryKind, TimelineEntry
from partnerops.crm.states import Phase, Status
from partnerops.outbox.models import EmailTemplate
from partnerops.outbox.services import Attachment, email_queue, email_send_now
from partnerops.outbox.templating import email_context, render_email
from partnerops.playbooks import documents, handoff
from partnerops.playbooks.models import Document, DocumentKind, RunStep


@dataclass
class Outcome:
    """What an action did; ``deliver`` runs after its transaction commits (sending mail)."""

    result: dict[str, Any] = field(default_factory=dict)
    deliver: Callable[[], None] | None = None
    note: str = ""


Action = Callable[[RunStep, Any], Outcome]


def _latest(engagement: Engagement, kind: str) -> Document | None:
    return (
        Document.objects.filter(organization=engagement.organization, kind=kind)
        .order_by("-created_at", "-id")
        .first()
    )


def recipients(engagement: Engagement, who: str) -> list[str]:
    profile = get_profile()
    contacts = list(engagement.organization.contacts.order_by("id"))
    if who == "operations":
        return [profile.operations_email]
    if who == "partnerships":
        return [profile.partnerships_email]
    if who == "representative":
        chosen = [c for c in contacts if c.is_community_representative] or contacts[:1]
        return [c.email for c in chosen]
    return [c.email for c in contacts]


def _attachments(
    step: RunStep, actor: Any, engagement: Engagement
) -> tuple[list[Attachment], list[int]]:
    files, ids = [], []
    for kind in step.params.get("attach", []):
        document: Document | None
        if kind == DocumentKind.SERVICE_DESCRIPTION:
            document = documents.document_generate(
                actor=actor,
                engagement=engagement,
                template="service-description",
                kind=kind,
                title=f"{get_profile().name} service description",
            )
        else:
            document = _latest(engagement, kind)
        if document is None:
            raise DomainError(f"There is no {DocumentKind(kind).label.lower()} to attach yet.")
        with document.file.open("rb") as handle:
            files.append(Attachment(document.download_name, handle.read(), document.content_type))
        ids.append(document.pk)
    return files, ids


def send_email(step: RunStep, actor: Any) -> Outcome:
    """params: template, to (contacts | representative | operations), cc (partnerships,
    operations), attach (document kinds), link (a document kind shared by signed link)."""
    engagement = step.run.engagement
    existing = step.result.get("email_id")
    if existing:  # stored on an earlier attempt: only its delivery is retried
        return Outcome(deliver=partial(email_send_now, existing))
    template = EmailTemplate.objects.filter(key=step.params.get("template", "")).first()
    if template is None:
        raise DomainError(f"There is no email template '{step.params.get('template')}'.")
    context = email_context(engagement, engagement.agreements.order_by("-start_on", "-id").first())
    link_kind = step.params.get("link")
    if link_kind:
        shared = _latest(engagement, link_kind)
        if shared is None:
            raise DomainError(f"There is no {DocumentKind(link_kind).label.lower()} to share yet.")
        context = {**context, "link": documents.share_link(shared)}
    rendered = render_email(template, context)
    to = recipients(engagement, step.params.get("to", "contacts"))
    if not to:
        raise DomainError(
            f"{engagement.organization.name} has no contact to send '{template.name}' to."
        )
    cc = [address for who in step.params.get("cc", []) for address in recipients(engagement, who)]
    files, document_ids = _attachments(step, actor, engagement)
    profile = get_profile()
    email = email_queue(
        key=f"playbook-run:{step.run_id}:step:{step.position}",
        to=to,
        cc=cc,
        from_email=profile.partnerships_email,
        reply_to=[profile.partnerships_email],
        subject=rendered.subject,
        body=rendered.body,
        html_body=rendered.html_body,
        attachments=files,
        engagement=engagement,
        actor=actor,
    )
    if email is None:
        raise DomainError("This step's email was already stored; resume to send it.")
    note = f"Email '{rendered.subject}' to {', '.join(to)}" + (
        f", cc {', '.join(cc)}" if cc else ""
    )
    return Outcome(
        {"email_id": email.pk, "documents": document_ids}, partial(email_send_now, email.pk), note
    )


def generate_document(step: RunStep, actor: Any) -> Outcome:
    """params: template (document template key), kind; the services agreement is named
    as seed 003 says, other documents after their kind and the partner."""
    engagement = step.run.engagement
    kind = step.params.get("kind", DocumentKind.RUNNING_NOTES)
    if kind == DocumentKind.SERVICES_AGREEMENT:
        title = documents.agreement_title(engagement, timezone.localdate())
    else:
        title = f"{DocumentKind(kind).label} - {engagement.organization.name}"
    document = documents.document_generate(
        actor=actor,
        engagement=engagement,
        template=step.params.get("template", "running-notes"),
        kind=kind,
        title=title,
    )
    return Outcome(
        {"document_id": document.pk}, note=f"Filed '{document}' in the partner's folder."
    )


def timeline_entry(step: RunStep, actor: Any) -> Outcome:
    """params: title (``{date}`` is today), body."""
    today = f"{timezone.localdate():%Y-%m-%d}"
    title = step.params.get("title", step.title).replace("{date}", today)
    TimelineEntry.objects.create(
        engagement=step.run.engagement,
        kind=EntryKind.DOCUMENT,
        author=user_or_none(actor),
        title=title[:300],
        body=step.params.get("body", ""),
    )
    return Outcome({"entry": title})


def move_engagement(step: RunStep, actor: Any) -> Outcome:
    """params: phase (optional: stays), status (optional). Nothing to do when already there."""
    engagement = Engagement.objects.get(pk=step.run.engagement_id)
    phase = step.params.get("phase") or engagement.phase
    status = step.params.get("status")
    if engagement.phase == phase and (status is None or engagement.status == status):
        return Outcome(note=f"Already {Phase(phase).label}.")
    crm.engagement_move(
        actor=actor,
        engagement=engagement,
        phase=phase,
        status=status,
        note=f"{step.run.name}: {step.title}",
    )
    label = Phase(phase).label + (f" / {Status(status).label}" if status else "")
    return Outcome({"moved_to": label}, note=f"Moved to {label}.")


def engineering_issue(step: RunStep, actor: Any) -> Outcome:
    """params: template (issue template key)."""
    issue = handoff.handoff_issue_create(
        actor=actor, engagement=step.run.engagement, template_key=step.params.get("template", "")
    )
    how = "opened on GitHub" if issue.created_through_api else "ready to open (prefilled link)"
    return Outcome(
        {"issue_url": issue.url, "issue_id": issue.pk}, note=f"{issue.title}: {how}: {issue.url}"
    )


def agreement_move(step: RunStep, actor: Any) -> Outcome:
    """params: state. Moves the engagement's newest agreement (e.g. to ready to sign)."""
    from partnerops.contracts import services as contracts

    agreement = step.run.engagement.agreements.order_by("-created_at", "-id").first()
    if agreement is None:
        raise DomainError("There is no agreement yet: draft one on the engagement's page first.")
    state = step.params["state"]
    if agreement.state != state:
        contracts.agreement_transition(actor=actor, agreement=agreement, state=state)
    return Outcome(
        {"agreement_id": agreement.pk},
        note=f"Agreement #{agreement.pk} is {agreement.get_state_display()}.",
    )


def agreement_executed(step: RunStep, actor: Any) -> Outcome:
    """Checks that the executed copy is recorded: the executed close (seed 003)."""
    agreement = (
        step.run.engagement.agreements.filter(executed_on__isnull=False)
        .order_by("-executed_on")
        .first()
    )
    if agreement is None:
        raise DomainError(
            "No executed agreement is recorded yet: Operations records the executed copy on the agreement."
        )
    return Outcome(
        {"agreement_id": agreement.pk}, note=f"Executed on {agreement.executed_on:%Y-%m-%d}."
    )


ACTIONS: dict[str, Action] = {
    "send_email": send_email,
    "generate_document": generate_document,
    "timeline_entry": timeline_entry,
    "move_engagement": move_engagement,
    "engineering_issue": engineering_issue,
    "agreement_move": agreement_move,
    "agreement_executed": agreement_executed,
}
