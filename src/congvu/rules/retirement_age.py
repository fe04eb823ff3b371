"""Retirement age of Decree 135/2020/NĐ-CP (Labour Code 2019 Art 169), as the tables of its appendices.

Pure: stdlib only, no Django, no clock. The ages are encoded as the appendices print them, one row per
retirement year (age in years and months, born from month, born to month), not as a formula; a test checks
the rows against each other (each step 3 months for men, 4 for women; the birth ranges contiguous).

Sources (certainty tags of ``domain/regulations.md``):
- Decree 135/2020 Art 4 and Appendix I: normal working conditions; men 60 years 3 months in 2021, +3 months a
  year, 62 from 2028; women 55 years 4 months in 2021, +4 months a year, 60 from 2035 [R] (regulations.md
  §3.3 "Retirement ages"; Labour Code 2019 Art 169(2) [R]).
- Decree 135/2020 Art 5 and Appendix II: reduced retirement age (heavy, toxic or dangerous work, very
  difficult areas, …), the same calendar rows with ages 5 years lower [R].
- Born before the first row: the age in force before 2021, 60 (men) / 55 (women), Appendix II 55 / 50
  (Labour Code 2012 Art 187) [R].
- Decree 135/2020 Art 6: the retirement time is the end of the last day of the month in which the person
  reaches the age [R]; so the first day of the next month is the first day in retirement.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

DECREE = "Nghị định 135/2020/NĐ-CP"
ART_6 = f"{DECREE}, Điều 6: thời điểm nghỉ hưu là kết thúc ngày cuối cùng của tháng đủ tuổi nghỉ hưu [R]"

MALE = "M"
FEMALE = "F"
SEXES = (MALE, FEMALE)

# Only the birth year known (old records): the person is taken as born on 01/01 of that year [R: the usual
# reading of the Social Insurance rules, "không xác định được ngày, tháng sinh thì lấy ngày 01 tháng 01"].
UNKNOWN_BIRTH_MONTH = 1
UNKNOWN_BIRTH_DAY = 1


@dataclass(frozen=True)
class AppendixRow:
    """One row of Appendix I or II: people born ``born_from``–``born_to`` (year, month; ``None`` = and later)
    retire in ``retirement_year`` (the first year for the last, open row) at ``years`` years ``months``."""

    appendix: str
    sex: str
    retirement_year: int
    years: int
    months: int
    born_from: tuple[int, int]
    born_to: tuple[int, int] | None

    @property
    def citation(self) -> str:
        born_from = f"{self.born_from[1]:02d}/{self.born_from[0]}"
        born = (f"sinh từ {born_from} trở đi" if self.born_to is None
                else f"sinh {born_from}–{self.born_to[1]:02d}/{self.born_to[0]}")
        year = f"từ năm {self.retirement_year}" if self.born_to is None else f"năm {self.retirement_year}"
        return (f"{DECREE}, Phụ lục {self.appendix}, nghỉ hưu {year}: {_age_text(self.years, self.months)} "
                f"({born}) [R]")


@dataclass(frozen=True)
class Age:
    """A retirement age and where it comes from (``row`` is ``None`` before the first appendix row)."""

    years: int
    months: int
    row: AppendixRow | None
    citation: str

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


def _age_text(years: int, months: int) -> str:
    return f"{years} tuổi" + (f" {months} tháng" if months else "")


# ---- the appendices, as printed ----------------------------------------------------------------------------
# (retirement year, years, months, born from (year, month), born to (year, month) or None)

_Row = tuple[int, int, int, tuple[int, int], tuple[int, int] | None]

APPENDIX_I_MEN: tuple[_Row, ...] = (
    (2021, 60, 3, (1961, 1), (1961, 9)),
    (2022, 60, 6, (1961, 10), (1962, 6)),
    (2023, 60, 9, (1962, 7), (1963, 3)),
    (2024, 61, 0, (1963, 4), (1963, 12)),
    (2025, 61, 3, (1964, 1), (1964, 9)),
    (2026, 61, 6, (1964, 10), (1965, 6)),
    (2027, 61, 9, (1965, 7), (1966, 3)),
    (2028, 62, 0, (1966, 4), None),
)
APPENDIX_I_WOMEN: tuple[_Row, ...] = (
    (2021, 55, 4, (1966, 1), (1966, 8)),
    (2022, 55, 8, (1966, 9), (1967, 4)),
    (2023, 56, 0, (1967, 5), (1967, 12)),
    (2024, 56, 4, (1968, 1), (1968, 8)),
    (2025, 56, 8, (1968, 9), (1969, 4)),
    (2026, 57, 0, (1969, 5), (1969, 12)),
    (2027, 57, 4, (1970, 1), (1970, 8)),
    (2028, 57, 8, (1970, 9), (1971, 4)),
    (2029, 58, 0, (1971, 5), (1971, 12)),
    (2030, 58, 4, (1972, 1), (1972, 8)),
    (2031, 58, 8, (1972, 9), (1973, 4)),
    (2032, 59, 0, (1973, 5), (1973, 12)),
    (2033, 59, 4, (1974, 1), (1974, 8)),
    (2034, 59, 8, (1974, 9), (1975, 4)),
    (2035, 60, 0, (1975, 5), None),
)
APPENDIX_II_MEN: tuple[_Row, ...] = (
    (2021, 55, 3, (1966, 1), (1966, 9)),
    (2022, 55, 6, (1966, 10), (1967, 6)),
    (2023, 55, 9, (1967, 7), (1968, 3)),
    (2024, 56, 0, (1968, 4), (1968, 12)),
    (2025, 56, 3, (1969, 1), (1969, 9)),
    (2026, 56, 6, (1969, 10), (1970, 6)),
    (2027, 56, 9, (1970, 7), (1971, 3)),
    (2028, 57, 0, (1971, 4), None),
)
APPENDIX_II_WOMEN: tuple[_Row, ...] = (
    (2021, 50, 4, (1971, 1), (1971, 8)),
    (2022, 50, 8, (1971, 9), (1972, 4)),
    (2023, 51, 0, (1972, 5), (1972, 12)),
    (2024, 51, 4, (1973, 1), (1973, 8)),
    (2025, 51, 8, (1973, 9), (1974, 4)),
    (2026, 52, 0, (1974, 5), (1974, 12)),
    (2027, 52, 4, (1975, 1), (1975, 8)),
    (2028, 52, 8, (1975, 9), (1976, 4)),
    (2029, 53, 0, (1976, 5), (1976, 12)),
    (2030, 53, 4, (1977, 1), (1977, 8)),
    (2031, 53, 8, (1977, 9), (1978, 4)),
    (2032, 54, 0, (1978, 5), (1978, 12)),
    (2033, 54, 4, (1979, 1), (1979, 8)),
    (2034, 54, 8, (1979, 9), (1980, 4)),
    (2035, 55, 0, (1980, 5), None),
)

# Age before the first row (born earlier): the pre-2021 age (Labour Code 2012 Art 187) [R].
PRE_2021_AGE: dict[tuple[str, bool], int] = {
    (MALE, False): 60,
    (FEMALE, False): 55,
    (MALE, True): 55,
    (FEMALE, True): 50,
}


@dataclass(frozen=True)
class _Table:
    """One appendix for one sex, ready for a binary search on the birth month (built once, at import)."""

    rows: tuple[AppendixRow, ...]
    starts: tuple[int, ...]  # born_from as a month number (year × 12 + month − 1), ascending
    before: Age


def _month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def _table(appendix: str, sex: str, reduced: bool, raw: tuple[_Row, ...]) -> _Table:
    rows = tuple(AppendixRow(appendix, sex, *r) for r in raw)
    pre = PRE_2021_AGE[(sex, reduced)]
    first = rows[0].born_from
    before = Age(pre, 0, None, f"Bộ luật Lao động 2012, Điều 187: {pre} tuổi (sinh trước {first[1]:02d}/{first[0]}; "
                              f"{DECREE}, Phụ lục {appendix} chưa áp dụng) [R]")
    return _Table(rows, tuple(_month_number(*row.born_from) for row in rows), before)


TABLES: dict[tuple[str, bool], _Table] = {
    (MALE, False): _table("I", MALE, False, APPENDIX_I_MEN),
    (FEMALE, False): _table("I", FEMALE, False, APPENDIX_I_WOMEN),
    (MALE, True): _table("II", MALE, True, APPENDIX_II_MEN),
    (FEMALE, True): _table("II", FEMALE, True, APPENDIX_II_WOMEN),
}
_AGES: dict[tuple[str, bool], tuple[Age, ...]] = {
    key: tuple(Age(row.years, row.months, row, row.citation) for row in table.rows) for key, table in TABLES.items()
}


def _lookup(sex: str, reduced: bool) -> tuple[_Table, tuple[Age, ...]]:
    key = (sex, reduced)
    table = TABLES.get(key)
    if table is None:
        raise ValueError(f"sex: must be {MALE!r} or {FEMALE!r}")
    return table, _AGES[key]


def retirement_age(sex: str, birth: date, *, reduced: bool = False) -> Age:
    """The retirement age of a person born on ``birth`` (Appendix I, or Appendix II when ``reduced``).

    Example: a man born 15/01/1964 → 61 years 3 months (Appendix I, 2025 row).
    """
    table, ages = _lookup(sex, bool(reduced))
    index = bisect_right(table.starts, _month_number(birth.year, birth.month)) - 1
    return table.before if index < 0 else ages[index]


def retirement_date(sex: str, birth: date, *, reduced: bool = False) -> date:
    """The first day in retirement: the 1st of the month after the month the person reaches the age (Art 6).

    Example: a man born 15/01/1964 reaches 61 years 3 months in 04/2025 → 01/05/2025.
    """
    return first_day_after(birth, retirement_age(sex, birth, reduced=reduced))


def first_day_after(birth: date, age: Age) -> date:
    """The 1st of the month after the month in which a person born on ``birth`` reaches ``age`` (Art 6)."""
    month_number = _month_number(birth.year, birth.month) + age.total_months + 1
    year, month0 = divmod(month_number, 12)
    return date(year, month0 + 1, 1)


def whole_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` ≤ ``start``).

    A month counts when the day of the month of ``end`` reaches that of ``start``: 01/07/2026 → 01/01/2029 is
    30; 15/03 → 14/04 is 0. (From the 31st to a shorter month's last day is not yet a whole month.)
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def birth_for(birth_date: date | None, birth_year: int) -> date:
    """The birth date to use: ``birth_date`` if known, else 01/01 of ``birth_year`` (the named
    :data:`UNKNOWN_BIRTH_MONTH` / :data:`UNKNOWN_BIRTH_DAY` [R])."""
    if birth_date is not None:
        return birth_date
    return date(birth_year, UNKNOWN_BIRTH_MONTH, UNKNOWN_BIRTH_DAY)
