"""`partnerops users` and `partnerops tokens` (issue 18): the first token and a role user
without the web pages, audited, and never leaving PartnerOps without an administrator."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from partnerops.core.models import AuditEvent
from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_authenticate

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_a_user_with_a_role_sign_in_and_get_a_token() -> None:
    out = _call("users", "create", "olga", "--role", "Operations", "--email", "olga@example.org")
    password = out.splitlines()[-1].strip()
    olga = get_user_model().objects.get(username="olga")
    assert list(olga.groups.values_list("name", flat=True)) == ["Operations"]
    assert olga.check_password(password) and olga.is_active
    assert AuditEvent.objects.filter(object_id=str(olga.pk), action="create").exists()
    token = (
        _call("tokens", "create", "--user", "olga", "--name", "ledger sync")
        .splitlines()[-1]
        .strip()
    )
    found = api_token_authenticate(token)
    assert found is not None and found.user == olga
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["roles"] == ["Operations"]


def test_set_role_and_deactivate_are_audited_and_revoke_tokens() -> None:
    _call("users", "create", "ada", "--role", "Administrator")
    _call("users", "create", "vic", "--role", "Viewer")
    token = _call("tokens", "create", "--user", "vic", "--name", "t").splitlines()[-1].strip()
    _call("users", "set-role", "vic", "Partnerships")
    vic = get_user_model().objects.get(username="vic")
    assert list(vic.groups.values_list("name", flat=True)) == ["Partnerships"]
    event = AuditEvent.objects.filter(object_id=str(vic.pk), action="update").latest("id")
    assert event.changes == {"role": {"old": "Viewer", "new": "Partnerships"}}
    _call("users", "deactivate", "vic")
    vic.refresh_from_db()
    assert not vic.is_active and api_token_authenticate(token) is None


def test_the_last_administrator_stays_and_errors_are_named() -> None:
    _call("users", "create", "ada", "--role", "Administrator")
    with pytest.raises(CommandError, match="ada is the last active administrator"):
        _call("users", "set-role", "ada", "Viewer")
    with pytest.raises(CommandError, match="ada is the last active administrator"):
        _call("users", "deactivate", "ada")
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        _call("users", "deactivate", "nobody")
    with pytest.raises(CommandError, match="already exists"):
        _call("users", "create", "ada", "--role", Role.VIEWER.value)
    with pytest.raises(CommandError, match="There is no active user 'nobody'"):
        _call("tokens", "create", "--user", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="is not a date"):
        _call("tokens", "create", "--user", "ada", "--name", "x", "--expires-on", "soon")
