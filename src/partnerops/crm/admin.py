from __future__ import annotations

from django.contrib import admin

from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin
from partnerops.crm.models import (
    Contact,
    Engagement,
    Milestone,
    Organization,
    Qualification,
    TimelineEntry,
)


class ContactInline(admin.TabularInline[Contact, Organization]):
    model = Contact
    extra = 0
    fields = ("name", "email", "title", *Contact.ROLE_FIELDS)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Contacts added from the organization's page go through the audited service.
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "country", "website")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("name", "email", "organization", "title")
    search_fields = ("name", "email", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)


@admin.register(Engagement)
class EngagementAdmin(AuditedAdmin):
    list_display = (
        "organization",
        "title",
        "phase",
        "status",
        "owner",
        "expected_value",
        "currency",
    )
    list_filter = ("phase", "status", "expected_tier")
    search_fields = ("organization__name", "title")
    list_select_related = ("organization", "owner")
    autocomplete_fields = ("organization",)
    # Phase and status change only through moves, which record milestones.
    readonly_fields = (
        "phase",
        "status",
        "phase_since",
        "status_since",
        "close_reason",
        "created_at",
    )


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "criterion", "assessment", "updated_at")
    list_filter = ("criterion", "assessment")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "occurred_at", "from_phase", "to_phase", "to_status", "actor")
    list_filter = ("to_phase", "to_status")
    date_hierarchy = "occurred_at"


@admin.register(TimelineEntry)
class TimelineEntryAdmin(AuditedAdmin):
    list_display = ("engagement", "occurred_at", "kind", "title", "author")
    list_filter = ("kind",)
    search_fields = ("title", "body")
    readonly_fields = ("milestone",)
