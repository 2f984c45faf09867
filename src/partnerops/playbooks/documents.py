"""Documents generated from .docx templates (docxtpl), kept per partner folder, each
generation a new version; shared with contacts through signed, expiring links."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.core.files import stored_unless_error
from partnerops.core.sandbox import freeze, jinja_error_message, jinja_sandbox
from partnerops.core.signed_links import LinkRefused, make_token, read_token_made
from partnerops.crm.models import Engagement, Organization
from partnerops.outbox.templating import email_context, sample_email_context
from partnerops.playbooks.audit_actions import PlaybooksAction
from partnerops.playbooks.models import Document, DocumentKind, DocumentTemplate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINK_PURPOSE = "document"

# The built-in templates: name and paragraphs (docxtpl tags; "{%p ... %}" paragraphs
# are loops). An administrator replaces one by uploading a .docx with the same key.
DEFAULTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "services-agreement": (
        "Services agreement",
        [
            (
                "Title",
                "{{ partner }} + {{ our_name }}/{{ fiscal_sponsor }} - Services Agreement {{ date }}",
            ),
            (
                "Normal",
                "This Services Agreement is made on {{ date }} between {{ fiscal_sponsor }}, fiscal sponsor of "
                "{{ our_name }}, and {{ partner }}.",
            ),
            ("Heading 1", "1. Services"),
            (
                "Normal",
                "{{ our_name }} operates managed JupyterHub service for {{ partner }} at the {{ tier }} tier"
                "{% if price %}, for {{ price }}{% endif %}.",
            ),
            ("Heading 1", "2. Term"),
            (
                "Normal",
                "{% if agreement %}From {{ agreement.start_on }} to {{ agreement.end_on }} "
                "({{ agreement.term_months }} months).{% else %}Twelve months from the start of service.{% endif %}",
            ),
            ("Heading 1", "3. Invoicing"),
            (
                "Normal",
                "{{ fiscal_sponsor }} invoices monthly: the operations fee and cloud costs passed through at cost.",
            ),
            ("Heading 1", "4. Contacts"),
            ("Normal", "{%p for contact in contacts %}"),
            (
                "List Bullet",
                "{{ contact.name }} <{{ contact.email }}>{% if contact.title %}, {{ contact.title }}{% endif %}",
            ),
            ("Normal", "{%p endfor %}"),
            ("Heading 1", "Signatures"),
            (
                "Normal",
                "For {{ fiscal_sponsor }}: ______________________   For {{ partner }}: ______________________",
            ),
        ],
    ),
    "running-notes": (
        "Running notes",
        [
            ("Title", "Running notes -- {{ partner }} + {{ our_name }}"),
            ("Normal", "Exported {{ date }}. Owner: {{ owner }}."),
            ("Normal", "{%p for entry in entries %}"),
            ("Heading 2", "{{ entry.when }} · {{ entry.kind }} · {{ entry.title }}"),
            ("Normal", "{{ entry.body }}"),
            ("Normal", "{%p endfor %}"),
        ],
    ),
    "service-description": (
        "Service description",
        [
            ("Title", "{{ our_name }}: managed JupyterHub service"),
            (
                "Normal",
                "{{ our_name }} runs JupyterHubs for research and education communities, with "
                "{{ fiscal_sponsor }} as fiscal sponsor. Cloud costs are passed through at cost.",
            ),
            ("Heading 1", "Service tiers and prices"),
            ("Normal", "{%p for tier in tiers %}"),
            (
                "List Bullet",
                "{{ tier.name }}: {{ tier.currency }} {{ tier.monthly_fee }} a month ({{ tier.currency }} {{ tier.annual_fee }} a year)",
            ),
            ("Normal", "{%p endfor %}"),
            (
                "Normal",
                "Questions: {{ partnerships_email }}. Book a conversation: {{ scheduling_link }}",
            ),
        ],
    ),
}


def default_template(key: str) -> bytes:
    """The built-in .docx for ``key``, made with python-docx."""
    from docx import Document as Docx

    document = Docx()
    for style, text in DEFAULTS[key][1]:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def template_bytes(key: str) -> tuple[str, bytes]:
    """The template's name and .docx: the uploaded one if any, else the default."""
    stored = DocumentTemplate.objects.filter(key=key).first()
    if stored and stored.file:
        with stored.file.open("rb") as handle:
            return stored.name, handle.read()
    if key not in DEFAULTS:
        raise DomainError(f"There is no document template '{key}'.")
    return DEFAULTS[key][0], default_template(key)


def render_docx(key: str, context: dict[str, Any]) -> bytes:
    """Fill the template in Jinja's sandbox with plain values; a broken template, an
    unknown placeholder or a reach outside the variables is a clear error naming the
    template, and nothing is generated."""
    name, content = template_bytes(key)
    return render_docx_content(name, content, context)


def render_docx_content(name: str, content: bytes, context: dict[str, Any]) -> bytes:
    import jinja2
    from docxtpl import DocxTemplate

    values = freeze(context)
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.render(values, jinja_env=jinja_sandbox(), autoescape=True)
    except (jinja2.TemplateError, ValueError, KeyError, TypeError) as error:
        raise DomainError(
            f"The document template '{name}' cannot be used: {jinja_error_message(error)}"
        ) from None
    except Exception as error:  # a file that is not a .docx at all
        if "zip" in type(error).__name__.lower() or "package" in str(error).lower():
            raise DomainError(f"The document template '{name}' is not a .docx file.") from None
        raise
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()


def agreement_values(agreement: Any) -> dict[str, Any] | None:
    if agreement is None:
        return None
    return {
        "start_on": agreement.start_on,
        "end_on": agreement.end_on,
        "term_months": agreement.term_months,
        "tier": agreement.tier.name,
        "price": agreement.price,
        "currency": agreement.currency,
        "billing_period": agreement.get_billing_period_display(),
        "state": agreement.get_state_display(),
    }


def tier_values(tier: Any) -> dict[str, Any]:
    return {
        "name": tier.name,
        "currency": tier.currency,
        "monthly_fee": tier.monthly_fee,
        "annual_fee": tier.annual_fee,
    }


def document_context(engagement: Engagement, **extra: Any) -> dict[str, Any]:
    from partnerops.contracts.models import ServiceTier

    agreement = engagement.agreements.order_by("-start_on", "-id").first()
    context = email_context(engagement, agreement)
    today = timezone.localdate()
    entries = [
        {
            "when": f"{entry.occurred_at:%Y-%m-%d}",
            "kind": entry.get_kind_display(),
            "title": entry.title,
            "body": entry.body,
        }
        for entry in engagement.timeline_entries.order_by("occurred_at", "id")
    ]
    tiers = ServiceTier.objects.filter(effective_from__lte=today).exclude(effective_until__lt=today)
    return freeze(
        {
            **context,
            "agreement": agreement_values(agreement),
            "date": f"{today:%Y-%m-%d}",
            "entries": entries,
            "tiers": [tier_values(t) for t in tiers.order_by("monthly_fee")],
            **extra,
        }
    )


def sample_context() -> dict[str, Any]:
    """Every documented variable with an example value: an uploaded template is rendered
    against it before it is accepted, so a broken one never reaches a partner's folder."""
    today = timezone.localdate()
    return freeze(
        {
            **sample_email_context(),
            "date": f"{today:%Y-%m-%d}",
            "agreement": {
                "start_on": today,
                "end_on": today,
                "term_months": 12,
                "tier": "Research",
                "price": Decimal("1500.00"),
                "currency": "USD",
                "billing_period": "Monthly",
                "state": "Draft",
            },
            "entries": [
                {
                    "when": f"{today:%Y-%m-%d}",
                    "kind": "Note",
                    "title": "First call",
                    "body": "Notes.",
                }
            ],
            "tiers": [
                {
                    "name": "Research",
                    "currency": "USD",
                    "monthly_fee": Decimal("1500.00"),
                    "annual_fee": Decimal("18000.00"),
                }
            ],
        }
    )


def agreement_title(engagement: Engagement, day: dt.date) -> str:
    """Seed 003's name: "<Partner> + <Our org>/<Fiscal sponsor> - Services Agreement YYYY-MM-DD"."""
    context = email_context(engagement)
    return f"{context['partner']} + {context['our_name']}/{context['fiscal_sponsor']} - Services Agreement {day:%Y-%m-%d}"


@transaction.atomic
def document_generate(
    *, actor: Any, engagement: Engagement, template: str, kind: str, title: str
) -> Document:
    """Render and file a new version (never overwriting an earlier one)."""
    content = render_docx(template, document_context(engagement))
    return document_store(
        actor=actor,
        engagement=engagement,
        kind=kind,
        title=title,
        content=content,
        extension="docx",
        content_type=DOCX,
    )


def document_store(
    *,
    actor: Any,
    engagement: Engagement | None,
    kind: str,
    title: str,
    content: bytes,
    extension: str,
    content_type: str = "application/octet-stream",
    organization: Organization | None = None,
) -> Document:
    """A new version of the organization's document of that kind and title (the
    engagement's organization, or the one given for a document of no engagement, such
    as a funder's grant papers)."""
    if engagement is not None:
        organization = engagement.organization
    if organization is None:
        raise ValueError("A document belongs to an engagement or an organization.")
    last = Document.objects.filter(organization=organization, kind=kind, title=title).aggregate(
        Max("version")
    )
    version = (last["version__max"] or 0) + 1
    document = Document(
        organization=organization,
        engagement=engagement,
        kind=kind,
        title=title,
        version=version,
        content_type=content_type,
        created_by=user_or_none(actor),
    )
    safe = title.replace("/", "-").replace("\\", "-")[:150]
    with stored_unless_error(document.file, f"{safe} v{version}.{extension}", content):
        document.save()
        audit.record_create(actor=actor, instance=document)
    return document


def running_notes_export(*, actor: Any, engagement: Engagement) -> Document:
    """The running notes as a .docx, at any time (a new version each export)."""
    title = f"Running notes - {engagement.organization.name}"
    return document_generate(
        actor=actor,
        engagement=engagement,
        template="running-notes",
        kind=DocumentKind.RUNNING_NOTES,
        title=title,
    )


def share_link(document: Document) -> str:
    """A signed link to this one document that works for DOCUMENT_LINK_DAYS."""
    token = make_token(purpose=LINK_PURPOSE, object_id=document.pk)
    return f"{settings.SITE_URL}{reverse('shared-document', args=[token])}"


def open_shared(token: str) -> Document:
    document_id, made = read_token_made(
        token, purpose=LINK_PURPOSE, max_age=dt.timedelta(days=settings.DOCUMENT_LINK_DAYS)
    )
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise LinkRefused("This link is not valid.")
    # Links carry the second they were made: one made in the second of a withdrawal is
    # refused too (make another).
    if document.links_withdrawn_at and made <= document.links_withdrawn_at:
        raise LinkRefused("This link was withdrawn.")
    return document


@transaction.atomic
def share_links_withdraw(*, actor: Any, document: Document) -> Document:
    """Every link shared so far stops working now; new links can be made after."""
    before = document.links_withdrawn_at
    document.links_withdrawn_at = timezone.now()
    document.save(update_fields=["links_withdrawn_at"])
    audit.record(
        actor=actor,
        instance=document,
        action=PlaybooksAction.LINKS_WITHDRAWN,
        changes={
            "links_withdrawn_at": {
                "old": before.isoformat() if before else None,
                "new": document.links_withdrawn_at.isoformat(),
            }
        },
    )
    return document
