"""API v1: playbooks and their runs, documents, emails sent and received."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from partnerops.api.auth import can_change_pipeline, can_view_pipeline
from partnerops.api.schemas import Id, Input, Pages
from partnerops.core.files import download
from partnerops.core.uploads import read_upload, upload_name
from partnerops.crm.models import Engagement
from partnerops.outbox.models import EmailStatus, OutboundEmail
from partnerops.playbooks import documents, engine
from partnerops.playbooks.models import (
    Document,
    DocumentKind,
    Playbook,
    PlaybookRun,
    ReceivedEmail,
    RunState,
    RunStep,
    StepKind,
    StepState,
)
from partnerops.playbooks.received import received_email_record

playbooks = Router(tags=["playbooks"])
runs = Router(tags=["playbooks"])
files = Router(tags=["playbooks"])
emails = Router(tags=["playbooks"])


class StepDefinitionOut(Schema):
    position: int
    title: str
    kind: StepKind
    action: str
    params: dict[str, Any]


class PlaybookOut(Schema):
    key: str
    name: str
    description: str
    steps: list[StepDefinitionOut]

    @staticmethod
    def resolve_steps(obj: Playbook) -> Any:
        return list(obj.steps.all())


class PlaybookRunStepOut(Schema):
    position: int
    title: str
    kind: StepKind
    action: str
    state: StepState
    done_by: str | None
    done_at: dt.datetime | None
    notes: str
    error: str
    result: dict[str, Any]

    @staticmethod
    def resolve_done_by(obj: RunStep) -> str | None:
        return str(obj.done_by) if obj.done_by else None


class PlaybookRunOut(Schema):
    id: int
    engagement_id: int
    playbook: str = Field(..., alias="playbook.key")
    name: str
    state: RunState
    started_at: dt.datetime
    finished_at: dt.datetime | None
    steps: list[PlaybookRunStepOut]

    @staticmethod
    def resolve_steps(obj: PlaybookRun) -> Any:
        return list(obj.steps.select_related("done_by").order_by("position"))


class PlaybookRunIn(Input):
    engagement_id: Id
    playbook: str = Field(..., examples=["hail-the-lead"])


class CompleteIn(Input):
    notes: str = ""
    skip: bool = False


class DocumentOut(Schema):
    id: int
    engagement_id: int | None
    kind: DocumentKind
    title: str
    version: int
    content_type: str
    created_at: dt.datetime


class ShareOut(Schema):
    url: str
    valid_days: int


class EmailOut(Schema):
    id: int
    direction: str
    subject: str
    sender: str
    to: list[str]
    cc: list[str]
    status: str
    error: str
    at: dt.datetime


class RunningNotesIn(Input):
    engagement_id: Id


def _run(run_id: int) -> PlaybookRun:
    return get_object_or_404(
        PlaybookRun.objects.select_related("playbook", "engagement"), pk=run_id
    )


@playbooks.get("", response=list[PlaybookOut], auth=can_view_pipeline)
def list_playbooks(request: HttpRequest) -> Any:
    return list(Playbook.objects.filter(active=True).prefetch_related("steps"))


@runs.post("", response={201: PlaybookRunOut}, auth=can_change_pipeline)
def start_playbook(request: HttpRequest, payload: PlaybookRunIn) -> Reply[PlaybookRun]:
    """Start a playbook on an engagement; automatic steps run at once. A failed step shows
    its error in the run (state ``failed``); resume it once the cause is fixed."""
    engagement = get_object_or_404(Engagement, pk=payload.engagement_id)
    playbook = get_object_or_404(Playbook, key=payload.playbook, active=True)
    return Reply(
        201, engine.run_start(actor=request.user, engagement=engagement, playbook=playbook)
    )


@runs.get("", response=list[PlaybookRunOut], auth=can_view_pipeline)
@paginate(Pages)
def list_playbook_runs(request: HttpRequest, engagement_id: Id | None = None) -> Any:
    rows = PlaybookRun.objects.select_related("playbook")
    return rows.filter(engagement_id=engagement_id) if engagement_id else rows


@runs.get("/{run_id}", response=PlaybookRunOut, auth=can_view_pipeline)
def get_playbook_run(request: HttpRequest, run_id: Id) -> PlaybookRun:
    return _run(run_id)


@runs.post("/{run_id}/steps/{position}/complete", response=PlaybookRunOut, auth=can_change_pipeline)
def complete_step(
    request: HttpRequest, run_id: Id, position: Id, payload: CompleteIn
) -> PlaybookRun:
    """Tick (or skip) the current manual step; the run then carries on."""
    step = get_object_or_404(
        RunStep.objects.select_related("run"), run_id=run_id, position=position
    )
    engine.step_complete(actor=request.user, step=step, notes=payload.notes, skip=payload.skip)
    return _run(run_id)


@runs.post("/{run_id}/resume", response=PlaybookRunOut, auth=can_change_pipeline)
def resume_playbook_run(request: HttpRequest, run_id: Id) -> PlaybookRun:
    engine.run_resume(actor=request.user, run=_run(run_id))
    return _run(run_id)


@files.get("", response=list[DocumentOut], auth=can_view_pipeline)
@paginate(Pages)
def list_documents(request: HttpRequest, engagement_id: Id | None = None) -> Any:
    rows = Document.objects.all()
    return rows.filter(engagement_id=engagement_id) if engagement_id else rows


@files.get("/{document_id}/file", auth=can_view_pipeline)
def download_document(request: HttpRequest, document_id: Id) -> FileResponse:
    document = get_object_or_404(Document, pk=document_id)
    return download(document.file, document.download_name, document.content_type)


@files.post("/{document_id}/share", response=ShareOut, auth=can_change_pipeline)
def share_document(request: HttpRequest, document_id: Id) -> dict[str, Any]:
    """A signed link to this one document, for the partner's contacts; it expires."""
    from django.conf import settings

    document = get_object_or_404(Document, pk=document_id)
    return {"url": documents.share_link(document), "valid_days": settings.DOCUMENT_LINK_DAYS}


@files.post("/{document_id}/withdraw-links", response=DocumentOut, auth=can_change_pipeline)
def withdraw_document_links(request: HttpRequest, document_id: Id) -> Document:
    """Every link shared to this document so far stops working; new ones can be made."""
    return documents.share_links_withdraw(
        actor=request.user, document=get_object_or_404(Document, pk=document_id)
    )


@files.post("/running-notes", response={201: DocumentOut}, auth=can_change_pipeline)
def export_running_notes(request: HttpRequest, payload: RunningNotesIn) -> Reply[Document]:
    engagement = get_object_or_404(Engagement, pk=payload.engagement_id)
    return Reply(201, documents.running_notes_export(actor=request.user, engagement=engagement))


@emails.get("", response=list[EmailOut], auth=can_view_pipeline)
def list_emails(request: HttpRequest, engagement_id: Id) -> list[dict[str, Any]]:
    """An engagement's correspondence: emails sent (with delivery status) and received."""
    sent = [
        {
            "id": e.pk,
            "direction": "sent",
            "subject": e.subject,
            "sender": e.from_email,
            "to": e.to,
            "cc": e.cc,
            "status": EmailStatus(e.status).label,
            "error": e.last_error,
            "at": e.sent_at or e.created_at,
        }
        for e in OutboundEmail.objects.filter(engagement_id=engagement_id)
    ]
    received = [
        {
            "id": r.pk,
            "direction": "received",
            "subject": r.subject,
            "sender": r.sender,
            "to": [a.strip() for a in r.to.split(",") if a.strip()],
            "cc": [a.strip() for a in r.cc.split(",") if a.strip()],
            "status": "received",
            "error": "",
            "at": r.sent_at,
        }
        for r in ReceivedEmail.objects.filter(engagement_id=engagement_id)
    ]
    return sorted(sent + received, key=lambda item: item["at"], reverse=True)


@emails.post("/received", response={201: EmailOut}, auth=can_change_pipeline)
def record_received_email(
    request: HttpRequest,
    engagement_id: Id = Form(...),  # noqa: B008
    email_file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare uploads
) -> Reply[dict[str, Any]]:
    """Record a received email on the running notes from its .eml (multipart)."""
    engagement = get_object_or_404(Engagement, pk=engagement_id)
    content = read_upload(email_file, limit=settings.EMAIL_UPLOAD_MAX_BYTES, field="email_file")
    received = received_email_record(
        actor=request.user,
        engagement=engagement,
        file_name=upload_name(email_file),
        content=content,
    )
    return Reply(
        201,
        {
            "id": received.pk,
            "direction": "received",
            "subject": received.subject,
            "sender": received.sender,
            "to": [received.to] if received.to else [],
            "cc": [received.cc] if received.cc else [],
            "status": "received",
            "error": "",
            "at": received.sent_at,
        },
    )
