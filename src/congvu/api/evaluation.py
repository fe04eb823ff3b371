"""Evaluation results (Decree 335/2025) under /api/v1/evaluation/…: periods, period sheets with the steps
of their score, annual runs and annual results with their explanation. Read-only; the same permissions as
the pages: a subtree's evaluations for managers, heads, HR and inspectors, one's own sheets for everyone,
one's own annual result once published; anything else is 404.

Numbers are JSON strings with their stored decimals ("83.30"), as every decimal of this API; dates ISO.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from congvu.access.access import NotFoundOrDenied, own_person_id, rights_at, scope_for
from congvu.access.policy import Right
from congvu.api.auth import caller
from congvu.api.errors import responses
from congvu.api.pagination import page_of
from congvu.api.schemas import Page, PageQuery, UnitRef
from congvu.evaluation import annual, explanations
from congvu.evaluation.access import Act, access_sheet, sheets_visible
from congvu.evaluation.annual_access import access_run_or_own, runs_visible
from congvu.evaluation.models import AnnualResult, AnnualRun, Level, Period, Sheet, SheetStatus
from congvu.org.models import OrgUnit
from congvu.rules import nd335_2025 as nd335

router = Router(tags=["evaluation"])


# ---- shapes -------------------------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    full_name: str


class PeriodRef(Schema):
    id: int
    code: str = Field(..., description="2026-03 (month) or 2026-Q1 (quarter)")
    label: str = Field(..., description="as the pages show it: 03/2026, Quý 1/2026")


class PeriodOut(PeriodRef):
    agency: UnitRef
    kind: str = Field(..., description="month | quarter")
    year: int
    number: int
    start: dt.date
    end: dt.date
    self_due: dt.date
    manager_due: dt.date
    approve_due: dt.date
    state: str
    rule_set_id: str


class PeriodPage(Page):
    items: list[PeriodOut]


class PeriodQuery(PageQuery):
    agency: int = Field(..., description="the agency (unit with its own evaluation periods)")
    year: int | None = None


class StepOut(Schema):
    key: str
    label_vi: str
    label_en: str
    formula: str = Field(..., description="with the numbers filled in ('.' decimals)")
    value: str
    article: str


class TaskLineOut(Schema):
    id: int
    product_type_id: int | None
    label: str
    coefficient: Decimal
    quantity: Decimal
    due_date: dt.date | None
    completed: Decimal
    completed_on: dt.date | None
    evidence_link: str
    errors: int
    delays: int
    objective_cause: bool
    objective_reason: str
    proposed_by_staff: bool
    accepted: bool


class SheetOut(Schema):
    id: int
    period: PeriodRef
    person: PersonRef
    unit: UnitRef
    role: str = Field(..., description="staff | leader")
    group: str = Field(..., description="group of similar tasks, for the quota")
    status: str = Field(..., description="draft | self_assessed | manager_scored | approved | published")
    version: int
    is_current: bool
    worked: bool = Field(..., description="false when the whole period was leave")
    general_points: Decimal | None
    unit_result: Decimal | None = Field(..., description="leaders: criterion d (%)")
    organising: Decimal | None = Field(..., description="leaders: criterion đ (%)")
    unity: Decimal | None = Field(..., description="leaders: criterion e (%)")
    quantity_pct: Decimal | None
    quality_pct: Decimal | None
    timeliness_pct: Decimal | None
    task_points: Decimal | None
    total: Decimal | None
    no_work_reason: str
    rule_set_id: str
    explanation: list[StepOut] | None = Field(
        ..., description="each step of the score with its formula and article; null before the sheet is scored"
    )


class SheetDetail(SheetOut):
    self_general: dict[str, Any]
    manager_general: dict[str, Any]
    reopen_reason: str
    lines: list[TaskLineOut]


class SheetPage(Page):
    items: list[SheetOut]


class SheetQuery(PageQuery):
    period: int | None = None
    unit: int | None = Field(None, description="that unit and every unit below it")
    person: int | None = None
    status: SheetStatus | None = None
    current: bool = Field(True, description="only the current version of each sheet")


class RunOut(Schema):
    id: int
    agency: UnitRef
    year: int
    version: int
    is_current: bool
    status: str = Field(..., description="computed | overrides | quota | head_approved | published | "
                                         "complaint_window | final")
    excellent_ratio: Decimal
    rule_set_id: str
    reopen_reason: str
    computed_at: dt.datetime
    head_approved_at: dt.datetime | None
    published_at: dt.datetime | None
    complaint_until: dt.date | None
    finalised_at: dt.datetime | None
    people: int
    counts: dict[str, int] | None = Field(..., description="by stage; null when you see only your own result")


class RunPage(Page):
    items: list[RunOut]


class RunQuery(PageQuery):
    agency: int | None = None
    year: int | None = None
    current: bool = Field(True, description="only the current version of each year")


class PeriodUsedOut(Schema):
    sheet_id: int
    period: str = Field(..., description="period code")
    agency_id: int
    unit: str
    worked: bool
    total: Decimal | None
    counted: bool
    other_agency: bool = Field(..., description="a period of the agency the person came from (transfer)")
    note: str


class AnnualExplanationOut(Schema):
    periods: list[PeriodUsedOut]
    steps: list[StepOut]
    consistent: bool = Field(..., description="false when the inputs changed after the computation")
    mismatches: list[str]
    promote_reason: str


class AnnualResultOut(Schema):
    person: PersonRef
    unit: UnitRef
    group: str
    role: str
    periods_worked: int
    annual_score: Decimal | None
    level_by_score: str
    override: str = Field(..., description="discipline | degradation | unit_corruption, or empty")
    override_reason: str
    override_article: str
    quota_demoted: bool
    quota_tie: bool
    tie_promoted: bool
    level: str = Field(..., description="EXCELLENT | GOOD | COMPLETED | NOT_COMPLETED")
    explanation: AnnualExplanationOut


class AnnualResultPage(Page):
    items: list[AnnualResultOut]


class ResultQuery(PageQuery):
    unit: int | None = Field(None, description="that unit and every unit below it")
    group: str | None = None
    level: Level | None = None
    person: int | None = None
    tie: bool | None = Field(None, description="only those tied at the quota line")


# ---- serialisation --------------------------------------------------------------------------------------------


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind)


def period_ref(period: Period) -> PeriodRef:
    return PeriodRef(id=period.pk, code=period.code, label=period.label)


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(
        id=period.pk, code=period.code, label=period.label, agency=unit_ref(period.agency), kind=period.kind,
        year=period.year, number=period.number, start=period.start, end=period.end, self_due=period.self_due,
        manager_due=period.manager_due, approve_due=period.approve_due, state=period.state,
        rule_set_id=period.rule_set_id,
    )


def steps_out(steps: tuple[nd335.Step, ...] | list[nd335.Step]) -> list[StepOut]:
    return [StepOut(key=s.key, label_vi=s.label_vi, label_en=s.label_en, formula=s.formula, value=s.value,
                    article=s.article) for s in steps]


def sheet_fields(sheet: Sheet, score: nd335.PeriodScore | None) -> dict[str, Any]:
    return {
        "id": sheet.pk, "period": period_ref(sheet.period),
        "person": PersonRef(id=sheet.person_id, full_name=sheet.person.full_name), "unit": unit_ref(sheet.unit),
        "role": sheet.role, "group": sheet.group, "status": sheet.status, "version": sheet.version,
        "is_current": sheet.is_current, "worked": sheet.worked, "general_points": sheet.general_points,
        "unit_result": sheet.unit_result, "organising": sheet.organising, "unity": sheet.unity,
        "quantity_pct": sheet.quantity_pct, "quality_pct": sheet.quality_pct,
        "timeliness_pct": sheet.timeliness_pct, "task_points": sheet.task_points, "total": sheet.total,
        "no_work_reason": sheet.no_work_reason, "rule_set_id": sheet.rule_set_id,
        "explanation": steps_out(score.steps) if score is not None else None,
    }


def run_out(run: AnnualRun, *, whole: bool) -> RunOut:
    return RunOut(
        id=run.pk, agency=unit_ref(run.agency), year=run.year, version=run.version, is_current=run.is_current,
        status=run.status, excellent_ratio=run.excellent_ratio, rule_set_id=run.rule_set_id,
        reopen_reason=run.reopen_reason, computed_at=run.computed_at, head_approved_at=run.head_approved_at,
        published_at=run.published_at, complaint_until=run.complaint_until, finalised_at=run.finalised_at,
        people=run.people, counts=annual.stage_counts(run) if whole else None,
    )


def result_out(result: AnnualResult, why: explanations.AnnualExplanation) -> AnnualResultOut:
    override = nd335.Override(result.override) if result.override else None
    return AnnualResultOut(
        person=PersonRef(id=result.person_id, full_name=result.person.full_name), unit=unit_ref(result.unit),
        group=result.group, role=result.role, periods_worked=result.periods_worked,
        annual_score=result.annual_score, level_by_score=result.level_by_score, override=result.override,
        override_reason=override.label_vi if override else "", override_article=override.article if override else "",
        quota_demoted=result.quota_demoted, quota_tie=result.quota_tie, tie_promoted=result.tie_promoted,
        level=result.level,
        explanation=AnnualExplanationOut(
            periods=[PeriodUsedOut(sheet_id=p.sheet_id, period=p.period_code, agency_id=p.agency_id,
                                   unit=p.unit_name, worked=p.worked, total=p.total, counted=p.counted,
                                   other_agency=p.other_agency, note=p.note) for p in why.periods],
            steps=steps_out(why.steps), consistent=why.consistent, mismatches=why.mismatches,
            promote_reason=why.promote_reason,
        ),
    )


def _unit_path(unit_id: int) -> str | None:
    return OrgUnit.objects.filter(pk=unit_id).values_list("path", flat=True).first()


# ---- periods --------------------------------------------------------------------------------------------------


def _may_read_agency(user: Any, agency: OrgUnit) -> bool:
    if Right.READ_EVALUATIONS in rights_at(user, agency.path):
        return True
    own = own_person_id(user)
    return own is not None and Sheet.objects.filter(period__agency=agency, person_id=own).exists()


@router.get("/evaluation/periods", response=responses({200: PeriodPage}),
            summary="Evaluation periods of an agency (months or quarters)")
def list_periods(request: HttpRequest, filters: Query[PeriodQuery]) -> dict[str, Any]:
    agency = OrgUnit.objects.filter(pk=filters.agency).first()
    if agency is None or not _may_read_agency(caller(request), agency):
        raise NotFoundOrDenied("Không tìm thấy cơ quan hoặc bạn không có quyền truy cập.")
    qs = Period.objects.filter(agency=agency).select_related("agency")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    rows, envelope = page_of(qs.order_by("year", "kind", "number"), filters)
    return {**envelope, "items": [period_out(p) for p in rows]}


# ---- sheets ---------------------------------------------------------------------------------------------------


def _filtered_sheets(user: Any, filters: SheetQuery) -> QuerySet[Sheet]:
    qs = sheets_visible(user).select_related("period", "person", "unit")
    if filters.current:
        qs = qs.filter(is_current=True)
    if filters.period is not None:
        qs = qs.filter(period_id=filters.period)
    if filters.person is not None:
        qs = qs.filter(person_id=filters.person)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        path = _unit_path(filters.unit)
        qs = qs.filter(unit__path__startswith=path) if path is not None else qs.none()
    return qs.order_by("period__start", "unit__path", "person__sort_key", "person_id", "version")


@router.get("/evaluation/sheets", response=responses({200: SheetPage}),
            summary="Period sheets you may read, with the steps of each score")
def list_sheets(request: HttpRequest, filters: Query[SheetQuery]) -> dict[str, Any]:
    rows, envelope = page_of(_filtered_sheets(caller(request), filters), filters)
    scores = explanations.explain_sheets(rows)
    return {**envelope, "items": [sheet_fields(s, scores[s.pk]) for s in rows]}


@router.get("/evaluation/sheets/{sheet_id}", response=responses({200: SheetDetail}),
            summary="One period sheet with its task lines and the steps of its score")
def get_sheet(request: HttpRequest, sheet_id: int) -> dict[str, Any]:
    sheet = access_sheet(caller(request), sheet_id, Act.READ)
    score = explanations.explain_sheets([sheet])[sheet.pk]
    lines = [TaskLineOut.model_validate(line, from_attributes=True) for line in sheet.lines.order_by("id")]
    return {**sheet_fields(sheet, score), "self_general": sheet.self_general,
            "manager_general": sheet.manager_general, "reopen_reason": sheet.reopen_reason, "lines": lines}


# ---- annual classification -------------------------------------------------------------------------------------


@router.get("/evaluation/annual-runs", response=responses({200: RunPage}),
            summary="Annual classifications you may read (agency, year, status, counts by stage)")
def list_runs(request: HttpRequest, filters: Query[RunQuery]) -> dict[str, Any]:
    user = caller(request)
    qs = runs_visible(user).select_related("agency")
    if filters.current:
        qs = qs.filter(is_current=True)
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    rows, envelope = page_of(qs.order_by("-year", "agency__path", "-version"), filters)
    readable = scope_for(user, Right.READ_EVALUATIONS)
    return {**envelope, "items": [run_out(r, whole=readable.covers(r.agency.path)) for r in rows]}


@router.get("/evaluation/annual-runs/{run_id}", response=responses({200: RunOut}),
            summary="One annual classification with its counts by stage")
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    reach = access_run_or_own(caller(request), run_id)
    return run_out(reach.run, whole=reach.whole)


@router.get("/evaluation/annual-runs/{run_id}/results", response=responses({200: AnnualResultPage}),
            summary="Annual results with the explanation of each level")
def list_results(request: HttpRequest, run_id: int, filters: Query[ResultQuery]) -> dict[str, Any]:
    reach = access_run_or_own(caller(request), run_id)
    qs = reach.results().select_related("person", "unit")
    if filters.unit is not None:
        path = _unit_path(filters.unit)
        qs = qs.filter(unit__path__startswith=path) if path is not None else qs.none()
    if filters.group is not None:
        qs = qs.filter(group=filters.group)
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.person is not None:
        qs = qs.filter(person_id=filters.person)
    if filters.tie is not None:
        qs = qs.filter(quota_tie=filters.tie)
    rows, envelope = page_of(qs.order_by("unit__path", "group", "person__sort_key", "person_id"), filters)
    why = explanations.explain_results(reach.run, rows)
    return {**envelope, "items": [result_out(r, why[r.person_id]) for r in rows]}

