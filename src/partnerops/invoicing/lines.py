"""What an invoice line is before it is stored, and the small rules every kind of line
shares (account codes, whether a hub was in service in a month)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from partnerops.hubs.models import Hub


@dataclass(frozen=True)
class PlannedLine:
    kind: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    account_code: str
    agreement_id: int | None = None
    hub_id: int | None = None
    manual_charge_id: int | None = None
    # A cloud line's itemised statement (costs.statement): plain values, stored with
    # the line, so it is frozen with it when the invoice is issued.
    details: dict[str, Any] = field(default_factory=dict)


def account_code(kind: str) -> str:
    codes: dict[str, str] = settings.ACCOUNT_CODES
    return codes[kind]


def hub_in_service(hub: Hub, first: dt.date, last: dt.date) -> bool:
    began = hub.service_start_on or hub.running_since
    if began is None or began > last:
        return False
    return hub.decommissioned_on is None or hub.decommissioned_on >= first
