"""A province-wide merger (issue 6 item 7): three provinces' units, positions and people merged into one.

    python -m bench.restructuring_merger --people 200000 \
        [--database-url postgres://postgres@127.0.0.1:55432/congvu_bench_restructuring | sqlite:///var/bench.sqlite3]

The database is created if needed (PostgreSQL), migrated and emptied (it must be empty or demo/bench data).
Data is made directly, set-based (bulk inserts of plain tuples, explicit ids), under a bench root unit:

- three provinces, each with 16 departments ("Sở 1" … "Sở 16", the same names in every province, so the three
  "Sở 1" merge into one, as the three "Sở Nội vụ" did in 2025), divisions "Phòng 1" … "Phòng k" under each
  department (same names again: they merge too) and communes with distinct names (copied, not merged);
  ≈ 60 people per leaf unit, 3 job positions per leaf unit (ranks 01.002, 01.003, 01.004), quota = staff ± 1;
- people with a current employment in a position of their unit (rank, step, allowances).

Timed: ``services.impact`` (the draft's compile + impact), ``services.commit_plan`` of one merge event (the three
provinces into a new one, effective in 30 days: every unit closes and reopens, every person moves) in one
transaction, then ``services.undo_plan``, after which the state must equal the state before (checked by
counting rows and a fingerprint of the current employments). Results go to
``bench/results/restructuring-merger-<people>-<database>.json`` and a line in ``results.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import time
from collections.abc import Sequence
from typing import Any

from bench.common import Timer, database_label, peak_rss_mb, setup_django, write_result

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:55432/congvu_bench_restructuring"
PROVINCES = 3
DEPARTMENTS = 16
PEOPLE_PER_UNIT = 60
RANKS = ("01.002", "01.003", "01.004")
TODAY = dt.date(2026, 6, 1)
EFFECTIVE = dt.date(2026, 7, 1)
SOURCE = "bench restructuring"
BATCH = 10_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Apply and undo a province-wide merger.")
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help="PostgreSQL or sqlite:///file (emptied first); '' = the database already set up")
    return parser.parse_args(argv)


def leaf_counts(people: int) -> tuple[int, int]:
    """(divisions per department, communes) per province: ≈ 60 people per leaf unit, 60 % divisions."""
    leaves = max(2, round(people / PROVINCES / PEOPLE_PER_UNIT))
    divisions = max(1, round(leaves * 0.6 / DEPARTMENTS))
    return divisions, max(1, leaves - divisions * DEPARTMENTS)


# ---- the data --------------------------------------------------------------------------------------------


def _units(parent: Any, specs: list[tuple[str, str]]) -> list[Any]:
    """Units under ``parent`` (bulk insert, then their paths)."""
    from congvu.core.bulk import bulk_set
    from congvu.org.models import OrgUnit, path_segment

    rows = [OrgUnit(name=name, kind=kind, parent_id=parent.pk, valid_from=dt.date(2025, 7, 1), source=SOURCE)
            for name, kind in specs]
    OrgUnit.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        row.path = parent.path + path_segment(row.pk)
        row.depth = parent.depth + 1
    bulk_set(OrgUnit, ["path", "depth"], [(r.pk, r.path, r.depth) for r in rows])
    return rows


def make_structure(people: int) -> dict[str, Any]:
    from congvu.org.models import OrgUnit

    root = OrgUnit.objects.create(name="Thử tải sắp xếp", kind=OrgUnit.Kind.NATION, valid_from=dt.date(2000, 1, 1),
                                  source=SOURCE)
    root.path, root.depth = f"{root.pk:010d}.", 0
    root.save(update_fields=["path", "depth"])
    divisions, communes = leaf_counts(people)
    provinces = _units(root, [(f"Tỉnh thử tải {p + 1}", OrgUnit.Kind.PROVINCE) for p in range(PROVINCES)])
    leaves: list[Any] = []
    units = 1 + len(provinces)
    for p, province in enumerate(provinces):
        departments = _units(province, [(f"Sở {d + 1}", OrgUnit.Kind.PROVINCIAL_DEPARTMENT) for d in range(DEPARTMENTS)])
        for department in departments:
            leaves += _units(department, [(f"Phòng {v + 1}", OrgUnit.Kind.DIVISION) for v in range(divisions)])
        leaves += _units(province, [(f"Xã {p + 1}-{c + 1}", OrgUnit.Kind.COMMUNE) for c in range(communes)])
        units += len(departments) * (1 + divisions) + communes
    return {"root": root, "provinces": provinces, "leaves": leaves, "units": units}


def make_people(leaves: list[Any], people: int) -> dict[str, int]:
    """People spread evenly over the leaf units; three positions per leaf, quota = staff ± 1."""
    from django.db import connection

    from bench.kpi_common import next_id, reset_sequences
    from congvu.org.models import JobPosition, Rank
    from congvu.personnel.models import Employment, Person

    ranks = [Rank.objects.get(code=c).pk for c in RANKS]
    per_leaf = [people // len(leaves) + (1 if i < people % len(leaves) else 0) for i in range(len(leaves))]
    positions, staff_of = [], []
    for leaf, n in zip(leaves, per_leaf, strict=True):
        shares = [n // 5, n - n // 5 - n // 10, n // 10]  # chuyên viên chính, chuyên viên, cán sự
        for k, (rank, share) in enumerate(zip(ranks, shares, strict=True)):
            quota = max(0, share + (leaf.pk + k) % 3 - 1)
            positions.append(JobPosition(unit_id=leaf.pk, name=("Chuyên viên chính", "Chuyên viên", "Cán sự")[k],
                                         group="professional", rank_id=rank, headcount_quota=quota,
                                         valid_from=dt.date(2025, 7, 1)))
            staff_of.append(share)
    JobPosition.objects.bulk_create(positions, batch_size=2000)
    first = next_id("personnel_person")
    person_rows, employment_rows, i = [], [], 0
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    for position, share in zip(positions, staff_of, strict=True):
        for _ in range(share):
            pid = first + i
            person_rows.append((pid, f"{pid:012d}", "Nguyễn", "Văn", f"Thử {i}", f"nguyen van thu {i}",
                                f"thu {i:09d}", 1970 + i % 35, "M" if i % 2 else "F", "civil_servant",
                                position.unit_id, "", now, now))
            employment_rows.append((pid, position.unit_id, position.pk, position.rank_id, 1 + i % 8,
                                    dt.date(2023, 1 + i % 12, 1), 25, dt.date(2025, 7, 1)))
            i += 1
    with connection.cursor() as cursor:
        for start in range(0, len(person_rows), BATCH):
            cursor.executemany(
                "INSERT INTO personnel_person (id, personal_id, old_id, family_name, middle_name, given_name, "
                "search_name, sort_key, birth_year, sex, ethnicity, religion, education_level, political_theory_level, "
                "category, current_unit_id, org_path, insured_months, version, created_at, updated_at) "
                "VALUES (%s, %s, '', %s, %s, %s, %s, %s, %s, %s, 'Kinh', '', '', '', %s, %s, %s, 0, 1, %s, %s)",
                person_rows[start:start + BATCH])
        for start in range(0, len(employment_rows), BATCH):
            cursor.executemany(
                "INSERT INTO personnel_employment (person_id, unit_id, position_id, title, rank_id, salary_step, "
                "step_since, position_allowance, seniority_pct, percent_allowances, start_date, end_date, "
                "decision_number, end_reason) VALUES (%s, %s, %s, '', %s, %s, %s, 0, 0, %s, %s, NULL, '', '')",
                employment_rows[start:start + BATCH])
        cursor.execute("UPDATE personnel_person SET org_path = (SELECT u.path FROM org_orgunit u "
                       "WHERE u.id = personnel_person.current_unit_id) WHERE id >= %s", [first])
    reset_sequences(Person, Employment)
    return {"people": i, "positions": len(positions)}


# ---- the timed part ------------------------------------------------------------------------------------


def fingerprint() -> dict[str, Any]:
    """Counts and a hash of units, positions, employments and people's units: equal before and after undo."""
    from congvu.org.models import JobPosition, OrgUnit
    from congvu.personnel.models import Employment, Person

    digest = hashlib.sha256()
    for rows in (OrgUnit.objects.order_by("pk").values_list("pk", "parent_id", "path", "valid_to"),
                 JobPosition.objects.order_by("pk").values_list("pk", "headcount_quota", "valid_to"),
                 Employment.objects.order_by("pk").values_list("pk", "unit_id", "position_id", "end_date"),
                 Person.objects.order_by("pk").values_list("pk", "current_unit_id", "org_path")):
        for row in rows.iterator(chunk_size=20_000):
            digest.update(repr(row).encode())
    return {"units": OrgUnit.objects.count(), "positions": JobPosition.objects.count(),
            "employments": Employment.objects.count(), "sha256": digest.hexdigest()}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Load, then draft, commit and undo the merger; the connection Django is set up with is used."""
    from django.db import connection

    from congvu.core.scope import Scope
    from congvu.org.models import OrgUnit
    from congvu.org.reference import load_salary_tables
    from congvu.restructuring import services

    timer = Timer()
    everything = Scope(paths=(), everything=True)
    with timer("load"):
        load_salary_tables()
        structure = make_structure(args.people)
        loaded = make_people(structure["leaves"], args.people)
        if connection.vendor == "postgresql":  # planner statistics, as tables in service have them
            with connection.cursor() as cursor:
                for table in ("org_orgunit", "org_jobposition", "personnel_person", "personnel_employment"):
                    cursor.execute(f"ANALYZE {table}")
    before = fingerprint()
    root, provinces = structure["root"], structure["provinces"]
    plan = services.create_plan(None, everything, name="Hợp nhất ba tỉnh thử tải", scope_unit_id=root.pk)
    services.add_event(None, everything, plan.pk, kind="merge", effective_date=EFFECTIVE,
                       decision_number="202/2025/QH15", decision_date=dt.date(2026, 5, 15),
                       legal_basis="Nghị quyết thử tải", spec={
                           "sources": [p.pk for p in provinces],
                           "target": {"name": "Tỉnh thử tải hợp nhất", "kind": OrgUnit.Kind.PROVINCE,
                                      "parent_id": root.pk}})
    with timer("impact"):
        impact = services.impact(plan)
    with timer("commit"):
        services.commit_plan(None, everything, plan.pk, today=TODAY)
    after_commit = fingerprint()
    with timer("apply_due"):
        services.apply_due(EFFECTIVE)
    refused = _undo_refused(services, plan.pk, everything)
    with timer("undo"):  # as of before the effective date (people switched by apply_due are put back too)
        services.undo_plan(None, everything, plan.pk, reason="Thử tải: hủy", today=TODAY)
    after_undo = fingerprint()
    seconds = timer.rounded()
    totals = impact.totals
    return {
        "benchmark": "restructuring_merger", "database": database_label(), "vendor": connection.vendor,
        "people": loaded["people"], "units_before": structure["units"], "positions_before": loaded["positions"],
        "units_opened": after_commit["units"] - before["units"], "positions_opened":
            after_commit["positions"] - before["positions"],
        "employments_opened": after_commit["employments"] - before["employments"],
        "impact": {"moves": len(impact.moves), "positions_after": totals.positions_after,
                   "quota_before": totals.quota_before, "quota_after": totals.quota_after,
                   "surplus": totals.surplus, "shortage": totals.shortage},
        "seconds": seconds, "commit_seconds": seconds["commit"], "undo_seconds": seconds["undo"],
        "impact_seconds": seconds["impact"], "undo_after_effective_date_refused": refused,
        "undo_restores_state": after_undo == before, "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _undo_refused(services: Any, plan_id: int, scope: Any) -> bool:
    try:
        services.undo_plan(None, scope, plan_id, reason="trop tard", today=EFFECTIVE)
    except services.RestructuringError:
        return True
    return False


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    if args.database_url.startswith("postgres"):
        from bench.kpi_common import ensure_database

        ensure_database(args.database_url)
    setup_django(args.database_url or None)
    from django.core.management import call_command

    from bench.load_people import empty_database
    from congvu.core.models import JobRun

    call_command("migrate", interactive=False, verbosity=0)
    empty_database()
    # Marks the people as bench data, so the next run may empty the database again.
    JobRun.objects.create(job="demo", scope="bench-restructuring", status=JobRun.Status.DONE, summary={})
    started = time.perf_counter()
    data = run(args)
    data["wall_seconds"] = round(time.perf_counter() - started, 1)
    vendor = data["vendor"]
    write_result(f"restructuring-merger-{args.people}-{vendor}", data,
                 f"restructuring_merger {data['people']} people ({data['database']}): commit {data['commit_seconds']} s, "
                 f"undo {data['undo_seconds']} s, impact {data['impact_seconds']} s, peak RSS {data['peak_rss_mb']} MB")
    print(data)
    return data


if __name__ == "__main__":
    main()
