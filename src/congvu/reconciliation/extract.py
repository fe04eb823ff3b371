"""The register as the matching engine reads it: one Parquet row per person, streamed in batches.

Columns (all text): ``record_id`` (``Person.pk``), ``personal_id``, ``old_id``, ``full_name`` (family, middle,
given), ``birth_date`` (ISO yyyy-mm-dd, or yyyy when only the year is known), ``sex`` (M/F),
``hometown`` (the AdminArea code: 2-digit 2025 province, 5-digit commune or 3-digit pre-2025 province; the
engine reduces every form to the 2025 province), ``unit_id`` and ``unit_name`` (the current unit).
The names are the engine's own English headers (``congvu.matching.readers``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.db.models import QuerySet

from congvu.personnel.models import Person
from congvu.text import join_name

__all__ = ["COLUMNS", "write_register_extract"]

COLUMNS = ("record_id", "personal_id", "old_id", "full_name", "birth_date", "sex", "hometown", "unit_id",
           "unit_name")
SCHEMA = pa.schema([(name, pa.string()) for name in COLUMNS])
BATCH = 50_000

_FIELDS = ("pk", "personal_id", "old_id", "family_name", "middle_name", "given_name", "birth_date", "birth_year",
           "sex", "hometown__code", "current_unit_id", "current_unit__name")


def _row(values: tuple[Any, ...]) -> tuple[str, ...]:
    (pk, personal_id, old_id, family, middle, given, birth_date, birth_year, sex, hometown, unit_id,
     unit_name) = values
    born = birth_date.isoformat() if birth_date else (str(birth_year) if birth_year else "")
    return (str(pk), personal_id or "", old_id or "", join_name(family or "", middle or "", given or ""), born,
            sex or "", hometown or "", str(unit_id) if unit_id else "", unit_name or "")


def _batches(people: QuerySet[Person]) -> Iterator[list[tuple[str, ...]]]:
    batch: list[tuple[str, ...]] = []
    for values in people.order_by("pk").values_list(*_FIELDS).iterator(chunk_size=BATCH):
        batch.append(_row(values))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def write_register_extract(path: Path, people: QuerySet[Person]) -> int:
    """Write ``people`` to ``path`` as the engine's personnel Parquet; return the number of rows."""
    rows = 0
    with pq.ParquetWriter(path, SCHEMA) as writer:
        for batch in _batches(people):
            columns = list(zip(*batch, strict=True))
            writer.write_table(pa.Table.from_arrays([pa.array(c, pa.string()) for c in columns], schema=SCHEMA))
            rows += len(batch)
        if rows == 0:
            writer.write_table(SCHEMA.empty_table())
    return rows
