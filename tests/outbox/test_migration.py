"""Issue 16: the outbox moved from playbooks to its own app without touching a row. A
database as the previous release left it (before outbox 0001) is migrated forward:
every email, attachment and template is still there, and content types (hence
permissions and the audit trail's links) are the same rows, relabelled."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnerops.outbox.models import EmailAttachment, EmailTemplate, OutboundEmail

BEFORE = [("playbooks", "0007_document_links_withdrawn_at"), ("outbox", None)]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_previous_release_database_keeps_its_emails_and_content_types() -> None:
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="playbooks", model="outboundemail"
    )[0]
    email = old.get_model("playbooks", "OutboundEmail").objects.create(
        key="previous-release",
        from_email="a@example.org",
        to=["b@example.org"],
        subject="Kept",
        body="Body",
    )
    old.get_model("playbooks", "EmailAttachment").objects.create(
        email=email, file="outbox/a.pdf", filename="a.pdf"
    )
    old.get_model("playbooks", "EmailTemplate").objects.update_or_create(
        key="previous-release", defaults={"name": "Kept", "subject": "Kept", "body": "Hello"}
    )
    templates = set(
        old.get_model("playbooks", "EmailTemplate").objects.values_list("key", flat=True)
    )

    latest = _executor()
    latest.migrate(latest.loader.graph.leaf_nodes())

    kept = OutboundEmail.objects.get(key="previous-release")
    assert (kept.pk, kept.subject, kept.attachments.get().filename) == (email.pk, "Kept", "a.pdf")
    # every template kept (outbox 0002 adds PartnerOps' own emails beside them)
    assert templates <= set(EmailTemplate.objects.values_list("key", flat=True))
    assert EmailAttachment.objects.count() == 1
    assert EmailTemplate.objects.get(key="previous-release").body == "Hello"
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("outbox", "outboundemail")
    assert ContentType.objects.get_for_model(OutboundEmail).pk == content_type.pk


@pytest.mark.django_db(transaction=True)
def test_notifications_and_calendar_feeds_keep_their_rows_when_they_leave_core() -> None:
    from django.contrib.auth import get_user_model

    from partnerops.contracts.models import CalendarFeed
    from partnerops.outbox.models import Notification

    before = [("core", "0004_api_token_expires_on"), ("contracts", "0003_invoicing_policies"),
              ("outbox", "0002_system_email_templates")]  # fmt: skip
    executor = _executor()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = get_user_model().objects.create(username="kept")
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="core", model="notification"
    )[0]
    old.get_model("core", "Notification").objects.create(
        recipient_id=user.pk, key="kept", subject="Kept"
    )
    old.get_model("core", "CalendarFeed").objects.create(user_id=user.pk, token="t" * 40)

    latest = _executor()
    latest.migrate(latest.loader.graph.leaf_nodes())

    assert Notification.objects.get(key="kept").recipient == user
    assert CalendarFeed.objects.get(user=user).token == "t" * 40
    assert ContentType.objects.get(pk=content_type.pk).app_label == "outbox"
