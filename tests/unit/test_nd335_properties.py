"""Invariants of Decree 335/2025 rule set v1 over generated inputs (hypothesis)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.rules.nd335_2025 import (
    AnnualInput,
    DisciplineForm,
    LeaderInputs,
    Level,
    Role,
    TaskLine,
    classify,
    score_lines,
    score_period,
    task_sums,
)

D = Decimal


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False)


task_lines = st.builds(
    TaskLine,
    coefficient=decimals(0, 5, 2).filter(lambda k: k > 0),
    quantity=decimals(0, 40, 1),
    completed=decimals(0, 60, 1),
    errors=st.integers(0, 12),
    delays=st.integers(0, 12),
    objective_cause=st.booleans(),
)
leader_inputs = st.builds(LeaderInputs, unit_result=st.sampled_from([D(50), D(100)]), organising=decimals(0, 100, 2),
                          unity=decimals(0, 100, 2))


@st.composite
def periods(draw: st.DrawFn) -> dict[str, object]:
    role = draw(st.sampled_from(list(Role)))
    return {
        "role": role,
        "general_points": draw(decimals(0, 30, 2)),
        "lines": draw(st.lists(task_lines, max_size=8)),
        "leader": draw(leader_inputs) if role is Role.LEADER else None,
    }


@given(periods())
def test_each_percentage_is_between_0_and_100_task_points_at_most_70_and_the_total_at_most_100(
    period: dict[str, object],
) -> None:
    got = score_lines(**period)  # type: ignore[arg-type]
    if got.total is None:
        assert got.no_work_reason
        assert (got.quantity_pct, got.quality_pct, got.timeliness_pct, got.task_points) == (None,) * 4
        return
    for pct in (got.quantity_pct, got.quality_pct, got.timeliness_pct):
        assert pct is not None
        assert 0 <= pct <= 100
    assert got.task_points is not None
    assert 0 <= got.task_points <= 70
    assert 0 <= got.total <= 100
    assert got.quality_pct <= got.quantity_pct  # type: ignore[operator]
    assert got.timeliness_pct <= got.quantity_pct  # type: ignore[operator]


@given(periods())
def test_scoring_lines_and_scoring_their_sums_agree_and_recomputing_is_identical(period: dict[str, object]) -> None:
    by_lines = score_lines(**period)  # type: ignore[arg-type]
    sums = task_sums(period["lines"])  # type: ignore[arg-type]
    by_sums = score_period(role=period["role"], general_points=period["general_points"], sums=sums,  # type: ignore[arg-type]
                           leader=period["leader"])  # type: ignore[arg-type]
    assert replace(by_lines, steps=()) == replace(by_sums, steps=())
    assert score_lines(**period) == by_lines  # type: ignore[arg-type]


@given(st.lists(task_lines, max_size=6), st.lists(task_lines, max_size=6))
def test_task_sums_are_additive(first: list[TaskLine], second: list[TaskLine]) -> None:
    assert task_sums(first + second) == task_sums(first) + task_sums(second)


# ---- classification ---------------------------------------------------------------------------------------------

# Coarse scores make excellent people, full quotas and ties common; fine ones cover the rest.
coarse = st.sampled_from([None, D(45), D(60), D(75), D(80), D(85), D(90), D(92), D(95)])
period_totals = st.one_of(
    st.lists(coarse, max_size=2),
    st.lists(st.one_of(st.none(), decimals(40, 100, 2)), max_size=12),
)


rarely_true = st.sampled_from([False, False, False, True])


@st.composite
def people(draw: st.DrawFn) -> list[AnnualInput]:
    """Anyone: both roles, fine and coarse scores, leave, every override."""
    n = draw(st.integers(0, 60))
    out = []
    for i in range(n):
        out.append(AnnualInput(
            id=f"P{i}",
            unit=draw(st.sampled_from(["U1", "U2"])),
            group=draw(st.sampled_from(["g1", "g2"])),
            role=draw(st.sampled_from(list(Role))),
            period_totals=tuple(draw(period_totals)),
            discipline=draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from(list(DisciplineForm)))),
            degradation=draw(rarely_true),
            unit_corruption=draw(rarely_true),
        ))
    return out


@st.composite
def crowded_groups(draw: st.DrawFn) -> list[AnnualInput]:
    """Groups with many good and a few excellent people on few distinct scores: quotas bind, ties happen."""
    out: list[AnnualInput] = []
    for unit in ("U1", "U2"):
        for group in ("g1", "g2"):
            good = draw(st.integers(0, 30))
            excellent = draw(st.lists(st.sampled_from([D(90), D(92), D(95), D(95), D("97.5")]), max_size=8))
            scores = [D(80)] * good + excellent
            for score in scores:
                out.append(AnnualInput(id=f"P{len(out)}", unit=unit, group=group, role=Role.STAFF,
                                       period_totals=(score,), discipline=draw(st.sampled_from(
                                           [None] * 9 + [DisciplineForm.REPRIMAND]))))
    return out


any_people = st.one_of(people(), crowded_groups())
ratios = st.sampled_from([None, D("0.2"), D("0.25"), D("0.1"), D(0)])


@settings(max_examples=300)
@given(any_people, ratios)
def test_after_classification_excellent_is_at_most_ratio_times_good_in_every_unit_and_group(
    group: list[AnnualInput], ratio: Decimal | None
) -> None:
    results = classify(group, ratio=ratio)
    r = D("0.2") if ratio is None else ratio
    counts: Counter[tuple[str, str, Level | None]] = Counter()
    for person, result in zip(group, results, strict=True):
        counts[(person.unit, person.group, result.level)] += 1
    for unit in ("U1", "U2"):
        for g in ("g1", "g2"):
            assert counts[(unit, g, Level.EXCELLENT)] <= r * counts[(unit, g, Level.GOOD)]


@given(any_people, ratios)
def test_overridden_people_are_always_not_completed(group: list[AnnualInput], ratio: Decimal | None) -> None:
    for person, result in zip(group, classify(group, ratio=ratio), strict=True):
        forced = person.discipline is not None or person.degradation or (
            person.unit_corruption and person.role is Role.LEADER)
        assert (result.override is not None) == forced
        if forced:
            assert result.level is Level.NOT_COMPLETED
            assert not result.quota_demoted


@given(any_people, ratios, st.randoms(use_true_random=False))
def test_recomputing_gives_identical_results_whatever_the_order_of_people(
    group: list[AnnualInput], ratio: Decimal | None, rnd: object
) -> None:
    first = classify(group, ratio=ratio)
    assert classify(group, ratio=ratio) == first
    shuffled = list(group)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    by_id = {r.id: r for r in classify(shuffled, ratio=ratio)}
    for result in first:
        other = by_id[result.id]
        assert (other.level, other.quota_demoted, other.quota_tie, other.tie_seats) == (
            result.level, result.quota_demoted, result.quota_tie, result.tie_seats)


@given(any_people, ratios)
def test_the_quota_only_ever_turns_excellent_into_good(group: list[AnnualInput], ratio: Decimal | None) -> None:
    for result in classify(group, ratio=ratio):
        if result.quota_demoted:
            assert result.level_by_score is Level.EXCELLENT
            assert result.level is Level.GOOD
        elif result.override is None:
            assert result.level is result.level_by_score
        if result.quota_tie:
            assert result.tie_seats >= 1
