"""Long evaluation work as jobs: each run is recorded in a ``JobRun`` (job, scope, status, summary), and each job
is idempotent by (job, scope, period), so a killed run is simply run again and gives the same result."""

from __future__ import annotations

from typing import Any

from congvu.core.jobs import run_recorded as _run
from congvu.core.models import JobRun
from congvu.core.types import Actor
from congvu.evaluation import annual, periods, scoring
from congvu.evaluation.models import Period
from congvu.org.models import OrgUnit


def open_year(actor: Actor, agency: OrgUnit, year: int) -> JobRun:
    def work() -> dict[str, Any]:
        made = periods.open_year(actor, agency, year)
        return {"periods": [p.code for p in made], "sheets_created": 0}

    return _run("evaluation.open_year", f"{agency.pk}:{year}", actor, work)


def prepare_period(actor: Actor, period: Period) -> JobRun:
    return _run("evaluation.sheets", f"{period.agency_id}:{period.code}", actor,
                lambda: {"sheets_created": periods.ensure_sheets(actor, period)})


def score_period(actor: Actor, period: Period) -> JobRun:
    return _run("evaluation.score", f"{period.agency_id}:{period.code}", actor,
                lambda: scoring.score_period(actor, period).as_dict())


def close_year(actor: Actor, agency: OrgUnit, year: int) -> JobRun:
    def work() -> dict[str, Any]:
        run = annual.compute(actor, agency, year)
        return {"run": run.pk, "version": run.version, **annual.stage_counts(run)}

    return _run("evaluation.annual", f"{agency.pk}:{year}", actor, work)
