"""Issue 17, item 7: inputs that answered 500 answer 4xx naming what is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from partnerops.core.roles import Role
from partnerops.costs.models import CostImport, CostLine
from partnerops.crm import services as crm
from partnerops.hubs import services as hubs
from tests.api.client import Api
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63


@pytest.fixture
def partnerships() -> Api:
    return Api(Role.PARTNERSHIPS)


def _fields(response: Any) -> set[str]:
    return {error["field"] for error in response.json().get("errors", [])}


@pytest.mark.parametrize("field", ["website", "country", "notes", "name", "kind"])
def test_patching_an_organization_field_to_null_is_a_422_naming_it(
    partnerships: Api, field: str
) -> None:
    organization = OrganizationFactory(website="https://a.example")
    response = partnerships.call("PATCH", f"/organizations/{organization.pk}", {field: None})
    assert response.status_code == 422 and field in _fields(response)
    organization.refresh_from_db()
    assert organization.website == "https://a.example"


@pytest.mark.parametrize("field", ["url", "engineering_issues", "cluster", "cloud_accounts"])
def test_patching_a_hub_field_to_null_is_a_422_naming_it(partnerships: Api, field: str) -> None:
    hub = hubs.hub_create(actor=partnerships.user, name="h1", community=OrganizationFactory(), cluster="c",
                          provider="gcp")  # fmt: skip
    response = partnerships.call("PATCH", f"/hubs/{hub.pk}", {field: None})
    assert response.status_code == 422 and field in _fields(response)


def test_null_still_clears_what_may_be_empty(partnerships: Api) -> None:
    organization = crm.organization_create(actor=partnerships.user, name="Null Lab")
    engagement = crm.engagement_create(
        actor=partnerships.user, organization=organization, owner=partnerships.user
    )
    response = partnerships.call(
        "PATCH", f"/engagements/{engagement.pk}", {"owner_id": None, "follow_up_on": None}
    )
    assert response.status_code == 200 and response.json()["owner_id"] is None


@pytest.mark.parametrize(
    "path",
    [
        f"/organizations/{TOO_BIG}", f"/engagements/{TOO_BIG}", f"/hubs/{TOO_BIG}", f"/agreements/{TOO_BIG}",
        f"/invoices/{TOO_BIG}", f"/playbook-runs/{TOO_BIG}", "/organizations?offset=" + str(TOO_BIG),
        "/hubs?offset=" + str(TOO_BIG), f"/invoices?organization_id={TOO_BIG}",
    ],
)  # fmt: skip
def test_an_id_or_offset_beyond_64_bits_is_a_422(path: str) -> None:
    response = Api(Role.ADMINISTRATOR).call("GET", path)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_id_beyond_64_bits_is_a_422(partnerships: Api) -> None:
    response = partnerships.call("POST", "/engagements", {"organization_id": TOO_BIG})
    assert response.status_code == 422 and "organization_id" in _fields(response)


def _received(engagement_id: int, content: bytes, api: Api) -> Any:
    return api.client.post("/api/v1/emails/received",
                           {"engagement_id": engagement_id, "email_file": SimpleUploadedFile("r.eml", content)},
                           HTTP_AUTHORIZATION=f"Bearer {api.token}")  # fmt: skip


HEAD = b"From: Lee <lee@x.edu>\r\nDate: Tue, 03 Nov 2026 10:00:00 +0000\r\nSubject: Hello\r\n"


def test_a_received_email_with_an_unknown_charset_is_recorded(partnerships: Api) -> None:
    organization = crm.organization_create(actor=partnerships.user, name="Charset Lab")
    engagement = crm.engagement_create(actor=partnerships.user, organization=organization)
    content = HEAD + b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nCaf\xe9 ok\r\n"
    response = _received(engagement.pk, content, partnerships)
    assert response.status_code == 201, response.content
    assert engagement.timeline_entries.get(kind="email").body.startswith(
        "From Lee <lee@x.edu>\n\nCaf"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEAD + b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                         for i in range(2000)), "nests more than 100 multipart parts"),
        (HEAD.replace(b"Tue, 03 Nov 2026 10:00:00 +0000", b"soon") + b"\r\nhi", "Its Date header is not a date"),
    ],
)  # fmt: skip
def test_a_hostile_received_email_is_a_422(partnerships: Api, content: bytes, message: str) -> None:
    organization = crm.organization_create(actor=partnerships.user, name="Hostile Lab")
    engagement = crm.engagement_create(actor=partnerships.user, organization=organization)
    response = _received(engagement.pk, content, partnerships)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert not engagement.timeline_entries.filter(kind="email").exists()


def test_too_many_attachments_are_refused(partnerships: Api, settings: Any) -> None:
    settings.EMAIL_MAX_ATTACHMENTS = 2
    organization = crm.organization_create(actor=partnerships.user, name="Many Lab")
    engagement = crm.engagement_create(actor=partnerships.user, organization=organization)
    parts = b"".join(
        b'--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="a%d.txt"\r\n\r\nx\r\n'
        % i
        for i in range(3)
    )
    content = (
        HEAD
        + b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
    )
    response = _received(engagement.pk, content + parts + b"--B--\r\n", partnerships)
    assert response.status_code == 422 and "more than 2 attachments" in response.json()["detail"]


def _huge_cost_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    record = {"billing_account_id": "A", "invoice": {"month": "202610"}, "cost_type": "regular",
              "service": {"id": "s", "description": "Compute"}, "project": {"id": "p", "name": "p", "labels": []},
              "labels": [], "cost": 9_300_000_000.5, "currency": "USD", "credits": []}  # fmt: skip
    path.write_text(json.dumps(record) + "\n")
    return path


def test_an_amount_beyond_exact_storage_is_refused_by_name(tmp_path: Path) -> None:
    path = _huge_cost_file(tmp_path)
    with pytest.raises(
        CommandError, match=r"big\.json: the amount of 2026-10, account p, service Compute"
    ):
        call_command("costs", "import", str(path))
    operations = Api(Role.OPERATIONS)
    response = operations.client.post("/api/v1/costs/imports",
                                      {"files": [SimpleUploadedFile("october.json", path.read_bytes())]},
                                      HTTP_AUTHORIZATION=f"Bearer {operations.token}")  # fmt: skip
    assert response.status_code == 422
    assert "october.json: the amount of 2026-10" in response.json()["detail"]
    assert "beyond the largest amount PartnerOps stores exactly" in response.json()["detail"]
    assert CostImport.objects.count() == 0 and CostLine.objects.count() == 0


def test_an_unknown_api_path_answers_problem_json_and_a_page_path_the_page(
    partnerships_client: Any,
) -> None:
    response = partnerships_client.get("/api/v1/no-such-operation")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("No API operation at this path")
    page = partnerships_client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
