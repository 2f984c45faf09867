"""A received email recorded on the running notes from its .eml (sender, date, subject,
body and attachments kept), so the correspondence lives with the engagement."""

from __future__ import annotations

import email
import email.policy
import email.utils
from email.message import EmailMessage
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.crm.models import Engagement, EntryKind, TimelineEntry
from partnerops.playbooks.documents import document_store
from partnerops.playbooks.models import DocumentKind, ReceivedEmail

MAX_BODY = 100_000


def _parse(content: bytes) -> EmailMessage:
    message = email.message_from_bytes(content, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.get("From") or not message.get("Date"):
        raise ValidationError(
            {"email_file": "This file is not an email: it has no From or Date header."}
        )
    return message


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        import nh3

        text = nh3.clean(text, tags=set())  # the words, without markup
    return str(text)[:MAX_BODY]


@transaction.atomic
def received_email_record(
    *, actor: Any, engagement: Engagement, file_name: str, content: bytes
) -> ReceivedEmail:
    message = _parse(content)
    try:
        sent_at = email.utils.parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        raise ValidationError(
            {"email_file": f"Its Date header is not a date: {message['Date']!r}."}
        ) from None
    if sent_at.tzinfo is None:
        sent_at = timezone.make_aware(sent_at)
    subject = str(message.get("Subject", ""))[:300]
    original = document_store(actor=actor, engagement=engagement, kind=DocumentKind.RECEIVED_EMAIL,
                              title=f"Email: {subject or '(no subject)'}"[:300], content=content, extension="eml",
                              content_type="message/rfc822")  # fmt: skip
    body = _text(message)
    entry = TimelineEntry.objects.create(
        engagement=engagement, kind=EntryKind.EMAIL, occurred_at=sent_at,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        title=f"Email received: {subject or '(no subject)'}"[:300],
        body=f"From {message['From']}\n\n{body}",
    )  # fmt: skip
    received = ReceivedEmail.objects.create(
        engagement=engagement, sender=str(message["From"])[:300], to=str(message.get("To", "")),
        cc=str(message.get("Cc", "")), sent_at=sent_at, subject=subject, body=body,
        message_id=str(message.get("Message-ID", ""))[:300], original=original, timeline_entry=entry,
        recorded_by=entry.author,
    )  # fmt: skip
    for part in message.iter_attachments():
        name = part.get_filename() or "attachment"
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
        attachment = document_store(actor=actor, engagement=engagement, kind=DocumentKind.EMAIL_ATTACHMENT,
                                    title=name[:300], content=payload, extension=extension[:10],
                                    content_type=part.get_content_type())  # fmt: skip
        received.attachments.add(attachment)
    audit.record_create(actor=actor, instance=received, message=file_name)
    return received
