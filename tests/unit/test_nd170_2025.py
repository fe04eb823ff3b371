"""Decree 170/2025/NĐ-CP higher and lower positions (congvu.rules.nd170_2025), from tables of worked examples."""

from __future__ import annotations

from datetime import date

import pytest

from congvu.rules.nd170_2025 import (
    PARAMETER_NOTES,
    Parameters,
    higher_position,
    lower_or_termination_review,
    next_higher_rank,
    next_lower_rank,
    parameter_names,
    rank_order,
)

HIGHER = [
    # (rating of the preceding year, disciplined, under prosecution, vacancies) → blocked
    ("EXCELLENT", False, False, 1, ()),
    ("GOOD", False, False, 3, ()),
    ("COMPLETED", False, False, 1, ("rating_below_good",)),
    ("NOT_COMPLETED", False, False, 1, ("rating_below_good",)),
    (None, False, False, 1, ("rating_unknown",)),
    ("GOOD", False, False, 0, ("no_vacancy",)),
    ("GOOD", False, False, -2, ("no_vacancy",)),  # over the quota: no vacancy
    ("GOOD", True, False, 1, ("disciplined",)),
    ("EXCELLENT", False, True, 1, ("under_prosecution",)),
    ("COMPLETED", True, True, 0, ("no_vacancy", "rating_below_good", "disciplined", "under_prosecution")),
]


@pytest.mark.parametrize(("rating", "disciplined", "prosecuted", "vacancies", "blocked"), HIGHER)
def test_a_higher_position_needs_a_vacancy_good_or_better_and_no_discipline_or_prosecution(
    rating: str | None, disciplined: bool, prosecuted: bool, vacancies: int, blocked: tuple[str, ...]
) -> None:
    got = higher_position(rating, disciplined=disciplined, under_prosecution=prosecuted, vacancies=vacancies)
    assert (got.ok, got.blocked) == (not blocked, blocked)


def test_task_results_and_competency_are_left_to_the_council() -> None:
    got = higher_position("GOOD", disciplined=False, under_prosecution=False, vacancies=1)
    council = [s for s in got.steps if s.key == "council"]
    assert council
    assert council[0].value == "to_be_checked"
    assert "Điều 24" in council[0].article


def test_an_agency_may_read_the_rule_as_excellent_only() -> None:
    strict = Parameters(higher_min_levels=frozenset({"EXCELLENT"}))
    assert higher_position("GOOD", disciplined=False, under_prosecution=False, vacancies=1,
                           params=strict).blocked == ("rating_below_good",)


def test_an_unknown_level_is_an_error() -> None:
    with pytest.raises(ValueError, match="rating_previous_year: unknown level 'TỐT'"):
        higher_position("TỐT", disciplined=False, under_prosecution=False, vacancies=1)


REVIEW = [
    ("NOT_COMPLETED", date(2026, 12, 15), True, date(2027, 1, 14)),
    ("NOT_COMPLETED", date(2027, 2, 1), True, date(2027, 3, 3)),
    ("NOT_COMPLETED", date(2028, 2, 1), True, date(2028, 3, 2)),  # leap year
    ("NOT_COMPLETED", date(2026, 1, 31), True, date(2026, 3, 2)),
    ("COMPLETED", date(2026, 12, 15), False, None),
    ("GOOD", date(2026, 12, 15), False, None),
    ("EXCELLENT", date(2026, 12, 15), False, None),
    (None, date(2026, 12, 15), False, None),
]


@pytest.mark.parametrize(("level", "published", "required", "due"), REVIEW)
def test_not_completed_is_reviewed_within_30_days_of_the_result(level: str | None, published: date,
                                                                required: bool, due: date | None) -> None:
    got = lower_or_termination_review(level, published)
    assert (got.required, got.due_date) == (required, due)
    assert got.steps
    assert all("Điều 57" in s.article for s in got.steps)


def test_the_review_days_are_a_parameter() -> None:
    got = lower_or_termination_review("NOT_COMPLETED", date(2026, 12, 15), Parameters(review_days=15))
    assert got.due_date == date(2026, 12, 30)
    assert [s.formula for s in got.steps if s.key == "due_date"] == ["15/12/2026 + 15 ngày = 30/12/2026"]


RANKS = [
    ("01.005", 0, "01.004", None),
    ("01.004", 1, "01.003", "01.005"),
    ("01.003", 2, "01.002", "01.004"),
    ("01.002", 3, "01.001", "01.003"),
    ("01.001", 4, None, "01.002"),
    ("V.07.01.03", None, None, None),
]


@pytest.mark.parametrize(("code", "order", "higher", "lower"), RANKS)
def test_the_administrative_ranks_run_from_nhan_vien_to_chuyen_vien_cao_cap(
    code: str, order: int | None, higher: str | None, lower: str | None
) -> None:
    assert (rank_order(code), next_higher_rank(code), next_lower_rank(code)) == (order, higher, lower)


def test_every_parameter_has_a_note() -> None:
    assert set(parameter_names()) == set(PARAMETER_NOTES)
