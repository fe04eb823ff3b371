"""Decree 154/2025/NĐ-CP: who is a streamlining (tinh giản biên chế) candidate, and the estimated benefit.

Pure: stdlib only, no Django, no I/O, no clock. Implements exactly the "documented interpretation" of issue 5
item 5; every number is a field of :class:`Parameters` with its source and certainty in
:data:`PARAMETER_NOTES`. Certainty tags are those of ``domain/regulations.md``: [C] confirmed, [I] our
inference, [R] recalled, [U] unverified.

The interpretation, in order:
1. monthly salary ("tiền lương hiện hưởng") = (coefficient + position allowance + coefficient × seniority % /
   100) × base salary × (1 + percentage allowances / 100), rounded to whole VND
   (:func:`congvu.rules.salary.monthly_income`; Official Letter 1814/BNV example) [I, consistent with C];
2. retirement date = the 1st of the month after the person reaches the retirement age of Decree 135/2020
   (Appendix I, or Appendix II when ``reduced_retirement_age``) (:mod:`congvu.rules.retirement_age`);
3. cases of Art 2(1): a (redundant by restructuring), f (training below the job-position standard),
   g (rated NOT_COMPLETED in the previous or the current year), h (sick days in the previous or the current
   year ≥ the Social Insurance maximum for their insured years: 30 below 15 years, 40 from 15 to under 30, 60
   from 30; Law on Social Insurance 2024 Art 26(1) [R]);
4. exclusions (Art 2, "not yet considered") [C]: pregnant or raising a child under 36 months, unless
   volunteering; under discipline or investigation;
5. years are counted with odd months rounded: 1–6 months = half a year, 7–11 = a whole year [I];
6. months to retirement = whole months from ``as_of`` to the retirement date;
7. early retirement when 24 to 60 months remain and insured years ≥ 15: 5 × years early + (5 + 0.5 ×
   (insured years − 20) from 20 insured years, else 5) months [C] S36;
8. otherwise, with at least 24 months remaining, quit: 3 + 1.5 × insured years months [C] S36b; with fewer
   than 24 months, no path (the normal retirement procedure applies) [I];
9. benefit in VND = monthly salary × benefit months, rounded to whole VND [I].

Speed matters (2.5 million calls in a batch): no regex, tables built at import, plain Decimal arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from congvu.rules.nd335_2025 import Level, Step
from congvu.rules.retirement_age import ART_6, SEXES, Age, first_day_after, retirement_age, whole_months
from congvu.rules.salary import monthly_income, round_vnd

RULE_SET_ID = "nd154_2025.v1"
EFFECTIVE_FROM = date(2025, 6, 16)  # Decree 154/2025 in force 16/06/2025 [C] S36c
REGIME_UNTIL = date(2030, 12, 31)  # its regimes apply until 31/12/2030 [C] S36c

DECREE = "Nghị định 154/2025/NĐ-CP"
ART_2_1 = f"{DECREE}, Điều 2 khoản 1"
ART_2_1_A = f"{ART_2_1} điểm a (dôi dư do sắp xếp tổ chức bộ máy) [C]"
ART_2_1_F = f"{ART_2_1} điểm f (trình độ đào tạo chưa đạt chuẩn vị trí việc làm) [C; chữ cái là suy luận I]"
ART_2_1_G = f"{ART_2_1} điểm g (năm trước liền kề hoặc năm xem xét xếp loại không hoàn thành nhiệm vụ) [C]"
ART_2_1_H = (f"{ART_2_1} điểm h (năm trước liền kề hoặc năm xem xét nghỉ ốm ≥ số ngày tối đa theo Điều 26 khoản 1 "
             "Luật Bảo hiểm xã hội 2024) [C; ngưỡng 30/40/60 ngày: R]")
ART_2_EXCLUDED = f"{DECREE}, Điều 2: các trường hợp chưa xem xét tinh giản biên chế [C]"
ART_EARLY = f"{DECREE}: nghỉ hưu trước tuổi (còn 2–5 năm đến tuổi nghỉ hưu, đủ 15 năm BHXH) [C]; số điều [U]"
ART_QUIT = f"{DECREE}: thôi việc ngay (3 tháng tìm việc + 1,5 tháng mỗi năm BHXH) [C]; số điều [U]"
ART_ROUNDING = f"{DECREE}: tháng lẻ 1–6 tính ½ năm, 7–11 tính 1 năm [I, diễn giải đã ghi trong tài liệu]"
ART_SALARY = ("Tiền lương hiện hưởng = (hệ số lương + phụ cấp chức vụ + thâm niên vượt khung) × lương cơ sở × "
              "(1 + phụ cấp theo %) [I]; Công văn 1814/BNV [C]; Nghị định 73/2024 (lương cơ sở) [C]")
ART_RETIREMENT_AGE = "Nghị định 135/2020/NĐ-CP, Điều 4, 5, Phụ lục I, II [R]"
ART_NO_PATH = f"{DECREE}: còn dưới 24 tháng đến tuổi nghỉ hưu thì giải quyết nghỉ hưu theo quy định chung [I]"
ART_BENEFIT = f"{DECREE}: trợ cấp = tiền lương hiện hưởng × số tháng trợ cấp, làm tròn đến đồng [I]"

ZERO = Decimal(0)
HALF = Decimal("0.5")
ONE = Decimal(1)


class _Labelled(StrEnum):
    """A code with its Vietnamese and English labels (``_LABELS``)."""

    @property
    def label_vi(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]


class Exclusion(_Labelled):
    """Reasons a person is not yet considered for streamlining (Art 2) [C] S35d, in the order of the law."""

    PREGNANT_OR_CHILD = "pregnant_or_child_under_36_months"
    DISCIPLINE_OR_INVESTIGATION = "under_discipline_or_investigation"


class Path(_Labelled):
    EARLY_RETIREMENT = "early_retirement"
    QUIT = "quit"


class PathReason(_Labelled):
    """Why a path was taken, or why there is none."""

    EARLY_24_TO_60_MONTHS = "24_to_60_months_insured_15_years"
    QUIT_INSURED_UNDER_15_YEARS = "insured_under_15_years"
    QUIT_OVER_60_MONTHS = "over_60_months_to_retirement"
    UNDER_24_MONTHS = "under_24_months_to_retirement"
    NO_CASE = "no_case"
    EXCLUDED = "excluded"


_LABELS: dict[StrEnum, tuple[str, str]] = {
    Exclusion.PREGNANT_OR_CHILD: (
        "Đang mang thai, nghỉ thai sản hoặc nuôi con dưới 36 tháng tuổi (không tự nguyện)",
        "Pregnant, on maternity leave or raising a child under 36 months (not volunteering)",
    ),
    Exclusion.DISCIPLINE_OR_INVESTIGATION: (
        "Đang bị xem xét kỷ luật, truy cứu trách nhiệm hình sự hoặc thanh tra, kiểm tra",
        "Under disciplinary review, criminal prosecution or inspection",
    ),
    Path.EARLY_RETIREMENT: ("Nghỉ hưu trước tuổi", "Early retirement"),
    Path.QUIT: ("Thôi việc ngay", "Quit"),
    PathReason.EARLY_24_TO_60_MONTHS: (
        "Còn từ 24 đến 60 tháng đến tuổi nghỉ hưu và có từ 15 năm đóng BHXH",
        "24 to 60 months to retirement and at least 15 insured years",
    ),
    PathReason.QUIT_INSURED_UNDER_15_YEARS: (
        "Còn từ 24 tháng đến tuổi nghỉ hưu nhưng chưa đủ 15 năm đóng BHXH để nghỉ hưu trước tuổi",
        "At least 24 months to retirement but under 15 insured years for early retirement",
    ),
    PathReason.QUIT_OVER_60_MONTHS: (
        "Còn trên 60 tháng đến tuổi nghỉ hưu", "More than 60 months to retirement",
    ),
    PathReason.UNDER_24_MONTHS: (
        "Còn dưới 24 tháng đến tuổi nghỉ hưu: giải quyết nghỉ hưu theo quy định chung",
        "Under 24 months to retirement: the normal retirement procedure applies",
    ),
    PathReason.NO_CASE: ("Không thuộc trường hợp tinh giản biên chế", "Not in a streamlining case"),
    PathReason.EXCLUDED: ("Chưa xem xét tinh giản biên chế", "Not yet considered for streamlining"),
}

# Case letter → (label vi, label en, article).
CASES: dict[str, tuple[str, str, str]] = {
    "a": ("Dôi dư do sắp xếp tổ chức bộ máy", "Redundant by organisational restructuring", ART_2_1_A),
    "f": ("Trình độ đào tạo chưa đạt chuẩn của vị trí việc làm", "Training below the job-position standard",
          ART_2_1_F),
    "g": ("Năm trước liền kề hoặc năm xem xét xếp loại không hoàn thành nhiệm vụ",
          "Rated 'not completed' in the previous or the current year", ART_2_1_G),
    "h": ("Năm trước liền kề hoặc năm xem xét nghỉ ốm từ số ngày tối đa hưởng BHXH trở lên",
          "Sick days in the previous or the current year at or over the Social Insurance maximum", ART_2_1_H),
}

RATINGS = frozenset(level.value for level in Level)
NOT_COMPLETED = Level.NOT_COMPLETED.value


@dataclass(frozen=True)
class Parameters:
    """Every number of the interpretation; sources and certainty in :data:`PARAMETER_NOTES`."""

    early_min_months: int = 24
    early_max_months: int = 60
    early_min_insured_years: Decimal = Decimal(15)
    months_per_year_early: Decimal = Decimal(5)
    insured_base_months: Decimal = Decimal(5)
    insured_base_years: Decimal = Decimal(20)
    months_per_insured_year_over_base: Decimal = Decimal("0.5")
    quit_min_months: int = 24
    quit_job_search_months: Decimal = Decimal(3)
    quit_months_per_insured_year: Decimal = Decimal("1.5")
    # (insured years from, maximum sick days), ascending
    sick_days_max: tuple[tuple[Decimal, int], ...] = field(
        default=((Decimal(0), 30), (Decimal(15), 40), (Decimal(30), 60)))
    odd_months_half_year_up_to: int = 6
    round_insured_years_for_conditions: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.early_min_months <= self.early_max_months:
            raise ValueError("0 <= early_min_months <= early_max_months is required")
        if not 0 <= self.odd_months_half_year_up_to <= 11:
            raise ValueError("odd_months_half_year_up_to must be between 0 and 11")
        if not self.sick_days_max or self.sick_days_max[0][0] != 0:
            raise ValueError("sick_days_max must start at 0 insured years")
        if list(self.sick_days_max) != sorted(self.sick_days_max):
            raise ValueError("sick_days_max must be in ascending order")


DEFAULT = Parameters()

# field → (meaning, source with certainty tag); docs/streamlining-calculator.md repeats this table.
PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "early_min_months": ("fewest months to retirement for early retirement (2 years)", "Decree 154/2025 [C] S36"),
    "early_max_months": ("most months to retirement for early retirement (5 years)", "Decree 154/2025 [C] S36"),
    "early_min_insured_years": ("insured years needed for early retirement (enough for a pension)",
                                "Decree 154/2025 [C] S36; Law on Social Insurance 2024 Art 64 [R]"),
    "months_per_year_early": ("benefit months per year retired early", "Decree 154/2025 [C] S36"),
    "insured_base_months": ("benefit months for 15 to 20 insured years, and for the first 20",
                            "Decree 154/2025 [C] S36"),
    "insured_base_years": ("insured years covered by insured_base_months", "Decree 154/2025 [C] S36"),
    "months_per_insured_year_over_base": ("benefit months per insured year over 20", "Decree 154/2025 [C] S36"),
    "quit_min_months": ("fewest months to retirement for the quit path; below it, no path",
                        "Decree 154/2025 [C] S36b (at least 2 years); below: normal retirement [I]"),
    "quit_job_search_months": ("benefit months to find a job when quitting", "Decree 154/2025 [C] S36b"),
    "quit_months_per_insured_year": ("benefit months per insured year when quitting", "Decree 154/2025 [C] S36b"),
    "sick_days_max": ("case h: maximum sick days per year by insured years (30 below 15, 40 from 15 to under 30, "
                      "60 from 30), normal working conditions",
                      "Law on Social Insurance 2024 Art 26(1)(a) [R]; heavy-work brackets (40/50/70) not applied [I]"),
    "odd_months_half_year_up_to": ("odd months up to this count as half a year; more, as a whole year",
                                   "documented interpretation [I] (Decree 178 wording [C] S37f)"),
    "round_insured_years_for_conditions": (
        "the early-retirement condition (≥ 15 insured years) and the case-h bracket use the rounded insured years",
        "documented interpretation, read literally [I]; the pension law counts actual months [R]: set False"),
}


@dataclass(frozen=True)
class StreamliningInput:
    """One person's facts for :func:`estimate`; ratings are :class:`~congvu.rules.nd335_2025.Level` values."""

    id: str
    birth_date: date
    sex: str
    salary_coefficient: Decimal
    position_allowance: Decimal
    seniority_pct: Decimal
    percent_allowances: Decimal
    insured_months: int
    reduced_retirement_age: bool
    rating_previous_year: str | None
    rating_current_year: str | None
    sick_days_previous_year: int
    sick_days_current_year: int
    redundant_by_restructuring: bool
    below_training_standard: bool
    pregnant_or_child_under_36_months: bool
    under_discipline_or_investigation: bool
    volunteer: bool


@dataclass(frozen=True)
class Estimate:
    """The result for one person; when not eligible, ``path`` is ``None`` (``path_reason`` says why) and the
    benefit is 0, but the retirement date, months and salary are still given."""

    id: str
    eligible: bool
    cases: tuple[str, ...]
    excluded: str | None
    retirement_date: date
    months_to_retirement: int
    path: str | None
    path_reason: str | None
    monthly_salary: Decimal
    benefit_months: Decimal
    benefit_vnd: Decimal
    breakdown: tuple[Step, ...]


# ---- the pieces ------------------------------------------------------------------------------------------------


def counted_years(months: int, params: Parameters = DEFAULT) -> Decimal:
    """Months as years with the odd months rounded: 1–6 → ½ year, 7–11 → 1 year (30 → 2.5, 31 → 3, 24 → 2)."""
    whole, odd = divmod(months, 12)
    if odd == 0:
        return Decimal(whole)
    if odd <= params.odd_months_half_year_up_to:
        return Decimal(whole) + HALF
    return Decimal(whole + 1)


def max_sick_days(insured_years: Decimal, params: Parameters = DEFAULT) -> int:
    """Case h's threshold: the Social Insurance maximum of sick days a year for ``insured_years``."""
    days = params.sick_days_max[0][1]
    for from_years, bracket_days in params.sick_days_max:
        if insured_years >= from_years:
            days = bracket_days
    return days


def insured_benefit_months(insured_years: Decimal, params: Parameters = DEFAULT) -> Decimal:
    """Early retirement's insured-years part: 5, plus 0.5 per year over 20 (from 20 years)."""
    over = insured_years - params.insured_base_years
    if over > 0:
        return params.insured_base_months + params.months_per_insured_year_over_base * over
    return params.insured_base_months


def _check(person: StreamliningInput) -> None:
    """ValueError ``"field: why"`` for facts the rules cannot use (the calculator checks them first)."""
    if person.sex not in SEXES:
        raise ValueError("sex: must be 'M' or 'F'")
    for name in ("salary_coefficient", "position_allowance", "seniority_pct", "percent_allowances"):
        value = getattr(person, name)
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise ValueError(f"{name}: must be a Decimal ≥ 0")
    for name in ("insured_months", "sick_days_previous_year", "sick_days_current_year"):
        value = getattr(person, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number ≥ 0")
    for name in ("rating_previous_year", "rating_current_year"):
        value = getattr(person, name)
        if value is not None and value not in RATINGS:
            raise ValueError(f"{name}: must be one of EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED or null")


def _exclusion(person: StreamliningInput) -> Exclusion | None:
    if person.pregnant_or_child_under_36_months and not person.volunteer:
        return Exclusion.PREGNANT_OR_CHILD
    if person.under_discipline_or_investigation:
        return Exclusion.DISCIPLINE_OR_INVESTIGATION
    return None


def _cases(person: StreamliningInput, sick_max: int) -> tuple[str, ...]:
    cases: list[str] = []
    if person.redundant_by_restructuring:
        cases.append("a")
    if person.below_training_standard:
        cases.append("f")
    if person.rating_previous_year == NOT_COMPLETED or person.rating_current_year == NOT_COMPLETED:
        cases.append("g")
    if person.sick_days_previous_year >= sick_max or person.sick_days_current_year >= sick_max:
        cases.append("h")
    return tuple(cases)


@lru_cache(maxsize=4096)
def _num(x: Decimal | int) -> str:
    """A number as written, without exponent or trailing zeros (2.50 → 2.5); cached, as the same few values
    (base salary, parameters, coefficients) recur in every explanation of a batch."""
    d = Decimal(x)
    return format(d.normalize(), "f") if d != 0 else "0"


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _ym(months: int) -> str:
    years, odd = divmod(months, 12)
    return f"{years}y{odd}m"


# ---- estimate --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    """The intermediate figures of one estimate, kept for the explanation."""

    salary: Decimal
    age: Age
    retires: date
    months_left: int
    insured_years: Decimal
    sick_max: int
    cases: tuple[str, ...]
    excluded: Exclusion | None
    path: Path | None
    reason: PathReason
    years_early: Decimal
    benefit_months: Decimal
    benefit: Decimal


def estimate(person: StreamliningInput, as_of: date, base_salary: int | Decimal,
             params: Parameters = DEFAULT, *, explain: bool = True) -> Estimate:
    """Cases, exclusion, path and benefit of one person on ``as_of`` (see the module docstring).

    ``explain=False`` leaves ``breakdown`` empty (a batch that stores only the figures runs ~5× faster).
    Official Letter 1814/BNV recomputed: coefficient 4.65, position 0.6, 25 % at 2,340,000 → 15,356,250 a
    month; 30 months early (2.5 years), 22 insured years → 5 × 2.5 + 5 + 0.5 × 2 = 18.5 months →
    284,090,625 VND.
    """
    _check(person)
    salary = monthly_income(person.salary_coefficient, base_salary, position_allowance=person.position_allowance,
                            seniority_pct=person.seniority_pct, percent_allowances=person.percent_allowances)
    age = retirement_age(person.sex, person.birth_date, reduced=person.reduced_retirement_age)
    retires = first_day_after(person.birth_date, age)
    months_left = whole_months(as_of, retires)
    insured_years = counted_years(person.insured_months, params)
    condition_years = (insured_years if params.round_insured_years_for_conditions
                       else Decimal(person.insured_months // 12))
    sick_max = max_sick_days(condition_years, params)
    cases = _cases(person, sick_max)
    excluded = _exclusion(person)
    eligible = bool(cases) and excluded is None
    path, reason = _path(eligible, excluded, months_left, condition_years, params)
    years_early = counted_years(months_left, params) if path is Path.EARLY_RETIREMENT else ZERO
    if path is Path.EARLY_RETIREMENT:
        benefit_months = params.months_per_year_early * years_early + insured_benefit_months(insured_years, params)
    elif path is Path.QUIT:
        benefit_months = params.quit_job_search_months + params.quit_months_per_insured_year * insured_years
    else:
        benefit_months = ZERO
    benefit = round_vnd(salary * benefit_months) if path is not None else ZERO
    facts = _Facts(salary, age, retires, months_left, insured_years, sick_max, cases, excluded, path, reason,
                   years_early, benefit_months, benefit)
    return Estimate(
        id=person.id, eligible=eligible, cases=cases, excluded=None if excluded is None else excluded.value,
        retirement_date=retires, months_to_retirement=months_left,
        path=None if path is None else path.value, path_reason=reason.value, monthly_salary=salary,
        benefit_months=benefit_months, benefit_vnd=benefit,
        breakdown=_breakdown(person, as_of, base_salary, params, facts) if explain else (),
    )


def _path(eligible: bool, excluded: Exclusion | None, months_left: int, condition_years: Decimal,
          params: Parameters) -> tuple[Path | None, PathReason]:
    """The benefit path and why (or why none)."""
    if not eligible:
        return None, PathReason.EXCLUDED if excluded is not None else PathReason.NO_CASE
    if (params.early_min_months <= months_left <= params.early_max_months
            and condition_years >= params.early_min_insured_years):
        return Path.EARLY_RETIREMENT, PathReason.EARLY_24_TO_60_MONTHS
    if months_left >= params.quit_min_months:
        if months_left > params.early_max_months:
            return Path.QUIT, PathReason.QUIT_OVER_60_MONTHS
        return Path.QUIT, PathReason.QUIT_INSURED_UNDER_15_YEARS
    return None, PathReason.UNDER_24_MONTHS


# ---- the explanation -------------------------------------------------------------------------------------------


def _breakdown(person: StreamliningInput, as_of: date, base_salary: int | Decimal, params: Parameters,
               f: _Facts) -> tuple[Step, ...]:
    coefficient = _num(person.salary_coefficient)
    age_text = f"{f.age.years} tuổi {f.age.months} tháng"
    steps = [
        Step("monthly_salary", "Tiền lương hiện hưởng", "Current monthly salary",
             f"({coefficient} + {_num(person.position_allowance)} + {coefficient} × {_num(person.seniority_pct)}"
             f" / 100) × {_num(base_salary)} × (1 + {_num(person.percent_allowances)} / 100) = {f.salary}",
             str(f.salary), ART_SALARY),
        Step("retirement_age", "Tuổi nghỉ hưu", "Retirement age", age_text, f"{f.age.years}y{f.age.months}m",
             f.age.citation),
        Step("retirement_date", "Ngày nghỉ hưu", "Retirement date",
             f"sinh {_dmy(person.birth_date)} + {age_text} → ngày 01 của tháng sau = {_dmy(f.retires)}",
             f.retires.isoformat(), ART_6),
        Step("months_to_retirement", "Số tháng đến tuổi nghỉ hưu", "Months to retirement",
             f"{_dmy(as_of)} → {_dmy(f.retires)} = {f.months_left} tháng", str(f.months_left), ART_RETIREMENT_AGE),
        Step("insured_years", "Số năm đóng BHXH (làm tròn tháng lẻ)", "Insured years (odd months rounded)",
             f"{person.insured_months} tháng = {_ym(person.insured_months)} → {_num(f.insured_years)} năm",
             _num(f.insured_years), ART_ROUNDING),
    ]
    steps.extend(_case_steps(person, f))
    steps.extend(_path_steps(params, f))
    return tuple(steps)


def _case_steps(person: StreamliningInput, f: _Facts) -> list[Step]:
    steps = [Step(f"case_{letter}", CASES[letter][0], CASES[letter][1], _case_formula(letter, person, f), letter,
                  CASES[letter][2]) for letter in f.cases]
    if f.excluded is not None:
        steps.append(Step("excluded", f.excluded.label_vi, f.excluded.label_en, f.excluded.value, f.excluded.value,
                          ART_2_EXCLUDED))
    return steps


def _case_formula(letter: str, person: StreamliningInput, f: _Facts) -> str:
    if letter == "g":
        return (f"năm trước: {person.rating_previous_year or '-'}; năm xem xét: "
                f"{person.rating_current_year or '-'}")
    if letter == "h":
        return (f"max({person.sick_days_previous_year}, {person.sick_days_current_year}) ≥ {f.sick_max} ngày "
                f"({_num(f.insured_years)} năm BHXH)")
    return "true"


def _path_steps(params: Parameters, f: _Facts) -> list[Step]:
    if f.path is None:
        article = {PathReason.EXCLUDED: ART_2_EXCLUDED, PathReason.NO_CASE: ART_2_1}.get(f.reason, ART_NO_PATH)
        formula = (f"{f.months_left} < {params.quit_min_months} tháng" if f.reason is PathReason.UNDER_24_MONTHS
                   else f.reason.label_vi)
        return [Step("path", "Chế độ", "Path", formula, f.reason.value, article)]
    if f.path is Path.EARLY_RETIREMENT:
        over = f.insured_years > params.insured_base_years
        insured = (f"{_num(params.insured_base_months)} + {_num(params.months_per_insured_year_over_base)} × "
                   f"({_num(f.insured_years)} − {_num(params.insured_base_years)})" if over
                   else _num(params.insured_base_months))
        steps = [
            Step("path", Path.EARLY_RETIREMENT.label_vi, Path.EARLY_RETIREMENT.label_en,
                 f"{params.early_min_months} ≤ {f.months_left} ≤ {params.early_max_months} tháng; "
                 f"{_num(f.insured_years)} ≥ {_num(params.early_min_insured_years)} năm BHXH",
                 Path.EARLY_RETIREMENT.value, ART_EARLY),
            Step("years_early", "Số năm nghỉ hưu trước tuổi", "Years retired early",
                 f"{f.months_left} tháng = {_ym(f.months_left)} → {_num(f.years_early)} năm", _num(f.years_early),
                 ART_ROUNDING),
            Step("benefit_months", "Số tháng trợ cấp", "Benefit months",
                 f"{_num(params.months_per_year_early)} × {_num(f.years_early)} + {insured} = "
                 f"{_num(f.benefit_months)}", _num(f.benefit_months), ART_EARLY),
        ]
    else:
        steps = [
            Step("path", Path.QUIT.label_vi, Path.QUIT.label_en,
                 f"{f.months_left} ≥ {params.quit_min_months} tháng; {f.reason.label_vi}", Path.QUIT.value, ART_QUIT),
            Step("benefit_months", "Số tháng trợ cấp", "Benefit months",
                 f"{_num(params.quit_job_search_months)} + {_num(params.quit_months_per_insured_year)} × "
                 f"{_num(f.insured_years)} = {_num(f.benefit_months)}", _num(f.benefit_months), ART_QUIT),
        ]
    steps.append(Step("benefit_vnd", "Tiền trợ cấp", "Benefit (VND)",
                      f"{f.salary} × {_num(f.benefit_months)} = {f.benefit}", str(f.benefit), ART_BENEFIT))
    return steps


def parameter_rows(params: Parameters = DEFAULT) -> list[tuple[str, str, str, str]]:
    """(field, value, meaning, source) for the documentation."""
    return [(f.name, str(getattr(params, f.name)), *PARAMETER_NOTES[f.name]) for f in fields(params)]
