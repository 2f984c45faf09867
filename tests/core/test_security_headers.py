"""Issue 17, item 10: a Content-Security-Policy with no inline script, a
Permissions-Policy, and no-store on pages and API answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

import partnerops
from partnerops.core.roles import Role
from tests.api.client import Api

pytestmark = pytest.mark.django_db

TEMPLATES = Path(partnerops.__file__).parent / "templates"


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_pages_carry_the_policies_and_are_not_stored(partnerships_client: Client) -> None:
    for path in ("/", "/board/", "/costs/", "/api/v1/docs"):
        response = partnerships_client.get(path, follow=True)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == "script-src 'self'"
        assert "'unsafe-inline'" not in policy["style-src"]
        assert (
            policy["object-src"] == "object-src 'none'"
            and "frame-ancestors 'none'" in policy.values()
        )
        assert "camera=()" in response["Permissions-Policy"]
        assert "no-store" in response["Cache-Control"]


def test_api_answers_and_the_sign_in_page_are_not_stored() -> None:
    api = Api(Role.VIEWER)
    assert api.call("GET", "/organizations")["Cache-Control"] == "no-store"
    assert "no-store" in Client().get("/login/")["Cache-Control"]


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE
)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handlers() -> None:
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        found += [f"{template.name}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        found += [f"{template.name}: {m.group(0).strip()}" for m in HANDLER.finditer(text)]
    assert found == []
