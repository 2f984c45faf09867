from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from partnerops.core.admin import ReadOnlyAdmin, ServiceAdmin
from partnerops.usage import services
from partnerops.usage.models import Cluster, ExcludedUser, HubUsage, UsagePull


@admin.register(Cluster)
class ClusterAdmin(ServiceAdmin):
    list_display = ("name", "prometheus_url", "auth", "verify_tls")
    search_fields = ("name",)
    # The token or password is written on the cluster's page or the API, never shown.
    exclude = ("secret",)
    service_fields = tuple(name for name in services.CLUSTER_FIELDS if name != "secret")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return tuple(name for name in super().get_readonly_fields(request, obj) if name != "secret")

    def service_create(self, actor: Any, values: dict[str, Any]) -> Cluster:
        return services.cluster_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Cluster, values: dict[str, Any]) -> Cluster:
        return services.cluster_update(actor=actor, cluster=obj, **values)


@admin.register(ExcludedUser)
class ExcludedUserAdmin(ServiceAdmin):
    list_display = ("username", "cluster", "reason")
    create_only_fields = ("username", "cluster", "reason")

    def service_create(self, actor: Any, values: dict[str, Any]) -> ExcludedUser:
        return services.excluded_user_add(actor=actor, **values)


# Pulls and imports are the only way in.
@admin.register(UsagePull)
class UsagePullAdmin(ReadOnlyAdmin):
    list_display = ("pulled_at", "month", "cluster", "source", "file_name", "partial_month")
    list_filter = ("source", "month")


@admin.register(HubUsage)
class HubUsageAdmin(ReadOnlyAdmin):
    list_display = ("month", "hub", "active_users", "excluded_users", "server_hours")
    list_filter = ("month",)
