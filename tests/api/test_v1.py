"""API v1: the same services and rules as the pages, answered as JSON and problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from partnerops.core.models import AuditEvent
from partnerops.core.roles import Role
from partnerops.crm.models import Engagement
from partnerops.crm.states import Phase, Status
from tests.api.client import Api
from tests.factories import EngagementFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_create_organization_contact_and_engagement_then_move_it(api: Api) -> None:
    response = api.call(
        "POST",
        "/organizations",
        {"name": "Rift Valley Health Lab", "kind": "community", "country": "KE"},
    )
    assert response.status_code == 201, response.content
    organization = response.json()
    assert organization["country"] == "KE"
    contact = api.call(
        "POST",
        f"/organizations/{organization['id']}/contacts",
        {"name": "Wanjiru", "email": "w@rift.org", "is_billing_contact": True},
    )
    assert contact.status_code == 201 and contact.json()["is_billing_contact"] is True
    created = api.call(
        "POST",
        "/engagements",
        {"organization_id": organization["id"], "expected_value": "18000.00"},
    )
    assert created.status_code == 201
    engagement = created.json()
    assert (engagement["phase"], engagement["status"], engagement["expected_value"]) == (
        "lead",
        "active_lead",
        "18000.00",
    )

    moved = api.call(
        "POST", f"/engagements/{engagement['id']}/move", {"phase": "qualified_lead", "note": "Fit."}
    )
    assert moved.status_code == 200
    assert (
        moved.json()["to_phase"] == "qualified_lead"
        and moved.json()["qualification"]["money"]["assessment"] == "unknown"
    )
    milestones = api.call("GET", f"/engagements/{engagement['id']}/milestones").json()
    assert [m["to_phase"] for m in milestones] == ["lead", "qualified_lead"]
    assert AuditEvent.objects.filter(actor=api.user, action="move").count() == 1


def test_a_forbidden_move_is_a_409_problem_naming_both_states(api: Api) -> None:
    engagement = EngagementFactory()
    response = api.call(
        "POST",
        f"/engagements/{engagement.pk}/move",
        {"phase": "partner", "status": "active_service"},
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 409 and problem["title"] == "Conflict"
    assert "Cannot move from Lead / Active Lead to Partner / Active Service" in problem["detail"]
    engagement.refresh_from_db()
    assert (engagement.phase, engagement.status) == (Phase.LEAD, Status.ACTIVE_LEAD)


def test_invalid_input_is_a_422_problem_listing_fields(api: Api) -> None:
    organization = OrganizationFactory()
    response = api.call(
        "POST", "/engagements", {"organization_id": organization.pk, "probability": 150}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "probability"
    api.call(
        "POST", f"/organizations/{organization.pk}/contacts", {"name": "A", "email": "a@x.org"}
    )
    duplicate = api.call(
        "POST", f"/organizations/{organization.pk}/contacts", {"name": "B", "email": "A@X.org"}
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "email"
    not_object = api.call("POST", "/organizations", "just a string")
    assert not_object.status_code == 422
    assert "must be a JSON object" in not_object.json()["errors"][0]["message"]


def test_list_engagements_filters_and_paginates(api: Api) -> None:
    for index in range(7):
        EngagementFactory(
            organization=OrganizationFactory(name=f"Org {index}"),
            phase=Phase.PROSPECT if index % 2 else Phase.LEAD,
        )
    page = api.call("GET", "/engagements?phase=prospect&limit=2&offset=0&sort=organization").json()
    assert page["count"] == 3
    assert [item["organization_name"] for item in page["items"]] == ["Org 1", "Org 3"]
    rest = api.call("GET", "/engagements?phase=prospect&limit=2&offset=2&sort=organization").json()
    assert [item["organization_name"] for item in rest["items"]] == ["Org 5"]


def test_patch_changes_only_what_is_sent(api: Api) -> None:
    engagement = EngagementFactory(probability=20)
    response = api.call(
        "PATCH", f"/engagements/{engagement.pk}", {"probability": 75, "owner_id": api.user.pk}
    )
    assert response.status_code == 200
    engagement.refresh_from_db()
    assert (engagement.probability, engagement.owner, engagement.title) == (
        75,
        api.user,
        "Managed hub service",
    )
    assert (
        api.call("PATCH", f"/engagements/{engagement.pk}", {"phase": "partner"}).json()["phase"]
        == "lead"
    )


def test_maniac_t_and_timeline(api: Api) -> None:
    engagement = EngagementFactory()
    put = api.call(
        "PUT",
        f"/engagements/{engagement.pk}/qualification/money",
        {"assessment": "strong", "evidence": "$20k"},
    )
    assert put.status_code == 200
    criteria = api.call("GET", f"/engagements/{engagement.pk}/qualification").json()
    assert len(criteria) == 7 and criteria[0] == {
        "criterion": "money",
        "assessment": "strong",
        "evidence": "$20k",
    }
    assert (
        api.call(
            "PUT", f"/engagements/{engagement.pk}/qualification/luck", {"assessment": "strong"}
        ).status_code
        == 422
    )
    entry = api.call(
        "POST", f"/engagements/{engagement.pk}/timeline", {"kind": "call", "title": "Budget call"}
    )
    assert entry.status_code == 201
    refused = api.call(
        "POST", f"/engagements/{engagement.pk}/timeline", {"kind": "milestone", "title": "Fake"}
    )
    assert refused.status_code == 409
    timeline = api.call("GET", f"/engagements/{engagement.pk}/timeline").json()
    assert [item["title"] for item in timeline["items"]] == ["Budget call"]


def test_roles_are_enforced_for_token_callers() -> None:
    viewer = Api(Role.VIEWER)
    assert viewer.call("GET", "/engagements").status_code == 200
    response = viewer.call("POST", "/organizations", {"name": "Not Allowed Org"})
    assert response.status_code == 403
    assert "does not allow" in response.json()["detail"]
    assert not Engagement.objects.exists()
    nobody = Client().get("/api/v1/engagements", HTTP_AUTHORIZATION="Bearer po_not-a-real-token")
    assert nobody.status_code == 401 and nobody["WWW-Authenticate"].startswith("Bearer")


def test_session_writes_need_the_csrf_token(partnerships_user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(partnerships_user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/organizations", {"name": "CSRF Org"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_openapi_document_lists_the_operations(partnerships_client: Client) -> None:
    spec = partnerships_client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "PartnerOps API"
    for path in (
        "/api/v1/organizations",
        "/api/v1/engagements/{engagement_id}/move",
        "/api/v1/engagements/{engagement_id}/timeline",
    ):
        assert path in spec["paths"]
    schemes = spec["components"]["securitySchemes"].values()
    assert {"type": "http", "scheme": "bearer"} in schemes


def test_unknown_paths_and_wrong_methods_are_problems_too(api: Api) -> None:
    engagement = EngagementFactory()
    wrong_method = api.call("GET", f"/engagements/{engagement.pk}/move")
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"] == "application/problem+json"
    assert "allowed: POST" in wrong_method.json()["detail"]
    unknown = api.call("GET", "/no-such-thing")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    missing = api.call("GET", "/engagements/999999")
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"
