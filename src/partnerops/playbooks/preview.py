"""What a playbook will do for an engagement, shown before it starts: each step, and
each email rendered as it would leave (recipients, subject, body, attachments)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnerops.core.errors import DomainError
from partnerops.crm.models import Engagement
from partnerops.outbox.models import EmailTemplate
from partnerops.outbox.templating import RenderedEmail, email_context, render_email
from partnerops.playbooks.actions import recipients
from partnerops.playbooks.models import DocumentKind, Playbook, PlaybookStep


@dataclass
class StepPreview:
    step: PlaybookStep
    email: RenderedEmail | None = None
    to: list[str] | None = None
    cc: list[str] | None = None
    attachments: list[str] | None = None
    problem: str = ""


def _email(step: PlaybookStep, engagement: Engagement, context: dict[str, Any]) -> StepPreview:
    template = EmailTemplate.objects.filter(key=step.params.get("template", "")).first()
    if template is None:
        return StepPreview(
            step, problem=f"There is no email template '{step.params.get('template')}'."
        )
    if step.params.get("link"):
        context = {
            **context,
            "link": "(a signed link to the document, made when the email is sent)",
        }
    try:
        rendered = render_email(template, context)
    except DomainError as error:
        return StepPreview(step, problem=error.message)
    to = recipients(engagement, step.params.get("to", "contacts"))
    cc = [address for who in step.params.get("cc", []) for address in recipients(engagement, who)]
    attachments = [DocumentKind(kind).label for kind in step.params.get("attach", [])]
    problem = "" if to else f"{engagement.organization.name} has no contact to send it to."
    return StepPreview(step, rendered, to, cc, attachments, problem)


def preview_steps(engagement: Engagement, playbook: Playbook) -> list[StepPreview]:
    context = email_context(engagement, engagement.agreements.order_by("-start_on", "-id").first())
    return [
        _email(step, engagement, context) if step.action == "send_email" else StepPreview(step)
        for step in playbook.steps.order_by("position")
    ]
