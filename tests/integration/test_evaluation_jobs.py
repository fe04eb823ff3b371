"""The operator's evaluation commands: each job is recorded and can be run again with the same result."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.core.models import JobRun
from congvu.evaluation.models import AnnualResult, Period, Sheet
from tests.factories import build_world

pytestmark = pytest.mark.django_db


def _run(*args: str) -> dict:
    out = io.StringIO()
    call_command("evaluation", *args, stdout=out)
    return json.loads(out.getvalue())


def test_open_year_score_and_close_year_run_as_recorded_jobs_and_can_be_rerun():
    world = build_world()
    agency = str(world.so_noi_vu.pk)
    first = _run("open-year", "--agency", agency, "--year", "2026")
    assert len(first["jobs"]) == 13
    assert Period.objects.count() == 12
    assert Sheet.objects.count() == 24
    again = _run("open-year", "--agency", agency, "--year", "2026")
    assert sum(j.get("sheets_created", 0) for j in again["jobs"]) == 0
    assert Sheet.objects.count() == 24
    scored = _run("score", "--agency", agency, "--period", "2026-03")
    assert scored["jobs"][0]["status"] == "done"
    assert _run("close-year", "--agency", agency, "--year", "2026")["jobs"][0]["people"] == 0  # nothing published yet
    Sheet.objects.update(status="published", total=80)
    closed = _run("close-year", "--agency", agency, "--year", "2026")
    assert closed["jobs"][0]["people"] == 2
    assert closed["jobs"][0]["good"] == 2
    assert AnnualResult.objects.count() == 2
    assert JobRun.objects.filter(job="evaluation.annual", status="done").count() == 2


def test_a_bad_period_code_is_refused_with_the_expected_form():
    world = build_world()
    with pytest.raises(CommandError, match="2026-Q1"):
        _run("score", "--agency", str(world.so_noi_vu.pk), "--period", "March")
