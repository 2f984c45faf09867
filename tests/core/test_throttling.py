"""Issue 17, item 11: a limit per address across usernames, failed token attempts
throttled, token expiry and last use."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from partnerops.core.errors import DomainError
from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_authenticate, api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(AXES_FAILURE_LIMIT=5, LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_an_address_is_throttled_across_usernames() -> None:
    UserFactory(username="honest", roles=[Role.VIEWER])
    client = Client()
    for number in range(8):  # eight usernames, each tried once: no username reaches 5
        response = client.post(
            reverse("login"), {"username": f"guess{number}", "password": "wrong"}
        )
        assert response.status_code == (429 if number == 7 else 200), number
    response = client.post(reverse("login"), {"username": "honest", "password": "anything"})
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post(reverse("login"), {"username": "guess1", "password": "wrong"}).status_code == 200
    )


@override_settings(AXES_FAILURE_LIMIT=3, LOGIN_ADDRESS_FAILURE_LIMIT=20)
def test_failed_token_attempts_are_throttled() -> None:
    user = UserFactory(username="scripted", roles=[Role.VIEWER])
    _, good = api_token_create(actor=user, name="cron")
    client = Client()
    for attempt in range(3):  # the attempt that reaches the limit is already refused
        response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION="Bearer po_guessed")
        assert response.status_code == (429 if attempt == 2 else 401)
    locked = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {good}")
    assert locked.status_code == 429 and "Too many failed token attempts" in locked.json()["detail"]
    elsewhere = Client(REMOTE_ADDR="10.0.0.7")
    assert (
        elsewhere.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer {good}").status_code
        == 200
    )


def test_a_token_expires_after_its_last_day(partnerships_user: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC), tick=False):
        token, plaintext = api_token_create(
            actor=partnerships_user, name="short", expires_on=dt.date(2026, 11, 30)
        )
        with pytest.raises(DomainError, match="cannot expire before today"):
            api_token_create(actor=partnerships_user, name="past", expires_on=dt.date(2026, 10, 31))
    with time_machine.travel(dt.datetime(2026, 11, 30, 23, tzinfo=dt.UTC), tick=False):
        assert api_token_authenticate(plaintext) is not None
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 1, tzinfo=dt.UTC), tick=False):
        assert api_token_authenticate(plaintext) is None
        token.refresh_from_db()
        assert token.is_expired and not token.is_active


def test_the_tokens_page_sets_and_shows_expiry_and_last_use(partnerships_client: Client) -> None:
    response = partnerships_client.post(
        reverse("api-tokens"), {"name": "nightly", "expires_on": "2099-01-31"}
    )
    html = response.content.decode()
    assert "2099-01-31" in html and "Last used" in html and "never" in html
