"""A person prices a tier, makes and executes an agreement, adds its hub; tick starts the service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from partnerops.contracts.models import Agreement, AgreementState
from partnerops.core.roles import Role
from partnerops.crm.states import Status
from tests.factories import TEST_PASSWORD, UserFactory, prospect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()


def _move_agreement(page: Any, label: str, *, upload: Path | None = None) -> None:
    page.locator("#id_state").select_option(label=label)
    if upload:
        page.locator("input[name=executed_copy]").set_input_files(str(upload))
    page.get_by_role("button", name="Move", exact=True).click()
    page.get_by_text(f"Agreement is now {label}").wait_for()


def test_tier_agreement_hub_and_tick(live_server: Any, page: Any, tmp_path: Path) -> None:
    admin = UserFactory(username="ada", roles=[Role.ADMINISTRATOR])
    engagement = prospect(admin, name="Wildfire Smoke Forecasting Lab")
    _sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/tiers/")
    page.get_by_role("link", name="New tier").click()
    page.get_by_label("Code").fill("research-plus")
    page.get_by_label("Name").fill("Research Plus")
    page.get_by_label("Kind").select_option(label="Research")
    page.get_by_label("Effective from").fill("2026-01-01")
    page.get_by_label("Monthly fee").fill("2000.00")
    page.get_by_label("Annual fee").fill("24000.00")
    page.get_by_label("Engineer fte per hub").fill("0.1")
    page.get_by_label("Hubs per engineer").fill("10")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Tier added to the price book").wait_for()

    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    page.get_by_role("link", name="New agreement").click()
    page.get_by_label("Kind").select_option(label="Services agreement (contract)")
    page.get_by_label("Tier").select_option(label="Research Plus v1 (USD 2000.00/month)")
    page.get_by_label("Start on").fill("2026-12-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Draft agreement created").wait_for()

    signed = tmp_path / "signed.pdf"
    signed.write_bytes(b"%PDF-1.4 signed by all parties")
    for label in ("Negotiating", "Ready to sign", "Out for signature"):
        _move_agreement(page, label)
    _move_agreement(page, "Executed", upload=signed)
    assert page.locator("#agreement-state").inner_text() == "Executed"

    page.get_by_role("link", name="Add hub").click()
    page.get_by_label("Name").fill("wildfire")
    page.get_by_label("Cluster").fill("2i2c-shared")
    page.get_by_label("Provider").select_option(label="Google Cloud")
    page.get_by_label("Cost labels").fill("k8s-namespace=wildfire")
    page.get_by_label("Service start on").fill("2026-12-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Hub wildfire added to the Active Hubs table").wait_for()

    page.goto(f"{live_server.url}/engagements/{engagement.pk}/")
    assert page.locator(".badge.status-needs_admin").first.is_visible()
    call_command("tick", today="2026-12-02")  # the clock moves past the start date
    page.reload()
    assert page.locator(".badge.status-active_service").first.inner_text() == "Active Service"
    agreement = Agreement.objects.get()
    engagement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE and engagement.status == Status.ACTIVE_SERVICE
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "engagement-active-service.png"), full_page=True)
