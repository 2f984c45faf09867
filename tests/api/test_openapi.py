"""Issue 17, item 6: the OpenAPI description documents the bodies the operations take
and the answers they give; no two schemas share a component name."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from typing import Any

import pydantic
import pytest
from django.test import Client

import partnerops

pytestmark = pytest.mark.django_db


def _subclasses(base: type) -> list[type]:
    found, pending = [], [base]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    for module in pkgutil.walk_packages(partnerops.__path__, "partnerops."):
        if ".migrations" not in module.name and not module.name.endswith(
            ("wsgi", "asgi", "__main__")
        ):
            importlib.import_module(module.name)
    modules_by_name: dict[str, set[str]] = defaultdict(set)
    for model in _subclasses(pydantic.BaseModel):
        if model.__module__.startswith("partnerops."):
            modules_by_name[model.__name__].add(model.__module__)
    duplicated = {
        name: sorted(modules) for name, modules in modules_by_name.items() if len(modules) > 1
    }
    assert duplicated == {}, f"schemas named twice (the OpenAPI components collide): {duplicated}"


def _body_schema(spec: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    content = spec["paths"][path][method]["requestBody"]["content"]
    reference = next(iter(content.values()))["schema"]["$ref"]
    return spec["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def _answer_schema(spec: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    content = spec["paths"][path][method]["responses"][status]["content"]
    reference = next(iter(content.values()))["schema"]["$ref"]
    return spec["components"]["schemas"][reference.rsplit("/", 1)[-1]]


def test_the_bodies_documented_are_the_bodies_taken(partnerships_client: Client) -> None:
    spec = partnerships_client.get("/api/v1/openapi.json").json()
    assert "organization_id" in _body_schema(spec, "/api/v1/engagements")["properties"]
    assert set(_body_schema(spec, "/api/v1/billing/runs")["properties"]) == {"month"}
    assert set(_body_schema(spec, "/api/v1/playbook-runs")["properties"]) == {
        "engagement_id",
        "playbook",
    }
    billing_run = _answer_schema(spec, "/api/v1/billing/runs", "post", "201")
    assert {"created", "refreshed", "blocked", "summary"} <= set(billing_run["properties"])
    assert "steps" not in billing_run["properties"]


def test_a_personal_token_reads_the_description_and_the_docs(db: None) -> None:
    from partnerops.core.roles import Role
    from tests.api.client import Api

    api = Api(Role.VIEWER)
    spec = api.client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert spec.status_code == 200 and "/api/v1/engagements" in spec.json()["paths"]
    docs = api.client.get("/api/v1/docs", HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert docs.status_code == 200
    refused = api.client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer po_not-a-token")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    # A browser without a session is sent to sign in, as for every page.
    anonymous = api.client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
