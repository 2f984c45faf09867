"""Price book, agreement transitions, evidence, extensions, renewals and formal documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerops.contracts import selectors, services
from partnerops.contracts.models import (
    AgreementKind,
    AgreementState,
    DeliveryBasis,
    EndReason,
    ServiceTier,
)
from partnerops.core.errors import DomainError, TransitionNotAllowed
from partnerops.crm.states import Phase, Status
from tests.factories import prospect

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4 executed copy"


def test_the_2022_price_book_is_seeded_from_the_facts() -> None:
    education = services.current_tier("education", D(2024, 6, 1))
    research = services.current_tier("research", D(2024, 6, 1))
    partnership = services.current_tier("partnership", D(2024, 6, 1))
    assert (education.monthly_fee, education.annual_fee, education.hubs_per_engineer) == (
        Decimal("1000.00"), Decimal("12000.00"), Decimal("22"),
    )  # fmt: skip
    assert (research.monthly_fee, research.annual_fee, research.hubs_per_engineer) == (
        Decimal("1500.00"), Decimal("18000.00"), Decimal("14"),
    )  # fmt: skip
    assert partnership.annual_fee == Decimal(
        "50000.00"
    ) and partnership.engineer_fte_per_hub == Decimal("0.2000")
    assert (
        education.dedicated_cluster_markup_percent == Decimal("50.00")
        and education.cloud_cost_pass_through
    )


def test_a_price_change_is_a_new_version_and_agreements_keep_their_price(
    partnerships_user: Any,
) -> None:
    engagement = prospect(partnerships_user)
    old = services.current_tier("research", D(2026, 1, 1))
    agreement = services.agreement_create(
        actor=partnerships_user,
        engagement=engagement,
        tier=old,
        kind=AgreementKind.SERVICES_AGREEMENT,
        start_on=D(2026, 1, 1),
    )
    new = services.tier_reprice(
        actor=partnerships_user,
        tier=old,
        effective_from=D(2026, 7, 1),
        monthly_fee=Decimal("1650.00"),
        annual_fee=Decimal("19800.00"),
    )
    old.refresh_from_db()
    assert (new.version, old.effective_until) == (2, D(2026, 6, 30))
    assert services.current_tier("research", D(2026, 6, 30)) == old
    assert services.current_tier("research", D(2026, 7, 1)) == new
    agreement.refresh_from_db()
    assert (agreement.tier, agreement.price, agreement.end_on) == (
        old,
        Decimal("1500.00"),
        D(2026, 12, 31),
    )
    with pytest.raises(ValidationError, match="must start after"):
        services.tier_reprice(
            actor=partnerships_user,
            tier=new,
            effective_from=D(2026, 7, 1),
            monthly_fee=Decimal("1.00"),
            annual_fee=Decimal("12.00"),
        )


def _contract(actor: Any, **values: Any) -> Any:
    engagement = values.pop("engagement", None) or prospect(actor)
    return services.agreement_create(
        actor=actor,
        engagement=engagement,
        tier=services.current_tier("education"),
        kind=values.pop("kind", AgreementKind.SERVICES_AGREEMENT),
        start_on=values.pop("start_on", D(2026, 12, 1)),
        **values,
    )


def test_the_contract_path_and_the_executed_close(partnerships_user: Any) -> None:
    agreement = _contract(partnerships_user)
    for state in (
        AgreementState.NEGOTIATING,
        AgreementState.READY_TO_SIGN,
        AgreementState.OUT_FOR_SIGNATURE,
    ):
        services.agreement_transition(actor=partnerships_user, agreement=agreement, state=state)
    with pytest.raises(ValidationError, match="Upload the executed copy"):
        services.agreement_transition(
            actor=partnerships_user, agreement=agreement, state=AgreementState.EXECUTED
        )
    services.agreement_transition(
        actor=partnerships_user,
        agreement=agreement,
        state=AgreementState.EXECUTED,
        on=D(2026, 11, 20),
        executed_copy=SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf"),
    )
    agreement.refresh_from_db()
    engagement = agreement.engagement
    engagement.refresh_from_db()
    assert (agreement.state, agreement.executed_on) == (AgreementState.EXECUTED, D(2026, 11, 20))
    assert agreement.executed_copy.read() == PDF
    assert (engagement.phase, engagement.status) == (Phase.PARTNER, Status.NEEDS_ADMIN)
    assert "Executed close" in engagement.milestones.order_by("-id").first().note
    schedule = engagement.check_in_schedule
    assert (schedule.interval_months, schedule.next_due_on) == (3, D(2027, 3, 1))


@pytest.mark.parametrize(
    ("path", "requested", "message"),
    [
        ([], AgreementState.EXECUTED, "only a tier confirmed by email is executed from a draft"),
        (
            [],
            AgreementState.OUT_FOR_SIGNATURE,
            "from Draft it can move to Negotiating, Ready to sign, Executed, Ended",
        ),
        (
            [AgreementState.NEGOTIATING],
            AgreementState.ACTIVE,
            "from Negotiating it can move to Ready to sign, Ended",
        ),
        (
            [AgreementState.ENDED],
            AgreementState.NEGOTIATING,
            r"it can move to nothing \(it has ended\)",
        ),
    ],
)
def test_bad_agreement_moves_are_refused_and_change_nothing(
    partnerships_user: Any, path: list[AgreementState], requested: AgreementState, message: str
) -> None:
    agreement = _contract(partnerships_user)
    for state in path:
        services.agreement_transition(
            actor=partnerships_user,
            agreement=agreement,
            state=state,
            end_reason=EndReason.TERMINATED,
        )
    before = agreement.state
    with pytest.raises(TransitionNotAllowed, match=message):
        services.agreement_transition(actor=partnerships_user, agreement=agreement, state=requested)
    agreement.refresh_from_db()
    assert agreement.state == before


def test_an_email_confirmation_is_executed_from_draft_and_is_evidence_of_price(
    partnerships_user: Any,
) -> None:
    agreement = _contract(partnerships_user, kind=AgreementKind.EMAIL_CONFIRMATION)
    assert agreement.missing_invoicing_evidence() == ["no confirmation of the tier at its price"]
    services.agreement_transition(
        actor=partnerships_user,
        agreement=agreement,
        state=AgreementState.EXECUTED,
        on=D(2026, 11, 2),
    )
    agreement.refresh_from_db()
    assert agreement.price_confirmed_on == D(2026, 11, 2)
    assert agreement.missing_invoicing_evidence() == []
    assert list(selectors.invoiceable_agreements(D(2026, 12, 15))) == [agreement]
    assert list(selectors.invoiceable_agreements(D(2026, 11, 15))) == []  # before the start


def test_contract_delivery_needs_an_executed_contract(partnerships_user: Any) -> None:
    agreement = _contract(partnerships_user, delivery_basis=DeliveryBasis.CONTRACT)
    services.agreement_confirm_price(
        actor=partnerships_user,
        agreement=agreement,
        confirmed_on=D(2026, 11, 1),
        confirmation="Email of 1 Nov",
    )
    assert agreement.missing_invoicing_evidence() == [
        "delivery is to be covered by a contract, but no executed contract is recorded"
    ]
    assert not selectors.invoiceable_agreements(D(2026, 12, 15)).exists()


def test_executing_needs_a_prospect(partnerships_user: Any) -> None:
    from partnerops.crm import services as crm

    organization = crm.organization_create(actor=partnerships_user, name="Too Early College")
    engagement = crm.engagement_create(actor=partnerships_user, organization=organization)
    agreement = _contract(
        partnerships_user, engagement=engagement, kind=AgreementKind.EMAIL_CONFIRMATION
    )
    with pytest.raises(DomainError, match="executed with a Prospect"):
        services.agreement_transition(
            actor=partnerships_user, agreement=agreement, state=AgreementState.EXECUTED
        )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT


def test_terms_freeze_once_ready_to_sign(partnerships_user: Any) -> None:
    agreement = _contract(partnerships_user)
    services.agreement_update(actor=partnerships_user, agreement=agreement, price=Decimal("900.00"))
    services.agreement_transition(
        actor=partnerships_user, agreement=agreement, state=AgreementState.READY_TO_SIGN
    )
    with pytest.raises(DomainError, match="terms no longer change"):
        services.agreement_update(
            actor=partnerships_user, agreement=agreement, price=Decimal("1.00")
        )


def test_billing_contact_must_be_the_partners(partnerships_user: Any) -> None:
    other = prospect(partnerships_user, name="Other Org University")
    with pytest.raises(ValidationError, match="billing contact must belong"):
        _contract(partnerships_user, billing_contact=other.organization.contacts.get())


def test_extensions_move_the_end_in_two_week_steps(partnerships_user: Any) -> None:
    agreement = _contract(partnerships_user, kind=AgreementKind.EMAIL_CONFIRMATION)
    with pytest.raises(DomainError, match="Only an executed or active agreement"):
        services.agreement_extend(actor=partnerships_user, agreement=agreement)
    services.agreement_transition(
        actor=partnerships_user, agreement=agreement, state=AgreementState.EXECUTED
    )
    extension = services.agreement_extend(
        actor=partnerships_user, agreement=agreement, steps=2, reason="Grant delayed"
    )
    agreement.refresh_from_db()
    assert (extension.days, extension.previous_end_on, agreement.end_on) == (
        28,
        D(2027, 11, 30),
        D(2027, 12, 28),
    )


def test_a_renewal_links_to_what_it_renews_and_ends_it_when_it_starts(
    partnerships_user: Any,
) -> None:
    agreement = _contract(
        partnerships_user, kind=AgreementKind.EMAIL_CONFIRMATION, start_on=D(2025, 12, 1)
    )
    services.agreement_transition(
        actor=partnerships_user,
        agreement=agreement,
        state=AgreementState.EXECUTED,
        on=D(2025, 11, 1),
    )
    services.agreement_transition(
        actor=partnerships_user, agreement=agreement, state=AgreementState.ACTIVE, on=D(2025, 12, 1)
    )
    renewal = services.agreement_renew(actor=partnerships_user, agreement=agreement)
    assert (renewal.renews, renewal.start_on, renewal.end_on) == (
        agreement,
        D(2026, 12, 1),
        D(2027, 11, 30),
    )
    with pytest.raises(DomainError, match="already has a renewal"):
        services.agreement_renew(actor=partnerships_user, agreement=agreement)
    services.agreement_transition(
        actor=partnerships_user, agreement=renewal, state=AgreementState.EXECUTED, on=D(2026, 11, 1)
    )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE  # still in force until the renewal starts
    services.agreement_transition(
        actor=partnerships_user, agreement=renewal, state=AgreementState.ACTIVE, on=D(2026, 12, 1)
    )
    agreement.refresh_from_db()
    assert (agreement.state, agreement.end_reason, agreement.ended_on) == (
        AgreementState.ENDED, EndReason.RENEWED, D(2026, 11, 30),
    )  # fmt: skip


def test_renewal_views(partnerships_user: Any, settings: Any) -> None:
    settings.RENEWAL_WINDOW_DAYS, settings.DECOMMISSION_AFTER_DAYS = 90, 42
    today = D(2026, 11, 22)
    made = {}
    for name, end in (
        ("soon", D(2027, 1, 15)),
        ("later", D(2027, 6, 1)),
        ("lapsed", D(2026, 11, 1)),
        ("old", D(2026, 9, 1)),
    ):
        agreement = _contract(
            partnerships_user,
            engagement=prospect(partnerships_user, name=f"{name.title()} Institute"),
            kind=AgreementKind.EMAIL_CONFIRMATION,
            start_on=D(2025, 6, 1),
            end_on=end,
        )
        services.agreement_transition(
            actor=partnerships_user,
            agreement=agreement,
            state=AgreementState.EXECUTED,
            on=D(2025, 5, 1),
        )
        made[name] = agreement
    ended = made["old"]
    views = selectors.renewal_views(today)
    assert list(views["needs_renewal"]) == [made["soon"]]
    assert list(views["active"]) == [made["later"]]
    assert list(views["lapsed"]) == [made["lapsed"]]
    assert list(views["ready_for_decommissioning"]) == [ended]
    services.agreement_transition(
        actor=partnerships_user,
        agreement=ended,
        state=AgreementState.ENDED,
        end_reason=EndReason.EXPIRED,
    )
    views = selectors.renewal_views(today)
    assert list(views["ready_for_decommissioning"]) == [] and list(views["ended_or_renewed"]) == [
        ended
    ]


def test_report_of_partners_lacking_the_current_formal_documents(partnerships_user: Any) -> None:
    old_sla = services.formal_document_add(
        actor=partnerships_user, document="sla", version="2024", effective_on=D(2024, 1, 1)
    )
    new_sla = services.formal_document_add(
        actor=partnerships_user, document="sla", version="2026", effective_on=D(2026, 1, 1)
    )
    services.formal_document_add(
        actor=partnerships_user, document="sla", version="2027", effective_on=D(2027, 1, 1)
    )
    privacy = services.formal_document_add(
        actor=partnerships_user,
        document="privacy",
        version="1.0",
        effective_on=D(2025, 3, 1),
        file=SimpleUploadedFile("privacy.pdf", PDF),
    )
    agreement = _contract(partnerships_user, kind=AgreementKind.EMAIL_CONFIRMATION)
    services.agreement_transition(
        actor=partnerships_user, agreement=agreement, state=AgreementState.EXECUTED
    )
    services.agreement_set_formal_documents(
        actor=partnerships_user, agreement=agreement, versions=[old_sla, privacy]
    )
    report = selectors.agreements_missing_current_documents(D(2026, 11, 22))
    assert [(row.agreement, row.missing) for row in report] == [(agreement, [new_sla])]
    services.agreement_set_formal_documents(
        actor=partnerships_user, agreement=agreement, versions=[new_sla, privacy]
    )
    assert selectors.agreements_missing_current_documents(D(2026, 11, 22)) == []
    with pytest.raises(ValidationError, match="one version of each"):
        services.agreement_set_formal_documents(
            actor=partnerships_user, agreement=agreement, versions=[old_sla, new_sla]
        )


def test_tier_codes_are_unique(partnerships_user: Any) -> None:
    with pytest.raises(ValidationError, match="new version"):
        services.tier_create(
            actor=partnerships_user,
            code="education",
            effective_from=D(2027, 1, 1),
            name="Education",
            kind="education",
            monthly_fee=Decimal(1),
            annual_fee=Decimal(12),
            engineer_fte_per_hub=Decimal("0.05"),
            hubs_per_engineer=Decimal(20),
        )
    assert ServiceTier.objects.filter(code="education").count() == 1
