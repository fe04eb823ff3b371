"""The demo's evaluation year 2026: built set-based after the people, in the states the demo logins need.

One province of 3,000 people (the smallest with a group of six staff, where a tie at the excellent quota line can
be built) is built once for the module; each test reads it inside its own rolled-back transaction. The
transactional test (run last by pytest-django) empties the database and builds small provinces of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from congvu.consequences.models import Entry, Kind, ListRun, PastRating
from congvu.demo.evaluation import DEMO_TODAY, TRANSFER_DAY, YEAR, build_evaluation_year
from congvu.demo.generate import BuildOptions, build_demo, finish
from congvu.demo.users import create_demo_users
from congvu.evaluation import annual, work, workflow
from congvu.evaluation.access import Act, sheet_acts, sheets_visible
from congvu.evaluation.models import (
    AgencyScheme,
    AnnualResult,
    AnnualRun,
    AnnualStatus,
    EvalRole,
    Frequency,
    Level,
    Period,
    ProductType,
    Sheet,
    SheetStatus,
    TaskLine,
)
from congvu.evaluation.periods import agency_of
from congvu.org.models import OrgUnit
from congvu.personnel.models import Discipline, Employment, Person

PEOPLE = 3000
SEED = 1


@dataclass(frozen=True)
class Built:
    structure: Any
    summary: dict[str, Any]


def build(people: int, seed: int) -> Any:
    result = build_demo(BuildOptions(people=people, seed=seed))
    create_demo_users(seed, result.structure.demo_units, result.structure.demo_positions)
    finish(result.job, {})
    return result


def fingerprint() -> list[tuple[Any, ...]]:
    """The year by natural keys: every sheet with its lines' sums, and every annual result."""
    sheets = (
        Sheet.objects.values_list("person__personal_id", "period__agency__name", "period__kind", "period__number",
                                  "role", "group", "status", "worked", "general_points", "total")
        .annotate(n_lines=Count("lines"), sum_quantity=Sum("lines__quantity"),
                  sum_completed=Sum("lines__completed"), sum_errors=Sum("lines__errors"),
                  sum_delays=Sum("lines__delays"))
    )
    results = AnnualResult.objects.values_list("person__personal_id", "annual_score", "level", "override", "quota_tie")
    return sorted(sheets) + sorted(results)


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_builds_the_same_year_and_another_seed_does_not() -> None:
    call_command("flush", interactive=False, verbosity=0)  # pytest-django runs this after the module's province
    build(300, seed=5)
    first = fingerprint()
    assert first
    call_command("flush", interactive=False, verbosity=0)
    build(300, seed=5)
    assert fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    build(300, seed=6)
    assert fingerprint() != first


@pytest.fixture(scope="module")
def year(django_db_setup: None, django_db_blocker: Any) -> Iterator[Built]:
    with django_db_blocker.unblock():
        result = build(PEOPLE, SEED)
        yield Built(result.structure, result.job.summary["evaluation"])
        call_command("flush", interactive=False, verbosity=0)


def person_of(username: str) -> Person:
    return Person.objects.get(user__username=username)


@pytest.mark.django_db
def test_each_department_and_the_communes_have_a_scheme_periods_and_an_approved_catalogue(year: Built) -> None:
    province = year.structure.provinces[0]
    departments = OrgUnit.objects.filter(parent=province, kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT)
    schemes = AgencyScheme.objects.filter(agency__path__startswith=province.path)
    assert schemes.count() == departments.count() + 1  # the province's scheme covers the communes
    assert schemes.filter(frequency=Frequency.QUARTERLY).count() == 2
    assert Period.objects.filter(agency=province, year=YEAR, kind=Frequency.MONTHLY).count() == 12
    working_units = set(Employment.objects.filter(end_date__isnull=True).values_list("unit_id", flat=True))
    catalogued = set(ProductType.objects.filter(status=ProductType.Status.APPROVED).values_list("unit_id", flat=True))
    assert working_units <= catalogued
    coefficients = ProductType.objects.values_list("coefficient", flat=True)
    assert min(coefficients) >= 0.5
    assert max(coefficients) <= 2
    assert ProductType.objects.filter(name__startswith="Hồ sơ thủ tục hành chính").exists()


@pytest.mark.django_db
def test_january_to_october_are_published_with_scores_and_november_is_in_progress(year: Built) -> None:
    monthly = Sheet.objects.filter(period__kind=Frequency.MONTHLY, period__year=YEAR)
    for month in range(1, 10):
        statuses = set(monthly.filter(period__number=month).values_list("status", flat=True))
        assert statuses == {SheetStatus.PUBLISHED}, month
    october = set(monthly.filter(period__number=10).values_list("status", flat=True))
    assert SheetStatus.PUBLISHED in october
    assert SheetStatus.SELF_ASSESSED in october
    assert set(monthly.filter(period__number=11).values_list("status", flat=True)) == {SheetStatus.DRAFT}
    assert not monthly.filter(period__number=12).exists()
    published = Sheet.objects.filter(status=SheetStatus.PUBLISHED)
    assert not published.filter(worked=True, total__isnull=True).exists()
    assert not published.filter(worked=False, total__isnull=False).exists()
    lines = Sheet.objects.filter(worked=True).annotate(n=Count("lines", filter=Q(lines__accepted=True)))
    counts = set(lines.values_list("n", flat=True))
    assert min(counts) >= 5
    assert max(counts) <= 20
    assert TaskLine.objects.filter(objective_cause=True).exclude(objective_reason="").exists()
    assert TaskLine.objects.filter(errors__gt=0).exists()
    assert TaskLine.objects.filter(delays__gt=0).exists()
    quarterly = Sheet.objects.filter(period__kind=Frequency.QUARTERLY)
    assert set(quarterly.filter(period__number=4).values_list("status", flat=True)) == {SheetStatus.DRAFT}


@pytest.mark.django_db
def test_every_stored_score_is_what_the_rule_set_explains_from_the_lines(year: Built) -> None:
    scored = Sheet.objects.filter(total__isnull=False).select_related("period", "unit").order_by("pk")
    sample = list(scored[::97])
    assert len(sample) > 100
    assert any(s.role == EvalRole.LEADER for s in sample)
    for sheet in sample:
        explained = work.explain(sheet)
        assert explained is not None
        assert (explained.total, explained.task_points) == (sheet.total, sheet.task_points), sheet.pk


@pytest.mark.django_db
def test_the_demo_logins_find_their_sheets_in_the_promised_states(year: Built) -> None:
    manager, head = (User.objects.get(username=n) for n in ("truongphong", "giamdoc"))
    november = Sheet.objects.get(person=person_of("chuyenvien"), period__number=11, period__kind="month")
    assert november.status == SheetStatus.DRAFT
    lines = november.lines.all()
    assert lines.filter(completed__gt=0).exists()
    assert lines.filter(completed=0, accepted=True).exists()
    assert lines.filter(proposed_by_staff=True, accepted=False).count() == 1
    visible = sheets_visible(manager).filter(is_current=True, status=SheetStatus.SELF_ASSESSED)
    to_score = [s for s in visible.select_related("unit") if Act.MANAGE in sheet_acts(manager, s)]
    assert to_score
    assert {s.period.number for s in to_score} == {10}
    assert person_of("truongphong").pk not in {s.person_id for s in to_score}
    waiting = sheets_visible(head).filter(is_current=True, status=SheetStatus.MANAGER_SCORED).select_related("unit")
    to_approve = [s for s in waiting if Act.APPROVE in sheet_acts(head, s)]
    assert to_approve
    assert {s.period.number for s in to_approve} == {10}
    steps = {o.step for o in workflow.overdue(sheets_visible(head), DEMO_TODAY)}
    assert {"manager", "approve"} <= steps
    unit = to_approve[0].unit
    assert workflow.approve(head, to_approve[0].period, unit) == len(to_approve)
    runs = AnnualRun.objects.filter(year=YEAR, is_current=True)
    assert runs.count() == AgencyScheme.objects.count()
    head_agency = agency_of(OrgUnit.objects.get(pk=year.summary["tie"]["unit"]))
    assert runs.get(agency=head_agency).status == AnnualStatus.QUOTA  # the head's tie waits for them
    assert set(runs.exclude(agency=head_agency).values_list("status", flat=True)) == {AnnualStatus.COMPLAINT_WINDOW}


@pytest.mark.django_db
def test_the_published_agencies_have_their_consequence_lists(year: Built) -> None:
    made = year.summary["consequences"]
    runs = ListRun.objects.filter(year=YEAR)
    assert runs.count() == made["published_agencies"] == AgencyScheme.objects.count() - 1
    kinds = set(Entry.objects.filter(run__in=runs).values_list("kind", flat=True))
    assert kinds == {k.value for k in Kind}
    raise_ = Entry.objects.filter(run__in=runs, kind=Kind.STEP_RAISE).first()
    assert raise_ is not None
    assert raise_.evidence["steps"]
    assert raise_.new_step
    assert PastRating.objects.filter(year=YEAR - 1).exists()


@pytest.mark.django_db
def test_the_year_has_a_tie_at_the_quota_line_for_the_head_to_decide(year: Built) -> None:
    tie = year.summary["tie"]
    assert tie is not None
    tied = AnnualResult.objects.filter(run__is_current=True, quota_tie=True, person_id__in=tie["people"])
    assert tied.count() == 2
    scores = {r.annual_score for r in tied}
    assert len(scores) == 1
    assert scores.pop() >= 90
    assert {(r.level, r.quota_demoted) for r in tied} == {(Level.GOOD, True)}
    first = tied.select_related("run").first()
    assert first is not None
    assert annual.free_seats(first.run, first.quota_unit_id, first.group) == 1
    promoted = annual.promote_tied(None, first.run, first.person_id, "Có sáng kiến được công nhận trong năm")
    assert promoted.level == Level.EXCELLENT
    assert annual.free_seats(first.run, first.quota_unit_id, first.group) == 0


@pytest.mark.django_db
def test_leave_months_are_not_worked_and_a_transfer_carries_the_old_agencys_months(year: Built) -> None:
    on_leave = Sheet.objects.filter(worked=False, period__number__lte=10, period__kind="month")
    assert on_leave.exists()
    assert not AnnualResult.objects.filter(periods_worked__gt=10).exists()
    moved = Employment.objects.filter(start_date=TRANSFER_DAY).values_list("person_id", "unit_id")
    assert moved
    for person_id, unit_id in moved:
        agencies = set(Sheet.objects.filter(person_id=person_id).values_list("period__agency_id", flat=True))
        assert len(agencies) == 2  # months before July in the old agency, after it in the new one
        result = AnnualResult.objects.get(run__is_current=True, person_id=person_id)
        assert result.unit_id == unit_id
        assert result.periods_worked >= 9


@pytest.mark.django_db
def test_disciplines_and_conduct_findings_of_the_year_force_not_completed(year: Built) -> None:
    disciplined = set(Discipline.objects.filter(decided_on__year=YEAR).values_list("person_id", flat=True))
    assert disciplined
    results = AnnualResult.objects.filter(run__is_current=True)
    assert set(results.filter(override="discipline").values_list("person_id", flat=True)) == disciplined
    assert results.filter(override="degradation").count() == 1
    assert results.filter(override="unit_corruption", role=EvalRole.LEADER).count() == 1
    assert set(results.exclude(override="").values_list("level", flat=True)) == {Level.NOT_COMPLETED}


@pytest.mark.django_db
def test_building_the_year_again_changes_nothing(year: Built) -> None:
    before = (Sheet.objects.count(), TaskLine.objects.count(), AnnualResult.objects.count())
    again = build_evaluation_year(year.structure, seed=SEED, people=PEOPLE)
    assert "skipped" in again
    assert (Sheet.objects.count(), TaskLine.objects.count(), AnnualResult.objects.count()) == before
    assert year.summary["today"] == DEMO_TODAY.isoformat() == dt.date(2026, 11, 27).isoformat()
