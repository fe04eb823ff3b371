"""Vacancies of a job position ("có vào"): the approved quota less those in post and those already coming.

Pure. Decree 170/2025 recruits by job position within the approved staffing (regulations.md §4.4 [C] S29);
the arithmetic is ours [I]: ``count = max(0, quota − filled − incoming)``, and what exceeds the quota is
reported as ``over_quota`` (never a negative vacancy), so a streamlining or redeployment list can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from congvu.rules.nd335_2025 import Step

ARTICLE = "Nghị định 170/2025/NĐ-CP: tuyển dụng theo vị trí việc làm trong biên chế được giao [C]; cách tính [I]"


@dataclass(frozen=True)
class Vacancy:
    count: int
    over_quota: int
    steps: tuple[Step, ...]


def vacancies(quota: int, filled: int, incoming: int) -> Vacancy:
    """Places to recruit for: ``quota − filled − incoming``, never negative; the excess is ``over_quota``.

    ``incoming`` = people already decided to come (recruited, transferred in) but not yet in post.
    ValueError naming the argument for a negative or non-whole number.
    """
    for name, value in (("quota", quota), ("filled", filled), ("incoming", incoming)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number ≥ 0")
    free = quota - filled - incoming
    count, over = (free, 0) if free >= 0 else (0, -free)
    steps = (
        Step("vacancies", "Số chỉ tiêu còn được tuyển", "Places left to recruit",
             f"max(0, {quota} − {filled} − {incoming}) = {count}", str(count), ARTICLE),
        Step("over_quota", "Số vượt chỉ tiêu", "Over the quota",
             f"max(0, {filled} + {incoming} − {quota}) = {over}", str(over), ARTICLE),
    )
    return Vacancy(count, over, steps)
