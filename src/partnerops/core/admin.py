"""The Django admin, for administrators only, with every write audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from partnerops.core import audit
from partnerops.core.errors import DomainError
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


class _DryRun(Exception):
    """Rolls back a service call made only to learn whether it would refuse."""


class ServiceAdmin(AuditedAdmin):
    """Writes through the app's services, so every rule they hold holds here too (issue
    15: the admin was a back door around them). The form runs the service in a savepoint
    that is rolled back, so its refusals become form errors; saving runs it for real.
    Fields the services do not write are read-only. The services audit their writes."""

    service_fields: tuple[str, ...] = ()  # what the update service may change
    create_only_fields: tuple[str, ...] = ()  # also set when adding (e.g. the organization)

    # A model admin whose objects are made elsewhere (on their pages) does not define
    # service_create, and then nobody adds one here.
    def service_create(self, actor: Any, values: dict[str, Any]) -> models.Model:
        raise PermissionDenied(f"{self.model._meta.verbose_name} is not added in the admin.")

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> models.Model:
        raise PermissionDenied(f"{self.model._meta.verbose_name} is not changed in the admin.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        adds = type(self).service_create is not ServiceAdmin.service_create
        return adds and super().has_add_permission(request)

    def editable_fields(self, obj: Any) -> tuple[str, ...]:
        if obj is None:
            return (*self.create_only_fields, *self.service_fields)
        return self.service_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        editable = set(self.editable_fields(obj))
        fields = [
            field.name
            for field in self.model._meta.get_fields()
            if getattr(field, "concrete", False)
            and not getattr(field, "primary_key", False)
            and not field.many_to_many
            and field.name not in editable
        ]
        return (*fields, *super().get_readonly_fields(request, obj))

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change, **kwargs)
        model_admin = self

        class ServiceForm(base):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if not self.errors:
                    model_admin._dry_run(request, self)

        return ServiceForm

    def _values(self, form: ModelForm[Any]) -> dict[str, Any]:
        editable = self.editable_fields(form.instance.pk and form.instance)
        names = form.changed_data if form.instance.pk else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in editable}

    def _call(self, request: HttpRequest, form: ModelForm[Any]) -> models.Model:
        values = self._values(form)
        if form.instance.pk:
            stored = type(form.instance)._default_manager.get(pk=form.instance.pk)
            return self.service_update(request.user, stored, values)
        return self.service_create(request.user, values)

    def _dry_run(self, request: HttpRequest, form: ModelForm[Any]) -> None:
        try:
            with transaction.atomic():
                self._call(request, form)
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in found.items():
                target = field if field in form.fields else None
                for message in messages:
                    shown = message if target or not field else f"{field}: {message}"
                    form.add_error(target, shown)
        except (DomainError, ValueError, TypeError) as error:
            form.add_error(None, str(error))

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool
    ) -> None:
        saved = self._call(request, form)
        obj.pk = saved.pk
        obj.refresh_from_db()


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
