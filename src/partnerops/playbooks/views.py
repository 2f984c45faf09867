"""Email templates and previews; playbook runs and their steps; documents, shared links and
received emails."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnerops.core import audit
from partnerops.core.access import requires
from partnerops.core.errors import DomainError
from partnerops.core.files import download
from partnerops.core.forms import add_service_errors
from partnerops.core.roles import Capability, has_capability
from partnerops.core.signed_links import LinkRefused
from partnerops.core.uploads import read_upload, upload_name
from partnerops.crm.models import Engagement
from partnerops.outbox.models import EmailTemplate
from partnerops.outbox.templating import VARIABLES, email_context, render_email
from partnerops.playbooks import documents, engine
from partnerops.playbooks.audit_actions import PlaybooksAction
from partnerops.playbooks.models import (
    Document,
    HandoffIssue,
    Playbook,
    PlaybookRun,
    RunState,
    RunStep,
    StepState,
)
from partnerops.playbooks.preview import preview_steps
from partnerops.playbooks.received import received_email_record


@requires(Capability.VIEW_PIPELINE)
def template_list(request: HttpRequest) -> HttpResponse:
    context = {"templates": EmailTemplate.objects.all(), "variables": VARIABLES}
    return render(request, "playbooks/template_list.html", context)


@requires(Capability.VIEW_PIPELINE)
def email_preview(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """What the email would say for this engagement, before anyone sends it."""
    engagement = get_object_or_404(
        Engagement.objects.select_related("organization", "owner"), pk=pk
    )
    template = get_object_or_404(EmailTemplate, key=key)
    agreement = engagement.agreements.select_related("tier").order_by("-start_on").first()
    try:
        rendered = render_email(template, email_context(engagement, agreement))
        error = ""
    except DomainError as refused:
        rendered, error = None, refused.message
    context = {
        "engagement": engagement,
        "template": template,
        "rendered": rendered,
        "error": error,
        "templates": EmailTemplate.objects.all(),
    }
    return render(request, "playbooks/email_preview.html", context)


class ReceivedEmailForm(forms.Form):
    email_file = forms.FileField(
        label="The email (.eml)", help_text="Saved from your mail program."
    )


# Playbook runs ----------------------------------------------------------------------------

VIEW = Capability.VIEW_PIPELINE
CHANGE = Capability.CHANGE_PIPELINE


def _say(request: HttpRequest, run: PlaybookRun) -> None:
    if run.state == RunState.FAILED:
        failed = run.steps.filter(state=StepState.FAILED).first()
        messages.error(request, f"{failed.title}: {failed.error}" if failed else "A step failed.")
    elif run.state == RunState.DONE:
        messages.success(request, f"{run.name}: done.")
    else:
        messages.info(request, f"{run.name}: waiting for you to tick the next step.")


@requires(CHANGE)
def run_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the playbook will do, with every email rendered, before anything is sent.
    POST: start it."""
    engagement = get_object_or_404(
        Engagement.objects.select_related("organization", "owner"), pk=pk
    )
    key = request.POST.get("playbook") or request.GET.get("playbook", "")
    playbook = get_object_or_404(Playbook, key=key, active=True)
    if request.method != "POST":
        context = {
            "engagement": engagement,
            "playbook": playbook,
            "steps": preview_steps(engagement, playbook),
        }
        return render(request, "playbooks/run_preview.html", context)
    try:
        run = engine.run_start(actor=request.user, engagement=engagement, playbook=playbook)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("crm:engagement-detail", pk=pk)
    _say(request, run)
    return redirect("playbooks:run-detail", pk=run.pk)


@requires(VIEW)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        PlaybookRun.objects.select_related("engagement__organization", "started_by"), pk=pk
    )
    steps = list(run.steps.select_related("done_by").order_by("position"))
    current = engine.current_step(run)
    context = {
        "run": run,
        "steps": steps,
        "current": current,
        "can_change": has_capability(request.user, CHANGE),
        "issues": {
            issue.pk: issue for issue in HandoffIssue.objects.filter(engagement=run.engagement)
        },
    }
    return render(request, "playbooks/run_detail.html", context)


@requires(CHANGE)
@require_POST
def step_complete_view(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    step = get_object_or_404(RunStep.objects.select_related("run"), run_id=pk, position=position)
    try:
        run = engine.step_complete(
            actor=request.user,
            step=step,
            notes=request.POST.get("notes", ""),
            skip=request.POST.get("skip") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _say(request, run)
    return redirect("playbooks:run-detail", pk=pk)


@requires(CHANGE)
@require_POST
def run_resume_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PlaybookRun, pk=pk)
    try:
        run = engine.run_resume(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _say(request, run)
    return redirect("playbooks:run-detail", pk=pk)


# Documents and received email --------------------------------------------------------------


@requires(VIEW)
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(Document, pk=pk)
    return download(document.file, document.download_name, document.content_type)


@requires(CHANGE)
@require_POST
def document_share(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    link = documents.share_link(document)
    audit.record(
        actor=request.user,
        instance=document,
        action=PlaybooksAction.SHARED,
        message="signed link made",
    )
    messages.success(
        request, f"Link to '{document}' for {settings.DOCUMENT_LINK_DAYS} days: {link}"
    )
    return redirect(f"{reverse('crm:engagement-detail', args=[document.engagement_id])}#documents")


@requires(CHANGE)
@require_POST
def running_notes_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement, pk=pk)
    try:
        document = documents.running_notes_export(actor=request.user, engagement=engagement)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("crm:engagement-detail", pk=pk)
    messages.success(request, f"Exported '{document}'.")
    return redirect(f"{reverse('crm:engagement-detail', args=[pk])}#documents")


@requires(CHANGE)
def received_email_upload(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement.objects.select_related("organization"), pk=pk)
    form = ReceivedEmailForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["email_file"]
        try:
            content = read_upload(upload, limit=settings.EMAIL_UPLOAD_MAX_BYTES, field="email_file")
            received = received_email_record(
                actor=request.user,
                engagement=engagement,
                file_name=upload_name(upload),
                content=content,
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Recorded '{received.subject}' from {received.sender} on the running notes.",
            )
            return redirect("crm:engagement-detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": f"Record a received email · {engagement.organization}",
            "multipart": True,
        },
    )


@requires(CHANGE)
@require_POST
def document_withdraw_links(request: HttpRequest, pk: int) -> HttpResponse:
    document = documents.share_links_withdraw(
        actor=request.user, document=get_object_or_404(Document, pk=pk)
    )
    messages.success(request, f"Every link shared to '{document}' so far no longer opens it.")
    return redirect(f"{reverse('crm:engagement-detail', args=[document.engagement_id])}#documents")


@login_not_required
def shared_document(request: HttpRequest, token: str) -> HttpResponseBase:
    """A document shared with a partner's contacts: signed, expiring, one document only."""
    try:
        document = documents.open_shared(token)
    except LinkRefused as refused:
        return render(request, "playbooks/link_refused.html", {"reason": str(refused)}, status=410)
    return download(document.file, document.download_name, document.content_type)
