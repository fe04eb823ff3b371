"""What the two KPI benchmarks share: their own PostgreSQL database, synthetic units and people made by SQL,
bulk loads without secondary indexes, and fresh planner statistics.

Everything here runs on the connection Django is set up with; :func:`open_database` creates, migrates and
empties the benchmark's database first (refusing one that holds people who are not demo/bench data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.common import setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:55432/congvu_bench_kpi"
YEAR = 2026
PERIOD_DAY = dt.date(YEAR, 1, 1)
BENCH_SOURCE = "bench kpi"


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` on its server if it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def open_database(url: str) -> Any:
    """Create (if needed), set Django up on, migrate and empty the benchmark database; returns a JobRun that
    marks it as bench data (finish it at the end)."""
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from bench.load_people import empty_database
    from congvu.core.models import JobRun

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: pass --database-url postgres://…")
    call_command("migrate", interactive=False, verbosity=0)
    empty_database()
    return JobRun.objects.create(job="demo", scope="bench-kpi", summary={})


def execute(statement: str, params: Sequence[Any] | dict[str, Any] | None = None) -> int:
    """Run one statement; parameters are always passed, so a literal % is written %%."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else {})
        return int(cursor.rowcount)


def scalar(statement: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else {})
        row = cursor.fetchone()
    return row[0] if row else None


def next_id(table: str) -> int:
    return int(scalar(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"))


def reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def vacuum_analyze(*tables: str) -> None:
    """VACUUM (ANALYZE): statistics for the planner and hint bits set, as a table in service would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


@dataclass(frozen=True)
class _Saved:
    table: str
    indexes: list[str]  # CREATE INDEX statements (not the primary key, not constraint indexes)
    constraints: list[tuple[str, str]]  # (name, definition) of unique and foreign-key constraints


def _saved(cursor: Any, table: str) -> _Saved:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname", [table])
    constraints = [(name, definition) for name, definition in cursor.fetchall()]
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
        [table, table])
    return _Saved(table, [definition for _name, definition in cursor.fetchall()], constraints)


@contextmanager
def bare_tables(tables: Sequence[str], timer: Any) -> Iterator[None]:
    """Load into ``tables`` without their secondary indexes, unique and foreign-key constraints, then put every
    one back exactly as it was (indexes rebuilt, constraints validated), timing that as "rebuild_indexes"."""
    from django.db import connection

    with connection.cursor() as cursor:
        saved = [_saved(cursor, t) for t in tables]
        for s in saved:
            for name, _definition in s.constraints:
                cursor.execute(f'ALTER TABLE {s.table} DROP CONSTRAINT "{name}"')
            for definition in s.indexes:
                name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
                cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        _restore(saved, timer)


def _restore(saved: list[_Saved], timer: Any) -> None:
    from django.db import connection

    with timer("rebuild_indexes"), connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for s in saved:
            for definition in s.indexes:
                cursor.execute(definition)
            for name, definition in s.constraints:  # unique ones first, then foreign keys
                cursor.execute(f'ALTER TABLE {s.table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("RESET maintenance_work_mem")


def make_tree(parent_id: int, parent_path: str, branch_kind: str, branch_name: str, branches: int,
              leaves: int) -> tuple[int, int]:
    """``branches`` units of ``branch_kind`` under the parent and ``leaves`` divisions spread round-robin under
    them, by SQL with explicit ids and materialised paths. Returns the first branch id and first leaf id."""
    from congvu.org.models import OrgUnit

    branch_base = next_id("org_orgunit")
    leaf_base = branch_base + branches
    depth = parent_path.count(".")
    common = "'', '', %(source)s, NULL, DATE '2025-07-01', NULL, 'Dữ liệu thử tải'"
    execute(
        "INSERT INTO org_orgunit (id, name, kind, parent_id, path, depth, code, agency_code, source, area_id, "
        "valid_from, valid_to, legal_basis) "
        "SELECT %(base)s + g, %(name)s || ' ' || (g + 1), %(kind)s, %(parent)s, "
        "%(path)s || lpad((%(base)s + g)::text, 10, '0') || '.', %(depth)s, " + common +
        " FROM generate_series(0, %(n)s - 1) g",
        {"base": branch_base, "name": branch_name, "kind": branch_kind, "parent": parent_id, "path": parent_path,
         "depth": depth, "n": branches, "source": BENCH_SOURCE})
    execute(
        "INSERT INTO org_orgunit (id, name, kind, parent_id, path, depth, code, agency_code, source, area_id, "
        "valid_from, valid_to, legal_basis) "
        "SELECT %(leaf)s + g, 'Phòng ' || (g + 1), 'division', %(branch)s + g %% %(b)s, "
        "%(path)s || lpad((%(branch)s + g %% %(b)s)::text, 10, '0') || '.' || lpad((%(leaf)s + g)::text, 10, '0') "
        "|| '.', %(depth)s + 1, " + common + " FROM generate_series(0, %(n)s - 1) g",
        {"leaf": leaf_base, "branch": branch_base, "b": branches, "path": parent_path, "depth": depth,
         "n": leaves, "source": BENCH_SOURCE})
    reset_sequences(OrgUnit)
    return branch_base, leaf_base


PLACE_TABLE = "bench_place"


def create_placement(rows_sql: str, params: dict[str, Any]) -> int:
    """A temporary table ``bench_place(i, person_id, unit_id, leader)`` from ``rows_sql`` (columns i, unit_id,
    leader); person ids follow the people table's ids. Returns the number of people placed."""
    base = next_id("personnel_person")
    execute(f"DROP TABLE IF EXISTS {PLACE_TABLE}")
    execute(f"CREATE TEMP TABLE {PLACE_TABLE} AS SELECT x.i::bigint AS i, %(pbase)s + x.i AS person_id, "
            f"x.unit_id::bigint AS unit_id, x.leader::boolean AS leader FROM ({rows_sql}) x", {**params, "pbase": base})
    execute(f"CREATE UNIQUE INDEX ON {PLACE_TABLE} (i)")
    execute(f"ANALYZE {PLACE_TABLE}")
    return int(scalar(f"SELECT count(*) FROM {PLACE_TABLE}"))


def insert_people() -> int:
    """Minimal people, one per placement row: a unique 12-digit id, a name, their unit and org path."""
    from congvu.personnel.models import Person

    count = execute(
        "INSERT INTO personnel_person (id, personal_id, old_id, family_name, middle_name, given_name, search_name, "
        "sort_key, birth_date, birth_year, sex, ethnicity, religion, party_member, party_joined_on, hometown_id, "
        "birthplace_id, education_level, political_theory_level, category, current_unit_id, org_path, "
        "insured_months, user_id, version, created_at, updated_at) "
        f"SELECT p.person_id, lpad(p.person_id::text, 12, '0'), '', 'Nguyễn', 'Văn', 'Thử ' || p.i, "
        "'nguyen van thu ' || p.i, 'thu ' || lpad(p.i::text, 9, '0'), NULL, 1966 + (p.i %% 37)::int, "
        "CASE WHEN p.i %% 2 = 0 THEN 'M' ELSE 'F' END, 'Kinh', '', NULL, NULL, NULL, NULL, '', '', "
        "'civil_servant', p.unit_id, u.path, 0, NULL, 1, now(), now() "
        f"FROM {PLACE_TABLE} p JOIN org_orgunit u ON u.id = p.unit_id")
    reset_sequences(Person)
    return count


# Group of similar tasks: the position name, as periods.ensure_sheets sets it (leaders: their title).
GROUP_SQL = ("CASE WHEN p.leader THEN 'Trưởng phòng' WHEN p.i %% 20 = 1 THEN 'Văn thư' "
             "WHEN p.i %% 5 = 2 THEN 'Chuyên viên chính' ELSE 'Chuyên viên' END")
