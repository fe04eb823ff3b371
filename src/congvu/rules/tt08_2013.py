"""Circular 08/2013/TT-BNV (amended by Circular 03/2021/TT-BNV): regular and early salary-step raises.

Pure: stdlib and ``congvu.rules`` only, no Django, no I/O, no clock. Built to be called once per person in a
batch of millions: every table is built at import time, a call only reads the facts it is given.

Certainty tags are those of ``domain/regulations.md``: [C] confirmed, [C-press] confirmed by a press
paraphrase of the article (not the gazette text), [I] our inference, [R] recalled, [U] unverified. Every
number the sources leave open is a field of :class:`Parameters`, explained in :data:`PARAMETER_NOTES`.

Interpretation (documented choices, tested in ``tests/unit/test_tt08_2013.py``):

- **Holding period.** ``[step_since, due_date)`` where ``due_date = step_since + interval + extensions``
  months (a day missing in the target month falls back to its last day: 31/01 + 1 month = 28/02 or 29/02).
  Times that do not count (unpaid leave, suspension, sick leave beyond 6 months: Art 2(1)(c)) are the
  caller's: it moves ``step_since`` later by them.
- **Extensions, not bars** (Art 2(3) [C-press]): each year of the holding period rated "not completed"
  adds 6 months; a discipline *decided* inside the holding period adds 6 months (reprimand, warning) or
  12 months (demotion, removal from office); they add up. The window grows with every extension and is
  re-read until nothing new falls inside. A discipline decided before ``step_since`` belongs to the
  previous step and is not counted again [I]. Dismissal ends the service: it blocks.
- **Ratings.** Every calendar year overlapping the holding period, up to the review year, must have a
  rating; a missing one blocks with ``rating_unknown:<year>`` (we cannot tell whether it extends). The
  review runs after the year's classification is published, so the review year itself counts when the
  period reaches into it [I].
- **Due** in ``year`` when ``due_date ≤ 31/12/year``; a raise that fell due in an earlier year and was
  never given is also due (``overdue``), with its cost counted from 01/01 of ``year`` only.
- **Cost in year** = monthly increase × months from the month of the due date to December, the month of
  the due date counted whole (the raise is paid from the start of that month in practice) [I].
- **Early raise** (Art 3 [C]): standards of Art 2(2) for the holding period so far (every year rated
  "completed" or better, no discipline decided or in force in it), a written recognition in the review
  year, not at the last step, and 1–12 months short of the regular due date at the end of 31/12 of the
  review year (whole months, a part month counted whole). The raise is brought forward by
  ``months_earlier`` (12 by default, the most the Circular allows; an agency's regulation may give fewer
  by recognition level) from the regular due date, so the new date may lie in the review year or
  before it [I]. Not twice in a row (Circular 03/2021 [R]).
- **Quota** (Decree 17/2013 via Art 3 [C]): at most 10 % of the payroll headcount, rounded down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from congvu.rules.nd335_2025 import Level, Step
from congvu.rules.salary import monthly_income

RULE_SET_ID = "tt08_2013.v1"

CIRCULAR = "Thông tư 08/2013/TT-BNV (sửa đổi bởi Thông tư 03/2021/TT-BNV)"
ART_2_1 = f"{CIRCULAR}, Điều 2 khoản 1: giữ bậc 60/36/24 tháng [C]"
ART_2_2 = f"{CIRCULAR}, Điều 2 khoản 2: hoàn thành nhiệm vụ trở lên, không bị kỷ luật [C]"
ART_2_3 = f"{CIRCULAR}, Điều 2 khoản 3: kéo dài 06/12 tháng [C-press]"
ART_3 = f"{CIRCULAR}, Điều 3: nâng bậc lương trước thời hạn tối đa 12 tháng [C]"
ART_3_QUOTA = f"{CIRCULAR}, Điều 3; Nghị định 17/2013/NĐ-CP: không quá 10 % biên chế [C], làm tròn xuống [I]"
SALARY = "Nghị định 204/2004/NĐ-CP; Nghị định 73/2024/NĐ-CP; Nghị định 34/2012/NĐ-CP (công vụ)"
OUR_CHOICE = "Cách tính của hệ thống [I]"

COMPLETED_OR_BETTER = frozenset({Level.EXCELLENT.value, Level.GOOD.value, Level.COMPLETED.value})
KNOWN_LEVELS = COMPLETED_OR_BETTER | {Level.NOT_COMPLETED.value}
LEVEL_VI = {level.value: level.label_vi for level in Level}

DISCIPLINE_FORMS = ("reprimand", "warning", "demotion", "removal", "dismissal")
DISCIPLINE_VI = {
    "reprimand": "khiển trách",
    "warning": "cảnh cáo",
    "demotion": "giáng chức",
    "removal": "cách chức",
    "dismissal": "buộc thôi việc",
}


@dataclass(frozen=True)
class Parameters:
    """Every number of the rule set; sources and certainty in :data:`PARAMETER_NOTES`."""

    senior_expert_months: int = 60
    college_months: int = 36
    intermediate_months: int = 24
    college_groups: frozenset[str] = frozenset({"A0", "A1", "A2.1", "A2.2", "A3.1", "A3.2"})
    intermediate_groups: frozenset[str] = frozenset({"B", "C1", "C2", "C3", "DRIVER"})
    not_completed_extension_months: int = 6
    reprimand_extension_months: int = 6
    warning_extension_months: int = 6
    demotion_extension_months: int = 12
    removal_extension_months: int = 12
    early_max_months: int = 12
    early_quota_pct: int = 10

    def __post_init__(self) -> None:
        if self.college_groups & self.intermediate_groups:
            raise ValueError("college_groups and intermediate_groups must not overlap")
        if not 0 < self.early_max_months <= 12:
            raise ValueError("early_max_months: must be between 1 and 12 (Art 3)")
        if not 0 <= self.early_quota_pct <= 100:
            raise ValueError("early_quota_pct: must be between 0 and 100")

    def extension_months(self, form: str) -> int:
        """Months a discipline of ``form`` adds to the holding period (dismissal ends service: 0, it blocks)."""
        return {
            "reprimand": self.reprimand_extension_months,
            "warning": self.warning_extension_months,
            "demotion": self.demotion_extension_months,
            "removal": self.removal_extension_months,
        }.get(form, 0)


DEFAULT = Parameters()
DEFAULT_PARAMETERS = DEFAULT

PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "senior_expert_months": ("holding period of a senior expert (chuyên gia cao cấp)", "Art 2(1)(a) [C] S40"),
    "college_months": ("holding period of ranks requiring college level or higher (A0–A3)", "Art 2(1)(a) [C] S40"),
    "intermediate_months": (
        "holding period of ranks requiring intermediate level or lower, support staff and drivers (B, C)",
        "Art 2(1)(a) [C] S40",
    ),
    "college_groups": ("salary groups of Decree 204/2004 read as 'college or higher'", "Circular 2/2021 Art 14 [C]; "
                       "the group → level reading [I]"),
    "intermediate_groups": ("salary groups read as 'intermediate or lower' (DRIVER = the driver table)",
                            "Circular 2/2021 Art 14 [C]; reading [I]"),
    "not_completed_extension_months": ("months added per year of the holding period rated 'not completed'",
                                       "Art 2(3)(a) [C-press: nld.com.vn 08/11/2017]"),
    "reprimand_extension_months": ("months added by a reprimand (công chức)", "Art 2(3)(a) [C-press]"),
    "warning_extension_months": ("months added by a warning", "Art 2(3)(a) [C-press]"),
    "demotion_extension_months": ("months added by a demotion (giáng chức)", "Art 2(3)(b) [C-press]"),
    "removal_extension_months": ("months added by removal from office (cách chức)", "Art 2(3)(b) [C-press]"),
    "early_max_months": ("most months an early raise is brought forward, and most months short to qualify",
                         "Art 3 [C] S40b"),
    "early_quota_pct": ("early raises per year, percent of the payroll headcount (rounded down [I])",
                        "Decree 17/2013; Art 3 [C] S40c"),
}


def parameter_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Parameters))


# ---- facts and results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """One year's published level: a :class:`~congvu.rules.nd335_2025.Level` value, None when unknown."""

    year: int
    level: str | None


@dataclass(frozen=True)
class DisciplineFact:
    form: str  # one of DISCIPLINE_FORMS
    decided_on: date
    effective_from: date
    effective_to: date | None


@dataclass(frozen=True)
class StepFacts:
    person_id: int | str
    salary_group: str
    step: int
    last_step: int
    step_since: date
    interval_months: int
    ratings: Mapping[int, str | None]
    disciplines: tuple[DisciplineFact, ...]
    coefficient_now: Decimal
    coefficient_next: Decimal | None
    position_allowance: Decimal = Decimal(0)
    seniority_pct: Decimal = Decimal(0)
    percent_allowances: Decimal = Decimal(0)


@dataclass(frozen=True)
class RegularRaise:
    due: bool
    due_date: date | None
    new_step: int | None
    new_coefficient: Decimal | None
    blocked: tuple[str, ...]
    monthly_salary_now: Decimal
    monthly_salary_new: Decimal | None
    monthly_increase: Decimal
    cost_in_year: Decimal
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class EarlyFacts:
    step: StepFacts
    achievement: str | None  # the written recognition of the review year, e.g. "Bằng khen UBND tỉnh, QĐ 123/…"
    annual_score: Decimal | None
    months_earlier: int | None = None  # the agency's months for this recognition; None → early_max_months
    last_raise_early: bool = False  # the current step was itself an early raise


@dataclass(frozen=True)
class EarlyCandidate:
    person_id: int | str
    eligible: bool
    blocked: tuple[str, ...]
    months_short: int
    months_earlier: int
    new_due_date: date | None
    steps: tuple[Step, ...]
    annual_score: Decimal | None = None


# ---- dates -----------------------------------------------------------------------------------------------

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; a day the target month lacks becomes its last day (31/01 + 1 = 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(day.day, _last_day(year, month0 + 1)))


def months_short(due: date, reference: date) -> int:
    """Whole months from ``reference`` to ``due``, a part month counted whole; 0 when ``due ≤ reference``."""
    if due <= reference:
        return 0
    n = (due.year - reference.year) * 12 + due.month - reference.month
    return n + 1 if add_months(reference, n) < due else n


def _d(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# ---- the interval ----------------------------------------------------------------------------------------


def regular_interval_months(
    salary_group: str,
    *,
    senior_expert: bool = False,
    months_per_step: int | None = None,
    params: Parameters = DEFAULT,
) -> int:
    """Months between regular step raises (Art 2(1)(a) [C]).

    ``months_per_step`` (the register's ``Rank.months_per_step``) wins when given; then 60 for a senior
    expert; 36 for groups needing college or higher (A0, A1, A2.x, A3.x); 24 for B, C1–C3 and drivers.
    ValueError naming the group when it is none of these.
    """
    if months_per_step is not None:
        if isinstance(months_per_step, bool) or not isinstance(months_per_step, int) or months_per_step <= 0:
            raise ValueError("months_per_step: must be a whole number > 0")
        return months_per_step
    if senior_expert:
        return params.senior_expert_months
    code = salary_group.strip().upper()
    if code in params.college_groups:
        return params.college_months
    if code in params.intermediate_groups:
        return params.intermediate_months
    raise ValueError(f"salary_group: unknown salary group {salary_group!r}")


# ---- the holding period ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Extension:
    code: str
    months: int
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class _Holding:
    base_due: date
    due: date
    extensions: tuple[_Extension, ...]
    unknown_years: tuple[int, ...]
    dismissed_years: tuple[int, ...]
    years: tuple[int, ...]  # calendar years of the period that were read (≤ the review year)


def _check(f: StepFacts) -> None:
    if f.step < 1 or f.last_step < f.step:
        raise ValueError(f"{f.person_id}: step: must be between 1 and last_step ({f.last_step})")
    if f.interval_months <= 0:
        raise ValueError(f"{f.person_id}: interval_months: must be > 0")
    if f.coefficient_now <= 0:
        raise ValueError(f"{f.person_id}: coefficient_now: must be > 0")
    if f.step < f.last_step:
        if f.coefficient_next is None:
            raise ValueError(f"{f.person_id}: coefficient_next: required below the last step")
        if f.coefficient_next <= f.coefficient_now:
            raise ValueError(f"{f.person_id}: coefficient_next: must be greater than coefficient_now")
    for d in f.disciplines:
        if d.form not in DISCIPLINE_VI:
            raise ValueError(f"{f.person_id}: disciplines.form: unknown form {d.form!r}")
    for y, level in f.ratings.items():
        if level is not None and level not in KNOWN_LEVELS:
            raise ValueError(f"{f.person_id}: ratings[{y}]: unknown level {level!r}")


def _holding(f: StepFacts, year: int, params: Parameters) -> _Holding:
    """The due date with every extension whose cause falls inside the (growing) holding period."""
    base_due = add_months(f.step_since, f.interval_months)
    extra = 0
    while True:
        due = add_months(f.step_since, f.interval_months + extra) if extra else base_due
        last_year = min((due - timedelta(days=1)).year, year)
        years = tuple(range(f.step_since.year, last_year + 1))
        found: list[_Extension] = []
        unknown: list[int] = []
        for y in years:
            level = f.ratings.get(y)
            if level is None:
                unknown.append(y)
            elif level not in COMPLETED_OR_BETTER:
                months = params.not_completed_extension_months
                found.append(_Extension(f"rating_below_completed:{y}", months,
                                        f"Năm {y} không hoàn thành nhiệm vụ: kéo dài {months} tháng",
                                        f"{y} rated not completed: +{months} months"))
        dismissed: list[int] = []
        for d in f.disciplines:
            if f.step_since <= d.decided_on < due:
                if d.form == "dismissal":
                    dismissed.append(d.decided_on.year)
                    continue
                months = params.extension_months(d.form)
                found.append(_Extension(f"disciplined:{d.decided_on.year}", months,
                                        f"Kỷ luật {DISCIPLINE_VI[d.form]} ngày {_d(d.decided_on)}: kéo dài {months} tháng",
                                        f"{d.form} decided {d.decided_on.isoformat()}: +{months} months"))
        total = sum(e.months for e in found)
        if total == extra:
            return _Holding(base_due, due, tuple(found), tuple(unknown), tuple(dismissed), years)
        extra = total


# ---- the regular raise -----------------------------------------------------------------------------------


def regular_raise(f: StepFacts, year: int, base_salary: int | Decimal, params: Parameters = DEFAULT) -> RegularRaise:
    """Whether the next step falls due in ``year`` (Art 2 [C]), when, to what, and what it costs in ``year``.

    Blocked reason codes: ``at_last_step``; ``rating_unknown:<year>``; ``disciplined:<year>`` (dismissal,
    or an extension that pushed the date out of ``year``); ``rating_below_completed:<year>`` (an extension
    that pushed it out); ``not_due_in_year``. See the module docstring for every choice.
    """
    _check(f)
    now = monthly_income(f.coefficient_now, base_salary, position_allowance=f.position_allowance,
                         seniority_pct=f.seniority_pct, percent_allowances=f.percent_allowances)
    now_step = _salary_step("monthly_salary_now", "Thu nhập tháng hiện hưởng", "Current monthly pay",
                            f.coefficient_now, base_salary, f, now)
    if f.step >= f.last_step:
        last = Step("at_last_step", "Đã ở bậc cuối của ngạch", "Already at the last step",
                    f"bậc {f.step}/{f.last_step}", "at_last_step", ART_2_1)
        return _not_due(("at_last_step",), now, [last, now_step])
    h = _holding(f, year, params)
    steps = _holding_steps(f, h)
    end = date(year, 12, 31)
    blocked: list[str] = []
    if h.due > end:
        if h.base_due <= end:
            blocked.extend(e.code for e in h.extensions)
        blocked.append("not_due_in_year")
        steps.append(Step("not_due", f"Chưa đến hạn trong năm {year}", f"Not due in {year}",
                          f"{_d(h.due)} > {_d(end)}", "not_due_in_year", ART_2_1))
        steps.append(now_step)
        return _not_due(tuple(blocked), now, steps, h.due)
    blocked.extend(f"rating_unknown:{y}" for y in h.unknown_years)
    blocked.extend(f"disciplined:{y}" for y in h.dismissed_years)
    steps.append(_ratings_step(f, h))
    if blocked:
        steps.append(now_step)
        return _not_due(tuple(blocked), now, steps, h.due)
    return _due(f, year, base_salary, h, now, steps, now_step)


def _not_due(blocked: tuple[str, ...], now: Decimal, steps: list[Step], due_date: date | None = None) -> RegularRaise:
    return RegularRaise(False, due_date, None, None, blocked, now, None, Decimal(0), Decimal(0), tuple(steps))


def _due(f: StepFacts, year: int, base_salary: int | Decimal, h: _Holding, now: Decimal,
         steps: list[Step], now_step: Step) -> RegularRaise:
    assert f.coefficient_next is not None  # checked by _check below the last step
    start = date(year, 1, 1)
    if h.due < start:
        steps.append(Step("overdue", "Quá hạn: đến hạn từ năm trước, chưa được nâng",
                          "Overdue: fell due in an earlier year and was not given",
                          f"{_d(h.due)} < {_d(start)}", "overdue", ART_2_1))
    else:
        steps.append(Step("due", f"Đến hạn nâng bậc trong năm {year}", f"Due in {year}",
                          f"{_d(h.due)} ≤ 31/12/{year}", "due", ART_2_1))
    steps.append(now_step)
    new, increase, months, cost = raise_cost(f, h.due, year, base_salary, now)
    first = max(h.due, start)
    steps.append(Step("new_step", "Bậc và hệ số mới", "New step and coefficient",
                      f"bậc {f.step} → {f.step + 1}; hệ số {f.coefficient_now} → {f.coefficient_next}",
                      str(f.coefficient_next), ART_2_1))
    steps.append(_salary_step("monthly_salary_new", "Thu nhập tháng sau khi nâng bậc", "Monthly pay after the raise",
                              f.coefficient_next, base_salary, f, new))
    steps.append(Step("monthly_increase", "Mức tăng mỗi tháng", "Monthly increase", f"{new} − {now}",
                      str(increase), SALARY))
    steps.append(Step("cost_in_year", f"Chi phí tăng thêm trong năm {year}", f"Extra cost in {year}",
                      f"{increase} × {months} tháng (tháng {first.month:02d}/{year} đến 12/{year})",
                      str(cost), OUR_CHOICE))
    return RegularRaise(True, h.due, f.step + 1, f.coefficient_next, (), now, new, increase, cost, tuple(steps))


def raise_cost(f: StepFacts, effective: date, year: int, base_salary: int | Decimal,
               now: Decimal | None = None) -> tuple[Decimal, Decimal, int, Decimal]:
    """(new monthly pay, monthly increase, months paid in ``year``, cost in ``year``) of raising ``f`` to the
    next step from ``effective``: the month of the effective date counts; a date before the year counts from
    January, one after it costs nothing this year [our choice, for the budget estimate]."""
    assert f.coefficient_next is not None
    if now is None:
        now = monthly_income(f.coefficient_now, base_salary, position_allowance=f.position_allowance,
                             seniority_pct=f.seniority_pct, percent_allowances=f.percent_allowances)
    new = monthly_income(f.coefficient_next, base_salary, position_allowance=f.position_allowance,
                         seniority_pct=f.seniority_pct, percent_allowances=f.percent_allowances)
    increase = new - now
    first = max(effective, date(year, 1, 1))
    months = 13 - first.month if first.year == year else 0
    return new, increase, months, increase * months


def _salary_step(key: str, vi: str, en: str, coefficient: Decimal, base: int | Decimal, f: StepFacts,
                 value: Decimal) -> Step:
    # terms that are zero are left out of the formula (most people: coefficient × base × 1.25)
    formula = str(coefficient)
    if f.position_allowance or f.seniority_pct:
        formula = f"({coefficient} + {f.position_allowance} + {coefficient} × {f.seniority_pct}/100)"
    formula += f" × {base}"
    if f.percent_allowances:
        formula += f" × (1 + {f.percent_allowances}/100)"
    return Step(key, vi, en, formula, str(value), SALARY)


def _holding_steps(f: StepFacts, h: _Holding) -> list[Step]:
    steps = [Step("base_due", "Hạn nâng bậc theo thời gian giữ bậc", "Due date by the holding period",
                  f"{_d(f.step_since)} + {f.interval_months} tháng (nhóm {f.salary_group}) = {_d(h.base_due)}",
                  h.base_due.isoformat(), ART_2_1)]
    if h.extensions:
        extra = 0
        for e in h.extensions:
            extra += e.months
            steps.append(Step("extension", e.label_vi, e.label_en, f"+{e.months} tháng", e.code, ART_2_3))
        steps.append(Step("due_date", "Hạn nâng bậc sau khi kéo dài", "Due date after the extensions",
                          f"{_d(f.step_since)} + {f.interval_months} + {extra} tháng = {_d(h.due)}",
                          h.due.isoformat(), ART_2_3))
    return steps


def _ratings_step(f: StepFacts, h: _Holding) -> Step:
    parts = [f"{y}: {LEVEL_VI.get(f.ratings.get(y) or '', 'chưa có kết quả')}" for y in h.years]
    problems = [f"rating_unknown:{y}" for y in h.unknown_years] + [f"disciplined:{y}" for y in h.dismissed_years]
    return Step("ratings", "Xếp loại các năm trong thời gian giữ bậc", "Ratings of the years of the holding period",
                "; ".join(parts) or "không có năm nào", ",".join(problems) or "ok", ART_2_2)


# ---- the early raise -------------------------------------------------------------------------------------


def early_raise(f: EarlyFacts, year: int, params: Parameters = DEFAULT) -> EarlyCandidate:
    """Whether the person may be proposed for an early raise in ``year`` (Art 3 [C]); quota left to the caller.

    Blocked reason codes: ``at_last_step``, ``no_achievement``, ``rating_below_completed:<year>``,
    ``rating_unknown:<year>``, ``disciplined:<year>``, ``due_regularly`` (0 months short: the regular raise
    applies), ``more_than_12_months_short`` (the limit is ``early_max_months``), ``consecutive_early``.
    """
    s = f.step
    _check(s)
    earlier = params.early_max_months if f.months_earlier is None else f.months_earlier
    if not 0 < earlier <= params.early_max_months:
        raise ValueError(f"{s.person_id}: months_earlier: must be between 1 and {params.early_max_months}")
    if s.step >= s.last_step:
        last = Step("at_last_step", "Đã ở bậc cuối của ngạch", "Already at the last step",
                    f"bậc {s.step}/{s.last_step}", "at_last_step", ART_3)
        return EarlyCandidate(s.person_id, False, ("at_last_step",), 0, 0, None, (last,), f.annual_score)
    h = _holding(s, year, params)
    reference = date(year + 1, 1, 1)  # the end of 31/12 of the review year
    short = months_short(h.due, reference)
    blocked = _early_blocks(f, year, short, params)
    steps = _holding_steps(s, h)
    steps.append(Step("months_short", f"Số tháng còn thiếu tại 31/12/{year}", f"Months short at 31/12/{year}",
                      f"từ hết ngày 31/12/{year} đến {_d(h.due)}", str(short), ART_3))
    steps.append(Step("achievement", "Thành tích được công nhận bằng văn bản", "Written recognition",
                      f.achievement or "không có", "ok" if f.achievement and f.achievement.strip() else "none",
                      ART_3))
    steps.append(Step("standards", "Tiêu chuẩn trong thời gian giữ bậc", "Standards of the holding period",
                      _standards_text(s, year), ",".join(c for c in blocked if ":" in c) or "ok", ART_2_2))
    if blocked:
        return EarlyCandidate(s.person_id, False, tuple(blocked), short, 0, None, tuple(steps), f.annual_score)
    new_due = add_months(h.due, -earlier)
    steps.append(Step("new_due_date", "Thời điểm hưởng bậc mới khi nâng trước thời hạn", "New date of the step",
                      f"{_d(h.due)} − {earlier} tháng = {_d(new_due)}", new_due.isoformat(), ART_3))
    return EarlyCandidate(s.person_id, True, (), short, earlier, new_due, tuple(steps), f.annual_score)


def _early_blocks(f: EarlyFacts, year: int, short: int, params: Parameters) -> list[str]:
    s = f.step
    blocked: list[str] = []
    if not (f.achievement and f.achievement.strip()):
        blocked.append("no_achievement")
    for y in range(s.step_since.year, year + 1):
        level = s.ratings.get(y)
        if level is None:
            blocked.append(f"rating_unknown:{y}")
        elif level not in COMPLETED_OR_BETTER:
            blocked.append(f"rating_below_completed:{y}")
    end = date(year, 12, 31)
    for d in s.disciplines:
        decided_inside = s.step_since <= d.decided_on <= end
        in_force_inside = d.effective_from <= end and (d.effective_to is None or d.effective_to >= s.step_since)
        if decided_inside or in_force_inside:
            code = f"disciplined:{d.decided_on.year}"
            if code not in blocked:
                blocked.append(code)
    if short == 0:
        blocked.append("due_regularly")
    elif short > params.early_max_months:
        blocked.append("more_than_12_months_short")
    if f.last_raise_early:
        blocked.append("consecutive_early")
    return blocked


def _standards_text(s: StepFacts, year: int) -> str:
    parts = [f"{y}: {LEVEL_VI.get(s.ratings.get(y) or '', 'chưa có kết quả')}" for y in range(s.step_since.year, year + 1)]
    count = len(s.disciplines)
    return "; ".join(parts) + (f"; {count} quyết định kỷ luật trong hồ sơ" if count else "; không bị kỷ luật")


def early_raise_quota(payroll_headcount: int, params: Parameters = DEFAULT) -> int:
    """Most early raises of a unit in a year: ⌊headcount × 10 / 100⌋ (Decree 17/2013 [C]; rounding down [I]:
    "1 person per 10 on the payroll", so 9 → 0, 10 → 1, 19 → 1, 20 → 2, 95 → 9)."""
    if isinstance(payroll_headcount, bool) or not isinstance(payroll_headcount, int) or payroll_headcount < 0:
        raise ValueError("payroll_headcount: must be a whole number ≥ 0")
    return payroll_headcount * params.early_quota_pct // 100


def default_priority(c: EarlyCandidate) -> tuple[int, Decimal, int, str]:
    """Higher annual score first (unknown last); then fewer months short (longer held in the step); then id.

    Our choice [I]: the Circular sets no order; agencies' regulations usually put the stronger result first
    and the longer-serving in the step next. The id only makes the order repeatable.
    """
    score = c.annual_score
    return (0 if score is not None else 1, -(score or Decimal(0)), c.months_short, str(c.person_id))


def select_within_quota(
    cands: Sequence[EarlyCandidate],
    quota: int,
    *,
    rank_key: Callable[[EarlyCandidate], Any] = default_priority,
) -> tuple[list[EarlyCandidate], list[EarlyCandidate]]:
    """``(within, outside)``: the eligible candidates in ``rank_key`` order, the first ``quota`` within.

    Ineligible candidates are in neither list.
    """
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
        raise ValueError("quota: must be a whole number ≥ 0")
    ordered = sorted((c for c in cands if c.eligible), key=rank_key)
    return ordered[:quota], ordered[quota:]
