"""Notifications are created once per key and emailed; a failed email is retried."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from partnerops.core.models import Notification
from partnerops.core.notifications import notify_once, retry_unsent

pytestmark = pytest.mark.django_db


def test_once_per_key_and_retried_after_a_failure(partnerships_user: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())

    def smtp_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("partnerops.core.notifications.send_mail", smtp_down)
    first = notify_once(
        recipient=partnerships_user, key="k1", subject="Ends soon", body="b", link="/x/"
    )
    assert first is not None and Notification.objects.get().emailed_at is None
    assert notify_once(recipient=partnerships_user, key="k1", subject="Ends soon", body="b") is None
    monkeypatch.undo()
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
    assert retry_unsent() == 1
    assert Notification.objects.get().emailed_at is not None
    assert [message.subject for message in mail.outbox] == ["Ends soon"]
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/x/")
    assert retry_unsent() == 0
