"""The KPI rule sets by effective date: a period is always evaluated with the rule set in force on its first day.

A :class:`RuleSet` binds a rule module's functions to one set of :class:`~congvu.rules.nd335_2025.Parameters`,
so a service calls ``rs = rule_set_for(period_start); rs.score_period(...); rs.classify(...)`` and stores
``rs.id`` with every result it writes. A new interpretation (or a new decree) is a new entry here with its
own id and dates; old results keep naming the rule set that produced them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from congvu.rules import nd335_2025 as nd335
from congvu.rules.nd335_2025 import (
    AnnualInput,
    AnnualResult,
    DisciplineForm,
    LeaderInputs,
    Level,
    Override,
    Parameters,
    PeriodScore,
    Role,
    TaskLine,
    TaskSums,
)


class NoRuleSet(LookupError):
    """No KPI rule set is in force on the day asked (e.g. before 01/01/2026)."""


class UnknownRuleSet(LookupError):
    """No rule set has the id asked."""


@dataclass(frozen=True)
class RuleSet:
    """One versioned rule set: Decree 335/2025 functions with their parameters bound."""

    id: str
    title: str
    effective_from: date
    effective_to: date | None  # last day in force; None while in force
    params: Parameters

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def line_sums(self, line: TaskLine) -> TaskSums:
        return nd335.line_sums(line, self.params)

    def task_sums(self, lines: Iterable[TaskLine]) -> TaskSums:
        return nd335.task_sums(lines, self.params)

    def unit_result(self, subordinate_totals: Iterable[Decimal | None]) -> Decimal:
        return nd335.unit_result(subordinate_totals, self.params)

    def score_period(
        self, *, role: Role, general_points: Decimal, sums: TaskSums, leader: LeaderInputs | None = None
    ) -> PeriodScore:
        return nd335.score_period(role=role, general_points=general_points, sums=sums, leader=leader,
                                  params=self.params)

    def score_lines(
        self, *, role: Role, general_points: Decimal, lines: Sequence[TaskLine], leader: LeaderInputs | None = None
    ) -> PeriodScore:
        return nd335.score_lines(role=role, general_points=general_points, lines=lines, leader=leader,
                                 params=self.params)

    def annual_score(self, period_totals: Sequence[Decimal | None]) -> Decimal | None:
        return nd335.annual_score(period_totals, self.params)

    def level_by_score(self, score: Decimal) -> Level:
        return nd335.level_by_score(score, self.params)

    def forced_override(
        self, *, role: Role, discipline: DisciplineForm | None, degradation: bool, unit_corruption: bool
    ) -> Override | None:
        return nd335.forced_override(role=role, discipline=discipline, degradation=degradation,
                                     unit_corruption=unit_corruption)

    def quota_keep_count(self, excellent: int, good: int, ratio: Decimal | None = None) -> int:
        return nd335.quota_keep_count(excellent, good, self.params.excellent_ratio if ratio is None else ratio)

    def classify(self, people: Sequence[AnnualInput], *, ratio: Decimal | None = None) -> list[AnnualResult]:
        return nd335.classify(people, ratio=ratio, params=self.params)


ND335_2025_V1 = RuleSet(
    id=nd335.RULE_SET_ID,
    title="Nghị định 335/2025/NĐ-CP, cách hiểu v1 (DESIGN.md §3.3)",
    effective_from=nd335.EFFECTIVE_FROM,
    effective_to=None,
    params=nd335.DEFAULT_PARAMETERS,
)

RULE_SETS: dict[str, RuleSet] = {rs.id: rs for rs in (ND335_2025_V1,)}


def rule_set_for(day: date) -> RuleSet:
    """The rule set in force on ``day`` (a period's first day); NoRuleSet if none is."""
    for rs in sorted(RULE_SETS.values(), key=lambda r: r.effective_from, reverse=True):
        if rs.in_force_on(day):
            return rs
    raise NoRuleSet(f"Không có bộ quy tắc đánh giá KPI áp dụng cho ngày {day:%d/%m/%Y}.")


def rule_set(rule_set_id: str) -> RuleSet:
    """The rule set with this id (as recorded on a stored result); UnknownRuleSet otherwise."""
    try:
        return RULE_SETS[rule_set_id]
    except KeyError:
        raise UnknownRuleSet(f"Không có bộ quy tắc đánh giá KPI «{rule_set_id}».") from None
