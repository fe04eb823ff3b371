"""Scoring a whole period of a unit's subtree at once: set-based sums in SQL, the rule set's formula, one write.

The task lines are summed in one GROUP BY query with exact integer arithmetic (coefficients scaled by 10⁴,
quantities by 10², so SQLite and PostgreSQL agree to the last digit); the rule set turns each sheet's sums
into its score; the results go back in chunked set-based UPDATEs. Leaders are scored after everyone below
them, deepest units first, because criterion (d) depends on their subordinates' totals (Decree 335 Art 15).
Recomputing gives the same result (idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, Case, F, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Greatest, Least, Round
from django.utils import timezone

from congvu.core import audit
from congvu.core.bulk import bulk_set
from congvu.core.types import Actor
from congvu.evaluation.models import EvalRole, Period, Sheet, SheetStatus, TaskLine
from congvu.org.models import OrgUnit
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335

K_SCALE = 10_000  # coefficient: 4 decimal places
Q_SCALE = 100  # quantities: 2 decimal places
SUM_SCALE = Decimal(K_SCALE * Q_SCALE)
ON_LEAVE_REASON = "Nghỉ theo chế độ cả kỳ: không tính vào điểm bình quân năm (Nghị định 335/2025, Điều 21)."
RESULT_FIELDS = [
    "assigned", "done", "quality", "timely", "unit_result", "quantity_pct", "quality_pct", "timeliness_pct",
    "task_points", "total", "no_work_reason", "rule_set_id", "scored_at",
]


def _scaled(field: str, scale: int) -> Cast:
    return Cast(Round(F(field) * Value(scale)), output_field=BigIntegerField())


def _line_sum_expressions(params: nd335.Parameters) -> tuple[Sum, Sum, Sum, Sum]:
    """Σk·q, Σk·min(c,q), Σk·max(0, c' − rate·e), Σk·max(0, c' − rate·d), all scaled to integers."""
    rate = params.deduction_rate * Q_SCALE
    if rate != rate.to_integral_value():
        raise ValueError("deduction rate must have at most two decimal places")
    k = _scaled("coefficient", K_SCALE)
    q = _scaled("quantity", Q_SCALE)
    done = Least(_scaled("completed", Q_SCALE), q)
    waived = Q(objective_cause=True)
    errors = Case(When(waived, then=Value(0)), default=F("errors"), output_field=BigIntegerField())
    delays = Case(When(waived, then=Value(0)), default=F("delays"), output_field=BigIntegerField())
    zero = Value(0, output_field=BigIntegerField())
    return (
        Sum(k * q),
        Sum(k * done),
        Sum(k * Greatest(zero, done - Value(int(rate)) * errors)),
        Sum(k * Greatest(zero, done - Value(int(rate)) * delays)),
    )


def task_sums_by_sheet(sheets: QuerySet[Sheet], params: nd335.Parameters) -> dict[int, nd335.TaskSums]:
    assigned, done, quality, timely = _line_sum_expressions(params)
    rows = (
        TaskLine.objects.filter(sheet__in=sheets.values("pk"), accepted=True)
        .values("sheet_id")
        .annotate(s_assigned=assigned, s_done=done, s_quality=quality, s_timely=timely)
        .values_list("sheet_id", "s_assigned", "s_done", "s_quality", "s_timely")
    )
    return {
        sheet_id: nd335.TaskSums(
            assigned=Decimal(a) / SUM_SCALE, done=Decimal(d) / SUM_SCALE,
            quality=Decimal(qy) / SUM_SCALE, timely=Decimal(t) / SUM_SCALE,
        )
        for sheet_id, a, d, qy, t in rows.iterator(chunk_size=20000)
    }


@dataclass(frozen=True)
class BatchSummary:
    period: str
    scope: str
    scored: int
    leaders: int
    no_work: int
    on_leave: int
    waiting_for_superior: int

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _scorable(period: Period, path: str, statuses: Iterable[str]) -> QuerySet[Sheet]:
    return Sheet.objects.filter(
        period=period, is_current=True, unit__path__startswith=path, status__in=list(statuses),
        general_points__isnull=False,
    )


def _result_row(sheet_id: int, sums: nd335.TaskSums, unit_result: Decimal | None, score: nd335.PeriodScore,
                rule_set_id: str, now: Any) -> tuple[Any, ...]:
    return (
        sheet_id, sums.assigned, sums.done, sums.quality, sums.timely, unit_result, score.quantity_pct,
        score.quality_pct, score.timeliness_pct, score.task_points, score.total, score.no_work_reason or "",
        rule_set_id, now,
    )


@transaction.atomic
def score_period(
    actor: Actor, period: Period, unit: OrgUnit | None = None, *,
    statuses: Iterable[str] = (SheetStatus.MANAGER_SCORED, SheetStatus.APPROVED),
) -> BatchSummary:
    """Score every scorable sheet of ``period`` in ``unit``'s subtree (the agency by default), set-based."""
    scope = unit or period.agency
    statuses = list(statuses)
    rs = kpi_registry.rule_set(period.rule_set_id)
    now = timezone.now()
    sheets = _scorable(period, scope.path, statuses)
    on_leave = _mark_leave(
        Sheet.objects.filter(period=period, is_current=True, unit__path__startswith=scope.path, worked=False)
        .exclude(status=SheetStatus.PUBLISHED),
        rs.id, now,
    )
    sums = task_sums_by_sheet(sheets.filter(worked=True), rs.params)
    staff = sheets.filter(worked=True, role=EvalRole.STAFF).values_list("pk", "general_points")
    rows = []
    no_work = 0
    for sheet_id, general in staff.iterator(chunk_size=20000):
        s = sums.get(sheet_id, nd335.zero_sums())
        score = rs.score_period(role=nd335.Role.STAFF, general_points=Decimal(general or 0), sums=s)
        no_work += score.total is None
        rows.append(_result_row(sheet_id, s, None, score, rs.id, now))
    bulk_set(Sheet, RESULT_FIELDS, rows)
    leaders, waiting, leader_no_work = _score_leaders(period, scope, sheets, sums, rs, now)
    summary = BatchSummary(period.code, scope.path, len(rows) + leaders, leaders, no_work + leader_no_work,
                           on_leave, waiting)
    audit.record(actor, "evaluation.score_period", period, after=summary.as_dict(), org_path=scope.path)
    return summary


def _mark_leave(sheets: QuerySet[Sheet], rule_set_id: str, now: Any) -> int:
    return sheets.filter(worked=False).update(
        assigned=None, done=None, quality=None, timely=None, quantity_pct=None, quality_pct=None,
        timeliness_pct=None, task_points=None, total=None, no_work_reason=ON_LEAVE_REASON,
        rule_set_id=rule_set_id, scored_at=now,
    )


def _score_leaders(
    period: Period, scope: OrgUnit, sheets: QuerySet[Sheet], sums: dict[int, nd335.TaskSums],
    rs: kpi_registry.RuleSet, now: Any,
) -> tuple[int, int, int]:
    leader_sheets = list(
        sheets.filter(worked=True, role=EvalRole.LEADER).values_list(
            "pk", "unit_id", "unit__path", "unit__depth", "general_points", "organising", "unity"
        )
    )
    scored = waiting = no_work = 0
    for depth in sorted({row[3] for row in leader_sheets}, reverse=True):
        minima = SubordinateMinima.for_period(period, scope)
        rows = []
        for sheet_id, _unit_id, path, row_depth, general, organising, unity in leader_sheets:
            if row_depth != depth:
                continue
            if organising is None or unity is None:
                waiting += 1
                continue
            d1 = rs.unit_result(minima.lowest_below(path))
            leader = nd335.LeaderInputs(unit_result=d1, organising=organising, unity=unity)
            s = sums.get(sheet_id, nd335.zero_sums())
            score = rs.score_period(role=nd335.Role.LEADER, general_points=Decimal(general or 0), sums=s, leader=leader)
            no_work += score.total is None
            rows.append(_result_row(sheet_id, s, d1, score, rs.id, now))
        bulk_set(Sheet, RESULT_FIELDS, rows)
        scored += len(rows)
    return scored, waiting, no_work


class SubordinateMinima:
    """Lowest period total per unit, for criterion (d): a leader's subordinates are the civil servants of the
    leader's own unit who are not leaders, and everyone in the units below it (our reading of Art 15)."""

    def __init__(self, staff_min: dict[str, Decimal], all_min: dict[str, Decimal]):
        self.staff_min = staff_min
        self.below_min = _subtree_minima(all_min)

    @classmethod
    def for_period(cls, period: Period, scope: OrgUnit) -> SubordinateMinima:
        base = Sheet.objects.filter(
            period=period, is_current=True, total__isnull=False, unit__path__startswith=_root_of(scope)
        )
        staff_min = dict(
            base.filter(role=EvalRole.STAFF).values("unit__path").annotate(m=Min("total")).values_list("unit__path", "m")
        )
        all_min = dict(base.values("unit__path").annotate(m=Min("total")).values_list("unit__path", "m"))
        return cls(staff_min, all_min)

    def lowest_below(self, path: str) -> list[Decimal]:
        """The lowest subordinate total (as a one-element list for the rule), or [] when nobody is scored."""
        candidates = [m for m in (self.staff_min.get(path), self.below_min.get(path)) if m is not None]
        return [min(candidates)] if candidates else []


def _root_of(scope: OrgUnit) -> str:
    return scope.path


def _subtree_minima(all_min: dict[str, Decimal]) -> dict[str, Decimal]:
    """For each unit path that has scored units strictly below it: the lowest total among them."""
    below: dict[str, Decimal] = {}
    for path, value in all_min.items():
        segs = path.strip(".").split(".")
        for i in range(1, len(segs)):
            ancestor = ".".join(segs[:i]) + "."
            current = below.get(ancestor)
            if current is None or value < current:
                below[ancestor] = value
    return below


def unit_result_for(sheet: Sheet) -> Decimal:
    """Criterion (d) for one leader's sheet, from the current totals of their subordinates."""
    rs = kpi_registry.rule_set(sheet.period.rule_set_id)
    minima = SubordinateMinima.for_period(sheet.period, sheet.unit)
    return rs.unit_result(minima.lowest_below(sheet.unit.path))
