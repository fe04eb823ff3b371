"""Explanations of stored results: a period sheet's score (for lists of sheets) and a person's annual level.

Sheets: :func:`explain_sheets` recomputes each sheet's score from its accepted task lines with the rule set
of its period, like ``work.explain`` does for one sheet, but for a whole page of sheets in one query for the
lines; a leader's unit-result criterion (d) is the stored one (the value the stored total was computed
with), so the steps explain the stored numbers even after a subordinate's sheet changed.

Annual: why a person got their level: the periods used, the mean, the level, the override, the quota.
The stored result comes from one SQL statement (``congvu.evaluation.annual``); the explanation recomputes
the person's (unit, group) with the rule set's ``classify`` from the same inputs (period totals of the year,
disciplines, conduct findings) and says whether the two agree. They disagree only when the inputs changed
after the computation (a sheet reopened, a discipline recorded): the page then asks for a recomputation
instead of explaining numbers that are no longer true.

Everything is fetched per batch of results (one query per kind of input), so a page of results costs the
same few queries as one result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from congvu.core.models import AuditEntry
from congvu.evaluation.annual import COUNTED_STATUSES
from congvu.evaluation.models import AnnualResult, AnnualRun, ConductFinding, EvalRole, Level, Sheet, TaskLine
from congvu.personnel.models import Discipline
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335

PROMOTE_ACTION = "evaluation.annual_tie_promote"


# ---- period sheets -------------------------------------------------------------------------------------------


def _rule_line(line: TaskLine) -> nd335.TaskLine:
    return nd335.TaskLine(coefficient=line.coefficient, quantity=line.quantity, completed=line.completed,
                          errors=line.errors, delays=line.delays, objective_cause=line.objective_cause,
                          label=line.label)


def _leader(sheet: Sheet) -> nd335.LeaderInputs | None:
    if sheet.organising is None or sheet.unity is None:
        return None
    if sheet.unit_result is None:
        from congvu.evaluation.scoring import unit_result_for  # not scored yet: today's subordinates

        return nd335.LeaderInputs(unit_result_for(sheet), sheet.organising, sheet.unity)
    return nd335.LeaderInputs(sheet.unit_result, sheet.organising, sheet.unity)


def explain_sheets(sheets: Sequence[Sheet]) -> dict[int, nd335.PeriodScore | None]:
    """sheet id → the score with its steps, or None when the sheet has no score to explain yet (general
    criteria not scored, a leader's criteria đ and e missing) or the period was spent on leave.
    The sheets need ``period`` (and ``unit`` for an unscored leader) loaded."""
    lines: dict[int, list[nd335.TaskLine]] = defaultdict(list)
    rows = TaskLine.objects.filter(sheet_id__in=[s.pk for s in sheets], accepted=True).order_by("sheet_id", "id")
    for line in rows:
        lines[line.sheet_id].append(_rule_line(line))
    out: dict[int, nd335.PeriodScore | None] = {}
    for sheet in sheets:
        out[sheet.pk] = None
        if sheet.general_points is None or not sheet.worked:
            continue
        leader = _leader(sheet) if sheet.role == EvalRole.LEADER else None
        if sheet.role == EvalRole.LEADER and leader is None:
            continue
        rs = kpi_registry.rule_set(sheet.rule_set_id or sheet.period.rule_set_id)
        out[sheet.pk] = rs.score_lines(role=nd335.Role(sheet.role), general_points=sheet.general_points,
                                       lines=lines[sheet.pk], leader=leader)
    return out


# ---- the year ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodUsed:
    """One period of the person's year as the annual mean sees it."""

    sheet_id: int
    period_label: str
    period_code: str
    agency_id: int
    agency_name: str
    unit_name: str
    status: str
    worked: bool
    total: Decimal | None
    counted: bool  # approved or published, current version, with a total
    other_agency: bool  # a transfer: a period of the agency the person came from
    note: str  # why a period does not count (leave, no assigned work, not approved yet)


@dataclass(frozen=True)
class Fact:
    """A decision behind an override (a discipline or a conduct finding) as recorded."""

    kind: str
    label: str
    decided_on: dt.date
    number: str


@dataclass
class AnnualExplanation:
    result: AnnualResult
    periods: list[PeriodUsed]
    steps: list[nd335.Step]
    facts: list[Fact]
    promote_reason: str = ""
    mismatches: list[str] = field(default_factory=list)
    tie_seats: int = 0

    @property
    def consistent(self) -> bool:
        return not self.mismatches

    @property
    def counted_totals(self) -> list[Decimal]:
        return [p.total for p in self.periods if p.counted and p.total is not None]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _period_note(sheet: Sheet) -> str:
    if not sheet.worked:
        return "Nghỉ theo chế độ cả kỳ: không tính (Nghị định 335/2025, Điều 21)"
    if sheet.status not in COUNTED_STATUSES:
        return "Chưa được phê duyệt: không tính"
    if sheet.total is None:
        return sheet.no_work_reason or nd335.NO_WORK_REASON_VI
    return ""


def periods_of(run: AnnualRun, person_ids: Iterable[int]) -> dict[int, list[PeriodUsed]]:
    """Every current sheet of the year for these people, in period order, whatever the agency (transfers)."""
    sheets = (
        Sheet.objects.filter(person_id__in=list(person_ids), period__year=run.year, is_current=True)
        .select_related("period", "period__agency", "unit")
        .order_by("person_id", "period__end", "id")
    )
    out: dict[int, list[PeriodUsed]] = defaultdict(list)
    for s in sheets:
        counted = s.status in COUNTED_STATUSES and s.total is not None
        out[s.person_id].append(PeriodUsed(
            sheet_id=s.pk, period_label=s.period.label, period_code=s.period.code, agency_id=s.period.agency_id,
            agency_name=s.period.agency.name, unit_name=s.unit.name, status=s.status, worked=s.worked,
            total=s.total if counted else None, counted=counted, other_agency=s.period.agency_id != run.agency_id,
            note=_period_note(s),
        ))
    return out


def facts_of(run: AnnualRun, people: dict[int, str]) -> dict[int, list[Fact]]:
    """Disciplines and conduct findings of the year that force "not completed" (the same tests as the SQL).

    ``people`` maps person id → evaluation role: the unit-corruption finding counts for leaders only.
    """
    first, last = year_bounds(run.year)
    out: dict[int, list[Fact]] = defaultdict(list)
    disciplines = Discipline.objects.filter(person_id__in=list(people), decided_on__range=(first, last))
    for d in disciplines.order_by("decided_on", "id"):
        out[d.person_id].append(Fact("discipline", d.get_form_display(), d.decided_on, d.decision_number))
    findings = ConductFinding.objects.filter(person_id__in=list(people), concluded_on__range=(first, last))
    for f in findings.order_by("concluded_on", "id"):
        if f.kind == ConductFinding.Kind.UNIT_CORRUPTION and people[f.person_id] != EvalRole.LEADER:
            continue
        out[f.person_id].append(Fact(f.kind, f.get_kind_display(), f.concluded_on, f.decision_number))
    return out


def _discipline_form(facts: Sequence[Fact]) -> nd335.DisciplineForm | None:
    """The rule set only needs to know that a discipline of reprimand or above exists: every form we record
    is one (Giáng chức included, which the rule set's enum does not list); the page shows the real form."""
    if not any(f.kind == "discipline" for f in facts):
        return None
    return nd335.DisciplineForm.REPRIMAND


def _annual_input(result: AnnualResult, periods: Sequence[PeriodUsed], facts: Sequence[Fact]) -> nd335.AnnualInput:
    return nd335.AnnualInput(
        id=str(result.person_id), unit=str(result.quota_unit_id), group=result.group, role=nd335.Role(result.role),
        period_totals=tuple(p.total for p in periods),
        discipline=_discipline_form(facts),
        degradation=any(f.kind == ConductFinding.Kind.DEGRADATION for f in facts),
        unit_corruption=any(f.kind == ConductFinding.Kind.UNIT_CORRUPTION for f in facts),
    )


def promote_reasons(run: AnnualRun, results: Iterable[AnnualResult]) -> dict[int, str]:
    """The head's reason for each tied person given a free seat, from the audit entry of that decision."""
    ids = [str(r.pk) for r in results if r.tie_promoted]
    if not ids:
        return {}
    rows = AuditEntry.objects.filter(action=PROMOTE_ACTION, object_type="annualresult", object_id__in=ids)
    by_result = dict(rows.order_by("at", "id").values_list("object_id", "reason"))
    return {r.person_id: by_result.get(str(r.pk), "") for r in results if r.tie_promoted}


def _compare(result: AnnualResult, computed: nd335.AnnualResult) -> list[str]:
    """What differs between the stored result and the rule set's classification of today's inputs."""
    level = computed.level.value if computed.level is not None else ""
    if result.tie_promoted and computed.quota_tie:
        level = Level.EXCELLENT.value
    pairs = [
        ("annual_score", result.annual_score, computed.annual_score),
        ("level_by_score", result.level_by_score or "", computed.level_by_score.value if computed.level_by_score else ""),
        ("override", result.override or "", computed.override.value if computed.override else ""),
        ("quota_demoted", result.quota_demoted, computed.quota_demoted),
        ("quota_tie", result.quota_tie, computed.quota_tie),
        ("level", result.level or "", level),
    ]
    return [name for name, stored, now in pairs if stored != now]


def explain_results(run: AnnualRun, results: Sequence[AnnualResult]) -> dict[int, AnnualExplanation]:
    """Explanations of ``results`` (of ``run``), keyed by person id; each group is classified once."""
    if not results:
        return {}
    groups = {(r.quota_unit_id, r.group) for r in results}
    group_q = Q(pk__in=[])
    for unit_id, group in groups:
        group_q |= Q(quota_unit_id=unit_id, group=group)
    members = list(AnnualResult.objects.filter(group_q, run=run).select_related("unit")
                   .order_by("quota_unit_id", "group", "person_id"))
    roles = {m.person_id: m.role for m in members}
    periods = periods_of(run, roles)
    facts = facts_of(run, roles)
    rs = kpi_registry.rule_set(run.rule_set_id)
    by_group: dict[tuple[int | None, str], list[AnnualResult]] = defaultdict(list)
    for m in members:
        by_group[(m.quota_unit_id, m.group)].append(m)
    computed: dict[int, nd335.AnnualResult] = {}
    for rows in by_group.values():
        inputs = [_annual_input(m, periods.get(m.person_id, []), facts.get(m.person_id, [])) for m in rows]
        for out in rs.classify(inputs, ratio=run.excellent_ratio):
            computed[int(out.id)] = out
    reasons = promote_reasons(run, results)
    explanations = {}
    for r in results:
        c = computed[r.person_id]
        explanations[r.person_id] = AnnualExplanation(
            result=r, periods=periods.get(r.person_id, []), steps=_steps(c, r, reasons.get(r.person_id, "")),
            facts=facts.get(r.person_id, []), promote_reason=reasons.get(r.person_id, ""),
            mismatches=_compare(r, c), tie_seats=c.tie_seats,
        )
    return explanations


def explain_result(run: AnnualRun, result: AnnualResult) -> AnnualExplanation:
    return explain_results(run, [result])[result.person_id]


def _steps(computed: nd335.AnnualResult, result: AnnualResult, reason: str) -> list[nd335.Step]:
    steps = list(computed.steps)
    if result.tie_promoted:
        steps.append(nd335.Step(
            "tie_promoted", "Thủ trưởng chọn người bằng điểm vào suất xuất sắc còn lại",
            "The head gave a tied person the remaining excellent seat",
            reason or "—", Level.EXCELLENT.value, nd335.ART_20_5_A,
        ))
    final = Level(result.level).label if result.level else "—"
    steps.append(nd335.Step("level", "Xếp loại chất lượng năm", "Annual classification", final,
                            result.level or "", nd335.ART_20_LEVELS))
    return steps
