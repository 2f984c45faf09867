"""Uploading exports on the page and through the API; the month and drill-down views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partnerops.core.roles import Role
from partnerops.hubs.models import Hub
from tests.api.client import Api
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _operations_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="olu", roles=[Role.OPERATIONS]))
    return client


def test_upload_then_see_the_month_and_drill_down(hub_table: Any, files: dict[str, Path]) -> None:
    client = _operations_client()
    response = client.post(
        "/costs/",
        {"files": [SimpleUploadedFile("gcp.json", files["gcp"].read_bytes())],
         "usage": SimpleUploadedFile("usage.csv", files["usage"].read_bytes())},
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert "Imported gcp: 2026-10, 2026-11 replaced." in html
    october = client.get("/costs/2026-10/").content.decode()
    assert "11.67" in october and "27.39" in october and "Reconciliation by account" in october
    ocean = Hub.objects.get(name="ocean")
    assert f'href="/costs/2026-10/USD/{ocean.pk}/"' in october  # by id: names change
    drill = client.get(f"/costs/2026-10/USD/{ocean.pk}/").content.decode()
    assert "Compute" in drill and "shared cluster" in drill and "hub label" in drill
    unattributed = client.get("/costs/2026-10/USD/-/").content.decode()
    assert "label value &#x27;staging&#x27; matches no hub" in unattributed


def test_a_bad_upload_is_explained_and_a_viewer_cannot_upload(tmp_path: Path) -> None:
    client = _operations_client()
    response = client.post(
        "/costs/", {"files": [SimpleUploadedFile("people.csv", b"name,email\nAna,a@x.org\n")]}
    )
    assert "people.csv: not a billing export PartnerOps knows" in response.content.decode()
    viewer = Client()
    viewer.force_login(UserFactory(username="val", roles=[Role.VIEWER]))
    assert viewer.post("/costs/", {"files": [SimpleUploadedFile("a.csv", b"x")]}).status_code == 403


def test_the_api(hub_table: Any, files: dict[str, Path]) -> None:
    operations = Api(Role.OPERATIONS)
    response = operations.client.post(
        "/api/v1/costs/imports",
        {"files": [SimpleUploadedFile("gcp.json", files["gcp"].read_bytes())],
         "usage": SimpleUploadedFile("usage.csv", files["usage"].read_bytes())},
        HTTP_AUTHORIZATION=f"Bearer {operations.token}",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["replaced"] == {"gcp": ["2026-10", "2026-11"]}
    report = operations.call("GET", "/costs/report?month=2026-10").json()
    assert [(c["hub"], c["amount"]) for c in report[0]["communities"]] == [
        ("ocean", "11.67"),
        ("prairie", "6.33"),
        ("solo", "7.78"),
    ]
    assert operations.call("GET", "/costs/months").json() == ["2026-11", "2026-10"]
    solo = Hub.objects.get(name="solo")
    assert [c["hub_id"] for c in report[0]["communities"]][-1] == solo.pk
    assert operations.call("GET", "/costs/report/2026-10/USD/solo").status_code == 422
    rows = operations.call("GET", f"/costs/report/2026-10/USD/{solo.pk}").json()
    assert rows == [
        {
            "account": "solo-project",
            "service": "Compute",
            "category": "usage",
            "rule": "dedicated account",
            "reason": "",
            "amount": "7.777000000",
            "credits": "0.000000000",
        }
    ]
    bad = operations.client.post(
        "/api/v1/costs/imports", {"files": [SimpleUploadedFile("x.csv", b"a,b\n1,2\n")]},
        HTTP_AUTHORIZATION=f"Bearer {operations.token}",
    )  # fmt: skip
    assert bad.status_code == 422 and "x.csv: not a billing export" in bad.json()["detail"]
