"""Summaries of a unit's evaluation results over a month, quarter, half-year or year: set-based queries only.

One SQL statement groups the current sheets of the unit's subtree by unit (sheets, scored sheets, the sum
of the period totals in hundredths of a point) and by unit and level (each person's mean over the span,
rounded half up exactly as the annual score is, levelled at 90/70/50); the page rolls the per-unit rows up
to the direct sub-units in Python (there are as many rows as units, not as people). Statuses and overdue
steps are two more grouped queries. The levels here are the levels "by score" of the span: the annual
level with the overrides and the quota is the annual classification's.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from congvu.evaluation import workflow
from congvu.evaluation.models import Level, Period, Sheet, SheetStatus
from congvu.org.models import OrgUnit
from congvu.rules import nd335_2025 as nd335

SPAN_KINDS = ("month", "quarter", "half", "year")
LEVEL_ORDER = (Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Span:
    """A stretch of one year: month 1–12, quarter 1–4, half 1–2 or the whole year (number 1)."""

    kind: str
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        limits = {"month": 12, "quarter": 4, "half": 2, "year": 1}
        if self.kind not in limits:
            raise ValueError(f"kind: one of {', '.join(SPAN_KINDS)}")
        if not 1 <= self.number <= limits[self.kind]:
            raise ValueError(f"number: 1–{limits[self.kind]} for {self.kind}")

    @property
    def months(self) -> tuple[int, int]:
        size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.kind]
        first = (self.number - 1) * size + 1
        return first, first + size - 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.months[0], 1)

    @property
    def end(self) -> dt.date:
        last = self.months[1]
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {self.number}/{self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"


@dataclass
class Tally:
    """Counts of one unit (or a roll-up of units): sheets, scored sheets, Σ totals, people per level."""

    sheets: int = 0
    scored: int = 0
    sum_cp: int = 0
    levels: dict[str, int] = field(default_factory=lambda: {str(lv): 0 for lv in LEVEL_ORDER})

    def add(self, other: Tally) -> None:
        self.sheets += other.sheets
        self.scored += other.scored
        self.sum_cp += other.sum_cp
        for key, n in other.levels.items():
            self.levels[key] = self.levels.get(key, 0) + n

    @property
    def average(self) -> Decimal | None:
        """Mean period total of the scored sheets, rounded half up to 2 decimals."""
        if not self.scored:
            return None
        return (Decimal(self.sum_cp) / self.scored / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def people_scored(self) -> int:
        """People with at least one scored sheet in the span (each counted once, in their last unit)."""
        return sum(self.levels.values())


@dataclass(frozen=True)
class Row:
    unit: OrgUnit | None  # None: people attached directly to the unit summarised
    tally: Tally


@dataclass(frozen=True)
class PeriodAverage:
    label: str
    average: Decimal | None
    scored: int


@dataclass
class UnitSummary:
    unit: OrgUnit
    span: Span
    total: Tally
    rows: list[Row]
    statuses: dict[str, int]
    overdue: list[workflow.Overdue]
    periods: list[PeriodAverage]

    @property
    def has_data(self) -> bool:
        return self.total.sheets > 0


_UNITS_SQL = """
SELECT u.id, u.path, COUNT(*) AS sheets, COUNT(sh.total) AS scored,
       CAST(COALESCE(SUM(CAST(ROUND(sh.total * 100) AS BIGINT)), 0) AS BIGINT) AS sum_cp
FROM {sheet} sh JOIN {period} p ON p.id = sh.period_id JOIN {unit} u ON u.id = sh.unit_id
WHERE sh.is_current = %s AND sh.worked = %s AND p.start >= %s AND p."end" <= %s AND u.path LIKE %s
GROUP BY u.id, u.path
"""

_LEVELS_SQL = """
WITH s AS (
    SELECT sh.person_id, sh.unit_id, sh.total, p."end" AS pend, sh.id AS sid
    FROM {sheet} sh JOIN {period} p ON p.id = sh.period_id JOIN {unit} u ON u.id = sh.unit_id
    WHERE sh.is_current = %s AND sh.worked = %s AND p.start >= %s AND p."end" <= %s AND u.path LIKE %s
),
agg AS (
    SELECT person_id, COUNT(total) AS n, CAST(SUM(CAST(ROUND(total * 100) AS BIGINT)) AS BIGINT) AS sum_cp
    FROM s WHERE total IS NOT NULL GROUP BY person_id
),
last AS (
    SELECT person_id, unit_id, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY pend DESC, sid DESC) AS rn
    FROM s
),
scored AS (
    SELECT l.unit_id, (2 * a.sum_cp + a.n) / (2 * a.n) AS score_cp
    FROM last l JOIN agg a ON a.person_id = l.person_id
    WHERE l.rn = 1
)
SELECT unit_id,
       CASE WHEN score_cp >= %s THEN 'EXCELLENT' WHEN score_cp >= %s THEN 'GOOD'
            WHEN score_cp >= %s THEN 'COMPLETED' ELSE 'NOT_COMPLETED' END AS level,
       COUNT(*)
FROM scored
GROUP BY unit_id,
         CASE WHEN score_cp >= %s THEN 'EXCELLENT' WHEN score_cp >= %s THEN 'GOOD'
              WHEN score_cp >= %s THEN 'COMPLETED' ELSE 'NOT_COMPLETED' END
"""


def _tables(sql: str) -> str:
    return sql.format(sheet=Sheet._meta.db_table, period=Period._meta.db_table, unit=OrgUnit._meta.db_table)


def _where(unit: OrgUnit, span: Span) -> list[Any]:
    return [True, True, span.start, span.end, unit.path + "%"]


def _thresholds(params: nd335.Parameters) -> list[int]:
    cuts = [int(params.excellent_from * 100), int(params.good_from * 100), int(params.completed_from * 100)]
    return cuts + cuts


def unit_tallies(unit: OrgUnit, span: Span, params: nd335.Parameters) -> dict[int, tuple[str, Tally]]:
    """unit id → (path, tally) for every unit of the subtree that has sheets in the span."""
    tallies: dict[int, tuple[str, Tally]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_tables(_UNITS_SQL), _where(unit, span))
        for unit_id, path, sheets, scored, sum_cp in cursor.fetchall():
            tallies[unit_id] = (path, Tally(sheets=int(sheets), scored=int(scored), sum_cp=int(sum_cp)))
        cursor.execute(_tables(_LEVELS_SQL), _where(unit, span) + _thresholds(params))
        for unit_id, level, n in cursor.fetchall():
            if unit_id in tallies:  # a person's last sheet is always in the span, so always true
                tallies[unit_id][1].levels[level] += int(n)
    return tallies


def roll_up(unit: OrgUnit, tallies: dict[int, tuple[str, Tally]]) -> tuple[Tally, list[Row]]:
    """The unit's total and one row per direct sub-unit (plus one for people directly in the unit)."""
    children = list(OrgUnit.objects.filter(parent=unit).order_by("path"))
    by_child: dict[int | None, Tally] = defaultdict(Tally)
    total = Tally()
    for path, tally in tallies.values():
        total.add(tally)
        child = next((c for c in children if path.startswith(c.path)), None)
        by_child[child.pk if child else None].add(tally)
    rows = [Row(c, by_child[c.pk]) for c in children if c.pk in by_child]
    if None in by_child:
        rows.insert(0, Row(None, by_child[None]))
    return total, rows


def sheets_in(unit: OrgUnit, span: Span) -> QuerySet[Sheet]:
    return Sheet.objects.filter(
        is_current=True, unit__path__startswith=unit.path, period__start__gte=span.start, period__end__lte=span.end
    )


def status_counts(sheets: QuerySet[Sheet]) -> dict[str, int]:
    counts = {str(s): 0 for s in SheetStatus}
    for status, n in sheets.order_by().values_list("status").annotate(n=Count("pk")):
        counts[status] = n
    return counts


_PERIOD_SQL = """
SELECT p.kind, p.number, COUNT(sh.total),
       CAST(COALESCE(SUM(CAST(ROUND(sh.total * 100) AS BIGINT)), 0) AS BIGINT)
FROM {sheet} sh JOIN {period} p ON p.id = sh.period_id JOIN {unit} u ON u.id = sh.unit_id
WHERE sh.is_current = %s AND sh.worked = %s AND p.start >= %s AND p."end" <= %s AND u.path LIKE %s
GROUP BY p.kind, p.number
ORDER BY p.kind, p.number
"""


def period_averages(unit: OrgUnit, span: Span) -> list[PeriodAverage]:
    """Mean total per period of the span (months or quarters, as the agencies evaluate)."""
    with connection.cursor() as cursor:
        cursor.execute(_tables(_PERIOD_SQL), _where(unit, span))
        rows = cursor.fetchall()
    out = []
    for kind, number, scored, cp in rows:
        label = f"{int(number):02d}/{span.year}" if kind == "month" else f"Quý {number}/{span.year}"
        average = (Decimal(int(cp)) / int(scored) / 100).quantize(CENT, rounding=ROUND_HALF_UP) if scored else None
        out.append(PeriodAverage(label, average, int(scored)))
    return out


def summarise(unit: OrgUnit, span: Span, today: dt.date, params: nd335.Parameters | None = None) -> UnitSummary:
    """Everything the summary page shows for ``unit``'s subtree over ``span``."""
    params = params or nd335.DEFAULT_PARAMETERS
    total, rows = roll_up(unit, unit_tallies(unit, span, params))
    sheets = sheets_in(unit, span)
    return UnitSummary(
        unit=unit, span=span, total=total, rows=rows, statuses=status_counts(sheets),
        overdue=workflow.overdue(sheets, today), periods=period_averages(unit, span),
    )
