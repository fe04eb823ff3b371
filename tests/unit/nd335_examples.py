"""Worked examples of Decree 335/2025 rule set v1 (DESIGN.md §3.3), one row each, worked by hand.

Each row's ``why`` is the test id. Numbers are strings (read as Decimal). A task line is
``line(k, q, c, errors, delays, objective_cause)``; expected period figures are
``(quantity %, quality %, timeliness %, task points, total)``, each rounded half up from unrounded values.
The arithmetic of each row is in its comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from congvu.rules.nd335_2025 import DisciplineForm, Level, Override, Role, TaskLine

D = Decimal
STAFF, LEADER = Role.STAFF, Role.LEADER
EXC, GOOD, DONE, FAIL = Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED


def line(k: str, q: str | int, c: str | int, errors: int = 0, delays: int = 0, objective: bool = False) -> TaskLine:
    return TaskLine(coefficient=D(k), quantity=D(q), completed=D(c), errors=errors, delays=delays,
                    objective_cause=objective)


# ---- one period ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodExample:
    why: str
    role: Role
    general: str
    lines: tuple[TaskLine, ...]
    expected: tuple[str, str, str, str, str] | None  # None: no assigned work
    leader: tuple[str, str, str] | None = None  # d1, d2, d3


PERIODS = [
    # A = 6, done 6, quality 6 − 0.25·1.5·1 = 5.625, timely 6 → 100, 93.75, 100; 70·293.75/300 = 68.5416…
    PeriodExample("the issue's example: one report line with one major error", STAFF, "27",
                  (line("1.5", 4, 4, errors=1),), ("100.00", "93.75", "100.00", "68.54", "95.54")),
    PeriodExample("everything done on time without errors gives 70 task points", STAFF, "30",
                  (line("1", 10, 10), line("2", 5, 5)), ("100.00", "100.00", "100.00", "70.00", "100.00")),
    PeriodExample("no assigned work: no percentages, task points or total", STAFF, "25", (), None),
    PeriodExample("lines assigned with quantity zero are no assigned work", STAFF, "20", (line("1.5", 0, 3),), None),
    # c' = min(15, 10) = 10
    PeriodExample("over-delivery is capped at the assigned quantity", STAFF, "28",
                  (line("1", 10, 15),), ("100.00", "100.00", "100.00", "70.00", "98.00")),
    # A = 20, done 10 + 5 = 15 → 75 each; 70·225/300 = 52.5
    PeriodExample("over-delivery on one line does not make up for another line", STAFF, "20",
                  (line("1", 10, 15), line("1", 10, 5)), ("75.00", "75.00", "75.00", "52.50", "72.50")),
    # quality max(0, 2 − 0.25·2·5 = −0.5) = 0; 70·200/300 = 46.666…
    PeriodExample("errors beyond the floor cost at most the line (max 0)", STAFF, "30",
                  (line("2", 1, 1, errors=5),), ("100.00", "0.00", "100.00", "46.67", "76.67")),
    # A = 4, quality 0 + 3 = 3 → 75; 70·275/300 = 64.1666…
    PeriodExample("the floor is per line: the other line's quality is untouched", STAFF, "27",
                  (line("1", 1, 1, errors=6), line("1", 3, 3)), ("100.00", "75.00", "100.00", "64.17", "91.17")),
    PeriodExample("an objective cause waives errors and delays", STAFF, "26",
                  (line("1", 4, 4, errors=2, delays=3, objective=True),),
                  ("100.00", "100.00", "100.00", "70.00", "96.00")),
    # A = 8, timely 4 + (4 − 0.25·2·1) = 7.5 → 93.75; 70·293.75/300 = 68.5416…
    PeriodExample("an objective cause on one line does not waive another line's delay", STAFF, "24",
                  (line("1", 4, 4, errors=2, delays=3, objective=True), line("2", 2, 2, delays=1)),
                  ("100.00", "100.00", "93.75", "68.54", "92.54")),
    # timely 4 − 0.25·2 = 3.5 → 87.5; 70·287.5/300 = 67.0833…
    PeriodExample("each delay costs a quarter of one unit in timeliness", STAFF, "25",
                  (line("1", 4, 4, delays=2),), ("100.00", "100.00", "87.50", "67.08", "92.08")),
    # A = 6, done 3.6, quality 3.3 → 60, 55, 60; 70·175/300 = 40.8333…
    PeriodExample("partial completion with an error on the completed part", STAFF, "22",
                  (line("1.2", 5, 3, errors=1),), ("60.00", "55.00", "60.00", "40.83", "62.83")),
    # A = 9, done 8, quality 7.625, timely 7.5 → 88.88…, 84.72…, 83.33…; 70·2312.5/2700 = 59.9537…
    PeriodExample("repeating decimals: each figure is rounded from its unrounded value", STAFF, "27",
                  (line("1.5", 4, 4, errors=1), line("1", 3, 2, delays=2)),
                  ("88.89", "84.72", "83.33", "59.95", "86.95")),
    # A = 19, done 16, quality 15.75, timely 15.625 → 84.21…, 82.89…, 82.23684…; 70·4737.5/5700 = 58.1798…
    PeriodExample("a quarter with four product types of different coefficients", STAFF, "26",
                  (line("0.8", 10, 10), line("1", 6, 5, errors=1), line("1.5", 2, 2, delays=1), line("2", 1, 0)),
                  ("84.21", "82.89", "82.24", "58.18", "84.18")),
    # a = 100, b = 75, t = 74.75 → 70·249.75/300 = 58.275 exactly; total 78.275 exactly
    PeriodExample("task points and total exactly at .xx5 round half up", STAFF, "20",
                  (line("1", 400, 400, errors=400, delays=404),), ("100.00", "75.00", "74.75", "58.28", "78.28")),
    PeriodExample("general points with decimals: the total 79.775 rounds up", STAFF, "21.5",
                  (line("1", 400, 400, errors=400, delays=404),), ("100.00", "75.00", "74.75", "58.28", "79.78")),
    # a = b = t = 667/8 = 83.375 → 83.38, but task = 70·83.375/100 = 58.3625 → 58.36 (not 70·83.38/100 → 58.37)
    PeriodExample("task points come from the unrounded percentages, not the rounded ones", STAFF, "10",
                  (line("1", 800, 667),), ("83.38", "83.38", "83.38", "58.36", "68.36")),
    # mean(100, 100, 100, 100, 90, 100) = 98.333… → 70·590/600 = 68.8333…
    PeriodExample("a leader whose subordinates all pass (d1 = 100)", LEADER, "28",
                  (line("1", 10, 10),), ("100.00", "100.00", "100.00", "68.83", "96.83"), ("100", "90", "100")),
    # 70·540/600 = 63
    PeriodExample("a leader with a failing subordinate (d1 = 50)", LEADER, "28",
                  (line("1", 10, 10),), ("100.00", "100.00", "100.00", "63.00", "91.00"), ("50", "90", "100")),
    # A = 10, done 8, timely 7.5 → 80, 80, 75; 70·(80 + 80 + 75 + 100 + 80 + 90)/600 = 58.9166…
    PeriodExample("a leader's own work partly done and late", LEADER, "25",
                  (line("2", 5, 4, delays=1),), ("80.00", "80.00", "75.00", "58.92", "83.92"), ("100", "80", "90")),
    PeriodExample("a leader at every maximum gets 70 task points", LEADER, "30",
                  (line("1", 5, 5),), ("100.00", "100.00", "100.00", "70.00", "100.00"), ("100", "100", "100")),
    PeriodExample("a leader without assigned work of their own has no task score", LEADER, "27", (), None,
                  ("100", "100", "100")),
]


@dataclass(frozen=True)
class UnitResultExample:
    why: str
    subordinate_totals: tuple[str | None, ...]
    expected: str


UNIT_RESULTS = [
    UnitResultExample("every subordinate at or above 50 gives d1 = 100", ("50", "72.5", "90"), "100"),
    UnitResultExample("one subordinate below 50 gives d1 = 50", ("49.99", "80"), "50"),
    UnitResultExample("a subordinate without a task score is ignored for d1", (None, "60"), "100"),
    UnitResultExample("a leader without scored subordinates gets d1 = 100", (), "100"),
]


# ---- the year -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnnualExample:
    why: str
    totals: tuple[str | None, ...]
    score: str | None
    level: Level | None


ANNUALS = [
    AnnualExample("twelve months: the mean", ("80",) * 6 + ("90",) * 6, "85.00", GOOD),
    # (92 + 88 + 91)/3 = 90.333…; counting leave as 0 would give 54.2
    AnnualExample("leave months are left out of the mean", ("92", None, None, "88", "91"), "90.33", EXC),
    # (70 + 72 + 74 + 76 + 88 + 90 + 92 + 94)/8 = 82
    AnnualExample("a transfer: four months at the old unit and four at the new one in one mean",
                  ("70", "72", "74", "76", "88", "90", "92", "94"), "82.00", GOOD),
    AnnualExample("no worked period: no annual score and no level", (None, None, None), None, None),
    AnnualExample("no period at all: no annual score and no level", (), None, None),
    AnnualExample("the mean 89.995 rounds to 90.00 and the level is read from the rounded score",
                  ("89.99", "90"), "90.00", EXC),
    AnnualExample("69.9933… rounds to 69.99: completed, not good", ("69.99", "69.99", "70"), "69.99", DONE),
    AnnualExample("exactly 50 is completed", ("50",), "50.00", DONE),
    AnnualExample("47.495 rounds to 47.50: not completed", ("49.99", "45"), "47.50", FAIL),
    AnnualExample("four quarters: 91.125 rounds to 91.13", ("95", "91", "90", "88.5"), "91.13", EXC),
]


@dataclass(frozen=True)
class OverrideExample:
    why: str
    role: Role
    discipline: DisciplineForm | None
    degradation: bool
    unit_corruption: bool
    expected: Override | None


OVERRIDES = [
    OverrideExample("a reprimand forces not completed", STAFF, DisciplineForm.REPRIMAND, False, False,
                    Override.DISCIPLINE),
    OverrideExample("a warning forces not completed", STAFF, DisciplineForm.WARNING, False, False, Override.DISCIPLINE),
    OverrideExample("removal from post forces not completed", LEADER, DisciplineForm.REMOVAL, False, False,
                    Override.DISCIPLINE),
    OverrideExample("dismissal forces not completed", STAFF, DisciplineForm.DISMISSAL, False, False,
                    Override.DISCIPLINE),
    OverrideExample("a conclusion of degradation forces not completed", STAFF, None, True, False, Override.DEGRADATION),
    OverrideExample("a leader's unit handled for corruption forces not completed", LEADER, None, False, True,
                    Override.UNIT_CORRUPTION),
    OverrideExample("unit corruption is ignored for staff", STAFF, None, False, True, None),
    OverrideExample("nothing on record: no override", LEADER, None, False, False, None),
    OverrideExample("several reasons: the first in Art 20(4) order is reported", STAFF, DisciplineForm.WARNING, True,
                    False, Override.DEGRADATION),
    OverrideExample("a leader disciplined whose unit was also handled: discipline comes first", LEADER,
                    DisciplineForm.REPRIMAND, False, True, Override.DISCIPLINE),
]


@dataclass(frozen=True)
class QuotaCountExample:
    why: str
    excellent: int
    good: int
    ratio: str
    keep: int


QUOTA_COUNTS = [
    QuotaCountExample("3 excellent, 10 good: ⌊0.2·13/1.2⌋ = 2 stay", 3, 10, "0.2", 2),
    QuotaCountExample("1 excellent, 4 good: ⌊0.2·5/1.2⌋ = 0 (1 > 20 % of 5 after demotion too)", 1, 4, "0.2", 0),
    QuotaCountExample("1 excellent, 5 good: 1 stays (1 = 20 % of 5)", 1, 5, "0.2", 1),
    QuotaCountExample("no excellent: nothing to keep", 0, 10, "0.2", 0),
    QuotaCountExample("5 excellent and no good: none stays", 5, 0, "0.2", 0),
    QuotaCountExample("10 excellent, 50 good: all stay (10 = 20 % of 50)", 10, 50, "0.2", 10),
    QuotaCountExample("10 excellent, 49 good: 9 stay, then 9 ≤ 20 % of 50", 10, 49, "0.2", 9),
    QuotaCountExample("custom ratio 0.25: 4 excellent, 12 good: ⌊0.25·16/1.25⌋ = 3", 4, 12, "0.25", 3),
    QuotaCountExample("ratio 0: nobody stays excellent", 4, 12, "0", 0),
]


# ---- classification with overrides and the quota -------------------------------------------------------------


@dataclass(frozen=True)
class P:
    """A person of a classification example: id, unit, group, role, period totals and the override facts."""

    id: str
    totals: tuple[str | None, ...]
    unit: str = "Phòng Nội vụ"
    group: str = "chuyên môn"
    role: Role = STAFF
    discipline: DisciplineForm | None = None
    degradation: bool = False
    unit_corruption: bool = False


@dataclass(frozen=True)
class Outcome:
    level: Level | None
    demoted: bool = False
    tie: bool = False
    override: Override | None = None
    tie_seats: int = 0


def goods(prefix: str, n: int, score: str = "80", **kw: object) -> tuple[P, ...]:
    return tuple(P(f"{prefix}{i}", (score,), **kw) for i in range(n))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ClassifyExample:
    why: str
    people: tuple[P, ...]
    expected: dict[str, Outcome]  # the people not named here keep their level by score, undemoted
    ratio: str | None = None


KEPT, DEMOTED = Outcome(EXC), Outcome(GOOD, demoted=True)


def tied(seats: int) -> Outcome:
    return Outcome(GOOD, demoted=True, tie=True, tie_seats=seats)


CLASSIFICATIONS = [
    # E = 3, G = 10 → k = 2
    ClassifyExample("the quota demotes the lowest excellent: 3 excellent, 10 good, 2 stay",
                    (P("X1", ("95",)), P("X2", ("93",)), P("X3", ("91",)), *goods("G", 10)),
                    {"X1": KEPT, "X2": KEPT, "X3": DEMOTED}),
    # k = 2; 2nd and 3rd both 93 → tie; 95 is above the tie; 1 seat for two people
    ClassifyExample("a tie at the quota line is flagged, both provisionally good, one seat left",
                    (P("T1", ("95",)), P("T2", ("93",)), P("T3", ("93",)), *goods("G", 10)),
                    {"T1": KEPT, "T2": tied(1), "T3": tied(1)}),
    ClassifyExample("equal scores wholly inside the quota are not a tie",
                    (P("A", ("95",)), P("B", ("95",)), P("C", ("90",)), *goods("G", 10)),
                    {"A": KEPT, "B": KEPT, "C": DEMOTED}),
    # k = 3 of 4 excellent; 97 above; three at 92 tied for 2 seats
    ClassifyExample("a three-way tie for two seats",
                    (P("A", ("97",)), P("B", ("92",)), P("C", ("92",)), P("D", ("92",)), *goods("G", 14)),
                    {"A": KEPT, "B": tied(2), "C": tied(2), "D": tied(2)}),
    # k = 0: nobody can stay, so there is nothing for the head to decide
    ClassifyExample("a tie when no seat is left is no tie: all demoted",
                    (P("A", ("95",)), P("B", ("95",)), *goods("G", 2)), {"A": DEMOTED, "B": DEMOTED}),
    # (90.01 + 90)/2 = 90.005 → 90.01 = the other's 90.01; k = ⌊0.2·7/1.2⌋ = 1
    ClassifyExample("the quota ranks rounded annual scores: 90.005 and 90.01 are tied",
                    (P("A", ("90.01", "90")), P("B", ("90.01",)), *goods("G", 5)),
                    {"A": tied(1), "B": tied(1)}),
    # group chuyên môn: E 1, G 5 → keeps; group hỗ trợ: E 1, G 2 → 0. Pooled (E 2, G 7 → 1) would keep 96.
    ClassifyExample("two groups inside one unit have separate quotas",
                    (P("M", ("95",)), *goods("GM", 5), P("H", ("96",), group="hỗ trợ"),
                     *goods("GH", 2, group="hỗ trợ")),
                    {"M": KEPT, "H": DEMOTED}),
    ClassifyExample("the same group name in two units is two quota groups",
                    (P("M", ("95",)), *goods("GM", 5), P("H", ("96",), unit="Phòng Tài chính"),
                     *goods("GH", 2, unit="Phòng Tài chính")),
                    {"M": KEPT, "H": DEMOTED}),
    # after the overrides E = 1 (X1), G = 4 → k = 0. Counting Y as good (G = 5) would have kept X1.
    ClassifyExample("overridden people count neither as excellent nor as good",
                    (P("X1", ("95",)), P("X2", ("94",), discipline=DisciplineForm.REPRIMAND),
                     P("Y", ("85",), degradation=True), *goods("G", 4)),
                    {"X1": DEMOTED, "X2": Outcome(FAIL, override=Override.DISCIPLINE),
                     "Y": Outcome(FAIL, override=Override.DEGRADATION)}),
    ClassifyExample("a leader whose unit was handled for corruption fails at 96; a staff member with the flag does not",
                    (P("L", ("96",), role=LEADER, unit_corruption=True), P("S", ("96",), unit_corruption=True),
                     *goods("G", 5)),
                    {"L": Outcome(FAIL, override=Override.UNIT_CORRUPTION), "S": KEPT}),
    ClassifyExample("an override applies even without a worked period",
                    (P("A", (None, None), discipline=DisciplineForm.WARNING),),
                    {"A": Outcome(FAIL, override=Override.DISCIPLINE)}),
    ClassifyExample("a person without a worked period is unclassified and not counted",
                    (P("N", (None,)), P("X", ("91",)), *goods("G", 5)), {"N": Outcome(None), "X": KEPT}),
    # 0.25: k = ⌊0.25·16/1.25⌋ = 3 (with 0.2 it would be 2)
    ClassifyExample("a custom ratio of 0.25 keeps three of four",
                    (P("A", ("95",)), P("B", ("94",)), P("C", ("93",)), P("D", ("92",)), *goods("G", 12, "75")),
                    {"A": KEPT, "B": KEPT, "C": KEPT, "D": DEMOTED}, ratio="0.25"),
    ClassifyExample("completed and not completed levels are untouched by the quota",
                    (P("X", ("92",)), P("C", ("60",)), P("F", ("40",)), *goods("G", 4)),
                    {"X": DEMOTED, "C": Outcome(DONE), "F": Outcome(FAIL)}),
]


@dataclass(frozen=True)
class RoundExample:
    why: str
    value: str
    expected: str


ROUNDINGS = [
    RoundExample("83.335 rounds half up to 83.34", "83.335", "83.34"),
    RoundExample("83.345 rounds up to 83.35, not to the even 83.34", "83.345", "83.35"),
    RoundExample("0.005 rounds up to 0.01", "0.005", "0.01"),
    RoundExample("0.004999 rounds down to 0.00", "0.004999", "0.00"),
    RoundExample("99.995 rounds up to 100.00", "99.995", "100.00"),
    RoundExample("a negative half rounds away from zero", "-0.005", "-0.01"),
]


def count() -> int:
    return sum(len(t) for t in (PERIODS, UNIT_RESULTS, ANNUALS, OVERRIDES, QUOTA_COUNTS, CLASSIFICATIONS, ROUNDINGS))
