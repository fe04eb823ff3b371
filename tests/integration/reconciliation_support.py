"""Test support for the reconciliation queue: a run loaded from engine results written by hand.

``load_results`` writes a ``results.parquet`` in the engine's output contract (one row per register record:
every person not named in ``rows`` is MATCHED) and loads it with the real service
(:func:`congvu.reconciliation.services.load_run`), as ``run_reconciliation`` does after the engine.
The end-to-end tests with the real engine are in test_reconciliation_run.py.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from congvu.core.types import Actor
from congvu.personnel.models import Person
from congvu.reconciliation import services
from congvu.reconciliation.models import ReconciliationRun
from congvu.rules.personal_id import make_personal_id
from tests.factories import World

COLUMNS = ("record_id", "status", "personal_id", "matched_personal_id", "probability", "differences", "id_problem",
           "duplicate_of", "reason", "pop_full_name", "pop_birth_date", "pop_sex", "pop_old_id")


def result(person: Person, status: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update(record_id=str(person.pk), status=status, personal_id=person.personal_id, probability=None,
               matched_personal_id=person.personal_id if status.startswith("MATCHED") else "")
    row.update(values)
    return row


def load_results(rows: list[dict[str, Any]], *, actor: Actor = None, scope_path: str = "",
                 population_file: str = "dan-cu-thu-nghiem.parquet") -> ReconciliationRun:
    named = {row["record_id"] for row in rows}
    people = Person.objects.order_by("pk")
    everyone = rows + [result(p, "MATCHED") for p in people if str(p.pk) not in named]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "out").mkdir()
        table = pa.table({c: [row[c] for row in everyone] for c in COLUMNS},
                         schema=pa.schema([(c, pa.float64() if c == "probability" else pa.string()) for c in COLUMNS]))
        pq.write_table(table, work / "out" / "results.parquet")
        services.write_placement(work / "placement.parquet", services.people_in(scope_path))
        summary = {"counts": {}, "dataset_version": "2026-11", "population_rows": 1000}
        facts = services.RunFacts(population_file=population_file, scope_path=scope_path, scope_unit=None,
                                  personnel_rows=people.count())
        return services.load_run(actor, None, work, summary, facts)


def other_id(person: Person, serial: int) -> str:
    """A structurally valid personal ID for ``person`` that is not theirs (as the population would propose)."""
    return make_personal_id("001", person.sex, person.birth_year, 900000 + serial)


def queue_world(world: World) -> dict[str, dict[str, Any]]:
    """Result rows for the world's three people: Hà's name differs in diacritics, Bình was found through
    a probable match under another ID, the outsider (Huế) is not found."""
    ha, binh = world.ha, world.binh
    return {
        "ha": result(ha, "MATCHED_WITH_DIFFERENCES", differences="full_name:diacritics",
                     pop_full_name="Nguyễn Thị Thu Hạ", pop_birth_date=ha.birth_date.isoformat()  # type: ignore[union-attr]
                     , pop_sex="F", reason="Họ tên khác dấu."),
        "binh": result(binh, "PROBABLE", matched_personal_id=other_id(binh, 1), probability=0.82,
                       id_problem="belongs_to_other_person", pop_full_name="Trần Văn Bình",
                       pop_birth_date=binh.birth_date.isoformat(), pop_sex="M",  # type: ignore[union-attr]
                       reason="Số định danh là của người khác; tìm được người trùng họ tên, ngày sinh."),
        "outsider": result(world.outsider, "NOT_FOUND", reason="Không tìm thấy trong CSDL dân cư."),
    }
