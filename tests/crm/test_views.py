"""Pipeline pages: what people see and submit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerops.crm import services
from partnerops.crm.models import Contact, Engagement, Organization
from partnerops.crm.states import Phase, Status
from tests.factories import EngagementFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(partnerships_user: Any) -> Engagement:
    organization = services.organization_create(
        actor=partnerships_user, name="Andes Climate Observatory"
    )
    return services.engagement_create(
        actor=partnerships_user, organization=organization, owner=partnerships_user
    )


def test_board_shows_each_phase_with_its_cards(
    partnerships_client: Client, lead: Engagement
) -> None:
    response = partnerships_client.get(reverse("crm:board"))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Lead", "Qualified Lead", "Prospect", "Partner", "Closed"):
        assert f'>{label} <span class="count">' in html
    assert "Andes Climate Observatory" in html
    assert 'name="phase"' in html  # the card's quick move


def test_board_move_uses_the_service_and_its_rules(
    partnerships_client: Client, lead: Engagement
) -> None:
    url = reverse("crm:board-move", args=[lead.pk])
    response = partnerships_client.post(url, {"phase": Phase.QUALIFIED_LEAD}, follow=True)
    lead.refresh_from_db()
    assert lead.phase == Phase.QUALIFIED_LEAD
    assert "moved to Qualified Lead" in response.content.decode()
    response = partnerships_client.post(url, {"phase": Phase.PARTNER}, follow=True)
    lead.refresh_from_db()
    assert lead.phase == Phase.QUALIFIED_LEAD
    assert (
        "Cannot move from Qualified Lead / Active Lead to Partner / Needs Admin"
        in response.content.decode()
    )


def test_viewer_sees_the_board_without_move_controls(
    viewer_client: Client, lead: Engagement
) -> None:
    html = viewer_client.get(reverse("crm:board")).content.decode()
    assert "Andes Climate Observatory" in html
    assert 'name="phase"' not in html
    assert (
        viewer_client.post(
            reverse("crm:board-move", args=[lead.pk]), {"phase": "qualified_lead"}
        ).status_code
        == 403
    )
    lead.refresh_from_db()
    assert lead.phase == Phase.LEAD


def test_move_form_back_dates_and_explains_what_is_missing(
    partnerships_client: Client, lead: Engagement
) -> None:
    url = reverse("crm:engagement-move", args=[lead.pk])
    response = partnerships_client.post(url, {"target": "lead:waiting"})
    assert response.status_code == 200
    assert "Waiting needs a follow-up date" in response.content.decode()
    response = partnerships_client.post(url, {"target": "closed:inactive_service"})
    assert "Select a valid choice" in response.content.decode()
    when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    lead.milestones.update(occurred_at=timezone.now() - dt.timedelta(days=1))
    response = partnerships_client.post(
        url, {"target": "qualified_lead:active_lead", "occurred_at": when}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert timezone.localtime(lead.phase_since).strftime("%Y-%m-%dT%H:%M") == when


def test_forms_show_clear_validation_messages(partnerships_client: Client) -> None:
    response = partnerships_client.post(
        reverse("crm:organization-create"), {"name": "", "kind": "community"}
    )
    assert "This field is required." in response.content.decode()
    OrganizationFactory(name="Sahel Remote Sensing")
    response = partnerships_client.post(
        reverse("crm:organization-create"), {"name": "SAHEL remote sensing", "kind": "community"}
    )
    assert "An organization with this name already exists." in response.content.decode()
    organization = Organization.objects.get()
    response = partnerships_client.post(
        reverse("crm:engagement-create"),
        {"organization": organization.pk, "probability": 150, "currency": "usd"},
    )
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 100." in html
    assert "three-letter ISO 4217 code" in html


def test_contact_forms_refuse_a_second_contact_with_the_same_email(
    partnerships_client: Client, lead: Engagement
) -> None:
    url = reverse("crm:contact-create", args=[lead.organization_id])
    assert (
        partnerships_client.post(
            url, {"name": "Ana", "email": "ana@andes.org", "is_billing_contact": "on"}
        ).status_code
        == 302
    )
    response = partnerships_client.post(url, {"name": "Ana Again", "email": "ANA@andes.org"})
    assert "already has a contact with the email" in response.content.decode()
    contact = Contact.objects.get()
    assert contact.is_billing_contact and contact.roles == ["billing contact"]


def test_running_notes_render_markdown_without_scripts(
    partnerships_client: Client, lead: Engagement
) -> None:
    body = "**Agreed** next steps\n\n<script>alert('x')</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    response = partnerships_client.post(
        reverse("crm:timeline-add", args=[lead.pk]),
        {"kind": "meeting", "title": "Intro meeting", "body": body},
    )
    assert response.status_code == 302
    html = partnerships_client.get(
        reverse("crm:engagement-detail", args=[lead.pk])
    ).content.decode()
    assert "<strong>Agreed</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html  # shown as text, never as a tag with its handler
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_qualify_page_shows_maniac_t_side_by_side_and_qualifies(
    partnerships_client: Client, lead: Engagement
) -> None:
    url = reverse("crm:engagement-qualify", args=[lead.pk])
    html = partnerships_client.get(url).content.decode()
    for label in (
        "Money",
        "Authority",
        "Need",
        "Impending event",
        "Application",
        "Competition",
        "Timeline",
    ):
        assert f"<legend>{label}</legend>" in html
    data = {
        f"{c}_assessment": "adequate"
        for c in (
            "money",
            "authority",
            "need",
            "impending_event",
            "application",
            "competition",
            "timeline",
        )
    }
    data.update(money_evidence="Grant of $20k", qualify="1")
    assert partnerships_client.post(url, data).status_code == 302
    lead.refresh_from_db()
    assert lead.phase == Phase.QUALIFIED_LEAD
    milestone = lead.milestones.order_by("-id").first()
    assert milestone is not None and milestone.qualification is not None
    assert milestone.qualification["money"] == {
        "assessment": "adequate",
        "evidence": "Grant of $20k",
    }


def test_list_searches_filters_and_sorts(
    partnerships_client: Client, partnerships_user: Any
) -> None:
    for name, phase, value in (
        ("Alpha Lab", Phase.LEAD, 100),
        ("Beta Lab", Phase.PROSPECT, 300),
        ("Gamma School", Phase.PROSPECT, 200),
    ):
        EngagementFactory(
            organization=OrganizationFactory(name=name), phase=phase, expected_value=value
        )
    url = reverse("crm:engagement-list")
    html = partnerships_client.get(url, {"q": "lab"}).content.decode()
    assert "Alpha Lab" in html and "Beta Lab" in html and "Gamma School" not in html
    html = partnerships_client.get(url, {"phase": "prospect", "sort": "-value"}).content.decode()
    assert "Alpha Lab" not in html
    assert html.index("Beta Lab") < html.index("Gamma School")
    html = partnerships_client.get(url, {"phase": "prospect", "sort": "value"}).content.decode()
    assert html.index("Gamma School") < html.index("Beta Lab")


def test_list_filters_live_with_htmx_returning_only_the_rows(partnerships_client: Client) -> None:
    EngagementFactory(organization=OrganizationFactory(name="Delta Lab"))
    EngagementFactory(organization=OrganizationFactory(name="Epsilon School"))
    url = reverse("crm:engagement-list")
    assert 'hx-target="#engagement-rows"' in partnerships_client.get(url).content.decode()
    partial = partnerships_client.get(url, {"q": "delta"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "Delta Lab" in partial and "Epsilon School" not in partial


def _many_engagements(count: int, batch: str) -> None:
    """``count`` engagements over 200 new organizations and every phase, inserted in bulk."""
    owner = get_user_model().objects.first()
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bulk Community {batch}-{i}") for i in range(200)]
    )
    phases = list(Phase)
    now = timezone.now()
    Engagement.objects.bulk_create(
        [
            Engagement(
                organization=organizations[i % 200],
                title=f"Hub {i}",
                phase=phases[i % 5],
                status=Status.INACTIVE_LEAD
                if phases[i % 5] == Phase.CLOSED
                else Status.ACTIVE_LEAD,
                close_reason="Bulk" if phases[i % 5] == Phase.CLOSED else "",
                owner=owner,
                expected_value=i,
                phase_since=now - dt.timedelta(days=i % 400),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )


@pytest.mark.parametrize("name", ["crm:board", "crm:engagement-list"])
def test_board_and_list_run_a_constant_number_of_queries(
    name: str, partnerships_client: Client, django_assert_max_num_queries: Any
) -> None:
    # Session, user, roles, then the page's own: totals and five columns, or count and page.
    bound = 12
    url = reverse(name)
    _many_engagements(100, batch="small")
    with django_assert_max_num_queries(bound) as small:
        assert partnerships_client.get(url).status_code == 200
    _many_engagements(9_900, batch="large")
    assert Engagement.objects.count() == 10_000
    with django_assert_max_num_queries(bound) as large:
        response = partnerships_client.get(url, {"sort": "-value"})
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_date_inputs_are_prefilled_in_iso_format(partnerships_client: Client) -> None:
    html = partnerships_client.get(reverse("crm:engagement-create")).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="first_touch_on" value="{today}"' in html
