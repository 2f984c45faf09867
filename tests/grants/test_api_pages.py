"""Grants through the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from partnerops.core.roles import Role
from partnerops.crm import services as crm
from partnerops.grants.models import Grant
from tests.api.client import Api
from tests.team.test_pages import client_as

pytestmark = pytest.mark.django_db


def test_a_grant_through_the_api_to_an_award_with_a_report() -> None:
    funder = crm.organization_create(actor=None, name="Moore Foundation", kind="funder")
    api = Api(Role.PARTNERSHIPS)
    created = api.call("POST", "/grants", {"funder_id": funder.pk, "title": "Hubs for geoscience",
                                           "amount_requested": "250000.00", "probability": 40})  # fmt: skip
    assert created.status_code == 201, created.content
    grant_id = created.json()["id"]
    refused = api.call("POST", f"/grants/{grant_id}/move", {"state": "awarded", "on": "2026-06-01"})
    assert refused.status_code == 409
    assert "from Prospecting it can move to Drafting, Withdrawn" in refused.json()["detail"]
    for state in ("drafting", "submitted"):
        assert (
            api.call(
                "POST", f"/grants/{grant_id}/move", {"state": state, "on": "2026-03-01"}
            ).status_code
            == 200
        )
    awarded = api.call("POST", f"/grants/{grant_id}/move",
                       {"state": "awarded", "on": "2026-06-01", "amount_awarded": "200000.00"})  # fmt: skip
    assert awarded.json()["state"] == "awarded" and awarded.json()["decision_on"] == "2026-06-01"
    report = api.call("POST", f"/grants/{grant_id}/obligations",
                      {"kind": "financial_report", "title": "Year 1 financials", "due_on": "2027-06-30"})  # fmt: skip
    assert report.status_code == 201
    figures = api.call("GET", "/grants/figures").json()
    assert figures["years"] == [
        {
            "year": 2026,
            "applied": 1,
            "decided": 1,
            "won": 1,
            "success_rate": "1.0000",
            "awarded": {"USD": "200000.00"},
        }
    ]
    assert (
        Api(Role.VIEWER)
        .call("POST", f"/grants/{grant_id}/move", {"state": "active", "on": "2026-07-01"})
        .status_code
        == 403
    )


def test_the_grant_pages(partnerships_user: Any) -> None:
    funder = crm.organization_create(actor=None, name="NSF", kind="funder")
    client = client_as(Role.PARTNERSHIPS)
    response = client.post(reverse("grants:grant-create"), {
        "funder": funder.pk, "title": "CSSI: shared hubs", "currency": "USD", "amount_requested": "600000",
        "probability": "30", "found_on": "2026-01-05",
    })  # fmt: skip
    grant = Grant.objects.get()
    assert response.status_code == 302 and grant.title == "CSSI: shared hubs"
    page = client.get(reverse("grants:grant-detail", args=[grant.pk])).content.decode()
    assert "Move to" in page and '<option value="drafting">Drafting</option>' in page
    moved = client.post(
        reverse("grants:grant-move", args=[grant.pk]),
        {"state": "submitted", "on": "2026-02-01"},
        follow=True,
    )
    assert (
        "cannot move to Submitted: from Prospecting it can move to Drafting, Withdrawn"
        in moved.content.decode()
    )
    listing = client_as(Role.VIEWER).get(reverse("grants:grant-list")).content.decode()
    assert "CSSI: shared hubs" in listing and "USD 180,000.00" in listing  # 600,000 x 30%
    assert client_as(Role.VIEWER).get(reverse("grants:grant-create")).status_code == 403
    assert dt.date(2026, 1, 5) == grant.found_on


def test_documents_are_filed_on_a_grant_with_versions() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    funder = crm.organization_create(actor=None, name="Sloan", kind="funder")
    api = Api(Role.OPERATIONS)
    grant_id = api.call("POST", "/grants", {"funder_id": funder.pk, "title": "Hubs",
                                            "amount_requested": "1000.00"}).json()["id"]  # fmt: skip

    def file(content: bytes) -> Any:
        upload = SimpleUploadedFile("proposal.pdf", content, "application/pdf")
        return api.client.post(f"/api/v1/grants/{grant_id}/documents",
                               {"kind": "grant_proposal", "title": "Proposal", "file": upload},
                               HTTP_AUTHORIZATION=f"Bearer {api.token}")  # fmt: skip

    assert file(b"%PDF-1.4 first").status_code == 201
    second = file(b"%PDF-1.4 second")
    assert second.status_code == 201 and second.json()["version"] == 2
    listed = api.call("GET", f"/grants/{grant_id}/documents").json()
    assert [(item["title"], item["version"]) for item in listed] == [
        ("Hubs: Proposal", 2),
        ("Hubs: Proposal", 1),
    ]
    download = client_as(Role.VIEWER).get(listed[0]["download"])
    assert (
        download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 second"
    )  # type: ignore[attr-defined]
    bad = api.client.post(f"/api/v1/grants/{grant_id}/documents",
                          {"kind": "running_notes", "title": "x", "file": SimpleUploadedFile("a.txt", b"a")},
                          HTTP_AUTHORIZATION=f"Bearer {api.token}")  # fmt: skip
    assert bad.status_code == 422 and "proposal, award letter and reports" in bad.content.decode()
    page = client_as(Role.PARTNERSHIPS).post(
        reverse("grants:document-file", args=[grant_id]),
        {
            "kind": "award_letter",
            "title": "Award letter",
            "file": SimpleUploadedFile("award.pdf", b"%PDF award"),
        },
        follow=True,
    )
    assert "Hubs: Award letter (v1) filed" in page.content.decode()
