"""Satisfaction check-ins: a short survey by signed, single-use, expiring link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnerops.contracts.audit_actions import ContractsAction
from partnerops.contracts.models import CheckIn, CheckInSchedule
from partnerops.contracts.services import add_months
from partnerops.core import audit
from partnerops.core.profile import get_profile
from partnerops.core.signed_links import LinkRefused, make_token, read_token
from partnerops.crm.models import Engagement
from partnerops.crm.states import Phase, Status
from partnerops.outbox.services import email_queue
from partnerops.outbox.templating import render_named

PURPOSE = "check-in"


@transaction.atomic
def check_in_schedule_set(
    *, actor: Any, engagement: Engagement, interval_months: int, next_due_on: dt.date
) -> CheckInSchedule:
    schedule, created = CheckInSchedule.objects.get_or_create(
        engagement=engagement,
        defaults={"interval_months": interval_months, "next_due_on": next_due_on},
    )
    before = (
        {} if created else audit.snapshot(schedule, ("interval_months", "next_due_on", "active"))
    )
    schedule.interval_months, schedule.next_due_on, schedule.active = (
        interval_months,
        next_due_on,
        True,
    )
    schedule.full_clean()
    schedule.save()
    if created:
        audit.record_create(actor=actor, instance=schedule)
    else:
        audit.record_update(actor=actor, instance=schedule, before=before)
    return schedule


def link_for(check_in: CheckIn) -> str:
    return reverse("check-in", args=[make_token(purpose=PURPOSE, object_id=check_in.pk)])


def check_ins_send_due(today: dt.date) -> list[CheckIn]:
    """Send every check-in due by ``today`` to partners in service; schedules move on."""
    sent = []
    due = (
        CheckInSchedule.objects.select_for_update()
        .filter(
            active=True,
            next_due_on__lte=today,
            engagement__phase=Phase.PARTNER,
            engagement__status=Status.ACTIVE_SERVICE,
        )
        .select_related("engagement__organization")
    )
    for schedule in due:
        engagement = schedule.engagement
        contact = (
            engagement.organization.contacts.filter(is_community_representative=True)
            .order_by("id")
            .first()
        )
        check_in, created = CheckIn.objects.get_or_create(
            engagement=engagement, due_on=schedule.next_due_on, defaults={"contact": contact}
        )
        while schedule.next_due_on <= today:
            schedule.next_due_on = add_months(schedule.next_due_on, schedule.interval_months)
        schedule.save(update_fields=["next_due_on"])
        if created and contact is not None:
            _queue_email(check_in)
            sent.append(check_in)
    return sent


def _queue_email(check_in: CheckIn) -> None:
    """Queued in the tick's transaction; the outbox sends it once (and retries)."""

    assert check_in.contact is not None
    profile = get_profile()
    email = render_named(
        "satisfaction-check-in",
        {
            "contact_name": check_in.contact.name,
            "our_name": profile.name,
            "link": f"{settings.SITE_URL}{link_for(check_in)}",
            "link_days": settings.CHECK_IN_LINK_DAYS,
        },
    )
    email_queue(
        key=f"check-in:{check_in.pk}",
        to=[check_in.contact.email],
        from_email=profile.partnerships_email,
        reply_to=[profile.partnerships_email],
        engagement=check_in.engagement,
        subject=email.subject,
        body=email.body,
        html_body=email.html_body,
    )


def open_check_in(token: str) -> CheckIn:
    """The check-in behind a link, or LinkRefused (tampered, expired, or already answered)."""
    check_in_id = read_token(
        token, purpose=PURPOSE, max_age=dt.timedelta(days=settings.CHECK_IN_LINK_DAYS)
    )
    check_in = (
        CheckIn.objects.select_related("engagement__organization").filter(pk=check_in_id).first()
    )
    if check_in is None:
        raise LinkRefused("This link is not valid.")
    if check_in.answered_at is not None:
        raise LinkRefused("This survey has already been answered. Thank you!")
    return check_in


@transaction.atomic
def check_in_answer(*, token: str, score: int, comment: str) -> CheckIn:
    check_in = open_check_in(token)
    # Lock, then check again: two submissions of the same link cannot both count.
    locked = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if locked.answered_at is not None:
        raise LinkRefused("This survey has already been answered. Thank you!")
    if not 0 <= score <= 10:
        raise ValidationError({"score": "Choose a score from 0 to 10."})
    locked.score, locked.comment, locked.answered_at = score, comment.strip(), timezone.now()
    locked.save(update_fields=["score", "comment", "answered_at"])
    audit.record(
        actor=None,
        instance=locked,
        action=ContractsAction.ANSWERED,
        changes={"score": {"old": None, "new": score}},
        message="via signed link",
    )
    return locked


def net_promoter_score(check_ins: Any) -> float | None:
    """NPS = % promoters (9-10) - % detractors (0-6), over answered check-ins."""
    scores = [c.score for c in check_ins if c.score is not None]
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores), 1)
