"""Issue 17, item 10, in a real browser: the pages work under the Content-Security-Policy
(the page fixture fails on any refusal): the API's interactive docs, the admin, and
the confirmation asked before removing a contact, now a static script."""

from __future__ import annotations

from typing import Any

import pytest

from partnerops.core.roles import Role
from partnerops.crm import services as crm
from partnerops.crm.models import Contact
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("live_db")]


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Pipeline").wait_for()


def test_docs_admin_and_confirmations_work_under_the_policy(live_server: Any, page: Any) -> None:
    admin = UserFactory(username="ada", roles=[Role.ADMINISTRATOR])
    organization = crm.organization_create(actor=admin, name="Policy Lab")
    crm.contact_create(
        actor=admin, organization=organization, name="Kim", email="kim@policy.example.org"
    )
    _sign_in(page, live_server.url, "ada")

    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock").first.wait_for()  # Swagger UI rendered the operations
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("heading", name="Site administration").wait_for()

    page.goto(f"{live_server.url}/organizations/{organization.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Remove").click()
    page.wait_for_timeout(300)
    assert Contact.objects.filter(name="Kim").exists()  # dismissed: nothing removed
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove").click()
    page.wait_for_load_state("networkidle")
    assert not Contact.objects.filter(name="Kim").exists()
