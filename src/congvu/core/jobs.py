"""Long work recorded as a ``JobRun``: status, timing and a JSON summary; a failure is recorded, then raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from congvu.core.models import JobRun
from congvu.core.types import Actor


def run_recorded(job: str, scope: str, actor: Actor, work: Callable[[], dict[str, Any]]) -> JobRun:
    user = actor if actor is not None and actor.is_authenticated else None
    record = JobRun.objects.create(job=job, scope=scope, started_by=user)
    try:
        summary = work()
    except Exception as exc:
        record.status, record.finished_at = JobRun.Status.FAILED, timezone.now()
        record.summary = {"error": type(exc).__name__, "message": str(exc)[:500]}
        record.save()
        raise
    record.status, record.finished_at, record.summary = JobRun.Status.DONE, timezone.now(), summary
    record.save()
    return record

