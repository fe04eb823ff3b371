"""Decree 335/2025/NĐ-CP: scoring civil servants per period and classifying them per year (rule set v1).

Pure: stdlib only, no Django, no I/O, no clock. Implements exactly the interpretation of DESIGN.md §3.3;
every point the published sources leave open is a named field of :class:`Parameters` (with its source and
certainty tag in :data:`PARAMETER_NOTES`) or a documented choice in a function's docstring.

Certainty tags are those of ``domain/regulations.md``: [C] confirmed, [C-draft] confirmed for the draft
only, [L] third-party lead, [I] our inference, [U] unverified.

Arithmetic: inputs are :class:`~decimal.Decimal`; sums of products are exact (checked); every division is
done on exact rationals (:class:`~fractions.Fraction`), so a value that is truly ``x.xx5`` rounds up and is
never seen as ``x.xx4999…``. :func:`round2` (half up, 2 decimals) is the only rounding, and each published
figure (percentages, task points, total, annual score) is rounded from unrounded values, never from another
rounded figure. Period totals are the exception by design: the annual mean is taken of the period totals as
published (rounded), because those are what the civil servant saw and signed.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import ClassVar

RULE_SET_ID = "nd335_2025.v1"
EFFECTIVE_FROM = date(2026, 1, 1)  # Decree 335/2025 Art (final clause): effective 01/01/2026 [C] S1, S6, S13

NO_WORK_REASON_VI = "Không có công việc được giao trong kỳ"
NO_WORK_REASON_EN = "No work was assigned in the period"

DECREE = "Nghị định 335/2025"
ART_12 = f"{DECREE}, Điều 12"
ART_12_GENERAL = f"{DECREE}, Điều 12 khoản 2 điểm a, b, c (tối đa 30 điểm) [C]; chia 3 × 10 điểm [U/L]"
ART_13 = f"{DECREE}, Điều 13 (sản phẩm chuẩn, hệ số quy đổi) [L, C-draft]"
ART_14_A = f"{DECREE}, Điều 14 điểm a (số lượng) [C]; phần vượt khối lượng giao không tính [I]"
ART_14_B = f"{DECREE}, Điều 14 điểm b (chất lượng: mỗi lần sai sót lớn trừ 25 %) [C]"
ART_14_C = f"{DECREE}, Điều 14 điểm c (tiến độ: mỗi lần chậm trừ 25 %) [C]"
ART_14_NONE = f"{DECREE}, Điều 14 [C]; kỳ không có việc được giao thì không chấm phần nhiệm vụ [I]"
ART_14_16_STAFF = f"{DECREE}, Điều 14, Điều 16: 70 × (a + b + c) / 300, trọng số bằng nhau [L/I]"
ART_15_D = f"{DECREE}, Điều 15 điểm d (kết quả hoạt động của đơn vị: 100 % hoặc 50 %) [C]"
ART_15_DD = f"{DECREE}, Điều 15 điểm đ (khả năng tổ chức triển khai) [C, một phần]"
ART_15_E = f"{DECREE}, Điều 15 (năng lực tập hợp, đoàn kết nội bộ) [C-draft, L]"
ART_15_16_LEADER = f"{DECREE}, Điều 15, Điều 16: 70 × trung bình(a, b, c, d, đ, e) / 100, trọng số bằng nhau [L/I]"
ART_12_TOTAL = f"{DECREE}, Điều 12: tiêu chí chung (≤ 30) + kết quả thực hiện nhiệm vụ (≤ 70) [C]"
ART_21 = (
    f"{DECREE}, Điều 21: xếp loại theo thời gian công tác thực tế; người chuyển công tác mang theo kết quả "
    "các kỳ ở đơn vị cũ [C]; điểm năm = trung bình cộng các kỳ có làm việc [I]"
)
ART_20_LEVELS = f"{DECREE}, Điều 20: ≥ 90 xuất sắc, ≥ 70 tốt, ≥ 50 hoàn thành, < 50 không hoàn thành [C]"
ART_20_4_B = f"{DECREE}, Điều 20 khoản 4 điểm b"
ART_20_4_C = f"{DECREE}, Điều 20 khoản 4 điểm c"
ART_20_4_D = f"{DECREE}, Điều 20 khoản 4 điểm d"
ART_20_5_A = (
    f"{DECREE}, Điều 20 khoản 5 điểm a: số xuất sắc ≤ 20 % số tốt trong từng đơn vị và nhóm nhiệm vụ "
    "tương đồng [C]; tính sau khi hạ bậc, làm tròn xuống [I]"
)
ART_20_5_B = f"{DECREE}, Điều 20 khoản 5 điểm b: tỷ lệ cao hơn cho tổ chức có thành tích nổi trội, cần phê duyệt [U/L]"

HUNDRED = Decimal(100)
_EXACT = decimal.Context(prec=200, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])


class Role(StrEnum):
    STAFF = "staff"
    LEADER = "leader"

    @property
    def label_vi(self) -> str:
        return _ROLE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _ROLE_LABELS[self][1]


_ROLE_LABELS = {
    Role.STAFF: ("Công chức không giữ chức vụ lãnh đạo, quản lý", "Civil servant without a leadership post"),
    Role.LEADER: ("Công chức lãnh đạo, quản lý (kể cả cấp phó)", "Leader or manager (deputies included)"),
}


class Level(StrEnum):
    EXCELLENT = "EXCELLENT"
    GOOD = "GOOD"
    COMPLETED = "COMPLETED"
    NOT_COMPLETED = "NOT_COMPLETED"

    @property
    def label_vi(self) -> str:
        return _LEVEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LEVEL_LABELS[self][1]


_LEVEL_LABELS = {
    Level.EXCELLENT: ("Hoàn thành xuất sắc nhiệm vụ", "Excellent"),
    Level.GOOD: ("Hoàn thành tốt nhiệm vụ", "Good"),
    Level.COMPLETED: ("Hoàn thành nhiệm vụ", "Completed"),
    Level.NOT_COMPLETED: ("Không hoàn thành nhiệm vụ", "Not completed"),
}


class DisciplineForm(StrEnum):
    """Disciplinary forms that count: all are "khiển trách" (reprimand) or above (Art 20(4)(c))."""

    REPRIMAND = "reprimand"
    WARNING = "warning"
    REMOVAL = "removal"
    DISMISSAL = "dismissal"

    @property
    def label_vi(self) -> str:
        return _DISCIPLINE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _DISCIPLINE_LABELS[self][1]


_DISCIPLINE_LABELS = {
    DisciplineForm.REPRIMAND: ("Khiển trách", "Reprimand"),
    DisciplineForm.WARNING: ("Cảnh cáo", "Warning"),
    DisciplineForm.REMOVAL: ("Cách chức", "Removal from post"),
    DisciplineForm.DISMISSAL: ("Buộc thôi việc", "Dismissal"),
}


class Override(StrEnum):
    """Reasons that force "Không hoàn thành nhiệm vụ" whatever the score (Art 20(4)(b)–(d)) [C] S2, S9."""

    DISCIPLINE = "discipline"
    DEGRADATION = "degradation"
    UNIT_CORRUPTION = "unit_corruption"

    @property
    def label_vi(self) -> str:
        return _OVERRIDE_TEXT[self][0]

    @property
    def label_en(self) -> str:
        return _OVERRIDE_TEXT[self][1]

    @property
    def article(self) -> str:
        return _OVERRIDE_TEXT[self][2]


_OVERRIDE_TEXT = {
    Override.DEGRADATION: (
        "Có kết luận của cấp có thẩm quyền về biểu hiện suy thoái tư tưởng chính trị, đạo đức, lối sống",
        "A competent authority concluded there was ideological, ethical or lifestyle degradation",
        ART_20_4_B,
    ),
    Override.DISCIPLINE: (
        "Bị xử lý kỷ luật từ khiển trách trở lên trong năm đánh giá",
        "Disciplined at reprimand level or above in the evaluation year",
        ART_20_4_C,
    ),
    Override.UNIT_CORRUPTION: (
        "Cơ quan, đơn vị do mình trực tiếp phụ trách bị xử lý vì tham ô, tham nhũng, lãng phí",
        "The agency or unit under their direct charge was handled for embezzlement, corruption or waste",
        ART_20_4_D,
    ),
}

# Order in which overrides are reported when several apply: the order of the points in Art 20(4).
OVERRIDE_ORDER = (Override.DEGRADATION, Override.DISCIPLINE, Override.UNIT_CORRUPTION)


@dataclass(frozen=True)
class GeneralGroup:
    """One group of the general criteria (Art 12(2)) with the points it may carry."""

    code: str
    label_vi: str
    label_en: str
    max_points: Decimal


GENERAL_GROUPS = (
    GeneralGroup(
        "a",
        "Phẩm chất chính trị, đạo đức, văn hóa thực thi công vụ, ý thức kỷ luật, kỷ cương",
        "Political and moral qualities, public-service culture, discipline",
        Decimal(10),
    ),
    GeneralGroup(
        "b",
        "Năng lực chuyên môn, nghiệp vụ; trách nhiệm; thái độ phục vụ; phối hợp với đồng nghiệp",
        "Professional competence, responsibility, service attitude, coordination",
        Decimal(10),
    ),
    GeneralGroup(
        "c",
        "Đổi mới, sáng tạo; dám nghĩ, dám làm, dám chịu trách nhiệm",
        "Innovation and creativity; daring to think, act and take responsibility",
        Decimal(10),
    ),
)


@dataclass(frozen=True)
class Parameters:
    """Every number the rule set uses; sources and certainty in :data:`PARAMETER_NOTES`."""

    general_max: Decimal = Decimal(30)
    task_max: Decimal = Decimal(70)
    deduction_rate: Decimal = Decimal("0.25")
    general_groups: tuple[GeneralGroup, ...] = GENERAL_GROUPS
    excellent_from: Decimal = Decimal(90)
    good_from: Decimal = Decimal(70)
    completed_from: Decimal = Decimal(50)
    subordinate_pass_mark: Decimal = Decimal(50)
    unit_result_all_pass: Decimal = Decimal(100)
    unit_result_some_fail: Decimal = Decimal(50)
    leader_criterion_max: Decimal = Decimal(100)
    excellent_ratio: Decimal = Decimal("0.2")
    exception_ratio: Decimal = Decimal("0.25")

    def __post_init__(self) -> None:
        if sum((g.max_points for g in self.general_groups), Decimal(0)) != self.general_max:
            raise ValueError("general_groups: the groups' max_points must add up to general_max")
        if not self.excellent_from > self.good_from > self.completed_from >= 0:
            raise ValueError("excellent_from > good_from > completed_from >= 0 is required")
        if not 0 <= self.excellent_ratio <= self.exception_ratio:
            raise ValueError("0 <= excellent_ratio <= exception_ratio is required")
        if not 0 <= self.deduction_rate <= 1:
            raise ValueError("deduction_rate must be between 0 and 1")

    @property
    def total_max(self) -> Decimal:
        return self.general_max + self.task_max


DEFAULT_PARAMETERS = Parameters()

# field → (meaning, source with certainty tag); docs/kpi-calculators.md and docs/rules.md repeat this table.
PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "general_max": ("most points for the general criteria", "Art 12(1) [C] S7"),
    "task_max": ("most points for the task-result criterion", "Art 12(1) [C] S7"),
    "deduction_rate": (
        "share of one unit of a product lost per major error (quality) or per delay (timeliness)",
        "Art 14(b)(c) [C] S8",
    ),
    "general_groups": ("the three groups of general criteria, 10 points each", "Art 12(2)(a)(b)(c) [C]; split [U/L]"),
    "excellent_from": ("lowest annual score rated excellent", "Art 20 [C] S2"),
    "good_from": ("lowest annual score rated good", "Art 20 [C] S2"),
    "completed_from": ("lowest annual score rated completed", "Art 20 [C] S2"),
    "subordinate_pass_mark": (
        "a subordinate's period total from which they count as 'completed' for the leader's d1",
        "Art 15(d) [C] S6 with the 50-point threshold of Art 20 [I]",
    ),
    "unit_result_all_pass": ("leader's d1 when every subordinate passes", "Art 15(d) [C] S6"),
    "unit_result_some_fail": ("leader's d1 when any subordinate fails", "Art 15(d) [C] S6"),
    "leader_criterion_max": ("upper bound of each leader criterion d1, d2, d3 (percent)", "Art 15 [C] S6"),
    "excellent_ratio": ("excellent ≤ ratio × good, per unit and task group", "Art 20(5)(a) [C] S2"),
    "exception_ratio": (
        "the highest ratio allowed, only with an approval record for an outstanding organisation",
        "Art 20(5)(b) [U]; 25 % per one deployment [L]",
    ),
}


def round2(x: Decimal | Fraction | int) -> Decimal:
    """Round half up (away from zero) to 0.01: the only rounding of this rule set [I: the decree prints none].

    Works on the exact value (a Decimal converts to a Fraction without loss), so 83.335 → 83.34 and
    83.334999… → 83.33.
    """
    exact = Fraction(x)
    scaled = abs(exact) * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    if whole == 0:
        return Decimal("0.00")
    return Decimal(whole if exact > 0 else -whole).scaleb(-2)


# ---- display helpers for the steps: numbers with "." decimals, as plain strings ------------------------


def _num(x: Decimal | int) -> str:
    """An input number as written, without exponent or trailing zeros (1.50 → 1.5, 1E+2 → 100)."""
    d = Decimal(x)
    return format(d.normalize(), "f") if d != 0 else "0"


def _fixed(x: Decimal) -> str:
    """A rounded figure with its two decimals kept (83.30)."""
    return format(x, "f")


def _exact(x: Fraction) -> str:
    """An unrounded value: exact when it has at most 6 decimals, else 6 decimals (truncated) and '…'."""
    scaled = x * 1_000_000
    if scaled.denominator == 1:
        return _num(Decimal(scaled.numerator).scaleb(-6))
    truncated = int(scaled)  # toward zero; values here are never negative
    return format(Decimal(truncated).scaleb(-6), "f") + "…"


# ---- task lines and their sums ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskLine:
    """One assigned product/work type in a period (DESIGN §3.3).

    ``coefficient`` k converts one unit to the standard product (Art 13 [L, C-draft]); ``quantity`` q is the
    assigned number of units, ``completed`` c the completed number; ``errors`` e counts major-content-error
    findings and ``delays`` d counts delays; ``objective_cause`` (confirmed by a competent authority) waives
    both (Art 14(b)(c) [C]).
    """

    coefficient: Decimal
    quantity: Decimal
    completed: Decimal
    errors: int = 0
    delays: int = 0
    objective_cause: bool = False
    label: str = ""


@dataclass(frozen=True)
class TaskSums:
    """Exact, unrounded converted sums over task lines: Σk·q, Σk·c', Σmax(0, k·c' − rate·k·e),
    Σmax(0, k·c' − rate·k·d), with c' = min(c, q) and e = d = 0 under an objective cause."""

    assigned: Decimal
    done: Decimal
    quality: Decimal
    timely: Decimal

    ZERO: ClassVar[TaskSums]  # the neutral element of ``+``, set below the class

    def __add__(self, other: TaskSums) -> TaskSums:
        return TaskSums(
            assigned=_exact_add(self.assigned, other.assigned),
            done=_exact_add(self.done, other.done),
            quality=_exact_add(self.quality, other.quality),
            timely=_exact_add(self.timely, other.timely),
        )


def zero_sums() -> TaskSums:
    return TaskSums(Decimal(0), Decimal(0), Decimal(0), Decimal(0))


TaskSums.ZERO = zero_sums()


def _exact_add(a: Decimal, b: Decimal) -> Decimal:
    try:
        return _EXACT.add(a, b)
    except decimal.DecimalException as exc:
        raise ValueError("task sums: numbers too long to add exactly") from exc


def _exact_mul(a: Decimal, b: Decimal) -> Decimal:
    try:
        return _EXACT.multiply(a, b)
    except decimal.DecimalException as exc:
        raise ValueError("task line: numbers too long to multiply exactly") from exc


def _check_finite(name: str, value: Decimal | int) -> None:
    """Decimals (or whole numbers) only: a float would carry its binary error into the score."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{name}: must be a Decimal")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name}: must be a finite number")


def check_line(line: TaskLine) -> None:
    """ValueError naming the field when a task line is out of range."""
    for name in ("coefficient", "quantity", "completed"):
        _check_finite(name, getattr(line, name))
    if line.coefficient <= 0:
        raise ValueError("coefficient: must be > 0")
    if line.quantity < 0:
        raise ValueError("quantity: must be ≥ 0")
    if line.completed < 0:
        raise ValueError("completed: must be ≥ 0")
    for name in ("errors", "delays"):
        value = getattr(line, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number ≥ 0")


@dataclass(frozen=True)
class _LineParts:
    """One line's converted figures, kept for the explanation."""

    weight: Decimal  # k·q
    done: Decimal  # k·c'
    quality_cut: Decimal  # rate·k·e (0 under an objective cause)
    timely_cut: Decimal  # rate·k·d
    sums: TaskSums


def _line_parts(line: TaskLine, params: Parameters) -> _LineParts:
    check_line(line)
    k = line.coefficient
    weight = _exact_mul(k, line.quantity)
    done = _exact_mul(k, min(line.completed, line.quantity))  # over-delivery does not count [I]
    errors, delays = (0, 0) if line.objective_cause else (line.errors, line.delays)
    quality_cut = _exact_mul(_exact_mul(params.deduction_rate, k), Decimal(errors))
    timely_cut = _exact_mul(_exact_mul(params.deduction_rate, k), Decimal(delays))
    sums = TaskSums(
        assigned=weight,
        done=done,
        quality=max(Decimal(0), _exact_add(done, -quality_cut)),  # floor 0 per line
        timely=max(Decimal(0), _exact_add(done, -timely_cut)),
    )
    return _LineParts(weight, done, quality_cut, timely_cut, sums)


def line_sums(line: TaskLine, params: Parameters = DEFAULT_PARAMETERS) -> TaskSums:
    """A task line's converted figures (Art 13 conversion [L]; Art 14(a)(b)(c) [C]).

    k·q assigned; k·min(c, q) done (over-delivery capped [I]); quality and timeliness lose
    ``deduction_rate`` × k per error / delay, floored at 0 on the line; an objective cause waives both.
    """
    return _line_parts(line, params).sums


def task_sums(lines: Iterable[TaskLine], params: Parameters = DEFAULT_PARAMETERS) -> TaskSums:
    """Σ of :func:`line_sums` over the period's lines (exact)."""
    total = zero_sums()
    for line in lines:
        total = total + line_sums(line, params)
    return total


# ---- the leader's extra criteria ---------------------------------------------------------------------------


def unit_result(subordinate_totals: Iterable[Decimal | None], params: Parameters = DEFAULT_PARAMETERS) -> Decimal:
    """d1, the unit's operating result (Art 15(d) [C] S6): 100 if every scored subordinate's period total is
    at least ``subordinate_pass_mark`` (the "completed" level), else 50.

    ``None`` (a subordinate with no task score in the period) is ignored; with no scored subordinate at all
    nobody failed, so d1 is 100 [I].
    """
    for total in subordinate_totals:
        if total is not None and total < params.subordinate_pass_mark:
            return params.unit_result_some_fail
    return params.unit_result_all_pass


@dataclass(frozen=True)
class LeaderInputs:
    """d1 unit result (from :func:`unit_result`), d2 organising capacity and d3 internal unity (both scored
    0–100 by the superior), in percent."""

    unit_result: Decimal
    organising: Decimal
    unity: Decimal


# ---- one period ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of an explanation. ``formula`` has the numbers filled in ("." decimals; the UI formats them);
    ``value`` is the step's result as a plain decimal string (or a level / reason code)."""

    key: str
    label_vi: str
    label_en: str
    formula: str
    value: str
    article: str


@dataclass(frozen=True)
class PeriodScore:
    quantity_pct: Decimal | None
    quality_pct: Decimal | None
    timeliness_pct: Decimal | None
    task_points: Decimal | None
    general_points: Decimal
    total: Decimal | None
    no_work_reason: str | None
    steps: tuple[Step, ...]


def _check_points(name: str, value: Decimal | int, upper: Decimal) -> None:
    _check_finite(name, value)
    if not 0 <= value <= upper:
        raise ValueError(f"{name}: must be between 0 and {_num(upper)}")


def _check_period_inputs(role: Role, general_points: Decimal, leader: LeaderInputs | None, params: Parameters) -> None:
    if not isinstance(role, Role):
        raise ValueError(f"role: must be one of {', '.join(r.value for r in Role)}")
    _check_points("general_points", general_points, params.general_max)
    if role is Role.LEADER:
        if leader is None:
            raise ValueError("leader: unit_result, organising and unity are required for a leader")
        for name in ("unit_result", "organising", "unity"):
            _check_points(name, getattr(leader, name), params.leader_criterion_max)
    elif leader is not None:
        raise ValueError("leader: unit_result, organising and unity are only for leaders")


def score_period(
    *,
    role: Role,
    general_points: Decimal,
    sums: TaskSums,
    leader: LeaderInputs | None = None,
    params: Parameters = DEFAULT_PARAMETERS,
) -> PeriodScore:
    """A period's score from its task sums (DESIGN §3.3; Arts 12, 14, 15, 16).

    a = 100·done/A, b = 100·quality/A, t = 100·timely/A. Staff: task points = 70·(a + b + t)/300; leaders:
    70·mean(a, b, t, d1, d2, d3)/100. Total = general points + task points. With A = 0 there is no task
    score: percentages, task points and total are None with :data:`NO_WORK_REASON_VI`.
    ValueError naming the field for out-of-range inputs.
    """
    _check_period_inputs(role, general_points, leader, params)
    _check_sums(sums)
    return _score(role, general_points, sums, leader, params, line_steps=())


def score_lines(
    *,
    role: Role,
    general_points: Decimal,
    lines: Sequence[TaskLine],
    leader: LeaderInputs | None = None,
    params: Parameters = DEFAULT_PARAMETERS,
) -> PeriodScore:
    """Same figures as ``score_period(sums=task_sums(lines))``; the steps also show each line's converted
    weight and deductions. A bad line raises ValueError as ``lines[i].field: …``."""
    _check_period_inputs(role, general_points, leader, params)
    parts: list[_LineParts] = []
    for index, line in enumerate(lines):
        try:
            parts.append(_line_parts(line, params))
        except ValueError as exc:
            raise ValueError(f"lines[{index}].{exc}") from exc
    sums = zero_sums()
    for part in parts:
        sums = sums + part.sums
    steps = tuple(_line_step(i, line, part, params) for i, (line, part) in enumerate(zip(lines, parts, strict=True)))
    return _score(role, general_points, sums, leader, params, line_steps=steps)


def _check_sums(sums: TaskSums) -> None:
    for name in ("assigned", "done", "quality", "timely"):
        value = getattr(sums, name)
        _check_finite(f"sums.{name}", value)
        if value < 0:
            raise ValueError(f"sums.{name}: must be ≥ 0")
    if not sums.done <= sums.assigned or sums.quality > sums.done or sums.timely > sums.done:
        raise ValueError("sums: need quality, timely ≤ done ≤ assigned")


def _line_step(index: int, line: TaskLine, part: _LineParts, params: Parameters) -> Step:
    k, rate = _num(line.coefficient), _num(params.deduction_rate)
    e, d = (0, 0) if line.objective_cause else (line.errors, line.delays)
    waived = " (nguyên nhân khách quan: không trừ)" if line.objective_cause and (line.errors or line.delays) else ""
    formula = (
        f"k·q = {k} × {_num(line.quantity)} = {_num(part.weight)}; "
        f"k·c' = {k} × min({_num(line.completed)}, {_num(line.quantity)}) = {_num(part.done)}; "
        f"chất lượng = max(0, {_num(part.done)} − {rate} × {k} × {e}) = {_num(part.sums.quality)}; "
        f"tiến độ = max(0, {_num(part.done)} − {rate} × {k} × {d}) = {_num(part.sums.timely)}{waived}"
    )
    name = f": {line.label}" if line.label else ""
    return Step(
        key=f"lines[{index}]",
        label_vi=f"Dòng công việc {index + 1}{name}: khối lượng quy đổi và khấu trừ",
        label_en=f"Task line {index + 1}{name}: converted weight and deductions",
        formula=formula,
        value=_num(part.weight),
        article=f"{ART_13}; {ART_14_B}; {ART_14_C}",
    )


def _score(
    role: Role,
    general_points: Decimal,
    sums: TaskSums,
    leader: LeaderInputs | None,
    params: Parameters,
    line_steps: tuple[Step, ...],
) -> PeriodScore:
    general = Fraction(general_points)
    steps = [*line_steps]
    steps.append(Step("assigned", "Tổng khối lượng được giao (quy đổi) A", "Assigned converted weight A",
                      f"A = Σ k·q = {_num(sums.assigned)}", _num(sums.assigned), ART_13))
    if sums.assigned == 0:
        steps.append(Step("no_work", NO_WORK_REASON_VI, NO_WORK_REASON_EN, "A = 0", "", ART_14_NONE))
        steps.append(_general_step(general_points))
        return PeriodScore(None, None, None, None, round2(general), None, NO_WORK_REASON_VI, tuple(steps))
    assigned = Fraction(sums.assigned)
    a, b, t = (100 * Fraction(x) / assigned for x in (sums.done, sums.quality, sums.timely))
    steps += [
        _pct_step("quantity_pct", "Số lượng a", "Quantity a", sums.done, sums.assigned, a, ART_14_A),
        _pct_step("quality_pct", "Chất lượng b", "Quality b", sums.quality, sums.assigned, b, ART_14_B),
        _pct_step("timeliness_pct", "Tiến độ c", "Timeliness c", sums.timely, sums.assigned, t, ART_14_C),
    ]
    task_max = Fraction(params.task_max)
    if role is Role.LEADER:
        assert leader is not None  # checked by _check_period_inputs
        steps += _leader_steps(leader)
        extras = [Fraction(leader.unit_result), Fraction(leader.organising), Fraction(leader.unity)]
        task = task_max * (a + b + t + sum(extras)) / 600
        formula = (f"{_num(params.task_max)} × ({_exact(a)} + {_exact(b)} + {_exact(t)} + "
                   f"{' + '.join(_num(x) for x in (leader.unit_result, leader.organising, leader.unity))}) / 600")
        article = ART_15_16_LEADER
    else:
        task = task_max * (a + b + t) / 300
        formula = f"{_num(params.task_max)} × ({_exact(a)} + {_exact(b)} + {_exact(t)}) / 300"
        article = ART_14_16_STAFF
    steps.append(Step("task_points", "Điểm kết quả thực hiện nhiệm vụ", "Task-result points",
                      f"{formula} = {_exact(task)}", _fixed(round2(task)), article))
    steps.append(_general_step(general_points))
    total = general + task
    steps.append(Step("total", "Tổng điểm của kỳ", "Period total",
                      f"{_num(general_points)} + {_exact(task)} = {_exact(total)}", _fixed(round2(total)), ART_12_TOTAL))
    return PeriodScore(
        quantity_pct=round2(a),
        quality_pct=round2(b),
        timeliness_pct=round2(t),
        task_points=round2(task),
        general_points=round2(general),
        total=round2(total),
        no_work_reason=None,
        steps=tuple(steps),
    )


def _pct_step(key: str, vi: str, en: str, part: Decimal, assigned: Decimal, value: Fraction, article: str) -> Step:
    return Step(key, f"{vi} (%)", f"{en} (%)", f"100 × {_num(part)} / {_num(assigned)} = {_exact(value)}",
                _fixed(round2(value)), article)


def _leader_steps(leader: LeaderInputs) -> list[Step]:
    return [
        Step("unit_result", "d. Kết quả hoạt động của đơn vị (%)", "d1. Unit result (%)",
             f"d1 = {_num(leader.unit_result)}", _num(leader.unit_result), ART_15_D),
        Step("organising", "đ. Khả năng tổ chức triển khai (%)", "d2. Organising capacity (%)",
             f"d2 = {_num(leader.organising)}", _num(leader.organising), ART_15_DD),
        Step("unity", "e. Năng lực tập hợp, đoàn kết nội bộ (%)", "d3. Internal unity (%)",
             f"d3 = {_num(leader.unity)}", _num(leader.unity), ART_15_E),
    ]


def _general_step(general_points: Decimal) -> Step:
    return Step("general_points", "Điểm tiêu chí chung", "General-criteria points",
                f"G = {_num(general_points)}", _num(general_points), ART_12_GENERAL)


def general_points_from_groups(scores: dict[str, Decimal], params: Parameters = DEFAULT_PARAMETERS) -> Decimal:
    """Sum of the general-criteria groups (Art 12(2)); ValueError for an unknown, missing or too-high group."""
    known = {g.code: g for g in params.general_groups}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise ValueError(f"{unknown[0]}: unknown general-criteria group")
    total = Decimal(0)
    for code, group in known.items():
        if code not in scores:
            raise ValueError(f"{code}: required")
        _check_points(code, scores[code], group.max_points)
        total += scores[code]
    return total


# ---- the year ------------------------------------------------------------------------------------------------


def _mean(values: Sequence[Decimal]) -> Fraction:
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


def annual_score(period_totals: Sequence[Decimal | None], params: Parameters = DEFAULT_PARAMETERS) -> Decimal | None:
    """The rounded mean of the totals of the periods actually worked (Art 21 [C]; the mean [I]).

    None marks a period not worked (leave) or without assigned work and is left out; a transfer simply
    brings the old unit's periods into the same sequence. No worked period → None.
    """
    worked = _worked(period_totals, params)
    return round2(_mean(worked)) if worked else None


def _worked(period_totals: Sequence[Decimal | None], params: Parameters) -> list[Decimal]:
    worked = []
    for index, total in enumerate(period_totals):
        if total is None:
            continue
        _check_points(f"period_totals[{index}]", total, params.total_max)
        worked.append(total)
    return worked


def level_by_score(score: Decimal, params: Parameters = DEFAULT_PARAMETERS) -> Level:
    """≥ 90 excellent, ≥ 70 good, ≥ 50 completed, else not completed (Art 20 [C]); read from the rounded score."""
    _check_points("score", score, params.total_max)
    if score >= params.excellent_from:
        return Level.EXCELLENT
    if score >= params.good_from:
        return Level.GOOD
    if score >= params.completed_from:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def forced_overrides(
    *, role: Role, discipline: DisciplineForm | None, degradation: bool, unit_corruption: bool
) -> tuple[Override, ...]:
    """Every override that applies, in the order of Art 20(4); ``unit_corruption`` counts for leaders only."""
    found = {
        Override.DEGRADATION: degradation,
        Override.DISCIPLINE: discipline is not None,
        Override.UNIT_CORRUPTION: unit_corruption and role is Role.LEADER,
    }
    return tuple(o for o in OVERRIDE_ORDER if found[o])


def forced_override(
    *, role: Role, discipline: DisciplineForm | None, degradation: bool, unit_corruption: bool
) -> Override | None:
    """The reason that forces "not completed" (Art 20(4)(b)–(d) [C]), or None. When several apply, the first
    in the article's order (degradation, discipline, unit corruption) is the one reported."""
    found = forced_overrides(role=role, discipline=discipline, degradation=degradation,
                             unit_corruption=unit_corruption)
    return found[0] if found else None


def quota_keep_count(excellent: int, good: int, ratio: Decimal) -> int:
    """How many of ``excellent`` may stay excellent: min(E, ⌊r·(G + E)/(1 + r)⌋) (Art 20(5)(a) [C]; the fixed
    point [I]). Demoting an excellent makes them good, so keeping k leaves G + E − k good and
    k ≤ r·(G + E − k) ⇔ k ≤ r·(G + E)/(1 + r); rounding down is our choice [U]."""
    if excellent < 0 or good < 0:
        raise ValueError("excellent, good: counts must be ≥ 0")
    _check_finite("ratio", ratio)
    if ratio < 0:
        raise ValueError("ratio: must be ≥ 0")
    r = Fraction(ratio)
    return min(excellent, int(r * (good + excellent) / (1 + r)))


@dataclass(frozen=True)
class AnnualInput:
    id: str
    unit: str
    group: str
    role: Role
    period_totals: tuple[Decimal | None, ...]
    discipline: DisciplineForm | None = None
    degradation: bool = False
    unit_corruption: bool = False


@dataclass(frozen=True)
class AnnualResult:
    """``level`` is final unless ``quota_tie``: then the person is provisionally GOOD (``quota_demoted``) and
    the head gives ``tie_seats`` excellent seats among those tied in the group."""

    id: str
    annual_score: Decimal | None
    level_by_score: Level | None
    override: Override | None
    level: Level | None
    quota_demoted: bool
    quota_tie: bool
    steps: tuple[Step, ...]
    tie_seats: int = 0


@dataclass
class _Draft:
    """A person's classification before the quota."""

    person: AnnualInput
    score: Decimal | None
    by_score: Level | None
    override: Override | None
    level: Level | None
    steps: list[Step]
    demoted: bool = False
    tie: bool = False
    seats: int = 0


def _check_ratio(ratio: Decimal, params: Parameters) -> None:
    _check_finite("ratio", ratio)
    if not 0 <= ratio <= params.exception_ratio:
        raise ValueError(f"ratio: must be between 0 and {_num(params.exception_ratio)} (the exception ratio)")


def _check_person(index: int, person: AnnualInput) -> None:
    if not isinstance(person.role, Role):
        raise ValueError(f"people[{index}].role: must be one of {', '.join(r.value for r in Role)}")
    if person.discipline is not None and not isinstance(person.discipline, DisciplineForm):
        raise ValueError(f"people[{index}].discipline: unknown form")


def classify(
    people: Sequence[AnnualInput], *, ratio: Decimal | None = None, params: Parameters = DEFAULT_PARAMETERS
) -> list[AnnualResult]:
    """Annual levels with the overrides and the excellent quota, in the order of ``people``.

    1. annual score and level from it (Arts 20, 21); 2. overrides force NOT_COMPLETED (Art 20(4)), even
    without a worked period; 3. per (unit, group), among those EXCELLENT after step 2, keep the
    :func:`quota_keep_count` highest scores and make the rest GOOD (Art 20(5)); a tie across the quota line
    is flagged, not broken: everyone with the tied score is provisionally GOOD with ``quota_tie`` and
    ``tie_seats`` = seats left for them. ``ratio`` defaults to ``params.excellent_ratio`` and may not exceed
    ``params.exception_ratio`` (a higher ratio needs an approval record that the caller checks).
    """
    r = params.excellent_ratio if ratio is None else ratio
    _check_ratio(r, params)
    seen: set[str] = set()
    for index, person in enumerate(people):
        _check_person(index, person)
        if person.id in seen:
            raise ValueError(f"people[{index}].id: duplicate id {person.id!r}")
        seen.add(person.id)
    drafts = [_draft(index, person, params) for index, person in enumerate(people)]
    groups: dict[tuple[str, str], list[_Draft]] = {}
    for draft in drafts:
        groups.setdefault((draft.person.unit, draft.person.group), []).append(draft)
    for (unit, group), members in groups.items():
        _apply_quota(unit, group, members, r, params)
    return [_result(d) for d in drafts]


def _draft(index: int, person: AnnualInput, params: Parameters) -> _Draft:
    try:
        worked = _worked(person.period_totals, params)
    except ValueError as exc:
        raise ValueError(f"people[{index}].{exc}") from exc
    steps: list[Step] = []
    score = round2(_mean(worked)) if worked else None
    by_score = level_by_score(score, params) if score is not None else None
    steps.append(_annual_step(person.period_totals, worked, score))
    if score is not None and by_score is not None:
        steps.append(Step("level_by_score", "Mức xếp loại theo điểm", "Level by score",
                          f"{_fixed(score)} → {by_score.label_vi}", by_score.value, ART_20_LEVELS))
    found = forced_overrides(role=person.role, discipline=person.discipline, degradation=person.degradation,
                             unit_corruption=person.unit_corruption)
    for reason in found:
        detail = f" ({person.discipline.label_vi})" if reason is Override.DISCIPLINE and person.discipline else ""
        steps.append(Step("override", "Không hoàn thành nhiệm vụ do: " + reason.label_vi + detail,
                          "Not completed because: " + reason.label_en, reason.label_vi + detail,
                          reason.value, reason.article))
    if person.unit_corruption and person.role is not Role.LEADER:
        steps.append(Step("unit_corruption_ignored", "Đơn vị bị xử lý tham nhũng, lãng phí: chỉ áp dụng với lãnh đạo",
                          "Unit handled for corruption or waste: applies to leaders only",
                          "người được đánh giá không giữ chức vụ lãnh đạo → không áp dụng", "", ART_20_4_D))
    override = found[0] if found else None
    level = Level.NOT_COMPLETED if override is not None else by_score
    return _Draft(person, score, by_score, override, level, steps)


def _annual_step(totals: Sequence[Decimal | None], worked: list[Decimal], score: Decimal | None) -> Step:
    skipped = len(totals) - len(worked)
    note = f"; {skipped} kỳ không làm việc/không có việc được giao: không tính" if skipped else ""
    if not worked:
        return Step("annual_score", "Điểm năm: không có kỳ nào có điểm", "Annual score: no scored period",
                    f"0 kỳ có điểm{note}", "", ART_21)
    mean = _mean(worked)
    formula = f"({' + '.join(_num(t) for t in worked)}) / {len(worked)} = {_exact(mean)}{note}"
    assert score is not None
    return Step("annual_score", "Điểm năm (trung bình các kỳ có làm việc)", "Annual score (mean of worked periods)",
                formula, _fixed(score), ART_21)


def _apply_quota(unit: str, group: str, members: list[_Draft], ratio: Decimal, params: Parameters) -> None:
    excellent = [d for d in members if d.level is Level.EXCELLENT]
    if not excellent:
        return
    good = sum(1 for d in members if d.level is Level.GOOD)
    keep = quota_keep_count(len(excellent), good, ratio)
    ranked = sorted(excellent, key=lambda d: _score_of(d), reverse=True)  # stable: input order among equals
    tied_score: Decimal | None = None
    if 1 <= keep < len(ranked) and _score_of(ranked[keep - 1]) == _score_of(ranked[keep]):
        tied_score = _score_of(ranked[keep])
    above = keep if tied_score is None else sum(1 for d in ranked if _score_of(d) > tied_score)
    seats = keep - above
    where = f"Đơn vị «{unit}», nhóm «{group}»"
    base = (f"E = {len(excellent)}, G = {good}, r = {_num(ratio)}: k = min({len(excellent)}, "
            f"⌊{_num(ratio)} × ({good} + {len(excellent)}) / (1 + {_num(ratio)})⌋) = {keep}")
    article = ART_20_5_A + (f"; {ART_20_5_B}" if ratio > params.excellent_ratio else "")
    for rank, draft in enumerate(ranked, start=1):
        score = _score_of(draft)
        if tied_score is not None and score == tied_score:
            draft.level, draft.demoted, draft.tie, draft.seats = Level.GOOD, True, True, seats
            outcome = (f"bằng điểm {_fixed(score)} tại ranh giới chỉ tiêu: tạm xếp tốt; còn {seats} suất xuất sắc "
                       "cho những người bằng điểm, Thủ trưởng quyết định")
            value = "TIE"
        elif (tied_score is not None and score > tied_score) or (tied_score is None and rank <= keep):
            outcome, value = f"hạng {rank} ≤ {keep}: giữ xuất sắc", Level.EXCELLENT.value
        else:
            draft.level, draft.demoted = Level.GOOD, True
            outcome, value = f"hạng {rank} > {keep}: chuyển xuống hoàn thành tốt", Level.GOOD.value
        draft.steps.append(Step("quota", f"Tỷ lệ xuất sắc — {where}", f"Excellent quota — unit {unit!r}, group {group!r}",
                                f"{base}; {outcome}", value, article))


def _score_of(draft: _Draft) -> Decimal:
    assert draft.score is not None  # only people rated EXCELLENT by score reach the quota
    return draft.score


def _result(draft: _Draft) -> AnnualResult:
    return AnnualResult(
        id=draft.person.id,
        annual_score=draft.score,
        level_by_score=draft.by_score,
        override=draft.override,
        level=draft.level,
        quota_demoted=draft.demoted,
        quota_tie=draft.tie,
        steps=tuple(draft.steps),
        tie_seats=draft.seats,
    )


def tie_seats(results_in_group: Iterable[AnnualResult]) -> int:
    """Excellent seats the head may still give among the tied members of one (unit, group); 0 without a tie."""
    return max((r.tie_seats for r in results_in_group if r.quota_tie), default=0)


def parameter_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Parameters))
