"""Queue emails in the database and send them from a worker, at most once each.

``email_queue`` stores the message in the caller's transaction (so a rolled-back
action sends nothing). ``emails_send_queued`` claims one message at a time with a
conditional UPDATE (queued/failed -> sending), so two workers never send the same
row; a failure is recorded and retried with backoff; after MAX_ATTEMPTS it gives up
and stays visible. A message stuck in "sending" (a worker died mid-send) is not
retried automatically: it may have left, and sending twice is worse than a visible
problem an operator resolves.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.crm.models import Engagement, EntryKind, TimelineEntry
from partnerops.outbox.audit_actions import OutboxAction
from partnerops.outbox.models import EmailAttachment, EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=8),
)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = ""


def email_queue(
    *,
    key: str,
    to: list[str],
    subject: str,
    body: str,
    from_email: str | None = None,
    cc: list[str] | None = None,
    reply_to: list[str] | None = None,
    html_body: str = "",
    attachments: list[Attachment] | None = None,
    engagement: Engagement | None = None,
    actor: Any = None,
) -> OutboundEmail | None:
    """Store an email to send; None when one with this key exists already (never twice)."""
    if not to:
        raise ValueError("An email needs at least one recipient.")
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "to": to,
                "cc": cc or [],
                "reply_to": reply_to or [],
                "subject": subject[:300],
                "body": body,
                "html_body": html_body,
                "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
                "engagement": engagement,
                "created_by": user_or_none(actor),
            },
        )
        if not created:
            return None
        for attachment in attachments or []:
            content_type = (
                attachment.content_type
                or mimetypes.guess_type(attachment.filename)[0]
                or "application/octet-stream"
            )
            record = EmailAttachment(
                email=email, filename=attachment.filename, content_type=content_type
            )
            record.file.save(attachment.filename, ContentFile(attachment.content), save=True)
        audit.record(
            actor=actor,
            instance=email,
            action=OutboxAction.QUEUED,
            message=f"to {', '.join(to)}: {subject}",
        )
    return email


def _claim(now: dt.datetime) -> OutboundEmail | None:
    """Take the next due message for this worker alone (conditional update, no lock held while sending)."""
    due = OutboundEmail.objects.filter(
        Q(status=EmailStatus.QUEUED) | Q(status=EmailStatus.FAILED), next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
    for candidate_id, status in due.values_list("id", "status")[:10]:
        claimed = OutboundEmail.objects.filter(pk=candidate_id, status=status).update(
            status=EmailStatus.SENDING, claimed_at=now
        )
        if claimed:
            return OutboundEmail.objects.get(pk=candidate_id)
    return None


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to or None,
        headers={"Message-ID": email.message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments.all():
        with attachment.file.open("rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.content_type)
    return message


def emails_send_queued(*, limit: int = 100, now: dt.datetime | None = None) -> dict[str, int]:
    """Send what is due, one message at a time; returns counts by outcome."""
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    connection = get_connection()
    for _ in range(limit):
        moment = now or timezone.now()
        email = _claim(moment)
        if email is None:
            break
        _ensure_message_id(email)
        try:
            connection.send_messages([_message(email)])
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            _failed(email, error, moment)
            counts["gave_up" if email.status == EmailStatus.GAVE_UP else "failed"] += 1
            continue
        _sent(email, moment)
        counts["sent"] += 1
    return counts


def _ensure_message_id(email: OutboundEmail) -> None:
    """A Message-ID fixed before the first attempt, so retries carry the same one."""
    if not email.message_id:
        domain = email.from_email.rsplit("@", 1)[-1].strip(">") or "partnerops.local"
        email.message_id = f"<{email.pk}.{get_random_string(16)}@{domain}>"
        OutboundEmail.objects.filter(pk=email.pk).update(message_id=email.message_id)


def _failed(email: OutboundEmail, error: Exception, now: dt.datetime) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = EmailStatus.GAVE_UP
    else:
        email.status = EmailStatus.FAILED
        email.next_attempt_at = now + BACKOFF[min(email.attempts - 1, len(BACKOFF) - 1)]
    email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, email.last_error)


@transaction.atomic
def _sent(email: OutboundEmail, now: dt.datetime) -> None:
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=now, attempts=email.attempts + 1
    )
    if email.engagement_id:
        TimelineEntry.objects.create(
            engagement_id=email.engagement_id,
            kind=EntryKind.EMAIL,
            occurred_at=now,
            author=email.created_by,
            title=f"Email sent: {email.subject}",
            body=f"To {', '.join(email.to)}" + (f"; cc {', '.join(email.cc)}" if email.cc else ""),
        )


class NotDelivered(Exception):
    """The email is stored but has not left yet (the mail server refused or is down)."""


def email_send_now(email_id: int) -> None:
    """Send one stored email at once (a playbook step waits for it); NotDelivered when it
    cannot leave now: it stays in the outbox, which retries it with backoff."""
    email = OutboundEmail.objects.get(pk=email_id)
    if email.status == EmailStatus.SENT:
        return
    if email.status == EmailStatus.SENDING:
        raise NotDelivered("The outbox worker is sending it right now; resume in a minute.")
    moment = timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=email.status).update(
        status=EmailStatus.SENDING, claimed_at=moment
    )
    if not claimed:
        raise NotDelivered("The outbox worker took it first; resume in a minute.")
    email.refresh_from_db()
    _ensure_message_id(email)
    try:
        get_connection().send_messages([_message(email)])
    except (OSError, ValueError) as error:
        _failed(email, error, moment)
        raise NotDelivered(f"The mail server did not take it: {email.last_error}") from None
    _sent(email, moment)
