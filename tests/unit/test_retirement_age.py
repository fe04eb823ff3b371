"""Decree 135/2020 retirement ages, checked against rows of Appendix I and Appendix II."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from congvu.rules.retirement_age import (
    APPENDIX_I_MEN,
    APPENDIX_I_WOMEN,
    APPENDIX_II_MEN,
    APPENDIX_II_WOMEN,
    birth_for,
    retirement_age,
    retirement_date,
    whole_months,
)

Row = tuple[int, int, int, tuple[int, int], tuple[int, int] | None]

# (sex, reduced, birth, years, months, retirement year of the row or None before the table, first day retired)
APPENDIX_ROWS = [
    ("M", False, date(1961, 1, 20), 60, 3, 2021, date(2021, 5, 1)),
    ("M", False, date(1961, 9, 30), 60, 3, 2021, date(2022, 1, 1)),
    ("M", False, date(1961, 10, 1), 60, 6, 2022, date(2022, 5, 1)),
    ("M", False, date(1962, 6, 15), 60, 6, 2022, date(2023, 1, 1)),
    ("M", False, date(1962, 7, 1), 60, 9, 2023, date(2023, 5, 1)),
    ("M", False, date(1963, 3, 31), 60, 9, 2023, date(2024, 1, 1)),
    ("M", False, date(1963, 4, 1), 61, 0, 2024, date(2024, 5, 1)),
    ("M", False, date(1963, 12, 31), 61, 0, 2024, date(2025, 1, 1)),
    ("M", False, date(1964, 1, 15), 61, 3, 2025, date(2025, 5, 1)),
    ("M", False, date(1964, 9, 1), 61, 3, 2025, date(2026, 1, 1)),
    ("M", False, date(1964, 10, 1), 61, 6, 2026, date(2026, 5, 1)),
    ("M", False, date(1965, 6, 30), 61, 6, 2026, date(2027, 1, 1)),
    ("M", False, date(1965, 7, 1), 61, 9, 2027, date(2027, 5, 1)),
    ("M", False, date(1966, 3, 1), 61, 9, 2027, date(2028, 1, 1)),
    ("M", False, date(1966, 4, 1), 62, 0, 2028, date(2028, 5, 1)),
    ("M", False, date(1980, 12, 31), 62, 0, 2028, date(2043, 1, 1)),
    ("M", False, date(1960, 12, 31), 60, 0, None, date(2021, 1, 1)),
    ("F", False, date(1966, 1, 1), 55, 4, 2021, date(2021, 6, 1)),
    ("F", False, date(1966, 8, 31), 55, 4, 2021, date(2022, 1, 1)),
    ("F", False, date(1966, 9, 1), 55, 8, 2022, date(2022, 6, 1)),
    ("F", False, date(1967, 4, 30), 55, 8, 2022, date(2023, 1, 1)),
    ("F", False, date(1967, 5, 1), 56, 0, 2023, date(2023, 6, 1)),
    ("F", False, date(1968, 1, 10), 56, 4, 2024, date(2024, 6, 1)),
    ("F", False, date(1968, 9, 10), 56, 8, 2025, date(2025, 6, 1)),
    ("F", False, date(1969, 12, 10), 57, 0, 2026, date(2027, 1, 1)),
    ("F", False, date(1972, 8, 10), 58, 4, 2030, date(2031, 1, 1)),
    ("F", False, date(1975, 4, 10), 59, 8, 2034, date(2035, 1, 1)),
    ("F", False, date(1975, 5, 1), 60, 0, 2035, date(2035, 6, 1)),
    ("F", False, date(1965, 12, 31), 55, 0, None, date(2021, 1, 1)),
    ("M", True, date(1966, 1, 5), 55, 3, 2021, date(2021, 5, 1)),
    ("M", True, date(1968, 4, 5), 56, 0, 2024, date(2024, 5, 1)),
    ("M", True, date(1971, 4, 5), 57, 0, 2028, date(2028, 5, 1)),
    ("M", True, date(1965, 12, 5), 55, 0, None, date(2021, 1, 1)),
    ("F", True, date(1971, 1, 5), 50, 4, 2021, date(2021, 6, 1)),
    ("F", True, date(1974, 4, 5), 51, 8, 2025, date(2026, 1, 1)),
    ("F", True, date(1980, 5, 5), 55, 0, 2035, date(2035, 6, 1)),
    ("F", True, date(1970, 12, 5), 50, 0, None, date(2021, 1, 1)),
]


@pytest.mark.parametrize(("sex", "reduced", "birth", "years", "months", "row_year", "retired"), APPENDIX_ROWS)
def test_the_retirement_age_and_date_follow_the_rows_of_the_appendices(
    sex: str, reduced: bool, birth: date, years: int, months: int, row_year: int | None, retired: date
) -> None:
    age = retirement_age(sex, birth, reduced=reduced)
    assert (age.years, age.months) == (years, months)
    assert (age.row.retirement_year if age.row else None) == row_year
    assert retirement_date(sex, birth, reduced=reduced) == retired
    assert "135/2020" in age.citation or "2012" in age.citation


def test_each_row_cites_its_appendix_year_age_and_birth_range() -> None:
    age = retirement_age("M", date(1964, 1, 15))
    assert age.citation == ("Nghị định 135/2020/NĐ-CP, Phụ lục I, nghỉ hưu năm 2025: 61 tuổi 3 tháng "
                            "(sinh 01/1964–09/1964) [R]")
    last = retirement_age("F", date(1990, 1, 1), reduced=True)
    assert last.citation == "Nghị định 135/2020/NĐ-CP, Phụ lục II, nghỉ hưu từ năm 2035: 55 tuổi (sinh từ 05/1980 trở đi) [R]"


@pytest.mark.parametrize(("rows", "step"), [(APPENDIX_I_MEN, 3), (APPENDIX_I_WOMEN, 4), (APPENDIX_II_MEN, 3),
                                            (APPENDIX_II_WOMEN, 4)])
def test_the_rows_are_contiguous_yearly_and_rise_by_the_same_step(rows: tuple[Row, ...], step: int) -> None:
    for before, after in pairwise(rows):
        assert after[0] == before[0] + 1
        assert after[1] * 12 + after[2] == before[1] * 12 + before[2] + step
        end_year, end_month = before[4]
        assert after[3] == ((end_year, end_month + 1) if end_month < 12 else (end_year + 1, 1))
    assert rows[-1][4] is None


@pytest.mark.parametrize(("normal", "reduced"), [(APPENDIX_I_MEN, APPENDIX_II_MEN), (APPENDIX_I_WOMEN, APPENDIX_II_WOMEN)])
def test_appendix_ii_is_appendix_i_five_years_lower_in_the_same_calendar_years(normal: tuple[Row, ...], reduced: tuple[Row, ...]) -> None:
    for row_i, row_ii in zip(normal, reduced, strict=True):
        assert row_ii[0] == row_i[0]
        assert (row_ii[1], row_ii[2]) == (row_i[1] - 5, row_i[2])
        assert row_ii[3] == (row_i[3][0] + 5, row_i[3][1])


def test_a_sex_other_than_m_or_f_is_refused() -> None:
    with pytest.raises(ValueError, match="sex"):
        retirement_age("X", date(1970, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 7, 1), date(2029, 1, 1), 30),
        (date(2026, 7, 1), date(2026, 7, 1), 0),
        (date(2026, 7, 1), date(2026, 6, 1), 0),
        (date(2026, 3, 15), date(2026, 4, 14), 0),
        (date(2026, 3, 15), date(2026, 4, 15), 1),
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2025, 12, 2), date(2027, 12, 1), 23),
    ],
)
def test_whole_months_count_only_completed_months(start: date, end: date, months: int) -> None:
    assert whole_months(start, end) == months


def test_only_the_birth_year_known_means_the_first_of_january() -> None:
    assert birth_for(None, 1968) == date(1968, 1, 1)
    assert birth_for(date(1968, 5, 7), 1968) == date(1968, 5, 7)
