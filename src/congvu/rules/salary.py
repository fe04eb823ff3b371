"""Salary arithmetic of the coefficient pay system (Decree 204/2004/NĐ-CP with the base salary of the day).

Pure: the coefficient and the base salary are looked up by the caller (``congvu.org.salary``); this module
only multiplies. Decimal throughout, and one rounding function, :func:`round_vnd`, applied once at the end
of each amount (never to intermediate coefficients).

Sources (tags of regulations.md):
- Decree 204/2004/NĐ-CP Art 5 and Table 2: salary = coefficient of the rank and step × base salary [C] S38c;
  Art 6(1): the seniority-over-grade allowance (thâm niên vượt khung) is a percentage of the last step's
  coefficient [R].
- Decree 73/2024/NĐ-CP Art 3: base salary 2,340,000 VND/month from 01/07/2024 [C] S39; its guidance
  (Circular 07/2024/TT-BNV Art 3) spells out: salary = base × coefficient; a coefficient allowance = base ×
  its coefficient; a percentage allowance = (salary + leadership-position allowance + seniority-over-grade)
  × its percentage [R].
- Decree 34/2012/NĐ-CP: public-service allowance 25 % on that same sum [C by the worked example of Official
  Letter 1814/BNV: (4.65 + 0.6) × 2,340,000 × 1.25 = 15,356,250, regulations.md §3.2].
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round_vnd(amount: Decimal) -> Decimal:
    """Round to a whole đồng, half up (our documented choice: the decrees print no rounding rule)."""
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def seniority_coefficient(coefficient: Decimal, seniority_pct: Decimal) -> Decimal:
    """Thâm niên vượt khung as a coefficient: ``coefficient × pct / 100`` (Decree 204/2004 Art 6(1))."""
    if seniority_pct < 0:
        raise ValueError("seniority_pct must not be negative")
    return coefficient * seniority_pct / HUNDRED


def salary_coefficient(
    coefficient: Decimal, *, position_allowance: Decimal = ZERO, seniority_pct: Decimal = ZERO
) -> Decimal:
    """Rank-step coefficient + leadership-position allowance coefficient + seniority-over-grade coefficient."""
    if coefficient < 0 or position_allowance < 0:
        raise ValueError("coefficients must not be negative")
    return coefficient + position_allowance + seniority_coefficient(coefficient, seniority_pct)


def monthly_salary(
    coefficient: Decimal,
    base_salary: int | Decimal,
    *,
    position_allowance: Decimal = ZERO,
    seniority_pct: Decimal = ZERO,
) -> Decimal:
    """Monthly salary in VND: ``(coefficient + position allowance + coefficient × seniority%/100) × base``.

    Decree 204/2004 Art 5 (coefficient × base), Decree 73/2024 Art 3 (the base salary). Example: A1 step 1
    (2.34) at 2,340,000 → 5,475,600.
    """
    total = salary_coefficient(coefficient, position_allowance=position_allowance, seniority_pct=seniority_pct)
    return round_vnd(total * Decimal(base_salary))


def monthly_income(
    coefficient: Decimal,
    base_salary: int | Decimal,
    *,
    position_allowance: Decimal = ZERO,
    seniority_pct: Decimal = ZERO,
    percent_allowances: Decimal = ZERO,
) -> Decimal:
    """Salary plus the percentage allowances (e.g. công vụ 25) computed on it: "tiền lương hiện hưởng".

    ``(salary coefficient × base) × (1 + percent_allowances / 100)``, rounded once. Official Letter 1814/BNV:
    coefficient 4.65, position allowance 0.6, công vụ 25 % at 2,340,000 → 15,356,250.
    """
    if percent_allowances < 0:
        raise ValueError("percent_allowances must not be negative")
    total = salary_coefficient(coefficient, position_allowance=position_allowance, seniority_pct=seniority_pct)
    return round_vnd(total * Decimal(base_salary) * (HUNDRED + percent_allowances) / HUNDRED)
