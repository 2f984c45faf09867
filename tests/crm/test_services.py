"""Pipeline services: validation, milestones, timeline, MANIAC-T and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerops.core.errors import DomainError, TransitionNotAllowed
from partnerops.core.models import AuditEvent
from partnerops.crm import services
from partnerops.crm.models import Engagement, EntryKind, Milestone, TimelineEntry
from partnerops.crm.states import PHASE_STATUSES, Phase, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(partnerships_user: Any) -> Engagement:
    organization = services.organization_create(
        actor=partnerships_user, name="Coastal Data Collective"
    )
    return services.engagement_create(
        actor=partnerships_user, organization=organization, expected_value=Decimal("12000.00")
    )


def test_a_new_engagement_is_an_active_lead_with_a_creation_milestone(lead: Engagement) -> None:
    assert (lead.phase, lead.status) == (Phase.LEAD, Status.ACTIVE_LEAD)
    milestone = lead.milestones.get()
    assert milestone.describe() == "Created as Lead / Active Lead"
    assert milestone.timeline_entry.kind == EntryKind.MILESTONE


def test_first_touch_in_the_past_dates_the_creation_milestone(partnerships_user: Any) -> None:
    organization = services.organization_create(
        actor=partnerships_user, name="Late Entry University"
    )
    first_touch = dt.date(2025, 3, 14)
    engagement = services.engagement_create(
        actor=partnerships_user, organization=organization, first_touch_on=first_touch
    )
    assert timezone.localtime(engagement.milestones.get().occurred_at).date() == first_touch
    assert timezone.localtime(engagement.phase_since).date() == first_touch


def test_a_move_records_a_milestone_a_timeline_entry_and_an_audit_event(
    lead: Engagement, partnerships_user: Any
) -> None:
    milestone = services.engagement_move(
        actor=partnerships_user,
        engagement=lead,
        phase=Phase.QUALIFIED_LEAD,
        status=Status.ACTIVE_LEAD,
        note="Good fit.",
    )
    lead.refresh_from_db()
    assert lead.phase == Phase.QUALIFIED_LEAD
    assert milestone.actor == partnerships_user
    assert (milestone.from_phase, milestone.to_phase) == (Phase.LEAD, Phase.QUALIFIED_LEAD)
    entry = TimelineEntry.objects.get(milestone=milestone)
    assert entry.title == "Moved from Lead / Active Lead to Qualified Lead / Active Lead"
    assert entry.body == "Good fit."
    event = AuditEvent.objects.filter(action="move").get()
    assert event.actor == partnerships_user
    assert event.changes["phase"] == {"old": "lead", "new": "qualified_lead"}


def test_a_forbidden_move_changes_nothing(lead: Engagement, partnerships_user: Any) -> None:
    before = (Milestone.objects.count(), TimelineEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(
        TransitionNotAllowed, match="Cannot move from Lead / Active Lead to Partner / Needs Admin"
    ):
        services.engagement_move(
            actor=partnerships_user, engagement=lead, phase=Phase.PARTNER, status=Status.NEEDS_ADMIN
        )
    lead.refresh_from_db()
    assert (lead.phase, lead.status) == (Phase.LEAD, Status.ACTIVE_LEAD)
    assert (
        Milestone.objects.count(),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_back_dated_moves_are_allowed_but_not_before_the_previous_milestone(
    lead: Engagement, partnerships_user: Any
) -> None:
    yesterday = timezone.now() - dt.timedelta(days=1)
    lead.milestones.update(occurred_at=yesterday - dt.timedelta(days=10))
    services.engagement_move(
        actor=partnerships_user,
        engagement=lead,
        phase=Phase.QUALIFIED_LEAD,
        status=None,
        occurred_at=yesterday,
    )
    lead.refresh_from_db()
    assert lead.phase_since == yesterday
    with pytest.raises(ValidationError, match="before the previous milestone"):
        services.engagement_move(
            actor=partnerships_user,
            engagement=lead,
            phase=Phase.PROSPECT,
            status=None,
            occurred_at=yesterday - dt.timedelta(days=2),
        )
    with pytest.raises(ValidationError, match="in the future"):
        services.engagement_move(
            actor=partnerships_user,
            engagement=lead,
            phase=Phase.PROSPECT,
            status=None,
            occurred_at=timezone.now() + dt.timedelta(days=2),
        )


def test_waiting_needs_a_follow_up_date_and_closing_needs_a_reason(
    lead: Engagement, partnerships_user: Any
) -> None:
    with pytest.raises(ValidationError, match="follow-up date"):
        services.engagement_move(
            actor=partnerships_user, engagement=lead, phase=Phase.LEAD, status=Status.WAITING
        )
    with pytest.raises(ValidationError, match="Closing needs a reason"):
        services.engagement_move(
            actor=partnerships_user,
            engagement=lead,
            phase=Phase.CLOSED,
            status=Status.INACTIVE_LEAD,
        )
    follow_up = timezone.localdate() + dt.timedelta(days=30)
    services.engagement_move(
        actor=partnerships_user,
        engagement=lead,
        phase=Phase.LEAD,
        status=Status.WAITING,
        follow_up_on=follow_up,
    )
    lead.refresh_from_db()
    assert (lead.status, lead.follow_up_on) == (Status.WAITING, follow_up)
    services.engagement_move(
        actor=partnerships_user,
        engagement=lead,
        phase=Phase.CLOSED,
        status=Status.INACTIVE_LEAD,
        close_reason="No budget.",
    )
    lead.refresh_from_db()
    assert (lead.phase, lead.close_reason) == (Phase.CLOSED, "No budget.")


def test_qualifying_records_maniac_t_as_it_stood(lead: Engagement, partnerships_user: Any) -> None:
    services.qualification_update(
        actor=partnerships_user,
        engagement=lead,
        criterion="money",
        assessment="strong",
        evidence="$18k set aside.",
    )
    services.qualification_update(
        actor=partnerships_user,
        engagement=lead,
        criterion="need",
        assessment="adequate",
        evidence="Course in May.",
    )
    milestone = services.engagement_move(
        actor=partnerships_user, engagement=lead, phase=Phase.QUALIFIED_LEAD
    )
    assert milestone.qualification is not None
    assert list(milestone.qualification) == [
        "money",
        "authority",
        "need",
        "impending_event",
        "application",
        "competition",
        "timeline",
    ]
    assert milestone.qualification["money"] == {
        "assessment": "strong",
        "evidence": "$18k set aside.",
    }
    assert milestone.qualification["authority"] == {"assessment": "unknown", "evidence": ""}
    # Later changes do not rewrite the record of the decision.
    services.qualification_update(
        actor=partnerships_user,
        engagement=lead,
        criterion="money",
        assessment="weak",
        evidence="Budget cut.",
    )
    milestone.refresh_from_db()
    assert milestone.qualification["money"]["assessment"] == "strong"


def test_qualification_update_refuses_unknown_assessments(
    lead: Engagement, partnerships_user: Any
) -> None:
    with pytest.raises(ValidationError, match="not one of"):
        services.qualification_update(
            actor=partnerships_user,
            engagement=lead,
            criterion="money",
            assessment="great",
            evidence="",
        )
    with pytest.raises(ValueError):
        services.qualification_update(
            actor=partnerships_user,
            engagement=lead,
            criterion="luck",
            assessment="strong",
            evidence="",
        )


def test_contact_emails_are_unique_per_organization_ignoring_case(partnerships_user: Any) -> None:
    first = services.organization_create(actor=partnerships_user, name="First University")
    second = services.organization_create(actor=partnerships_user, name="Second University")
    services.contact_create(
        actor=partnerships_user, organization=first, name="Ana", email="ana@uni.edu"
    )
    with pytest.raises(ValidationError) as refused:
        services.contact_create(
            actor=partnerships_user, organization=first, name="Ana B", email="ANA@uni.edu"
        )
    assert "email" in refused.value.message_dict
    services.contact_create(
        actor=partnerships_user, organization=second, name="Ana", email="ana@uni.edu"
    )
    with pytest.raises(ValidationError, match="valid email"):
        services.contact_create(
            actor=partnerships_user, organization=second, name="Bad", email="not-an-email"
        )


def test_organization_names_are_unique_ignoring_case(partnerships_user: Any) -> None:
    services.organization_create(actor=partnerships_user, name="Open Genomics Lab")
    with pytest.raises(ValidationError, match="already exists"):
        services.organization_create(actor=partnerships_user, name="open genomics lab")


def test_engagement_update_cannot_touch_phase_or_status(
    lead: Engagement, partnerships_user: Any
) -> None:
    with pytest.raises(TypeError, match="phase"):
        services.engagement_update(actor=partnerships_user, engagement=lead, phase=Phase.PARTNER)
    services.engagement_update(actor=partnerships_user, engagement=lead, probability=60)
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"probability": {"old": 10, "new": 60}}


def test_timeline_entries_cannot_pose_as_milestones(
    lead: Engagement, partnerships_user: Any
) -> None:
    with pytest.raises(DomainError, match="Milestones are recorded by moving"):
        services.timeline_entry_add(
            actor=partnerships_user, engagement=lead, kind=EntryKind.MILESTONE, title="Fake"
        )
    entry = services.timeline_entry_add(
        actor=partnerships_user,
        engagement=lead,
        kind=EntryKind.MEETING,
        title="Intro",
        body="**Demo** done",
    )
    assert entry.author == partnerships_user


ALL_TARGETS = [(phase, status) for phase in Phase for status in Status]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.sampled_from(ALL_TARGETS), min_size=1, max_size=12))
def test_any_sequence_of_moves_keeps_a_valid_state_and_one_milestone_per_accepted_move(
    moves: list[tuple[Phase, Status]], partnerships_user: Any
) -> None:
    organization = services.organization_create(
        actor=partnerships_user, name=f"Random Walk {Engagement.objects.count()}"
    )
    engagement = services.engagement_create(actor=partnerships_user, organization=organization)
    accepted = 0
    for phase, status in moves:
        try:
            services.engagement_move(
                actor=partnerships_user,
                engagement=engagement,
                phase=phase,
                status=status,
                follow_up_on=timezone.localdate(),
                close_reason="Random walk.",
            )
        except (TransitionNotAllowed, ValidationError):
            continue
        accepted += 1
    engagement.refresh_from_db()
    assert engagement.status in PHASE_STATUSES[Phase(engagement.phase)]
    assert engagement.milestones.count() == accepted + 1
    last = engagement.milestones.order_by("-occurred_at", "-id").first()
    assert last is not None and (last.to_phase, last.to_status) == (
        engagement.phase,
        engagement.status,
    )
