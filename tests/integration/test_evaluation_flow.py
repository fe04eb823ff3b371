"""One month of evaluation through the services, and the annual classification in SQL against the rule set."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from congvu.core.models import AuditEntry
from congvu.evaluation import annual, periods, scoring, work, workflow
from congvu.evaluation.access import Act, access_sheet, sheet_acts
from congvu.evaluation.models import AgencyScheme, AnnualResult, EvalRole, Level, Period, Sheet, SheetStatus
from congvu.org.models import OrgUnit
from congvu.personnel.models import Person
from congvu.personnel.services import ServiceError
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335
from tests.factories import build_world, person, unit

pytestmark = pytest.mark.django_db

POINTS = {"a": 9, "b": 9, "c": 8}


def _general(points: dict[str, int]) -> dict[str, int]:
    codes = [g.code for g in nd335.DEFAULT_PARAMETERS.general_groups]
    return dict(zip(codes, points.values(), strict=True))


def _january(world):
    periods.open_year(world.users["hr"], world.so_noi_vu, 2026)
    january = Period.objects.get(agency=world.so_noi_vu, year=2026, number=1)
    periods.ensure_sheets(world.users["hr"], january)
    return january


def test_opening_a_year_makes_twelve_monthly_periods_with_the_rule_set_and_is_idempotent():
    world = build_world()
    first = periods.open_year(world.users["hr"], world.so_noi_vu, 2026)
    again = periods.open_year(world.users["hr"], world.so_noi_vu, 2026)
    assert [p.pk for p in first] == [p.pk for p in again]
    assert len(first) == 12
    assert {p.rule_set_id for p in first} == {"nd335_2025.v1"}
    assert first[1].start == dt.date(2026, 2, 1)
    assert first[1].end == dt.date(2026, 2, 28)


def test_a_year_before_the_decree_has_no_rule_set_and_opens_nothing():
    world = build_world()
    with pytest.raises(ServiceError):
        periods.open_year(world.users["hr"], world.so_noi_vu, 2025)
    assert not Period.objects.exists()


def test_sheets_are_created_once_for_everyone_employed_in_the_agency():
    world = build_world()
    january = _january(world)
    assert periods.ensure_sheets(world.users["hr"], january) == 0
    people = set(Sheet.objects.filter(period=january).values_list("person_id", flat=True))
    assert people == {world.ha.pk, world.binh.pk}


def test_one_month_from_assignment_to_publication_scores_as_the_rule_set_says():
    world = build_world()
    january = _january(world)
    manager, staff, head = world.users["manager"], world.users["staff"], world.users["head"]
    sheet = Sheet.objects.get(period=january, person=world.ha)
    assert access_sheet(manager, sheet.pk, Act.MANAGE) == sheet
    line = work.add_task(manager, sheet, work.TaskInput(label="Báo cáo tổng hợp", coefficient="1.5", quantity=4,
                                                        due_date=dt.date(2026, 1, 25)))
    proposal = work.add_task(staff, sheet, work.TaskInput(label="Văn bản trả lời", coefficient=1, quantity=2),
                             proposed_by_staff=True)
    work.accept_proposal(manager, proposal)
    work.report_completion(staff, line, completed=4, completed_on=dt.date(2026, 1, 26))
    work.report_completion(staff, proposal, completed=2, completed_on=dt.date(2026, 1, 20))
    work.record_findings(manager, line, errors=1, delays=1)
    work.self_assess(staff, sheet, _general(POINTS))
    work.manager_score(manager, sheet, _general(POINTS))
    assert workflow.approve(head, january, world.phong_ccvc) == 1
    assert workflow.publish(head, january, world.phong_ccvc) == 1
    sheet.refresh_from_db()
    expected = nd335.score_lines(
        role=nd335.Role.STAFF, general_points=Decimal(26),
        lines=[nd335.TaskLine(Decimal("1.5"), Decimal(4), Decimal(4), errors=1, delays=1),
               nd335.TaskLine(Decimal(1), Decimal(2), Decimal(2))],
    )
    assert sheet.status == SheetStatus.PUBLISHED
    assert (sheet.quantity_pct, sheet.quality_pct, sheet.timeliness_pct) == (
        expected.quantity_pct, expected.quality_pct, expected.timeliness_pct)
    assert sheet.total == expected.total
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"evaluation.task_assign", "evaluation.task_report", "evaluation.self_assess",
            "evaluation.manager_score", "evaluation.approve", "evaluation.publish"} <= actions


def test_a_published_sheet_is_locked_and_reopening_makes_a_new_version():
    world = build_world()
    january = _january(world)
    sheet = Sheet.objects.get(period=january, person=world.ha)
    work.self_assess(world.users["staff"], sheet, _general(POINTS))
    work.manager_score(world.users["manager"], sheet, _general(POINTS))
    workflow.approve(world.users["head"], january, world.phong_ccvc)
    workflow.publish(world.users["head"], january, world.phong_ccvc)
    sheet.refresh_from_db()
    with pytest.raises(ServiceError):
        work.add_task(world.users["manager"], sheet, work.TaskInput(label="X", coefficient=1, quantity=1))
    with pytest.raises(ServiceError):
        workflow.reopen(world.users["head"], sheet, " ")
    new = workflow.reopen(world.users["head"], sheet, "Phát hiện sai sót khi tổng hợp")
    old = Sheet.objects.get(pk=sheet.pk)
    assert (old.is_current, old.status, new.version, new.status) == (False, "published", 2, "self_assessed")


def test_nobody_scores_their_own_sheet_as_a_manager():
    world = build_world()
    january = _january(world)
    Person.objects.filter(pk=world.binh.pk).update(user=world.users["manager"])
    sheet = Sheet.objects.get(period=january, person=world.binh)
    acts = sheet_acts(world.users["manager"], sheet)
    assert Act.MANAGE not in acts
    assert Act.SELF in acts


def test_a_sheet_without_assigned_work_has_no_task_score_and_says_why():
    world = build_world()
    january = _january(world)
    sheet = Sheet.objects.get(period=january, person=world.ha)
    work.self_assess(world.users["staff"], sheet, _general(POINTS))
    work.manager_score(world.users["manager"], sheet, _general(POINTS))
    scoring.score_period(world.users["head"], january)
    sheet.refresh_from_db()
    assert sheet.total is None
    assert sheet.task_points is None
    assert sheet.no_work_reason


def test_a_leader_gets_fifty_for_the_unit_result_when_a_subordinate_fails():
    world = build_world()
    leader = person(("Phạm", "Văn", "Lãnh"), world.phong_ccvc, sex="M", birth_year=1975)
    january = _january(world)
    Sheet.objects.filter(period=january, person=leader).update(role=EvalRole.LEADER)
    staff_sheet = Sheet.objects.get(period=january, person=world.ha)
    line = work.add_task(world.users["manager"], staff_sheet, work.TaskInput(label="Hồ sơ", coefficient=1, quantity=10))
    work.report_completion(world.users["staff"], line, completed=1, completed_on=dt.date(2026, 1, 5))
    Sheet.objects.filter(pk=staff_sheet.pk).update(status=SheetStatus.MANAGER_SCORED, general_points=10)
    leader_sheet = Sheet.objects.get(period=january, person=leader)
    Sheet.objects.filter(pk=leader_sheet.pk).update(status=SheetStatus.MANAGER_SCORED, general_points=30,
                                                    organising=100, unity=100)
    summary = scoring.score_period(world.users["head"], january)
    staff_sheet.refresh_from_db()
    leader_sheet.refresh_from_db()
    assert staff_sheet.total is not None
    assert staff_sheet.total < 50
    assert leader_sheet.unit_result == Decimal(50)
    assert summary.leaders == 1


# ---- the annual classification: the SQL statement against the rule set ---------------------------------


def _random_year(world, rng: random.Random, units: list[OrgUnit], people_per_unit: int) -> list[Person]:
    periods.open_year(None, world.so_noi_vu, 2026)
    months = list(Period.objects.filter(agency=world.so_noi_vu, year=2026).order_by("number"))
    made = []
    for u in units:
        for i in range(people_per_unit):
            p = person(("Ngô", "Thị", f"Số{u.pk}x{i}"), u, birth_year=1980 + i % 20)
            made.append(p)
    sheets = []
    for p in made:
        group = rng.choice(["", "Chuyên viên", "Văn thư"])
        role = rng.choice([EvalRole.STAFF, EvalRole.STAFF, EvalRole.LEADER])
        for m in months:
            worked = rng.random() > 0.1
            total = Decimal(rng.choice([rng.randint(4000, 10000), 9000, 9050, 8999, 7000])) / 100 if worked else None
            sheets.append(Sheet(period=m, person=p, unit=p.current_unit, role=role, group=group, worked=worked,
                                status=SheetStatus.PUBLISHED, total=total, rule_set_id=m.rule_set_id))
    Sheet.objects.bulk_create(sheets)
    return made


@pytest.mark.parametrize(("seed", "by_division"), [(1, True), (2, True), (3, False), (4, False)])
def test_the_annual_sql_gives_exactly_what_the_rule_set_gives(seed, by_division):
    world = build_world()
    rng = random.Random(seed)
    units = [world.phong_ccvc, world.phong_tccb, unit("Phòng Văn thư", parent=world.so_noi_vu)]
    made = _random_year(world, rng, units, 14)
    AgencyScheme.objects.filter(agency=world.so_noi_vu).update(quota_by_division=by_division)
    for p in rng.sample(made, 3):
        p.disciplines.create(form="reprimand", decided_on=dt.date(2026, 5, 1), effective_from=dt.date(2026, 5, 1))
    run = annual.compute(world.users["hr"], world.so_noi_vu, 2026)
    rs = kpi_registry.rule_set_for(dt.date(2026, 1, 1))
    inputs = []
    for p in made:
        rows = list(Sheet.objects.filter(person=p).order_by("period__number").values_list("total", "unit_id", "group", "role"))
        disc = nd335.DisciplineForm.REPRIMAND if p.disciplines.exists() else None
        quota_unit = str(rows[-1][1]) if by_division else str(world.so_noi_vu.pk)
        inputs.append(nd335.AnnualInput(id=str(p.pk), unit=quota_unit, group=rows[-1][2], role=nd335.Role(rows[-1][3]),
                                        period_totals=tuple(r[0] for r in rows), discipline=disc))
    expected = {r.id: r for r in rs.classify(inputs, ratio=run.excellent_ratio)}
    got = {str(r.person_id): r for r in AnnualResult.objects.filter(run=run)}
    assert set(got) == set(expected)
    for pid, want in expected.items():
        have = got[pid]
        assert have.annual_score == want.annual_score, pid
        assert (have.level or None) == (want.level and str(want.level)), pid
        assert (have.override or None) == (want.override and str(want.override)), pid
        assert (have.quota_demoted, have.quota_tie) == (want.quota_demoted, want.quota_tie), pid


def test_recomputing_the_annual_classification_gives_the_same_result():
    world = build_world()
    _random_year(world, random.Random(7), [world.phong_ccvc], 12)
    first = annual.compute(world.users["hr"], world.so_noi_vu, 2026)
    before = sorted(AnnualResult.objects.filter(run=first).values_list("person_id", "annual_score", "level"))
    again = annual.compute(world.users["hr"], world.so_noi_vu, 2026)
    after = sorted(AnnualResult.objects.filter(run=again).values_list("person_id", "annual_score", "level"))
    assert first.pk == again.pk
    assert before == after


def test_the_excellent_quota_holds_in_every_unit_and_group_after_classification():
    world = build_world()
    _random_year(world, random.Random(11), [world.phong_ccvc, world.phong_tccb], 20)
    run = annual.compute(world.users["hr"], world.so_noi_vu, 2026)
    groups = {(r.quota_unit_id, r.group) for r in AnnualResult.objects.filter(run=run)}
    assert {unit_id for unit_id, _ in groups} == {world.so_noi_vu.pk}  # by default the quota is the agency's
    for unit_id, group in groups:
        rows = AnnualResult.objects.filter(run=run, quota_unit_id=unit_id, group=group)
        excellent = rows.filter(level=Level.EXCELLENT).count()
        good = rows.filter(level=Level.GOOD).count()
        assert excellent <= Decimal("0.2") * good


def test_a_month_of_leave_is_marked_as_such_and_carried_through_approval_without_a_score():
    world = build_world()
    january = _january(world)
    Sheet.objects.filter(period=january, person=world.binh).update(worked=False)
    approved = workflow.approve(world.users["head"], january, world.so_noi_vu)
    leave = Sheet.objects.get(period=january, person=world.binh)
    assert approved == 1
    assert leave.status == SheetStatus.APPROVED
    assert leave.total is None
    assert "Nghỉ" in leave.no_work_reason
