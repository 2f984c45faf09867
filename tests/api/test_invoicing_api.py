"""API v1 for invoicing: a month from run to payment, exports, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest

from partnerops.core.roles import Role
from tests.api.client import Api
from tests.invoicing.conftest import (
    MONTH,
    token_for,
    world,  # noqa: F401 - the fixture, shared
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

EML = b"From: Rep <rep@coastal.example.edu>\r\nDate: Tue, 03 Nov 2026 10:00:00 +0000\r\nSubject: Re: October\r\n\r\nYes.\r\n"


@pytest.fixture
def ops(db: None) -> Api:
    return Api(Role.OPERATIONS)


def test_a_month_through_the_api(ops: Api) -> None:
    response = ops.call("POST", "/billing/runs", {"month": MONTH})
    assert response.status_code == 201, response.content
    run = response.json()
    assert (run["created"], run["blocked"]) == (3, [])
    listed = ops.call("GET", f"/invoices?month={MONTH}&state=draft").json()
    assert listed["count"] == 3
    coastal = next(item for item in listed["items"] if item["organization_name"] == "Coastal Ocean")
    assert coastal["total"] == "1623.46"
    assert [line["account_code"] for line in coastal["lines"]] == ["4224", "4222"]

    added = ops.call("POST", f"/invoices/{coastal['id']}/charges",
                     {"kind": "support_hours", "description": "Support, 2 h", "quantity": "2", "unit_amount": "250.00"})  # fmt: skip
    assert added.status_code == 201
    assert ops.call("GET", f"/invoices/{coastal['id']}").json()["total"] == "2123.46"

    asked = ops.call("POST", f"/invoices/{coastal['id']}/request-confirmation")
    assert asked.json()["state"] == "awaiting_confirmation"
    confirmed = ops.client.post(f"/api/v1/invoices/{coastal['id']}/email-confirmation",
                                {"email_file": _eml()}, HTTP_AUTHORIZATION=f"Bearer {ops.token}")  # fmt: skip
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["confirmation_source"] == "email"

    issued = ops.call(
        "POST", f"/invoices/{coastal['id']}/finalise", {"issued_on": "2026-11-02"}
    ).json()
    assert (issued["state"], issued["number"], issued["due_on"]) == (
        "issued",
        "2026-0001",
        "2026-12-02",
    )
    pdf = ops.call("GET", f"/invoices/{coastal['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    paid = ops.call(
        "POST",
        f"/invoices/{coastal['id']}/payments",
        {"amount": "100.00", "received_on": "2026-11-10"},
    )
    assert paid.status_code == 201
    note = ops.call(
        "POST",
        f"/invoices/{coastal['id']}/credit-notes",
        # dated in the exported month: the default (today) would fall outside it after November 2026
        {"amount": "23.46", "reason": "Goodwill", "issued_on": "2026-11-06"},
    )
    assert note.status_code == 201 and note.json()["number"] == "CN-2026-0001"
    after = ops.call("GET", f"/invoices/{coastal['id']}").json()
    assert after["balance"] == "2000.00" and after["state"] == "issued"

    too_much = ops.call(
        "POST",
        f"/invoices/{coastal['id']}/payments",
        {"amount": "2000.01", "received_on": "2026-11-10"},
    )
    assert too_much.status_code == 422
    assert too_much["Content-Type"] == "application/problem+json"
    assert "2,000.00 is left to pay" in too_much.json()["detail"]

    export = ops.call("GET", "/billing/export?start=2026-11-01&end=2026-11-30&layout=xero")
    assert export.status_code == 200
    rows = export.content.decode().splitlines()
    assert (
        rows[0].startswith("ContactName,InvoiceNumber") and len(rows) == 5
    )  # 3 lines + credit note


def _eml() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("reply.eml", EML, content_type="message/rfc822")


def test_bad_months_and_moves_are_problems(ops: Api) -> None:
    bad = ops.call("POST", "/billing/runs", {"month": "October"})
    assert bad.status_code == 422 and "'October' is not a month" in bad.json()["detail"]
    ops.call("POST", "/billing/runs", {"month": MONTH})
    draft = ops.call("GET", f"/invoices?month={MONTH}").json()["items"][0]
    refused = ops.call("POST", f"/invoices/{draft['id']}/finalise", {})
    assert refused.status_code == 409
    assert "it cannot become issued" in refused.json()["detail"]


def test_partnerships_read_invoices_but_do_not_bill(ops: Api) -> None:
    ops.call("POST", "/billing/runs", {"month": MONTH})
    partnerships = Api(Role.PARTNERSHIPS)
    assert partnerships.call("GET", f"/invoices?month={MONTH}").json()["count"] == 3
    assert partnerships.call("POST", "/billing/runs", {"month": MONTH}).status_code == 403
    engineering = Api(Role.ENGINEERING)
    assert engineering.call("GET", "/invoices").status_code == 403


def test_the_confirmation_page_by_link(ops: Api, client: Any) -> None:
    from partnerops.invoicing import services
    from partnerops.invoicing.models import Invoice

    ops.call("POST", "/billing/runs", {"month": MONTH})
    invoice = services.invoice_confirmation_request(
        actor=None, invoice=Invoice.objects.get(organization__name="Coastal Ocean")
    )
    url = f"/confirm-delivery/{token_for(invoice)}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Cloud costs, hub ocean" in page.content
    asked = client.post(url, {"answer": "question", "question": ""})
    assert b"Write your question" in asked.content
    answered = client.post(url, {"answer": "question", "question": "What is this line?"})
    assert b"Your question was sent" in answered.content
    assert client.get(url).status_code == 410
    assert client.get(url[:-3] + "x/").status_code == 410
