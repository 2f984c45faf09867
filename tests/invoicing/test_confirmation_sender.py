"""Issue 17, items 7 and 8: a confirming .eml is read with care and its sender checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnerops.invoicing import services
from partnerops.invoicing.models import Invoice, InvoiceState
from tests.invoicing.test_services import EML

pytestmark = pytest.mark.django_db

STRANGER = EML.replace(b"From: Rep <rep@coastal.example.edu>", b"From: Mallory <m@evil.example>")


def test_an_email_from_a_stranger_needs_confirmation(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    invoice = drafts["coastal"]
    with pytest.raises(
        ValidationError, match=r"from Mallory <m@evil.example>, who is not Coastal Ocean's"
    ):
        services.invoice_email_confirmation_record(actor=operations_user, invoice=invoice, file_name="x.eml",
                                           content=STRANGER)  # fmt: skip
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.DRAFT
    confirmed = services.invoice_email_confirmation_record(actor=operations_user, invoice=invoice, file_name="x.eml",
                                                   content=STRANGER, sender_confirmed=True)  # fmt: skip
    assert (
        confirmed.state == InvoiceState.CONFIRMED
        and confirmed.confirmed_by == "Mallory <m@evil.example>"
    )


def test_the_page_shows_the_sender_and_asks(
    drafts: dict[str, Invoice], operations_user: Any
) -> None:
    client = Client()
    client.force_login(operations_user)
    url = reverse("invoicing:invoice-record-confirmation", args=[drafts["coastal"].pk])
    html = client.post(url, {"email_file": SimpleUploadedFile("x.eml", STRANGER)}).content.decode()
    assert "Mallory &lt;m@evil.example&gt;" in html and "rep@coastal.example.edu" in html
    response = client.post(
        url, {"email_file": SimpleUploadedFile("x.eml", STRANGER), "sender_confirmed": "on"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EML.replace(b"Tue, 03 Nov 2026 10:00:00 +0000", b"next tuesday"), "Its Date header is not a date"),
        (b"From: a@b.org\r\nDate: Tue, 03 Nov 2026 10:00:00 +0000\r\n"
         + b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i) for i in range(2000)),
         "nests more than 100 multipart parts"),
    ],
)  # fmt: skip
def test_a_bad_email_is_a_clear_error_on_the_page_and_api(
    drafts: dict[str, Invoice], operations_user: Any, content: bytes, message: str
) -> None:
    from partnerops.core.roles import Role
    from tests.api.client import Api

    invoice = drafts["coastal"]
    with pytest.raises(ValidationError, match=message):
        services.invoice_email_confirmation_record(
            actor=operations_user, invoice=invoice, file_name="x.eml", content=content
        )
    ops = Api(Role.OPERATIONS)
    response = ops.client.post(f"/api/v1/invoices/{invoice.pk}/email-confirmation",
                               {"email_file": SimpleUploadedFile("x.eml", content)},
                               HTTP_AUTHORIZATION=f"Bearer {ops.token}")  # fmt: skip
    assert response.status_code == 422 and message in response.json()["detail"]
    assert Invoice.objects.get(pk=invoice.pk).state == InvoiceState.DRAFT


def test_an_email_over_the_size_limit_is_refused(
    drafts: dict[str, Invoice], operations_user: Any, settings: Any
) -> None:
    settings.EMAIL_UPLOAD_MAX_BYTES = 100
    client = Client()
    client.force_login(operations_user)
    url = reverse("invoicing:invoice-record-confirmation", args=[drafts["coastal"].pk])
    html = client.post(url, {"email_file": SimpleUploadedFile("big.eml", EML)}).content.decode()
    assert "big.eml: larger than the limit for uploads (100 bytes)." in html
