"""The redeployment solver at scale (issue 6 item 7): 20,000 surplus people against 20,000 vacant seats.

    python -m bench.redeployment [--people 20000] [--seats 20000] [--ranks 150] [--seed 6]

Pure: no database. The instance is generated from a seeded generator (a size and seed always give the same
instance):

- job positions with 1–3 seats each until the seats add up to ``--seats``; each with a rank drawn from
  ``--ranks`` codes (the five of the administrative series, whose neighbours are also feasible, and
  professional titles "V.xx.yy" that take only their own rank), a salary group by rank (A1/A2.1/A0/B), one in
  four in a public service unit, one in six a support position, one in twenty a leadership position (never
  offered), an agency (of 400) and a commune (of 300);
- people with a rank from the same codes, an education level (mostly bachelor), a category matching one unit
  kind (70 % civil servants, 25 % public employees, 5 % contract workers), a latest level and score, a commune
  with two neighbours and an agency, and for one in three up to 3 preferred units.

Timed: generating the instance; ``feasible_pairs`` (the rank index: each person visits only the buckets of
their rank, the adjacent ranks and the unranked positions; the 400 million candidate × seat pairs are never
built); ``solve`` (arcs, OR-Tools' ``SimpleMinCostFlow`` with the lexicographic costs, reading the flows);
and, as the check that placement comes first, a maximum-cardinality run (``max_placeable``, OR-Tools'
``SimpleMaxFlow`` on the same pairs, fit ignored): the solver's ``placed`` must equal it. Results go to
``bench/results/redeployment-<people>x<seats>[-r<ranks>].json`` and a line in ``results.md``.
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal
from typing import Any

from bench.common import Timer, peak_rss_mb, write_result
from congvu.rules import redeployment as rules
from congvu.rules.nd170_2025 import ADMIN_SERIES

ADMIN_GROUPS = {"01.001": "A3.1", "01.002": "A2.1", "01.003": "A1", "01.004": "A0", "01.005": "B"}
LEVELS = (None, "EXCELLENT", "GOOD", "GOOD", "COMPLETED", "COMPLETED", "COMPLETED", "NOT_COMPLETED")
AGENCIES, COMMUNES = 400, 300


def rank_codes(n: int) -> list[tuple[str, str]]:
    """(rank code, salary group): the administrative series, then professional titles in groups A1/A0/B."""
    titles = [(f"V.{i // 10:02d}.{i % 10:02d}", ("A1", "A1", "A0", "B")[i % 4]) for i in range(max(n - 5, 0))]
    return [(code, ADMIN_GROUPS[code]) for code in ADMIN_SERIES] + titles


def make_seats(rng: random.Random, total: int, ranks: list[tuple[str, str]]) -> list[rules.Seat]:
    seats: list[rules.Seat] = []
    left = total
    while left > 0:
        n = min(left, rng.randint(1, 3))
        rank, group = rng.choice(ranks)
        kind = "leadership" if rng.random() < 0.05 else ("support" if rng.random() < 0.17 else "professional")
        unit = 10_000 + len(seats)
        agency = rng.randrange(AGENCIES)
        seats.append(rules.Seat(
            id=len(seats) + 1, unit_id=unit, seats=n, rank_code=rank, salary_group=group, group=kind,
            public_service=rng.random() < 0.25, agency_id=agency, area_id=rng.randrange(COMMUNES),
            units=frozenset({unit, 1_000 + agency}),
        ))
        left -= n
    return seats


def make_people(rng: random.Random, n: int, ranks: list[tuple[str, str]], seats: list[rules.Seat]) -> list[rules.Candidate]:
    people: list[rules.Candidate] = []
    for i in range(n):
        rank, _ = rng.choice(ranks)
        roll = rng.random()
        category = "civil_servant" if roll < 0.70 else ("public_employee" if roll < 0.95 else "contract")
        area = rng.randrange(COMMUNES)
        wishes = tuple(rng.choice(seats).unit_id for _ in range(rng.randint(1, 3))) if rng.random() < 1 / 3 else ()
        level = rng.choice(LEVELS)
        people.append(rules.Candidate(
            id=i + 1, rank_code=rank, education=rng.choice(("bachelor",) * 8 + ("master", "college", "intermediate")),
            category=category, level=level, score=Decimal(rng.randint(40, 99)) if level else None,
            agency_id=rng.randrange(AGENCIES), area_id=area,
            neighbour_areas=frozenset({(area + 1) % COMMUNES, (area - 1) % COMMUNES}), preferences=wishes,
        ))
    return people


def run(people: int, seats: int, ranks: int, seed: int) -> dict[str, Any]:
    timer = Timer()
    rng = random.Random(seed)
    codes = rank_codes(ranks)
    with timer("generate"):
        seat_list = make_seats(rng, seats, codes)
        candidates = make_people(rng, people, codes, seat_list)
    with timer("feasible_pairs"):
        pairs = rules.feasible_pairs(candidates, seat_list)
    with timer("solve"):
        solution = rules.solve(candidates, seat_list, pairs=pairs)
    with timer("max_cardinality"):
        most = rules.max_placeable(candidates, seat_list, pairs)
    per_person = sorted(len(js) for js in pairs)
    return {
        "people": people, "seats": sum(s.seats for s in seat_list), "positions": len(seat_list), "ranks": len(codes),
        "seed": seed, "feasible_pairs": solution.pairs, "all_pairs": people * len(seat_list),
        "pairs_per_person": {"min": per_person[0], "median": per_person[len(per_person) // 2],
                             "mean": round(solution.pairs / people, 1), "max": per_person[-1],
                             "none": sum(1 for n in per_person if n == 0)},
        "placed": solution.placed, "left_over": people - solution.placed, "objective": solution.objective,
        "mean_fit": round(solution.objective / max(solution.placed, 1), 1), "max_cardinality": most,
        "placement_first": solution.placed == most, "big": solution.big,
        "seconds": timer.rounded() | {"inside_solve": round(solution.seconds, 2),
                                        "of_which_ortools_min_cost_flow": round(solution.flow_seconds, 2)},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--ranks", type=int, default=150)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-write", action="store_true", help="print only (for a quick check)")
    args = parser.parse_args(argv)
    result = run(args.people, args.seats, args.ranks, args.seed)
    s = result["seconds"]
    line = (f"redeployment {args.people:,} × {result['seats']:,} seats, {args.ranks} ranks: "
            f"{result['feasible_pairs']:,} feasible pairs in {s['feasible_pairs']} s, solved in {s['solve']} s, placed {result['placed']:,} = max "
            f"{result['max_cardinality']:,} ({s['max_cardinality']} s), peak RSS {result['peak_rss_mb']} MB")
    if not args.no_write:
        suffix = "" if args.ranks == 150 else f"-r{args.ranks}"
        write_result(f"redeployment-{args.people}x{args.seats}{suffix}", result, line)
    print(line)
    return result


if __name__ == "__main__":
    main()
