"""Operations runs a month; the community confirms by its link; the invoice is issued and
its PDF downloaded and read back."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from partnerops.core.roles import Role
from partnerops.outbox.models import OutboundEmail
from tests.factories import TEST_PASSWORD, UserFactory
from tests.invoicing.conftest import MONTH, add_costs, make_community

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]


def test_run_confirm_issue_and_download(live_server: Any, page: Any, browser: Any) -> None:
    olga = UserFactory(username="olga", roles=[Role.OPERATIONS])
    paula = UserFactory(username="paula", roles=[Role.PARTNERSHIPS])
    make_community(paula, "Coastal Ocean", hub="ocean")
    add_costs(MONTH, {"ocean": "123.456"})

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(olga.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()

    page.goto(f"{live_server.url}/billing/?month={MONTH}")
    # Before the run, the hub's cloud cost is listed as not billed, with why.
    assert "not billed yet" in page.locator("#not-billed").inner_text()
    page.get_by_role("button", name=f"Run billing for {MONTH}").click()
    page.locator(".message", has_text=f"{MONTH}: 1 drafted").wait_for()
    assert "Every cloud cost attributed to a hub" in page.locator("#not-billed").inner_text()
    row = page.locator("#invoices tbody tr", has_text="Coastal Ocean")
    assert "USD 1,623.46" in row.inner_text()
    page.get_by_role("button", name=re.compile("Ask for confirmations")).click()
    page.locator(".message", has_text="1 confirmation requests sent").wait_for()

    # The community representative opens the link from the email, without signing in.
    email = OutboundEmail.objects.get(key__startswith="invoice-confirmation:")
    link = re.search(r"https?://\S+/confirm-delivery/\S+/", email.body)
    assert link is not None
    path = link.group(0).split("/confirm-delivery/", 1)[1]
    community = browser.new_context().new_page()
    community.goto(f"{live_server.url}/confirm-delivery/{path}")
    assert "Cloud costs, hub ocean" in community.locator("#lines").inner_text()
    # What is behind the cloud line, before confirming it.
    with community.expect_download() as statement_info:
        community.get_by_role("link", name="itemised cloud cost statement").click()
    statement = _pdf_text(statement_info.value.path())
    assert "Cloud cost statement" in statement and "123.46" in statement
    community.get_by_role("button", name="Yes, the service was delivered as expected").click()
    community.get_by_text("You confirmed the service for 2026-10").wait_for()
    community.goto(f"{live_server.url}/confirm-delivery/{path}")
    assert "already been answered" in community.locator("#reason").inner_text()
    community.context.close()

    page.goto(f"{live_server.url}/billing/?month={MONTH}")
    page.get_by_role("button", name="Issue confirmed (1)").click()
    page.locator(".message", has_text="1 invoices issued and sent.").wait_for()
    page.get_by_role("link", name="Coastal Ocean").click()
    assert page.locator("#invoice-state").inner_text() == "Issued"
    page.get_by_role("heading", name=re.compile(r"Invoice \d{4}-0001")).wait_for()
    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    content = open(download.path(), "rb").read()  # noqa: SIM115 - read once, closed at exit
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Coastal Ocean" in text and "USD 1623.46" in text
    assert re.search(r"Invoice \d{4}-0001", text)
    assert "cloud cost statement" in text
    with page.expect_download() as statement_info:
        page.locator("#download-statement").click()
    assert "Compute" in _pdf_text(statement_info.value.path())


def _pdf_text(path: Any) -> str:
    with open(path, "rb") as handle:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
