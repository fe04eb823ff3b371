"""Importing units (the organisation tree) and job positions with their staffing quotas.

Same rules as the people importer: every cell checked first, nothing written if anything is wrong,
then one transaction with bulk writes and one audit entry (action ``import``) per record created or
changed. ``scope`` is the importer's org-write scope.

Units: a row names an existing unit by its code ("Mã đơn vị"), or, when it has no code, by its name
under the same parent. "Mã đơn vị cấp trên" names the parent by code or name (an existing unit or
another row of the file, in any order); empty for a root unit (national administrators only). An
existing unit's name, kind, date and codes can be changed; moving it to another parent cannot (that is
a restructuring event with its own service, as people and positions move with it).

Positions: a row names its unit (code or name, within scope) and the position by its code ("Mã vị
trí"), or by its name when it has no code. Name, group, rank and quota of an existing position are
updated; new ones are created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from congvu.core.audit import jsonable
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.org.models import JobPosition, OrgUnit, path_segment
from congvu.personnel.io.cells import BadCell, Choices, choices_from, parse_date, parse_int
from congvu.personnel.io.headers import Layout, Schema
from congvu.personnel.io.layouts import POSITIONS, UNITS
from congvu.personnel.io.reading import RowCells, find_layout
from congvu.personnel.io.refs import CHAIN, RankIndex, UnitIndex, UnitInfo, chunks
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.table import UnreadableFile, open_sheet
from congvu.text import nfc

IMPORT_ACTION = "import"

KIND = choices_from(
    OrgUnit.Kind.choices, "Loại đơn vị",
    extra={"Quốc gia": "nation", "Bộ": "ministry", "Tỉnh": "province", "Thành phố trực thuộc trung ương": "province",
           "Sở": "provincial_department", "Tổng cục": "department", "Cục": "department", "Vụ": "department",
           "Phòng": "division", "Xã": "commune", "Phường": "commune", "Đặc khu": "commune",
           "Đơn vị sự nghiệp": "public_service_unit", "ĐVSN": "public_service_unit"},
)
GROUP = choices_from(
    JobPosition.Group.choices, "Nhóm vị trí việc làm",
    prefixes={"Lãnh đạo": "leadership", "Quản lý": "leadership", "Chuyên môn": "professional",
              "Nghiệp vụ": "professional", "Hỗ trợ": "support", "Phục vụ": "support"},
)


def _key(s: str) -> str:
    return nfc(s).casefold()


def _actor_fields(actor: Actor) -> dict[str, Any]:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return {"actor": user, "actor_label": user.get_username() if user is not None else "system"}


def _read(source: Path | IO[bytes], filename: str, schema: Schema, report: ImportReport
          ) -> tuple[Layout, list[RowCells]] | None:
    try:
        sheet = open_sheet(source, filename)
    except UnreadableFile as exc:
        report.error(0, "", "", str(exc))
        return None
    report.file_encoding = sheet.encoding
    layout, data = find_layout(sheet, schema, report)
    if layout is None or not report.ok:
        return None
    rows: list[RowCells] = []
    cache: dict[str, tuple[str, str | None]] = {}
    for number, values in data:
        cells = RowCells(number, values, layout, report, sheet.legacy, cache)
        if cells.filled() == 0:
            continue
        if cells.filled() < 2 and cells.raw("name") is None:
            report.skipped_rows.append(number)
            continue
        rows.append(cells)
    report.rows = len(rows)
    return layout, rows


def _choice(cells: RowCells, key: str, choices: Choices, label: str) -> str:
    if not cells.required(key, label):
        return ""
    try:
        return choices(cells.text(key))
    except BadCell as exc:
        cells.fail(key, str(exc))
        return ""


def _code(cells: RowCells, key: str, kind: str = "") -> str:
    """A code cell; a number cell lost its leading zeros, which province and commune codes have."""
    raw = cells.raw(key)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        digits = str(int(raw))
        width = {"province": 2, "commune": 5}.get(kind, 0)
        if len(digits) < width:
            cells.report.padded_ids.append((cells.number, cells.layout.name(key)))
            return digits.zfill(width)
        return digits
    return cells.text(key)


# ---- units --------------------------------------------------------------------------------------------


@dataclass
class _UnitRow:
    cells: RowCells
    code: str
    name: str
    kind: str
    parent_ref: str
    values: dict[str, Any]  # optional columns present in the file: valid_from, agency_code, legal_basis
    existing: UnitInfo | None = None
    parent_db: UnitInfo | None = None
    parent_row: _UnitRow | None = None
    unit: OrgUnit | None = None
    children: list[_UnitRow] = field(default_factory=list)


def import_units(
    source: Path | IO[bytes], *, filename: str, actor: Actor, scope: Scope, dry_run: bool = False
) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    _import_units(source, report, actor, scope)
    return report.sort_errors()


def _import_units(source: Path | IO[bytes], report: ImportReport, actor: Actor, scope: Scope) -> None:
    filename, dry_run = report.filename, report.dry_run
    read = _read(source, filename, UNITS, report)
    if read is None:
        return
    _layout, raw_rows = read
    index = UnitIndex.load()
    by_code: dict[str, list[UnitInfo]] = {}
    for info in index.by_id.values():
        if info.code:
            by_code.setdefault(_key(info.code), []).append(info)
    rows = [r for r in (_parse_unit(cells) for cells in raw_rows) if r is not None]
    _link_units(rows, index, by_code, scope, report)
    creates = [r for r in rows if r.existing is None and not r.cells.bad]
    updates = [r for r in rows if r.existing is not None and not r.cells.bad and _unit_changes(r)]
    if not report.ok:
        return
    report.created, report.updated = len(creates), len(updates)
    report.unchanged = len(rows) - len(creates) - len(updates)
    if dry_run:
        return
    try:
        with transaction.atomic():
            _apply_units(creates, updates, actor, filename)
    except IntegrityError:
        report.created = report.updated = report.unchanged = 0
        report.error(0, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc nhập; không có gì được ghi. Hãy nhập lại tệp.")


def _parse_unit(cells: RowCells) -> _UnitRow | None:
    kind = _choice(cells, "kind", KIND, "Loại đơn vị")
    name = cells.text("name") if cells.required("name", "Tên đơn vị") else ""
    values: dict[str, Any] = {}
    if cells.has("valid_from"):
        values["valid_from"] = cells.parse("valid_from", parse_date)
    for key in ("agency_code", "legal_basis"):
        if cells.has(key):
            values[key] = _code(cells, key) if key == "agency_code" else cells.text(key)
    row = _UnitRow(cells, _code(cells, "code", kind), name, kind, _code(cells, "parent"), values)
    return None if cells.bad else row


def _link_units(rows: list[_UnitRow], index: UnitIndex, by_code: dict[str, list[UnitInfo]], scope: Scope,
                report: ImportReport) -> None:
    file_codes: dict[str, _UnitRow] = {}
    file_names: dict[str, list[_UnitRow]] = {}
    for row in rows:
        if row.code:
            first = file_codes.setdefault(_key(row.code), row)
            if first is not row:
                row.cells.fail("code", f"Mã đơn vị trùng với dòng {first.cells.number} trong tệp.")
        file_names.setdefault(_key(row.name), []).append(row)
        if row.code:
            row.existing = _match_code(row, by_code)
    for row in rows:
        if not row.cells.bad:
            _link_parent(row, index, file_codes, file_names)
    for row in rows:
        if row.cells.bad:
            continue
        if row.existing is None and not row.code and row.parent_db is not None:
            same = [u for u in index.by_name.get(_key(row.name), []) if u.parent_id == row.parent_db.id]
            row.existing = same[0] if len(same) == 1 else None
        _check_unit(row, scope)
    _check_cycles(rows)
    seen: dict[tuple[object, str], int] = {}
    for row in rows:
        if not row.code and not row.cells.bad:
            parent_key = row.parent_db.id if row.parent_db else id(row.parent_row)
            first_row = seen.setdefault((parent_key, _key(row.name)), row.cells.number)
            if first_row != row.cells.number:
                row.cells.fail("name", f"Đơn vị trùng tên, cùng cấp trên với dòng {first_row} trong tệp.")


def _match_code(row: _UnitRow, by_code: dict[str, list[UnitInfo]]) -> UnitInfo | None:
    found = by_code.get(_key(row.code), [])
    same_kind = [u for u in found if u.kind == row.kind]
    if len(same_kind) == 1:
        return same_kind[0]
    if len(found) == 1 and not same_kind:
        return found[0]
    if found:
        row.cells.fail("code", f"Mã «{row.code}» thuộc {len(found)} đơn vị; hãy sửa loại đơn vị cho đúng.")
    return None


def _link_parent(row: _UnitRow, index: UnitIndex, file_codes: dict[str, _UnitRow],
                 file_names: dict[str, list[_UnitRow]]) -> None:
    ref = row.parent_ref
    if not ref:
        return
    in_file = file_codes.get(_key(ref))
    if in_file is not None and in_file.existing is None:
        row.parent_row = in_file
        in_file.children.append(row)
        return
    found = index.candidates(ref, numeric=ref.isdigit())
    if len(found) == 1:
        row.parent_db = found[0]
        return
    named = file_names.get(_key(ref), []) if CHAIN.strip() not in ref else []
    if not found and len(named) == 1 and named[0].existing is None:
        row.parent_row = named[0]
        named[0].children.append(row)
        return
    if found:
        row.cells.fail("parent", f"«{ref}» chỉ ra {len(found)} đơn vị; hãy ghi mã đơn vị cấp trên.")
    else:
        row.cells.fail("parent", f"Không tìm thấy đơn vị cấp trên «{ref}» (trong cơ sở dữ liệu hoặc trong tệp).")


def _check_unit(row: _UnitRow, scope: Scope) -> None:
    if row.existing is not None:
        if not scope.covers(row.existing.path):
            row.cells.fail("code" if row.code else "name", "Đơn vị này nằm ngoài phạm vi quản lý của bạn.",
                           row.code or row.name)
        elif row.parent_row is not None or (row.parent_db.id if row.parent_db else None) != row.existing.parent_id:
            row.cells.fail("parent", "Không đổi đơn vị cấp trên qua nhập tệp: hãy dùng chức năng sắp xếp, "
                                     "điều chuyển đơn vị (nhân sự và vị trí việc làm đi theo).")
        return
    if row.parent_db is not None and not scope.covers(row.parent_db.path):
        row.cells.fail("parent", "Đơn vị cấp trên nằm ngoài phạm vi quản lý của bạn.")
    if row.parent_db is None and row.parent_row is None and not scope.everything:
        row.cells.fail("parent", "Chỉ quản trị cấp quốc gia được tạo đơn vị gốc (không có đơn vị cấp trên).", "")


def _check_cycles(rows: list[_UnitRow]) -> None:
    for row in rows:
        seen: set[int] = set()
        current: _UnitRow | None = row
        while current is not None and current.parent_row is not None:
            if id(current) in seen:
                row.cells.fail("parent", "Các dòng lấy nhau làm đơn vị cấp trên thành vòng.")
                break
            seen.add(id(current))
            current = current.parent_row
        if current is not None and current.cells.bad and current is not row and not row.cells.bad:
            row.cells.fail("parent", f"Đơn vị cấp trên ở dòng {current.cells.number} có lỗi.")


def _unit_stored(unit: UnitInfo) -> dict[str, Any]:
    return {"name": unit.name, "kind": unit.kind, "valid_from": unit.valid_from, "agency_code": unit.agency_code,
            "legal_basis": unit.legal_basis}


def _unit_changes(row: _UnitRow) -> dict[str, tuple[Any, Any]]:
    assert row.existing is not None
    stored = _unit_stored(row.existing)
    wanted: dict[str, Any] = {"name": row.name, "kind": row.kind, **row.values}
    return {k: (stored[k], v) for k, v in wanted.items() if stored[k] != v}


def _apply_units(creates: list[_UnitRow], updates: list[_UnitRow], actor: Actor, filename: str) -> None:
    who = _actor_fields(actor)
    audits: list[AuditEntry] = []
    changed: list[OrgUnit] = []
    fields: set[str] = set()
    for row in updates:
        assert row.existing is not None
        diff = _unit_changes(row)
        new = {k: value for k, (_, value) in diff.items()}
        # bulk_update writes every listed field of every object: start from the stored values.
        changed.append(OrgUnit(id=row.existing.id, **{**_unit_stored(row.existing), **new}))
        fields |= set(diff)
        audits.append(AuditEntry(
            **who, action=IMPORT_ACTION, object_type="orgunit", object_id=str(row.existing.id),
            org_path=row.existing.path, before={k: jsonable(old) for k, (old, _) in diff.items()},
            after={k: jsonable(v) for k, v in new.items()}, reason=filename,
        ))
    if changed:
        OrgUnit.objects.bulk_update(changed, sorted(fields))
    level = [r for r in creates if r.parent_row is None]
    while level:
        _create_level(level, who, filename, audits)
        level = [child for r in level for child in r.children]
    AuditEntry.objects.bulk_create(audits)


def _create_level(level: list[_UnitRow], who: dict[str, Any], filename: str, audits: list[AuditEntry]) -> None:
    units = []
    for row in level:
        parent_id = row.parent_db.id if row.parent_db else (row.parent_row.unit.pk if row.parent_row and row.parent_row.unit else None)
        units.append(OrgUnit(code=row.code, name=row.name, kind=row.kind, parent_id=parent_id, path="", depth=0,
                             **row.values))
    OrgUnit.objects.bulk_create(units)
    for row, unit in zip(level, units, strict=True):
        parent_path = row.parent_db.path if row.parent_db else (row.parent_row.unit.path if row.parent_row and row.parent_row.unit else "")
        unit.path = parent_path + path_segment(unit.pk)
        unit.depth = unit.path.count(".") - 1
        row.unit = unit
        after = {k: jsonable(getattr(unit, k)) for k in ("code", "name", "kind", "parent_id", "path", "valid_from",
                                                         "agency_code", "legal_basis")}
        audits.append(AuditEntry(**who, action=IMPORT_ACTION, object_type="orgunit", object_id=str(unit.pk),
                                 org_path=unit.path, after=after, reason=filename))
    OrgUnit.objects.bulk_update(units, ["path", "depth"])


# ---- positions ----------------------------------------------------------------------------------------

_POSITION_FIELDS = ("name", "group", "rank_id", "headcount_quota", "valid_from")


@dataclass
class _PositionRow:
    cells: RowCells
    unit: UnitInfo
    code: str
    values: dict[str, Any]  # name, group, headcount_quota + optional rank_id, valid_from
    existing: dict[str, Any] | None = None


def import_positions(
    source: Path | IO[bytes], *, filename: str, actor: Actor, scope: Scope, dry_run: bool = False
) -> ImportReport:
    report = ImportReport(filename=filename, dry_run=dry_run)
    _import_positions(source, report, actor, scope)
    return report.sort_errors()


def _import_positions(source: Path | IO[bytes], report: ImportReport, actor: Actor, scope: Scope) -> None:
    filename, dry_run = report.filename, report.dry_run
    read = _read(source, filename, POSITIONS, report)
    if read is None:
        return
    _layout, raw_rows = read
    units, ranks = UnitIndex.load(), RankIndex.load()
    rows = [r for r in (_parse_position(cells, units, ranks, scope) for cells in raw_rows) if r is not None]
    _match_positions(rows)
    if not report.ok:
        return
    creates = [r for r in rows if r.existing is None]
    updates = [r for r in rows if r.existing is not None and _position_changes(r)]
    report.created, report.updated = len(creates), len(updates)
    report.unchanged = len(rows) - len(creates) - len(updates)
    if dry_run:
        return
    try:
        with transaction.atomic():
            _apply_positions(creates, updates, actor, filename)
    except IntegrityError:
        report.created = report.updated = report.unchanged = 0
        report.error(0, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc nhập; không có gì được ghi. Hãy nhập lại tệp.")


def _parse_position(cells: RowCells, units: UnitIndex, ranks: RankIndex, scope: Scope) -> _PositionRow | None:
    unit: UnitInfo | None = None
    if cells.required("unit", "Đơn vị"):
        raw = cells.raw("unit")
        try:
            unit = units.resolve(_code(cells, "unit"), scope, numeric=isinstance(raw, int | float))
        except BadCell as exc:
            cells.fail("unit", str(exc))
    values: dict[str, Any] = {
        "name": cells.text("name") if cells.required("name", "Tên vị trí") else "",
        "group": _choice(cells, "group", GROUP, "Nhóm"),
        "headcount_quota": cells.parse("headcount_quota", lambda v: parse_int(v, low=0, high=100_000)) or 0,
    }
    if cells.has("rank"):
        rank = cells.text("rank")
        values["rank_id"] = None
        if rank:
            try:
                values["rank_id"] = ranks.resolve(rank)[0]
            except BadCell as exc:
                cells.fail("rank", str(exc))
    if cells.has("valid_from"):
        values["valid_from"] = cells.parse("valid_from", parse_date)
    if cells.bad or unit is None:
        return None
    return _PositionRow(cells, unit, _code(cells, "code"), values)


def _match_positions(rows: list[_PositionRow]) -> None:
    stored: dict[tuple[int, str], list[dict[str, Any]]] = {}
    unit_ids = sorted({r.unit.id for r in rows})
    for part in chunks(unit_ids):
        for values in JobPosition.objects.filter(unit_id__in=part).order_by().values("id", "unit_id", "code", *_POSITION_FIELDS):
            if values["code"]:
                stored.setdefault((values["unit_id"], "code:" + _key(values["code"])), []).append(values)
            stored.setdefault((values["unit_id"], "name:" + _key(values["name"])), []).append(values)
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.unit.id, "code:" + _key(row.code) if row.code else "name:" + _key(row.values["name"]))
        first = seen.setdefault(key, row.cells.number)
        if first != row.cells.number:
            row.cells.fail("code" if row.code else "name", f"Vị trí việc làm trùng với dòng {first} trong tệp.",
                           row.code or row.values["name"])
            continue
        found = stored.get(key, [])
        if len(found) > 1:
            row.cells.fail("name", f"Đơn vị có {len(found)} vị trí cùng tên; hãy ghi mã vị trí.", row.values["name"])
        elif found:
            row.existing = found[0]


def _position_changes(row: _PositionRow) -> dict[str, tuple[Any, Any]]:
    assert row.existing is not None
    return {k: (row.existing[k], v) for k, v in row.values.items() if row.existing[k] != v}


def _apply_positions(creates: list[_PositionRow], updates: list[_PositionRow], actor: Actor, filename: str) -> None:
    who = _actor_fields(actor)
    audits: list[AuditEntry] = []
    if updates:
        fields = sorted({k for r in updates for k in _position_changes(r)})
        objs = []
        for row in updates:
            assert row.existing is not None
            diff = _position_changes(row)
            current = {k: row.existing[k] for k in _POSITION_FIELDS}
            objs.append(JobPosition(id=row.existing["id"], unit_id=row.unit.id, **{**current, **row.values}))
            audits.append(AuditEntry(
                **who, action=IMPORT_ACTION, object_type="jobposition", object_id=str(row.existing["id"]),
                org_path=row.unit.path, before={k: jsonable(old) for k, (old, _) in diff.items()},
                after={k: jsonable(new) for k, (_, new) in diff.items()}, reason=filename,
            ))
        JobPosition.objects.bulk_update(objs, fields)
    new = [JobPosition(unit_id=r.unit.id, code=r.code, **r.values) for r in creates]
    JobPosition.objects.bulk_create(new)
    for row, pos in zip(creates, new, strict=True):
        after = {"unit_id": row.unit.id, "code": row.code, **{k: jsonable(v) for k, v in row.values.items()}}
        audits.append(AuditEntry(**who, action=IMPORT_ACTION, object_type="jobposition", object_id=str(pos.pk),
                                 org_path=row.unit.path, after=after, reason=filename))
    AuditEntry.objects.bulk_create(audits)

