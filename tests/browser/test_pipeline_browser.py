"""A person signs in, adds an organization and contact, and moves a lead to Prospect on the board."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from partnerops.core.roles import Role
from partnerops.crm.models import Engagement
from partnerops.crm.states import Phase
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _move_on_board(page: Any, organization: str, phase_label: str) -> None:
    card = page.locator("article.kanban-card", has_text=organization)
    card.get_by_label(f"Move {organization} to").select_option(label=phase_label)
    card.get_by_role("button", name="Move").click()
    page.wait_for_load_state("networkidle")


def test_lead_to_prospect_on_the_board(live_server: Any, page: Any) -> None:
    UserFactory(
        username="paula", first_name="Paula", last_name="Partner", roles=[Role.PARTNERSHIPS]
    )
    page.goto(f"{live_server.url}/board/")
    page.get_by_label("Username").fill("paula")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()

    page.get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Great Lakes Data Science Academy")
    page.get_by_label("Country").select_option(label="Canada")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Great Lakes Data Science Academy").wait_for()

    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Name").fill("Ana Chen")
    page.get_by_label("Email").fill("ana.chen@greatlakes.example.edu")
    page.get_by_label("community representative").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("cell", name="ana.chen@greatlakes.example.edu").is_visible()

    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Expected value").fill("12000")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("created as a Lead").wait_for()

    page.get_by_role("link", name="Board").click()
    lead_column = page.locator("section.column[data-phase='lead']")
    assert lead_column.get_by_role("link", name="Great Lakes Data Science Academy").is_visible()
    _move_on_board(page, "Great Lakes Data Science Academy", "Qualified Lead")
    _move_on_board(page, "Great Lakes Data Science Academy", "Prospect")
    prospect_column = page.locator("section.column[data-phase='prospect']")
    assert prospect_column.get_by_role("link", name="Great Lakes Data Science Academy").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)

    prospect_column.get_by_role("link", name="Great Lakes Data Science Academy").click()
    timeline = page.locator("#timeline")
    milestone = timeline.get_by_text(
        "Moved from Qualified Lead / Active Lead to Prospect / Active Lead"
    )
    assert milestone.is_visible()
    assert Engagement.objects.get().phase == Phase.PROSPECT

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "engagement-phone.png"), full_page=True)
