"""Grants: the state table, awards, obligations and their reminders, the measures' inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from partnerops import tick
from partnerops.contracts.models import AgreementKind
from partnerops.core.errors import TransitionNotAllowed
from partnerops.core.models import AuditEvent
from partnerops.crm import services as crm
from partnerops.grants import services
from partnerops.grants.models import Grant
from partnerops.grants.selectors import grant_years, pending_weighted
from partnerops.outbox.models import Notification
from tests.factories import OrganizationFactory, UserFactory
from tests.invoicing.conftest import make_community

pytestmark = pytest.mark.django_db
D = Decimal


def funder(name: str = "Sloan Foundation") -> Any:
    return crm.organization_create(actor=None, name=name, kind="funder")


def grant(**values: Any) -> Grant:
    defaults: dict[str, Any] = {"title": "Open infrastructure for science",
                                "amount_requested": D("500000.00"), "found_on": dt.date(2025, 1, 10)}  # fmt: skip
    if "funder" not in values:
        defaults["funder"] = funder(f"Funder {Grant.objects.count() + 1}")
    return services.grant_create(actor=None, **{**defaults, **values})


def test_the_state_table_allows_and_refuses_moves_with_messages() -> None:
    item = grant()
    with pytest.raises(
        TransitionNotAllowed,
        match="cannot move to Awarded: from Prospecting it can move to Drafting, Withdrawn",
    ):
        services.grant_move(actor=None, grant=item, state="awarded", on=dt.date(2025, 6, 1))
    item = services.grant_move(actor=None, grant=item, state="drafting", on=dt.date(2025, 2, 1))
    item = services.grant_move(actor=None, grant=item, state="submitted", on=dt.date(2025, 3, 1))
    assert item.submitted_on == dt.date(2025, 3, 1)
    with pytest.raises(ValidationError, match="says how much was awarded"):
        services.grant_move(actor=None, grant=item, state="awarded", on=dt.date(2025, 6, 1))
    item = services.grant_move(
        actor=None, grant=item, state="awarded", on=dt.date(2025, 6, 1), amount_awarded=D("450000")
    )
    assert (item.state, item.decision_on, item.amount_awarded) == (
        "awarded",
        dt.date(2025, 6, 1),
        D("450000"),
    )
    with pytest.raises(TransitionNotAllowed, match="from Awarded it can move to Active"):
        services.grant_move(actor=None, grant=item, state="declined", on=dt.date(2025, 6, 2))
    item = services.grant_move(actor=None, grant=item, state="active", on=dt.date(2025, 7, 1))
    item = services.grant_move(actor=None, grant=item, state="closed", on=dt.date(2027, 6, 30))
    assert (item.award_start_on, item.award_end_on) == (dt.date(2025, 7, 1), dt.date(2027, 6, 30))
    with pytest.raises(TransitionNotAllowed, match="from Closed it can move to nothing"):
        services.grant_move(actor=None, grant=item, state="active", on=dt.date(2027, 7, 1))
    assert AuditEvent.objects.filter(action="grant_moved", object_id=str(item.pk)).count() == 5


def test_the_funder_is_a_funder() -> None:
    with pytest.raises(ValidationError, match="is not a funder"):
        grant(funder=OrganizationFactory(name="Some University"))


def test_obligations_come_with_an_award_and_a_sub_award_is_linked(partnerships_user: Any) -> None:
    item = grant()
    with pytest.raises(ValidationError, match="deliverables and reports come with an award"):
        services.obligation_add(
            actor=None, grant=item, kind="deliverable", title="Hubs", due_on=dt.date(2026, 1, 1)
        )
    agreement = make_community(partnerships_user, "Coastal Ocean")
    with pytest.raises(ValidationError, match="not a grant sub-award"):
        services.grant_link_subaward(actor=None, grant=item, agreement=agreement)
    agreement.kind = AgreementKind.GRANT_SUBAWARD
    agreement.save()
    services.grant_link_subaward(actor=None, grant=item, agreement=agreement)
    assert list(agreement.source_grants.all()) == [item]


def test_deadline_reminders_are_sent_30_and_7_days_before_and_when_overdue_once_each() -> None:
    owner = UserFactory(username="lead", email="lead@example.org")
    item = grant(owner=owner)
    for state in ("drafting", "submitted"):
        item = services.grant_move(actor=None, grant=item, state=state, on=dt.date(2026, 1, 5))
    item = services.grant_move(
        actor=None, grant=item, state="awarded", on=dt.date(2026, 2, 1), amount_awarded=D("100000")
    )
    services.obligation_add(
        actor=None,
        grant=item,
        kind="narrative_report",
        title="Year 1 report",
        due_on=dt.date(2026, 12, 31),
    )

    def run(day: dt.date) -> list[str]:
        with time_machine.travel(dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC), tick=False):
            return tick.run(day).grant_reminders

    assert run(dt.date(2026, 11, 30)) == []  # 31 days before
    assert run(dt.date(2026, 12, 1)) == ["Year 1 report (30)"]
    assert run(dt.date(2026, 12, 2)) == []  # once
    assert run(dt.date(2026, 12, 26)) == ["Year 1 report (7)"]  # a missed week still sends it
    assert run(dt.date(2026, 12, 27)) == []
    assert run(dt.date(2027, 1, 1)) == ["Year 1 report (overdue)"]
    assert run(dt.date(2027, 1, 2)) == []
    subjects = list(Notification.objects.order_by("id").values_list("subject", flat=True))
    assert subjects == [
        "Due in 30 days (2026-12-31): Year 1 report (Open infrastructure for science)",
        "Due in 5 days (2026-12-31): Year 1 report (Open infrastructure for science)",
        "Overdue since 2026-12-31: Year 1 report (Open infrastructure for science)",
    ]


def test_a_done_obligation_sends_nothing() -> None:
    item = grant(owner=UserFactory(username="lead2"))
    for state in ("drafting", "submitted"):
        item = services.grant_move(actor=None, grant=item, state=state, on=dt.date(2026, 1, 5))
    item = services.grant_move(
        actor=None, grant=item, state="awarded", on=dt.date(2026, 2, 1), amount_awarded=D("1")
    )
    obligation = services.obligation_add(
        actor=None, grant=item, kind="deliverable", title="Hubs", due_on=dt.date(2026, 12, 31)
    )
    services.obligation_done(actor=None, obligation=obligation, on=dt.date(2026, 11, 1))
    with time_machine.travel(dt.datetime(2026, 12, 30, 8, tzinfo=dt.UTC), tick=False):
        assert tick.run(dt.date(2026, 12, 30)).grant_reminders == []


def test_the_measures_inputs() -> None:
    one = funder("NSF")
    decided = [
        ("awarded", "2024-05-01", "200000"),
        ("declined", "2024-09-01", None),
        ("awarded", "2025-03-01", "50000"),
    ]
    for state, decision, awarded in decided:
        item = grant(funder=one, amount_requested=D("100000"), submitted_on=dt.date(2024, 1, 15))
        for step in ("drafting", "submitted"):
            item = services.grant_move(actor=None, grant=item, state=step, on=dt.date(2024, 1, 15))
        services.grant_move(actor=None, grant=item, state=state, on=dt.date.fromisoformat(decision),
                            amount_awarded=D(awarded) if awarded else None)  # fmt: skip
    grant(funder=one, amount_requested=D("80000"), probability=25)
    grant(
        funder=one,
        amount_requested=D("300000"),
        amount_expected=D("120000"),
        probability=50,
        currency="EUR",
    )
    years = {item.year: item for item in grant_years()}
    assert (years[2024].applied, years[2024].decided, years[2024].won) == (3, 2, 1)
    assert years[2024].success_rate == D("0.5000") and years[2024].awarded == {"USD": D("200000")}
    assert years[2025].success_rate == D("1.0000") and years[2025].applied == 0
    # 80,000 x 25% in USD; 120,000 (expected) x 50% in EUR: never added together.
    assert pending_weighted() == {"EUR": D("60000.00"), "USD": D("20000.00")}
