"""Notifications for team members, each created once per key, emailed through the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from partnerops.outbox.models import Notification
from partnerops.outbox.services import email_queue
from partnerops.outbox.templating import render_named


def notify_once(
    *, recipient: Any, key: str, subject: str, body: str, link: str = ""
) -> Notification | None:
    """Create the notification unless one with ``key`` exists, and queue its email in the
    same transaction (the outbox sends it once, retrying if the mail server is down)."""
    if recipient is None:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key, defaults={"recipient": recipient, "subject": subject, "body": body, "link": link}
    )
    if not created:
        return None
    if recipient.email:
        email = render_named(
            "team-notification",
            {
                "subject": subject,
                "body": body,
                "url": f"{settings.SITE_URL}{link}" if link else "",
            },
        )
        email_queue(
            key=f"notification:{key}",
            to=[recipient.email],
            subject=email.subject,
            body=email.body,
            html_body=email.html_body,
        )
    return notification
