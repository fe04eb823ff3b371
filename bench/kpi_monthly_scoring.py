"""A province's month (Decree 335/2025 Arts 12–15): ``scoring.score_period`` over 200,000 people with about 15
task lines each on PostgreSQL, and the same scoring sheet by sheet through the ORM on a sample, for the ratio.

    python -m bench.kpi_monthly_scoring --people 200000 --sample 10000 \
        [--database-url postgres://postgres@127.0.0.1:55432/congvu_bench_kpi] [--unit-size 25] [--departments 16]

The database is created if needed, migrated and emptied (it must be empty or demo/bench data). The data is
made by SQL, set-based: one province (the agency, evaluated monthly) with ``--departments`` departments
(four leaders each on the department itself) and divisions of ``--unit-size`` people (the first of each is
its head); one sheet per person for March 2026, scored by the manager (general points; organising capacity
and unity for leaders), about 0.5 % on leave all month; 10–20 task lines per worked sheet (15 on average)
with coefficients 0.5–2, partial completion, major errors, delays and objective causes. Loaded without
secondary indexes and constraints, then rebuilt, validated and VACUUM ANALYZEd.

Timed: ``scoring.score_period`` for the whole province (line sums in SQL, the rule set per sheet, set-based
updates; leaders after their subordinates, deepest units first), then once more (recomputing must give the
same totals). Then ``work.score_sheet`` one sheet at a time for the people of the first divisions (whole
divisions, at least ``--sample`` sheets), as a page would score one sheet; its totals are compared with
the set-based ones. Results go to ``bench/results/kpi-monthly-scoring-<people>.json`` and ``results.md``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
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

MONTH = 3
LEADERS_PER_DEPARTMENT = 4
SHEET_COLUMNS = (
    "id, period_id, person_id, unit_id, role, \"group\", status, version, is_current, reopen_reason, worked, "
    "self_general, manager_general, general_points, organising, unity, no_work_reason, rule_set_id, "
    "self_assessed_at, manager_scored_at"
)
LINE_COLUMNS = (
    "sheet_id, product_type_id, label, coefficient, quantity, due_date, completed, completed_on, evidence_link, "
    "evidence_file, errors, delays, objective_cause, objective_reason, findings_note, proposed_by_staff, accepted"
)
# Line k of person i: a coefficient, a quantity of 1–8, one line in ten one short, an error in one line in nine,
# a delay in one in eleven, an objective cause (waiving both) in one in 37.
LINE_SQL = f"""
INSERT INTO evaluation_taskline ({LINE_COLUMNS})
SELECT %(first)s + p.i, NULL, (ARRAY['Báo cáo định kỳ', 'Văn bản tham mưu', 'Hồ sơ thủ tục hành chính',
        'Thẩm định hồ sơ', 'Kiểm tra, thanh tra'])[1 + k %% 5],
       (ARRAY[0.5, 0.8, 1.0, 1.2, 1.5, 2.0])[1 + (p.i + k) %% 6], q.qty, DATE '2026-03-20',
       CASE WHEN (p.i + k * 11) %% 10 = 0 THEN q.qty - 1 ELSE q.qty END,
       CASE WHEN (p.i + k * 11) %% 10 = 0 AND q.qty = 1 THEN NULL ELSE DATE '2026-03-18' END, '', '',
       CASE WHEN (p.i * 5 + k) %% 9 = 0 THEN 1 ELSE 0 END, CASE WHEN (p.i * 3 + k * 2) %% 11 = 0 THEN 1 ELSE 0 END,
       (p.i + k) %% 37 = 0, CASE WHEN (p.i + k) %% 37 = 0 THEN 'Chờ ý kiến cơ quan phối hợp' ELSE '' END, '',
       FALSE, TRUE
FROM {PLACE_TABLE} p
CROSS JOIN LATERAL generate_series(1, 10 + (p.i * 7) %% 11) k
CROSS JOIN LATERAL (SELECT 1 + (p.i * 3 + k * 7) %% 8 AS qty) q
WHERE (p.i * 13) %% 199 <> 0
"""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="A province's monthly scoring (scoring.score_period).")
    parser.add_argument("--people", type=int, default=20_000, help="people (200000 for the province figure)")
    parser.add_argument("--sample", type=int, default=2_000, help="sheets scored one by one")
    parser.add_argument("--unit-size", type=int, default=25, help="people per division")
    parser.add_argument("--departments", type=int, default=16)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL database (emptied first)")
    return parser.parse_args(argv)


def load(args: argparse.Namespace, timer: Timer) -> dict[str, Any]:
    """The province, its departments and divisions, the people, March's sheets and their task lines."""
    from congvu.evaluation import periods
    from congvu.evaluation.models import AgencyScheme, Frequency, Period, Sheet
    from congvu.org.models import OrgUnit
    from congvu.org.reference import nation_root

    root = nation_root()
    department_leaders = args.departments * LEADERS_PER_DEPARTMENT
    in_divisions = args.people - department_leaders
    with timer("structure"):
        province_id, _ = make_tree(root.pk, root.path, "province", "Tỉnh thử tải", 1, 0)
        province = OrgUnit.objects.get(pk=province_id)
        department, leaf = make_tree(province.pk, province.path, "provincial_department", "Sở thử tải",
                                     args.departments, -(-in_divisions // args.unit_size))
        people = create_placement(
            "SELECT g AS i, %(leaf)s + g / %(size)s AS unit_id, g %% %(size)s = 0 AS leader "
            "FROM generate_series(0, %(n)s - 1) g UNION ALL "
            "SELECT %(n)s + g, %(dept)s + g / %(per)s, TRUE FROM generate_series(0, %(d)s - 1) g",
            {"leaf": leaf, "size": args.unit_size, "n": in_divisions, "dept": department,
             "per": LEADERS_PER_DEPARTMENT, "d": department_leaders})
        AgencyScheme.objects.update_or_create(agency=province, defaults={"frequency": Frequency.MONTHLY})
        periods.open_year(None, province, YEAR)
        period = Period.objects.select_related("agency").get(agency=province, year=YEAR, number=MONTH)
    first = int(scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM evaluation_sheet"))
    with bare_tables(["personnel_person", "evaluation_sheet", "evaluation_taskline"], timer):
        with timer("load_people"):
            insert_people()
        with timer("load_sheets"):
            sheets = insert_sheets(period, first)
        with timer("load_lines"):
            lines = execute(LINE_SQL, {"first": first})
    reset_sequences(Sheet)
    with timer("vacuum_analyze"):
        vacuum_analyze("personnel_person", "evaluation_sheet", "evaluation_taskline", "org_orgunit")
    return {"period": period, "leaf": leaf, "people": people, "sheets": sheets, "lines": lines, "first": first}


def insert_sheets(period: Any, first: int) -> int:
    return execute(
        f"INSERT INTO evaluation_sheet ({SHEET_COLUMNS}) "
        f"SELECT %(first)s + p.i, %(period)s, p.person_id, p.unit_id, "
        f"CASE WHEN p.leader THEN 'leader' ELSE 'staff' END, {GROUP_SQL}, 'manager_scored', 1, TRUE, '', "
        "w.worked, '{\"a\": \"9\", \"b\": \"9\", \"c\": \"8\"}', '{}', "
        "CASE WHEN w.worked THEN 18 + p.i %% 13 END, "
        "CASE WHEN p.leader AND w.worked THEN 70 + p.i %% 31 END, CASE WHEN p.leader AND w.worked THEN 75 + p.i %% 26 END, "
        "'', %(rule)s, now(), now() "
        f"FROM {PLACE_TABLE} p CROSS JOIN LATERAL (SELECT (p.i * 13) %% 199 <> 0 AS worked) w",
        {"first": first, "period": period.pk, "rule": period.rule_set_id})


def totals(sheet_ids: Sequence[int] | None = None) -> dict[int, Any]:
    from congvu.evaluation.models import Sheet

    rows = Sheet.objects.all() if sheet_ids is None else Sheet.objects.filter(pk__in=sheet_ids)
    return dict(rows.values_list("pk", "total").iterator(chunk_size=50_000))


def set_based(period: Any, timer: Timer) -> tuple[Any, bool]:
    """Score the province's month twice; the second run must leave every total as the first did."""
    from congvu.evaluation import scoring

    with timer("score_period"):
        summary = scoring.score_period(None, period)
    first = totals()
    with timer("score_period_again"):
        scoring.score_period(None, period)
    return summary, totals() == first


def sample_sheets(leaf: int, first: int, sample: int, unit_size: int) -> list[int]:
    """The sheets of the first divisions (whole divisions, heads included)."""
    units = -(-sample // unit_size)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s + i FROM {PLACE_TABLE} WHERE unit_id < %s ORDER BY i", [first, leaf + units])
        return [row[0] for row in cursor.fetchall()]


def per_object(sheet_ids: list[int]) -> float:
    """``work.score_sheet`` one sheet at a time (lines loaded, scored by the rule set, saved), as a page does."""
    from congvu.evaluation import work
    from congvu.evaluation.models import Sheet

    started = time.perf_counter()
    for sheet_id in sheet_ids:
        sheet = Sheet.objects.select_related("period", "unit").get(pk=sheet_id)
        work.score_sheet(sheet)
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Load, time both ways, compare; the caller has Django set up on an emptied PostgreSQL database."""
    timer = Timer()
    data = load(args, timer)
    load_before = os.getloadavg()[0]
    summary, idempotent = set_based(data["period"], timer)
    ids = sample_sheets(data["leaf"], data["first"], args.sample, args.unit_size)
    before = totals(ids)
    object_seconds = per_object(ids)
    timer.seconds["per_object"] = object_seconds
    after = totals(ids)
    scored = timer.seconds["score_period"]
    set_us = scored / data["sheets"] * 1e6
    object_us = object_seconds / len(ids) * 1e6
    return {
        "benchmark": "kpi_monthly_scoring", "database": database_label(),
        "database_size": scalar("SELECT pg_size_pretty(pg_database_size(current_database()))"),
        "people": data["people"], "sheets": data["sheets"], "task_lines": data["lines"],
        "lines_per_sheet": round(data["lines"] / data["sheets"], 1), "unit_size": args.unit_size,
        "departments": args.departments, "scope": "one province (the agency), one score_period call",
        "work_mem": scalar("SHOW work_mem"), "summary": summary.as_dict(), "seconds": timer.rounded(),
        "score_period_seconds": round(scored, 1), "recompute_identical": idempotent,
        "set_based_us_per_sheet": round(set_us, 1), "sample_sheets": len(ids),
        "per_object_seconds": round(object_seconds, 1), "per_object_us_per_sheet": round(object_us, 1),
        "ratio_per_object_to_set_based": round(object_us / set_us, 1),
        "sample_differences": sum(1 for pk in ids if before[pk] != after[pk]),
        "load_average_before_timed": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    job = open_database(args.database_url)
    from congvu.demo.generate import finish

    data = run(args)
    finish(job, {"benchmark": data["benchmark"], "people": data["people"]})
    line = (f"kpi_monthly_scoring: score_period for {data['sheets']:,} sheets ({data['task_lines']:,} task lines, one "
            f"province) in {data['score_period_seconds']} s on {data['database']}; per sheet "
            f"{data['per_object_us_per_sheet']:,} µs one by one vs {data['set_based_us_per_sheet']:,} µs set-based "
            f"(× {data['ratio_per_object_to_set_based']}, {data['sample_sheets']:,} sheets, "
            f"{data['sample_differences']} differences); peak RSS {data['peak_rss_mb']:.0f} MB")
    write_result(f"kpi-monthly-scoring-{data['people']}", data, line)
    print(line)
    return data


if __name__ == "__main__":
    main()
