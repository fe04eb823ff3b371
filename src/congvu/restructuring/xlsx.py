"""The restructuring report as an .xlsx workbook: one sheet per report, Vietnamese headers, numbers as numbers,
dates dd/mm/yyyy. Written with openpyxl (the reports are a few dozen rows)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from congvu.restructuring.reports import Report

DATE = "dd/mm/yyyy"
COUNT = "#,##0"


def _sheet(wb: Any, name: str, title: str, subtitle: str, headers: list[tuple[str, int]]) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([subtitle])
    ws.append([label for label, _w in headers])
    for i, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        header = ws.cell(row=3, column=i)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="center")
    return ws


def _row(ws: Any, values: list[Any], bold: bool = False) -> None:
    from openpyxl.styles import Font

    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, int):
            cell.number_format = COUNT
        if bold:
            cell.font = Font(bold=True)


def report_xlsx(r: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    span = f"Đơn vị: {r.scope_unit.name}; ngày hiệu lực từ {r.start:%d/%m/%Y} đến {r.end:%d/%m/%Y}"
    _removed(wb, r, span)
    _staffing(wb, r, span)
    _surplus(wb, r, span)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _removed(wb: Any, r: Report, span: str) -> None:
    headers = [("Cấp, loại đơn vị", 40), ("Số đơn vị đóng", 14), ("Số đơn vị mới lập", 14), ("Số đơn vị giảm", 14)]
    ws = _sheet(wb, "Đơn vị giảm", "SỐ ĐƠN VỊ GIẢM SAU SẮP XẾP THEO CẤP VÀ LOẠI", span, headers)
    _row(ws, ["Theo cấp"], bold=True)
    for row in r.removed.by_level:
        _row(ws, [row.label, row.closed, row.opened, row.net])
    _row(ws, ["Theo loại đơn vị"], bold=True)
    for row in r.removed.by_kind:
        _row(ws, [row.label, row.closed, row.opened, row.net])
    t = r.removed.total
    _row(ws, [t.label, t.closed, t.opened, t.net], bold=True)


def _staffing(wb: Any, r: Report, span: str) -> None:
    s = r.staffing
    before, after = f"{s.before_day:%d/%m/%Y}", f"{s.after_day:%d/%m/%Y}"
    headers = [("Cấp", 20)] + [(f"{what} ngày {day}", 14) for day in (before, after)
                               for what in ("Số đơn vị", "Số vị trí việc làm", "Biên chế", "Số người")]
    headers += [("Biên chế tăng (+) / giảm (−)", 14), ("Số người tăng (+) / giảm (−)", 14)]
    ws = _sheet(wb, "Vị trí, biên chế", "VỊ TRÍ VIỆC LÀM, BIÊN CHẾ VÀ SỐ NGƯỜI TRƯỚC VÀ SAU SẮP XẾP", span, headers)
    for row in [*s.rows, s.total]:
        b, a = row.before, row.after
        _row(ws, [row.label, b.units, b.positions, b.quota, b.headcount, a.units, a.positions, a.quota, a.headcount,
                  a.quota - b.quota, a.headcount - b.headcount], bold=row is s.total)


def _surplus(wb: Any, r: Report, span: str) -> None:
    headers = [("Trạng thái đề xuất", 30), ("Bố trí vào vị trí", 14), ("Tinh giản biên chế", 14), ("Tổng", 12)]
    ws = _sheet(wb, "Dôi dư", "NGƯỜI DÔI DƯ: ĐÃ GIẢI QUYẾT VÀ CÒN LẠI", span, headers)
    for row in r.surplus.rows:
        _row(ws, [row.label, row.to_position, row.leftover, row.total])
    _row(ws, ["Đã giải quyết (chấp nhận)", None, None, r.surplus.resolved], bold=True)
    _row(ws, ["Còn chờ xem xét", None, None, r.surplus.open], bold=True)
    _row(ws, ["Đề xuất của lần chạy đã thay thế (không tính)", None, None, r.surplus.superseded])
    _row(ws, [])
    _row(ws, ["Theo lý do dôi dư"], bold=True)
    for _key, label, n in r.surplus.by_reason:
        _row(ws, [label, None, None, n])


def report_filename(r: Report) -> str:
    return f"bao-cao-sap-xep-{r.scope_unit.pk}-{r.start:%Y%m%d}-{r.end:%Y%m%d}.xlsx"
