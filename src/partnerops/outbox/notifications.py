"""Notifications for team members, each created once per key, emailed through the outbox."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from partnerops.core.models import Notification
from partnerops.outbox.services import queue_email


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
        url = f"\n\n{settings.SITE_URL}{link}" if link else ""
        queue_email(
            key=f"notification:{key}", to=[recipient.email], subject=subject, body=body + url
        )
    return notification
