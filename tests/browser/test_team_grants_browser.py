"""Operations adds a role and a person and sees delivery capacity change; the
partnerships lead moves a grant to awarded and adds its report."""

from __future__ import annotations

from typing import Any

import pytest

from partnerops.core.roles import Role
from partnerops.crm import services as crm
from partnerops.grants import services as grants
from tests.browser.test_usage_browser import sign_in
from tests.factories import UserFactory
from tests.invoicing.conftest import ensure_price_book

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]


def test_a_new_engineer_raises_capacity(live_server: Any, page: Any) -> None:
    ensure_price_book()  # a live-server test's database starts empty
    UserFactory(username="olga", roles=[Role.OPERATIONS])
    sign_in(page, live_server.url, "olga")
    page.goto(f"{live_server.url}/team/capacity/?month=2026-10")
    assert "Engineering FTE available\n0" in page.locator("#capacity").inner_text().replace(
        "\t", "\n"
    )
    page.get_by_role("link", name="Team").first.click()
    page.get_by_role("link", name="New role").click()
    page.get_by_label("Name").fill("Open Source Infrastructure Engineer")
    page.get_by_label("Survey median").fill("121600")
    page.get_by_label("Engineering").check()
    page.get_by_role("button", name="Save").click()
    page.locator(".message", has_text="Role Open Source Infrastructure Engineer added").wait_for()
    page.get_by_role("link", name="New pay scale").click()
    page.get_by_label("Effective from").fill("2022-01-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="New person").click()
    page.get_by_label("Name").fill("Georgiana")
    page.get_by_role("button", name="Save").click()
    page.get_by_label("Role").select_option(label="Open Source Infrastructure Engineer")
    page.get_by_label("Level").fill("2")
    page.get_by_label("FTE").fill("0.5")
    page.get_by_label("Start on").fill("2026-01-01")
    page.get_by_role("button", name="Save").click()
    page.locator(
        ".message", has_text="Open Source Infrastructure Engineer L2 from 2026-01-01"
    ).wait_for()
    row = page.locator("#assignments tbody tr", has_text="Georgiana")
    assert "133,760.00" in row.inner_text()  # 121,600 x 1.1, shown to Operations
    page.goto(f"{live_server.url}/team/capacity/?month=2026-10")
    capacity = page.locator("#capacity").inner_text()
    assert "0.5" in capacity and "USD 6,966.67" in capacity  # 167,200 / 12 x 0.5
    assert "7.00" in page.locator("#tiers").inner_text()  # research: 0.5 x 14 hubs


def test_a_grant_moves_to_awarded_and_gets_its_report(live_server: Any, page: Any) -> None:
    lead = UserFactory(username="paula", roles=[Role.PARTNERSHIPS])
    funder = crm.organization_create(actor=lead, name="Moore Foundation", kind="funder")
    grant = grants.grant_create(
        actor=lead, funder=funder, title="Hubs for geoscience", amount_requested=250000
    )
    for state in ("drafting", "submitted"):
        grant = grants.grant_move(actor=lead, grant=grant, state=state, on=grant.found_on)
    sign_in(page, live_server.url, "paula")
    page.get_by_role("link", name="Grants").first.click()
    page.get_by_role("link", name="Hubs for geoscience").click()
    page.get_by_label("Move to").select_option(label="Awarded")
    page.get_by_role("button", name="Move").click()
    page.locator(".message", has_text="says how much was awarded").wait_for()
    page.get_by_label("Move to").select_option(label="Awarded")
    page.get_by_label("Amount awarded").fill("200000")
    page.get_by_role("button", name="Move").click()
    page.locator(".message", has_text="Hubs for geoscience is Awarded").wait_for()
    assert page.locator("#grant-state").inner_text() == "Awarded"
    page.get_by_label("Kind").select_option(label="Narrative report")
    page.get_by_label("Title").fill("Year 1 report")
    page.get_by_label("Due on").fill("2027-06-30")
    page.get_by_role("button", name="Add").click()
    page.locator(".message", has_text="Narrative report: Year 1 report").wait_for()
    assert "Year 1 report" in page.locator("#obligations").inner_text()
