from django.contrib import admin

from partnerops.core.admin import ReadOnlyAdmin
from partnerops.costs.models import CostGroup, CostImport, CostLine, CostMonth, UsageWeight


@admin.register(CostImport)
class CostImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "file_name", "format", "source", "lines", "superseded")


# Imports are the only way in: what they store is derived from the files and the hubs.
@admin.register(CostGroup)
class CostGroupAdmin(ReadOnlyAdmin):
    list_display = ("month", "currency", "account", "service", "hub_label", "cluster_label")
    list_filter = ("month", "currency")


@admin.register(CostLine)
class CostLineAdmin(ReadOnlyAdmin):
    list_display = ("month", "currency", "account", "service", "hub_name", "rule", "amount")
    list_filter = ("month", "rule", "currency")


@admin.register(UsageWeight)
class UsageWeightAdmin(ReadOnlyAdmin):
    list_display = ("month", "cluster", "namespace", "weight", "imported_at")
    list_filter = ("month", "cluster")


@admin.register(CostMonth)
class CostMonthAdmin(ReadOnlyAdmin):
    list_display = ("month", "attributed_at")
