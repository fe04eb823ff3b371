"""Redeployment rules (congvu.rules.redeployment): worked fit examples, the hard constraints, who becomes
surplus, and the solver checked against an exhaustive search and by properties."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.rules.redeployment import (
    CONSTRAINTS,
    DEFAULT,
    PARAMETER_NOTES,
    Candidate,
    Parameters,
    Seat,
    case_letter,
    feasible_pairs,
    fit,
    fit_points,
    hard_constraint_failures,
    max_placeable,
    parameter_rows,
    required_education,
    select_surplus,
    solve,
    surplus_order,
)

CV, CVC, CS, NV = "01.003", "01.002", "01.004", "01.005"  # chuyên viên, chính, cán sự, nhân viên
GROUP = {CV: "A1", CVC: "A2.1", CS: "A0", NV: "B", "": ""}


def person(**kw: Any) -> Candidate:
    base: dict[str, Any] = {"id": 1, "rank_code": CV, "education": "bachelor", "category": "civil_servant"}
    return Candidate(**(base | kw))


def seat(**kw: Any) -> Seat:
    base: dict[str, Any] = {"id": 10, "unit_id": 100, "rank_code": CV}
    merged = base | kw
    merged.setdefault("salary_group", GROUP.get(merged["rank_code"], ""))
    return Seat(**merged)


# ---- fit ----------------------------------------------------------------------------------------------------

FIT_EXAMPLES = [
    # (what, candidate, seat, total, {part: points})
    ("same rank, good 88.5, same agency", person(level="GOOD", score=Decimal("88.5"), agency_id=5),
     seat(agency_id=5), 83, {"rank": 40, "level": 15, "score": 8, "place": 20, "preference": 0}),
    ("adjacent rank, excellent 96, neighbouring commune, 1st choice",
     person(level="EXCELLENT", score=Decimal(96), area_id=7, neighbour_areas=frozenset({8}), preferences=(200,)),
     seat(rank_code=CVC, area_id=8, unit_id=201, units=frozenset({200, 201})),
     20 + 20 + 9 + 10 + 15, {"rank": 20, "level": 20, "score": 9, "place": 10, "preference": 15}),
    ("no published level: 8 points, no score", person(), seat(), 48,
     {"rank": 40, "level": 8, "score": 0, "place": 0, "preference": 0}),
    ("not completed, 45 points, same commune, 3rd choice",
     person(level="NOT_COMPLETED", score=Decimal(45), area_id=7, preferences=(1, 2, 100)), seat(area_id=7),
     40 + 0 + 4 + 20 + 5, {"rank": 40, "level": 0, "score": 4, "place": 20, "preference": 5}),
    ("score 100 gives the cap of 10; unranked position gives no rank points",
     person(level="COMPLETED", score=Decimal(100), preferences=(9, 100)), seat(rank_code=""),
     0 + 10 + 10 + 0 + 10, {"rank": 0, "level": 10, "score": 10, "place": 0, "preference": 10}),
    ("a 4th preference counts nothing", person(preferences=(1, 2, 3, 100)), seat(), 48,
     {"rank": 40, "level": 8, "score": 0, "place": 0, "preference": 0}),
]


@pytest.mark.parametrize(("what", "c", "s", "total", "parts"), FIT_EXAMPLES, ids=[e[0] for e in FIT_EXAMPLES])
def test_the_fit_of_worked_examples_adds_up_its_explained_parts(
    what: str, c: Candidate, s: Seat, total: int, parts: dict[str, int]
) -> None:
    got = fit(c, s)
    assert got.points == total == fit_points(c, s)
    assert {p.key: p.points for p in got.parts} == parts
    assert all(p.why and p.label_vi and p.label_en for p in got.parts)


def test_the_fit_explains_itself_in_vietnamese() -> None:
    got = fit(FIT_EXAMPLES[1][1], FIT_EXAMPLES[1][2])
    why = {p.key: p.why for p in got.parts}
    assert why["rank"] == "ngạch của vị trí 01.002 Chuyên viên chính liền kề ngạch đang giữ 01.003 Chuyên viên"
    assert why["score"] == "điểm năm 96 / 10, tối đa 10"
    assert why["place"] == "xã, phường liền kề nơi công tác hiện nay"
    assert why["preference"] == "nguyện vọng 1"


# ---- hard constraints ---------------------------------------------------------------------------------------

CONSTRAINT_EXAMPLES = [
    ("same rank", person(), seat(), []),
    ("one rank up", person(), seat(rank_code=CVC), []),
    ("one rank down", person(), seat(rank_code=CS, salary_group="A0"), []),
    ("two ranks up", person(), seat(rank_code="01.001", salary_group="A3.1"), ["rank"]),
    ("rank outside the series, not equal", person(rank_code="V.07.01.03"), seat(), ["rank"]),
    ("a person without rank takes only an unranked position", person(rank_code=""), seat(), ["rank"]),
    ("an unranked position takes anyone", person(rank_code="V.07.01.03"), seat(rank_code=""), []),
    ("college is below bachelor (A1)", person(education="college"), seat(), ["qualification"]),
    ("intermediate suffices for B", person(rank_code=NV, education="intermediate"), seat(rank_code=NV), []),
    ("upper secondary is below B", person(rank_code=NV, education="upper_secondary"), seat(rank_code=NV),
     ["qualification"]),
    ("nothing is required for C", person(rank_code="01.011", education=""),
     seat(rank_code="01.011", salary_group="C1"), []),
    ("a civil servant in a public service unit", person(), seat(public_service=True), ["category"]),
    ("a public employee in a public service unit", person(category="public_employee"), seat(public_service=True), []),
    ("a public employee in an agency", person(category="public_employee"), seat(), ["category"]),
    ("a cadre in an agency", person(category="cadre"), seat(), []),
    ("a contract worker in a professional position", person(category="contract"), seat(), ["category"]),
    ("a contract worker in a support position", person(category="contract"), seat(group="support"), []),
    ("a contract worker in a support position of a public service unit", person(category="contract"),
     seat(group="support", public_service=True), []),
    ("never a leadership position", person(), seat(group="leadership"), ["leadership"]),
    ("no seat left", person(), seat(seats=0), ["seats"]),
    ("outside the run's scope", person(), seat(in_scope=False), ["scope"]),
    ("several at once", person(education="", category="contract"), seat(rank_code="01.001", salary_group="A3.1"),
     ["rank", "qualification", "category"]),
]


@pytest.mark.parametrize(("what", "c", "s", "failures"), CONSTRAINT_EXAMPLES, ids=[e[0] for e in CONSTRAINT_EXAMPLES])
def test_hard_constraints_from_a_table(what: str, c: Candidate, s: Seat, failures: list[str]) -> None:
    assert hard_constraint_failures(c, s) == failures
    assert set(failures) <= set(CONSTRAINTS)


@pytest.mark.parametrize(("group", "level"), [("A3.1", "bachelor"), ("A1", "bachelor"), ("A0", "bachelor"),
                                              ("B", "intermediate"), ("C2", ""), ("", "")])
def test_the_education_required_follows_the_salary_group(group: str, level: str) -> None:
    assert required_education(group) == level


def test_a_longer_prefix_of_the_education_parameter_wins() -> None:
    params = Parameters(education_required=(("A", "bachelor"), ("A0", "college"), ("B", "intermediate")))
    assert required_education("A0", params) == "college"
    assert hard_constraint_failures(person(education="college"), seat(rank_code=CS, salary_group="A0"), params) == []


def test_adjacent_ranks_can_be_switched_off() -> None:
    assert hard_constraint_failures(person(), seat(rank_code=CVC), Parameters(allow_adjacent_rank=False)) == ["rank"]


# ---- who becomes surplus -----------------------------------------------------------------------------------------


def test_the_surplus_are_the_lowest_level_then_score_then_most_recent_then_name() -> None:
    staff = [
        person(id=1, level="GOOD", score=Decimal(85), start_in_position=date(2020, 1, 1), sort_key="b"),
        person(id=2, level="COMPLETED", score=Decimal(72), start_in_position=date(2019, 1, 1), sort_key="a"),
        person(id=3, level="COMPLETED", score=Decimal(60), start_in_position=date(2018, 1, 1), sort_key="c"),
        person(id=4, level="GOOD", score=Decimal(85), start_in_position=date(2024, 1, 1), sort_key="d"),
        person(id=5, level="GOOD", score=Decimal(85), start_in_position=date(2024, 1, 1), sort_key="c"),
        person(id=6, level=None, start_in_position=date(2010, 1, 1), sort_key="e"),
        person(id=7, level="NOT_COMPLETED", score=Decimal(40), sort_key="f"),
    ]
    order = [c.id for c in sorted(staff, key=surplus_order)]
    assert order == [7, 6, 3, 2, 5, 4, 1]
    assert [c.id for c in select_surplus(staff, quota=4)] == [7, 6, 3]
    assert select_surplus(staff, quota=7) == []


def test_the_surplus_order_is_a_parameter() -> None:
    a = person(id=1, level="GOOD", start_in_position=date(2024, 1, 1))
    b = person(id=2, level="COMPLETED", start_in_position=date(2010, 1, 1))
    assert [c.id for c in select_surplus([a, b], 1)] == [2]
    assert [c.id for c in select_surplus([a, b], 1, Parameters(surplus_keys=("recent_start", "level")))] == [1]


@pytest.mark.parametrize(("reason", "letter"), [("unit_dissolved", "a"), ("over_quota", "d"),
                                                ("position_abolished", "e")])
def test_a_person_left_over_gets_the_decree_154_case_of_why_they_are_surplus(reason: str, letter: str) -> None:
    assert case_letter(reason) == letter


def test_every_parameter_has_its_source() -> None:
    assert {row[0] for row in parameter_rows()} == set(PARAMETER_NOTES)
    assert DEFAULT.max_fit == 40 + 20 + 10 + 20 + 15


@pytest.mark.parametrize("kw", [{"same_rank": -1}, {"score_divisor": 0}, {"surplus_keys": ("age",)},
                                {"level_points": (("GOOD", 1),)}, {"education_required": (("A", "phd"),)}])
def test_parameters_out_of_range_are_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(kw))):
        Parameters(**kw)


def test_an_unknown_category_or_education_is_refused() -> None:
    with pytest.raises(ValueError, match="category"):
        person(category="soldier")
    with pytest.raises(ValueError, match="education"):
        person(education="phd")


# ---- the solver ---------------------------------------------------------------------------------------------------


def test_placing_more_people_beats_a_higher_total_fit() -> None:
    """A (excellent, same agency, prefers P) fits P best, and A in P alone scores more than A in Q plus B in P;
    but then B, who may only take P, is left over: the optimum places both."""
    a = person(id=1, level="EXCELLENT", score=Decimal(99), agency_id=5, preferences=(101,))
    b = person(id=2, rank_code=CS)
    p = seat(id=10, unit_id=101, agency_id=5)
    q = seat(id=11, unit_id=102, rank_code=CVC)
    assert fit_points(a, p) > fit_points(a, q) + fit_points(b, p)
    sol = solve([a, b], [p, q])
    assert sol.assignment == {1: 11, 2: 10}
    assert (sol.placed, sol.objective) == (2, fit_points(a, q) + fit_points(b, p))


def test_nobody_and_nothing_is_a_valid_instance() -> None:
    assert solve([], []).placed == 0
    sol = solve([person()], [])
    assert sol.assignment == {1: None}
    assert (sol.placed, sol.objective, sol.pairs) == (0, 0, 0)


def _random_instance(rng: random.Random) -> tuple[list[Candidate], list[Seat]]:
    ranks = [CV, CVC, CS, NV, ""]
    levels = [None, "EXCELLENT", "GOOD", "COMPLETED", "NOT_COMPLETED"]
    people = [
        Candidate(
            id=i, rank_code=rng.choice(ranks[:4]), education=rng.choice(["intermediate", "bachelor", "bachelor"]),
            category=rng.choice(["civil_servant", "civil_servant", "public_employee", "contract"]),
            level=rng.choice(levels), score=Decimal(rng.randint(30, 99)) if rng.random() < 0.8 else None,
            agency_id=rng.randint(1, 3), area_id=rng.randint(1, 4), neighbour_areas=frozenset({rng.randint(1, 4)}),
            preferences=tuple(rng.sample(range(100, 106), rng.randint(0, 3))),
        )
        for i in range(1, rng.randint(1, 7) + 1)
    ]
    seats = []
    for j in range(rng.randint(1, 6)):
        rank = rng.choice(ranks)
        seats.append(Seat(
            id=50 + j, unit_id=100 + j, seats=rng.randint(1, 3), rank_code=rank, salary_group=GROUP[rank],
            group=rng.choice(["professional", "professional", "support", "leadership"]),
            public_service=rng.random() < 0.3, agency_id=rng.randint(1, 3), area_id=rng.randint(1, 4),
        ))
    return people, seats


def _exhaustive(people: list[Candidate], seats: list[Seat]) -> tuple[int, int]:
    """The lexicographic optimum (placed, Σ fit) by trying every assignment (memoised on the seats left)."""
    options = [[(j, fit_points(c, s)) for j, s in enumerate(seats) if not hard_constraint_failures(c, s)]
               for c in people]

    @cache
    def best(i: int, left: tuple[int, ...]) -> tuple[int, int]:
        if i == len(people):
            return (0, 0)
        result = best(i + 1, left)  # person i left over
        for j, points in options[i]:
            if left[j] > 0:
                rest = best(i + 1, (*left[:j], left[j] - 1, *left[j + 1:]))
                result = max(result, (rest[0] + 1, rest[1] + points))
        return result

    return best(0, tuple(s.seats for s in seats))


def test_the_solver_reaches_the_exhaustive_optimum_on_200_random_instances() -> None:
    rng = random.Random(20260701)
    for _ in range(220):
        people, seats = _random_instance(rng)
        sol = solve(people, seats)
        assert (sol.placed, sol.objective) == _exhaustive(people, seats)
        assert sol.placed == max_placeable(people, seats, feasible_pairs(people, seats))


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Candidate], list[Seat]]:
    return _random_instance(random.Random(draw(st.integers(0, 2**32 - 1))))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_solution_never_breaks_a_hard_constraint_nor_overfills_a_seat(
    instance: tuple[list[Candidate], list[Seat]],
) -> None:
    people, seats = instance
    sol = solve(people, seats)
    by_id = {s.id: s for s in seats}
    used: dict[int, int] = {}
    for c in people:
        seat_id = sol.assignment[c.id]
        if seat_id is None:
            continue
        assert hard_constraint_failures(c, by_id[seat_id]) == []
        assert sol.fits[c.id] == fit_points(c, by_id[seat_id])
        used[seat_id] = used.get(seat_id, 0) + 1
    assert all(n <= by_id[s].seats for s, n in used.items())
    assert sol.placed == sum(used.values())


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_rank_index_finds_exactly_the_feasible_pairs(instance: tuple[list[Candidate], list[Seat]]) -> None:
    people, seats = instance
    expected = [[j for j, s in enumerate(seats) if not hard_constraint_failures(c, s)] for c in people]
    assert feasible_pairs(people, seats) == expected


def test_the_benchmark_runs_at_a_tiny_size_and_places_the_maximum() -> None:
    from bench import redeployment as bench

    result = bench.run(people=300, seats=300, ranks=20, seed=1)
    assert result["placement_first"]
    assert result["placed"] == result["max_cardinality"] > 0
    assert result["feasible_pairs"] < result["all_pairs"]
