"""Vacancies per job position (congvu.rules.vacancies), from a table of worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.rules.vacancies import vacancies

ROWS = [
    # quota, filled, incoming → count, over quota
    (10, 7, 1, 2, 0),
    (10, 7, 0, 3, 0),
    (10, 10, 0, 0, 0),
    (10, 9, 1, 0, 0),
    (10, 12, 0, 0, 2),
    (10, 9, 3, 0, 2),
    (0, 0, 0, 0, 0),
    (0, 2, 0, 0, 2),
    (5, 0, 0, 5, 0),
    (5, 0, 5, 0, 0),
]


@pytest.mark.parametrize(("quota", "filled", "incoming", "count", "over"), ROWS)
def test_vacancies_are_the_quota_less_those_in_post_and_those_coming(quota: int, filled: int, incoming: int,
                                                                      count: int, over: int) -> None:
    got = vacancies(quota, filled, incoming)
    assert (got.count, got.over_quota) == (count, over)
    assert [s.value for s in got.steps] == [str(count), str(over)]


def test_the_steps_show_the_arithmetic() -> None:
    assert vacancies(10, 7, 1).steps[0].formula == "max(0, 10 − 7 − 1) = 2"


@pytest.mark.parametrize("args", [(-1, 0, 0), (1, -1, 0), (1, 0, -1), (True, 0, 0)])
def test_a_negative_or_non_whole_number_is_an_error(args: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="must be a whole number ≥ 0"):
        vacancies(*args)


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_the_vacancy_is_never_negative_and_accounts_for_every_place(quota: int, filled: int, incoming: int) -> None:
    got = vacancies(quota, filled, incoming)
    assert got.count >= 0
    assert got.over_quota >= 0
    assert got.count * got.over_quota == 0
    assert quota - filled - incoming == got.count - got.over_quota
