"""Load millions of synthetic people into PostgreSQL with COPY and report rows/s and peak memory.

    python -m bench.load_people --people 2500000 \
        --database-url postgres://postgres@127.0.0.1:55432/congvu_bench [--seed 1] [--history]

The database is emptied first (it must be empty or a demo/bench database). Reference data and the
organisation of all 34 provinces (departments, divisions, communes, job positions) are created with
the demo's set-based builder; then the demo's people stream (:class:`congvu.demo.people.PeopleStream`)
is written with ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``) in batches, people first (with
explicit ids) and then their current employment (``--history``: every spell). Memory stays bounded:
one batch of drafts at a time. Results go to ``bench/results/load_people_<N>.json`` and ``results.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

from bench.common import Timer, database_label, peak_rss_mb, setup_django, write_result

ALL_PROVINCES = "all"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--people", type=int, default=2_500_000)
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/db (emptied first)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provinces", default=ALL_PROVINCES, help='"all" (34) or comma-separated 2-digit codes')
    parser.add_argument("--batch", type=int, default=20_000, help="people per COPY batch")
    parser.add_argument("--history", action="store_true", help="load every employment spell, not only the current one")
    return parser.parse_args(argv)


def person_columns() -> list[str]:
    from congvu.personnel.models import Person

    return [f.column for f in Person._meta.concrete_fields]


def employment_columns() -> list[str]:
    from congvu.personnel.models import Employment

    return [f.column for f in Employment._meta.concrete_fields if f.column != "id"]


def person_row(columns: Sequence[str], pid: int, d: Any, areas: dict[str, int], now: dt.datetime) -> tuple[Any, ...]:
    special = {"id": pid, "hometown_id": areas.get(d.hometown_code), "birthplace_id": areas.get(d.birthplace_code),
               "user_id": None, "version": 1, "created_at": now, "updated_at": now}
    return tuple(special[c] if c in special else getattr(d, c) for c in columns)


def employment_rows(columns: Sequence[str], pid: int, d: Any, history: bool) -> Iterable[tuple[Any, ...]]:
    spells = d.spells if history else d.spells[-1:]
    for s in spells:
        yield tuple(pid if c == "person_id" else getattr(s, c) for c in columns)


def copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def empty_database() -> None:
    from django.core.management import call_command

    from congvu.demo.generate import demo_state

    if demo_state() == "foreign":
        raise SystemExit("This database holds people that are not demo/bench data; use an empty database.")
    call_command("flush", interactive=False, verbosity=0)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from congvu.core.models import JobRun
    from congvu.demo.generate import area_ids, finish
    from congvu.demo.people import PeopleStream
    from congvu.demo.structure import build_structure
    from congvu.org.reference import load_all
    from congvu.org.reference_data import PRE_2025_SUCCESSOR
    from congvu.personnel.models import Employment, Person

    if connection.vendor != "postgresql":
        raise SystemExit("COPY needs PostgreSQL: pass --database-url postgres://…")
    timer = Timer()
    with timer("migrate_and_empty"):
        call_command("migrate", interactive=False, verbosity=0)
        empty_database()
    codes = sorted(set(PRE_2025_SUCCESSOR.values())) if args.provinces == ALL_PROVINCES else args.provinces.split(",")
    job = JobRun.objects.create(job="demo", scope="bench", total=args.people, summary={"seed": args.seed})
    with timer("reference"):
        load_all()
    with timer("structure"), transaction.atomic():
        structure = build_structure(codes, args.people, random.Random(args.seed))
    stream = PeopleStream(structure.slots, structure.plans, structure.ranks, seed=args.seed).people()
    areas = area_ids()
    now = timezone.now()
    p_cols, e_cols = person_columns(), employment_columns()
    base = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    people = employments = 0
    raw = connection.connection
    with tqdm(total=args.people, unit=" people", file=sys.stderr, disable=None) as bar, transaction.atomic(), \
            raw.cursor() as cursor:
        while True:
            with timer("generate"):  # the stream is lazy: drawing a batch is the generation cost
                batch = list(itertools.islice(stream, args.batch))
            if not batch:
                break
            ids = range(base + people, base + people + len(batch))
            with timer("copy_people"):
                people += copy_rows(cursor, Person._meta.db_table, p_cols,
                                    (person_row(p_cols, pid, d, areas, now) for pid, d in zip(ids, batch, strict=True)))
            with timer("copy_employments"):
                employments += copy_rows(cursor, Employment._meta.db_table, e_cols, (
                    row for pid, d in zip(ids, batch, strict=True) for row in employment_rows(e_cols, pid, d, args.history)))
            bar.update(len(batch))
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Person._meta.db_table}', 'id'), "
                       f"(SELECT max(id) FROM {Person._meta.db_table}))")
        loaded_at = time.perf_counter()
    timer.seconds["commit"] = time.perf_counter() - loaded_at  # flushing the WAL of the whole load
    with timer("analyze"), connection.cursor() as c:
        c.execute(f"ANALYZE {Person._meta.db_table}; ANALYZE {Employment._meta.db_table}")
    finish(job, {"counts": {"people": people, "employments": employments}})
    return report(args, timer, people, employments, len(codes), structure.units, structure.positions)


def report(args: argparse.Namespace, timer: Timer, people: int, employments: int, provinces: int, units: int,
           positions: int) -> dict[str, Any]:
    seconds = timer.rounded()
    load = sum(v for k, v in timer.seconds.items() if k.startswith(("generate", "copy", "commit")))
    total = sum(timer.seconds.values())
    data = {
        "benchmark": "load_people", "database": database_label(), "people": people, "employments": employments,
        "history": args.history, "provinces": provinces, "units": units, "positions": positions, "seed": args.seed,
        "batch": args.batch, "seconds": seconds, "load_seconds": round(load, 1), "total_seconds": round(total, 1),
        "people_per_second": round(people / load) if load else None,
        "rows_per_second": round((people + employments) / load) if load else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    line = (f"load_people: {people:,} people + {employments:,} employments into {data['database']} in "
            f"{total:.0f} s total ({load:.0f} s generate+COPY: {data['people_per_second']:,} people/s, "
            f"{data['rows_per_second']:,} rows/s), peak RSS {data['peak_rss_mb']:.0f} MB")
    write_result(f"load_people_{people}", data, line)
    print(line)
    return data


if __name__ == "__main__":
    main()
