"""The annual summary list of a unit as .xlsx: one row per person, Vietnamese headers, numbers as numbers.

Written with openpyxl's write-only workbook (rows streamed, memory flat) from one query over the run's
results in the unit's subtree, ordered by unit, then by Vietnamese name order (tên, chữ đệm, họ).
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

from congvu.evaluation.models import AnnualResult, AnnualRun, EvalRole, Level
from congvu.org.models import OrgUnit
from congvu.rules import nd335_2025 as nd335

HEADERS = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Đơn vị", 30),
    ("Vị trí việc làm, nhóm nhiệm vụ", 28),
    ("Chức trách", 18),
    ("Số kỳ làm việc", 10),
    ("Điểm năm", 10),
    ("Mức theo điểm", 26),
    ("Trường hợp không hoàn thành nhiệm vụ", 40),
    ("Quyết định theo tỷ lệ xuất sắc", 34),
    ("Xếp loại", 26),
)
SCORE_FORMAT = "0.00"
ROLE_LABELS = {str(r.value): str(r.label) for r in EvalRole}
LEVEL_LABELS = {str(lv.value): str(lv.label) for lv in Level}


def override_text(code: str) -> str:
    if not code:
        return ""
    override = nd335.Override(code)
    return f"{override.label_vi} ({override.article})"


def quota_text(result: AnnualResult) -> str:
    """What the excellent quota did to this person (empty when it did nothing)."""
    if result.tie_promoted:
        return "Bằng điểm tại ngưỡng, Thủ trưởng chọn giữ xuất sắc"
    if result.quota_tie:
        return "Bằng điểm tại ngưỡng, chờ Thủ trưởng quyết định"
    if result.quota_demoted:
        return "Vượt tỷ lệ xuất sắc: chuyển xuống hoàn thành tốt"
    if result.level == Level.EXCELLENT:
        return "Trong tỷ lệ xuất sắc"
    return ""


def results_of(run: AnnualRun, unit: OrgUnit) -> Iterator[AnnualResult]:
    rows = (
        AnnualResult.objects.filter(run=run, unit__path__startswith=unit.path)
        .select_related("person", "unit")
        .order_by("unit__path", "person__sort_key", "person_id")
    )
    return rows.iterator(chunk_size=2000)


def _row(number: int, r: AnnualResult) -> list[Any]:
    return [
        number, r.person.full_name, r.unit.name, r.group, ROLE_LABELS.get(r.role, r.role), r.periods_worked,
        r.annual_score, LEVEL_LABELS.get(r.level_by_score, ""), override_text(r.override), quota_text(r),
        LEVEL_LABELS.get(r.level, ""),
    ]


def annual_summary_xlsx(run: AnnualRun, unit: OrgUnit) -> bytes:
    """The workbook's bytes: a title, the agency and year, the header row, one row per person."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Xếp loại năm")
    for i, (_label, width) in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def bold(value: str, size: int = 11) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = Font(bold=True, size=size)
        return cell

    ws.append([bold(f"DANH SÁCH TỔNG HỢP KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM {run.year}", 14)])
    ws.append([f"Cơ quan: {run.agency.name}; đơn vị: {unit.name}; phiên bản {run.version}; "
               f"tỷ lệ xuất sắc tối đa {run.excellent_ratio * 100:.0f}% số hoàn thành tốt; "
               f"bộ quy tắc {run.rule_set_id}"])
    header = []
    for label, _width in HEADERS:
        cell = bold(label)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    for number, result in enumerate(results_of(run, unit), start=1):
        values = _row(number, result)
        score = WriteOnlyCell(ws, value=values[6])
        score.number_format = SCORE_FORMAT
        values[6] = score
        ws.append(values)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def filename_for(run: AnnualRun, unit: OrgUnit) -> str:
    return f"xep-loai-nam-{run.year}-don-vi-{unit.pk}.xlsx"
