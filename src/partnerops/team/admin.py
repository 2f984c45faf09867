"""The team in the admin, through the services (issue 11 adds its own pages next)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from partnerops.core.admin import ServiceAdmin
from partnerops.team import services
from partnerops.team.models import Assignment, JobRole, PayScale, Person


@admin.register(JobRole)
class JobRoleAdmin(ServiceAdmin):
    list_display = ("name", "levels", "steps", "engineering", "survey_median")
    service_fields = services.ROLE_FIELDS

    def service_create(self, actor: Any, values: dict[str, Any]) -> JobRole:
        return services.role_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: JobRole, values: dict[str, Any]) -> JobRole:
        return services.role_update(actor=actor, role=obj, **values)


@admin.register(PayScale)
class PayScaleAdmin(ServiceAdmin):
    """A scale is never edited: a new one is a new version from a later date."""

    list_display = ("role", "version", "effective_from", "effective_until", "base", "currency")
    create_only_fields = ("role", "effective_from", *services.SCALE_FIELDS)

    def service_create(self, actor: Any, values: dict[str, Any]) -> PayScale:
        return services.pay_scale_create(actor=actor, **values)


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ("name", "email", "user")
    create_only_fields = ("name", "email", "user")

    def service_create(self, actor: Any, values: dict[str, Any]) -> Person:
        return services.person_create(actor=actor, **values)


@admin.register(Assignment)
class AssignmentAdmin(ServiceAdmin):
    """Added here; a change of level, step or FTE is a new assignment from its date."""

    list_display = ("person", "role", "level", "step", "fte", "start_on", "end_on")
    create_only_fields = ("person", "role", "level", "step", "fte", "start_on", "end_on")

    def service_create(self, actor: Any, values: dict[str, Any]) -> Assignment:
        return services.assignment_add(actor=actor, **values)
