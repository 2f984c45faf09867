"""Issue 16: audit actions are enumerations per app, shown in words on the audit pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from partnerops.core import audit
from partnerops.core.roles import Role
from partnerops.crm import services
from partnerops.crm.states import Phase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_action_no_app_names_is_refused(partnerships_user: Any) -> None:
    organization = services.organization_create(actor=partnerships_user, name="Poked Org")
    with transaction.atomic(), pytest.raises(ValueError, match="Unknown audit action 'poke'"):
        audit.record(actor=partnerships_user, instance=organization, action="poke")


def test_every_app_names_its_actions_in_words() -> None:
    assert audit.action_words("move") == "moved"
    assert audit.action_words("price_confirmed") == "price confirmed"
    assert audit.action_words("billing_run") == "billing run"
    assert audit.action_words("links_withdrawn") == "shared links withdrawn"
    assert audit.action_words("auto-renewed") == "auto-renewed"  # written before the enumerations


def test_a_value_cannot_be_named_twice() -> None:
    class Clash(models.TextChoices):
        MOVE = "move", "shuffled"

    with pytest.raises(ValueError, match="'move' is named twice"):
        audit.register_actions(Clash)


def test_the_audit_page_says_actions_in_words(partnerships_user: Any) -> None:
    organization = services.organization_create(actor=partnerships_user, name="Worded Org")
    engagement = services.engagement_create(actor=partnerships_user, organization=organization)
    services.engagement_move(
        actor=partnerships_user, engagement=engagement, phase=Phase.QUALIFIED_LEAD
    )
    client = Client()
    client.force_login(UserFactory(username="ada", roles=[Role.ADMINISTRATOR]))
    html = client.get(reverse("audit-log"), {"action": "move"}).content.decode()
    assert "<td>moved</td>" in html and '<option value="move" selected>moved</option>' in html
