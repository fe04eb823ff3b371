"""The national annual close (Decree 335/2025 Arts 20–21): ``annual.compute`` over millions of people × 12 months
on PostgreSQL, and the same work object by object through the ORM on a sample, for the ratio.

    python -m bench.kpi_annual_close --people 2500000 --sample 10000 \
        [--database-url postgres://postgres@127.0.0.1:55432/congvu_bench_kpi] [--unit-size 25] [--provinces 34]

The database is created if needed, migrated and emptied (it must be empty or demo/bench data). The data is
made by SQL, set-based: 34 provinces under the nation root with divisions of ``--unit-size`` people (the
first of each is its head); the root is one agency evaluated monthly, so the classification is computed
for the whole country in one ``annual.compute`` call (one statement), not per province; each person has 12
published sheets of 2026 with totals drawn from a per-person level ± a monthly variation, about 1 % of
months on leave (no total), about 0.5 % disciplined in 2026 and a few conduct findings. People and sheets
are loaded without their secondary indexes and constraints, which are then rebuilt and validated, and the
tables are VACUUM ANALYZEd, so the timed statement meets the tables as they are in service.

Timed: ``annual.compute`` (average of periods worked, levels, overrides, the quota with tie flags, 2.5 M
result rows inserted, commit). Then, for the people of the first divisions (whole divisions, at least
``--sample`` people): per person, their sheets, disciplines and findings loaded through the ORM, the rule
set's ``classify`` in Python, one ``AnnualResult`` saved per person; the two results are compared.
Results go to ``bench/results/kpi-annual-close-<people>.json`` and ``results.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bench.common import Timer, database_label, peak_rss_mb, write_result
from bench.kpi_common import (
    DEFAULT_DATABASE_URL,
    GROUP_SQL,
    PLACE_TABLE,
    YEAR,
    bare_tables,
    create_placement,
    execute,
    insert_people,
    make_tree,
    open_database,
    reset_sequences,
    scalar,
    vacuum_analyze,
)

SHEET_COLUMNS = (
    "id, period_id, person_id, unit_id, role, \"group\", status, version, is_current, reopen_reason, worked, "
    "self_general, manager_general, general_points, total, no_work_reason, rule_set_id, scored_at, "
    "self_assessed_at, manager_scored_at, approved_at, published_at"
)
# A person's level (55.00–100.99, capped at 100) and a month's variation of ±5.00, in hundredths of a point.
TOTAL_CP = ("GREATEST(0, LEAST(10000, 5500 + (p.i * 7919) %% 4600 "
            "+ ((p.i * 31 + %(month)s * 977) * 40503) %% 1001 - 500))")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Annual close of the national register (annual.compute).")
    parser.add_argument("--people", type=int, default=20_000, help="people (2500000 for the national figure)")
    parser.add_argument("--sample", type=int, default=2_000, help="people classified object by object")
    parser.add_argument("--unit-size", type=int, default=25, help="people per division")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL database (emptied first)")
    return parser.parse_args(argv)


def load(args: argparse.Namespace, timer: Timer) -> dict[str, Any]:
    """Units, people, the national agency's 12 periods and 12 published sheets per person; events of 2026."""
    from congvu.evaluation import periods
    from congvu.evaluation.models import AgencyScheme, Frequency, Sheet
    from congvu.org.reference import nation_root

    root = nation_root()
    divisions = -(-args.people // args.unit_size)
    with timer("structure"):
        _, leaf = make_tree(root.pk, root.path, "province", "Tỉnh thử tải", args.provinces, divisions)
        people = create_placement(
            "SELECT g AS i, %(leaf)s + g / %(size)s AS unit_id, g %% %(size)s = 0 AS leader "
            "FROM generate_series(0, %(n)s - 1) g", {"leaf": leaf, "size": args.unit_size, "n": args.people})
        # Quotas per division (AgencyScheme.quota_by_division): the object-by-object sample is made of whole
        # divisions, so it can reproduce per-division quotas but not a nation-wide one.
        AgencyScheme.objects.update_or_create(
            agency=root, defaults={"frequency": Frequency.MONTHLY, "quota_by_division": True}
        )
        months = periods.open_year(None, root, YEAR)
    sheet_base = int(scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM evaluation_sheet"))
    with bare_tables(["personnel_person", "evaluation_sheet"], timer):
        with timer("load_people"):
            insert_people()
        with timer("load_sheets"):
            for month in months:
                insert_month(month, sheet_base + (month.number - 1) * people)
    reset_sequences(Sheet)
    with timer("load_events"):
        events = insert_events()
    with timer("vacuum_analyze"):
        vacuum_analyze("personnel_person", "evaluation_sheet", "personnel_discipline", "evaluation_conductfinding")
    return {"root": root, "leaf": leaf, "people": people, "sheets": people * len(months), **events}


def insert_month(month: Any, first_id: int) -> int:
    published = dt.datetime.combine(month.approve_due, dt.time(9), tzinfo=dt.UTC)
    return execute(
        f"INSERT INTO evaluation_sheet ({SHEET_COLUMNS}) "
        f"SELECT %(first)s + p.i, %(period)s, p.person_id, p.unit_id, "
        f"CASE WHEN p.leader THEN 'leader' ELSE 'staff' END, {GROUP_SQL}, 'published', 1, TRUE, '', "
        f"w.worked, '{{}}', '{{}}', CASE WHEN w.worked THEN 27 END, "
        f"CASE WHEN w.worked THEN ({TOTAL_CP})::numeric / 100 END, "
        f"CASE WHEN w.worked THEN '' ELSE 'Nghỉ theo chế độ cả kỳ' END, %(rule)s, "
        f"%(at)s, %(at)s, %(at)s, %(at)s, %(at)s "
        f"FROM {PLACE_TABLE} p CROSS JOIN LATERAL (SELECT (p.i * 13 + %(month)s) %% 97 <> 0 AS worked) w",
        {"first": first_id, "period": month.pk, "rule": month.rule_set_id, "at": published, "month": month.number})


def insert_events() -> dict[str, int]:
    """About 0.5 % disciplined (reprimand) in 2026; one person in 5,000 with a degradation finding, one head of
    division in 400 whose unit was handled for corruption (it only counts for leaders)."""
    disciplines = execute(
        "INSERT INTO personnel_discipline (person_id, form, decided_on, effective_from, effective_to, "
        "decision_number, reason) SELECT person_id, 'reprimand', DATE '2026-05-15', DATE '2026-05-15', "
        f"DATE '2027-05-14', '1/QĐ-KL', 'Dữ liệu thử tải' FROM {PLACE_TABLE} WHERE i %% 211 = 5")
    findings = execute(
        "INSERT INTO evaluation_conductfinding (person_id, kind, concluded_on, decision_number, note) "
        "SELECT person_id, CASE WHEN leader THEN 'unit_corruption' ELSE 'degradation' END, DATE '2026-09-15', "
        f"'1/KL-UBKT', 'Dữ liệu thử tải' FROM {PLACE_TABLE} WHERE i %% 5000 = 7 OR i %% 10000 = 0")
    return {"disciplines": disciplines, "conduct_findings": findings}


def set_based(root: Any, timer: Timer) -> tuple[Any, dict[str, int]]:
    from congvu.evaluation import annual

    with timer("annual_compute"):
        run = annual.compute(None, root, YEAR)
    return run, annual.stage_counts(run)


def sample_people(leaf: int, sample: int, unit_size: int) -> list[int]:
    """Everyone in the first divisions (whole divisions, so their quota groups are complete)."""
    units = -(-sample // unit_size)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT person_id FROM {PLACE_TABLE} WHERE unit_id < %s ORDER BY person_id", [leaf + units])
        return [row[0] for row in cursor.fetchall()]


def _annual_input(person_id: int) -> tuple[Any, tuple[Any, ...]]:
    """One person's inputs through the ORM: their counted sheets of the year, discipline and findings."""
    from congvu.evaluation.annual import COUNTED_STATUSES
    from congvu.evaluation.models import ConductFinding, Sheet
    from congvu.personnel.models import Discipline
    from congvu.rules import nd335_2025 as nd335

    sheets = list(
        Sheet.objects.filter(person_id=person_id, period__year=YEAR, is_current=True, status__in=COUNTED_STATUSES)
        .order_by("period__end", "pk").values_list("total", "unit_id", "group", "role")
    )
    form = (Discipline.objects.filter(person_id=person_id, decided_on__year=YEAR)
            .values_list("form", flat=True).first())
    kinds = set(ConductFinding.objects.filter(person_id=person_id, concluded_on__year=YEAR)
                .values_list("kind", flat=True))
    _total, unit_id, group, role = sheets[-1]
    discipline = None
    if form is not None:
        try:
            discipline = nd335.DisciplineForm(form)
        except ValueError:  # demotion: above a reprimand too
            discipline = nd335.DisciplineForm.REPRIMAND
    person = nd335.AnnualInput(
        id=str(person_id), unit=str(unit_id), group=group, role=nd335.Role(role),
        period_totals=tuple(s[0] for s in sheets), discipline=discipline,
        degradation="degradation" in kinds, unit_corruption="unit_corruption" in kinds,
    )
    return person, sheets[-1]


def per_object(root: Any, set_run: Any, people: list[int]) -> tuple[float, Any]:
    """The annual work for ``people`` one object at a time, saved in a run of its own (not current)."""
    from django.db import transaction
    from django.utils import timezone

    from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus
    from congvu.rules import kpi_registry

    rs = kpi_registry.rule_set_for(dt.date(YEAR, 1, 1))
    started = time.perf_counter()
    with transaction.atomic():
        run = AnnualRun.objects.create(agency=root, year=YEAR, version=set_run.version + 1, is_current=False,
                                       status=AnnualStatus.QUOTA, excellent_ratio=set_run.excellent_ratio,
                                       rule_set_id=rs.id, computed_at=timezone.now())
        inputs = [_annual_input(pid) for pid in people]
        results = rs.classify([p for p, _ in inputs], ratio=set_run.excellent_ratio)
        for (person, _last), result in zip(inputs, results, strict=True):
            worked = [t for t in person.period_totals if t is not None]
            AnnualResult.objects.create(
                run=run, person_id=int(person.id), unit_id=int(person.unit), group=person.group, role=person.role,
                periods_worked=len(worked), score_sum_cp=int(sum(worked, Decimal(0)) * 100),
                annual_score=result.annual_score, level_by_score=result.level_by_score or "",
                override=result.override or "", quota_demoted=result.quota_demoted, quota_tie=result.quota_tie,
                level=result.level or "",
            )
        run.people = len(inputs)
        run.save(update_fields=["people"])
    return time.perf_counter() - started, run


def differences(set_run: Any, object_run: Any, people: list[int]) -> int:
    """People whose score, level, override or quota flags differ between the two runs."""
    from congvu.evaluation.models import AnnualResult

    fields = ("person_id", "annual_score", "level", "override", "quota_demoted", "quota_tie")
    a = set(AnnualResult.objects.filter(run=set_run, person_id__in=people).values_list(*fields))
    b = set(AnnualResult.objects.filter(run=object_run).values_list(*fields))
    return len(a ^ b) // 2 + abs(len(a) - len(b))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Load, time both ways, compare; the caller has Django set up on an emptied PostgreSQL database."""
    timer = Timer()
    data = load(args, timer)
    load_before = os.getloadavg()[0]
    set_run, counts = set_based(data["root"], timer)
    people = sample_people(data["leaf"], args.sample, args.unit_size)
    object_seconds, object_run = per_object(data["root"], set_run, people)
    timer.seconds["per_object"] = object_seconds
    compute = timer.seconds["annual_compute"]
    set_us = compute / data["people"] * 1e6
    object_us = object_seconds / len(people) * 1e6
    size = scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
    return {
        "benchmark": "kpi_annual_close", "database": database_label(), "database_size": size,
        "people": data["people"], "sheets": data["sheets"], "periods": 12, "unit_size": args.unit_size,
        "provinces": args.provinces, "disciplines": data["disciplines"], "conduct_findings": data["conduct_findings"],
        "scope": "one national agency (the root), one annual.compute call",
        "work_mem": scalar("SHOW work_mem"), "stage_counts": counts, "seconds": timer.rounded(),
        "annual_compute_seconds": round(compute, 1),
        "set_based_us_per_person": round(set_us, 1),
        "sample_people": len(people), "per_object_seconds": round(object_seconds, 1),
        "per_object_us_per_person": round(object_us, 1),
        "ratio_per_object_to_set_based": round(object_us / set_us, 1),
        "sample_differences": differences(set_run, object_run, people),
        "load_average_before_timed": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    job = open_database(args.database_url)
    from congvu.demo.generate import finish

    data = run(args)
    finish(job, {"benchmark": data["benchmark"], "people": data["people"]})
    line = (f"kpi_annual_close: annual.compute for {data['people']:,} people × 12 months ({data['sheets']:,} sheets, "
            f"one national agency) in {data['annual_compute_seconds']} s on {data['database']}; per object "
            f"{data['per_object_us_per_person']:,} µs/person vs {data['set_based_us_per_person']:,} µs/person set-based "
            f"(× {data['ratio_per_object_to_set_based']}, {data['sample_people']:,} people, "
            f"{data['sample_differences']} differences); peak RSS {data['peak_rss_mb']:.0f} MB")
    write_result(f"kpi-annual-close-{data['people']}", data, line)
    print(line)
    return data


if __name__ == "__main__":
    main()
