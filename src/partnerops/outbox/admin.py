from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin
from partnerops.core.errors import DomainError
from partnerops.outbox.models import EmailAttachment, EmailTemplate, Notification, OutboundEmail
from partnerops.outbox.templating import render_email, sample_email_context


class EmailTemplateForm(forms.ModelForm[EmailTemplate]):
    """Rendered against example values before it is saved: a template that breaks, or
    reaches for what the variables do not hold, is refused here rather than mid-send."""

    class Meta:
        model = EmailTemplate
        fields = ["key", "name", "subject", "body", "html_body"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        template = EmailTemplate(**{name: data.get(name) or "" for name in self.Meta.fields})
        try:
            render_email(template, sample_email_context())
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return data


@admin.register(EmailTemplate)
class EmailTemplateAdmin(AuditedAdmin):
    form = EmailTemplateForm
    list_display = ("name", "key", "subject", "updated_at")


class AttachmentInline(admin.TabularInline[EmailAttachment, OutboundEmail]):
    model = EmailAttachment
    extra = 0
    readonly_fields = ("filename", "content_type", "file")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("subject", "key")
    inlines = [AttachmentInline]


@admin.register(EmailAttachment)
class EmailAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("filename", "email", "content_type")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "subject", "emailed_at")
