"""Check-in links, the calendar feed, and the agreement pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from partnerops.contracts import checkins, services
from partnerops.contracts.models import Agreement, AgreementKind, AgreementState, CheckIn
from partnerops.core.roles import Role
from partnerops.crm.states import Phase, Status
from tests.factories import UserFactory, prospect

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def check_in(partnerships_user: Any) -> CheckIn:
    engagement = prospect(partnerships_user)
    return CheckIn.objects.create(
        engagement=engagement, contact=engagement.organization.contacts.get(), due_on=D(2026, 11, 1)
    )


def test_the_survey_link_works_once(check_in: CheckIn) -> None:
    url = checkins.link_for(check_in)
    anonymous = Client()
    assert "How are we doing" in anonymous.get(url).content.decode()
    response = anonymous.post(url, {"score": "9", "comment": "Great support"})
    assert "Thank you" in response.content.decode()
    check_in.refresh_from_db()
    assert (check_in.score, check_in.comment) == (9, "Great support") and check_in.answered_at
    again = anonymous.post(url, {"score": "0"})
    assert again.status_code == 410 and "already been answered" in again.content.decode()
    check_in.refresh_from_db()
    assert check_in.score == 9


def test_tampered_and_expired_links_are_refused(check_in: CheckIn, settings: Any) -> None:
    url = checkins.link_for(check_in)
    tampered = url.replace("eyJpZCI6", "eyJpZCI7")
    response = Client().get(tampered)
    assert response.status_code == 410 and "not valid" in response.content.decode()
    settings.CHECK_IN_LINK_DAYS = 30
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=31)):
        response = Client().get(url)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_scores_must_be_0_to_10(check_in: CheckIn) -> None:
    response = Client().post(checkins.link_for(check_in), {"score": "11"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert (
        checkins.net_promoter_score(
            [CheckIn(score=10), CheckIn(score=9), CheckIn(score=7), CheckIn(score=3)]
        )
        == 25.0
    )


def test_calendar_feed_parses_and_its_address_rotates(
    partnerships_user: Any, partnerships_client: Client
) -> None:
    engagement = prospect(partnerships_user)
    agreement = services.agreement_create(
        actor=partnerships_user,
        engagement=engagement,
        tier=services.current_tier("education"),
        kind=AgreementKind.EMAIL_CONFIRMATION,
        start_on=D(2026, 12, 1),
        auto_renew=True,
        notice_days=60,
    )
    services.agreement_transition(
        actor=partnerships_user, agreement=agreement, state=AgreementState.EXECUTED
    )
    engagement.follow_up_on = D(2026, 12, 15)
    engagement.save()
    page = partnerships_client.get(reverse("contracts:calendar")).content.decode()
    feed_url = page.split('id="feed-url">')[1].split("<")[0]
    response = Client().get(feed_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert events["Agreement ends: Pacific Islands Climate School"].decoded("dtstart") == D(
        2027, 11, 30
    )
    assert events["Notice deadline (auto-renews): Pacific Islands Climate School"].decoded(
        "dtstart"
    ) == D(2027, 10, 1)
    assert events["Follow up: Pacific Islands Climate School"].decoded("dtstart") == D(2026, 12, 15)
    assert all(event.get("uid") and event.get("dtstamp") for event in events.values())
    partnerships_client.post(reverse("contracts:calendar-rotate"))
    assert Client().get(feed_url).status_code == 404


def test_operations_executes_partnerships_prepares(
    partnerships_user: Any, partnerships_client: Client
) -> None:
    engagement = prospect(partnerships_user)
    response = partnerships_client.post(
        reverse("contracts:agreement-create", args=[engagement.pk]),
        {
            "kind": "services_agreement",
            "tier": services.current_tier("research").pk,
            "currency": "USD",
            "billing_period": "monthly",
            "start_on": "2026-12-01",
            "term_months": 12,
            "notice_days": 60,
            "delivery_basis": "contract",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and agreement.price == 1500
    url = reverse("contracts:agreement-transition", args=[agreement.pk])
    for state in ("negotiating", "ready_to_sign"):
        partnerships_client.post(url, {"state": state})
    assert partnerships_client.post(url, {"state": "out_for_signature"}).status_code == 403
    operations = Client()
    operations.force_login(UserFactory(username="olu", roles=[Role.OPERATIONS]))
    operations.post(url, {"state": "out_for_signature"})
    assert operations.post(url, {"state": "negotiating"}).status_code == 403
    response = operations.post(
        url,
        {"state": "executed", "executed_copy": SimpleUploadedFile("signed.pdf", b"%PDF-1.4")},
        follow=True,
    )
    assert "Agreement is now Executed" in response.content.decode()
    engagement.refresh_from_db()
    assert (engagement.phase, engagement.status) == (Phase.PARTNER, Status.NEEDS_ADMIN)
    detail = partnerships_client.get(
        reverse("contracts:agreement-detail", args=[agreement.pk])
    ).content.decode()
    assert "Missing: no confirmation of the tier at its price." in detail


def test_price_book_page_shows_the_seeded_tiers(viewer_client: Client) -> None:
    html = viewer_client.get(reverse("contracts:tier-list")).content.decode()
    assert "USD 1,000.00" in html and "USD 18,000.00" in html and "New tier" not in html
