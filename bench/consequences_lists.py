"""All consequence lists of the nation (issue 5 item 7): every agency's lists for 2026 on PostgreSQL.

    python -m bench.consequences_lists --people 2500000 \
        [--database-url postgres://postgres@127.0.0.1:55432/congvu_bench_consequences] [--reuse]

The database is created if needed, migrated and emptied (it must be empty or demo/bench data); ``--reuse``
keeps a database this benchmark loaded before with the same ``--people`` and only times the runs. The data is
made by SQL, set-based (``INSERT … SELECT generate_series``, hashes of the person's index for every random
choice, so a size always gives the same data):

- the national tree: 34 provinces; agencies (one in eight a ministry under the root, the rest provincial
  departments) of ≈ 200–5,000 people, ≈ 2,600 on average; divisions of 25 (the first of each its head);
- an ``AgencyScheme`` and a 2026 ``AnnualRun`` per agency in its complaint window (published 15/01/2027);
- job positions: one per rank present in a division, quota = filled ± a few (≈ 1 position in 6 with a seat
  to fill, some over quota);
- people born 1964–2003 with sex and insured months; a current employment in rank 01.001–01.005, a step within
  the salary group's steps reached 2021–2026, allowances (25 %, heads' position allowance);
- an ``AnnualResult`` per person (≈ 6 % excellent, 30 % good, 62 % completed, 2 % not completed) and
  ``PastRating`` 2021–2025 (5 rows per person);
- circumstances (child under 36 months, pregnancy, redundant, below standard, volunteer, investigation,
  disciplinary review, reduced retirement age, written achievement), sick leave in 2025–2026, disciplines
  2024–2026 and 2026 rewards.

Bulk tables are loaded without secondary indexes and constraints (rebuilt and validated after), then
VACUUM ANALYZEd. Timed: the national run — every agency with a published 2026 classification through
``jobs.make_lists`` (one transaction each) — split from outside into gather (``facts.gather``), rules (the pure
rule modules and the rows they make) and write (``lists._write``); then the same run again, which must give
the same entries. Results go to ``bench/results/consequences-lists-<people>.json`` and ``results.md``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bench.common import Timer, database_label, peak_rss_mb, write_result
from bench.kpi_common import (
    bare_tables,
    ensure_database,
    execute,
    next_id,
    reset_sequences,
    scalar,
    vacuum_analyze,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:55432/congvu_bench_consequences"
YEAR = 2026
SOURCE = "bench consequences"
DIVISION_SIZE = 25
MEAN_AGENCY = 2_600
PUBLISHED_AT = "2027-01-15 09:00:00+07"
RANKS = ("01.001", "01.002", "01.003", "01.004", "01.005")
LOADED_TABLES = ("personnel_person", "personnel_employment", "evaluation_annualresult", "consequences_pastrating",
                 "consequences_circumstance", "personnel_leave", "personnel_discipline", "personnel_reward")
# A uniform pseudo-random integer in [0, m) from a person's index and a seed: every choice is reproducible.
H_FUNCTION = ("CREATE OR REPLACE FUNCTION pg_temp.h(i bigint, seed bigint, m int) RETURNS int LANGUAGE sql "
              "IMMUTABLE AS $$ SELECT ((hashint8extended(i, seed) & 1073741823) %% m)::int $$")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="All consequence lists of the nation for 2026.")
    parser.add_argument("--people", type=int, default=200_000, help="people (2500000 for the national figure)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL database (emptied first)")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier load of the same size")
    parser.add_argument("--workers", type=int, default=1, help="processes sharing the agencies (1: the serial run)")
    parser.add_argument("--runs", type=int, default=2, help="national runs (the second checks idempotence); 0: load only")
    return parser.parse_args(argv)


# --- the data -----------------------------------------------------------------------------------------------


def agency_sizes(people: int) -> list[int]:
    """≈ 200–5,000 people per agency (weights 200 + a spread), scaled to sum exactly to ``people``."""
    n = max(2, round(people / MEAN_AGENCY))
    weights = [200 + (a * 7919) % 4801 for a in range(n)]
    total = sum(weights)
    sizes = [max(1, w * people // total) for w in weights]
    sizes[-1] += people - sum(sizes)
    return sizes


def make_structure(people: int) -> dict[str, int]:
    """Provinces, agencies and divisions (explicit ids, materialised paths) and the temp table ``bench_agency``."""
    from congvu.org.models import OrgUnit
    from congvu.org.reference import nation_root

    root = nation_root()
    sizes = agency_sizes(people)
    provinces = min(34, len(sizes))
    pbase = next_id("org_orgunit")
    abase = pbase + provinces
    dbase = abase + len(sizes)
    firsts, divisions, first_i, d, i = [], [], [], dbase, 0
    for size in sizes:
        n_div = -(-size // DIVISION_SIZE)
        firsts.append(d)
        divisions.append(n_div)
        first_i.append(i)
        d, i = d + n_div, i + size
    common = "'', '', %(source)s, NULL, DATE '2025-07-01', NULL, 'Dữ liệu thử tải'"
    cols = ("id, name, kind, parent_id, path, depth, code, agency_code, source, area_id, valid_from, valid_to, "
            "legal_basis")
    execute(f"INSERT INTO org_orgunit ({cols}) SELECT %(base)s + g, 'Tỉnh thử tải ' || (g + 1), 'province', "
            f"%(root)s, %(path)s || lpad((%(base)s + g)::text, 10, '0') || '.', %(depth)s, {common} "
            "FROM generate_series(0, %(n)s - 1) g",
            {"base": pbase, "root": root.pk, "path": root.path, "depth": root.depth + 1, "n": provinces,
             "source": SOURCE})
    execute("DROP TABLE IF EXISTS bench_agency")
    execute("CREATE TEMP TABLE bench_agency AS SELECT a - 1 AS a, %(abase)s + a - 1 AS id, "
            "CASE WHEN (a - 1) %% 8 = 0 THEN %(root)s ELSE %(pbase)s + (a - 1) %% %(p)s END AS parent_id, "
            "s.size, s.first_div, s.divisions, s.first_i "
            "FROM unnest(%(sizes)s::int[], %(firsts)s::bigint[], %(divs)s::int[], %(fi)s::bigint[]) "
            "WITH ORDINALITY AS s(size, first_div, divisions, first_i, a)",
            {"abase": abase, "root": root.pk, "pbase": pbase, "p": provinces, "sizes": sizes, "firsts": firsts,
             "divs": divisions, "fi": first_i})
    execute(f"INSERT INTO org_orgunit ({cols}) SELECT ag.id, CASE WHEN ag.parent_id = %(root)s "
            "THEN 'Bộ thử tải ' ELSE 'Sở thử tải ' END || (ag.a + 1), CASE WHEN ag.parent_id = %(root)s "
            "THEN 'ministry' ELSE 'provincial_department' END, ag.parent_id, "
            f"u.path || lpad(ag.id::text, 10, '0') || '.', u.depth + 1, {common} "
            "FROM bench_agency ag JOIN org_orgunit u ON u.id = ag.parent_id", {"root": root.pk, "source": SOURCE})
    execute(f"INSERT INTO org_orgunit ({cols}) SELECT ag.first_div + g, 'Phòng ' || (g + 1), 'division', ag.id, "
            f"u.path || lpad((ag.first_div + g)::text, 10, '0') || '.', u.depth + 1, {common} "
            "FROM bench_agency ag JOIN org_orgunit u ON u.id = ag.id, generate_series(0, ag.divisions - 1) g",
            {"source": SOURCE})
    reset_sequences(OrgUnit)
    execute("ANALYZE bench_agency")
    return {"provinces": provinces, "agencies": len(sizes), "divisions": d - dbase, "ministries": -(-len(sizes) // 8)}


def make_placement() -> int:
    """``bench_place``: one row per person — index, id, division, agency, head of division, rank (0–4)."""
    base = next_id("personnel_person")
    execute("DROP TABLE IF EXISTS bench_place")
    execute(
        "CREATE TEMP TABLE bench_place AS SELECT x.i, %(base)s + x.i AS person_id, x.unit_id, x.agency_id, x.leader, "
        "CASE WHEN x.k = 0 THEN 0 WHEN x.leader THEN 1 ELSE (SELECT CASE WHEN r < 2 THEN 0 WHEN r < 20 THEN 1 "
        "WHEN r < 75 THEN 2 WHEN r < 88 THEN 3 ELSE 4 END FROM (SELECT pg_temp.h(x.i, 1, 100) AS r) z) END AS rank_ix, "
        "1964 + pg_temp.h(x.i, 2, 40) AS birth_year, pg_temp.h(x.i, 3, 10000) AS h "
        "FROM (SELECT ag.first_i + g AS i, g AS k, ag.first_div + g / %(size)s AS unit_id, ag.id AS agency_id, "
        "g %% %(size)s = 0 AS leader FROM bench_agency ag, generate_series(0, ag.size - 1) g) x",
        {"base": base, "size": DIVISION_SIZE})
    execute("CREATE UNIQUE INDEX ON bench_place (i)")
    execute("ANALYZE bench_place")
    return int(scalar("SELECT count(*) FROM bench_place"))


def make_positions() -> int:
    """One job position per rank present in a division (``bench_pos``), quota set after the employments."""
    from congvu.org.models import JobPosition

    base = next_id("org_jobposition")
    execute("DROP TABLE IF EXISTS bench_pos")
    execute("CREATE TEMP TABLE bench_pos AS SELECT %(base)s + row_number() OVER (ORDER BY unit_id, rank_ix) - 1 AS id, "
            "unit_id, rank_ix FROM (SELECT DISTINCT unit_id, rank_ix FROM bench_place) d", {"base": base})
    execute("CREATE UNIQUE INDEX ON bench_pos (unit_id, rank_ix)")
    names = "ARRAY['Chuyên viên cao cấp', 'Chuyên viên chính', 'Chuyên viên', 'Cán sự', 'Nhân viên']"
    n = execute(
        "INSERT INTO org_jobposition (id, code, name, \"group\", headcount_quota, valid_from, valid_to, unit_id, rank_id) "
        f"SELECT p.id, '', ({names})[p.rank_ix + 1] || ' (vị trí ' || p.id || ')', "
        "CASE WHEN p.rank_ix <= 1 THEN 'leadership' WHEN p.rank_ix = 4 THEN 'support' ELSE 'professional' END, "
        "0, DATE '2025-07-01', NULL, p.unit_id, r.id FROM bench_pos p "
        "JOIN org_rank r ON r.code = (%(ranks)s::text[])[p.rank_ix + 1]", {"ranks": list(RANKS)})
    reset_sequences(JobPosition)
    return n


def insert_people() -> int:
    from congvu.personnel.models import Person

    count = execute(
        "INSERT INTO personnel_person (id, personal_id, old_id, family_name, middle_name, given_name, search_name, "
        "sort_key, birth_date, birth_year, sex, ethnicity, religion, party_member, party_joined_on, hometown_id, "
        "birthplace_id, education_level, political_theory_level, category, current_unit_id, org_path, "
        "insured_months, user_id, version, created_at, updated_at) "
        "SELECT p.person_id, lpad(p.person_id::text, 12, '0'), '', 'Nguyễn', "
        "CASE WHEN p.h %% 2 = 0 THEN 'Văn' ELSE 'Thị' END, 'Thử ' || p.i, "
        "'nguyen ' || CASE WHEN p.h %% 2 = 0 THEN 'van' ELSE 'thi' END || ' thu ' || p.i, "
        "'thu ' || lpad(p.i::text, 9, '0'), make_date(p.birth_year, 1 + p.h %% 12, 1 + p.h %% 28), p.birth_year, "
        "CASE WHEN p.h %% 2 = 0 THEN 'M' ELSE 'F' END, 'Kinh', '', NULL, NULL, NULL, NULL, '', '', "
        "'civil_servant', p.unit_id, u.path, "
        "GREATEST(0, LEAST(480, (%(year)s - p.birth_year - 23) * 12 + pg_temp.h(p.i, 4, 12))), NULL, 1, now(), now() "
        "FROM bench_place p JOIN org_orgunit u ON u.id = p.unit_id", {"year": YEAR})
    reset_sequences(Person)
    return count


def insert_employments() -> int:
    """Current employments; step within the group's steps, reached 2021–2026; 25 % allowances; heads' allowance."""
    from congvu.personnel.models import Employment

    count = execute(
        "INSERT INTO personnel_employment (title, salary_step, step_since, position_allowance, seniority_pct, "
        "percent_allowances, start_date, end_date, decision_number, end_reason, position_id, rank_id, unit_id, "
        "person_id) "
        "SELECT CASE WHEN p.leader THEN 'Trưởng phòng' ELSE '' END, e.step, GREATEST(e.since, e.start), "
        "CASE WHEN p.leader THEN 0.30 ELSE 0 END, "
        "CASE WHEN e.step = g.steps AND e.since < DATE '2023-01-01' THEN 5 ELSE 0 END, 25, e.start, NULL, "
        "'1/QĐ-TD', '', pos.id, r.id, p.unit_id, p.person_id "
        "FROM bench_place p JOIN bench_pos pos ON pos.unit_id = p.unit_id AND pos.rank_ix = p.rank_ix "
        "JOIN org_rank r ON r.code = (%(ranks)s::text[])[p.rank_ix + 1] "
        "JOIN (SELECT group_id, max(step) AS steps FROM org_salarystep GROUP BY group_id) g "
        "ON g.group_id = r.salary_group_id "
        "CROSS JOIN LATERAL (SELECT 1 + pg_temp.h(p.i, 5, g.steps) AS step, "
        "DATE '2021-01-01' + pg_temp.h(p.i, 6, 2191) AS since, "
        "make_date(GREATEST(p.birth_year + 23, 1990), 1 + pg_temp.h(p.i, 7, 12), 1) AS start) e",
        {"ranks": list(RANKS)})
    reset_sequences(Employment)
    return count


def set_quotas() -> int:
    """Quota = filled, plus a seat to fill in ≈ 1 position in 6 (2 in 1 in 23), one over quota in 1 in 11."""
    return execute(
        "UPDATE org_jobposition j SET headcount_quota = GREATEST(0, f.n + CASE WHEN j.id %% 6 = 0 THEN 1 "
        "WHEN j.id %% 23 = 0 THEN 2 WHEN j.id %% 11 = 0 THEN -1 ELSE 0 END) "
        "FROM (SELECT position_id, count(*) AS n FROM personnel_employment WHERE end_date IS NULL "
        "GROUP BY position_id) f WHERE f.position_id = j.id")


def insert_runs() -> dict[str, int]:
    """An AgencyScheme and a published 2026 AnnualRun (complaint window) per agency."""
    from congvu.evaluation.models import AgencyScheme, AnnualRun

    schemes = execute(
        "INSERT INTO evaluation_agencyscheme (frequency, excellent_ratio, exception_decision, self_days, "
        "manager_days, approve_days, agency_id, quota_by_division) "
        "SELECT 'monthly', 0.20, '', 5, 10, 15, id, FALSE FROM bench_agency")
    runs = execute(
        "INSERT INTO evaluation_annualrun (year, version, is_current, status, excellent_ratio, rule_set_id, "
        "reopen_reason, computed_at, head_approved_at, published_at, complaint_until, finalised_at, people, agency_id) "
        "SELECT %(year)s, 1, TRUE, 'complaint_window', 0.20, 'nd335-2025-v1', '', "
        "%(at)s::timestamptz - interval '10 days', %(at)s::timestamptz - interval '2 days', %(at)s, "
        "DATE '2027-01-30', NULL, size, id FROM bench_agency", {"year": YEAR, "at": PUBLISHED_AT})
    reset_sequences(AgencyScheme, AnnualRun)
    return {"schemes": schemes, "annual_runs": runs}


def insert_results() -> int:
    """≈ 6 % excellent, 30 % good, 62 % completed, 2 % not completed, with a score in the level's band."""
    from congvu.evaluation.models import AnnualResult

    count = execute(
        "INSERT INTO evaluation_annualresult (\"group\", role, periods_worked, score_sum_cp, annual_score, "
        "level_by_score, override, quota_demoted, quota_tie, tie_promoted, level, person_id, unit_id, run_id, "
        "quota_unit_id) "
        "SELECT CASE WHEN p.leader THEN 'Trưởng phòng' ELSE 'Chuyên viên' END, "
        "CASE WHEN p.leader THEN 'leader' ELSE 'staff' END, 12, (s.score * 1200)::bigint, s.score, s.level, '', "
        "FALSE, FALSE, FALSE, s.level, p.person_id, p.unit_id, r.id, NULL "
        "FROM bench_place p JOIN evaluation_annualrun r ON r.agency_id = p.agency_id AND r.year = %(year)s "
        "CROSS JOIN LATERAL (SELECT pg_temp.h(p.i, 8, 10000) AS l, pg_temp.h(p.i, 9, 1000)::numeric / 100 AS f) x "
        "CROSS JOIN LATERAL (SELECT CASE WHEN x.l < 600 THEN 'EXCELLENT' WHEN x.l < 3600 THEN 'GOOD' "
        "WHEN x.l < 9800 THEN 'COMPLETED' ELSE 'NOT_COMPLETED' END AS level, "
        "CASE WHEN x.l < 600 THEN 90 + x.f WHEN x.l < 3600 THEN 80 + x.f WHEN x.l < 9800 THEN 55 + 2 * x.f "
        "ELSE 30 + 1.5 * x.f END AS score) s", {"year": YEAR})
    reset_sequences(AnnualResult)
    return count


def insert_past_ratings() -> int:
    """2021–2025: 10 % excellent, 35 % good, 53.5 % completed, 1.5 % not completed."""
    from congvu.consequences.models import PastRating

    count = execute(
        "INSERT INTO consequences_pastrating (year, level, source, person_id) "
        "SELECT y, CASE WHEN l < 100 THEN 'EXCELLENT' WHEN l < 450 THEN 'GOOD' WHEN l < 985 THEN 'COMPLETED' "
        "ELSE 'NOT_COMPLETED' END, 'Hồ sơ đánh giá năm ' || y, p.person_id "
        "FROM bench_place p CROSS JOIN generate_series(2021, 2025) y "
        "CROSS JOIN LATERAL (SELECT pg_temp.h(p.i, 100 + y, 1000) AS l) x")
    reset_sequences(PastRating)
    return count


CIRCUMSTANCES = (  # kind, range of pg_temp.h(i, 20, 10000), start, end, extra condition
    ("child_under_36m", 0, 900, "DATE '2024-01-01' + pg_temp.h(p.i, 21, 1000)", "NULL",
     "p.h % 2 = 1 AND p.birth_year >= 1982"),
    ("pregnant", 900, 1100, "DATE '2026-08-01' + pg_temp.h(p.i, 21, 120)", "DATE '2027-06-30'",
     "p.h % 2 = 1 AND p.birth_year >= 1985"),
    ("redundant_restructuring", 1100, 1250, "DATE '2025-07-01'", "NULL", "TRUE"),
    ("below_training_standard", 1250, 1300, "DATE '2025-01-01'", "NULL", "TRUE"),
    ("volunteer_streamlining", 1300, 1330, "DATE '2026-10-01'", "NULL", "TRUE"),
    ("investigation", 1330, 1340, "DATE '2026-06-01'", "NULL", "TRUE"),
    ("disciplinary_review", 1340, 1350, "DATE '2026-11-01'", "DATE '2027-03-31'", "TRUE"),
    ("reduced_retirement_age", 1350, 1450, "DATE '2010-01-01'", "NULL", "TRUE"),
    ("outstanding_achievement", 1450, 1550, "DATE '2026-03-01' + pg_temp.h(p.i, 21, 270)", "NULL", "TRUE"),
)


def insert_events() -> dict[str, int]:
    """Circumstances, sick leave (≈ 3 %, 3–75 days in 2025–2026), disciplines (≈ 0.5 %), 2026 rewards (≈ 4 %)."""
    from congvu.consequences.models import Circumstance
    from congvu.personnel.models import Discipline, Leave, Reward

    circumstances = 0
    for kind, lo, hi, start, end, extra in CIRCUMSTANCES:
        circumstances += execute(
            "INSERT INTO consequences_circumstance (kind, start_date, end_date, decision_number, note, person_id) "
            f"SELECT %(kind)s, {start}, {end}, '15/QĐ-UBND', '', p.person_id FROM bench_place p "
            f"WHERE pg_temp.h(p.i, 20, 10000) >= %(lo)s AND pg_temp.h(p.i, 20, 10000) < %(hi)s "
            f"AND {extra.replace('%', '%%')}", {"kind": kind, "lo": lo, "hi": hi})
    leave = execute(
        "INSERT INTO personnel_leave (kind, start_date, end_date, note, person_id) "
        "SELECT 'sick', s.d, s.d + 2 + pg_temp.h(p.i, 31, 73), '', p.person_id FROM bench_place p "
        "CROSS JOIN LATERAL (SELECT DATE '2025-01-01' + pg_temp.h(p.i, 32, 640) AS d) s "
        "WHERE pg_temp.h(p.i, 30, 1000) < 30")
    disciplines = execute(
        "INSERT INTO personnel_discipline (form, decided_on, effective_from, effective_to, decision_number, reason, "
        "person_id) SELECT CASE WHEN pg_temp.h(p.i, 41, 4) = 0 THEN 'warning' ELSE 'reprimand' END, s.d, s.d, "
        "s.d + 364, '7/QĐ-KL', 'Dữ liệu thử tải', p.person_id FROM bench_place p "
        "CROSS JOIN LATERAL (SELECT DATE '2024-01-01' + pg_temp.h(p.i, 42, 1000) AS d) s "
        "WHERE pg_temp.h(p.i, 40, 1000) < 5")
    rewards = execute(
        "INSERT INTO personnel_reward (title, level, decided_on, decision_number, person_id) "
        "SELECT CASE WHEN pg_temp.h(p.i, 51, 5) = 0 THEN 'Bằng khen của Bộ trưởng' "
        "ELSE 'Bằng khen của Chủ tịch UBND tỉnh' END, 'Tỉnh', DATE '2026-02-01' + pg_temp.h(p.i, 52, 300), "
        "'123/QĐ-KT', p.person_id FROM bench_place p WHERE pg_temp.h(p.i, 50, 1000) < 40")
    reset_sequences(Circumstance, Leave, Discipline, Reward)
    return {"circumstances": circumstances, "sick_leave": leave, "disciplines": disciplines, "rewards": rewards}


def load(args: argparse.Namespace, timer: Timer) -> dict[str, Any]:
    from congvu.org.reference import load_base_salaries, load_salary_tables

    execute(H_FUNCTION)
    with timer("reference"):
        load_salary_tables()
        load_base_salaries()
    with timer("structure"):
        structure = make_structure(args.people)
        people = make_placement()
        positions = make_positions()
        runs = insert_runs()
    with bare_tables(list(LOADED_TABLES), timer):
        with timer("load_people"):
            insert_people()
            employments = insert_employments()
        with timer("load_ratings"):
            results = insert_results()
            past = insert_past_ratings()
        with timer("load_events"):
            events = insert_events()
    with timer("quotas"):
        set_quotas()
    with timer("vacuum_analyze"):
        vacuum_analyze(*LOADED_TABLES, "org_orgunit", "org_jobposition", "evaluation_annualrun",
                       "evaluation_agencyscheme")
    return {**structure, "people": people, "positions": positions, **runs, "employments": employments,
            "annual_results": results, "past_ratings": past, **events}


# --- the national run ---------------------------------------------------------------------------------------


class StageTimer:
    """Time gather / rules / write from outside: ``facts.gather`` and ``lists._write`` are wrapped (the rows are
    drawn from the rules' generator before the write starts, so the two are told apart)."""

    def __init__(self) -> None:
        self.timer = Timer()

    def __enter__(self) -> StageTimer:
        from congvu.consequences import facts, lists

        self._gather, self._write = facts.gather, lists._write
        # lists imported ``gather``: it is replaced where it is called, in the module's namespace
        vars(lists).update(gather=self._timed_gather, _write=self._timed_write)
        return self

    def __exit__(self, *exc: object) -> None:
        from congvu.consequences import lists

        vars(lists).update(gather=self._gather, _write=self._write)

    def _timed_gather(self, *args: Any, **kwargs: Any) -> Any:
        with self.timer("gather"):
            return self._gather(*args, **kwargs)

    def _timed_write(self, run: Any, rows: Iterable[Any]) -> dict[str, int]:
        with self.timer("rules"):
            drawn = list(rows)
        with self.timer("write"):
            return self._write(run, drawn)


def run_agencies(agency_ids: list[int], year: int = YEAR) -> dict[str, Any]:
    """``jobs.make_lists`` for each agency (each in its own transaction, as the operator's command does);
    the stage split, counts per kind and peak memory of this process."""
    from congvu.consequences import jobs
    from congvu.org.models import OrgUnit

    counts: dict[str, int] = {}
    agencies = OrgUnit.objects.in_bulk(agency_ids)
    with StageTimer() as stages:
        for pk in agency_ids:
            record = jobs.make_lists(None, agencies[pk], year)
            for kind, n in record.summary.items():
                counts[kind] = counts.get(kind, 0) + n
    return {"stages": stages.timer.seconds, "counts": counts, "peak_rss_mb": peak_rss_mb()}


def _worker(agency_ids: list[int]) -> dict[str, Any]:
    from django.db import connections

    try:
        return run_agencies(agency_ids)
    finally:
        connections.close_all()


def national_run(workers: int = 1, year: int = YEAR) -> dict[str, Any]:
    """Every agency with a published classification, one ``jobs.make_lists`` each, in this process or shared
    among ``workers`` spawned processes (agencies dealt largest first to the least loaded worker)."""
    from congvu.consequences import jobs
    from congvu.core.workers import process_pool
    from congvu.evaluation.models import AnnualRun

    started = time.perf_counter()
    agencies = [a.pk for a in jobs.agencies_published(year)]
    if workers <= 1:
        parts = [run_agencies(agencies, year)]
    else:
        sizes = dict(AnnualRun.objects.filter(year=year, is_current=True).values_list("agency_id", "people"))
        shares = jobs.share_by_size(agencies, sizes, workers)
        with process_pool(workers) as pool:  # spawned workers, each with its own connection
            parts = list(pool.map(_worker, shares))
    wall = time.perf_counter() - started
    split: dict[str, float] = {}
    counts: dict[str, int] = {}
    for part in parts:
        for k, v in part["stages"].items():
            split[k] = split.get(k, 0.0) + v
        for k, n in part["counts"].items():
            counts[k] = counts.get(k, 0) + n
    split["other"] = wall * len(parts) - sum(split.values())
    return {"workers": workers, "seconds": round(wall, 1), "stages": {k: round(v, 1) for k, v in split.items()},
            "stages_note": "seconds summed over the workers" if len(parts) > 1 else "one process",
            "agencies": len(agencies), "counts": dict(sorted(counts.items())),
            "peak_rss_mb_per_process": round(max(p["peak_rss_mb"] for p in parts), 1),
            "fingerprint": entries_fingerprint()}


def entries_fingerprint() -> dict[str, Any]:
    """Rows per kind and an md5 over every entry's content (not its id): equal after a rerun."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*), md5(string_agg(md5(concat_ws('|', r.agency_id, e.key, e.person_id, "
                       "e.position_id, e.rank, e.in_quota, e.due_date, e.new_step, e.new_coefficient, e.count, "
                       "e.monthly_cost, e.year_cost, e.benefit_vnd, e.summary, e.evidence::text)), '' "
                       "ORDER BY r.agency_id, e.key)) FROM consequences_entry e "
                       "JOIN consequences_listrun r ON r.id = e.run_id GROUP BY kind ORDER BY kind")
        rows = cursor.fetchall()
    return {kind: {"entries": n, "md5": digest} for kind, n, digest in rows}


def run(args: argparse.Namespace, timer: Timer | None = None, loaded: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load (unless ``loaded`` is given), then the national run ``args.runs`` times."""
    timer = timer or Timer()
    data = loaded if loaded is not None else load(args, timer)
    load_before = os.getloadavg()[0]
    runs = [national_run(args.workers) for _ in range(args.runs)]
    first = runs[0]
    size = scalar("SELECT pg_size_pretty(pg_database_size(current_database()))")
    return {
        "benchmark": "consequences_lists", "database": database_label(), "database_size": size, "year": YEAR,
        "data": data, "load_seconds": timer.rounded(), "load_reused": args.reuse, "load_total_seconds": round(sum(timer.seconds.values()), 1),
        "national_run_seconds": first["seconds"], "runs": runs,
        "us_per_person": round(first["seconds"] / max(1, data["people"]) * 1e6, 1),
        "entries": sum(v["entries"] for v in first["fingerprint"].values()),
        "rerun_identical": all(r["fingerprint"] == first["fingerprint"] for r in runs[1:]),
        "work_mem": scalar("SHOW work_mem"),
        "load_average_before_timed": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def open_database(url: str, people: int, reuse: bool) -> tuple[Any, dict[str, Any] | None]:
    """Set Django up on the benchmark database; empty and migrate it unless ``reuse`` finds a load of this size.
    Returns the JobRun marking it as bench data and, when reused, the load's figures."""
    from bench.common import setup_django

    ensure_database(url)
    os.environ.setdefault("CONGVU_DEBUG", "false")  # DEBUG keeps every statement (the COPY's too) in memory
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from bench.load_people import empty_database
    from congvu.core.models import JobRun

    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: pass --database-url postgres://…")
    call_command("migrate", interactive=False, verbosity=0)
    if reuse:
        earlier = JobRun.objects.filter(job="demo", scope="bench-consequences", status=JobRun.Status.DONE).last()
        if earlier is not None and earlier.summary.get("people") == people:
            execute("DELETE FROM consequences_entry")
            execute("DELETE FROM consequences_listrun")
            return earlier, earlier.summary.get("data")
    empty_database()
    return JobRun.objects.create(job="demo", scope="bench-consequences", summary={}), None


def _line(data: dict[str, Any]) -> str:
    first = data["runs"][0]
    stages = ", ".join(f"{k} {v} s" for k, v in first["stages"].items())
    again = f"; again {data['runs'][1]['seconds']} s, identical: {data['rerun_identical']}" if len(data["runs"]) > 1 else ""
    return (f"consequences_lists: all lists of {first['agencies']:,} agencies, {data['data']['people']:,} people in "
            f"{data['national_run_seconds']} s with {first['workers']} process(es) on {data['database']} ({stages}); {data['entries']:,} entries "
            f"{ {k: v['entries'] for k, v in first['fingerprint'].items()} }{again}; load "
            f"{data['load_total_seconds']} s; peak RSS {data['peak_rss_mb']:.0f} MB")


def main(argv: Sequence[str] | None = None, *, write: Callable[..., Any] = write_result) -> dict[str, Any]:
    args = parse_args(argv)
    job, loaded = open_database(args.database_url, args.people, args.reuse)
    from congvu.demo.generate import finish

    timer = Timer()
    if loaded is None:
        loaded = load(args, timer)
        finish(job, {"benchmark": "consequences_lists", "people": args.people, "data": loaded,
                     "load_seconds": timer.rounded()})
    else:  # the figures of the load this run reuses
        timer.seconds.update(job.summary.get("load_seconds", {}))
    if args.runs == 0:  # load only (time the runs later with --reuse)
        print(f"loaded {args.people:,} people in {sum(timer.seconds.values()):.0f} s: {timer.rounded()}")
        return {"data": loaded, "load_seconds": timer.rounded()}
    data = run(args, timer, loaded)
    line = _line(data)
    suffix = f"-w{args.workers}" if args.workers > 1 else ""
    write(f"consequences-lists-{args.people}{suffix}", data, line)
    print(line)
    return data


if __name__ == "__main__":
    main()
