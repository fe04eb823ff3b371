"""Decree 154/2025 streamlining: worked examples of the documented interpretation (issue 5 item 5).

Everyone is counted on 01/07/2026 at a base salary of 2,340,000 with the Official Letter 1814/BNV salary
(4.65 + 0.6, 25 %) = 15,356,250 a month unless the row says otherwise. A man born 12/1966 retires on
01/01/2029 (62 years, Decree 135/2020 Appendix I), 30 months after 01/07/2026; each month later born is one
month more.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.rules.nd154_2025 import (
    CASES,
    DEFAULT,
    PARAMETER_NOTES,
    Estimate,
    Exclusion,
    Parameters,
    PathReason,
    StreamliningInput,
    counted_years,
    estimate,
    max_sick_days,
)

D = Decimal
AS_OF = date(2026, 7, 1)
BASE = 2_340_000
SALARY = D(15_356_250)


def born(months_to_retirement: int) -> date:
    """A man (62 years) born so that he retires ``months_to_retirement`` months after AS_OF."""
    index = 1966 * 12 + 11 + months_to_retirement - 30  # 12/1966 ↔ 30 months
    return date(index // 12, index % 12 + 1, 15)


def person(**changes: Any) -> StreamliningInput:
    base = StreamliningInput(
        id="P", birth_date=born(30), sex="M", salary_coefficient=D("4.65"), position_allowance=D("0.6"),
        seniority_pct=D(0), percent_allowances=D(25), insured_months=264, reduced_retirement_age=False,
        rating_previous_year=None, rating_current_year=None, sick_days_previous_year=0, sick_days_current_year=0,
        redundant_by_restructuring=False, below_training_standard=False, pregnant_or_child_under_36_months=False,
        under_discipline_or_investigation=False, volunteer=False,
    )
    return replace(base, **changes)


A = {"redundant_by_restructuring": True}
NC = "NOT_COMPLETED"

# (name, facts, cases, excluded, months, path, path_reason, benefit months, benefit VND)
EXAMPLES: list[tuple[str, dict[str, Any], str, str | None, int, str | None, str, str, int]] = [
    ("1814/BNV under Decree 154: 2y6m early, 22 insured years",
     {"rating_previous_year": NC}, "g", None, 30, "early_retirement", "24_to_60_months_insured_15_years",
     "18.5", 284_090_625),
    ("23 months left: no path", {**A, "birth_date": born(23)}, "a", None, 23, None,
     "under_24_months_to_retirement", "0", 0),
    ("24 months left: early, 2 years", {**A, "birth_date": born(24)}, "a", None, 24, "early_retirement",
     "24_to_60_months_insured_15_years", "16", 245_700_000),
    ("60 months left: early, 5 years", {**A, "birth_date": born(60)}, "a", None, 60, "early_retirement",
     "24_to_60_months_insured_15_years", "31", 476_043_750),
    ("61 months left: quit", {**A, "birth_date": born(61)}, "a", None, 61, "quit",
     "over_60_months_to_retirement", "36", 552_825_000),
    ("insured 14y6m = 14.5: quit", {**A, "insured_months": 174}, "a", None, 30, "quit",
     "insured_under_15_years", "24.75", 380_067_188),
    ("insured 15 years: early", {**A, "insured_months": 180}, "a", None, 30, "early_retirement",
     "24_to_60_months_insured_15_years", "17.5", 268_734_375),
    ("insured 19y6m = 19.5: still 5 months", {**A, "insured_months": 234}, "a", None, 30, "early_retirement",
     "24_to_60_months_insured_15_years", "17.5", 268_734_375),
    ("insured 20 years: 5 months", {**A, "insured_months": 240}, "a", None, 30, "early_retirement",
     "24_to_60_months_insured_15_years", "17.5", 268_734_375),
    ("insured 20y1m = 20.5: + 0.25", {**A, "insured_months": 241}, "a", None, 30, "early_retirement",
     "24_to_60_months_insured_15_years", "17.75", 272_573_438),
    ("insured 22y7m = 23: + 1.5", {**A, "insured_months": 271}, "a", None, 30, "early_retirement",
     "24_to_60_months_insured_15_years", "19", 291_768_750),
    ("25 months = 2y1m → 2.5 years early", {**A, "birth_date": born(25)}, "a", None, 25, "early_retirement",
     "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("31 months = 2y7m → 3 years early", {**A, "birth_date": born(31)}, "a", None, 31, "early_retirement",
     "24_to_60_months_insured_15_years", "21", 322_481_250),
    ("36 months = 3 years early", {**A, "birth_date": born(36)}, "a", None, 36, "early_retirement",
     "24_to_60_months_insured_15_years", "21", 322_481_250),
    ("case f: below the training standard", {"below_training_standard": True}, "f", None, 30,
     "early_retirement", "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("case g: not completed in the current year", {"rating_current_year": NC}, "g", None, 30,
     "early_retirement", "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("completed and good are no case", {"rating_previous_year": "COMPLETED", "rating_current_year": "GOOD"}, "",
     None, 30, None, "no_case", "0", 0),
    ("case h: 40 sick days at 22 insured years", {"sick_days_previous_year": 40}, "h", None, 30,
     "early_retirement", "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("39 sick days at 22 insured years is no case", {"sick_days_current_year": 39}, "", None, 30, None,
     "no_case", "0", 0),
    ("case h: 30 sick days at 14y2m (14.5 years), quit", {"sick_days_current_year": 30, "insured_months": 170},
     "h", None, 30, "quit", "insured_under_15_years", "24.75", 380_067_188),
    ("case h: 60 sick days at 30 insured years", {"sick_days_current_year": 60, "insured_months": 360,
                                                  "birth_date": born(61)},
     "h", None, 61, "quit", "over_60_months_to_retirement", "48", 737_100_000),
    ("59 sick days at 30 insured years is no case", {"sick_days_current_year": 59, "insured_months": 360}, "",
     None, 30, None, "no_case", "0", 0),
    ("pregnant or child under 36 months: excluded", {**A, "pregnant_or_child_under_36_months": True}, "a",
     "pregnant_or_child_under_36_months", 30, None, "excluded", "0", 0),
    ("pregnant but volunteering: eligible", {**A, "pregnant_or_child_under_36_months": True, "volunteer": True},
     "a", None, 30, "early_retirement", "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("under discipline: excluded even when volunteering",
     {**A, "under_discipline_or_investigation": True, "volunteer": True}, "a",
     "under_discipline_or_investigation", 30, None, "excluded", "0", 0),
    ("every case at once, in letter order",
     {**A, "below_training_standard": True, "rating_previous_year": NC, "sick_days_previous_year": 45}, "afgh",
     None, 30, "early_retirement", "24_to_60_months_insured_15_years", "18.5", 284_090_625),
    ("never insured: quit, 3 months", {**A, "insured_months": 0}, "a", None, 30, "quit", "insured_under_15_years",
     "3", 46_068_750),
    ("seniority 5 %: (6.2 + 6.2 × 5 %) × 2,340,000 × 1.25, 10 years, quit",
     {**A, "salary_coefficient": D("6.2"), "position_allowance": D(0), "seniority_pct": D(5),
      "insured_months": 120, "birth_date": born(120)},
     "a", None, 120, "quit", "over_60_months_to_retirement", "18", 342_751_500),
    ("woman, Appendix II: born 05/1980 retires at 55 on 01/06/2035",
     {**A, "sex": "F", "reduced_retirement_age": True, "birth_date": date(1980, 5, 9)}, "a", None, 107, "quit",
     "over_60_months_to_retirement", "36", 552_825_000),
    ("already past the retirement date: no path", {**A, "birth_date": date(1960, 1, 1)}, "a", None, 0, None,
     "under_24_months_to_retirement", "0", 0),
]


@pytest.mark.parametrize(
    ("facts", "cases", "excluded", "months", "path", "reason", "benefit_months", "benefit_vnd"),
    [example[1:] for example in EXAMPLES], ids=[example[0] for example in EXAMPLES],
)
def test_the_worked_examples_give_the_documented_cases_path_and_benefit(
    facts: dict[str, Any], cases: str, excluded: str | None, months: int, path: str | None, reason: str,
    benefit_months: str, benefit_vnd: int,
) -> None:
    result = estimate(person(**facts), AS_OF, BASE)
    assert result.cases == tuple(cases)
    assert result.excluded == excluded
    assert result.months_to_retirement == months
    assert (result.path, result.path_reason) == (path, reason)
    assert result.benefit_months == D(benefit_months)
    assert result.benefit_vnd == benefit_vnd
    assert result.eligible is (bool(cases) and excluded is None)


def test_the_official_letter_1814_example_is_explained_step_by_step() -> None:
    result = estimate(person(rating_previous_year=NC), AS_OF, BASE)
    assert result.monthly_salary == SALARY
    assert result.retirement_date == date(2029, 1, 1)
    steps = {step.key: step for step in result.breakdown}
    assert steps["monthly_salary"].formula == "(4.65 + 0.6 + 4.65 × 0 / 100) × 2340000 × (1 + 25 / 100) = 15356250"
    assert steps["years_early"].formula == "30 tháng = 2y6m → 2.5 năm"
    assert steps["benefit_months"].formula == "5 × 2.5 + 5 + 0.5 × (22 − 20) = 18.5"
    assert steps["benefit_vnd"].formula == "15356250 × 18.5 = 284090625"
    assert steps["retirement_age"].article.startswith("Nghị định 135/2020/NĐ-CP, Phụ lục I")
    assert "154/2025" in steps["case_g"].article
    assert all(step.article for step in result.breakdown)


def test_not_eligible_still_gives_the_retirement_date_months_and_salary() -> None:
    result = estimate(person(pregnant_or_child_under_36_months=True, redundant_by_restructuring=True), AS_OF, BASE)
    assert (result.eligible, result.path, result.benefit_vnd) == (False, None, 0)
    assert (result.retirement_date, result.months_to_retirement, result.monthly_salary) == (
        date(2029, 1, 1), 30, SALARY)
    assert Exclusion(result.excluded or "").label_en.startswith("Pregnant")
    assert PathReason(result.path_reason or "").label_vi == "Chưa xem xét tinh giản biên chế"


def test_without_explanation_the_figures_are_the_same_and_the_breakdown_is_empty() -> None:
    facts = person(redundant_by_restructuring=True)
    full, bare = estimate(facts, AS_OF, BASE), estimate(facts, AS_OF, BASE, explain=False)
    assert bare.breakdown == ()
    assert replace(full, breakdown=()) == bare


@pytest.mark.parametrize(("months", "years"), [(0, "0"), (1, "0.5"), (6, "0.5"), (7, "1"), (11, "1"), (12, "1"),
                                               (30, "2.5"), (31, "3"), (174, "14.5"), (271, "23")])
def test_odd_months_count_as_half_a_year_up_to_6_and_a_whole_year_from_7(months: int, years: str) -> None:
    assert counted_years(months) == D(years)


@pytest.mark.parametrize(("years", "days"), [("0", 30), ("14.5", 30), ("15", 40), ("29.5", 40), ("30", 60),
                                             ("41", 60)])
def test_the_sick_day_maximum_depends_on_the_insured_years(years: str, days: int) -> None:
    assert max_sick_days(D(years)) == days


def test_counting_actual_insured_years_for_the_conditions_is_a_named_parameter() -> None:
    facts = person(redundant_by_restructuring=True, insured_months=175)  # 14y7m: 15 rounded, 14 actual
    assert estimate(facts, AS_OF, BASE).path == "early_retirement"
    actual = Parameters(round_insured_years_for_conditions=False)
    assert estimate(facts, AS_OF, BASE, actual).path == "quit"


@pytest.mark.parametrize(
    ("facts", "field"),
    [({"sex": "X"}, "sex"), ({"insured_months": -1}, "insured_months"), ({"seniority_pct": D(-1)}, "seniority_pct"),
     ({"rating_current_year": "BAD"}, "rating_current_year"), ({"sick_days_previous_year": True},
                                                              "sick_days_previous_year")],
)
def test_facts_the_rules_cannot_use_are_refused_naming_the_field(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        estimate(person(**facts), AS_OF, BASE)


def test_every_parameter_has_a_meaning_and_a_source_and_every_case_an_article() -> None:
    assert {f.name for f in fields(DEFAULT)} == set(PARAMETER_NOTES)
    assert all(source for _, source in PARAMETER_NOTES.values())
    assert set(CASES) == {"a", "f", "g", "h"}
    with pytest.raises(ValueError, match="early_min_months"):
        Parameters(early_min_months=61)


# ---- properties -------------------------------------------------------------------------------------------------

ratings = st.sampled_from([None, "EXCELLENT", "GOOD", "COMPLETED", "NOT_COMPLETED"])
people = st.builds(
    StreamliningInput,
    id=st.just("H"),
    birth_date=st.dates(date(1950, 1, 1), date(2000, 12, 31)),
    sex=st.sampled_from(["M", "F"]),
    salary_coefficient=st.decimals(0, 10, places=2),
    position_allowance=st.decimals(0, 2, places=2),
    seniority_pct=st.decimals(0, 30, places=0),
    percent_allowances=st.decimals(0, 100, places=0),
    insured_months=st.integers(0, 540),
    reduced_retirement_age=st.booleans(),
    rating_previous_year=ratings,
    rating_current_year=ratings,
    sick_days_previous_year=st.integers(0, 200),
    sick_days_current_year=st.integers(0, 200),
    redundant_by_restructuring=st.booleans(),
    below_training_standard=st.booleans(),
    pregnant_or_child_under_36_months=st.booleans(),
    under_discipline_or_investigation=st.booleans(),
    volunteer=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(people, st.dates(date(2025, 6, 16), date(2030, 12, 31)))
def test_the_benefit_is_never_negative_and_zero_without_a_path(p: StreamliningInput, as_of: date) -> None:
    result: Estimate = estimate(p, as_of, BASE)
    assert result.benefit_vnd >= 0
    assert result.path in (None, "early_retirement", "quit")
    assert result.eligible is (bool(result.cases) and result.excluded is None)
    if not result.eligible or result.path is None:
        assert (result.path, result.benefit_months, result.benefit_vnd) == (None, 0, 0)
    if result.path == "early_retirement":
        assert 24 <= result.months_to_retirement <= 60
    if result.path == "quit":
        assert result.months_to_retirement >= 24
    if result.eligible and result.months_to_retirement < 24:
        assert result.path is None
    assert result.benefit_vnd == (result.monthly_salary * result.benefit_months).quantize(D(1), "ROUND_HALF_UP")
    assert result.retirement_date.day == 1
