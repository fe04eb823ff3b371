"""Importing people from the spreadsheets HR offices keep (.xlsx or .csv). See docs/import-format.md.

All or nothing. The whole file is read and every cell checked first: formats, dates, choices, the
personal ID against sex and year of birth (:func:`congvu.personnel.services.validate_person`), the unit
within the importer's write scope, position, rank and step, duplicates inside the file, people already
registered elsewhere. If anything is wrong, nothing is written and every bad cell is reported. Otherwise
everything is written in one transaction, set-based (``bulk_create`` / ``bulk_update`` in batches, never
a query per row), with one audit entry per person created or changed (action ``import``, the file name
as reason).

A personal ID already in the register updates that person: the columns present in the file replace the
stored values (a column absent from the file leaves its field alone; an empty cell in a present column
clears an optional field; a year of birth alone keeps a stored full date of that year). If the unit, job position, rank or salary step differs from the person's
latest employment, that employment ends the day before "Ngày bắt đầu" and a new one opens; other
employment columns that differ (title, allowances, dates, decision number) correct the latest employment
in place. No optimistic-lock check: the file is the newer information.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from congvu.core.audit import jsonable
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.personnel.io.cells import (
    BadCell,
    Choices,
    choices_from,
    parse_bool,
    parse_date,
    parse_date_or_year,
    parse_decimal,
    parse_int,
    parse_old_id,
    parse_personal_id,
)
from congvu.personnel.io.headers import Layout
from congvu.personnel.io.layouts import PEOPLE
from congvu.personnel.io.reading import FOOTER_MAX_CELLS, RowCells, find_layout
from congvu.personnel.io.refs import (
    QUERY_CHUNK,
    AreaIndex,
    PositionIndex,
    RankIndex,
    UnitIndex,
    UnitInfo,
    chunks,
)
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.table import RawRow, Sheet, UnreadableFile, open_sheet
from congvu.personnel.models import Category, EducationLevel, Employment, Person, PoliticalTheoryLevel
from congvu.personnel.services import PERSON_FIELDS, PersonInput, validate_person
from congvu.text import fold, person_sort_key, split_full_name

__all__ = ["ImportReport", "import_people", "import_positions", "import_units"]

ZERO = Decimal("0")
BATCH = 2000  # rows written per round of bulk_create, to bound memory
IMPORT_ACTION = "import"

SEX = Choices("Giới tính", ["Nam", "Nữ"], {"Nam": "M", "Nữ": "F", "M": "M", "F": "F", "Male": "M", "Female": "F"})
CATEGORY = choices_from(
    Category.choices, "Loại",
    extra={"CB": "cadre", "CC": "civil_servant", "VC": "public_employee", "NLĐ": "contract",
           "Lao động hợp đồng": "contract", "Hợp đồng lao động": "contract", "Hợp đồng": "contract",
           "HĐLĐ": "contract", "Người lao động hợp đồng": "contract"},
)
EDUCATION = choices_from(
    EducationLevel.choices, "Trình độ chuyên môn",
    extra={"12/12": "upper_secondary", "ĐH": "bachelor", "CĐ": "college", "TC": "intermediate"},
    prefixes={"Tiến sĩ": "doctor", "Tiến sỹ": "doctor", "TS": "doctor", "Thạc sĩ": "master", "Thạc sỹ": "master",
              "ThS": "master", "Đại học": "bachelor", "Cử nhân": "bachelor", "Kỹ sư": "bachelor", "Bác sĩ": "bachelor",
              "Dược sĩ": "bachelor", "Kiến trúc sư": "bachelor", "Cao đẳng": "college", "Trung cấp": "intermediate",
              "Trung học phổ thông": "upper_secondary", "THPT": "upper_secondary"},
)
THEORY = choices_from(
    PoliticalTheoryLevel.choices, "Lý luận chính trị",
    prefixes={"Sơ cấp": "elementary", "Trung cấp": "intermediate", "Cao cấp": "advanced", "Cử nhân": "bachelor"},
)

#: Columns of the file → the person fields they fill.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "personal_id": ("personal_id",),
    "old_id": ("old_id",),
    "birth_date": ("birth_date", "birth_year"),
    "sex": ("sex",),
    "ethnicity": ("ethnicity",),
    "religion": ("religion",),
    "party_member": ("party_member",),
    "party_joined_on": ("party_joined_on",),
    "hometown": ("hometown_id",),
    "birthplace": ("birthplace_id",),
    "education_level": ("education_level",),
    "political_theory_level": ("political_theory_level",),
    "category": ("category",),
    "insured_months": ("insured_months",),
}
NAME_FIELDS = ("family_name", "middle_name", "given_name")
EMPLOYMENT_COLUMNS: dict[str, str] = {
    "unit": "unit_id", "unit_name": "unit_id", "position": "position_id", "position_code": "position_id",
    "title": "title", "rank": "rank_id", "salary_step": "salary_step", "step_since": "step_since",
    "position_allowance": "position_allowance", "seniority_pct": "seniority_pct",
    "percent_allowances": "percent_allowances", "start_date": "start_date", "decision_number": "decision_number",
}
EMPLOYMENT_FIELDS = (
    "unit_id", "position_id", "title", "rank_id", "salary_step", "step_since", "position_allowance",
    "seniority_pct", "percent_allowances", "start_date", "decision_number",
)
#: A change of any of these opens a new employment; other differences correct the latest one in place.
EMPLOYMENT_KEY = ("unit_id", "position_id", "rank_id", "salary_step")


@dataclass(slots=True)
class PersonRow:
    """One data row, parsed. Fields of columns absent from the file keep their defaults (see ``present``)."""

    row: int
    personal_id: str = ""
    old_id: str = ""
    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    birth_date: dt.date | None = None
    birth_year: int = 0
    sex: str = ""
    ethnicity: str = ""
    religion: str = ""
    party_member: bool | None = None
    party_joined_on: dt.date | None = None
    hometown_id: int | None = None
    birthplace_id: int | None = None
    education_level: str = ""
    political_theory_level: str = ""
    category: str = ""
    insured_months: int = 0
    unit_id: int = 0
    position_ref: str = ""
    position_id: int | None = None
    title: str = ""
    rank_id: int | None = None
    salary_step: int | None = None
    step_since: dt.date | None = None
    position_allowance: Decimal = ZERO
    seniority_pct: Decimal = ZERO
    percent_allowances: Decimal = ZERO
    start_date: dt.date | None = None
    decision_number: str = ""

    def person_values(self, fields: Iterable[str]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in fields}


@dataclass
class _Plan:
    """What applying the file will do, decided before anything is written."""

    create: list[PersonRow] = field(default_factory=list)
    update: list[_Update] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class _Update:
    row: PersonRow
    current: dict[str, Any]  # the stored person (PERSON_FIELDS + bookkeeping)
    changes: dict[str, Any]  # person field → new value
    end: dict[str, Any] | None = None  # the latest employment, to be ended
    open_employment: bool = False
    correct: dict[str, Any] = field(default_factory=dict)  # employment field → new value, in place
    latest: dict[str, Any] | None = None


class _Context:
    """Everything an import of people looks up, loaded once."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.units = UnitIndex.load()
        self.ranks = RankIndex.load()
        self._areas: AreaIndex | None = None
        self.unit_cache: dict[tuple[str, bool], UnitInfo | str] = {}
        self.area_cache: dict[str, tuple[int, bool] | str] = {}

    @property
    def areas(self) -> AreaIndex:
        if self._areas is None:
            self._areas = AreaIndex.load()
        return self._areas

    def unit(self, ref: str, numeric: bool) -> UnitInfo:
        key = (ref, numeric)
        if key not in self.unit_cache:
            try:
                self.unit_cache[key] = self.units.resolve(ref, self.scope, numeric=numeric)
            except BadCell as exc:
                self.unit_cache[key] = str(exc)
        found = self.unit_cache[key]
        if isinstance(found, str):
            raise BadCell(found)
        return found

    def area(self, ref: str) -> tuple[int, bool]:
        if ref not in self.area_cache:
            try:
                self.area_cache[ref] = self.areas.resolve(ref)
            except BadCell as exc:
                self.area_cache[ref] = str(exc)
        found = self.area_cache[ref]
        if isinstance(found, str):
            raise BadCell(found)
        return found


# ---- public API ---------------------------------------------------------------------------------------


def import_people(
    source: Path | IO[bytes], *, filename: str, actor: Actor, scope: Scope, dry_run: bool = False
) -> ImportReport:
    """Import a list of people; see the module docstring. ``scope`` is the importer's write scope."""
    report = ImportReport(filename=filename, dry_run=dry_run)
    _import_people(source, report, actor, scope)
    return report.sort_errors()


def _import_people(source: Path | IO[bytes], report: ImportReport, actor: Actor, scope: Scope) -> None:
    filename, dry_run = report.filename, report.dry_run
    sheet = _open(source, filename, report)
    if sheet is None:
        return
    layout, data = find_layout(sheet, PEOPLE, report)
    if layout is None or not report.ok:
        return
    context = _Context(scope)
    data_rows: Iterable[tuple[int, RawRow]] = data if sheet.numeric_cells else list(data)
    numeric_ids = sheet.numeric_cells or _csv_ids_lost_zeros(layout, data_rows)  # type: ignore[arg-type]
    rows: list[PersonRow] = []
    seen: dict[str, int] = {}
    cache: dict[str, tuple[str, str | None]] = {}
    for number, values in data_rows:
        cells = RowCells(number, values, layout, report, sheet.legacy, cache)
        if _skip(cells, report):
            continue
        parsed = _parse_person_row(cells, context, numeric_ids)
        report.rows += 1
        if parsed is None:
            continue
        first = seen.setdefault(parsed.personal_id, number)
        if first != number:
            cells.fail("personal_id", f"Số định danh trùng với dòng {first} trong tệp.")
            continue
        rows.append(parsed)
    _resolve_positions(rows, layout, context, report)
    plan = _plan(rows, layout, context, report)
    if not report.ok:
        return
    report.created, report.updated, report.unchanged = len(plan.create), len(plan.update), plan.unchanged
    if dry_run:
        return
    try:
        with transaction.atomic():
            _apply(plan, layout, context, actor, filename)
    except IntegrityError:
        report.created = report.updated = report.unchanged = 0
        report.error(0, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc nhập (trùng số định danh hoặc "
                                "đơn vị, vị trí bị xóa); không có gì được ghi. Hãy nhập lại tệp.")


def _open(source: Path | IO[bytes], filename: str, report: ImportReport) -> Sheet | None:
    try:
        sheet = open_sheet(source, filename)
    except UnreadableFile as exc:
        report.error(0, "", "", str(exc))
        return None
    report.file_encoding = sheet.encoding
    return sheet


# ---- reading rows -------------------------------------------------------------------------------------


def _csv_ids_lost_zeros(layout: Layout, rows: list[tuple[int, RawRow]]) -> bool:
    """A .csv column of personal IDs is "numeric" when no value in it starts with 0: the program that
    wrote it held the column as numbers and dropped every leading zero (a real ID always has one)."""
    index = layout.columns.get("personal_id")
    if index is None:
        return False
    ids = [str(v[index]).strip() for _, v in rows if index < len(v) and isinstance(v[index], str)]
    return bool(ids) and not any(i.startswith("0") for i in ids)


def _skip(cells: RowCells, report: ImportReport) -> bool:
    """Empty rows, and footers ("Người lập biểu", a signature, a date) under the table: no personal ID
    and fewer than FOOTER_MAX_CELLS filled cells. Skipped footers are listed in the report."""
    filled = cells.filled()
    if filled == 0:
        return True
    if cells.raw("personal_id") is None and filled < FOOTER_MAX_CELLS:
        report.skipped_rows.append(cells.number)
        return True
    return False


def _parse_person_row(cells: RowCells, context: _Context, numeric_ids: bool) -> PersonRow | None:
    row = PersonRow(row=cells.number)
    _parse_identity(cells, row, numeric_ids)
    _parse_name(cells, row)
    _parse_person_details(cells, row, context)
    _parse_employment(cells, row, context)
    if cells.bad:
        return None
    _validate(cells, row)
    return None if cells.bad else row


def _parse_identity(cells: RowCells, row: PersonRow, numeric_ids: bool) -> None:
    if cells.required("personal_id", "Số định danh cá nhân"):
        pid = cells.parse("personal_id", lambda v: parse_personal_id(v, numeric_column=numeric_ids))
        if pid is not None:
            row.personal_id = pid.digits
            if pid.padded:
                cells.report.padded_ids.append((cells.number, cells.layout.name("personal_id")))
    old = cells.parse("old_id", lambda v: parse_old_id(v, numeric_column=numeric_ids))
    if old is not None:
        row.old_id = old.digits
        if old.padded:
            cells.report.padded_ids.append((cells.number, cells.layout.name("old_id")))
    if cells.required("birth_date", "Ngày sinh"):
        born = cells.parse("birth_date", lambda v: parse_date_or_year(v, allow_year=True))
        if born is not None:
            row.birth_date, row.birth_year = born.date, born.year
    if cells.required("sex", "Giới tính"):
        row.sex = _choice(cells, "sex", SEX)


def _choice(cells: RowCells, key: str, choices: Choices) -> str:
    value = cells.text(key)
    if not value:
        return ""
    try:
        return choices(value)
    except BadCell as exc:
        cells.fail(key, str(exc))
        return ""


def _parse_name(cells: RowCells, row: PersonRow) -> None:
    full = cells.text("full_name") if cells.has("full_name") else ""
    if full:
        parts = split_full_name(full)
        row.family_name, row.middle_name, row.given_name = parts.family, parts.middle, parts.given
        if not parts.family:
            cells.fail("full_name", "Họ và tên phải có ít nhất họ và tên.")
        for part, limit, label in ((parts.family, 40, "Họ"), (parts.middle, 80, "Chữ đệm"), (parts.given, 40, "Tên")):
            if len(part) > limit:
                cells.fail("full_name", f"{label} dài {len(part)} ký tự, tối đa {limit}.")
        return
    if cells.has("family_name") or cells.has("given_name"):
        row.family_name, row.middle_name, row.given_name = (
            cells.text("family_name"), cells.text("middle_name"), cells.text("given_name"),
        )
        if not row.family_name:
            cells.fail("family_name", "Họ không được để trống.", "")
        if not row.given_name:
            cells.fail("given_name", "Tên không được để trống.", "")
        return
    cells.fail("full_name", "Họ và tên không được để trống.", "")


def _parse_person_details(cells: RowCells, row: PersonRow, context: _Context) -> None:
    row.ethnicity = cells.text("ethnicity")
    row.religion = cells.text("religion")
    row.party_member = cells.parse("party_member", parse_bool)
    row.party_joined_on = cells.parse("party_joined_on", parse_date)
    row.education_level = _choice(cells, "education_level", EDUCATION)
    row.political_theory_level = _choice(cells, "political_theory_level", THEORY)
    if cells.required("category", "Loại"):
        row.category = _choice(cells, "category", CATEGORY)
    row.insured_months = cells.parse("insured_months", lambda v: parse_int(v, low=0, high=1200)) or 0
    for key in ("hometown", "birthplace"):
        place = cells.text(key)
        if not place:
            continue
        try:
            area_id, partial = context.area(place)
        except BadCell as exc:
            cells.fail(key, str(exc))
            continue
        setattr(row, f"{key}_id", area_id)
        if partial:
            cells.report.warn(cells.number, cells.layout.name(key), place,
                              "Chỉ tìm thấy tỉnh/thành phố; xã/phường không có trong danh mục nên chỉ lưu tỉnh.")


def _parse_employment(cells: RowCells, row: PersonRow, context: _Context) -> None:
    key = "unit" if cells.raw("unit") is not None else "unit_name"
    if cells.raw(key) is None:
        cells.fail("unit" if cells.has("unit") else "unit_name", "Đơn vị không được để trống.", "")
    else:
        ref = cells.text(key)
        numeric = isinstance(cells.raw(key), int | float)
        try:
            row.unit_id = context.unit(ref, numeric).id
        except BadCell as exc:
            cells.fail(key, str(exc))
    row.position_ref = cells.text("position_code") or cells.text("position")
    row.title = cells.text("title")
    row.decision_number = cells.text("decision_number")
    row.step_since = cells.parse("step_since", parse_date)
    row.start_date = cells.parse("start_date", parse_date)
    row.position_allowance = cells.parse("position_allowance", lambda v: parse_decimal(v, high=Decimal(100))) or ZERO
    for name in ("seniority_pct", "percent_allowances"):
        pct = cells.parse(name, lambda v: parse_decimal(v, high=Decimal(1000), percent=True))
        setattr(row, name, pct or ZERO)
    _parse_rank_and_step(cells, row, context)


def _parse_rank_and_step(cells: RowCells, row: PersonRow, context: _Context) -> None:
    rank_code = cells.text("rank")
    group_id: int | None = None
    if rank_code:
        try:
            row.rank_id, group_id = context.ranks.resolve(rank_code)
        except BadCell as exc:
            cells.fail("rank", str(exc))
    row.salary_step = cells.parse("salary_step", lambda v: parse_int(v, low=1, high=20))
    if row.salary_step is None or cells.bad:
        return
    if group_id is None:
        cells.fail("salary_step", "Cần ghi «Mã ngạch» để xác định bậc lương.")
        return
    try:
        context.ranks.check_step(group_id, row.salary_step, rank_code)
    except BadCell as exc:
        cells.fail("salary_step", str(exc))


#: Which column to blame for a field error from validate_person.
_FIELD_COLUMN = {
    "personal_id": "personal_id", "old_id": "old_id", "sex": "sex", "category": "category",
    "birth_date": "birth_date", "birth_year": "birth_date",
}


def _validate(cells: RowCells, row: PersonRow) -> None:
    data = PersonInput(
        personal_id=row.personal_id, family_name=row.family_name, middle_name=row.middle_name,
        given_name=row.given_name, sex=row.sex, birth_year=row.birth_year, birth_date=row.birth_date,
        category=row.category, old_id=row.old_id,
    )
    for name, messages in validate_person(data).items():
        column = _FIELD_COLUMN.get(name)
        if column is None:  # family_name / given_name
            column = "full_name" if cells.has("full_name") else name
        for message in messages:
            cells.fail(column, message if message.endswith(".") else message + ".")


def _resolve_positions(rows: list[PersonRow], layout: Layout, context: _Context, report: ImportReport) -> None:
    """Positions are looked up after all rows are read: one query per 900 units named, not per row."""
    wanted = [r for r in rows if r.position_ref]
    if not wanted:
        return
    index = PositionIndex.load(r.unit_id for r in wanted)
    column = layout.name("position_code") if "position_code" in layout.columns else layout.name("position")
    bad: set[int] = set()
    for row in wanted:
        try:
            row.position_id = index.resolve(row.unit_id, row.position_ref, context.units.by_id[row.unit_id].name)
        except BadCell as exc:
            report.error(row.row, column, row.position_ref, str(exc))
            bad.add(row.row)
    if bad:
        rows[:] = [r for r in rows if r.row not in bad]


# ---- deciding create / update / unchanged -------------------------------------------------------------

_BOOKKEEPING = ("id", "version", "org_path", "current_unit_id", "search_name", "sort_key")


def _present_person_fields(layout: Layout) -> list[str]:
    fields: list[str] = list(NAME_FIELDS)
    for column, names in PERSON_COLUMNS.items():
        if column in layout.columns:
            fields.extend(names)
    return fields


def _present_employment_fields(layout: Layout) -> list[str]:
    return list(dict.fromkeys(f for c, f in EMPLOYMENT_COLUMNS.items() if c in layout.columns))


def _existing(personal_ids: list[str]) -> tuple[dict[str, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Stored people with these IDs, and each one's latest employment (the current one first)."""
    people: dict[str, dict[str, Any]] = {}
    for part in chunks(personal_ids):
        for values in Person.objects.filter(personal_id__in=part).order_by().values(*PERSON_FIELDS, *_BOOKKEEPING):
            people[values["personal_id"]] = values
    latest: dict[int, dict[str, Any]] = {}
    ids = [p["id"] for p in people.values()]
    for part in chunks(ids):
        emps = Employment.objects.filter(person_id__in=part).order_by("person_id", "-start_date", "-id")
        for values in emps.values("id", "person_id", "end_date", "end_reason", *EMPLOYMENT_FIELDS):
            current = latest.get(values["person_id"])
            if current is None or (current["end_date"] is not None and values["end_date"] is None):
                latest[values["person_id"]] = values
    return people, latest


def _plan(rows: list[PersonRow], layout: Layout, context: _Context, report: ImportReport) -> _Plan:
    """Compare the rows with the register, a chunk at a time so that only the changes stay in memory."""
    plan = _Plan()
    for start in range(0, len(rows), QUERY_CHUNK):
        _plan_chunk(rows[start : start + QUERY_CHUNK], layout, context, report, plan)
    return plan


def _plan_chunk(rows: list[PersonRow], layout: Layout, context: _Context, report: ImportReport, plan: _Plan) -> None:
    person_fields = _present_person_fields(layout)
    emp_fields = _present_employment_fields(layout)
    people, latest = _existing([r.personal_id for r in rows])
    start_column = layout.name("start_date")
    for row in rows:
        stored = people.get(row.personal_id)
        if stored is None:
            if row.start_date is None:
                report.error(row.row, start_column, "", "Cần «Ngày bắt đầu» để mở quá trình công tác cho người mới.")
                continue
            if not context.units.by_id[row.unit_id].active_on(row.start_date):
                report.error(row.row, start_column, row.start_date, "Đơn vị không hoạt động vào ngày bắt đầu này.")
                continue
            plan.create.append(row)
            continue
        if not context.scope.covers(stored["org_path"]):
            report.error(row.row, layout.name("personal_id"), row.personal_id,
                         "Số định danh này đã có trong hồ sơ của một đơn vị ngoài phạm vi quản lý của bạn.")
            continue
        update = _compare(row, stored, latest.get(stored["id"]), person_fields, emp_fields, context, report, start_column)
        if update is None:
            continue
        if update.changes or update.open_employment or update.correct:
            plan.update.append(update)
        else:
            plan.unchanged += 1


def _compare(
    row: PersonRow, stored: dict[str, Any], latest: dict[str, Any] | None, person_fields: list[str],
    emp_fields: list[str], context: _Context, report: ImportReport, start_column: str,
) -> _Update | None:
    if row.birth_date is None and stored["birth_date"] is not None and stored["birth_year"] == row.birth_year:
        row.birth_date = stored["birth_date"]  # a year alone is less precise, not a correction: keep the date
    changes = {f: getattr(row, f) for f in person_fields if getattr(row, f) != stored[f]}
    update = _Update(row=row, current=stored, changes=changes, latest=latest)
    wanted = {f: getattr(row, f) for f in emp_fields}
    if wanted.get("start_date", ...) is None:  # an empty start date keeps the stored one
        del wanted["start_date"]
    if latest is None:
        if row.start_date is None:
            report.error(row.row, start_column, "", "Cần «Ngày bắt đầu» để mở quá trình công tác mới.")
            return None
        update.open_employment = True
        return update
    merged = {f: wanted.get(f, latest[f]) for f in EMPLOYMENT_FIELDS}
    if any(merged[f] != latest[f] for f in EMPLOYMENT_KEY):
        start = merged["start_date"]
        if start is None or start <= latest["start_date"]:
            report.error(row.row, start_column, start or "",
                         f"Đơn vị, vị trí, ngạch hoặc bậc thay đổi nên «Ngày bắt đầu» phải sau ngày bắt đầu của "
                         f"quá trình công tác hiện tại ({latest['start_date']:%d/%m/%Y}).")
            return None
        if not context.units.by_id[merged["unit_id"]].active_on(start):
            report.error(row.row, start_column, start, "Đơn vị không hoạt động vào ngày bắt đầu này.")
            return None
        _fill_from(row, merged)
        update.open_employment = True
        update.end = latest if latest["end_date"] is None else None
        return update
    update.correct = {f: merged[f] for f in EMPLOYMENT_FIELDS if merged[f] != latest[f]}
    return update


def _fill_from(row: PersonRow, values: dict[str, Any]) -> None:
    """Employment columns absent from the file carry over from the latest employment."""
    for name, value in values.items():
        setattr(row, name, value)


# ---- writing ------------------------------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _derived(family: str, middle: str, given: str) -> tuple[str, str]:
    """Search name and sort key; cached because the same names come back many times in a big file."""
    full = " ".join(p for p in (family, middle, given) if p)
    return fold(full), person_sort_key(family, middle, given)


def _person_derived(family: str, middle: str, given: str) -> dict[str, str]:
    search_name, sort_key = _derived(family, middle, given)
    return {"search_name": search_name, "sort_key": sort_key}


def _audit(actor: Actor, filename: str, person_id: int, org_path: str,
           before: dict[str, Any] | None, after: dict[str, Any]) -> AuditEntry:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEntry(
        actor=user, actor_label=user.get_username() if user is not None else "system", action=IMPORT_ACTION,
        object_type="person", object_id=str(person_id), subject_person_id=person_id, org_path=org_path,
        before=before, after=after, reason=filename,
    )


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in values.items()}


def _new_employment(person_id: int, row: PersonRow) -> Employment:
    assert row.start_date is not None  # checked when the plan was made
    return Employment(
        person_id=person_id, unit_id=row.unit_id, position_id=row.position_id, title=row.title, rank_id=row.rank_id,
        salary_step=row.salary_step, step_since=row.step_since, position_allowance=row.position_allowance,
        seniority_pct=row.seniority_pct, percent_allowances=row.percent_allowances, start_date=row.start_date,
        decision_number=row.decision_number,
    )


def _apply(plan: _Plan, layout: Layout, context: _Context, actor: Actor, filename: str) -> None:
    for start in range(0, len(plan.create), BATCH):
        _create_batch(plan.create[start : start + BATCH], context, actor, filename)
    for start in range(0, len(plan.update), BATCH):
        _update_batch(plan.update[start : start + BATCH], context, actor, filename)


def _create_batch(rows: list[PersonRow], context: _Context, actor: Actor, filename: str) -> None:
    people = []
    for row in rows:
        unit = context.units.by_id[row.unit_id]
        people.append(Person(
            **row.person_values(PERSON_FIELDS), **_person_derived(row.family_name, row.middle_name, row.given_name),
            current_unit_id=unit.id, org_path=unit.path,
        ))
    Person.objects.bulk_create(people)
    Employment.objects.bulk_create([_new_employment(p.pk, row) for p, row in zip(people, rows, strict=True)])
    audits = []
    for person, row in zip(people, rows, strict=True):
        after = _json(row.person_values(PERSON_FIELDS))
        after["employment"] = _json(row.person_values(EMPLOYMENT_FIELDS))
        audits.append(_audit(actor, filename, person.pk, person.org_path, None, after))
    AuditEntry.objects.bulk_create(audits)


def _update_batch(updates: list[_Update], context: _Context, actor: Actor, filename: str) -> None:
    now = timezone.now()
    people: list[tuple[int, dict[str, Any]]] = []
    employments: list[tuple[int, dict[str, Any]]] = []
    opened: list[Employment] = []
    audits: list[AuditEntry] = []
    for update in updates:
        row, stored = update.row, update.current
        values: dict[str, Any] = {**update.changes, "version": stored["version"] + 1, "updated_at": now}
        if set(update.changes) & set(NAME_FIELDS):
            names = {f: update.changes.get(f, stored[f]) for f in NAME_FIELDS}
            values.update(_person_derived(names["family_name"], names["middle_name"], names["given_name"]))
        before = {k: stored[k] for k in update.changes}
        after = dict(update.changes)
        org_path = stored["org_path"]
        if update.open_employment:
            unit = context.units.by_id[row.unit_id]
            org_path = unit.path
            values.update(current_unit_id=unit.id, org_path=unit.path)
            opened.append(_new_employment(stored["id"], row))
            after["employment"] = row.person_values(EMPLOYMENT_FIELDS)
            if update.end is not None:
                assert row.start_date is not None
                end = {"end_date": row.start_date - dt.timedelta(days=1), "end_reason": f"Nhập từ tệp {filename}"[:120]}
                employments.append((update.end["id"], end))
                before["employment"] = {f: update.end[f] for f in EMPLOYMENT_FIELDS}
        elif update.correct:
            assert update.latest is not None
            employments.append((update.latest["id"], dict(update.correct)))
            before["employment"] = {f: update.latest[f] for f in update.correct}
            after["employment"] = dict(update.correct)
        people.append((stored["id"], values))
        audits.append(_audit(actor, filename, stored["id"], org_path, _json_deep(before), _json_deep(after)))
    _write_updates(Person, people)
    _write_updates(Employment, employments)
    Employment.objects.bulk_create(opened)
    AuditEntry.objects.bulk_create(audits)


def _write_updates(model: type[Person] | type[Employment], rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Per-row values, written with one prepared UPDATE per set of changed fields (``executemany``).

    Django's ``bulk_update`` builds a CASE WHEN expression per object and field: about 1.5 ms a row,
    too slow for 100,000 rows. Values go through each field's ``get_db_prep_save``, as the ORM does.
    """
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for pk, values in rows:
        groups.setdefault(tuple(sorted(values)), []).append((pk, values))
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(_concrete(model, "id").column)
    for names, members in groups.items():
        fields = [(name, _concrete(model, name)) for name in names]  # names may be attnames: current_unit_id
        assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for _, f in fields)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"
        params = [[f.get_db_prep_save(values[name], connection) for name, f in fields] + [pk] for pk, values in members]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _concrete(model: type[Person] | type[Employment], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column is not None
    return field


def _json_deep(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _json(v) if isinstance(v, dict) else jsonable(v) for k, v in values.items()}


# Units and positions live in their own module; re-exported here so the service API is one import.
from congvu.personnel.io.org_importing import import_positions, import_units  # noqa: E402
