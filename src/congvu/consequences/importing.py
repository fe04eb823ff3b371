"""Import what the consequence rules look back at and the register does not hold: annual ratings from before
the system (``PastRating``) and dated circumstances (``Circumstance``), from .xlsx or .csv.

Same rules as the people importer (``congvu.personnel.io``): Vietnamese headers in any order and case, with
or without diacritics; dd/mm/yyyy or Excel dates; TCVN3/VNI text decoded; every cell checked first and every
bad cell reported (row, column, value, why); nothing written if anything is wrong; then one transaction and
one audit entry per row written. A person is named by the 12-digit personal ID and must be in the
importer's reach (``MANAGE_CONSEQUENCES``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.db import transaction

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.consequences.models import Circumstance, PastRating
from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.personnel.io.cells import BadCell, choices_from, parse_date, parse_int, parse_personal_id
from congvu.personnel.io.headers import Column, Schema
from congvu.personnel.io.reading import RowCells, find_layout
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.table import UnreadableFile, open_sheet
from congvu.personnel.models import Person

C = Column
_IGNORED = (C("_stt", "STT", ("TT", "Số TT", "Số thứ tự"), ignored=True), C("_name", "Họ và tên", ("Họ tên",), ignored=True))

RATINGS = Schema(
    name="past_ratings",
    title="KẾT QUẢ XẾP LOẠI CÁC NĂM TRƯỚC",
    columns=(
        C("personal_id", "Số định danh cá nhân", ("Số CCCD", "CCCD", "Số định danh", "Mã định danh")),
        C("year", "Năm", ("Năm đánh giá", "Năm xếp loại")),
        C("level", "Xếp loại", ("Kết quả xếp loại", "Mức xếp loại", "Xếp loại chất lượng", "Kết quả")),
        C("source", "Căn cứ", ("Nguồn", "Quyết định", "Số quyết định"), max_length=120),
        *_IGNORED,
    ),
    required=((("personal_id",),), (("year",),), (("level",),)),
)
CIRCUMSTANCES = Schema(
    name="circumstances",
    title="HOÀN CẢNH, SỰ KIỆN LIÊN QUAN",
    columns=(
        C("personal_id", "Số định danh cá nhân", ("Số CCCD", "CCCD", "Số định danh", "Mã định danh")),
        C("kind", "Loại", ("Loại hoàn cảnh", "Trường hợp", "Nội dung")),
        C("start_date", "Từ ngày", ("Ngày bắt đầu", "Ngày", "Ngày sinh của con")),
        C("end_date", "Đến ngày", ("Ngày kết thúc",)),
        C("decision_number", "Số quyết định", ("Số văn bản", "Căn cứ"), max_length=60),
        C("note", "Ghi chú", ("Diễn giải",), max_length=255),
        *_IGNORED[:1],
    ),
    required=((("personal_id",),), (("kind",),), (("start_date",),)),
)
LEVEL = choices_from(
    [("EXCELLENT", "Hoàn thành xuất sắc nhiệm vụ"), ("GOOD", "Hoàn thành tốt nhiệm vụ"),
     ("COMPLETED", "Hoàn thành nhiệm vụ"), ("NOT_COMPLETED", "Không hoàn thành nhiệm vụ")],
    "Xếp loại",
    extra={"HTXSNV": "EXCELLENT", "HTTNV": "GOOD", "HTNV": "COMPLETED", "KHTNV": "NOT_COMPLETED",
           "Xuất sắc": "EXCELLENT", "Tốt": "GOOD", "Hoàn thành": "COMPLETED", "Không hoàn thành": "NOT_COMPLETED"},
)
KIND = choices_from(Circumstance.Kind.choices, "Loại hoàn cảnh",
                    prefixes={"Nuôi con": "child_under_36m", "Mang thai": "pregnant", "Tự nguyện": "volunteer_streamlining"})
FIRST_YEAR = 2000


@dataclass
class _Row:
    cells: RowCells
    person_id: int
    values: dict[str, object]


def _read(source: Path | IO[bytes], filename: str, schema: Schema, report: ImportReport) -> list[RowCells]:
    try:
        sheet = open_sheet(source, filename)
    except UnreadableFile as exc:
        report.error(0, "", "", str(exc))
        return []
    report.file_encoding = sheet.encoding
    layout, data = find_layout(sheet, schema, report)
    if layout is None or not report.ok:
        return []
    rows = [RowCells(n, values, layout, report, sheet.legacy) for n, values in data]
    rows = [r for r in rows if r.filled()]
    report.rows = len(rows)
    return rows


def _people(rows: list[RowCells], user: AnyUser) -> dict[str, tuple[int, str]]:
    """personal ID → (person id, org path) for the IDs in the file that exist (one query)."""
    ids = set()
    for cells in rows:
        value = cells.parse("personal_id", lambda v: parse_personal_id(v, numeric_column=False))
        if value is not None:
            ids.add(value.digits)
    found = Person.objects.filter(personal_id__in=ids).values_list("personal_id", "pk", "org_path")
    return {pid: (pk, path) for pid, pk, path in found}


def _person(cells: RowCells, people: dict[str, tuple[int, str]], user: AnyUser) -> int | None:
    if not cells.required("personal_id", "Số định danh cá nhân"):
        return None
    value = cells.parse("personal_id", lambda v: parse_personal_id(v, numeric_column=False))
    if value is None:
        return None
    hit = people.get(value.digits)
    if hit is None or not scope_for(user, Right.MANAGE_CONSEQUENCES).covers(hit[1]):
        cells.fail("personal_id", "Không có hồ sơ với số định danh này trong phạm vi quản lý của bạn.")
        return None
    return hit[0]


def _choice(cells: RowCells, key: str, label: str, choose: object) -> str:
    if not cells.required(key, label):
        return ""
    try:
        return choose(cells.text(key))  # type: ignore[operator, no-any-return]
    except BadCell as exc:
        cells.fail(key, str(exc))
        return ""


def _rating_rows(rows: list[RowCells], user: AnyUser) -> list[_Row]:
    people = _people(rows, user)
    out: list[_Row] = []
    seen: dict[tuple[int, int], int] = {}
    this_year = dt.date.today().year
    for cells in rows:
        person = _person(cells, people, user)
        year = cells.parse("year", lambda v: parse_int(v, low=FIRST_YEAR, high=this_year)) if cells.required("year", "Năm") else None
        level = _choice(cells, "level", "Xếp loại", LEVEL)
        if person is not None and year is not None:
            first = seen.setdefault((person, year), cells.number)
            if first != cells.number:
                cells.fail("year", f"Trùng với dòng {first}: mỗi người một kết quả mỗi năm.")
        if not cells.bad and person is not None and year is not None:
            out.append(_Row(cells, person, {"year": year, "level": level, "source": cells.text("source")}))
    return out


def _circumstance_rows(rows: list[RowCells], user: AnyUser) -> list[_Row]:
    people = _people(rows, user)
    out: list[_Row] = []
    for cells in rows:
        person = _person(cells, people, user)
        kind = _choice(cells, "kind", "Loại", KIND)
        start = cells.parse("start_date", parse_date) if cells.required("start_date", "Từ ngày") else None
        end = cells.parse("end_date", parse_date)
        if start is not None and end is not None and end < start:
            cells.fail("end_date", "Đến ngày phải từ «Từ ngày» trở đi.")
        if not cells.bad and person is not None and start is not None:
            out.append(_Row(cells, person, {"kind": kind, "start_date": start, "end_date": end,
                                            "decision_number": cells.text("decision_number"), "note": cells.text("note")}))
    return out


def _write_ratings(rows: list[_Row], user: AnyUser, report: ImportReport) -> None:
    existing = {(r.person_id, r.year): r for r in PastRating.objects.filter(
        person_id__in={row.person_id for row in rows})}
    for row in rows:
        v = row.values
        old = existing.get((row.person_id, v["year"]))  # type: ignore[arg-type]
        if old is not None and (old.level, old.source) == (v["level"], v["source"]):
            report.unchanged += 1
            continue
        before = None if old is None else audit.snapshot(old, ["level", "source"])
        obj, _ = PastRating.objects.update_or_create(person_id=row.person_id, year=v["year"],
                                                     defaults={"level": v["level"], "source": v["source"]})
        report.created += old is None
        report.updated += old is not None
        audit.record(user, "import", obj, before=before, after=audit.snapshot(obj, ["year", "level", "source"]),
                     subject_person_id=row.person_id, reason=f"Nhập từ tệp {report.filename}, dòng {row.cells.number}")


def _write_circumstances(rows: list[_Row], user: AnyUser, report: ImportReport) -> None:
    for row in rows:
        v = row.values
        same = Circumstance.objects.filter(
            person_id=row.person_id, kind=str(v["kind"]), start_date=v["start_date"]  # type: ignore[misc]
        ).first()
        if same is not None and same.end_date == v["end_date"]:
            report.unchanged += 1
            continue
        if same is not None:
            before = audit.snapshot(same)
            for key, value in v.items():
                setattr(same, key, value)
            same.save()
            report.updated += 1
            audit.record(user, "import", same, before=before, after=audit.snapshot(same), subject_person_id=row.person_id,
                         reason=f"Nhập từ tệp {report.filename}, dòng {row.cells.number}")
            continue
        obj = Circumstance.objects.create(person_id=row.person_id, **v)
        report.created += 1
        audit.record(user, "import", obj, after=audit.snapshot(obj), subject_person_id=row.person_id,
                     reason=f"Nhập từ tệp {report.filename}, dòng {row.cells.number}")


def _import(source: Path | IO[bytes], filename: str, user: AnyUser, dry_run: bool, which: str) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    schema, parse, write = {
        "ratings": (RATINGS, _rating_rows, _write_ratings),
        "circumstances": (CIRCUMSTANCES, _circumstance_rows, _write_circumstances),
    }[which]
    rows = _read(source, filename, schema, report)
    parsed = parse(rows, user) if report.ok else []
    if report.ok and not dry_run:
        with transaction.atomic():
            write(parsed, user, report)
    return report.sort_errors()


def import_past_ratings(source: Path | IO[bytes], *, filename: str, actor: AnyUser, scope: object = None,
                        dry_run: bool = False) -> ImportReport:
    """``scope`` is accepted for the import commands' signature; the reach is ``MANAGE_CONSEQUENCES``."""
    return _import(source, filename, actor, dry_run, "ratings")


def import_circumstances(source: Path | IO[bytes], *, filename: str, actor: AnyUser, scope: object = None,
                         dry_run: bool = False) -> ImportReport:
    return _import(source, filename, actor, dry_run, "circumstances")


def manage_scope(user: AnyUser) -> Scope:
    return scope_for(user, Right.MANAGE_CONSEQUENCES)
