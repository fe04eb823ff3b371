"""Salary look-ups: the base salary and the coefficient in force on a day (thin queries over reference data).

The arithmetic that is a legal rule lives in :mod:`congvu.rules.salary`; this module only finds the inputs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from congvu.org.models import BaseSalary, Rank, SalaryGroup, SalaryStep
from congvu.rules import salary as salary_rules


class ReferenceDataMissing(LookupError):
    """The reference table has no row for the request (not loaded yet, or outside its dates)."""


def base_salary_on(day: dt.date) -> int:
    """Base salary (lương cơ sở) in VND per month in force on ``day``, e.g. 2,340,000 from 01/07/2024."""
    amount = (
        BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").values_list("amount", flat=True).first()
    )
    if amount is None:
        raise ReferenceDataMissing(
            f"Chưa có mức lương cơ sở áp dụng ngày {day:%d/%m/%Y} (chạy `congvu load_reference`)."
        )
    return amount


def coefficient(group_or_rank: str | SalaryGroup | Rank, step: int, day: dt.date) -> Decimal:
    """The coefficient of ``step`` in a salary group ("A1") or of a rank ("01.003" or a Rank), on ``day``.

    One query: a string is matched against group codes and rank codes at once (they never collide:
    groups look like "A3.1", ranks like "01.001").
    """
    if isinstance(group_or_rank, Rank):
        which = Q(group_id=group_or_rank.salary_group_id)
    elif isinstance(group_or_rank, SalaryGroup):
        which = Q(group_id=group_or_rank.pk)
    else:
        which = Q(group__code=group_or_rank) | Q(group__ranks__code=group_or_rank)
    in_force = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    value = (
        SalaryStep.objects.filter(which, in_force, step=step)
        .order_by("-valid_from")
        .values_list("coefficient", flat=True)
        .first()
    )
    if value is None:
        raise ReferenceDataMissing(
            f"Không có hệ số lương cho {group_or_rank} bậc {step} vào ngày {day:%d/%m/%Y}."
        )
    return value


def monthly_salary(
    group_or_rank: str | SalaryGroup | Rank,
    step: int,
    day: dt.date,
    *,
    position_allowance: Decimal = Decimal(0),
    seniority_pct: Decimal = Decimal(0),
) -> Decimal:
    """Monthly salary in VND on ``day`` for a group or rank and step (rule: congvu.rules.salary)."""
    return salary_rules.monthly_salary(
        coefficient(group_or_rank, step, day),
        base_salary_on(day),
        position_allowance=position_allowance,
        seniority_pct=seniority_pct,
    )
