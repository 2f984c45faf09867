from __future__ import annotations

from typing import Any

from django.contrib import admin

from partnerops.core.admin import ServiceAdmin
from partnerops.hubs import services
from partnerops.hubs.models import Hub


@admin.register(Hub)
class HubAdmin(ServiceAdmin):
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
    # State changes go through the hub's transitions on its page.
    service_fields = services.HUB_FIELDS

    def service_create(self, actor: Any, values: dict[str, Any]) -> Hub:
        return services.hub_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Hub, values: dict[str, Any]) -> Hub:
        return services.hub_update(actor=actor, hub=obj, **values)
