"""Exporting people, units and job positions in exactly the layout the importers read.

Each file has a title row, the header row (the labels of :mod:`congvu.personnel.io.layouts`) and one row
per record, so that export → import is a round trip: re-importing an export changes nothing. Dates are
written dd/mm/yyyy (date cells with that format in .xlsx, text in .csv); ID numbers are text cells so
Excel keeps their leading zeros. A .csv is UTF-8 with a byte-order mark (Excel then reads the
diacritics right), ``;``-separated with a decimal comma, as Vietnamese-locale Excel expects.

Callers pass a queryset they have already limited to what the user may read; ``include_sensitive=False``
leaves out the sensitive columns (ethnicity, religion, party membership) altogether, so re-importing
such a file leaves those fields alone.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.io.headers import Schema
from congvu.personnel.io.layouts import (
    PEOPLE,
    PEOPLE_EXPORT,
    POSITIONS,
    POSITIONS_EXPORT,
    SENSITIVE_EXPORT,
    UNITS,
    UNITS_EXPORT,
)
from congvu.personnel.io.refs import AreaIndex, RankIndex, UnitIndex, chunks
from congvu.personnel.models import Category, EducationLevel, Employment, Person, PoliticalTheoryLevel, Sex

__all__ = ["export_people", "export_positions", "export_units", "write_table"]

TEXT_COLUMNS = frozenset({"personal_id", "old_id", "code", "agency_code", "unit", "parent", "decision_number"})
DATE_FORMAT = "DD/MM/YYYY"
CSV_DELIMITER = ";"
CHUNK = 2000

_SEX = dict(Sex.choices)
_CATEGORY = dict(Category.choices)
_EDUCATION = {k: v for k, v in EducationLevel.choices if k}
_THEORY = {k: v for k, v in PoliticalTheoryLevel.choices if k}
_KIND = dict(OrgUnit.Kind.choices)
_GROUP = dict(JobPosition.Group.choices)


# ---- writing a table ----------------------------------------------------------------------------------


def write_table(path: Path, fmt: str, schema: Schema, keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Title row, header row (the schema's labels for ``keys``), then ``rows``. Returns the rows written."""
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"format must be xlsx or csv, not {fmt!r}")
    labels = [schema.column(k).label for k in keys]
    if fmt == "csv":
        return _write_csv(path, schema.title, labels, rows)
    return _write_xlsx(path, schema.title, labels, [k in TEXT_COLUMNS for k in keys], rows)


def _write_xlsx(path: Path, title: str, labels: list[str], text: list[bool], rows: Iterable[Sequence[Any]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    for i, label in enumerate(labels, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(label) + 4))
    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    header = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        out: list[Any] = []
        for value, as_text in zip(row, text, strict=True):
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            elif as_text and value not in (None, ""):
                cell = WriteOnlyCell(ws, value=str(value))
                cell.number_format = "@"  # text: Excel keeps leading zeros when the cell is edited
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
        count += 1
    wb.save(path)
    return count


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value)


def _write_csv(path: Path, title: str, labels: list[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=CSV_DELIMITER)
        writer.writerow([title] + [""] * (len(labels) - 1))
        writer.writerow(labels)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
            count += 1
    return count


# ---- people -------------------------------------------------------------------------------------------

_PERSON_VALUES = (
    "id", "personal_id", "old_id", "family_name", "middle_name", "given_name", "birth_date", "birth_year", "sex",
    "ethnicity", "religion", "party_member", "party_joined_on", "hometown_id", "birthplace_id", "education_level",
    "political_theory_level", "category", "insured_months", "current_unit_id",
)
_EMPLOYMENT_VALUES = (
    "person_id", "end_date", "unit_id", "position_id", "title", "rank_id", "salary_step", "step_since",
    "position_allowance", "seniority_pct", "percent_allowances", "start_date", "decision_number",
)


def export_people(qs: QuerySet[Person], path: Path, fmt: str = "xlsx", *, include_sensitive: bool = True) -> int:
    """Write the people of ``qs`` with their latest employment; returns the number of people written."""
    keys = [k for k in PEOPLE_EXPORT if include_sensitive or k not in SENSITIVE_EXPORT]
    return write_table(Path(path), fmt, PEOPLE, keys, _people_rows(qs, keys))


def _people_rows(qs: QuerySet[Person], keys: list[str]) -> Iterator[list[Any]]:
    units, ranks = UnitIndex.load(), RankIndex.load()
    areas = AreaIndex.load() if {"hometown", "birthplace"} & set(keys) else None
    positions: dict[int, str] = {}
    ordered = qs.order_by("org_path", "sort_key", "id").values(*_PERSON_VALUES)
    batch: list[dict[str, Any]] = []
    for person in ordered.iterator(chunk_size=CHUNK):
        batch.append(person)
        if len(batch) == CHUNK:
            yield from _people_batch(batch, keys, units, ranks, positions, areas)
            batch = []
    if batch:
        yield from _people_batch(batch, keys, units, ranks, positions, areas)


def _latest_employments(person_ids: list[int]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for part in chunks(person_ids):
        rows = Employment.objects.filter(person_id__in=part).order_by("person_id", "-start_date", "-id")
        for emp in rows.values(*_EMPLOYMENT_VALUES):
            current = latest.get(emp["person_id"])
            if current is None or (current["end_date"] is not None and emp["end_date"] is None):
                latest[emp["person_id"]] = emp
    return latest


def _people_batch(
    batch: list[dict[str, Any]], keys: list[str], units: UnitIndex, ranks: RankIndex, positions: dict[int, str],
    areas: AreaIndex | None,
) -> Iterator[list[Any]]:
    latest = _latest_employments([p["id"] for p in batch])
    wanted = {e["position_id"] for e in latest.values() if e["position_id"] and e["position_id"] not in positions}
    for part in chunks(sorted(wanted)):
        for pk, code, name in JobPosition.objects.filter(pk__in=part).values_list("id", "code", "name"):
            positions[pk] = code or name
    for person in batch:
        emp = latest.get(person["id"], {})
        yield [_person_value(k, person, emp, units, ranks, positions, areas) for k in keys]


def _person_value(
    key: str, person: dict[str, Any], emp: dict[str, Any], units: UnitIndex, ranks: RankIndex,
    positions: dict[int, str], areas: AreaIndex | None,
) -> Any:
    if key == "birth_date":
        return person["birth_date"] or str(person["birth_year"])
    if key == "sex":
        return _SEX.get(person["sex"], person["sex"])
    if key == "category":
        return _CATEGORY.get(person["category"], person["category"])
    if key == "education_level":
        return _EDUCATION.get(person["education_level"], "")
    if key == "political_theory_level":
        return _THEORY.get(person["political_theory_level"], "")
    if key == "party_member":
        return {True: "Có", False: "Không"}.get(person["party_member"], "")
    if key in ("hometown", "birthplace"):
        area_id = person[f"{key}_id"]
        return areas.reference(area_id) if area_id and areas is not None else ""
    if key == "unit":
        unit_id = emp.get("unit_id") or person["current_unit_id"]
        return units.reference(unit_id) if unit_id else ""
    if key == "position":
        return positions.get(emp.get("position_id") or 0, "")
    if key == "rank":
        return ranks.code_of.get(emp.get("rank_id") or 0, "")
    if key in person:
        return person[key]
    return emp.get(key)


# ---- units and positions ------------------------------------------------------------------------------


def export_units(qs: QuerySet[OrgUnit], path: Path, fmt: str = "xlsx") -> int:
    """Units in tree order (a parent before its children), parents named as the importer reads them."""
    units = UnitIndex.load()
    fields = ("id", "code", "name", "kind", "parent_id", "valid_from", "agency_code", "legal_basis")

    def rows() -> Iterator[list[Any]]:
        for unit in qs.order_by("path").values(*fields).iterator(chunk_size=CHUNK):
            values = {**unit, "kind": _KIND.get(unit["kind"], unit["kind"]),
                      "parent": units.reference(unit["parent_id"]) if unit["parent_id"] else ""}
            yield [values[k] for k in UNITS_EXPORT]

    return write_table(Path(path), fmt, UNITS, UNITS_EXPORT, rows())


def export_positions(qs: QuerySet[JobPosition], path: Path, fmt: str = "xlsx") -> int:
    units, ranks = UnitIndex.load(), RankIndex.load()
    fields = ("unit_id", "code", "name", "group", "rank_id", "headcount_quota", "valid_from")

    def rows() -> Iterator[list[Any]]:
        ordered = qs.order_by("unit__path", "group", "name", "id").values(*fields)
        for pos in ordered.iterator(chunk_size=CHUNK):
            values = {**pos, "unit": units.reference(pos["unit_id"]), "group": _GROUP.get(pos["group"], pos["group"]),
                      "rank": ranks.code_of.get(pos["rank_id"] or 0, "")}
            yield [values[k] for k in POSITIONS_EXPORT]

    return write_table(Path(path), fmt, POSITIONS, POSITIONS_EXPORT, rows())
