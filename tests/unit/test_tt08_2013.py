"""Circular 08/2013/TT-BNV step raises (congvu.rules.tt08_2013), from tables of worked examples."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.rules.tt08_2013 import (
    PARAMETER_NOTES,
    DisciplineFact,
    EarlyCandidate,
    EarlyFacts,
    StepFacts,
    add_months,
    early_raise,
    early_raise_quota,
    months_short,
    parameter_names,
    regular_interval_months,
    regular_raise,
    select_within_quota,
)

D = Decimal
BASE = 2_340_000
G, C, E, N = "GOOD", "COMPLETED", "EXCELLENT", "NOT_COMPLETED"
A1 = ("2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98")
B = ("1.86", "2.06", "2.26", "2.46", "2.66", "2.86", "3.06", "3.26", "3.46", "3.66", "3.86", "4.06")
TABLES = {"A1": A1, "B": B}


def facts(group: str = "A1", step: int = 3, since: date = date(2023, 3, 1), *, interval: int | None = None,
          ratings: dict[int, str | None] | None = None, disciplines: tuple[DisciplineFact, ...] = (),
          pct: str = "25") -> StepFacts:
    table = TABLES[group]
    return StepFacts(
        person_id=f"p-{group}-{step}", salary_group=group, step=step, last_step=len(table), step_since=since,
        interval_months=interval or regular_interval_months(group),
        ratings=ratings if ratings is not None else dict.fromkeys(range(2015, 2031), G),
        disciplines=disciplines, coefficient_now=D(table[step - 1]),
        coefficient_next=D(table[step]) if step < len(table) else None,
        position_allowance=D(0), seniority_pct=D(0), percent_allowances=D(pct),
    )


def rated(**by_year: str | None) -> dict[int, str | None]:
    out: dict[int, str | None] = dict.fromkeys(range(2015, 2031), G)
    out.update({int(k[1:]): v for k, v in by_year.items()})
    return out


def disc(form: str, decided: date, to: date | None = None) -> DisciplineFact:
    return DisciplineFact(form, decided, decided, to)


# ---- the interval -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "kwargs", "months"),
    [
        ("A0", {}, 36), ("A1", {}, 36), ("A2.1", {}, 36), ("A2.2", {}, 36), ("A3.1", {}, 36), ("A3.2", {}, 36),
        ("B", {}, 24), ("C1", {}, 24), ("C2", {}, 24), ("C3", {}, 24), ("driver", {}, 24), (" a1 ", {}, 36),
        ("A3.1", {"senior_expert": True}, 60),
        ("A1", {"months_per_step": 30}, 30),  # the register's Rank.months_per_step wins
    ],
)
def test_the_regular_interval_is_60_36_or_24_months_by_group(group: str, kwargs: dict[str, object],
                                                             months: int) -> None:
    assert regular_interval_months(group, **kwargs) == months  # type: ignore[arg-type]


def test_an_unknown_salary_group_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="salary_group: unknown salary group 'Z9'"):
        regular_interval_months("Z9")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2023, 1, 31), 1, date(2023, 2, 28)),
     (date(2023, 3, 1), 36, date(2026, 3, 1)), (date(2026, 1, 1), -12, date(2025, 1, 1))],
)
def test_months_are_added_with_a_missing_day_falling_back_to_the_month_end(day: date, months: int,
                                                                          expected: date) -> None:
    assert add_months(day, months) == expected


# ---- the regular raise: (facts, review year) → (due, due date, new step, blocked, cost) ----------------------

REGULAR = [
    # A1 step 3 since 01/03/2023: 36 months → 01/03/2026; 10 months of 2026 at (3.33 − 3.00) × 2,340,000 × 1.25
    ("a1_due_in_march", facts(), 2026, True, date(2026, 3, 1), 4, (), "9652500"),
    # B step 2 since 01/07/2024: 24 months → 01/07/2026; (2.26 − 2.06) × 2,340,000 × 1.25 = 585,000 × 6
    ("b_due_in_july", facts("B", 2, date(2024, 7, 1)), 2026, True, date(2026, 7, 1), 3, (), "3510000"),
    # senior expert: 60 months
    ("senior_expert_60", facts(since=date(2021, 1, 1), interval=60), 2026, True, date(2026, 1, 1), 4, (), "11583000"),
    ("at_last_step", facts(step=9), 2026, False, None, None, ("at_last_step",), "0"),
    ("not_yet_due", facts(since=date(2024, 3, 1)), 2026, False, date(2027, 3, 1), None, ("not_due_in_year",), "0"),
    # a year rated "not completed" extends by 6 months; still inside 2026
    ("not_completed_extends_6", facts(ratings=rated(y2024=N)), 2026, True, date(2026, 9, 1), 4, (), "3861000"),
    # ... and pushes a September due date into 2027: the cause is reported
    ("not_completed_pushes_out", facts(since=date(2023, 9, 1), ratings=rated(y2024=N)), 2026, False,
     date(2027, 3, 1), None, ("rating_below_completed:2024", "not_due_in_year"), "0"),
    # two such years: 12 months
    ("two_not_completed_years", facts(since=date(2022, 1, 1), ratings=rated(y2022=N, y2023=N)), 2026, True,
     date(2026, 1, 1), 4, (), "11583000"),
    ("unknown_rating_blocks", facts(ratings=rated(y2025=None)), 2026, False, date(2026, 3, 1), None,
     ("rating_unknown:2025",), "0"),
    ("missing_year_is_unknown", facts(ratings={2023: G, 2024: G, 2026: E}), 2026, False, date(2026, 3, 1), None,
     ("rating_unknown:2025",), "0"),
    # reprimand decided inside the period: +6 months
    ("reprimand_extends_6", facts(disciplines=(disc("reprimand", date(2024, 5, 15)),)), 2026, True,
     date(2026, 9, 1), 4, (), "3861000"),
    ("warning_extends_6", facts(disciplines=(disc("warning", date(2025, 1, 10)),)), 2026, True,
     date(2026, 9, 1), 4, (), "3861000"),
    # removal from office (cách chức): +12 months, out of 2026
    ("removal_extends_12", facts(disciplines=(disc("removal", date(2024, 5, 15)),)), 2026, False,
     date(2027, 3, 1), None, ("disciplined:2024", "not_due_in_year"), "0"),
    ("removal_due_next_year", facts(disciplines=(disc("removal", date(2024, 5, 15)),)), 2027, True,
     date(2027, 3, 1), 4, (), "9652500"),
    ("demotion_extends_12", facts(since=date(2022, 1, 1), disciplines=(disc("demotion", date(2023, 2, 1)),)),
     2026, True, date(2026, 1, 1), 4, (), "11583000"),
    # decided before step_since: it belonged to the previous step
    ("discipline_before_the_step_ignored", facts(disciplines=(disc("removal", date(2023, 2, 1)),)), 2026, True,
     date(2026, 3, 1), 4, (), "9652500"),
    ("dismissal_blocks", facts(disciplines=(disc("dismissal", date(2025, 6, 1)),)), 2026, False,
     date(2026, 3, 1), None, ("disciplined:2025",), "0"),
    # overdue from 2025: due, cost counted from January of 2026 only
    ("overdue", facts(since=date(2022, 3, 1)), 2026, True, date(2025, 3, 1), 4, (), "11583000"),
    # due on 31/12: due that year, one month of cost
    ("due_on_31_12", facts("B", 5, date(2023, 12, 31)), 2025, True, date(2025, 12, 31), 6, (), "585000"),
    # due on 01/01: not due the year before, due the year after with 12 months of cost
    ("due_on_01_01_not_before", facts("B", 5, date(2024, 1, 1)), 2025, False, date(2026, 1, 1), None,
     ("not_due_in_year",), "0"),
    ("due_on_01_01", facts("B", 5, date(2024, 1, 1)), 2026, True, date(2026, 1, 1), 6, (), "7020000"),
    # the window grows: the first extension brings 2027 into it, and 2027's "not completed" adds 6 more
    ("extension_window_grows", facts(since=date(2023, 9, 1), ratings=rated(y2024=N, y2027=N)), 2027, True,
     date(2027, 9, 1), 4, (), "3861000"),
]


@pytest.mark.parametrize(("name", "f", "year", "due", "due_date", "new_step", "blocked", "cost"), REGULAR,
                         ids=[r[0] for r in REGULAR])
def test_the_regular_raise_matches_the_worked_example(name: str, f: StepFacts, year: int, due: bool,
                                                      due_date: date | None, new_step: int | None,
                                                      blocked: tuple[str, ...], cost: str) -> None:
    got = regular_raise(f, year, BASE)
    assert (got.due, got.due_date, got.new_step, got.blocked, got.cost_in_year) == (
        due, due_date, new_step, blocked, D(cost))
    assert got.steps
    assert all(s.article for s in got.steps)


def test_a_due_raise_carries_the_new_coefficient_and_the_monthly_figures() -> None:
    got = regular_raise(facts(), 2026, BASE)
    assert got.new_coefficient == D("3.33")
    assert got.monthly_salary_now == D("8775000")  # 3.00 × 2,340,000 × 1.25
    assert got.monthly_salary_new == D("9740250")  # 3.33 × 2,340,000 × 1.25
    assert got.monthly_increase == D("965250")
    cost = next(s for s in got.steps if s.key == "cost_in_year")
    assert cost.formula == "965250 × 10 tháng (tháng 03/2026 đến 12/2026)"


def test_an_overdue_raise_says_so_in_its_steps() -> None:
    got = regular_raise(facts(since=date(2022, 3, 1)), 2026, BASE)
    assert [s.value for s in got.steps if s.key == "overdue"] == ["overdue"]


def test_the_extension_steps_name_the_cause_and_the_months() -> None:
    got = regular_raise(facts(disciplines=(disc("reprimand", date(2024, 5, 15)),)), 2026, BASE)
    ext = [s for s in got.steps if s.key == "extension"]
    assert [(s.value, s.formula) for s in ext] == [("disciplined:2024", "+6 tháng")]
    assert "khiển trách ngày 15/05/2024" in ext[0].label_vi


@pytest.mark.parametrize(
    ("change", "message"),
    [({"coefficient_next": None}, "coefficient_next: required"),
     ({"coefficient_next": D("2.00")}, "coefficient_next: must be greater"),
     ({"ratings": {2024: "PASSABLE"}}, r"ratings\[2024\]: unknown level"),
     ({"disciplines": (disc("fine", date(2024, 1, 1)),)}, "disciplines.form: unknown form"),
     ({"step": 10}, "step: must be between 1 and last_step")],
)
def test_bad_facts_are_an_error_naming_the_person_and_field(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        regular_raise(replace(facts(), **change), 2026, BASE)  # type: ignore[arg-type]


# ---- the early raise ------------------------------------------------------------------------------------------

ACH = "Bằng khen UBND tỉnh, QĐ 123/QĐ-UBND 12/05/2026"

EARLY = [
    # due 01/01/2028: exactly 12 months short at the end of 31/12/2026 → brought forward to 01/01/2027
    ("12_months_short", EarlyFacts(facts(since=date(2025, 1, 1)), ACH, D("91")), 2026, True, (), 12,
     date(2027, 1, 1)),
    # due 01/02/2028: 13 months short
    ("13_months_short", EarlyFacts(facts(since=date(2025, 2, 1)), ACH, D("91")), 2026, False,
     ("more_than_12_months_short",), 13, None),
    # due 02/01/2028: 12 months and a day → 13
    ("12_months_and_a_day", EarlyFacts(facts(since=date(2025, 1, 2)), ACH, D("91")), 2026, False,
     ("more_than_12_months_short",), 13, None),
    # 2 months short: 12 months earlier lands inside the review year (01/03/2026 → 01/03/2025)
    ("2_months_short", EarlyFacts(facts(), ACH, D("88")), 2025, True, (), 2, date(2025, 3, 1)),
    ("due_regularly", EarlyFacts(facts(since=date(2024, 1, 1)), ACH, D("91")), 2026, False, ("due_regularly",), 0,
     None),
    ("no_achievement", EarlyFacts(facts(since=date(2025, 1, 1)), None, D("91")), 2026, False, ("no_achievement",),
     12, None),
    ("blank_achievement", EarlyFacts(facts(since=date(2025, 1, 1)), "  ", D("91")), 2026, False,
     ("no_achievement",), 12, None),
    ("not_completed_in_period", EarlyFacts(facts(since=date(2024, 6, 1), ratings=rated(y2025=N)), ACH, None), 2026,
     False, ("rating_below_completed:2025",), 11, None),  # due 01/06/2027 + 6 = 01/12/2027
    ("unknown_rating", EarlyFacts(facts(since=date(2025, 1, 1), ratings=rated(y2026=None)), ACH, None), 2026,
     False, ("rating_unknown:2026",), 12, None),
    # decided before the step, still in force in it: the early raise needs "no discipline" in the period
    ("discipline_in_force", EarlyFacts(facts(since=date(2025, 1, 1), disciplines=(
        DisciplineFact("reprimand", date(2024, 10, 1), date(2024, 10, 1), date(2025, 4, 1)),)), ACH, None), 2026,
     False, ("disciplined:2024",), 12, None),
    ("discipline_over_before", EarlyFacts(facts(since=date(2025, 1, 1), disciplines=(
        DisciplineFact("reprimand", date(2023, 10, 1), date(2023, 10, 1), date(2024, 4, 1)),)), ACH, None), 2026,
     True, (), 12, date(2027, 1, 1)),
    ("consecutive_early", EarlyFacts(facts(since=date(2025, 1, 1)), ACH, None, last_raise_early=True), 2026, False,
     ("consecutive_early",), 12, None),
    ("at_last_step", EarlyFacts(facts(step=9), ACH, None), 2026, False, ("at_last_step",), 0, None),
    ("6_months_by_agency_rule", EarlyFacts(facts(since=date(2025, 1, 1)), ACH, None, months_earlier=6), 2026, True,
     (), 12, date(2027, 7, 1)),
    ("b_group_24_months", EarlyFacts(facts("B", 4, date(2025, 9, 1)), ACH, None), 2026, True, (), 8,
     date(2026, 9, 1)),
]


@pytest.mark.parametrize(("name", "f", "year", "eligible", "blocked", "short", "new_due"), EARLY,
                         ids=[r[0] for r in EARLY])
def test_the_early_raise_matches_the_worked_example(name: str, f: EarlyFacts, year: int, eligible: bool,
                                                    blocked: tuple[str, ...], short: int,
                                                    new_due: date | None) -> None:
    got = early_raise(f, year)
    assert (got.eligible, got.blocked, got.months_short, got.new_due_date) == (eligible, blocked, short, new_due)
    assert got.months_earlier == ((f.months_earlier or 12) if eligible else 0)


def test_months_earlier_above_12_is_an_error() -> None:
    with pytest.raises(ValueError, match="months_earlier: must be between 1 and 12"):
        early_raise(EarlyFacts(facts(), ACH, None, months_earlier=13), 2025)


@pytest.mark.parametrize(("due", "reference", "short"),
                         [(date(2028, 1, 1), date(2027, 1, 1), 12), (date(2028, 1, 2), date(2027, 1, 1), 13),
                          (date(2027, 1, 1), date(2027, 1, 1), 0), (date(2026, 5, 1), date(2027, 1, 1), 0),
                          (date(2027, 1, 15), date(2027, 1, 1), 1)])
def test_months_short_counts_a_part_month_as_a_whole_one(due: date, reference: date, short: int) -> None:
    assert months_short(due, reference) == short


@pytest.mark.parametrize(("headcount", "quota"), [(0, 0), (9, 0), (10, 1), (19, 1), (20, 2), (95, 9), (100, 10)])
def test_the_early_raise_quota_is_10_percent_of_the_payroll_rounded_down(headcount: int, quota: int) -> None:
    assert early_raise_quota(headcount) == quota


def test_a_negative_payroll_is_an_error() -> None:
    with pytest.raises(ValueError, match="payroll_headcount"):
        early_raise_quota(-1)


def cand(pid: str, score: str | None, short: int, eligible: bool = True) -> EarlyCandidate:
    return EarlyCandidate(pid, eligible, (), short, 12 if eligible else 0, None, (),
                          D(score) if score is not None else None)


def test_within_the_quota_the_higher_score_then_the_fewer_months_short_come_first() -> None:
    cands = [cand("a", "85", 3), cand("b", "92", 10), cand("c", None, 1), cand("d", "85", 1),
             cand("e", "99", 1, eligible=False)]
    within, outside = select_within_quota(cands, 2)
    assert [c.person_id for c in within] == ["b", "d"]
    assert [c.person_id for c in outside] == ["a", "c"]  # unknown score last; "e" is no candidate


def test_a_rank_key_may_replace_the_default_priority() -> None:
    within, _outside = select_within_quota([cand("a", "85", 3), cand("b", "92", 10)], 1,
                                          rank_key=lambda c: -c.months_short)
    assert [c.person_id for c in within] == ["b"]


def test_every_parameter_has_a_note() -> None:
    assert set(parameter_names()) == set(PARAMETER_NOTES)


# ---- properties ------------------------------------------------------------------------------------------------

groups = st.sampled_from(["A1", "B"])


@st.composite
def any_facts(draw: st.DrawFn) -> StepFacts:
    group = draw(groups)
    step = draw(st.integers(1, len(TABLES[group])))
    since = draw(st.dates(date(2015, 1, 1), date(2026, 12, 31)))
    levels = st.sampled_from([E, G, C, N, None])
    ratings = {y: draw(levels) for y in range(2015, 2031)}
    forms = st.sampled_from(["reprimand", "warning", "demotion", "removal", "dismissal"])
    discs = tuple(disc(draw(forms), draw(st.dates(date(2015, 1, 1), date(2030, 12, 31))))
                  for _ in range(draw(st.integers(0, 2))))
    return facts(group, step, since, ratings=ratings, disciplines=discs, pct=draw(st.sampled_from(["0", "25"])))


@given(any_facts(), st.integers(2016, 2030))
def test_a_regular_raise_never_goes_past_the_last_step_and_always_raises_the_coefficient(
    f: StepFacts, year: int
) -> None:
    got = regular_raise(f, year, BASE)
    if got.due:
        assert got.new_step is not None
        assert got.new_step == f.step + 1 <= f.last_step
        assert got.new_coefficient is not None
        assert got.new_coefficient > f.coefficient_now
        assert got.monthly_increase > 0
        assert 0 < got.cost_in_year <= 12 * got.monthly_increase
        assert got.due_date is not None
        assert got.due_date <= date(year, 12, 31)
        assert got.due_date >= add_months(f.step_since, f.interval_months)
    else:
        assert got.blocked
        assert got.new_step is None
        assert got.cost_in_year == 0


@given(any_facts(), st.integers(2016, 2030), st.integers(1, 12))
def test_an_early_raise_never_goes_past_the_last_step_nor_more_than_12_months(
    f: StepFacts, year: int, earlier: int
) -> None:
    got = early_raise(EarlyFacts(f, ACH, None, months_earlier=earlier), year)
    if got.eligible:
        assert f.step < f.last_step
        assert 1 <= got.months_short <= 12
        assert got.months_earlier == earlier
        assert got.new_due_date is not None
    else:
        assert got.blocked
        assert got.new_due_date is None


@given(st.integers(0, 1_000_000))
def test_the_quota_never_exceeds_10_percent(headcount: int) -> None:
    quota = early_raise_quota(headcount)
    assert 10 * quota <= headcount < 10 * (quota + 1)
