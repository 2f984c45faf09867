"""The audit trail: every write, in the same transaction, never changed afterwards."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from partnerops.core import audit
from partnerops.core.models import AuditEvent
from partnerops.crm import services
from partnerops.crm.models import Organization

pytestmark = pytest.mark.django_db


def test_a_service_write_records_actor_object_and_values(partnerships_user: Any) -> None:
    organization = services.organization_create(
        actor=partnerships_user, name="Polar Ice Project", country="NO"
    )
    services.organization_update(
        actor=partnerships_user, organization=organization, notes="Met at AGU."
    )
    create, update = AuditEvent.objects.order_by("id")
    assert (create.action, create.actor, create.object_id) == (
        "create",
        partnerships_user,
        str(organization.pk),
    )
    assert create.changes["name"] == {"old": None, "new": "Polar Ice Project"}
    assert update.changes == {"notes": {"old": "", "new": "Met at AGU."}}
    assert update.actor_repr == str(partnerships_user)


def test_old_values_come_from_the_database_not_the_object_in_memory(partnerships_user: Any) -> None:
    organization = services.organization_create(actor=partnerships_user, name="Open Astronomy")
    organization.notes = "changed in memory by a form"
    services.organization_update(actor=partnerships_user, organization=organization)
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"notes": {"old": "", "new": "changed in memory by a form"}}


def test_the_write_and_its_event_commit_together(partnerships_user: Any) -> None:
    with (
        mock.patch.object(
            audit.AuditEvent.objects, "create", side_effect=DatabaseError("disk full")
        ),
        pytest.raises(DatabaseError),
    ):
        services.organization_create(actor=partnerships_user, name="Half Written Org")
    assert not Organization.objects.filter(name="Half Written Org").exists()


def test_recording_outside_a_transaction_is_refused(partnerships_user: Any) -> None:
    organization = services.organization_create(actor=partnerships_user, name="Outside Org")
    # Simulate autocommit mode; the test itself runs inside a transaction.
    with (
        mock.patch.object(connections["default"], "in_atomic_block", False),
        pytest.raises(RuntimeError, match="inside a transaction"),
    ):
        audit.record(actor=partnerships_user, instance=organization, action="poke")


def test_events_cannot_be_changed_or_deleted_through_the_orm(partnerships_user: Any) -> None:
    services.organization_create(actor=partnerships_user, name="Immutable Org")
    event = AuditEvent.objects.get()
    event.action = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET action = 'forged'", "DELETE FROM core_auditevent"]
)
def test_the_database_refuses_changes_that_bypass_the_orm(
    partnerships_user: Any, statement: str
) -> None:
    services.organization_create(actor=partnerships_user, name="Trigger Org")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().action == "create"


def test_passwords_never_reach_the_trail(admin_user_: Any) -> None:
    client = Client()
    client.force_login(admin_user_)
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "newbie",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="create", object_repr="newbie")
    assert event.message == "via admin"
    assert str(event.changes["password"]["new"]).startswith("redacted:")
    assert "argon2" not in str(event.changes)


def test_admin_edits_are_audited_with_old_and_new_values(admin_user_: Any) -> None:
    organization = services.organization_create(actor=admin_user_, name="Admin Edited Org")
    client = Client()
    client.force_login(admin_user_)
    response = client.post(
        reverse("admin:crm_organization_change", args=[organization.pk]),
        {
            "name": "Admin Edited Org",
            "kind": "funder",
            "website": "",
            "country": "",
            "notes": "",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update").get()
    assert event.actor == admin_user_
    assert event.changes == {"kind": {"old": "community", "new": "funder"}}


def test_history_is_shown_per_object_and_filterable_for_administrators(
    admin_user_: Any, partnerships_user: Any, partnerships_client: Client
) -> None:
    organization = services.organization_create(actor=partnerships_user, name="History Org")
    services.organization_update(
        actor=admin_user_, organization=organization, notes="Edited by an admin"
    )
    detail = partnerships_client.get(
        reverse("crm:organization-detail", args=[organization.pk])
    ).content.decode()
    assert "History (2)" in detail and "Edited by an admin" in detail
    client = Client()
    client.force_login(admin_user_)
    page = client.get(
        reverse("audit-log"), {"actor": admin_user_.username[:3], "action": "update"}
    ).content.decode()
    assert "Edited by an admin" in page
    page = client.get(
        reverse("audit-log"), {"action": "create", "actor": "nobody-like-this"}
    ).content.decode()
    assert "No events match." in page
