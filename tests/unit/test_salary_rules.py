"""Salary arithmetic (congvu.rules.salary), from tables of worked examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from congvu.rules.salary import (
    monthly_income,
    monthly_salary,
    round_vnd,
    salary_coefficient,
    seniority_coefficient,
)

D = Decimal


@pytest.mark.parametrize(
    ("coefficient", "base", "expected"),
    [
        ("2.34", 2_340_000, 5_475_600),  # A1 step 1 from 01/07/2024 (regulations.md §4.1)
        ("4.98", 2_340_000, 11_653_200),  # A1 step 9
        ("8.00", 2_340_000, 18_720_000),  # A3.1 step 6
        ("2.34", 1_800_000, 4_212_000),  # A1 step 1 from 01/07/2023
        ("1.86", 1_490_000, 2_771_400),  # B step 1 from 01/07/2019
    ],
)
def test_the_monthly_salary_is_the_coefficient_times_the_base_salary(coefficient: str, base: int, expected: int) -> None:
    assert monthly_salary(D(coefficient), base) == D(expected)


@pytest.mark.parametrize(
    ("coefficient", "position", "seniority_pct", "total"),
    [
        ("4.65", "0.6", "0", "5.25"),
        ("4.98", "0", "5", "5.229"),  # 5 % seniority-over-grade on the last A1 step
        ("4.98", "0.3", "7", "5.6286"),
        ("6.78", "0", "12", "7.5936"),
    ],
)
def test_the_salary_coefficient_adds_position_allowance_and_seniority_on_the_step_coefficient(
    coefficient: str, position: str, seniority_pct: str, total: str
) -> None:
    got = salary_coefficient(D(coefficient), position_allowance=D(position), seniority_pct=D(seniority_pct))
    assert got == D(total)


def test_seniority_over_grade_is_a_percentage_of_the_step_coefficient() -> None:
    assert seniority_coefficient(D("4.98"), D(5)) == D("0.249")


def test_the_official_letter_1814_example_of_current_salary_with_the_public_service_allowance() -> None:
    # (4.65 + 0.6) × 2,340,000 × 1.25 = 15,356,250 (Official Letter 1814/BNV, regulations.md §3.2)
    got = monthly_income(D("4.65"), 2_340_000, position_allowance=D("0.6"), percent_allowances=D(25))
    assert got == D(15_356_250)


def test_income_without_percentage_allowances_is_the_salary() -> None:
    args = (D("3.33"), 2_340_000)
    assert monthly_income(*args) == monthly_salary(*args) == D(7_792_200)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("1234.5", "1235"), ("1234.49", "1234"), ("1234.50001", "1235"), ("-0.5", "-1"), ("0", "0")],
)
def test_amounts_round_half_up_to_a_whole_dong(amount: str, rounded: str) -> None:
    assert round_vnd(D(amount)) == D(rounded)


def test_rounding_happens_once_at_the_end_not_on_the_coefficients() -> None:
    # 2.34 × 7 % = 0.1638 kept whole; 2.5038 × 1,490,001 = 3,730,664.5038 → 3,730,665
    assert monthly_salary(D("2.34"), 1_490_001, seniority_pct=D(7)) == D(3_730_665)


@pytest.mark.parametrize(
    "call",
    [
        lambda: monthly_salary(D("-1"), 2_340_000),
        lambda: monthly_salary(D("2.34"), 2_340_000, position_allowance=D("-0.1")),
        lambda: monthly_salary(D("2.34"), 2_340_000, seniority_pct=D(-5)),
        lambda: monthly_income(D("2.34"), 2_340_000, percent_allowances=D(-25)),
    ],
)
def test_negative_inputs_are_refused(call: object) -> None:
    with pytest.raises(ValueError, match="negative"):
        call()  # type: ignore[operator]
