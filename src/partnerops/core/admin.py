"""The Django admin, for administrators only, with every write audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from partnerops.core import audit
from partnerops.core.models import ApiToken, AuditEvent, OrganisationProfile, User
from partnerops.core.roles import Capability, has_capability


def _is_administrator(request: HttpRequest) -> bool:
    return bool(request.user.is_active and has_capability(request.user, Capability.MANAGE_SETTINGS))


# The admin is an administrator's tool: the Administrator role opens it, not is_staff.
admin.site.has_permission = _is_administrator  # type: ignore[method-assign]


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Administrators only; every save and delete writes an audit event in the same transaction."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_administrator(request)

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool
    ) -> None:
        if change:
            before = audit.stored_snapshot(obj, [f.name for f in obj._meta.concrete_fields])
            super().save_model(request, obj, form, change)
            audit.record_update(
                actor=request.user, instance=obj, before=before, message="via admin"
            )
        else:
            super().save_model(request, obj, form, change)
            audit.record_create(actor=request.user, instance=obj, message="via admin")

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit.record_delete(actor=request.user, instance=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit.record_delete(actor=request.user, instance=obj)
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(AuditedAdmin):
    """History is never edited, not even by an administrator."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class PartnerOpsUserAdmin(AuditedAdmin, UserAdmin[User]):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "roles")

    @admin.display(description="Roles")
    def roles(self, obj: User) -> str:
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_repr", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("actor_repr", "object_repr", "object_id")
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token's secret is shown once to its owner: create tokens on the account page.
        return False


@admin.register(OrganisationProfile)
class OrganisationProfileAdmin(AuditedAdmin):
    list_display = ("name", "partnerships_email", "operations_email")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not OrganisationProfile.objects.exists() and _is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
