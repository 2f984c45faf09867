"""A client that sends a personal token, as a script would."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from partnerops.core.roles import Role
from partnerops.core.tokens import api_token_create
from tests.factories import UserFactory


class Api:
    """A client that sends a personal token, as a script would."""

    def __init__(self, role: Role) -> None:
        self.user = UserFactory(username=f"api-{role.value.lower()}", roles=[role])
        _, self.token = api_token_create(actor=self.user, name="tests")
        self.client = Client()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.generic(
            method,
            f"/api/v1{path}",
            data=data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )
