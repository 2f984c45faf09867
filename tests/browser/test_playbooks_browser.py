"""A person runs Hail the Lead and Send draft contract on an engagement, then downloads
the generated services agreement and reads it back."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from docx import Document as Docx

from partnerops.core.roles import Role
from partnerops.outbox.models import EmailStatus, OutboundEmail
from tests.factories import TEST_PASSWORD, UserFactory, prospect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]


def _start(page: Any, base: str, engagement_id: int, playbook: str) -> None:
    page.goto(f"{base}/engagements/{engagement_id}/")
    page.locator("#id_playbook").select_option(label=playbook)
    page.locator("#start-playbook").click()
    # Nothing is sent before the person has seen it.
    page.get_by_role("heading", name=f"{playbook}: before it starts").wait_for()
    page.locator("#run-playbook").click()
    page.get_by_role("heading", name=playbook, exact=True).wait_for()


def test_hail_the_lead_then_send_draft_contract(live_server: Any, page: Any) -> None:
    from tests.invoicing.conftest import ensure_price_book

    ensure_price_book()
    _restore_playbooks()
    paula = UserFactory(username="paula", roles=[Role.PARTNERSHIPS])
    engagement = prospect(paula, "Wildfire Smoke Forecasting Lab")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()

    page.goto(
        f"{live_server.url}/engagements/{engagement.pk}/playbooks/start/?playbook=hail-the-lead"
    )
    assert "Thank you for your interest in Example Hubs" in page.content()
    assert not OutboundEmail.objects.exists()
    _start(page, live_server.url, engagement.pk, "Hail the Lead")
    assert page.locator("#run-state").inner_text() == "Done"
    assert "Done" in page.locator("#step-1").inner_text()
    hail = OutboundEmail.objects.get(subject__startswith="Thank you for your interest")
    assert hail.status == EmailStatus.SENT and hail.cc == ["partnerships@example.org"]

    _start(page, live_server.url, engagement.pk, "Send draft contract")
    assert page.locator("#run-state").inner_text() == "Done"
    with page.expect_download() as download_info:
        page.locator("#step-1").get_by_role("link", name="Download the document").click()
    download = download_info.value
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert download.suggested_filename.endswith(f"Services Agreement {today} v1.docx")
    text = "\n".join(p.text for p in Docx(download.path()).paragraphs)
    assert "Wildfire Smoke Forecasting Lab" in text and today in text

    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    timeline = page.locator("#timeline").inner_text()
    assert f"{today}: Sent (Draft) Service Agreement" in timeline
    assert "Send draft contract: finished" in timeline


def _restore_playbooks() -> None:
    """The seeded playbooks and templates; a live-server test's database is emptied between
    tests, the migrations' data with it."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # The seeds run against the models as those migrations saw them (the email templates
    # were playbooks' then; the table is the same).
    state = MigrationLoader(connection).project_state(
        ("playbooks", "0007_document_links_withdrawn_at")
    )
    for name in ("0003_default_email_templates", "0005_default_playbooks"):
        importlib.import_module(f"partnerops.playbooks.migrations.{name}").seed(state.apps, None)
