"""The catalogue of product/work types of a unit, with conversion coefficients (Decree 335/2025 Art 13).

HR or the unit drafts the list (by hand or from a spreadsheet); the head approves it; only approved types
can be assigned. A coefficient never changes in place: a new version starts on a later date, so past
periods keep the coefficient they were scored with (the task line also keeps a copy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from congvu.core import audit
from congvu.core.types import Actor
from congvu.evaluation.models import ProductType
from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.io.cells import parse_date, parse_decimal
from congvu.personnel.io.headers import Column, Schema
from congvu.personnel.io.reading import RowCells, find_layout
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.table import UnreadableFile, open_sheet
from congvu.personnel.services import ServiceError

MAX_COEFFICIENT = Decimal(100)

CATALOGUE = Schema(
    name="catalogue",
    title="DANH MỤC SẢN PHẨM, CÔNG VIỆC VÀ HỆ SỐ QUY ĐỔI",
    columns=(
        Column("code", "Mã sản phẩm", ("Mã", "Mã SP", "Mã công việc", "Mã sản phẩm/công việc"), max_length=30),
        Column("name", "Tên sản phẩm, công việc", ("Tên sản phẩm", "Sản phẩm", "Công việc", "Tên công việc",
                                                 "Sản phẩm/công việc", "Tên sản phẩm/công việc"), max_length=255),
        Column("measure", "Đơn vị tính", ("ĐVT", "Đơn vị"), max_length=40),
        Column("coefficient", "Hệ số quy đổi", ("Hệ số", "Hệ số K", "Hệ số quy đổi về sản phẩm chuẩn", "K")),
        Column("position", "Mã vị trí việc làm", ("Mã vị trí", "Vị trí việc làm", "Mã VTVL")),
        Column("valid_from", "Hiệu lực từ ngày", ("Từ ngày", "Ngày hiệu lực", "Áp dụng từ ngày")),
        Column("valid_to", "Hiệu lực đến ngày", ("Đến ngày",)),
        Column("_stt", "STT", ("TT", "Số TT", "Số thứ tự"), ignored=True),
        Column("_note", "Ghi chú", (), ignored=True),
    ),
    required=((("code",),), (("name",),), (("coefficient",),), (("valid_from",),)),
)


@dataclass(frozen=True)
class ProductTypeInput:
    code: str
    name: str
    coefficient: Decimal
    valid_from: dt.date
    measure: str = ""
    position_id: int | None = None
    valid_to: dt.date | None = None


def _validate(unit: OrgUnit, data: ProductTypeInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.code.strip():
        errors["code"] = ["Cần mã sản phẩm."]
    if not data.name.strip():
        errors["name"] = ["Cần tên sản phẩm, công việc."]
    if not Decimal(0) < data.coefficient <= MAX_COEFFICIENT:
        errors["coefficient"] = [f"Hệ số quy đổi phải lớn hơn 0 và không quá {MAX_COEFFICIENT}."]
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors["valid_to"] = ["Ngày hết hiệu lực trước ngày bắt đầu."]
    if data.position_id is not None and not JobPosition.objects.filter(pk=data.position_id, unit=unit).exists():
        errors["position"] = ["Vị trí việc làm không thuộc đơn vị này."]
    if ProductType.objects.filter(unit=unit, code=data.code.strip(), valid_from=data.valid_from).exists():
        errors["code"] = ["Đã có sản phẩm cùng mã và cùng ngày hiệu lực trong danh mục."]
    return errors


@transaction.atomic
def create_product_type(actor: Actor, unit: OrgUnit, data: ProductTypeInput) -> ProductType:
    errors = _validate(unit, data)
    if errors:
        raise ServiceError(errors)
    ptype = ProductType.objects.create(
        unit=unit, position_id=data.position_id, code=data.code.strip(), name=data.name.strip(),
        measure=data.measure.strip(), coefficient=data.coefficient, valid_from=data.valid_from, valid_to=data.valid_to,
    )
    audit.record(actor, "evaluation.catalogue_add", ptype, after=audit.snapshot(ptype), org_path=unit.path)
    return ptype


@transaction.atomic
def approve_catalogue(actor: Actor, unit: OrgUnit, ids: list[int] | None = None) -> int:
    """The head approves the unit's draft types (all of them, or the ones listed)."""
    drafts = ProductType.objects.filter(unit=unit, status=ProductType.Status.DRAFT)
    if ids is not None:
        drafts = drafts.filter(pk__in=ids)
    chosen = list(drafts.values_list("pk", flat=True))
    user = actor if actor is not None and actor.is_authenticated else None
    drafts.update(status=ProductType.Status.APPROVED, approved_by=user, approved_at=timezone.now())
    if chosen:
        audit.record(actor, "evaluation.catalogue_approve", unit, after={"approved": chosen}, org_path=unit.path)
    return len(chosen)


def catalogue_on(unit: OrgUnit, day: dt.date) -> list[ProductType]:
    """The approved types usable in ``unit`` on ``day``: its own and those of the units above it."""
    segs = [s for s in unit.path.split(".") if s]
    paths = [".".join(segs[: i + 1]) + "." for i in range(len(segs))]
    return list(
        ProductType.objects.filter(unit__path__in=paths, status=ProductType.Status.APPROVED, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("code")
    )


def import_catalogue(source: Path | IO[bytes], *, filename: str, actor: Actor, unit: OrgUnit,
                     dry_run: bool = False) -> ImportReport:
    """Read a catalogue spreadsheet into drafts of ``unit``: all rows or none, every bad cell reported."""
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        sheet = open_sheet(source, filename)
    except UnreadableFile as exc:
        report.error(0, "", "", str(exc))
        return report
    layout, data = find_layout(sheet, CATALOGUE, report)
    if layout is None or not report.ok:
        return report.sort_errors()
    positions = {code: pk for pk, code in JobPosition.objects.filter(unit=unit).exclude(code="").values_list("pk", "code")}
    inputs: list[tuple[RowCells, ProductTypeInput]] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for number, values in data:
        cells = RowCells(number, values, layout, report, sheet.legacy)
        if cells.filled() == 0:
            continue
        item = _row_input(cells, positions)
        if item is None:
            continue
        key = (item.code, item.valid_from)
        if key in seen:
            cells.fail("code", f"Trùng mã và ngày hiệu lực với dòng {seen[key]}.")
            continue
        seen[key] = number
        for field, messages in _validate(unit, item).items():
            cells.fail(field if field != "position" else "position", "; ".join(messages))
        inputs.append((cells, item))
    report.rows = len(inputs)
    if not report.ok:
        return report.sort_errors()
    report.created = len(inputs)
    if not dry_run:
        with transaction.atomic():
            for _cells, item in inputs:
                create_product_type(actor, unit, item)
    return report


def _row_input(cells: RowCells, positions: dict[str, int]) -> ProductTypeInput | None:
    code = cells.text("code") if cells.required("code", "Mã sản phẩm") else ""
    name = cells.text("name") if cells.required("name", "Tên sản phẩm, công việc") else ""
    coefficient = cells.parse("coefficient", lambda v: parse_decimal(v, high=MAX_COEFFICIENT + 1))
    if coefficient is None and not cells.bad:
        cells.required("coefficient", "Hệ số quy đổi")
    valid_from = cells.parse("valid_from", parse_date)
    if valid_from is None and not cells.bad:
        cells.required("valid_from", "Hiệu lực từ ngày")
    valid_to = cells.parse("valid_to", parse_date) if cells.has("valid_to") else None
    position_id = None
    if cells.raw("position") is not None:
        position_id = positions.get(cells.text("position"))
        if position_id is None:
            cells.fail("position", "Không có vị trí việc làm mang mã này trong đơn vị.")
    if cells.bad or coefficient is None or valid_from is None:
        return None
    return ProductTypeInput(code=code, name=name, coefficient=coefficient, valid_from=valid_from,
                            measure=cells.text("measure"), position_id=position_id, valid_to=valid_to)
