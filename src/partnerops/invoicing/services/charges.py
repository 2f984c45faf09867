"""Manual charges (support hours, usage, adjustments) on a month still open."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from partnerops.core import audit
from partnerops.core.actors import user_or_none
from partnerops.core.errors import DomainError
from partnerops.crm.models import Organization
from partnerops.invoicing.models import (
    Invoice,
    ManualCharge,
)
from partnerops.invoicing.plan import parse_month
from partnerops.invoicing.run import billing_run
from partnerops.invoicing.services._common import S


def _month_open(organization: Organization, month: str) -> None:
    invoice = (
        Invoice.objects.filter(organization=organization, month=month).exclude(state=S.VOID).first()
    )
    if invoice is not None and invoice.state != S.DRAFT:
        raise DomainError(
            f"{organization.name}'s invoice for {month} is {S(invoice.state).label.lower()}; "
            "return it to draft before changing its lines."
        )


@transaction.atomic
def manual_charge_add(
    *,
    actor: Any,
    organization: Organization,
    month: str,
    kind: str,
    description: str,
    quantity: Decimal,
    unit_amount: Decimal,
    account_code: str = "",
) -> ManualCharge:
    parse_month(month)
    _month_open(organization, month)
    charge = ManualCharge(
        organization=organization,
        month=month,
        kind=kind,
        description=description,
        quantity=quantity,
        unit_amount=unit_amount,
        account_code=account_code,
        created_by=user_or_none(actor),
    )
    charge.full_clean()
    charge.save()
    audit.record_create(actor=actor, instance=charge)
    _refresh(actor, organization, month)
    return charge


@transaction.atomic
def manual_charge_remove(*, actor: Any, charge: ManualCharge) -> None:
    _month_open(charge.organization, charge.month)
    audit.record(actor=actor, instance=charge, action=audit.AuditAction.DELETE)
    organization, month = charge.organization, charge.month
    charge.delete()
    _refresh(actor, organization, month)


def _refresh(actor: Any, organization: Organization, month: str) -> None:
    """Put the change on the draft now if the month has been run (else the run will)."""
    if Invoice.objects.filter(organization=organization, month=month, state=S.DRAFT).exists():
        billing_run(actor=actor, month=month, organization_ids={organization.pk}, notify=False)
