"""A received email recorded on the running notes from its .eml (sender, date, subject,
body and attachments kept), so the correspondence lives with the engagement."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.eml import read_received
from partnerops.crm.models import Engagement, EntryKind, TimelineEntry
from partnerops.playbooks.documents import document_store
from partnerops.playbooks.models import DocumentKind, ReceivedEmail


@transaction.atomic
def received_email_record(
    *, actor: Any, engagement: Engagement, file_name: str, content: bytes
) -> ReceivedEmail:
    message = read_received(content, max_attachments=settings.EMAIL_MAX_ATTACHMENTS)
    subject = message.subject[:300]
    original = document_store(
        actor=actor,
        engagement=engagement,
        kind=DocumentKind.RECEIVED_EMAIL,
        title=f"Email: {subject or '(no subject)'}"[:300],
        content=content,
        extension="eml",
        content_type="message/rfc822",
    )
    entry = TimelineEntry.objects.create(
        engagement=engagement,
        kind=EntryKind.EMAIL,
        occurred_at=message.sent_at,
        author=user_or_none(actor),
        title=f"Email received: {subject or '(no subject)'}"[:300],
        body=f"From {message.sender}\n\n{message.body}",
    )
    received = ReceivedEmail.objects.create(
        engagement=engagement,
        sender=message.sender[:300],
        to=message.to,
        cc=message.cc,
        sent_at=message.sent_at,
        subject=subject,
        body=message.body,
        message_id=message.message_id[:300],
        original=original,
        timeline_entry=entry,
        recorded_by=entry.author,
    )
    for part in message.attachments:
        extension = part.name.rsplit(".", 1)[-1] if "." in part.name else "bin"
        attachment = document_store(
            actor=actor,
            engagement=engagement,
            kind=DocumentKind.EMAIL_ATTACHMENT,
            title=part.name[:300],
            content=part.content,
            extension=extension[:10],
            content_type=part.content_type,
        )
        received.attachments.add(attachment)
    audit.record_create(actor=actor, instance=received, message=file_name)
    return received
