"""The GitHub hand-off against a real HTTP server on loopback, and received .eml files."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from partnerops.crm.models import EntryKind
from partnerops.playbooks.engine import run_resume, run_start
from partnerops.playbooks.models import (
    DocumentKind,
    HandoffIssue,
    IssueTemplate,
    Playbook,
    RunState,
    StepState,
)
from partnerops.playbooks.received import received_email_record
from tests.factories import prospect

pytestmark = pytest.mark.django_db


class FakeGitHub(BaseHTTPRequestHandler):
    """Answers POST /repos/{owner}/{repo}/issues like GitHub, and keeps what it got."""

    requests: list[dict[str, Any]] = []
    status = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "auth": self.headers["Authorization"], **body}
        )
        number = len(type(self).requests)
        answer = ({"number": number, "html_url": f"https://github.com/example-org/infrastructure/issues/{number}"}
                  if type(self).status == 201 else {"message": "Bad credentials"})  # fmt: skip
        payload = json.dumps(answer).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def github(settings: Any) -> Iterator[type[FakeGitHub]]:
    FakeGitHub.requests, FakeGitHub.status = [], 201
    server = HTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GITHUB_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.GITHUB_REPOSITORY, settings.GITHUB_TOKEN = "example-org/infrastructure", "ghp_test"
    yield FakeGitHub
    server.shutdown()


def test_set_up_service_opens_issues_through_the_api(
    github: type[FakeGitHub], partnerships_user: Any
) -> None:
    engagement = prospect(partnerships_user, "Solo Institute")
    run = run_start(
        actor=partnerships_user,
        engagement=engagement,
        playbook=Playbook.objects.get(key="set-up-service"),
    )
    assert run.state == RunState.WAITING
    (request,) = github.requests
    assert request["path"] == "/repos/example-org/infrastructure/issues"
    assert request["auth"] == "Bearer ghp_test"
    assert request["title"] == "New Hub - Request Information: Solo Institute"
    assert "rep@solo.example.edu" in request["body"] and request["labels"] == ["new-hub"]
    issue = HandoffIssue.objects.get()
    assert (issue.number, issue.created_through_api) == (1, True)
    assert issue.url == "https://github.com/example-org/infrastructure/issues/1"


def test_github_refusing_fails_the_step_and_resume_retries(
    github: type[FakeGitHub], partnerships_user: Any
) -> None:
    github.status = 401
    engagement = prospect(partnerships_user, "Solo Institute")
    run = run_start(
        actor=partnerships_user,
        engagement=engagement,
        playbook=Playbook.objects.get(key="set-up-service"),
    )
    step = run.steps.get(position=1)
    assert run.state == RunState.FAILED and step.state == StepState.FAILED
    assert "GitHub refused the issue (401)" in step.error and "Bad credentials" in step.error
    assert HandoffIssue.objects.count() == 0
    github.status = 201
    assert run_resume(actor=partnerships_user, run=run).state == RunState.WAITING
    assert HandoffIssue.objects.count() == 1


def test_issue_templates_are_editable(partnerships_user: Any, settings: Any) -> None:
    settings.GITHUB_REPOSITORY = ""
    IssueTemplate.objects.filter(key="new-hub-request-information").update(
        title="Info please: {{ partner }}"
    )
    engagement = prospect(partnerships_user, "Solo Institute")
    run_start(
        actor=partnerships_user,
        engagement=engagement,
        playbook=Playbook.objects.get(key="set-up-service"),
    )
    assert HandoffIssue.objects.get().title == "Info please: Solo Institute"
    assert HandoffIssue.objects.get().url.startswith(
        "https://github.com/OWNER/REPOSITORY/issues/new?"
    )


def _eml() -> bytes:
    message = EmailMessage()
    message["From"] = "Lee <lee@greatlakes.edu>"
    message["To"] = "partnerships@example.org"
    message["Date"] = "Wed, 04 Nov 2026 09:30:00 -0500"
    message["Subject"] = "Re: Thank you for your interest"
    message["Message-ID"] = "<abc@greatlakes.edu>"
    message.set_content("We would like a Research hub.\nBest, Lee")
    message.add_attachment(
        b"%PDF-1.4 budget", maintype="application", subtype="pdf", filename="budget.pdf"
    )
    return bytes(message)


def test_a_received_email_is_recorded_with_its_attachments(partnerships_user: Any) -> None:
    engagement = prospect(partnerships_user, "Great Lakes Academy")
    eml = _eml()  # the MIME boundary is random: one copy
    received = received_email_record(
        actor=partnerships_user, engagement=engagement, file_name="reply.eml", content=eml
    )
    assert received.sender == "Lee <lee@greatlakes.edu>"
    assert received.subject == "Re: Thank you for your interest"
    assert received.sent_at.isoformat() == "2026-11-04T09:30:00-05:00"
    assert "We would like a Research hub." in received.body
    entry = received.timeline_entry
    assert (
        entry.kind == EntryKind.EMAIL
        and entry.title == "Email received: Re: Thank you for your interest"
    )
    (attachment,) = received.attachments.all()
    assert (
        attachment.kind == DocumentKind.EMAIL_ATTACHMENT
        and attachment.file.read() == b"%PDF-1.4 budget"
    )
    assert received.original.file.read() == eml


def test_a_file_that_is_not_an_email_is_refused_and_nothing_is_kept(partnerships_user: Any) -> None:
    from partnerops.playbooks.models import Document

    engagement = prospect(partnerships_user, "Great Lakes Academy")
    with pytest.raises(ValidationError, match="no From or Date header"):
        received_email_record(
            actor=partnerships_user, engagement=engagement, file_name="x.eml", content=b"hello"
        )
    bad_date = b"From: a@b.org\r\nDate: someday\r\nSubject: x\r\n\r\nbody"
    with pytest.raises(ValidationError, match="not a date"):
        received_email_record(
            actor=partnerships_user, engagement=engagement, file_name="x.eml", content=bad_date
        )
    assert Document.objects.count() == 0
    assert not engagement.timeline_entries.filter(kind=EntryKind.EMAIL).exists()
