"""Redeployment of surplus staff after a restructuring (bố trí lại nhân sự dôi dư): who is surplus, where
each surplus person may go, how well a position fits them, and the optimal assignment.

Pure: the standard library and OR-Tools only (numpy is the array type OR-Tools' vectorised calls take). No
Django, no I/O, no clock (the solver's own duration is measured with ``time.perf_counter``). Certainty tags
are those of ``domain/regulations.md``: [C] confirmed, [I] our inference, [R] recalled, [U] unverified;
every number is a field of :class:`Parameters`, explained in :data:`PARAMETER_NOTES`.

Hard constraints, never broken (:func:`hard_constraint_failures`; codes in :data:`CONSTRAINTS`):

- ``rank``: the position's rank equals the person's, or is adjacent to it in the administrative series
  (``nd170_2025.next_higher_rank`` / ``next_lower_rank``; rank follows the job position, Decree 170 Arts
  21–24 [C] S29–S31; one step either way is our reading of "suitable" [I]). A position without a rank takes
  anyone the other constraints allow; a person without a rank only such positions [I].
- ``qualification``: the person's education level is at least what the position's rank requires, read from
  its salary group: A* → bachelor, B → intermediate, C → none [I] (``education_required``).
- ``category``: positions in a public service unit take public employees (viên chức); other units take
  cadres and civil servants; contract workers (người lao động) only support-group positions [I].
- ``leadership``: leadership positions are never filled by redeployment (appointment is its own procedure,
  Decree 170 [C]; that it is excluded here is [I]).
- ``seats`` and ``scope``: a position with no seat left, or outside the run's scope, takes no one; the solver
  uses a seat at most once and gives a person at most one position.

Fit (:func:`fit`, integer points, each part explained) [I, weights are ours]: same rank 40 / adjacent 20; the
latest published annual level (Decree 335) excellent 20, good 15, completed 10, not completed 0, none 8, plus
the annual score / 10 (floored) up to 10; same commune or same agency as now 20, neighbouring commune 10;
stated preference 1st 15, 2nd 10, 3rd 5.

Objective (:func:`solve`): place as many people as possible, then maximise Σ fit. It is one min-cost flow
(source → person → position → sink, OR-Tools ``SimpleMinCostFlow``) whose placement arcs cost
−(BIG + fit) with BIG = n · max_fit + 1 > any total fit, so the integer optimum is lexicographic and exact;
an arc source → sink carries the people left over at cost 0.

Feasible pairs are found through an index of the seats by rank (:func:`feasible_pairs`), never by testing
all pairs: each person looks only at the buckets of their own rank, the two adjacent ranks and the unranked
positions.

Who becomes surplus in an over-quota position (staff − quota people; :func:`surplus_order`) [I]: the lowest
latest level first, then the lowest annual score, then the most recent start in the position, then the
Vietnamese sort key (tên, chữ đệm, họ). The order is a parameter; the evidence shows it and HR can reject.

People left over (no feasible seat) are streamlining candidates under Decree 154/2025 Art 2(1) [C] S35b:
case a when their unit was dissolved, d when over quota after the rearrangement, e when their position was
abolished (:func:`case_letter`; the letters of d and e as regulations.md §3.3 reads them [C/I]).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from congvu.rules.nd170_2025 import ADMIN_SERIES_VI, next_higher_rank, next_lower_rank
from congvu.rules.nd335_2025 import Level

RULE_SET_ID = "redeployment.v1"

DECREE_154_CASES = "Nghị định 154/2025/NĐ-CP, Điều 2 khoản 1"
# Decree 154 Art 2(1) case letter for each reason a person is surplus [C] S35b (d, e: regulations.md §3.3).
CASE_BY_REASON = {"unit_dissolved": "a", "over_quota": "d", "position_abolished": "e"}

# Codes of the register (personnel.models): education lowest first, categories, job-position groups.
EDUCATION_ORDER: tuple[str, ...] = ("", "upper_secondary", "intermediate", "college", "bachelor", "master", "doctor")
EDUCATION_VI = {"": "chưa có", "upper_secondary": "trung học phổ thông", "intermediate": "trung cấp",
                "college": "cao đẳng", "bachelor": "đại học", "master": "thạc sĩ", "doctor": "tiến sĩ"}
CATEGORIES = ("cadre", "civil_servant", "public_employee", "contract")
GROUPS = ("leadership", "professional", "support")
LEADERSHIP = "leadership"
SUPPORT = "support"
_EDUCATION_RANK = {code: i for i, code in enumerate(EDUCATION_ORDER)}
LEVEL_VI = {level.value: level.label_vi for level in Level}
SURPLUS_KEYS = frozenset({"level", "score", "recent_start", "name"})

# code → (label_vi, label_en, basis): the hard constraints, in the order they are checked.
CONSTRAINTS: dict[str, tuple[str, str, str]] = {
    "scope": ("Vị trí thuộc phạm vi của đợt bố trí", "Position within the run's scope", "[I]"),
    "leadership": ("Không bố trí vào vị trí lãnh đạo, quản lý (bổ nhiệm là thủ tục riêng)",
                   "No leadership position (appointment is its own procedure)", "Nghị định 170/2025 [C]; [I]"),
    "seats": ("Vị trí còn chỉ tiêu trống", "Position has a seat left", "Nghị định 170/2025, Điều 23 [C]"),
    "rank": ("Ngạch của vị trí bằng hoặc liền kề ngạch đang giữ", "Position's rank equal or adjacent",
             "Nghị định 170/2025, Điều 21–24 [C]; liền kề: [I]"),
    "qualification": ("Trình độ đào tạo đạt yêu cầu của ngạch", "Education meets the rank's requirement", "[I]"),
    "category": ("Loại cán bộ phù hợp với đơn vị và nhóm vị trí", "Category allowed in the unit and group", "[I]"),
}


@dataclass(frozen=True)
class Parameters:
    """Every weight and choice of the rule set; sources and certainty in :data:`PARAMETER_NOTES`."""

    same_rank: int = 40
    adjacent_rank: int = 20
    unranked_position: int = 0
    allow_adjacent_rank: bool = True
    level_points: tuple[tuple[str, int], ...] = (
        (Level.EXCELLENT.value, 20), (Level.GOOD.value, 15), (Level.COMPLETED.value, 10),
        (Level.NOT_COMPLETED.value, 0))
    no_level: int = 8
    score_divisor: int = 10
    score_max: int = 10
    same_place: int = 20
    neighbouring_commune: int = 10
    preference_points: tuple[int, ...] = (15, 10, 5)
    # salary-group prefix → lowest education; the longest matching prefix wins; no match → none required
    education_required: tuple[tuple[str, str], ...] = (("A", "bachelor"), ("B", "intermediate"), ("C", ""))
    surplus_keys: tuple[str, ...] = ("level", "score", "recent_start", "name")

    def __post_init__(self) -> None:
        for name in ("same_rank", "adjacent_rank", "unranked_position", "no_level", "score_max", "same_place",
                     "neighbouring_commune"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must be ≥ 0")
        if self.score_divisor <= 0:
            raise ValueError("score_divisor: must be > 0")
        if any(points < 0 for points in self.preference_points) or any(p < 0 for _, p in self.level_points):
            raise ValueError("preference_points, level_points: must be ≥ 0")
        if {lv for lv, _ in self.level_points} != {lv.value for lv in Level}:
            raise ValueError("level_points: one entry per Decree 335 level")
        if any(level not in _EDUCATION_RANK for _, level in self.education_required):
            raise ValueError(f"education_required: levels must be among {EDUCATION_ORDER}")
        if not set(self.surplus_keys) <= SURPLUS_KEYS:
            raise ValueError(f"surplus_keys: only {sorted(SURPLUS_KEYS)}")

    @property
    def max_fit(self) -> int:
        """The most points one pair can score (BIG in :func:`solve` is built from it)."""
        evaluation = max(self.no_level, *(p for _, p in self.level_points)) + self.score_max
        place = max(self.same_place, self.neighbouring_commune)
        rank = max(self.same_rank, self.adjacent_rank, self.unranked_position)
        return rank + evaluation + place + max(self.preference_points, default=0)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe, for the run's record."""
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


DEFAULT = Parameters()

# field → (meaning, source with certainty tag)
PARAMETER_NOTES: dict[str, tuple[str, str]] = {
    "same_rank": ("points when the position's rank is the person's", "our weight [I]; rank follows position, "
                  "Decree 170 Arts 21–24 [C]"),
    "adjacent_rank": ("points when the position's rank is one step above or below", "our weight [I]"),
    "unranked_position": ("rank points for a position without a rank", "our weight [I]"),
    "allow_adjacent_rank": ("adjacent ranks of the administrative series are feasible (else only the same)",
                            "our reading of 'suitable rank' [I]; series per regulations.md §4.1 [C]"),
    "level_points": ("points for the latest published annual level (Decree 335): 20/15/10/0",
                     "issue 6 'latest evaluation level' [I]; levels Decree 335 Art 20 [C]"),
    "no_level": ("points when no published level exists (between completed and not completed)", "[I]"),
    "score_divisor": ("annual score points = floor(score / divisor)", "[I]"),
    "score_max": ("cap of the annual score points", "[I]"),
    "same_place": ("points for the same commune or the same agency as now", "[I]"),
    "neighbouring_commune": ("points for a commune bordering the current one (AreaNeighbour)", "[I]"),
    "preference_points": ("points for the person's stated 1st, 2nd, 3rd preference (a unit or its parent)", "[I]"),
    "education_required": ("lowest education by salary group: A* bachelor, B intermediate, C none",
                           "Decree 204/2004 groups by training level [R]; mapping [I]"),
    "surplus_keys": ("order in which staff of an over-quota position become surplus: lowest level, lowest "
                     "score, most recent start in the position, Vietnamese name order",
                     "regulations.md §3.4 step 3 (rank by the latest ratings) [I]"),
}


def parameter_rows(params: Parameters = DEFAULT) -> list[tuple[str, str, str, str]]:
    """(field, value, meaning, source) for the documentation."""
    return [(f.name, str(getattr(params, f.name)), *PARAMETER_NOTES[f.name]) for f in fields(params)]


@dataclass(frozen=True)
class Candidate:
    """A surplus person (or, for :func:`surplus_order`, anyone in an over-quota position)."""

    id: int
    rank_code: str = ""
    education: str = ""
    category: str = "civil_servant"
    level: str | None = None
    score: Decimal | None = None
    unit_id: int | None = None
    agency_id: int | None = None
    area_id: int | None = None  # the current unit's commune, if any
    neighbour_areas: frozenset[int] = frozenset()
    preferences: tuple[int, ...] = ()  # unit ids, 1st choice first
    start_in_position: date | None = None
    sort_key: str = ""

    def __post_init__(self) -> None:
        if self.education not in _EDUCATION_RANK:
            raise ValueError(f"education: unknown level {self.education!r}")
        if self.category not in CATEGORIES:
            raise ValueError(f"category: unknown category {self.category!r}")
        if self.level is not None and self.level not in LEVEL_VI:
            raise ValueError(f"level: unknown level {self.level!r}")


@dataclass(frozen=True)
class Seat:
    """A job position with ``seats`` vacancies left (quota − staff − people already on their way)."""

    id: int
    unit_id: int
    seats: int = 1
    rank_code: str = ""
    salary_group: str = ""
    group: str = "professional"
    public_service: bool = False
    agency_id: int | None = None
    area_id: int | None = None
    units: frozenset[int] = frozenset()  # the unit and its ancestors: a preference for any of them counts
    in_scope: bool = True

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"group: unknown job-position group {self.group!r}")


@dataclass(frozen=True)
class FitPart:
    key: str
    label_vi: str
    label_en: str
    points: int
    why: str


@dataclass(frozen=True)
class Fit:
    points: int
    parts: tuple[FitPart, ...]


@dataclass(frozen=True)
class Solution:
    """``assignment``: candidate id → position id, or None when left over; ``fits``: the placed pairs' fit;
    ``seconds``: the whole of :func:`solve`, of which ``flow_seconds`` inside OR-Tools' solver."""

    assignment: dict[int, int | None]
    fits: dict[int, int]
    placed: int
    objective: int
    pairs: int
    seconds: float
    big: int
    flow_seconds: float = 0.0



# ---- hard constraints ------------------------------------------------------------------------------------------


def required_education(salary_group: str, params: Parameters = DEFAULT) -> str:
    """The lowest education for a salary group ("A1" → bachelor); the longest matching prefix wins."""
    best, best_len = "", -1
    for prefix, level in params.education_required:
        if salary_group.startswith(prefix) and len(prefix) > best_len:
            best, best_len = level, len(prefix)
    return best


def rank_relation(person_rank: str, position_rank: str, params: Parameters = DEFAULT) -> str | None:
    """"same", "adjacent", "unranked" (the position has no rank) or None (not allowed)."""
    if not position_rank:
        return "unranked"
    if not person_rank:
        return None
    if person_rank == position_rank:
        return "same"
    if params.allow_adjacent_rank and position_rank in (next_higher_rank(person_rank), next_lower_rank(person_rank)):
        return "adjacent"
    return None


def category_allows(category: str, public_service: bool, group: str) -> bool:
    if category == "contract":
        return group == SUPPORT
    if public_service:
        return category == "public_employee"
    return category in ("cadre", "civil_servant")


def qualified(education: str, salary_group: str, params: Parameters = DEFAULT) -> bool:
    return _EDUCATION_RANK[education] >= _EDUCATION_RANK[required_education(salary_group, params)]


def hard_constraint_failures(c: Candidate, s: Seat, params: Parameters = DEFAULT) -> list[str]:
    """The codes of :data:`CONSTRAINTS` that placing ``c`` in ``s`` breaks; empty means feasible."""
    failures: list[str] = []
    if not s.in_scope:
        failures.append("scope")
    if s.group == LEADERSHIP:
        failures.append("leadership")
    if s.seats <= 0:
        failures.append("seats")
    if rank_relation(c.rank_code, s.rank_code, params) is None:
        failures.append("rank")
    if not qualified(c.education, s.salary_group, params):
        failures.append("qualification")
    if not category_allows(c.category, s.public_service, s.group):
        failures.append("category")
    return failures


def failure_messages(codes: list[str]) -> list[str]:
    """Vietnamese sentences for failure codes (for an error shown to HR)."""
    return [f"Không đáp ứng: {CONSTRAINTS[code][0].lower()}." for code in codes]


# ---- fit -------------------------------------------------------------------------------------------------------


def _rank_points(c: Candidate, s: Seat, params: Parameters) -> int:
    relation = rank_relation(c.rank_code, s.rank_code, params)
    if relation == "same":
        return params.same_rank
    if relation == "adjacent":
        return params.adjacent_rank
    return params.unranked_position if relation == "unranked" else 0


def evaluation_points(c: Candidate, params: Parameters = DEFAULT) -> int:
    """Level points plus floor(score / divisor) up to the cap; the same for every seat of the person."""
    return _level_points(c, params) + _score_points(c, params)


def _level_points(c: Candidate, params: Parameters) -> int:
    if c.level is None:
        return params.no_level
    return dict(params.level_points)[c.level]


def _score_points(c: Candidate, params: Parameters) -> int:
    if c.score is None or c.score <= 0:
        return 0
    return min(params.score_max, int(c.score // params.score_divisor))


def _place_points(c: Candidate, s: Seat, params: Parameters) -> int:
    if (c.area_id is not None and c.area_id == s.area_id) or (c.agency_id is not None and c.agency_id == s.agency_id):
        return params.same_place
    if s.area_id is not None and s.area_id in c.neighbour_areas:
        return params.neighbouring_commune
    return 0


def _preference_index(c: Candidate, s: Seat) -> int | None:
    for index, unit in enumerate(c.preferences):
        if unit == s.unit_id or unit in s.units:
            return index
    return None


def _preference_points(c: Candidate, s: Seat, params: Parameters) -> int:
    index = _preference_index(c, s)
    if index is None or index >= len(params.preference_points):
        return 0
    return params.preference_points[index]


def fit_points(c: Candidate, s: Seat, params: Parameters = DEFAULT) -> int:
    """The total of :func:`fit` without its explanation (the solver's hot path)."""
    return (_rank_points(c, s, params) + evaluation_points(c, params) + _place_points(c, s, params)
            + _preference_points(c, s, params))


def fit(c: Candidate, s: Seat, params: Parameters = DEFAULT) -> Fit:
    """The fit of ``c`` in ``s`` with each part and why (the hard constraints are checked separately)."""
    parts = (_rank_part(c, s, params), _level_part(c, params), _score_part(c, params), _place_part(c, s, params),
             _preference_part(c, s, params))
    return Fit(sum(p.points for p in parts), parts)


def _rank_name(code: str) -> str:
    return f"{code} {ADMIN_SERIES_VI[code]}" if code in ADMIN_SERIES_VI else code


def _rank_part(c: Candidate, s: Seat, params: Parameters) -> FitPart:
    relation = rank_relation(c.rank_code, s.rank_code, params)
    why = {
        "same": f"cùng ngạch {_rank_name(s.rank_code)}",
        "adjacent": f"ngạch của vị trí {_rank_name(s.rank_code)} liền kề ngạch đang giữ {_rank_name(c.rank_code)}",
        "unranked": "vị trí không quy định ngạch",
    }.get(relation or "", "ngạch không phù hợp")
    return FitPart("rank", "Ngạch", "Rank", _rank_points(c, s, params), why)


def _level_part(c: Candidate, params: Parameters) -> FitPart:
    why = f"xếp loại gần nhất: {LEVEL_VI[c.level].lower()}" if c.level else "chưa có kết quả xếp loại đã công bố"
    return FitPart("level", "Xếp loại chất lượng gần nhất", "Latest annual level", _level_points(c, params), why)


def _score_part(c: Candidate, params: Parameters) -> FitPart:
    if c.score is None:
        why = "chưa có điểm đánh giá năm"
    else:
        shown = format(c.score.normalize(), "f").replace(".", ",") if c.score else "0"
        why = f"điểm năm {shown} / {params.score_divisor}, tối đa {params.score_max}"
    return FitPart("score", "Điểm đánh giá năm", "Annual score", _score_points(c, params), why)


def _place_part(c: Candidate, s: Seat, params: Parameters) -> FitPart:
    points = _place_points(c, s, params)
    if c.area_id is not None and c.area_id == s.area_id:
        why = "cùng xã, phường như hiện nay"
    elif c.agency_id is not None and c.agency_id == s.agency_id:
        why = "cùng cơ quan, đơn vị như hiện nay"
    elif points:
        why = "xã, phường liền kề nơi công tác hiện nay"
    else:
        why = "khác cơ quan và không liền kề"
    return FitPart("place", "Nơi công tác", "Place of work", points, why)


def _preference_part(c: Candidate, s: Seat, params: Parameters) -> FitPart:
    index = _preference_index(c, s)
    why = f"nguyện vọng {index + 1}" if index is not None else "không thuộc nguyện vọng đã đăng ký"
    return FitPart("preference", "Nguyện vọng", "Stated preference", _preference_points(c, s, params), why)


# ---- feasible pairs and the solver ------------------------------------------------------------------------------

_BucketKey = tuple[str, bool, str]  # salary group, public service unit, job-position group


def _seat_index(seats: list[Seat]) -> dict[str, dict[_BucketKey, list[int]]]:
    """Seats that can take anyone, by rank, then by what the other constraints read."""
    index: dict[str, dict[_BucketKey, list[int]]] = defaultdict(lambda: defaultdict(list))
    for j, s in enumerate(seats):
        if s.in_scope and s.seats > 0 and s.group != LEADERSHIP:
            index[s.rank_code][(s.salary_group, s.public_service, s.group)].append(j)
    return index


def ranks_to_look_at(c: Candidate, params: Parameters) -> list[str]:
    ranks = [""]
    if c.rank_code:
        ranks.append(c.rank_code)
        if params.allow_adjacent_rank:
            ranks.extend(r for r in (next_higher_rank(c.rank_code), next_lower_rank(c.rank_code)) if r)
    return ranks


def feasible_pairs(candidates: list[Candidate], seats: list[Seat], params: Parameters = DEFAULT) -> list[list[int]]:
    """For each candidate (same order), the indexes into ``seats`` it may take, ascending.

    Built from an index of the seats by rank: a candidate visits only the buckets of its own rank, the adjacent
    ranks and the unranked positions, and checks category and qualification once per bucket, so the work is
    proportional to the feasible pairs, not to candidates × seats.
    """
    index = _seat_index(seats)
    out: list[list[int]] = []
    for c in candidates:
        found: list[int] = []
        for rank in ranks_to_look_at(c, params):
            for (salary_group, public_service, group), js in index.get(rank, {}).items():
                if category_allows(c.category, public_service, group) and qualified(c.education, salary_group, params):
                    found.extend(js)
        found.sort()
        out.append(found)
    return out


def solve(candidates: list[Candidate], seats: list[Seat], params: Parameters = DEFAULT, *,
          pairs: list[list[int]] | None = None) -> Solution:
    """The assignment that places the most people and, among those, has the largest Σ fit (exact)."""
    started = time.perf_counter()
    pairs = feasible_pairs(candidates, seats, params) if pairs is None else pairs
    n, m = len(candidates), len(seats)
    big = max(n, 1) * params.max_fit + 1
    source, sink = 0, n + m + 1
    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []
    for i, (c, js) in enumerate(zip(candidates, pairs, strict=True)):
        evaluation = evaluation_points(c, params)
        for j in js:
            s = seats[j]
            tails.append(1 + i)
            heads.append(1 + n + j)
            costs.append(-(big + evaluation + _rank_points(c, s, params) + _place_points(c, s, params)
                           + _preference_points(c, s, params)))
    n_pairs = len(tails)
    flow = min_cost_flow.SimpleMinCostFlow()
    if n_pairs:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32), np.array(heads, dtype=np.int32), np.ones(n_pairs, dtype=np.int64),
            np.array(costs, dtype=np.int64))
    _add_frame(flow, candidates, seats, source, sink)
    flow_started = time.perf_counter()
    status = flow.solve()
    flow_seconds = time.perf_counter() - flow_started
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach the optimum (status {status})")
    assignment: dict[int, int | None] = {c.id: None for c in candidates}
    fits: dict[int, int] = {}
    used = flow.flows(np.arange(n_pairs, dtype=np.int32)) if n_pairs else np.zeros(0, dtype=np.int64)
    for arc in np.nonzero(used)[0].tolist():
        c, s = candidates[tails[arc] - 1], seats[heads[arc] - 1 - n]
        assignment[c.id] = s.id
        fits[c.id] = -costs[arc] - big
    return Solution(assignment, fits, len(fits), sum(fits.values()), n_pairs,
                    time.perf_counter() - started, big, flow_seconds)


def _add_frame(flow: min_cost_flow.SimpleMinCostFlow, candidates: list[Candidate], seats: list[Seat],
               source: int, sink: int) -> None:
    """Source → each person (1), each position → sink (its seats), source → sink (the people left over);
    the source supplies one unit per person and the sink takes them all."""
    n = len(candidates)
    for i in range(n):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + i, 1, 0)
    for j, s in enumerate(seats):
        flow.add_arc_with_capacity_and_unit_cost(1 + n + j, sink, max(s.seats, 0), 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n, 0)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)


def max_placeable(candidates: list[Candidate], seats: list[Seat], pairs: list[list[int]]) -> int:
    """The maximum number of people that can be placed at all (a max-flow, fit ignored): the check that
    :func:`solve` puts placement first."""
    n, m = len(candidates), len(seats)
    source, sink = n + m, n + m + 1
    flow = max_flow.SimpleMaxFlow()
    for i, js in enumerate(pairs):
        flow.add_arc_with_capacity(source, i, 1)
        for j in js:
            flow.add_arc_with_capacity(i, n + j, 1)
    for j, s in enumerate(seats):
        flow.add_arc_with_capacity(n + j, sink, max(s.seats, 0))
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow did not reach the optimum")
    return int(flow.optimal_flow())


# ---- who becomes surplus ---------------------------------------------------------------------------------------


def surplus_order(c: Candidate, params: Parameters = DEFAULT) -> tuple[Any, ...]:
    """Sort key: the staff of an over-quota position sorted by it become surplus from the first on."""
    key: list[Any] = []
    for name in params.surplus_keys:
        if name == "level":
            key.append(_level_points(c, params))
        elif name == "score":
            key.append(c.score if c.score is not None else Decimal(0))
        elif name == "recent_start":
            key.append(-c.start_in_position.toordinal() if c.start_in_position else 0)
        else:
            key.append(c.sort_key)
    key.append(c.id)  # a total order: the same input always gives the same surplus
    return tuple(key)


def select_surplus(staff: list[Candidate], quota: int, params: Parameters = DEFAULT) -> list[Candidate]:
    """The ``len(staff) − quota`` people who become surplus, in :func:`surplus_order`."""
    over = len(staff) - max(quota, 0)
    return sorted(staff, key=lambda c: surplus_order(c, params))[:over] if over > 0 else []


def surplus_why(params: Parameters = DEFAULT) -> str:
    """The order in words, for the evidence."""
    words = {"level": "xếp loại gần nhất thấp hơn", "score": "điểm đánh giá năm thấp hơn",
             "recent_start": "mới bắt đầu ở vị trí gần đây hơn", "name": "thứ tự tên tiếng Việt"}
    return "Xác định người dôi dư theo thứ tự: " + ", rồi ".join(words[k] for k in params.surplus_keys) + " [I]."


def case_letter(reason: str) -> str:
    """Decree 154 Art 2(1) case of a person left over: a (unit dissolved), d (over quota), e (position
    abolished)."""
    return CASE_BY_REASON[reason]
