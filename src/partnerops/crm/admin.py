from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin, ServiceAdmin
from partnerops.crm import services
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
class OrganizationAdmin(ServiceAdmin):
    list_display = ("name", "kind", "country", "website")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [ContactInline]
    service_fields = services.ORGANIZATION_FIELDS

    def service_create(self, actor: Any, values: dict[str, Any]) -> Organization:
        return services.organization_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Organization, values: dict[str, Any]) -> Organization:
        return services.organization_update(actor=actor, organization=obj, **values)


@admin.register(Contact)
class ContactAdmin(ServiceAdmin):
    list_display = ("name", "email", "organization", "title")
    search_fields = ("name", "email", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    # The duplicate-email check and the rest hold here as on the pages and the API.
    service_fields = services.CONTACT_FIELDS
    create_only_fields = ("organization",)

    def service_create(self, actor: Any, values: dict[str, Any]) -> Contact:
        return services.contact_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Contact, values: dict[str, Any]) -> Contact:
        return services.contact_update(actor=actor, contact=obj, **values)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.contact_delete(actor=request.user, contact=obj)


@admin.register(Engagement)
class EngagementAdmin(ServiceAdmin):
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
    # Phase and status change only through moves, which record milestones; the details
    # through the same service as the pages. A new engagement starts on its pages.
    service_fields = services.ENGAGEMENT_FIELDS

    def service_update(self, actor: Any, obj: Engagement, values: dict[str, Any]) -> Engagement:
        return services.engagement_update(actor=actor, engagement=obj, **values)


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
