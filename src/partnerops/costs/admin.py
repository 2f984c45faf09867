from django.contrib import admin

from partnerops.core.admin import ReadOnlyAdmin
from partnerops.costs.models import CostImport, CostLine


@admin.register(CostImport)
class CostImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "file_name", "format", "source", "lines", "superseded")


@admin.register(CostLine)
class CostLineAdmin(ReadOnlyAdmin):
    list_display = ("month", "currency", "account", "service", "hub_name", "rule", "amount")
    list_filter = ("month", "rule", "currency")
