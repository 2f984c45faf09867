from django.contrib import admin

from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin
from partnerops.playbooks.models import EmailAttachment, EmailTemplate, OutboundEmail


@admin.register(EmailTemplate)
class EmailTemplateAdmin(AuditedAdmin):
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
