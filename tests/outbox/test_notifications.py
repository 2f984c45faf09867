"""Notifications are created once per key and emailed through the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from partnerops.outbox.models import OutboundEmail
from partnerops.outbox.notifications import notify_once
from partnerops.outbox.services import emails_send_queued

pytestmark = pytest.mark.django_db


def test_once_per_key_and_sent_by_the_outbox(partnerships_user: Any) -> None:
    first = notify_once(
        recipient=partnerships_user, key="k1", subject="Ends soon", body="b", link="/x/"
    )
    assert first is not None
    assert notify_once(recipient=partnerships_user, key="k1", subject="Ends soon", body="b") is None
    assert OutboundEmail.objects.get().key == "notification:k1"
    assert emails_send_queued()["sent"] == 1
    assert [message.subject for message in mail.outbox] == ["Ends soon"]
    assert mail.outbox[0].body.endswith("http://127.0.0.1:8000/x/")
