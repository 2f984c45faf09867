"""`partnerops tick`: time-driven changes, each done once however often tick runs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from partnerops.contracts import checkins, services
from partnerops.contracts.models import (
    AgreementKind,
    AgreementState,
    CheckIn,
    CheckInSchedule,
    EndReason,
)
from partnerops.crm.states import Phase, Status
from partnerops.hubs import services as hubs
from partnerops.hubs.models import HubState
from partnerops.outbox.models import Notification
from partnerops.tick import run
from tests.factories import prospect

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def executed(partnerships_user: Any) -> Any:
    """An email-confirmed Education agreement, Dec 2026 to Nov 2027, with a hub starting Dec 1."""
    # Made on the day it was executed (09:00, as dated moves are): the milestones stay in
    # order whatever the real date the suite runs on.
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        engagement = prospect(partnerships_user)
        agreement = services.agreement_create(
            actor=partnerships_user,
            engagement=engagement,
            tier=services.current_tier("education"),
            kind=AgreementKind.EMAIL_CONFIRMATION,
            start_on=D(2026, 12, 1),
        )
        services.agreement_transition(
            actor=partnerships_user,
            agreement=agreement,
            state=AgreementState.EXECUTED,
            on=D(2026, 11, 10),
        )
        hubs.hub_create(
            actor=partnerships_user,
            name="pacific",
            community=engagement.organization,
            agreement=agreement,
            cluster="shared-gke",
            provider="gcp",
            cost_labels={"k8s-namespace": "pacific"},
            service_start_on=D(2026, 12, 1),
        )
        return agreement


def _run_twice(today: dt.date) -> Any:
    with time_machine.travel(dt.datetime.combine(today, dt.time(6, 0), tzinfo=dt.UTC), tick=False):
        first = run(today)
        second = run(today)
    return first, second


def test_the_start_date_activates_the_agreement_and_the_service(executed: Any) -> None:
    before, _ = _run_twice(D(2026, 11, 30))
    assert before.activated == [] and before.active_service == []
    first, second = _run_twice(D(2026, 12, 1))
    assert first.activated == [f"#{executed.pk}"]
    assert first.active_service == ["Pacific Islands Climate School"]
    assert second.activated == [] and second.active_service == []
    executed.refresh_from_db()
    engagement = executed.engagement
    engagement.refresh_from_db()
    assert executed.state == AgreementState.ACTIVE
    assert (engagement.phase, engagement.status) == (Phase.PARTNER, Status.ACTIVE_SERVICE)
    milestone = engagement.milestones.order_by("-id").first()
    assert milestone.actor is None and "Service start date reached" in milestone.note


def test_a_late_tick_dates_the_service_start_when_it_happened(executed: Any) -> None:
    first, _ = _run_twice(D(2026, 12, 5))
    assert first.active_service == ["Pacific Islands Climate School"]
    milestone = executed.engagement.milestones.order_by("-id").first()
    assert milestone.occurred_at == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_inactive_service_once_the_agreement_ended_and_no_hub_runs(
    executed: Any, partnerships_user: Any
) -> None:
    _run_twice(D(2026, 12, 1))
    hub = executed.hubs.get()
    hubs.hub_transition(actor=partnerships_user, hub=hub, state=HubState.DEPLOYING)
    hubs.hub_transition(actor=partnerships_user, hub=hub, state=HubState.RUNNING)
    services.agreement_transition(
        actor=partnerships_user,
        agreement=executed,
        state=AgreementState.ENDED,
        end_reason=EndReason.TERMINATED,
    )
    first, _ = _run_twice(D(2027, 2, 1))
    assert first.inactive_service == []  # the hub still runs
    hubs.hub_transition(actor=partnerships_user, hub=hub, state=HubState.DECOMMISSIONED)
    first, second = _run_twice(D(2027, 2, 2))
    assert (
        first.inactive_service == ["Pacific Islands Climate School"]
        and second.inactive_service == []
    )
    executed.engagement.refresh_from_db()
    assert executed.engagement.status == Status.INACTIVE_SERVICE


def test_renewal_reminders_at_90_60_and_30_days_each_once(executed: Any, settings: Any) -> None:
    settings.RENEWAL_REMINDER_DAYS = [90, 60, 30]
    _run_twice(D(2026, 12, 1))
    mail.outbox.clear()
    sent = []
    for day in (
        D(2027, 8, 31),
        D(2027, 9, 1),
        D(2027, 9, 2),
        D(2027, 10, 1),
        D(2027, 10, 31),
        D(2027, 11, 5),
    ):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
            first, second = _run_twice(day)
        assert second.reminders == []
        sent += first.reminders
    assert sent == [
        f"#{executed.pk} at 90 days",
        f"#{executed.pk} at 60 days",
        f"#{executed.pk} at 30 days",
    ]
    assert Notification.objects.count() == 3
    reminders = [message for message in mail.outbox if "agreement ends" in message.subject]
    assert [message.subject for message in reminders] == [
        "Pacific Islands Climate School: agreement ends in 90 days (2027-11-30)",
        "Pacific Islands Climate School: agreement ends in 60 days (2027-11-30)",
        "Pacific Islands Climate School: agreement ends in 30 days (2027-11-30)",
    ]
    assert reminders[0].to == [executed.engagement.owner.email]


def test_auto_renewal_at_the_end_date(partnerships_user: Any) -> None:
    engagement = prospect(partnerships_user)
    agreement = services.agreement_create(
        actor=partnerships_user,
        engagement=engagement,
        tier=services.current_tier("research"),
        kind=AgreementKind.EMAIL_CONFIRMATION,
        start_on=D(2026, 1, 1),
        auto_renew=True,
    )
    services.agreement_transition(
        actor=partnerships_user,
        agreement=agreement,
        state=AgreementState.EXECUTED,
        on=D(2025, 12, 1),
    )
    _run_twice(D(2026, 1, 1))
    first, second = _run_twice(D(2027, 1, 1))
    assert len(first.auto_renewed) == 1 and second.auto_renewed == []
    agreement.refresh_from_db()
    renewal = agreement.renewed_by
    assert (agreement.state, agreement.end_reason, agreement.ended_on) == (
        AgreementState.ENDED,
        EndReason.RENEWED,
        D(2026, 12, 31),
    )
    assert (renewal.state, renewal.start_on, renewal.end_on, renewal.price) == (
        AgreementState.ACTIVE, D(2027, 1, 1), D(2027, 12, 31), agreement.price,
    )  # fmt: skip


def test_check_ins_are_sent_on_schedule_once(executed: Any, partnerships_user: Any) -> None:
    _run_twice(D(2026, 12, 1))
    checkins.check_in_schedule_set(
        actor=partnerships_user,
        engagement=executed.engagement,
        interval_months=3,
        next_due_on=D(2027, 3, 1),
    )
    mail.outbox.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda func, *a, **k: func())
        first, second = _run_twice(D(2027, 3, 2))
    assert first.check_ins == ["Pacific Islands Climate School"] and second.check_ins == []
    check_in = CheckIn.objects.get()
    assert check_in.due_on == D(2027, 3, 1)
    assert CheckInSchedule.objects.get(engagement=executed.engagement).next_due_on == D(2027, 6, 1)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rep@pacific.example.edu"]
    token = re.search(r"/check-in/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert checkins.open_check_in(token) == check_in


def test_the_tick_command_takes_a_date(executed: Any, capsys: Any) -> None:
    call_command("tick", today="2026-12-01")
    out = capsys.readouterr().out
    assert (
        "tick for 2026-12-01" in out and "active service: 1 (Pacific Islands Climate School)" in out
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("tick", today="tomorrow")


def test_a_failed_email_is_retried_by_the_next_tick(
    executed: Any, partnerships_user: Any, settings: Any
) -> None:
    _run_twice(D(2026, 12, 1))
    checkins.check_in_schedule_set(
        actor=partnerships_user,
        engagement=executed.engagement,
        interval_months=3,
        next_due_on=D(2027, 3, 1),
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        1,
        2,
    )  # the mail server is down
    first, _ = _run_twice(D(2027, 3, 2))
    assert first.check_ins == ["Pacific Islands Climate School"] and first.emails == ["failed 1"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    later, _ = _run_twice(D(2027, 3, 3))
    assert later.check_ins == [] and later.emails == ["sent 1"]
    assert [message.to for message in mail.outbox] == [["rep@pacific.example.edu"]]
