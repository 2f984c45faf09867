"""The outbox, against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from partnerops.crm import services as crm
from partnerops.crm.models import EntryKind
from partnerops.outbox.models import EmailStatus, OutboundEmail
from partnerops.outbox.services import (
    MAX_ATTEMPTS,
    Attachment,
    _claim,
    email_queue,
    emails_send_queued,
)
from tests.smtp import Inbox

pytestmark = pytest.mark.django_db


def test_an_email_arrives_once_with_its_headers_cc_and_attachment(
    smtp: Inbox, partnerships_user: Any
) -> None:
    organization = crm.organization_create(actor=partnerships_user, name="Great Lakes Academy")
    engagement = crm.engagement_create(actor=partnerships_user, organization=organization)
    queued = email_queue(
        key="hail:1", to=["lead@greatlakes.edu"], cc=["partnerships@example.org"], from_email="partnerships@example.org",
        subject="Thank you for your interest", body="Hello!", engagement=engagement, actor=partnerships_user,
        attachments=[Attachment("service-description.pdf", b"%PDF-1.4 service")],
    )  # fmt: skip
    assert queued is not None and queued.status == EmailStatus.QUEUED
    assert email_queue(key="hail:1", to=["lead@greatlakes.edu"], subject="again", body="x") is None
    assert emails_send_queued() == {"sent": 1, "failed": 0, "gave_up": 0}
    assert emails_send_queued() == {"sent": 0, "failed": 0, "gave_up": 0}
    ((recipients, message),) = smtp.received
    assert recipients == ["lead@greatlakes.edu", "partnerships@example.org"]
    assert (message["From"], message["To"], message["Cc"]) == (
        "partnerships@example.org", "lead@greatlakes.edu", "partnerships@example.org",
    )  # fmt: skip
    assert message["Subject"] == "Thank you for your interest"
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [(part.get_filename(), part.get_payload(decode=True)) for part in attachments] == [
        ("service-description.pdf", b"%PDF-1.4 service")
    ]
    stored = OutboundEmail.objects.get()
    assert stored.status == EmailStatus.SENT and stored.message_id == message["Message-ID"]
    entry = engagement.timeline_entries.get(kind=EntryKind.EMAIL)
    assert entry.title == "Email sent: Thank you for your interest"


def test_a_down_server_is_retried_with_backoff_then_given_up(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        1,
        2,
    )  # nothing listens
    email_queue(key="k", to=["a@b.org"], subject="s", body="b")
    now = timezone.now()
    assert emails_send_queued(now=now)["failed"] == 1
    stored = OutboundEmail.objects.get()
    assert stored.status == EmailStatus.FAILED and "ConnectionRefusedError" in stored.last_error
    assert stored.next_attempt_at == now + dt.timedelta(minutes=1)
    assert emails_send_queued(now=now) == {"sent": 0, "failed": 0, "gave_up": 0}  # not due yet
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        now += dt.timedelta(hours=9)
        emails_send_queued(now=now)
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (EmailStatus.GAVE_UP, MAX_ATTEMPTS)


def test_a_message_is_claimed_by_one_worker_only() -> None:
    email_queue(key="k", to=["a@b.org"], subject="s", body="b")
    now = timezone.now()
    first, second = _claim(now), _claim(now)
    assert first is not None and second is None
    assert OutboundEmail.objects.get().status == EmailStatus.SENDING
