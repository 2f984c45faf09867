from __future__ import annotations

from typing import Any

from django.contrib import admin

from partnerops.contracts import services
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
    UsagePricing,
)
from partnerops.core.admin import AuditedAdmin, ReadOnlyAdmin, ServiceAdmin


# The price book is versioned: a new price is a new version (Price book → reprice), never
# an edit of the one agreements were signed at.
@admin.register(ServiceTier)
class ServiceTierAdmin(ReadOnlyAdmin):
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


@admin.register(UsagePricing)
class UsagePricingAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "effective_from", "effective_until", "currency")


@admin.register(Agreement)
class AgreementAdmin(ServiceAdmin):
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
    # State changes go through the transition table on the agreement's page; terms
    # change while negotiated only, through the same service as the pages and the API.
    service_fields = services.AGREEMENT_TERMS
    create_only_fields = ("engagement",)

    def editable_fields(self, obj: Agreement | None) -> tuple[str, ...]:
        if obj is not None and obj.state not in services.EDITABLE_STATES:
            return ()
        return super().editable_fields(obj)

    def service_create(self, actor: Any, values: dict[str, Any]) -> Agreement:
        return services.agreement_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Agreement, values: dict[str, Any]) -> Agreement:
        return services.agreement_update(actor=actor, agreement=obj, **values)


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
