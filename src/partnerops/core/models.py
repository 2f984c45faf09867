"""Users, the audit trail, personal API tokens and the organisation's profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A team member. Roles are the groups named in ``partnerops.core.roles``."""

    def __str__(self) -> str:
        full_name = self.get_full_name()
        return full_name or self.username


class AuditEvent(models.Model):
    """One write: who did what to which object, with old and new values.

    Append-only: the model refuses updates and deletes, and a database trigger
    (migration 0002) refuses them too, for writes that bypass the ORM.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a person with history is deactivated, never deleted, so the
    # trail keeps naming them.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_repr = models.CharField(max_length=200, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=40, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr or 'system'} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only and cannot be deleted.")

    @property
    def action_words(self) -> str:
        """The action as the audit pages say it (each app's enumeration names it)."""
        from partnerops.core.audit import action_words

        return action_words(self.action)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="The last day the token works; empty: until revoked."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone as tz

        return self.expires_on is not None and self.expires_on < tz.localdate()


class OrganisationProfile(models.Model):
    """Our own identity, used in emails and documents. One row, edited in Settings."""

    SINGLETON_ID = 1

    name = models.CharField(max_length=200)
    partnerships_email = models.EmailField()
    fiscal_sponsor_name = models.CharField(max_length=200)
    operations_email = models.EmailField(
        help_text="The fiscal sponsor's operations address, which archives agreements and billing."
    )
    scheduling_link = models.URLField(help_text="Where leads book a meeting.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="organisation_profile_singleton")
        ]

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """When a periodic job (``tick``) last finished: the readiness check reads it."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M}"
