"""API v1 for the price book, agreements, formal documents, hubs and renewals."""

from __future__ import annotations

import pytest

from partnerops.contracts import services
from partnerops.contracts.models import Agreement
from partnerops.core.roles import Role
from tests.api.client import Api
from tests.factories import prospect

pytestmark = pytest.mark.django_db


def test_price_book_versions(api: Api) -> None:
    tiers = api.call("GET", "/tiers?current_on=2026-06-01").json()
    assert {tier["code"] for tier in tiers} >= {"education", "research", "partnership"}
    research = next(tier for tier in tiers if tier["code"] == "research")
    assert research["monthly_fee"] == "1500.00"
    response = api.call(
        "POST",
        f"/tiers/{research['id']}/reprice",
        {"effective_from": "2027-01-01", "monthly_fee": "1600.00", "annual_fee": "19200.00"},
    )
    assert response.status_code == 201 and response.json()["version"] == 2
    viewer = Api(Role.VIEWER)
    assert (
        viewer.call(
            "POST",
            f"/tiers/{research['id']}/reprice",
            {"effective_from": "2028-01-01", "monthly_fee": "1", "annual_fee": "1"},
        ).status_code
        == 403
    )


def test_agreement_lifecycle_over_the_api(api: Api) -> None:
    engagement = prospect(api.user)
    tier = services.current_tier("education")
    created = api.call(
        "POST",
        "/agreements",
        {
            "engagement_id": engagement.pk,
            "tier_id": tier.pk,
            "kind": "email_confirmation",
            "start_on": "2026-12-01",
        },
    )
    assert created.status_code == 201
    agreement = created.json()
    assert (agreement["price"], agreement["end_on"], agreement["state"]) == (
        "1000.00",
        "2027-11-30",
        "draft",
    )
    assert agreement["missing_invoicing_evidence"] == ["no confirmation of the tier at its price"]
    refused = api.call("POST", f"/agreements/{agreement['id']}/transition", {"state": "active"})
    assert refused.status_code == 409 and "from Draft it can move to" in refused.json()["detail"]
    # Executing needs the signature capability: Partnerships cannot, Operations can.
    assert (
        api.call(
            "POST", f"/agreements/{agreement['id']}/transition", {"state": "executed"}
        ).status_code
        == 403
    )
    operations = Api(Role.OPERATIONS)
    executed = operations.call(
        "POST",
        f"/agreements/{agreement['id']}/transition",
        {"state": "executed", "on": "2026-11-20"},
    )
    assert executed.status_code == 200 and executed.json()["missing_invoicing_evidence"] == []
    extended = api.call("POST", f"/agreements/{agreement['id']}/extend", {"steps": 1})
    assert extended.json()["end_on"] == "2027-12-14"
    renewal = api.call("POST", f"/agreements/{agreement['id']}/renew")
    assert renewal.status_code == 201 and renewal.json()["renews_id"] == agreement["id"]
    views = api.call("GET", "/renewals?today=2027-10-01").json()
    assert [a["id"] for a in views["needs_renewal"]] == [agreement["id"]]
    assert Agreement.objects.count() == 2


def test_hubs_and_formal_documents(api: Api) -> None:
    engagement = prospect(api.user)
    hub = api.call(
        "POST",
        "/hubs",
        {
            "name": "pacific",
            "community_id": engagement.organization_id,
            "cluster": "shared",
            "provider": "gcp",
            "cost_labels": {"k8s-namespace": "pacific"},
            "service_start_on": "2026-12-01",
        },
    )
    assert hub.status_code == 201 and hub.json()["state"] == "requested"
    moved = api.call("POST", f"/hubs/{hub.json()['id']}/transition", {"state": "running"})
    assert moved.status_code == 409 and "from Requested to Running" in moved.json()["detail"]
    bad = api.call(
        "POST",
        "/hubs",
        {
            "name": "solo",
            "community_id": engagement.organization_id,
            "cluster": "c",
            "provider": "aws",
            "tenancy": "dedicated",
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cloud_accounts"
    engineering = Api(Role.ENGINEERING)
    assert (
        engineering.call("PATCH", f"/hubs/{hub.json()['id']}", {"cluster": "shared-2"}).json()[
            "cluster"
        ]
        == "shared-2"
    )
    document = api.call(
        "POST",
        "/formal-documents",
        {"document": "sla", "version": "2026", "effective_on": "2026-01-01"},
    )
    assert document.status_code == 201
    assert api.call("GET", "/formal-documents/missing").json() == []
