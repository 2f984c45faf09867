"""Issue 16: every email PartnerOps writes is a template administrators can override."""

from __future__ import annotations

from typing import Any

import pytest

from partnerops.outbox.defaults import SYSTEM_TEMPLATES
from partnerops.outbox.models import EmailTemplate, OutboundEmail
from partnerops.outbox.notifications import notify_once
from partnerops.outbox.templating import render_named

pytestmark = pytest.mark.django_db


def test_each_is_seeded_for_the_admin_and_renders() -> None:
    assert set(SYSTEM_TEMPLATES) <= set(EmailTemplate.objects.values_list("key", flat=True))
    for key in SYSTEM_TEMPLATES:
        render_named(key, {})  # every default is valid template syntax


def test_an_edited_template_is_what_leaves(partnerships_user: Any) -> None:
    EmailTemplate.objects.filter(key="team-notification").update(
        subject="[PartnerOps] {{ subject }}", body="{{ body }}\n-- sent by PartnerOps"
    )
    notify_once(
        recipient=partnerships_user, key="t1", subject="Renewal due", body="Ocean renews soon."
    )
    email = OutboundEmail.objects.get(key="notification:t1")
    assert (email.subject, email.body) == (
        "[PartnerOps] Renewal due",
        "Ocean renews soon.\n-- sent by PartnerOps",
    )


def test_a_deleted_template_falls_back_to_the_built_in_text(partnerships_user: Any) -> None:
    EmailTemplate.objects.filter(key="team-notification").delete()
    notify_once(recipient=partnerships_user, key="t2", subject="Due", body="Body", link="/x/")
    assert (
        OutboundEmail.objects.get(key="notification:t2").body == "Body\n\nhttp://127.0.0.1:8000/x/"
    )
