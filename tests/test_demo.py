"""`make demo`: realistic data over every phase and status, loaded twice without harm."""

from __future__ import annotations

import pytest
from django.utils import timezone

from partnerops.contracts.models import Agreement
from partnerops.costs.models import CostLine
from partnerops.costs.services import month_report
from partnerops.crm.models import Engagement, Organization
from partnerops.crm.states import PHASE_STATUSES, Phase
from partnerops.demo import load_demo
from partnerops.grants.models import Grant, GrantObligation, GrantState
from partnerops.hubs.models import Hub
from partnerops.invoicing.models import BillingRun, Invoice
from partnerops.team.capacity import month_capacity
from partnerops.team.models import Assignment, PayScale, Person
from partnerops.usage.models import HubUsage
from tests.invoicing.test_statement import assert_statements_match_the_lines

pytestmark = pytest.mark.django_db


def test_demo_covers_the_pipeline_and_is_idempotent() -> None:
    first = load_demo()
    assert first.organizations == 40 and first.engagements == 34
    phases = set(Engagement.objects.values_list("phase", flat=True))
    statuses = set(Engagement.objects.values_list("status", flat=True))
    assert phases == set(Phase)
    assert statuses == {status for allowed in PHASE_STATUSES.values() for status in allowed}
    assert Agreement.objects.exists() and Hub.objects.exists()
    month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).strftime("%Y-%m")
    (summary,) = month_report(month)
    assert summary.communities and summary.attributed + summary.unattributed == summary.total
    # Last month is run: drafts for communities with the evidence, the others listed.
    run = BillingRun.objects.get(month=month)
    assert run.created == Invoice.objects.filter(month=month).count() > 0
    # Every invoice of the month: its cloud cost statement equals its cloud lines.
    walked = 0
    for invoice in Invoice.objects.filter(month=month):
        assert_statements_match_the_lines(invoice)
        walked += invoice.lines.filter(kind="cloud_costs").count()
    assert walked > 0
    # The team over three years, two pay-scale versions per role; a dozen grants.
    assert Person.objects.count() == 8 and PayScale.objects.filter(version=2).count() == 2
    assert Assignment.objects.count() > 8  # steps and promotions are new positions
    assert month_capacity(month).engineering_fte > 0
    assert Grant.objects.count() == 12
    assert set(Grant.objects.values_list("state", flat=True)) == set(GrantState.values)
    assert (
        GrantObligation.objects.filter(grant__state__in=["awarded", "active", "closed"]).count()
        == 12
    )
    # A year of usage per hub at most (each from its start), on the demo cluster.
    usage = HubUsage.objects.filter(month=month)
    assert usage.count() == Hub.objects.exclude(state="decommissioned").count()
    assert all(row.active_users > 0 for row in usage)
    assert HubUsage.objects.values("month").distinct().count() <= 12
    counts = (Organization.objects.count(), Engagement.objects.count(), CostLine.objects.count(),
              HubUsage.objects.count(), Assignment.objects.count(), Grant.objects.count())  # fmt: skip
    second = load_demo()
    assert (second.organizations, second.skipped) == (0, 40)
    assert (
        Organization.objects.count(),
        Engagement.objects.count(),
        CostLine.objects.count(),
        HubUsage.objects.count(),
        Assignment.objects.count(),
        Grant.objects.count(),
    ) == counts
    assert Invoice.objects.filter(month=month).count() == run.created
