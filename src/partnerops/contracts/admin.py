from __future__ import annotations

from django.contrib import admin

from partnerops.contracts.models import (
    Addendum,
    Agreement,
    CalendarFeed,
    CheckIn,
    CheckInSchedule,
    Deliverable,
    Extension,
    FormalDocumentVersion,
    ServiceTier,
)
from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(ServiceTier)
class ServiceTierAdmin(AuditedAdmin):
    list_display = (
        "name",
        "code",
        "version",
        "effective_from",
        "effective_until",
        "monthly_fee",
        "annual_fee",
        "currency",
    )
    list_filter = ("kind",)


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = (
        "engagement",
        "kind",
        "tier",
        "price",
        "currency",
        "start_on",
        "end_on",
        "state",
    )
    list_filter = ("state", "kind")
    list_select_related = ("engagement__organization", "tier")
    # State changes go through the transition table on the agreement's page.
    readonly_fields = ("state", "end_reason", "ended_on", "executed_on", "renews")


@admin.register(Addendum)
class AddendumAdmin(AuditedAdmin):
    list_display = ("agreement", "kind", "title")


@admin.register(Deliverable)
class DeliverableAdmin(AuditedAdmin):
    list_display = ("agreement", "title", "due_on", "status")
    list_filter = ("status",)


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "previous_end_on", "new_end_on", "days", "actor")


@admin.register(FormalDocumentVersion)
class FormalDocumentVersionAdmin(AuditedAdmin):
    list_display = ("document", "version", "effective_on")
    list_filter = ("document",)


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(AuditedAdmin):
    list_display = ("engagement", "interval_months", "next_due_on", "active")


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "due_on", "sent_at", "answered_at", "score")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "rotated_at")
    exclude = ("token",)
