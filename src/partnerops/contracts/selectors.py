"""Reads of agreements: renewal views, the formal-documents report, invoicing evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from partnerops.contracts.models import (
    Agreement,
    AgreementKind,
    AgreementState,
    DeliveryBasis,
    EndReason,
    FormalDocumentKind,
    FormalDocumentVersion,
)

IN_FORCE = (AgreementState.EXECUTED, AgreementState.ACTIVE)

RENEWAL_VIEWS = (
    ("needs_renewal", "Needs Renewal"),
    ("lapsed", "Lapsed"),
    ("ready_for_decommissioning", "Ready for Decommissioning"),
    ("active", "Active"),
    ("ended_or_renewed", "Ended or Renewed"),
)


def renewal_views(today: dt.date) -> dict[str, QuerySet[Agreement]]:
    """The renewal tracker's views (domain facts). Lapsed: past its end date without
    a renewal or an end; after DECOMMISSION_AFTER_DAYS, ready for decommissioning."""
    window_end = today + dt.timedelta(days=settings.RENEWAL_WINDOW_DAYS)
    decommission_before = today - dt.timedelta(days=settings.DECOMMISSION_AFTER_DAYS)
    base = Agreement.objects.select_related("engagement__organization", "engagement__owner", "tier")
    in_force = base.filter(state__in=IN_FORCE)
    unrenewed = Q(renewed_by__isnull=True)
    return {
        "needs_renewal": in_force.filter(end_on__gte=today, end_on__lte=window_end).order_by(
            "end_on"
        ),
        "lapsed": in_force.filter(
            unrenewed, end_on__lt=today, end_on__gte=decommission_before
        ).order_by("end_on"),
        "ready_for_decommissioning": in_force.filter(
            unrenewed, end_on__lt=decommission_before
        ).order_by("end_on"),
        "active": in_force.filter(end_on__gt=window_end).order_by("end_on"),
        "ended_or_renewed": base.filter(state=AgreementState.ENDED).order_by("-ended_on"),
    }


def current_formal_documents(today: dt.date) -> dict[str, FormalDocumentVersion]:
    """The version of each document in effect today (the latest effective on or before it)."""
    current: dict[str, FormalDocumentVersion] = {}
    for version in FormalDocumentVersion.objects.filter(effective_on__lte=today).order_by(
        "document", "-effective_on"
    ):
        current.setdefault(version.document, version)
    return current


@dataclass
class MissingDocuments:
    agreement: Agreement
    missing: list[FormalDocumentVersion]


def agreements_missing_current_documents(today: dt.date) -> list[MissingDocuments]:
    """Agreements in force that do not include the current version of every document."""
    current = current_formal_documents(today)
    report = []
    agreements = (
        Agreement.objects.filter(state__in=IN_FORCE)
        .select_related("engagement__organization", "tier")
        .prefetch_related("formal_documents")
        .order_by("engagement__organization__name")
    )
    for agreement in agreements:
        included = {version.pk for version in agreement.formal_documents.all()}
        missing = [version for kind, version in current.items() if version.pk not in included]
        if missing:
            missing.sort(
                key=lambda version: list(FormalDocumentKind.values).index(version.document)
            )
            report.append(MissingDocuments(agreement, missing))
    return report


def invoiceable_agreements(on: dt.date) -> QuerySet[Agreement]:
    """Agreements in force on ``on`` with the evidence seed 004 asks for before invoicing."""
    contract_covered = Q(delivery_basis=DeliveryBasis.CONTRACT, executed_on__isnull=False) & ~Q(
        kind=AgreementKind.EMAIL_CONFIRMATION
    )
    monthly = Q(delivery_basis=DeliveryBasis.MONTHLY_CONFIRMATION)
    return Agreement.objects.filter(
        Q(state__in=IN_FORCE)
        | Q(state=AgreementState.ENDED, end_reason__in=[EndReason.RENEWED, EndReason.EXPIRED]),
        start_on__lte=on,
        end_on__gte=on,
        price_confirmed_on__isnull=False,
    ).filter(contract_covered | monthly)
