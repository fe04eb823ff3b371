"""Writing audit entries. Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from congvu.core.models import AuditEntry
from congvu.core.types import Actor


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """JSON-safe dict of a model's concrete field values (foreign keys by id)."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        out[f.attname] = jsonable(getattr(obj, f.attname))
    return out


def jsonable(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changed(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, so the history tab shows what changed."""
    before = before or {}
    after = after or {}
    keys = [k for k in {*before, *after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    subject_person_id: int | None = None,
    org_path: str = "",
    actor_label: str | None = None,
) -> AuditEntry:
    user = actor if actor is not None and not actor.is_anonymous else None
    label = actor_label or (user.get_username() if user is not None else "system")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label,
        action=action,
        object_type=object_type or (obj._meta.model_name if obj is not None else "") or "",
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        subject_person_id=subject_person_id,
        org_path=org_path,
        before=before,
        after=after,
        reason=reason,
    )
