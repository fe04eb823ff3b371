"""The consequence jobs for operators, each recorded in ``JobRun`` and idempotent by (job, agency, year)."""

from __future__ import annotations

import datetime as dt

from congvu.consequences import decisions, lists
from congvu.consequences.facts import PUBLISHED
from congvu.core.jobs import run_recorded
from congvu.core.models import JobRun
from congvu.core.types import Actor
from congvu.evaluation.models import AnnualRun
from congvu.org.models import OrgUnit


def make_lists(actor: Actor, agency: OrgUnit, year: int, *, as_of: dt.date | None = None) -> JobRun:
    return run_recorded(
        "consequences.lists", f"{agency.pk}:{year}", actor,
        lambda: lists.compute(actor, agency, year, as_of=as_of).counts,
    )


def agencies_published(year: int) -> list[OrgUnit]:
    """Every agency whose classification for ``year`` is published (the national run)."""
    ids = AnnualRun.objects.filter(year=year, is_current=True, status__in=PUBLISHED).values_list("agency_id", flat=True)
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def apply_due(actor: Actor, day: dt.date | None = None) -> JobRun:
    return run_recorded("consequences.apply_due", (day or dt.date.today()).isoformat(), actor,
                        lambda: decisions.apply_due(actor, day))
