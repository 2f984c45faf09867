"""The itemised cloud cost statement with each invoice (issue 15): its totals are the
invoice's cloud lines to the cent, it explains a shared cluster's split, and the
community sees it where it confirms and receives the invoice."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from partnerops.contracts.models import Agreement
from partnerops.costs.statement import service_kind
from partnerops.invoicing.models import Invoice, LineKind
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.statement import hub_statements, statement_csv, statement_pdf
from partnerops.outbox.models import OutboundEmail
from tests.invoicing.conftest import MONTH, token_for

pytestmark = pytest.mark.django_db
D = Decimal


def assert_statements_match_the_lines(invoice: Invoice) -> None:
    """Each cloud line's statement adds up to the line, by kind and by row, and so does
    the CSV; a cloud line without a statement is a defect."""
    cloud = list(invoice.lines.filter(kind=LineKind.CLOUD_COSTS).order_by("position"))
    statements = hub_statements(invoice)
    assert [item.line.pk for item in statements] == [line.pk for line in cloud]
    for item in statements:
        assert item.total == item.line.amount
        assert sum(D(kind["amount"]) for kind in item.details["kinds"]) == item.line.amount
        assert sum(D(row["amount"]) for row in item.details["rows"]) == item.line.amount
    rows = list(csv.DictReader(io.StringIO(statement_csv(invoice).decode())))
    assert sum((D(row["amount"]) for row in rows), D(0)) == sum(
        (line.amount for line in cloud), D(0)
    )


def test_service_kinds_across_the_clouds() -> None:
    assert [service_kind(name) for name in (
        "Compute Engine", "AmazonEC2", "Virtual Machines", "Cloud Storage", "AmazonS3",
        "Networking", "AWS Data Transfer", "Kubernetes Engine", "AmazonEKS", "Cloud Logging",
    )] == ["Compute", "Compute", "Compute", "Storage", "Storage", "Networking", "Networking",
           "Kubernetes", "Kubernetes", "Other"]  # fmt: skip


def test_every_invoice_of_the_month_has_a_statement_equal_to_its_cloud_lines(
    world: dict[str, Agreement],
) -> None:
    billing_run(actor=None, month=MONTH)
    invoices = list(Invoice.objects.filter(month=MONTH))
    assert len(invoices) == 3
    for invoice in invoices:
        assert_statements_match_the_lines(invoice)
    solo = Invoice.objects.get(organization__name="Solo Institute")
    (item,) = hub_statements(solo)
    assert item.details["rows"][0]["rule"] == "dedicated account"
    assert "The hub's own cloud account" in " ".join(item.explanation())
    assert statement_pdf(solo).startswith(b"%PDF")


def test_the_community_sees_it_where_it_confirms_and_receives_the_invoice(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    from partnerops.invoicing import services

    billing_run(actor=None, month=MONTH)
    invoice = Invoice.objects.get(organization__name="Coastal Ocean")
    invoice = services.invoice_confirmation_request(actor=partnerships_user, invoice=invoice)
    token = token_for(invoice)
    page = Client().get(f"/confirm-delivery/{token}/").content.decode()
    assert "itemised cloud cost statement" in page
    pdf = Client().get(f"/confirm-delivery/{token}/statement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rows = Client().get(f"/confirm-delivery/{token}/statement.csv").content.decode()
    assert "ocean" in rows and "123.46" in rows
    assert Client().get("/confirm-delivery/not-a-token/statement.pdf").status_code == 410
    services.invoice_delivery_confirm(token=token)
    issued = services.invoice_finalise(actor=partnerships_user, invoice=invoice)
    email = OutboundEmail.objects.get(key=f"invoice-issued:{issued.pk}:{issued.number}")
    names = sorted(email.attachments.values_list("filename", flat=True))
    assert names == [
        f"cloud-statement-{issued.number}.csv",
        f"cloud-statement-{issued.number}.pdf",
        f"invoice-{issued.number}.pdf",
    ]
    # The statement of an issued invoice is frozen with its lines.
    assert_statements_match_the_lines(issued)


def test_the_invoice_page_and_the_api_link_it(
    world: dict[str, Agreement], partnerships_user: Any
) -> None:
    from partnerops.core.roles import Role
    from tests.api.client import Api

    billing_run(actor=None, month=MONTH)
    invoice = Invoice.objects.get(organization__name="Coastal Ocean")
    client = Client()
    client.force_login(partnerships_user)
    page = client.get(f"/invoices/{invoice.pk}/").content.decode()
    assert f"/invoices/{invoice.pk}/statement.pdf" in page
    api = Api(Role.OPERATIONS)
    response = api.call("GET", f"/invoices/{invoice.pk}/statement?format=csv")
    assert response.status_code == 200 and b"Compute" in response.content
    assert api.call("GET", f"/invoices/{invoice.pk}/statement?format=xls").status_code == 422
