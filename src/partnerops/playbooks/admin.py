from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin
from partnerops.core.errors import DomainError
from partnerops.playbooks.actions import ACTIONS
from partnerops.playbooks.documents import render_docx_content, sample_context
from partnerops.playbooks.handoff import render_issue_text, sample_issue_context
from partnerops.playbooks.models import (
    Document,
    DocumentTemplate,
    HandoffIssue,
    IssueTemplate,
    Playbook,
    PlaybookRun,
    PlaybookStep,
    ReceivedEmail,
    RunStep,
    StepKind,
)


class PlaybookStepForm(forms.ModelForm[PlaybookStep]):
    action = forms.ChoiceField(
        required=False,
        choices=[
            ("", "— none (a checklist item) —"),
            *[(name, name.replace("_", " ")) for name in ACTIONS],
        ],
        help_text="Automatic steps need an action; a manual step may run one when ticked.",
    )

    class Meta:
        model = PlaybookStep
        fields = ["position", "title", "help_text", "kind", "action", "params"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == StepKind.AUTOMATIC and not data.get("action"):
            raise forms.ValidationError("An automatic step needs an action.")
        if not isinstance(data.get("params") or {}, dict):
            raise forms.ValidationError(
                {"params": 'Parameters are a JSON object, e.g. {"template": "hail-the-lead"}.'}
            )
        return data


class PlaybookStepInline(admin.TabularInline[PlaybookStep, Playbook]):
    model = PlaybookStep
    form = PlaybookStepForm
    extra = 1


@admin.register(Playbook)
class PlaybookAdmin(AuditedAdmin):
    list_display = ("name", "key", "position", "active")
    inlines = [PlaybookStepInline]


MAX_TEMPLATE_BYTES = 20_000_000


class DocumentTemplateForm(forms.ModelForm[DocumentTemplate]):
    class Meta:
        model = DocumentTemplate
        fields = ["key", "name", "file"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "read") and not getattr(upload, "_committed", False):
            head = upload.read(4)
            upload.seek(0)
            if head != b"PK\x03\x04" or not upload.name.lower().endswith(".docx"):
                raise forms.ValidationError("Upload a Word document (.docx).")
            if upload.size > MAX_TEMPLATE_BYTES:
                raise forms.ValidationError(
                    f"A template is at most {MAX_TEMPLATE_BYTES // 1_000_000} MB; this one is "
                    f"{upload.size / 1_000_000:.1f} MB."
                )
            content = upload.read(MAX_TEMPLATE_BYTES + 1)
            upload.seek(0)
            try:  # against example values: a broken template is refused, not filed
                render_docx_content(upload.name, content, sample_context())
            except DomainError as error:
                raise forms.ValidationError(error.message) from None
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(AuditedAdmin):
    form = DocumentTemplateForm
    list_display = ("name", "key", "file", "updated_at")


class IssueTemplateForm(forms.ModelForm[IssueTemplate]):
    class Meta:
        model = IssueTemplate
        fields = ["key", "name", "title", "body", "labels"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            render_issue_text(
                data.get("name") or "",
                data.get("title") or "",
                data.get("body") or "",
                sample_issue_context(),
            )
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return data


@admin.register(IssueTemplate)
class IssueTemplateAdmin(AuditedAdmin):
    form = IssueTemplateForm
    list_display = ("name", "key", "title", "updated_at")


class RunStepInline(admin.TabularInline[RunStep, PlaybookRun]):
    model = RunStep
    extra = 0
    can_delete = False
    fields = ("position", "title", "kind", "state", "done_by", "done_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PlaybookRun)
class PlaybookRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "engagement", "state", "started_at", "finished_at")
    list_filter = ("state", "name")
    inlines = [RunStepInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "version", "kind", "organization", "created_at")
    list_filter = ("kind",)


for model in (RunStep, ReceivedEmail, HandoffIssue):
    admin.site.register(model, ReadOnlyAdmin)
