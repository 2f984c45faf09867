"""Email templates rendered for an engagement, with a fixed, documented set of variables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, TemplateSyntaxError

from partnerops.core.errors import DomainError
from partnerops.core.profile import get_profile
from partnerops.core.sandbox import freeze, restricted_engine
from partnerops.crm.models import Contact, Engagement
from partnerops.outbox.models import EmailTemplate

# No loaders (no {% include %} of files), only the harmless built-in tags and filters.
_TEXT = restricted_engine(autoescape=False)
_HTML = restricted_engine(autoescape=True)

VARIABLES = {
    "partner": "the organization's name",
    "contacts": "the organization's contacts (each with .name, .email, .title, .phone and "
    ".is_decision_maker, .is_community_representative, .is_billing_contact, .is_technical_contact)",
    "representative": "the first community representative, if any (a contact, as above)",
    "owner": "the engagement's owner (full name)",
    "our_name": "our organisation's name (Settings)",
    "partnerships_email": "the partnerships address (Settings)",
    "fiscal_sponsor": "the fiscal sponsor's name (Settings)",
    "operations_email": "the fiscal sponsor's operations address (Settings)",
    "scheduling_link": "where leads book a meeting (Settings)",
    "tier": "the expected or agreed tier",
    "price": "the agreed price with its currency and period, when there is an agreement",
    "today": "today's date",
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str
    html_body: str


def contact_values(contact: Contact) -> dict[str, Any]:
    """What a template may know of a contact: plain values, no relations."""
    return {
        "name": contact.name,
        "email": contact.email,
        "title": contact.title,
        "phone": contact.phone,
        "is_decision_maker": contact.is_decision_maker,
        "is_community_representative": contact.is_community_representative,
        "is_billing_contact": contact.is_billing_contact,
        "is_technical_contact": contact.is_technical_contact,
    }


def email_context(engagement: Engagement, agreement: Any = None) -> dict[str, Any]:
    """The documented variables, as plain read-only values (see ``core.sandbox``)."""
    from django.utils import timezone

    profile = get_profile()
    contacts = [contact_values(c) for c in engagement.organization.contacts.order_by("name")]
    representative = next((c for c in contacts if c["is_community_representative"]), None)
    tier = agreement.tier.name if agreement else engagement.get_expected_tier_display()
    price = (
        f"{agreement.currency} {agreement.price:,.2f} {agreement.get_billing_period_display().lower()}"
        if agreement
        else ""
    )
    return freeze(
        {
            "partner": engagement.organization.name,
            "contacts": contacts,
            "representative": representative,
            "owner": engagement.owner.get_full_name() or engagement.owner.get_username()
            if engagement.owner
            else "",
            "our_name": profile.name,
            "partnerships_email": profile.partnerships_email,
            "fiscal_sponsor": profile.fiscal_sponsor_name,
            "operations_email": profile.operations_email,
            "scheduling_link": profile.scheduling_link,
            "tier": tier,
            "price": price,
            "today": timezone.localdate(),
        }
    )


def render_email(template: EmailTemplate, context: dict[str, Any]) -> RenderedEmail:
    """Render subject, text and HTML; a broken template is a clear error naming it."""
    context = freeze(context)  # the caller's additions (a link) are plain values too
    try:
        # Plain text is not HTML: nothing is escaped (the Context decides, not the engine).
        subject = (
            _TEXT.from_string(template.subject).render(Context(context, autoescape=False)).strip()
        )
        body = _TEXT.from_string(template.body).render(Context(context, autoescape=False))
        html_body = (
            _HTML.from_string(template.html_body).render(Context(context))
            if template.html_body
            else ""
        )
    except TemplateSyntaxError as error:
        raise DomainError(f"The email template '{template.name}' cannot be used: {error}") from None
    return RenderedEmail(" ".join(subject.split()), body, html_body)


def sample_email_context() -> dict[str, Any]:
    """Every email variable with an example value: an edited template is rendered
    against it before it is saved, so a broken one never reaches a send."""
    from django.utils import timezone

    contact = {
        "name": "Ada Example",
        "email": "ada@example.org",
        "title": "Director",
        "phone": "",
        "is_decision_maker": True,
        "is_community_representative": True,
        "is_billing_contact": True,
        "is_technical_contact": False,
    }
    return freeze(
        {
            "partner": "Example Community",
            "contacts": [contact],
            "representative": contact,
            "owner": "A. Owner",
            "our_name": "Our organisation",
            "partnerships_email": "partnerships@example.org",
            "fiscal_sponsor": "Fiscal sponsor",
            "operations_email": "operations@example.org",
            "scheduling_link": "https://example.org/meet",
            "tier": "Research",
            "price": "USD 1,500.00 monthly",
            "today": timezone.localdate(),
            "link": "https://example.org/shared",
        }
    )


def render_named(key: str, context: dict[str, Any]) -> RenderedEmail:
    """One of PartnerOps' own emails (``outbox.defaults``): the administrators' version
    if they saved one under ``key``, else the built-in text; rendered in the sandbox."""
    from partnerops.outbox.defaults import SYSTEM_TEMPLATES

    template = EmailTemplate.objects.filter(key=key).first()
    if template is None:
        name, _, subject, body = SYSTEM_TEMPLATES[key]
        template = EmailTemplate(key=key, name=name, subject=subject, body=body)
    return render_email(template, context)
