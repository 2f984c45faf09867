"""Signing in, throttling, the first administrator, and personal API tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from partnerops.core.bootstrap import ensure_first_administrator
from partnerops.core.models import ApiToken
from partnerops.core.roles import Role, user_roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login() -> None:
    response = Client().get(reverse("crm:board"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('crm:board')}"


def test_passwords_are_hashed_with_argon2_and_sign_in_works() -> None:
    user = get_user_model().objects.create_user(username="hashy", password="a long passphrase 42")
    assert user.password.startswith("argon2$")
    response = Client().post(
        reverse("login"), {"username": "hashy", "password": "a long passphrase 42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:board")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_logins_are_throttled_even_for_the_right_password() -> None:
    UserFactory(username="target", roles=[Role.VIEWER])
    client = Client()
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "target", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    response = client.post(reverse("login"), {"username": "target", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_first_administrator_is_created_once(capsys: Any) -> None:
    call_command("ensure_admin")
    out = capsys.readouterr().out
    assert "password:" in out
    admin = get_user_model().objects.get(username="admin")
    assert Role.ADMINISTRATOR in user_roles(admin)
    password = out.split("password:")[1].strip()
    response = Client().post(reverse("login"), {"username": "admin", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("crm:board")
    call_command("ensure_admin")
    assert "already exists" in capsys.readouterr().out
    assert ensure_first_administrator() is None
    assert get_user_model().objects.count() == 1


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(
    partnerships_client: Client, partnerships_user: Any
) -> None:
    response = partnerships_client.post(reverse("api-tokens"), {"name": "nightly import"})
    html = response.content.decode()
    assert "it will not be shown again" in html
    plaintext = html.split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get()
    assert plaintext.startswith("po_") and plaintext not in (token.digest, token.prefix)
    assert plaintext not in partnerships_client.get(reverse("api-tokens")).content.decode()

    api = Client()
    assert (
        api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()["username"]
        == "paula"
    )
    partnerships_client.post(reverse("api-token-revoke", args=[token.pk]))
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_nobody_revokes_someone_elses_token(partnerships_client: Client) -> None:
    other = UserFactory(username="other", roles=[Role.VIEWER])
    token = ApiToken.objects.create(user=other, name="theirs", prefix="po_x", digest="0" * 64)
    assert partnerships_client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
