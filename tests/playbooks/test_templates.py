"""Email templates: seeded defaults, the variables, clear errors, the preview page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnerops.core.errors import DomainError
from partnerops.core.profile import profile_update
from partnerops.crm import services as crm
from partnerops.outbox.models import EmailTemplate
from partnerops.outbox.templating import email_context, render_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(partnerships_user: Any) -> Any:
    organization = crm.organization_create(actor=partnerships_user, name="Rift Valley Health Lab")
    crm.contact_create(actor=partnerships_user, organization=organization, name="Wanjiru", email="w@rift.org",
                       is_community_representative=True)  # fmt: skip
    return crm.engagement_create(
        actor=partnerships_user, organization=organization, owner=partnerships_user
    )


def test_hail_the_lead_uses_our_identity_from_settings(engagement: Any, admin_user_: Any) -> None:
    profile_update(
        actor=admin_user_, name="2i2c", scheduling_link="https://calendly.com/x/25-minute-meeting"
    )
    rendered = render_email(
        EmailTemplate.objects.get(key="hail-the-lead"), email_context(engagement)
    )
    assert rendered.subject == "Thank you for your interest in 2i2c"
    assert (
        "schedule a virtual meeting here: https://calendly.com/x/25-minute-meeting" in rendered.body
    )
    assert rendered.body.rstrip().endswith("2i2c's Partnerships Team")


def test_defaults_cover_the_sops() -> None:
    assert set(EmailTemplate.objects.values_list("key", flat=True)) >= {
        "hail-the-lead", "running-notes-shared", "confirm-service", "signature-request",
    }  # fmt: skip


def test_a_broken_template_is_a_clear_error(engagement: Any) -> None:
    broken = EmailTemplate(key="broken", name="Broken one", subject="{% if %}", body="x")
    with pytest.raises(DomainError, match="The email template 'Broken one' cannot be used"):
        render_email(broken, email_context(engagement))


def test_html_is_escaped_but_text_is_not(engagement: Any) -> None:
    engagement.organization.name = "R&D <Lab>"
    template = EmailTemplate(
        key="t",
        name="t",
        subject="{{ partner }}",
        body="{{ partner }}",
        html_body="<p>{{ partner }}</p>",
    )
    rendered = render_email(template, email_context(engagement))
    assert (rendered.subject, rendered.body, rendered.html_body) == (
        "R&D <Lab>",
        "R&D <Lab>",
        "<p>R&amp;D &lt;Lab&gt;</p>",
    )


def test_preview_page(engagement: Any, viewer_client: Client) -> None:
    html = viewer_client.get(
        reverse("playbooks:email-preview", args=[engagement.pk, "confirm-service"])
    ).content.decode()
    assert "Hello Wanjiru" in html and "Confirming your" in html
