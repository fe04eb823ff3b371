"""The consequence jobs for operators, each recorded in ``JobRun`` and idempotent by (job, agency, year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections

from congvu.consequences import decisions, lists
from congvu.consequences.facts import PUBLISHED
from congvu.core.jobs import run_recorded
from congvu.core.models import JobRun
from congvu.core.types import Actor
from congvu.core.workers import process_pool
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


def share_by_size(agency_ids: list[int], sizes: dict[int, int], workers: int) -> list[list[int]]:
    """Deal the agencies, largest first, to the least loaded of ``workers`` (people as the load)."""
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for pk in sorted(agency_ids, key=lambda a: -sizes.get(a, 0)):
        w = loads.index(min(loads))
        shares[w].append(pk)
        loads[w] += sizes.get(pk, 0)
    return shares


def _lists_of(args: tuple[list[int], int, dt.date | None]) -> list[dict[str, Any]]:
    agency_ids, year, as_of = args
    agencies = OrgUnit.objects.in_bulk(agency_ids)
    return [{"agency": pk, **make_lists(None, agencies[pk], year, as_of=as_of).summary} for pk in agency_ids]


def _worker(args: tuple[list[int], int, dt.date | None]) -> list[dict[str, Any]]:
    try:
        return _lists_of(args)
    finally:
        connections.close_all()


def make_all_lists(year: int, *, workers: int = 1, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The lists of every agency whose classification is published, each agency in its own transaction,
    shared among ``workers`` spawned processes (the national run: 2.5 M people in ~3 minutes on 2 cores,
    ``bench/results/consequences-lists-2500000-w2.json``)."""
    agencies = [a.pk for a in agencies_published(year)]
    if workers <= 1 or connections["default"].vendor == "sqlite":  # SQLite has one writer at a time
        return _lists_of((agencies, year, as_of))
    sizes = dict(AnnualRun.objects.filter(year=year, is_current=True).values_list("agency_id", "people"))
    with process_pool(workers) as pool:
        parts = pool.map(_worker, [(share, year, as_of) for share in share_by_size(agencies, sizes, workers)])
        return [summary for part in parts for summary in part]


def apply_due(actor: Actor, day: dt.date | None = None) -> JobRun:
    return run_recorded("consequences.apply_due", (day or dt.date.today()).isoformat(), actor,
                        lambda: decisions.apply_due(actor, day))
