"""Users and roles through the API, for administrators only (issue 18)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from partnerops.core.models import AuditEvent
from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_authenticate
from tests.api.client import Api

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_user_changes_the_role_and_deactivates() -> None:
    admin = Api(Role.ADMINISTRATOR)
    created = admin.call("POST", "/users", {"username": "olga", "role": "Operations"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["roles"] == ["Operations"] and len(body["password"]) >= 12
    olga = get_user_model().objects.get(username="olga")
    assert olga.check_password(body["password"])
    listed = admin.call("GET", "/users").json()["items"]
    assert {"username": "olga", "roles": ["Operations"]}.items() <= next(
        u for u in listed if u["username"] == "olga"
    ).items()
    assert "password" not in listed[0]
    changed = admin.call("POST", "/users/olga/role", {"role": "Viewer"})
    assert changed.json()["roles"] == ["Viewer"]
    assert admin.call("POST", "/users/olga/role", {"role": "King"}).status_code == 422
    gone = admin.call("POST", "/users/olga/deactivate")
    assert gone.json()["is_active"] is False
    assert AuditEvent.objects.filter(object_id=str(olga.pk)).count() == 3
    assert admin.call("POST", "/users/nobody/deactivate").status_code == 404


def test_the_last_administrator_is_kept_and_others_may_not_manage_users() -> None:
    admin = Api(Role.ADMINISTRATOR)
    refused = admin.call("POST", f"/users/{admin.user.username}/deactivate")
    assert refused.status_code == 409, refused.content
    assert "last active administrator" in refused.json()["detail"]
    assert api_token_authenticate(admin.token) is not None
    operations = Api(Role.OPERATIONS)
    assert operations.call("GET", "/users").status_code == 403
    assert operations.call("POST", "/users", {"username": "x", "role": "Viewer"}).status_code == 403
