"""Recording the audit trail: called by every service that writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.fields.files import FieldFile

from partnerops.core.actors import user_or_none
from partnerops.core.models import AuditEvent

Snapshot = dict[str, Any]


class AuditAction(models.TextChoices):
    """Core's actions, which every app's rows also use: a value is stored, the words
    are shown. Each app names its own in ``<app>/audit_actions.py`` (an enumeration
    registered with :func:`register_actions`), found when the apps are ready."""

    CREATE = "create", "created"
    UPDATE = "update", "changed"
    DELETE = "delete", "deleted"
    REVOKE = "revoke", "revoked"


_WORDS: dict[str, str] = {}
# Events written before actions were enumerations keep the words they had.
_EARLIER = {
    "price confirmed": "price confirmed",
    "auto-renewed": "auto-renewed",
    "formal documents": "formal documents updated",
}


def register_actions(*enumerations: type[models.TextChoices]) -> None:
    for enumeration in enumerations:
        for value, words in enumeration.choices:
            known = _WORDS.get(value)
            if known is not None and known != words:
                raise ValueError(f"Audit action {value!r} is named twice: {known!r} and {words!r}.")
            _WORDS[value] = str(words)


def action_words(action: str) -> str:
    """How the audit pages say an action."""
    return _WORDS.get(action) or _EARLIER.get(action) or action.replace("_", " ")


register_actions(AuditAction)

# Never copied into the trail; a change still shows, as a different fingerprint.
SENSITIVE_FIELDS = frozenset({"password", "digest", "secret"})


def _redacted(value: Any) -> str | None:
    if not value:
        return None
    return "redacted:" + hashlib.sha256(str(value).encode()).hexdigest()[:8]


def _json_value(value: Any) -> Any:
    """A JSON-safe form of a field value that still reads well in the trail."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The concrete field values of ``instance`` (foreign keys as ids)."""
    wanted = set(fields) if fields is not None else None
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or (wanted is not None and field.name not in wanted):
            continue
        if getattr(field, "auto_now", False):
            continue  # "last changed" bookkeeping: the event's own time says it
        raw = getattr(instance, field.attname)
        values[field.name] = _redacted(raw) if field.name in SENSITIVE_FIELDS else _json_value(raw)
    return values


def stored_snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """The row as the database holds it, locked until the transaction ends.

    Services diff against this rather than the object they were given, which a
    ModelForm may already have changed in memory.
    """
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    return snapshot(stored, fields)


def diff(before: Snapshot, after: Snapshot) -> dict[str, dict[str, Any]]:
    return {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, dict[str, Any]] | None = None,
    message: str = "",
) -> AuditEvent:
    """Write one audit event. Must run inside the service's transaction."""
    if not connection.in_atomic_block:
        # The event and the write it describes commit together or not at all.
        raise RuntimeError("audit.record() must be called inside a transaction.")
    if str(action) not in _WORDS:
        raise ValueError(
            f"Unknown audit action {str(action)!r}: name it in its app's audit_actions.py."
        )
    person = user_or_none(actor)
    return AuditEvent.objects.create(
        actor=person,
        actor_repr=str(person) if person is not None else "system",
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes or {},
        message=message,
    )


def record_create(*, actor: Any, instance: models.Model, message: str = "") -> AuditEvent:
    after = snapshot(instance)
    changes = {name: {"old": None, "new": value} for name, value in after.items()}
    return record(
        actor=actor, instance=instance, action=AuditAction.CREATE, changes=changes, message=message
    )


def record_update(
    *,
    actor: Any,
    instance: models.Model,
    before: Snapshot,
    action: str = AuditAction.UPDATE,
    message: str = "",
) -> AuditEvent | None:
    """Record what changed since ``before``; nothing is recorded when nothing changed."""
    changes = diff(before, snapshot(instance, before.keys()))
    if not changes and not message:
        return None
    return record(actor=actor, instance=instance, action=action, changes=changes, message=message)


def record_delete(*, actor: Any, instance: models.Model) -> AuditEvent:
    before = snapshot(instance)
    changes = {name: {"old": value, "new": None} for name, value in before.items()}
    return record(actor=actor, instance=instance, action=AuditAction.DELETE, changes=changes)


def events_for(instance: models.Model) -> models.QuerySet[AuditEvent]:
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return AuditEvent.objects.filter(
        content_type=content_type, object_id=str(instance.pk)
    ).select_related("actor")
