"""Notifications for team members, each created and emailed once per key.

Until the playbooks' outbox exists, the email goes out through Django's mail
backend after the transaction commits; the Notification row is the record.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from partnerops.core.models import Notification

logger = logging.getLogger(__name__)


def notify_once(
    *, recipient: Any, key: str, subject: str, body: str, link: str = ""
) -> Notification | None:
    """Create the notification unless one with ``key`` exists; email it after commit."""
    if recipient is None:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key, defaults={"recipient": recipient, "subject": subject, "body": body, "link": link}
    )
    if not created:
        return None
    if recipient.email:
        transaction.on_commit(partial(_email, notification.pk))
    return notification


def retry_unsent(*, within_days: int = 7) -> int:
    """Email again the notifications whose email failed (the mail server was down)."""
    since = timezone.now() - dt.timedelta(days=within_days)
    unsent = Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since).exclude(
        recipient__email=""
    )
    ids = list(unsent.values_list("pk", flat=True))
    for notification_id in ids:
        transaction.on_commit(partial(_email, notification_id))
    return len(ids)


def _email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"\n\n{settings.SITE_URL}{notification.link}" if notification.link else ""
    try:
        send_mail(
            notification.subject,
            notification.body + link,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except OSError:
        # The row stays unemailed: the next tick retries it (retry_unsent), and the
        # person sees it on their Notifications page meanwhile.
        logger.exception("Could not email notification %s", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
