from __future__ import annotations

from django.contrib import admin

from partnerops.core.admin import AuditedAdmin
from partnerops.hubs.models import Hub


@admin.register(Hub)
class HubAdmin(AuditedAdmin):
    list_display = (
        "name",
        "community",
        "cluster",
        "provider",
        "tenancy",
        "state",
        "service_start_on",
    )
    list_filter = ("state", "provider", "tenancy")
    search_fields = ("name", "community__name", "cluster")
    readonly_fields = ("state", "deploying_since", "running_since", "decommissioned_on")
