"""Each playbook run end to end through the services, with real SMTP, .docx files and
failures in the middle that are resumed."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document as Docx

from partnerops.contracts import services as contracts
from partnerops.core.errors import DomainError
from partnerops.crm.models import Engagement, EntryKind
from partnerops.crm.states import Phase, Status
from partnerops.outbox.models import EmailStatus, EmailTemplate, OutboundEmail
from partnerops.playbooks import documents
from partnerops.playbooks.engine import run_advance, run_resume, run_start, step_complete
from partnerops.playbooks.models import (
    Document,
    DocumentKind,
    DocumentTemplate,
    HandoffIssue,
    Playbook,
    PlaybookRun,
    RunState,
    StepState,
)
from tests.factories import prospect
from tests.smtp import Inbox

pytestmark = pytest.mark.django_db


def start(actor: Any, engagement: Engagement, key: str) -> PlaybookRun:
    return run_start(actor=actor, engagement=engagement, playbook=Playbook.objects.get(key=key))


def docx_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        return "\n".join(p.text for p in Docx(io.BytesIO(handle.read())).paragraphs)


@pytest.fixture
def lead(partnerships_user: Any) -> Engagement:
    from partnerops.crm import services as crm

    organization = crm.organization_create(actor=partnerships_user, name="Great Lakes Academy")
    crm.contact_create(actor=partnerships_user, organization=organization, name="Lee", email="lee@greatlakes.edu",
                       is_community_representative=True)  # fmt: skip
    return crm.engagement_create(
        actor=partnerships_user, organization=organization, owner=partnerships_user
    )


def test_hail_the_lead_sends_the_canned_response_with_the_service_description(
    smtp: Inbox, lead: Engagement, partnerships_user: Any
) -> None:
    run = start(partnerships_user, lead, "hail-the-lead")
    assert run.state == RunState.DONE
    ((recipients, message),) = smtp.received
    assert recipients == ["lee@greatlakes.edu", "partnerships@example.org"]
    assert (
        message["From"] == "partnerships@example.org"
        and message["Cc"] == "partnerships@example.org"
    )
    assert message["Subject"] == "Thank you for your interest in Example Hubs"
    assert (
        "https://example.org/schedule-a-meeting"
        in message.get_payload()[0].get_payload(decode=True).decode()
    )
    (attachment,) = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "Example Hubs service description v1.docx"
    text = "\n".join(
        p.text for p in Docx(io.BytesIO(attachment.get_payload(decode=True))).paragraphs
    )
    assert "Research: USD 1500.00 a month" in text
    titles = list(lead.timeline_entries.values_list("title", flat=True))
    assert "Hail the Lead: started" in titles and "Hail the Lead: finished" in titles
    assert [s.state for s in run.steps.all()] == [StepState.DONE, StepState.DONE]
    assert run.steps.first().done_at is not None


def test_a_down_mail_server_fails_the_step_and_resume_sends_once(
    settings: Any, lead: Engagement, partnerships_user: Any, smtp_down: None
) -> None:
    run = start(partnerships_user, lead, "hail-the-lead")
    assert run.state == RunState.FAILED
    step = run.steps.get(position=1)
    assert step.state == StepState.FAILED and "mail server did not take it" in step.error
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.FAILED  # stored, archived, and retried by the outbox too
    assert run.steps.get(position=2).state == StepState.PENDING
    assert lead.timeline_entries.filter(title__contains="step 1 failed").exists()
    # The server comes back; resuming sends the same stored email, once.
    from tests.smtp import Inbox as InboxClass

    inbox = InboxClass()
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        resumed = run_resume(actor=partnerships_user, run=run)
    finally:
        controller.stop()
    assert resumed.state == RunState.DONE
    assert len(inbox.received) == 1 and OutboundEmail.objects.count() == 1
    assert Document.objects.filter(kind=DocumentKind.SERVICE_DESCRIPTION).count() == 1


def test_a_broken_template_fails_the_step_and_records_nothing(
    smtp: Inbox, lead: Engagement, partnerships_user: Any
) -> None:
    EmailTemplate.objects.filter(key="running-notes-shared").update(body="Hello {% if %}")
    run = start(partnerships_user, lead, "create-running-notes")
    assert run.state == RunState.FAILED
    failed = run.steps.get(position=2)
    assert "The email template 'Running notes shared' cannot be used" in failed.error
    assert OutboundEmail.objects.count() == 0 and smtp.received == []
    assert run.steps.get(position=1).state == StepState.DONE  # the document was made
    EmailTemplate.objects.filter(key="running-notes-shared").update(body="See {{ link }}")
    assert run_resume(actor=partnerships_user, run=run).state == RunState.DONE
    ((_, message),) = smtp.received
    assert "/documents/shared/" in message.get_payload(decode=True).decode()


def test_a_broken_document_template_names_itself(
    lead: Engagement, partnerships_user: Any, smtp: Inbox
) -> None:
    from django.core.files.base import ContentFile

    template = DocumentTemplate.objects.get(key="running-notes")
    broken = Docx()
    broken.add_paragraph("{{ partner ")
    buffer = io.BytesIO()
    broken.save(buffer)
    template.file.save("broken.docx", ContentFile(buffer.getvalue()))
    run = start(partnerships_user, lead, "create-running-notes")
    step = run.steps.get(position=1)
    assert (
        step.state == StepState.FAILED
        and "The document template 'Running notes' cannot be used" in step.error
    )
    assert Document.objects.count() == 0


def test_running_notes_are_versioned_and_shared_by_a_signed_link(
    smtp: Inbox, lead: Engagement, partnerships_user: Any, client: Any
) -> None:
    start(partnerships_user, lead, "create-running-notes")
    first = Document.objects.get(kind=DocumentKind.RUNNING_NOTES)
    assert first.file.name.startswith(f"partners/{lead.organization_id}-great-lakes-academy/")
    again = documents.running_notes_export(actor=partnerships_user, engagement=lead)
    assert (first.version, again.version) == (1, 2) and first.file.name != again.file.name
    assert "Running notes -- Great Lakes Academy + Example Hubs" in docx_text(again)
    assert "Create running notes: started" in docx_text(again)
    link = documents.share_link(first)
    path = link.removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    assert client.get(path[:-3] + "xx/").status_code == 410


def test_meet_with_the_lead_is_a_checklist_and_a_verbal_close_makes_a_prospect(
    lead: Engagement, partnerships_user: Any
) -> None:
    from partnerops.crm import services as crm

    crm.engagement_move(actor=partnerships_user, engagement=lead, phase=Phase.QUALIFIED_LEAD)
    run = start(partnerships_user, lead, "meet-with-the-lead")
    assert run.state == RunState.WAITING
    steps = list(run.steps.order_by("position"))
    with pytest.raises(DomainError, match="is not the step to do now"):
        step_complete(actor=partnerships_user, step=steps[2])
    step_complete(actor=partnerships_user, step=steps[0], notes="They asked about GPUs.")
    step_complete(actor=partnerships_user, step=steps[1], skip=True)
    step_complete(actor=partnerships_user, step=steps[2])
    step_complete(actor=partnerships_user, step=steps[3], notes="Procurement in March.")
    run = step_complete(actor=partnerships_user, step=steps[4])
    assert run.state == RunState.DONE
    lead.refresh_from_db()
    assert lead.phase == Phase.PROSPECT
    done = run.steps.get(position=1)
    assert (done.done_by, done.notes) == (partnerships_user, "They asked about GPUs.")
    assert run.steps.get(position=2).state == StepState.SKIPPED
    entry = lead.timeline_entries.get(title="Meet with the lead: Answer their questions (done)")
    assert entry.body == "They asked about GPUs."


def test_send_draft_contract_files_shares_and_notes(smtp: Inbox, partnerships_user: Any) -> None:
    engagement = prospect(partnerships_user, "Pacific Islands Climate School")
    run = start(partnerships_user, engagement, "send-draft-contract")
    assert run.state == RunState.DONE
    document = Document.objects.get(kind=DocumentKind.SERVICES_AGREEMENT)
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert (
        document.title
        == f"Pacific Islands Climate School + Example Hubs/Example Fiscal Sponsor - Services Agreement {today}"
    )
    text = docx_text(document)
    assert "Pacific Islands Climate School" in text and today in text
    ((_, message),) = smtp.received
    # Long header values arrive folded; unfolded, the attachment has the document's name.
    names = [
        part.get_filename().replace("\r\n", "") for part in message.walk() if part.get_filename()
    ]
    assert names == [document.download_name]
    assert engagement.timeline_entries.filter(
        kind=EntryKind.DOCUMENT, title=f"{today}: Sent (Draft) Service Agreement"
    ).exists()


def test_negotiation_and_signature_request_to_the_executed_close(
    smtp: Inbox, partnerships_user: Any, user_with_role: Any
) -> None:
    from partnerops.core.roles import Role

    engagement = prospect(partnerships_user, "Coastal Ocean")
    start(partnerships_user, engagement, "send-draft-contract")
    agreement = contracts.agreement_create(actor=partnerships_user, engagement=engagement,
                                           tier=contracts.current_tier("research"), kind="services_agreement",
                                           start_on=dt.date(2026, 12, 1), delivery_basis="contract")  # fmt: skip
    contracts.agreement_transition(
        actor=partnerships_user, agreement=agreement, state="negotiating"
    )
    negotiation = start(partnerships_user, engagement, "agreement-negotiation")
    step_complete(actor=partnerships_user, step=negotiation.steps.get(position=1))
    negotiation = step_complete(actor=partnerships_user, step=negotiation.steps.get(position=2))
    agreement.refresh_from_db()
    assert negotiation.state == RunState.DONE and agreement.state == "ready_to_sign"

    signature = start(partnerships_user, engagement, "signature-request")
    assert signature.state == RunState.WAITING
    recipients, message = smtp.received[-1]
    assert recipients[0] == "operations@sponsor.example.org"
    assert (
        "circulate the executable agreement"
        in message.get_payload()[0].get_payload(decode=True).decode()
    )
    executed_step = signature.steps.get(position=2)
    signature = step_complete(actor=partnerships_user, step=executed_step)
    assert signature.state == RunState.FAILED
    assert "No executed agreement is recorded yet" in signature.steps.get(position=2).error
    operations = user_with_role(Role.OPERATIONS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    contracts.agreement_transition(actor=operations, agreement=agreement, state="out_for_signature")
    contracts.agreement_transition(actor=operations, agreement=agreement, state="executed",
                                   executed_copy=SimpleUploadedFile("signed.pdf", b"%PDF-1.4"))  # fmt: skip
    signature = run_resume(actor=partnerships_user, run=signature)
    signature = step_complete(actor=partnerships_user, step=signature.steps.get(position=2))
    assert signature.state == RunState.DONE
    engagement.refresh_from_db()
    assert engagement.phase == Phase.PARTNER


def test_confirm_service_forwards_to_operations_and_sets_needs_admin(
    smtp: Inbox, partnerships_user: Any
) -> None:
    engagement = prospect(partnerships_user, "Prairie College")
    run = start(partnerships_user, engagement, "confirm-service")
    assert run.state == RunState.DONE
    ((recipients, message),) = smtp.received
    assert (
        "operations@sponsor.example.org" in recipients and "partnerships@example.org" in recipients
    )
    assert message["Subject"].startswith("Confirming your")
    engagement.refresh_from_db()
    assert engagement.status == Status.NEEDS_ADMIN


def test_set_up_service_offers_prefilled_links_without_github(
    partnerships_user: Any, settings: Any
) -> None:
    settings.GITHUB_REPOSITORY, settings.GITHUB_TOKEN = "example-org/infrastructure", ""
    engagement = prospect(partnerships_user, "Solo Institute")
    run = start(partnerships_user, engagement, "set-up-service")
    assert run.state == RunState.WAITING
    issue = HandoffIssue.objects.get()
    assert issue.url.startswith(
        "https://github.com/example-org/infrastructure/issues/new?title=New+Hub+-+Request+Information"
    )
    assert "Solo+Institute" in issue.url and not issue.created_through_api
    run = step_complete(actor=partnerships_user, step=run.steps.get(position=2))
    assert HandoffIssue.objects.count() == 2
    assert run.steps.get(position=3).result["issue_url"] == HandoffIssue.objects.last().url  # type: ignore[union-attr]


def test_checklists_for_later_automation(partnerships_user: Any) -> None:
    engagement = prospect(partnerships_user, "Checklist College")
    for key in ("launch-meeting", "satisfaction-check-in", "renewal-tickler"):
        run = start(partnerships_user, engagement, key)
        while run.state == RunState.WAITING:
            from partnerops.playbooks.engine import current_step

            step = current_step(run)
            assert step is not None
            run = step_complete(actor=partnerships_user, step=step, notes="ok")
        assert run.state == RunState.DONE


def test_advance_is_idempotent_on_a_finished_run(
    smtp: Inbox, lead: Engagement, partnerships_user: Any
) -> None:
    run = start(partnerships_user, lead, "hail-the-lead")
    again = run_advance(actor=partnerships_user, run=run)
    assert again.state == RunState.DONE and len(smtp.received) == 1
    with pytest.raises(DomainError, match="no failed step"):
        run_resume(actor=partnerships_user, run=run)
