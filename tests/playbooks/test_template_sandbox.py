"""Issue 17, items 1 and 4: templates people edit run in a sandbox with plain values.
Each test reproduces what the outside probe did; before the fix each one ran code,
rendered internals, or showed password hashes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document as Docx

from partnerops.core.errors import DomainError
from partnerops.core.sandbox import Record, freeze
from partnerops.crm import services as crm
from partnerops.crm.models import Engagement
from partnerops.outbox.models import EmailTemplate
from partnerops.outbox.templating import email_context, render_email
from partnerops.playbooks.documents import document_context, document_generate, render_docx
from partnerops.playbooks.handoff import issue_context, render_issue
from partnerops.playbooks.models import Document, DocumentKind, DocumentTemplate, IssueTemplate

pytestmark = pytest.mark.django_db

LEAK = "{% for e in contacts.0.organization.engagements.all %}{{ e.owner.password }}{% endfor %}"


def docx_with(*paragraphs: str) -> bytes:
    document = Docx()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload_template(key: str, content: bytes) -> None:
    template = DocumentTemplate.objects.get_or_create(key=key, defaults={"name": key})[0]
    template.file.save(f"{key}.docx", ContentFile(content))


@pytest.fixture
def engagement(partnerships_user: Any) -> Engagement:
    organization = crm.organization_create(actor=partnerships_user, name="Andes Data Commons")
    crm.contact_create(actor=partnerships_user, organization=organization, name="Rosa", email="rosa@andes.org",
                       is_community_representative=True)  # fmt: skip
    return crm.engagement_create(
        actor=partnerships_user, organization=organization, owner=partnerships_user
    )


def _only_plain(value: Any) -> None:
    if isinstance(value, dict):
        assert isinstance(value, Record), "mappings are read-only records"
        for item in value.values():
            _only_plain(item)
    elif isinstance(value, tuple):
        for item in value:
            _only_plain(item)
    else:
        assert freeze(value) is value  # a scalar; an object would raise TypeError


def test_every_template_context_holds_plain_values_only(engagement: Engagement) -> None:
    for context in (
        email_context(engagement),
        document_context(engagement),
        issue_context(engagement),
    ):
        _only_plain(context)
    with pytest.raises(TypeError, match=r"context\.engagement is a Engagement"):
        freeze({"engagement": engagement})


@pytest.mark.parametrize(
    "expression",
    [
        "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ contacts[0].organization }}",
        "{{ contacts.clear() }}",
    ],
)
def test_a_docx_template_cannot_run_code_or_reach_outside_its_values(
    engagement: Engagement, partnerships_user: Any, expression: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    upload_template("running-notes", docx_with("Notes for {{ partner }}", expression))
    with pytest.raises(DomainError, match="The document template 'Running notes' cannot be used"):
        document_generate(actor=partnerships_user, engagement=engagement, template="running-notes",
                          kind=DocumentKind.RUNNING_NOTES, title="Notes")  # fmt: skip
    assert not (tmp_path / "MARKER").exists()
    assert Document.objects.count() == 0


def test_the_error_names_the_expression(engagement: Engagement) -> None:
    upload_template("running-notes", docx_with("{{ contacts[0].organization.name }}"))
    with pytest.raises(DomainError, match="has no attribute 'organization'"):
        render_docx("running-notes", document_context(engagement))
    upload_template("running-notes", docx_with("{{ ''.__class__ }}"))
    with pytest.raises(DomainError, match=r"__class__.*unsafe"):
        render_docx("running-notes", document_context(engagement))


def test_the_documented_variables_still_render(engagement: Engagement) -> None:
    content = render_docx("services-agreement", document_context(engagement))
    text = "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)
    assert "Andes Data Commons" in text and "Rosa <rosa@andes.org>" in text


def test_an_uploaded_template_is_checked_before_it_is_accepted(admin_user_: Any) -> None:
    client = Client()
    client.force_login(admin_user_)
    url = reverse("admin:playbooks_documenttemplate_add")
    bad = SimpleUploadedFile("evil.docx", docx_with("{{ lipsum.__globals__.os }}"))
    response = client.post(url, {"key": "evil", "name": "Evil", "file": bad})
    assert response.status_code == 200
    assert "cannot be used" in response.content.decode()
    assert not DocumentTemplate.objects.filter(key="evil").exists()
    good = SimpleUploadedFile("fine.docx", docx_with("{{ partner }}: {{ agreement.start_on }}"))
    response = client.post(url, {"key": "fine", "name": "Fine", "file": good})
    assert response.status_code == 302
    assert DocumentTemplate.objects.filter(key="fine").exists()


def test_an_email_template_cannot_show_other_users_data(engagement: Engagement) -> None:
    template = EmailTemplate(
        key="leak", name="Leak", subject="Hi", body=LEAK + "{{ representative.name }}"
    )
    rendered = render_email(template, email_context(engagement))
    assert rendered.body == "Rosa"
    assert "argon2" not in rendered.body and "pbkdf2" not in rendered.body


@pytest.mark.parametrize("tag", ["{% debug %}", "{% load static %}", "{% include 'base.html' %}",
                                 "{% url 'home' %}", "{% csrf_token %}"])  # fmt: skip
def test_an_email_template_refuses_debug_and_unknown_tags(engagement: Engagement, tag: str) -> None:
    template = EmailTemplate(key="t", name="Tags", subject="Hi", body=f"before {tag} after")
    with pytest.raises(
        DomainError, match="The email template 'Tags' cannot be used: Invalid block tag"
    ):
        render_email(template, email_context(engagement))


def test_a_template_cannot_change_the_values_other_templates_see(engagement: Engagement) -> None:
    context = email_context(engagement)
    rendered = render_email(
        EmailTemplate(key="t", name="t", subject="x", body="{{ contacts.0.clear }}{{ representative.clear }}"),
        context,
    )  # fmt: skip
    assert rendered.body == ""
    assert context["representative"]["name"] == "Rosa"


def test_the_preview_page_shows_no_password_hash(
    engagement: Engagement, viewer_client: Client
) -> None:
    EmailTemplate.objects.filter(key="confirm-service").update(
        body=LEAK + "Hello {{ representative.name }}"
    )
    html = viewer_client.get(
        reverse("playbooks:email-preview", args=[engagement.pk, "confirm-service"])
    ).content.decode()
    assert "Hello Rosa" in html
    assert (
        "argon2" not in html
        and "pbkdf2" not in html
        and "$" not in html.split("Hello Rosa")[0][-200:]
    )


def test_the_admin_refuses_an_email_template_with_debug(admin_user_: Any) -> None:
    client = Client()
    client.force_login(admin_user_)
    template = EmailTemplate.objects.get(key="hail-the-lead")
    url = reverse("admin:outbox_emailtemplate_change", args=[template.pk])
    response = client.post(url, {"key": template.key, "name": template.name, "subject": template.subject,
                                 "body": "{% debug %}", "html_body": ""})  # fmt: skip
    assert response.status_code == 200 and "Invalid block tag" in response.content.decode()
    template.refresh_from_db()
    assert "{% debug %}" not in template.body


def test_issue_templates_get_plain_hubs(engagement: Engagement) -> None:
    template = IssueTemplate.objects.get(key="new-hub-request-deployment")
    assert "hub.get_provider_display" not in template.body
    title, body = render_issue(template, engagement)
    assert "Andes Data Commons" in title and "to be named" in body
    leaky = IssueTemplate(
        key="x", name="x", title="t", body="{{ engagement.owner.password }}|{{ engagement.phase }}"
    )
    assert render_issue(leaky, engagement)[1] == "|Lead"
