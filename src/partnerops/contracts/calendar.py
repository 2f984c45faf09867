"""The iCalendar feed (RFC 5545) of agreement ends, renewal deadlines and follow-ups."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from partnerops.contracts.audit_actions import ContractsAction
from partnerops.contracts.models import Agreement, CalendarFeed
from partnerops.contracts.selectors import IN_FORCE
from partnerops.core import audit
from partnerops.core.profile import get_profile
from partnerops.crm.models import Engagement


def feed_for(user: Any) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def feed_rotate(*, actor: Any) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(actor)
    feed.token, feed.rotated_at = secrets.token_urlsafe(32), timezone.now()
    feed.save()
    audit.record(actor=actor, instance=feed, action=ContractsAction.ROTATE)
    return feed


def _event(
    uid: str, day: dt.date, summary: str, description: str, url: str, stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@partnerops")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", f"{settings.SITE_URL}{url}")
    event.add("transp", "TRANSPARENT")
    return event


def build_feed(user: Any) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//PartnerOps//Renewals and follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{get_profile().name} partnerships")
    stamp = timezone.now()
    agreements = Agreement.objects.filter(state__in=IN_FORCE).select_related(
        "engagement__organization", "tier"
    )
    for agreement in agreements:
        name = agreement.engagement.organization.name
        url = reverse("contracts:agreement-detail", args=[agreement.pk])
        calendar.add_component(
            _event(
                f"agreement-{agreement.pk}-end",
                agreement.end_on,
                f"Agreement ends: {name}",
                f"{agreement.tier.name}, {agreement.currency} {agreement.price} {agreement.get_billing_period_display().lower()}.",
                url,
                stamp,
            )
        )
        deadline = agreement.end_on - dt.timedelta(
            days=agreement.notice_days if agreement.auto_renew else settings.RENEWAL_WINDOW_DAYS
        )
        what = "Notice deadline (auto-renews)" if agreement.auto_renew else "Start renewal"
        calendar.add_component(
            _event(
                f"agreement-{agreement.pk}-renewal",
                deadline,
                f"{what}: {name}",
                f"Ends {agreement.end_on:%Y-%m-%d}.",
                url,
                stamp,
            )
        )
    follow_ups = (
        Engagement.objects.filter(follow_up_on__isnull=False)
        .exclude(phase="closed")
        .select_related("organization")
    )
    for engagement in follow_ups:
        assert engagement.follow_up_on is not None
        calendar.add_component(
            _event(
                f"engagement-{engagement.pk}-follow-up",
                engagement.follow_up_on,
                f"Follow up: {engagement.organization.name}",
                f"{engagement.get_phase_display()} / {engagement.get_status_display()}.",
                reverse("crm:engagement-detail", args=[engagement.pk]),
                stamp,
            )
        )
    return calendar.to_ical()
