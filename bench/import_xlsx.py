"""Write a large .xlsx of people and import it; report rows/s and peak memory.

    python -m bench.import_xlsx --rows 100000 [--database-url postgres://…] [--seed 1]

Without ``--database-url`` a fresh SQLite database in a temporary folder is used. The organisation of
the demo province (Ninh Bình, 37) is built first, then the demo's people stream is written to a
spreadsheet in the importer's layout (:func:`congvu.personnel.io.samples.write_people_xlsx`): realistic
names, valid IDs, units named by their chain ("Ủy ban nhân dân tỉnh Ninh Bình > Sở Nội vụ > Văn
phòng"), job-position codes, ranks and steps. The file is then imported with
:func:`congvu.personnel.io.importing.import_people` by an HR user's scope (the province). Results go to
``bench/results/import_xlsx_<rows>_<db>.json`` and ``results.md``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.common import Timer, database_label, peak_rss_mb, setup_django, write_result


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Write and import a large .xlsx of people.")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied first); default: fresh SQLite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-file", action="store_true", help="keep the .xlsx (printed path)")
    return parser.parse_args(argv)


def unit_chains(province_path: str) -> dict[int, str]:
    """Unit id → "Province > Department > Division", names joined by the importer's chain separator."""
    from congvu.org.models import OrgUnit
    from congvu.personnel.io.refs import CHAIN

    units = dict(OrgUnit.objects.filter(path__startswith=province_path).values_list("pk", "name"))
    paths = dict(OrgUnit.objects.filter(path__startswith=province_path).values_list("pk", "path"))
    root_depth = province_path.count(".")
    chains = {}
    for pk, path in paths.items():
        ids = [int(s) for s in path.split(".") if s][root_depth - 1:]
        chains[pk] = CHAIN.join(units[i] for i in ids)
    return chains


def spreadsheet_rows(drafts: Iterator[Any], chains: dict[int, str], position_codes: dict[int, str],
                     rank_codes: dict[int, str]) -> Iterator[dict[str, Any]]:
    from congvu.personnel.models import Category, EducationLevel, PoliticalTheoryLevel

    category = dict(Category.choices)
    education = dict(EducationLevel.choices)
    theory = dict(PoliticalTheoryLevel.choices)
    for d in drafts:
        spell = d.spells[-1]
        yield {
            "personal_id": d.personal_id, "family_name": d.family_name, "middle_name": d.middle_name,
            "given_name": d.given_name, "birth_date": d.birth_date, "sex": "Nam" if d.sex == "M" else "Nữ",
            "old_id": d.old_id, "category": category[d.category], "unit": chains[spell.unit_id],
            "position_code": position_codes.get(spell.position_id or 0, ""), "title": spell.title,
            "rank": rank_codes.get(spell.rank_id or 0, ""), "salary_step": spell.salary_step,
            "step_since": spell.step_since, "position_allowance": spell.position_allowance,
            "seniority_pct": spell.seniority_pct, "percent_allowances": spell.percent_allowances,
            "start_date": spell.start_date, "decision_number": spell.decision_number,
            "insured_months": d.insured_months,
            "education_level": education.get(d.education_level, "") if d.education_level else "",
            "political_theory_level": theory.get(d.political_theory_level, "") if d.political_theory_level else "",
            "ethnicity": d.ethnicity, "religion": d.religion, "party_member": "Có" if d.party_member else "Không",
            "party_joined_on": d.party_joined_on,
        }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="congvu-bench-"))
    if not args.database_url:
        os.environ["CONGVU_DATA_DIR"] = str(workdir)  # a fresh SQLite file
        os.environ.pop("DATABASE_URL", None)
    setup_django(args.database_url or None)
    from django.core.management import call_command
    from django.db import transaction

    from bench.load_people import empty_database
    from congvu.core.models import JobRun
    from congvu.core.scope import Scope
    from congvu.demo.people import PeopleStream
    from congvu.demo.structure import build_structure
    from congvu.org.models import JobPosition, Rank
    from congvu.org.reference import load_all
    from congvu.personnel.io.importing import import_people
    from congvu.personnel.io.samples import write_people_xlsx
    from congvu.personnel.models import Person

    timer = Timer()
    with timer("setup"):
        call_command("migrate", interactive=False, verbosity=0)
        empty_database()
        # Mark the database as bench data, so the next benchmark or `congvu demo --reset` may empty it.
        JobRun.objects.create(job="demo", scope="bench import_xlsx", status=JobRun.Status.DONE)
        load_all()
        with transaction.atomic():
            structure = build_structure(("37",), args.rows, random.Random(args.seed))
    province = structure.provinces[0]
    drafts = PeopleStream(structure.slots, structure.plans, structure.ranks, seed=args.seed).people()
    rows = spreadsheet_rows(drafts, unit_chains(province.path),
                            dict(JobPosition.objects.values_list("pk", "code")), dict(Rank.objects.values_list("pk", "code")))
    path = workdir / f"can-bo-{args.rows}.xlsx"
    with timer("write_xlsx"):
        written = write_people_xlsx(path, itertools.islice(rows, args.rows))
    rss_after_write = peak_rss_mb()
    with timer("import"):
        report = import_people(path, filename=path.name, actor=None, scope=Scope(paths=(province.path,)))
    if not report.ok:
        problems = [f"dòng {e.row}, cột {e.column} ({e.value}): {e.reason}" for e in report.errors[:10]]
        raise SystemExit(f"import refused the file: {len(report.errors)} errors, e.g. {problems}")
    imported = Person.objects.count()
    database = database_label()
    data: dict[str, Any] = {
        "benchmark": "import_xlsx", "database": database, "rows": written, "imported": imported,
        "file_mb": round(path.stat().st_size / 1e6, 1), "seconds": timer.rounded(),
        "write_rows_per_second": round(written / timer.seconds["write_xlsx"]),
        "import_rows_per_second": round(imported / timer.seconds["import"]),
        "peak_rss_mb_after_write": round(rss_after_write, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    line = (f"import_xlsx: {written:,} rows ({data['file_mb']} MB) into {data['database']}: import "
            f"{timer.seconds['import']:.0f} s = {data['import_rows_per_second']:,} rows/s (writing the file "
            f"{timer.seconds['write_xlsx']:.0f} s), peak RSS {data['peak_rss_mb']:.0f} MB")
    write_result(f"import_xlsx_{written}_{database.split()[0]}", data, line)
    print(line)
    if args.keep_file:
        print(f"file kept: {path}")
    else:
        path.unlink()
    return data


if __name__ == "__main__":
    main()
