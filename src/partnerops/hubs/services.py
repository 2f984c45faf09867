"""Writes to the Active Hubs table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnerops.core import audit
from partnerops.core.updates import assign_fields
from partnerops.hubs.audit_actions import HubsAction
from partnerops.hubs.models import Hub, HubState
from partnerops.hubs.states import DATE_FIELD, HUB_MOVES

HUB_FIELDS = (
    "name",
    "url",
    "community",
    "agreement",
    "cluster",
    "provider",
    "tenancy",
    "cloud_accounts",
    "cost_labels",
    "we_pay_cloud_bill",
    "service_start_on",
    "engineering_issues",
)


def _validate(hub: Hub) -> None:
    hub.full_clean()
    if hub.agreement and hub.agreement.engagement.organization_id != hub.community_id:
        raise ValidationError({"agreement": "The agreement must be with the hub's community."})
    if not isinstance(hub.cloud_accounts, list) or not all(
        isinstance(a, str) and a for a in hub.cloud_accounts
    ):
        raise ValidationError({"cloud_accounts": "A list of account, project or subscription ids."})
    if not isinstance(hub.cost_labels, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) for k, v in hub.cost_labels.items()
    ):
        raise ValidationError(
            {"cost_labels": 'A mapping of label to value, e.g. {"k8s-namespace": "ocean"}.'}
        )
    if hub.tenancy == "dedicated" and not hub.cloud_accounts:
        raise ValidationError(
            {"cloud_accounts": "A dedicated hub names the cloud account or project it owns."}
        )


@transaction.atomic
def hub_create(*, actor: Any, **values: Any) -> Hub:
    unknown = set(values) - set(HUB_FIELDS)
    if unknown:
        raise TypeError(f"Unknown hub fields: {', '.join(sorted(unknown))}")
    hub = Hub(**values)
    _validate(hub)
    hub.save()
    audit.record_create(actor=actor, instance=hub)
    return hub


@transaction.atomic
def hub_update(*, actor: Any, hub: Hub, **values: Any) -> Hub:
    before = audit.stored_snapshot(hub, HUB_FIELDS)
    old_name = before.get("name")
    assign_fields(hub, allowed=HUB_FIELDS, values=values)
    if old_name and hub.name != old_name and old_name not in hub.former_names:
        hub.former_names = [*hub.former_names, old_name]
    _validate(hub)
    hub.save()
    audit.record_update(actor=actor, instance=hub, before=before)
    return hub


@transaction.atomic
def hub_transition(
    *, actor: Any, hub: Hub, state: HubState | str, on: dt.date | None = None
) -> Hub:
    locked = Hub.objects.select_for_update().get(pk=hub.pk)
    current, requested = HubState(locked.state), HubState(state)
    HUB_MOVES.check(
        current,
        requested,
        refused=f"Cannot move hub {locked.name} from {current.label} to {requested.label}",
    )
    before = audit.snapshot(locked, ("state", *DATE_FIELD.values()))
    locked.state = requested
    setattr(locked, DATE_FIELD[requested], on or timezone.localdate())
    locked.save()
    audit.record_update(actor=actor, instance=locked, before=before, action=HubsAction.TRANSITION)
    hub.refresh_from_db()
    return hub
