"""Time-driven work, run by `partnerops tick` (cron or a systemd timer).

Every step asks the database what is due and records what it did, so running
tick twice on the same day changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from partnerops.contracts import checkins, services
from partnerops.contracts.models import Agreement, AgreementState
from partnerops.contracts.selectors import IN_FORCE
from partnerops.core.models import Heartbeat
from partnerops.crm.models import Engagement
from partnerops.crm.services import engagement_move
from partnerops.crm.states import Phase, Status
from partnerops.grants.services import obligation_reminders
from partnerops.hubs.models import Hub, HubState
from partnerops.invoicing.services import overdue_reminders_send
from partnerops.outbox.notifications import notify_once
from partnerops.outbox.services import emails_send_queued
from partnerops.usage.schedule import pull_due


@dataclass
class TickReport:
    today: dt.date
    activated: list[str] = field(default_factory=list)
    auto_renewed: list[str] = field(default_factory=list)
    active_service: list[str] = field(default_factory=list)
    inactive_service: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    check_ins: list[str] = field(default_factory=list)
    overdue_reminders: list[str] = field(default_factory=list)
    grant_reminders: list[str] = field(default_factory=list)
    usage_pulled: list[str] = field(default_factory=list)
    usage_failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{name.replace('_', ' ')}: {len(items)}" + (f" ({', '.join(items)})" if items else "")
            for name, items in vars(self).items()
            if name != "today"
        ]


def run(today: dt.date) -> TickReport:
    report = TickReport(today=today)
    # Each step commits on its own: a failure in a later step keeps what earlier ones did.
    for step in (
        _activate,
        _auto_renew,
        _start_service,
        _stop_service,
        _remind_renewals,
        _check_ins,
        _overdue_invoices,
        _grant_reminders,
    ):
        with transaction.atomic():
            step(today, report)
    # Outside any transaction: the network is slow and a Prometheus or mail server may
    # be down. Each pull is its own transaction.
    pulls = pull_due(today)
    report.usage_pulled, report.usage_failed = pulls.pulled, pulls.failed
    report.emails = [f"{name} {count}" for name, count in emails_send_queued().items() if count]
    # Read by /readyz: a tick that stopped running is a monitor's business.
    Heartbeat.objects.update_or_create(name="tick", defaults={"at": timezone.now()})
    return report


def _activate(today: dt.date, report: TickReport) -> None:
    for agreement in Agreement.objects.filter(
        state=AgreementState.EXECUTED, start_on__lte=today
    ).order_by("id"):
        services.agreement_transition(
            actor=None, agreement=agreement, state=AgreementState.ACTIVE, on=today
        )
        report.activated.append(f"#{agreement.pk}")


def _auto_renew(today: dt.date, report: TickReport) -> None:
    due = Agreement.objects.filter(
        state=AgreementState.ACTIVE, auto_renew=True, end_on__lt=today, renewed_by__isnull=True
    ).order_by("id")
    for agreement in due:
        renewal = services.agreement_auto_renew(actor=None, agreement=agreement)
        report.auto_renewed.append(f"#{agreement.pk}->#{renewal.pk}")


def _start_service(today: dt.date, report: TickReport) -> None:
    """Seed 004: once the date for beginning service arrives, the status is Active Service."""
    hub_started = Hub.objects.filter(
        community=OuterRef("organization"), service_start_on__lte=today
    ).exclude(state=HubState.DECOMMISSIONED)
    # An agreement in force too, so that this never undoes _stop_service.
    in_force = Agreement.objects.filter(engagement=OuterRef("pk"), state__in=IN_FORCE)
    engagements = Engagement.objects.filter(
        Exists(hub_started),
        Exists(in_force),
        phase=Phase.PARTNER,
        status__in=[Status.NEEDS_ADMIN, Status.WAITING, Status.INACTIVE_SERVICE],
    ).select_related("organization")
    for engagement in engagements:
        engagement_move(
            actor=None,
            engagement=engagement,
            phase=Phase.PARTNER,
            status=Status.ACTIVE_SERVICE,
            occurred_at=_service_started_at(engagement, today),
            note="Service start date reached (partnerops tick).",
        )
        report.active_service.append(engagement.organization.name)


def _service_started_at(engagement: Engagement, today: dt.date) -> dt.datetime:
    """The milestone's date: the earliest start date (a tick that catches up dates it
    then), never before the previous milestone nor after now."""
    start = (
        Hub.objects.filter(community=engagement.organization_id, service_start_on__lte=today)
        .exclude(state=HubState.DECOMMISSIONED)
        .order_by("service_start_on")
        .values_list("service_start_on", flat=True)
        .first()
    )
    assert start is not None
    moment = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    previous = (
        engagement.milestones.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    )
    if previous is not None:
        moment = max(moment, previous)
    return min(moment, timezone.now())


def _stop_service(today: dt.date, report: TickReport) -> None:
    """When the agreement has ended and no hub runs: Inactive Service."""
    for engagement in Engagement.objects.filter(phase=Phase.PARTNER, status=Status.ACTIVE_SERVICE):
        in_force = engagement.agreements.filter(state__in=IN_FORCE).exists()
        running = Hub.objects.filter(
            agreement__engagement=engagement, state__in=[HubState.RUNNING, HubState.DEPLOYING]
        ).exists()
        if not in_force and not running:
            engagement_move(
                actor=None,
                engagement=engagement,
                phase=Phase.PARTNER,
                status=Status.INACTIVE_SERVICE,
                note="Agreement ended and no hub runs (partnerops tick).",
            )
            report.inactive_service.append(engagement.organization.name)


def _remind_renewals(today: dt.date, report: TickReport) -> None:
    """Reminders to the owner 90, 60 and 30 days before the end, each sent once."""
    furthest = today + dt.timedelta(days=max(settings.RENEWAL_REMINDER_DAYS))
    agreements = Agreement.objects.filter(
        state__in=[AgreementState.EXECUTED, AgreementState.ACTIVE],
        end_on__gte=today,
        end_on__lte=furthest,
        renewed_by__isnull=True,
    ).select_related("engagement__owner", "engagement__organization")
    for agreement in agreements:
        days_left = (agreement.end_on - today).days
        # The nearest threshold reached: a tick missed for a week still sends it, once.
        reached = [days for days in settings.RENEWAL_REMINDER_DAYS if days_left <= days]
        if not reached:
            continue
        threshold = min(reached)
        owner = agreement.engagement.owner
        name = agreement.engagement.organization.name
        sent = notify_once(
            recipient=owner,
            key=f"renewal:{agreement.pk}:{agreement.end_on:%Y-%m-%d}:{threshold}",
            subject=f"{name}: agreement ends in {days_left} days ({agreement.end_on:%Y-%m-%d})",
            body=(
                f"The {agreement.get_kind_display().lower()} with {name} for {agreement.tier.name} ends on "
                f"{agreement.end_on:%Y-%m-%d}. Renew it, extend it, or plan the end of service."
                + (
                    f" It renews automatically unless notice is given by "
                    f"{agreement.end_on - dt.timedelta(days=agreement.notice_days):%Y-%m-%d}."
                    if agreement.auto_renew
                    else ""
                )
            ),
            link=reverse("contracts:agreement-detail", args=[agreement.pk]),
        )
        if sent:
            report.reminders.append(f"#{agreement.pk} at {threshold} days")


def _check_ins(today: dt.date, report: TickReport) -> None:
    for check_in in checkins.check_ins_send_due(today):
        report.check_ins.append(check_in.engagement.organization.name)


def _grant_reminders(today: dt.date, report: TickReport) -> None:
    report.grant_reminders += obligation_reminders(today)


def _overdue_invoices(today: dt.date, report: TickReport) -> None:

    report.overdue_reminders += [invoice.number for invoice in overdue_reminders_send(today)]
