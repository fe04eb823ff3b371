"""Decree 335/2025 rule set v1 (congvu.rules.nd335_2025), driven by the worked examples of nd335_examples."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from congvu.rules import kpi_registry
from congvu.rules.kpi_registry import NoRuleSet, UnknownRuleSet, rule_set, rule_set_for
from congvu.rules.nd335_2025 import (
    DEFAULT_PARAMETERS,
    NO_WORK_REASON_VI,
    PARAMETER_NOTES,
    RULE_SET_ID,
    AnnualInput,
    DisciplineForm,
    LeaderInputs,
    Level,
    Override,
    Parameters,
    Role,
    TaskLine,
    TaskSums,
    annual_score,
    classify,
    forced_override,
    general_points_from_groups,
    level_by_score,
    line_sums,
    quota_keep_count,
    round2,
    score_lines,
    score_period,
    task_sums,
    tie_seats,
    unit_result,
)
from tests.unit import nd335_examples as ex

D = Decimal


def ids(rows: Sequence[Any]) -> list[str]:
    return [row.why for row in rows]


def test_the_table_has_at_least_45_worked_examples() -> None:
    assert ex.count() >= 45


# ---- period ----------------------------------------------------------------------------------------------------


def leader_of(example: ex.PeriodExample) -> LeaderInputs | None:
    if example.leader is None:
        return None
    d1, d2, d3 = (D(x) for x in example.leader)
    return LeaderInputs(unit_result=d1, organising=d2, unity=d3)


@pytest.mark.parametrize("example", ex.PERIODS, ids=ids(ex.PERIODS))
def test_period_worked_example(example: ex.PeriodExample) -> None:
    got = score_lines(role=example.role, general_points=D(example.general), lines=example.lines,
                      leader=leader_of(example))
    figures = (got.quantity_pct, got.quality_pct, got.timeliness_pct, got.task_points, got.total)
    if example.expected is None:
        assert figures == (None,) * 5
        assert got.no_work_reason == NO_WORK_REASON_VI
    else:
        assert tuple(str(x) for x in figures) == example.expected
        assert got.no_work_reason is None
    assert got.general_points == round2(D(example.general))


@pytest.mark.parametrize("example", ex.PERIODS, ids=ids(ex.PERIODS))
def test_scoring_the_sums_gives_the_same_figures_as_scoring_the_lines(example: ex.PeriodExample) -> None:
    kwargs = {"role": example.role, "general_points": D(example.general), "leader": leader_of(example)}
    by_lines = score_lines(lines=example.lines, **kwargs)  # type: ignore[arg-type]
    by_sums = score_period(sums=task_sums(example.lines), **kwargs)  # type: ignore[arg-type]
    assert replace(by_lines, steps=()) == replace(by_sums, steps=())


def test_line_sums_are_exact_converted_weights_with_the_25_percent_deductions() -> None:
    got = line_sums(TaskLine(coefficient=D("1.5"), quantity=D(4), completed=D(5), errors=1, delays=2))
    assert got == TaskSums(assigned=D("6.0"), done=D("6.0"), quality=D("5.625"), timely=D("5.25"))


def test_task_sums_add_up_and_zero_is_neutral() -> None:
    a = line_sums(TaskLine(D(1), D(2), D(2)))
    b = line_sums(TaskLine(D(2), D(3), D(1), errors=1))
    assert task_sums([TaskLine(D(1), D(2), D(2)), TaskLine(D(2), D(3), D(1), errors=1)]) == a + b
    assert a + TaskSums.ZERO == a


def test_the_explanation_shows_each_line_the_formula_with_numbers_and_the_article() -> None:
    got = score_lines(role=Role.STAFF, general_points=D(27),
                      lines=[TaskLine(D("1.5"), D(4), D(4), errors=1, label="Báo cáo")])
    steps = {s.key: s for s in got.steps}
    assert list(steps) == ["lines[0]", "assigned", "quantity_pct", "quality_pct", "timeliness_pct",
                           "task_points", "general_points", "total"]
    assert "chất lượng = max(0, 6 − 0.25 × 1.5 × 1) = 5.625" in steps["lines[0]"].formula
    assert "Báo cáo" in steps["lines[0]"].label_vi
    assert steps["quality_pct"].formula == "100 × 5.625 / 6 = 93.75"
    assert steps["task_points"].formula == "70 × (100 + 93.75 + 100) / 300 = 68.541666…"
    assert steps["task_points"].value == "68.54"
    assert steps["total"].formula == "27 + 68.541666… = 95.541666…"
    assert all("Nghị định 335/2025" in s.article for s in got.steps)
    assert "[L/I]" in steps["task_points"].article  # equal weighting is a lead, not confirmed text


def test_a_leaders_explanation_shows_d1_d2_d3_and_the_six_term_mean() -> None:
    got = score_lines(role=Role.LEADER, general_points=D(28), lines=[TaskLine(D(1), D(10), D(10))],
                      leader=LeaderInputs(D(50), D(90), D(100)))
    steps = {s.key: s for s in got.steps}
    assert steps["unit_result"].value == "50"
    assert "Điều 15" in steps["unit_result"].article
    assert steps["task_points"].formula == "70 × (100 + 100 + 100 + 50 + 90 + 100) / 600 = 63"


def test_no_assigned_work_is_explained_not_scored_as_zero() -> None:
    got = score_lines(role=Role.STAFF, general_points=D(25), lines=[])
    assert [s.key for s in got.steps] == ["assigned", "no_work", "general_points"]
    assert got.general_points == D("25.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"general_points": D("30.01")}, "general_points"),
        ({"general_points": D(-1)}, "general_points"),
        ({"role": Role.LEADER}, "leader"),
        ({"leader": LeaderInputs(D(100), D(100), D(100))}, "leader"),
        ({"role": Role.LEADER, "leader": LeaderInputs(D(100), D(101), D(100))}, "organising"),
        ({"role": "boss"}, "role"),
        ({"lines": [TaskLine(D(0), D(1), D(1))]}, "lines[0].coefficient"),
        ({"lines": [TaskLine(D(1), D(1), D(1)), TaskLine(D(1), D(-1), D(1))]}, "lines[1].quantity"),
        ({"lines": [TaskLine(D(1), D(1), D(-1))]}, "lines[0].completed"),
        ({"lines": [TaskLine(D(1), D(1), D(1), errors=-1)]}, "lines[0].errors"),
        ({"lines": [TaskLine(D(1), D(1), D(1), delays=True)]}, "lines[0].delays"),
        ({"lines": [TaskLine(D("NaN"), D(1), D(1))]}, "lines[0].coefficient"),
    ],
)
def test_out_of_range_inputs_raise_an_error_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    call: dict[str, object] = {"role": Role.STAFF, "general_points": D(20), "lines": [TaskLine(D(1), D(1), D(1))]}
    call.update(kwargs)
    with pytest.raises(ValueError, match="^" + re.escape(field) + ":"):
        score_lines(**call)  # type: ignore[arg-type]


def test_inconsistent_sums_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^sums"):
        score_period(role=Role.STAFF, general_points=D(20), sums=TaskSums(D(1), D(2), D(1), D(1)))


def test_numbers_too_long_to_multiply_exactly_are_refused_not_rounded() -> None:
    with pytest.raises(ValueError, match="exactly"):
        line_sums(TaskLine(D("1." + "1" * 150), D("1." + "3" * 150), D(1)))


@pytest.mark.parametrize("example", ex.UNIT_RESULTS, ids=ids(ex.UNIT_RESULTS))
def test_unit_result_worked_example(example: ex.UnitResultExample) -> None:
    totals = [None if t is None else D(t) for t in example.subordinate_totals]
    assert unit_result(totals) == D(example.expected)


def test_general_points_from_the_three_groups_of_ten() -> None:
    assert general_points_from_groups({"a": D(9), "b": D("8.5"), "c": D(10)}) == D("27.5")
    with pytest.raises(ValueError, match=r"^b:"):
        general_points_from_groups({"a": D(9), "b": D(11), "c": D(10)})
    with pytest.raises(ValueError, match=r"^c: required"):
        general_points_from_groups({"a": D(9), "b": D(1)})
    with pytest.raises(ValueError, match=r"^d:"):
        general_points_from_groups({"a": D(9), "b": D(1), "c": D(1), "d": D(1)})


# ---- year ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", ex.ANNUALS, ids=ids(ex.ANNUALS))
def test_annual_worked_example(example: ex.AnnualExample) -> None:
    score = annual_score([None if t is None else D(t) for t in example.totals])
    assert (None if score is None else str(score)) == example.score
    assert (None if score is None else level_by_score(score)) == example.level


@pytest.mark.parametrize(
    ("score", "level"),
    [("90", Level.EXCELLENT), ("89.99", Level.GOOD), ("70", Level.GOOD), ("69.99", Level.COMPLETED),
     ("50", Level.COMPLETED), ("49.99", Level.NOT_COMPLETED), ("0", Level.NOT_COMPLETED), ("100", Level.EXCELLENT)],
)
def test_levels_at_the_thresholds(score: str, level: Level) -> None:
    assert level_by_score(D(score)) is level


def test_a_period_total_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^period_totals\[1\]"):
        annual_score([D(90), D("100.01")])


@pytest.mark.parametrize("example", ex.OVERRIDES, ids=ids(ex.OVERRIDES))
def test_override_worked_example(example: ex.OverrideExample) -> None:
    got = forced_override(role=example.role, discipline=example.discipline, degradation=example.degradation,
                          unit_corruption=example.unit_corruption)
    assert got is example.expected


def test_every_override_cites_its_point_of_article_20_clause_4() -> None:
    assert Override.DEGRADATION.article.endswith("Điều 20 khoản 4 điểm b")
    assert Override.DISCIPLINE.article == "Nghị định 335/2025, Điều 20 khoản 4 điểm c"
    assert Override.UNIT_CORRUPTION.article.endswith("điểm d")
    assert all(o.label_vi and o.label_en for o in Override)


@pytest.mark.parametrize("example", ex.QUOTA_COUNTS, ids=ids(ex.QUOTA_COUNTS))
def test_quota_keep_count_worked_example(example: ex.QuotaCountExample) -> None:
    keep = quota_keep_count(example.excellent, example.good, D(example.ratio))
    assert keep == example.keep
    # the fixed point: after demoting the rest, excellent ≤ ratio × good
    assert keep <= D(example.ratio) * (example.good + example.excellent - keep)


def people_of(example: ex.ClassifyExample) -> list[AnnualInput]:
    return [
        AnnualInput(id=p.id, unit=p.unit, group=p.group, role=p.role,
                    period_totals=tuple(None if t is None else D(t) for t in p.totals), discipline=p.discipline,
                    degradation=p.degradation, unit_corruption=p.unit_corruption)
        for p in example.people
    ]


@pytest.mark.parametrize("example", ex.CLASSIFICATIONS, ids=ids(ex.CLASSIFICATIONS))
def test_classification_worked_example(example: ex.ClassifyExample) -> None:
    ratio = None if example.ratio is None else D(example.ratio)
    results = classify(people_of(example), ratio=ratio)
    assert [r.id for r in results] == [p.id for p in example.people]
    for result in results:
        outcome = example.expected.get(result.id)
        if outcome is None:  # unnamed people keep their level by score
            outcome = ex.Outcome(result.level_by_score)
        got = ex.Outcome(result.level, result.quota_demoted, result.quota_tie, result.override, result.tie_seats)
        assert got == outcome, result.id


def test_a_tie_is_explained_with_the_seats_left_for_the_head() -> None:
    example = next(e for e in ex.CLASSIFICATIONS if e.why.startswith("a three-way tie"))
    results = classify(people_of(example))
    assert tie_seats(results) == 2
    quota = next(s for s in results[1].steps if s.key == "quota")
    assert "k = min(4, ⌊0.2 × (14 + 4) / (1 + 0.2)⌋) = 3" in quota.formula
    assert "còn 2 suất" in quota.formula
    assert "Điều 20 khoản 5" in quota.article
    assert tie_seats(results[:1]) == 0


def test_an_override_is_explained_with_its_article() -> None:
    results = classify([AnnualInput("A", "u", "g", Role.STAFF, (D(95),), discipline=DisciplineForm.WARNING)])
    step = next(s for s in results[0].steps if s.key == "override")
    assert step.article == Override.DISCIPLINE.article
    assert "Cảnh cáo" in step.formula


def test_a_ratio_above_the_exception_ratio_is_refused_and_one_above_the_default_is_explained() -> None:
    people = [AnnualInput("A", "u", "g", Role.STAFF, (D(95),)), AnnualInput("B", "u", "g", Role.STAFF, (D(80),))]
    with pytest.raises(ValueError, match=r"^ratio"):
        classify(people, ratio=D("0.26"))
    quota = next(s for s in classify(people, ratio=D("0.25"))[0].steps if s.key == "quota")
    assert "Điều 20 khoản 5 điểm b" in quota.article


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^people\[1\]\.id"):
        classify([AnnualInput("A", "u", "g", Role.STAFF, ()), AnnualInput("A", "u", "g", Role.STAFF, ())])


# ---- rounding, parameters, registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", ex.ROUNDINGS, ids=ids(ex.ROUNDINGS))
def test_round2_worked_example(example: ex.RoundExample) -> None:
    assert str(round2(D(example.value))) == example.expected


def test_round2_rounds_exact_fractions_without_going_through_decimals() -> None:
    assert round2(Fraction(100, 3)) == D("33.33")
    assert round2(Fraction(200, 3)) == D("66.67")
    assert round2(Fraction(16667, 200)) == D("83.34")  # 83.335 exactly


def test_every_parameter_is_documented_with_a_source() -> None:
    assert set(PARAMETER_NOTES) == {f.name for f in fields(Parameters)}
    assert all(source for _, source in PARAMETER_NOTES.values())


def test_parameters_that_contradict_each_other_are_refused() -> None:
    with pytest.raises(ValueError, match="general_groups"):
        Parameters(general_max=D(40))
    with pytest.raises(ValueError, match="excellent_ratio"):
        Parameters(excellent_ratio=D("0.3"))
    with pytest.raises(ValueError, match="excellent_from"):
        Parameters(good_from=D(95))


def test_the_default_parameters_are_those_of_the_design() -> None:
    p = DEFAULT_PARAMETERS
    assert (p.general_max, p.task_max, p.deduction_rate) == (D(30), D(70), D("0.25"))
    assert [g.max_points for g in p.general_groups] == [10, 10, 10]
    assert (p.excellent_from, p.good_from, p.completed_from) == (D(90), D(70), D(50))
    assert (p.excellent_ratio, p.exception_ratio) == (D("0.2"), D("0.25"))


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2026, 3, 1), date(2030, 12, 31)])
def test_the_registry_picks_decree_335_from_2026(day: date) -> None:
    rs = rule_set_for(day)
    assert rs.id == RULE_SET_ID == "nd335_2025.v1"
    assert rs.params is DEFAULT_PARAMETERS


def test_there_is_no_rule_set_before_2026() -> None:
    with pytest.raises(NoRuleSet, match="31/12/2025"):
        rule_set_for(date(2025, 12, 31))


def test_a_rule_set_is_found_by_its_recorded_id_and_an_unknown_id_is_an_error() -> None:
    assert rule_set("nd335_2025.v1") is kpi_registry.RULE_SETS["nd335_2025.v1"]
    with pytest.raises(UnknownRuleSet):
        rule_set("nd335_2025.v0")


def test_the_rule_set_binds_its_parameters_to_the_functions() -> None:
    rs = rule_set_for(date(2026, 1, 1))
    lines = [TaskLine(D("1.5"), D(4), D(4), errors=1)]
    score = rs.score_period(role=Role.STAFF, general_points=D(27), sums=rs.task_sums(lines))
    assert score.total == D("95.54")
    assert rs.score_lines(role=Role.STAFF, general_points=D(27), lines=lines).total == D("95.54")
    assert rs.unit_result([D(49)]) == D(50)
    assert rs.annual_score([D(90), None]) == D("90.00")
    assert rs.level_by_score(D(90)) is Level.EXCELLENT
    assert rs.quota_keep_count(3, 10) == 2
    assert rs.forced_override(role=Role.STAFF, discipline=None, degradation=True, unit_corruption=False) \
        is Override.DEGRADATION
    assert [r.level for r in rs.classify([AnnualInput("A", "u", "g", Role.STAFF, (D(80),))])] == [Level.GOOD]
