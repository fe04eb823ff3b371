"""Decree 170/2025/NĐ-CP (recruitment, use and management of civil servants): higher position, lower
position or termination review, and the order of the administrative ranks.

Pure: stdlib and ``congvu.rules`` only. Certainty tags of ``domain/regulations.md`` ([C] confirmed, [I] our
inference, [U] unverified, [flag] sources disagree); numbers the sources leave open are fields of
:class:`Parameters`, explained in :data:`PARAMETER_NOTES`.

- Higher position, Art 23(1) [C] S30: (a) a vacancy within the approved proportion of the job position;
  (b) rated "good" or better in the year immediately preceding the change [C; the Japanese version reads
  "the last 5 years" [flag], regulations.md §7 item 8], not in a disciplinary period and not under
  prosecution, investigation or trial. Points (c) task results and (d) competency are judgement calls of
  the Council of Art 24: this module says so in the steps and never decides them.
- Lower position or termination, Decree 335/2025 Art 23(3)(đ), Law 80/2025 Art 27 [C]: a "not completed"
  result is reviewed; Decree 170 Art 57(3) [C, truncated]: within 30 days of the evaluation result. We count
  calendar days from the day after publication (Civil Code 2015 Art 147 [R]): due = published_on + 30 days.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from congvu.rules.nd335_2025 import Level, Step

RULE_SET_ID = "nd170_2025.v1"

DECREE = "Nghị định 170/2025/NĐ-CP"
ART_23_1_A = f"{DECREE}, Điều 23 khoản 1 điểm a: còn chỉ tiêu trong cơ cấu được duyệt [C]"
ART_23_1_B = f"{DECREE}, Điều 23 khoản 1 điểm b: hoàn thành tốt nhiệm vụ trở lên năm liền trước [C]"
ART_23_1_B_DISCIPLINE = (
    f"{DECREE}, Điều 23 khoản 1 điểm b: không trong thời gian bị kỷ luật, truy cứu trách nhiệm hình sự [C]"
)
ART_23_1_CD = f"{DECREE}, Điều 23 khoản 1 điểm c, d; Điều 24: Hội đồng xem xét [C]"
ART_57_3 = (
    f"{DECREE}, Điều 57 khoản 3: trong 30 ngày [C]; Nghị định 335/2025, Điều 23 khoản 3 điểm đ; "
    "Luật Cán bộ, công chức 2025, Điều 27"
)

GOOD_OR_BETTER = frozenset({Level.EXCELLENT.value, Level.GOOD.value})
KNOWN_LEVELS = frozenset(level.value for level in Level)
LEVEL_VI = {level.value: level.label_vi for level in Level}

# regulations.md §4.1 [C] S38b (codes [L/R]): the administrative series, lowest first.
ADMIN_SERIES: tuple[str, ...] = ("01.005", "01.004", "01.003", "01.002", "01.001")
ADMIN_SERIES_VI = {
    "01.005": "Nhân viên",
    "01.004": "Cán sự",
    "01.003": "Chuyên viên",
    "01.002": "Chuyên viên chính",
    "01.001": "Chuyên viên cao cấp",
}
_ORDER = {code: index for index, code in enumerate(ADMIN_SERIES)}


@dataclass(frozen=True)
class Parameters:
    """Every number of the rule set; sources and certainty in :data:`PARAMETER_NOTES`."""

    higher_min_levels: frozenset[str] = GOOD_OR_BETTER
    review_days: int = 30

    def __post_init__(self) -> None:
        if not self.higher_min_levels <= KNOWN_LEVELS:
            raise ValueError("higher_min_levels: only Decree 335 level values")
        if self.review_days <= 0:
            raise ValueError("review_days: must be > 0")


DEFAULT = Parameters()
DEFAULT_PARAMETERS = DEFAULT

PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "higher_min_levels": ("levels of the preceding year that open a higher position (good, excellent)",
                          "Art 23(1)(b) [C] S30; 'preceding year' vs '5 years' [flag]"),
    "review_days": ("days from the published result within which a 'not completed' civil servant is handled",
                    "Art 57(3) [C, truncated] S32; counted from the day after publication [R]"),
}


def parameter_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Parameters))


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    blocked: tuple[str, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Review:
    required: bool
    due_date: date | None
    steps: tuple[Step, ...]


def higher_position(
    rating_previous_year: str | None,
    *,
    disciplined: bool,
    under_prosecution: bool,
    vacancies: int,
    params: Parameters = DEFAULT,
) -> Eligibility:
    """May the person be proposed for a higher job position (Art 23(1)(a)(b) [C])?

    Blocked reason codes, in the article's order: ``no_vacancy``, ``rating_unknown``, ``rating_below_good``,
    ``disciplined``, ``under_prosecution``. ``ok`` means "a candidate for the Council": points (c) and (d)
    are never decided here (a step says so).
    """
    if rating_previous_year is not None and rating_previous_year not in KNOWN_LEVELS:
        raise ValueError(f"rating_previous_year: unknown level {rating_previous_year!r}")
    if isinstance(vacancies, bool) or not isinstance(vacancies, int):
        raise ValueError("vacancies: must be a whole number")
    blocked: list[str] = []
    if vacancies <= 0:
        blocked.append("no_vacancy")
    if rating_previous_year is None:
        blocked.append("rating_unknown")
    elif rating_previous_year not in params.higher_min_levels:
        blocked.append("rating_below_good")
    if disciplined:
        blocked.append("disciplined")
    if under_prosecution:
        blocked.append("under_prosecution")
    rating_vi = LEVEL_VI.get(rating_previous_year or "", "chưa có kết quả")
    steps = (
        Step("vacancy", "Còn chỉ tiêu vị trí việc làm cao hơn", "A vacancy in the higher position",
             f"{vacancies} chỉ tiêu còn trống", "ok" if vacancies > 0 else "no_vacancy", ART_23_1_A),
        Step("rating_previous_year", "Xếp loại năm liền trước", "Rating of the preceding year",
             f"{rating_vi}; yêu cầu: hoàn thành tốt nhiệm vụ trở lên",
             rating_previous_year or "rating_unknown", ART_23_1_B),
        Step("discipline", "Không trong thời gian kỷ luật, không bị truy cứu", "No discipline, no prosecution",
             f"kỷ luật: {'có' if disciplined else 'không'}; truy cứu/điều tra/xét xử: "
             f"{'có' if under_prosecution else 'không'}",
             "ok" if not (disciplined or under_prosecution) else "blocked", ART_23_1_B_DISCIPLINE),
        Step("council", "Kết quả nhiệm vụ và năng lực: Hội đồng kiểm tra (Điều 24)",
             "Task results and competency: to be checked by the Council (Art 24)",
             "điểm c, d không do hệ thống quyết định", "to_be_checked", ART_23_1_CD),
    )
    return Eligibility(not blocked, tuple(blocked), steps)


def lower_or_termination_review(level: str | None, published_on: date, params: Parameters = DEFAULT) -> Review:
    """A "not completed" result must be reviewed for a lower position or termination within ``review_days``
    (30) of its publication: ``due_date = published_on + 30 days``. Any other level, or none, needs no review.
    """
    if level is not None and level not in KNOWN_LEVELS:
        raise ValueError(f"level: unknown level {level!r}")
    if level != Level.NOT_COMPLETED.value:
        label = LEVEL_VI.get(level or "", "chưa có kết quả")
        step = Step("review", "Không thuộc diện xem xét bố trí thấp hơn hoặc cho thôi việc",
                    "No lower-position or termination review", f"xếp loại: {label}", "not_required", ART_57_3)
        return Review(False, None, (step,))
    due = published_on + timedelta(days=params.review_days)
    steps = (
        Step("review", "Xem xét bố trí vị trí thấp hơn hoặc cho thôi việc", "Review for a lower position or termination",
             f"xếp loại: {LEVEL_VI[level]}", "required", ART_57_3),
        Step("due_date", "Hạn xử lý", "Deadline",
             f"{_d(published_on)} + {params.review_days} ngày = {_d(due)}", due.isoformat(), ART_57_3),
    )
    return Review(True, due, steps)


def rank_order(rank_code: str) -> int | None:
    """0 for Nhân viên (01.005) up to 4 for Chuyên viên cao cấp (01.001); None outside the series."""
    return _ORDER.get(rank_code.strip())


def next_higher_rank(rank_code: str) -> str | None:
    """The rank one above in the administrative series, None at the top or outside the series."""
    order = rank_order(rank_code)
    if order is None or order + 1 >= len(ADMIN_SERIES):
        return None
    return ADMIN_SERIES[order + 1]


def next_lower_rank(rank_code: str) -> str | None:
    """The rank one below in the administrative series, None at the bottom or outside the series."""
    order = rank_order(rank_code)
    if order is None or order == 0:
        return None
    return ADMIN_SERIES[order - 1]


def _d(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
