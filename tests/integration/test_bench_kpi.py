"""The KPI benchmarks run end to end at tiny sizes, and both ways of working agree (PostgreSQL only)."""

from __future__ import annotations

import pytest

from bench import kpi_annual_close, kpi_monthly_scoring
from congvu.evaluation.models import AnnualResult, Sheet, TaskLine
from congvu.personnel.models import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_annual_close_classifies_everyone_in_one_statement_as_the_rule_set_does_one_by_one() -> None:
    args = kpi_annual_close.parse_args(["--people", "600", "--sample", "100", "--provinces", "3"])
    data = kpi_annual_close.run(args)
    assert (data["people"], data["sheets"]) == (600, 7200)
    assert data["stage_counts"]["people"] == 600
    assert data["stage_counts"]["overrides"] >= 1
    assert data["sample_people"] == 100  # four whole divisions of 25
    assert data["sample_differences"] == 0
    assert data["ratio_per_object_to_set_based"] > 0
    assert AnnualResult.objects.filter(run__is_current=True).count() == 600


def test_the_monthly_scoring_gives_the_same_totals_set_based_again_and_sheet_by_sheet() -> None:
    args = kpi_monthly_scoring.parse_args(["--people", "600", "--sample", "50", "--departments", "2"])
    data = kpi_monthly_scoring.run(args)
    assert data["people"] == Person.objects.count() == 600
    assert data["task_lines"] == TaskLine.objects.count()
    assert 10 <= data["lines_per_sheet"] <= 20
    assert data["summary"]["leaders"] > 0
    assert data["recompute_identical"] is True
    assert data["sample_differences"] == 0
    assert not Sheet.objects.filter(worked=True, total__isnull=True).exists()


def test_the_indexes_and_constraints_are_back_after_a_bench_load() -> None:
    from django.db import connection

    def shape() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN "
                           "('personnel_person', 'evaluation_sheet', 'evaluation_taskline')")
            indexes = set(cursor.fetchall())
            cursor.execute("SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                           "conrelid::regclass::text IN ('personnel_person', 'evaluation_sheet', 'evaluation_taskline')")
            return indexes | set(cursor.fetchall())

    before = shape()
    kpi_monthly_scoring.run(kpi_monthly_scoring.parse_args(["--people", "100", "--sample", "10", "--departments", "1"]))
    assert shape() == before
