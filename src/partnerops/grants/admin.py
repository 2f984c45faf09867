from django.contrib import admin

from partnerops.core.admin import ReadOnlyAdmin
from partnerops.grants.models import Grant, GrantObligation


# Grants move along their state table on their pages and in the API: the admin reads.
@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("title", "funder", "state", "amount_requested", "amount_awarded", "currency")
    list_filter = ("state",)


@admin.register(GrantObligation)
class GrantObligationAdmin(ReadOnlyAdmin):
    list_display = ("title", "grant", "kind", "due_on", "done_on")
