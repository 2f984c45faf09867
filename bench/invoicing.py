"""The monthly billing run at 5,000 communities with cloud costs, then its idempotent
re-run, then a re-run after 5% of the hubs' costs were restated.

Targets (issue 6): under 30 s for the run, under 5 s for the re-run.
Usage: python -m bench.invoicing OUTPUT.json  (DATABASE_URL chooses the database)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

COMMUNITIES = 5_000
COST_LINES_PER_HUB = 3
MONTH = "2026-10"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerops.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _populate() -> None:
    """Communities in service all October, each with a contact, a hub and its costs."""
    from django.utils import timezone

    from partnerops.contracts.models import Agreement, AgreementKind, AgreementState, ServiceTier
    from partnerops.costs.models import CostImport, CostLine
    from partnerops.crm.models import Contact, Engagement, Organization
    from partnerops.crm.states import Phase, Status
    from partnerops.hubs.models import Hub, HubState

    now, start = timezone.now(), dt.date(2026, 1, 1)
    tiers = list(ServiceTier.objects.filter(code__in=["education", "research", "partnership"]))
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Bench Community {i:05d}") for i in range(COMMUNITIES)], batch_size=1000
    )
    Contact.objects.bulk_create(
        [Contact(organization=o, name="Rep", email=f"rep{o.pk}@example.edu", is_community_representative=True,
                 is_billing_contact=True) for o in organizations], batch_size=1000)  # fmt: skip
    engagements = Engagement.objects.bulk_create(
        [Engagement(organization=o, title="Hub", phase=Phase.PARTNER, status=Status.ACTIVE_SERVICE,
                    phase_since=now, status_since=now) for o in organizations], batch_size=1000)  # fmt: skip
    agreements = Agreement.objects.bulk_create(
        [Agreement(engagement=e, kind=AgreementKind.EMAIL_CONFIRMATION, tier=tiers[i % 3], price=tiers[i % 3].monthly_fee,
                   start_on=start, end_on=dt.date(2026, 12, 31), state=AgreementState.ACTIVE, executed_on=start,
                   price_confirmed_on=start) for i, e in enumerate(engagements)], batch_size=1000)  # fmt: skip
    hubs = Hub.objects.bulk_create(
        [Hub(name=f"bench-{i:05d}", community=organizations[i], agreement=a, cluster="shared", provider="gcp",
             cloud_accounts=["bench-project"], state=HubState.RUNNING, service_start_on=start)
         for i, a in enumerate(agreements)], batch_size=1000)  # fmt: skip
    cost_import = CostImport.objects.create(source="gcp", groups_stored=False, file_name="bench.json", checksum="0" * 64,
                                            format="gcp-json", provider="gcp", months=[MONTH])  # fmt: skip
    services = ["Compute Engine", "Cloud Storage", "Networking"][:COST_LINES_PER_HUB]
    CostLine.objects.bulk_create(
        [CostLine(cost_import=cost_import, source="gcp", month=MONTH, currency="USD", account="bench-project",
                  service=service, category="usage", hub=hub, hub_name=hub.name, community_id=hub.community_id,
                  community_name="", rule="label", amount_nanos=(1_234_567_891 * (i % 97 + 1)) // (n + 1), lines=10)
         for i, hub in enumerate(hubs) for n, service in enumerate(services)], batch_size=2000)  # fmt: skip


def _restate(share: float) -> int:
    from partnerops.costs.models import CostLine

    lines = CostLine.objects.filter(month=MONTH, service="Compute Engine").order_by("id")
    step = int(1 / share)
    changed = [line for i, line in enumerate(lines) if i % step == 0]
    for line in changed:
        line.amount_nanos += 1_000_000_000
    CostLine.objects.bulk_update(changed, ["amount_nanos"], batch_size=1000)
    return len(changed)


def _timed(label: str) -> tuple[Any, float]:
    from partnerops.invoicing.run import billing_run

    started = time.perf_counter()
    run = billing_run(actor=None, month=MONTH)
    seconds = round(time.perf_counter() - started, 2)
    print(
        f"  {label:40} {seconds:7.2f} s  created {run.created}, refreshed {run.refreshed}, unchanged {run.unchanged}"
    )
    return run, seconds


def main(output: Path) -> None:
    _setup_django()
    from django.db import connection

    from partnerops.invoicing.models import Invoice, InvoiceLine

    started = time.perf_counter()
    _populate()
    populate_s = round(time.perf_counter() - started, 2)
    first, first_s = _timed("first run (5,000 drafts)")
    again, again_s = _timed("re-run, nothing changed")
    restated = _restate(0.05)
    third, third_s = _timed(f"re-run after {restated} hubs' costs restated")
    assert (
        first.created == COMMUNITIES
        and again.unchanged == COMMUNITIES
        and third.refreshed == restated
    )
    assert Invoice.objects.count() == COMMUNITIES
    report = {
        "benchmark": "billing run",
        "database": connection.vendor,
        "communities": COMMUNITIES,
        "cost_lines": COMMUNITIES * COST_LINES_PER_HUB,
        "invoice_lines": InvoiceLine.objects.count(),
        "populate_seconds": populate_s,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "runs": {
            "first run": {"seconds": first_s, "target_seconds": 30, "created": first.created},
            "re-run, nothing changed": {
                "seconds": again_s,
                "target_seconds": 5,
                "unchanged": again.unchanged,
            },
            "re-run, 5% of costs restated": {
                "seconds": third_s,
                "target_seconds": 5,
                "refreshed": third.refreshed,
            },
        },
        "total_invoiced": str(sum((i.total for i in Invoice.objects.only("total")), Decimal(0))),
    }
    output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
