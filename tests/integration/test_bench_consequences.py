"""The national consequence-lists benchmark runs end to end at a tiny size and is idempotent (PostgreSQL only)."""

from __future__ import annotations

import pytest

from bench import consequences_lists
from congvu.consequences.models import Entry, Kind, ListRun
from congvu.evaluation.models import AnnualResult
from congvu.personnel.models import Person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_national_run_lists_every_kind_and_a_second_run_gives_the_same_entries() -> None:
    data = consequences_lists.run(consequences_lists.parse_args(["--people", "3000", "--runs", "2"]))
    first, second = data["runs"]
    assert data["data"]["people"] == Person.objects.count() == 3000
    assert first["agencies"] == data["data"]["agencies"] == ListRun.objects.count() >= 2
    counts = first["counts"]
    assert counts["people"] == 3000
    assert all(counts.get(kind, 0) > 0 for kind in Kind.values)
    assert counts[Kind.REVIEW] == AnnualResult.objects.filter(level="NOT_COMPLETED").count()
    assert counts[Kind.STEP_RAISE] < 3000
    assert counts[Kind.STREAMLINING] < 3000
    assert Entry.objects.count() == data["entries"] == sum(n for k, n in counts.items() if k != "people")
    assert second["counts"] == counts
    assert data["rerun_identical"] is True


def test_agencies_shared_among_worker_processes_give_the_entries_of_the_serial_run() -> None:
    data = consequences_lists.run(consequences_lists.parse_args(["--people", "1500", "--runs", "1"]))
    parallel = consequences_lists.national_run(workers=2)
    assert parallel["fingerprint"] == data["runs"][0]["fingerprint"]
    assert parallel["counts"] == data["runs"][0]["counts"]
