"""Issue 17, item 12: the owner withdraws a document's shared links before they expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from partnerops.core.models import AuditEvent
from partnerops.core.roles import Role
from partnerops.crm import services as crm
from partnerops.playbooks import documents
from partnerops.playbooks.models import Document
from tests.api.client import Api

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def document(partnerships_user: Any) -> Document:
    organization = crm.organization_create(actor=partnerships_user, name="Share Lab")
    engagement = crm.engagement_create(
        actor=partnerships_user, organization=organization, owner=partnerships_user
    )
    return documents.running_notes_export(actor=partnerships_user, engagement=engagement)


def _path(link: str) -> str:
    return link.removeprefix("http://127.0.0.1:8000")


def test_withdrawn_links_are_refused_and_new_ones_work(
    document: Document, partnerships_client: Client, client: Client
) -> None:
    with time_machine.travel(T0, tick=False):
        old = _path(documents.share_link(document))
        assert client.get(old).status_code == 200
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        response = partnerships_client.post(
            reverse("playbooks:document-withdraw-links", args=[document.pk])
        )
        assert response.status_code == 302
        refused = client.get(old)
        assert refused.status_code == 410 and b"This link was withdrawn." in refused.content
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        assert client.get(_path(documents.share_link(document))).status_code == 200
        assert client.get(old).status_code == 410
    assert (
        AuditEvent.objects.filter(action="links_withdrawn", object_id=str(document.pk)).count() == 1
    )


def test_the_api_withdraws_and_a_viewer_cannot(document: Document) -> None:
    link = _path(documents.share_link(document))
    viewer = Api(Role.VIEWER)
    assert viewer.call("POST", f"/documents/{document.pk}/withdraw-links").status_code == 403
    partnerships = Api(Role.PARTNERSHIPS)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2), tick=False):
        assert (
            partnerships.call("POST", f"/documents/{document.pk}/withdraw-links").status_code == 200
        )
    assert Client().get(link).status_code == 410
