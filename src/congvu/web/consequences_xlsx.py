"""The consequence lists and the cost table as .xlsx: Vietnamese headers, numbers and money as numbers, dates as
dates (dd/mm/yyyy), written with openpyxl's write-only workbook (rows streamed, memory flat).

The board's export is the current tab with the filters on the page, one row per entry, in the page's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from congvu.consequences.models import Entry, Kind, ListRun

if TYPE_CHECKING:
    from congvu.web.consequences import CostRow

MONEY = "#,##0"
DATE = "dd/mm/yyyy"
COEFFICIENT = "0.00"
PATHS = {"early_retirement": "Nghỉ hưu trước tuổi", "quit": "Thôi việc ngay"}
TAB_TITLES = {
    "in": "VÀO – TUYỂN DỤNG VÀO VỊ TRÍ VIỆC LÀM CÒN THIẾU",
    "out": "RA – TINH GIẢN BIÊN CHẾ",
    "up": "LÊN – NÂNG BẬC LƯƠNG, BỐ TRÍ VỊ TRÍ VIỆC LÀM CAO HƠN",
    "down": "XUỐNG – XEM XÉT BỐ TRÍ VỊ TRÍ THẤP HƠN HOẶC CHO THÔI VIỆC",
}


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    value: Callable[[Entry], Any]
    number_format: str = ""


def _facts(e: Entry) -> dict[str, Any]:
    facts: dict[str, Any] = e.evidence.get("facts") or {}
    return facts


def _name(e: Entry) -> str:
    return e.person.full_name if e.person is not None else ""


def _position(e: Entry) -> str:
    return e.position.name if e.position is not None else ""


def _quota(e: Entry) -> str:
    if e.kind == Kind.EARLY_RAISE:
        return "Trong chỉ tiêu" if e.in_quota else "Ngoài chỉ tiêu"
    if e.kind == Kind.STREAMLINING:
        return "Đủ điều kiện" if e.in_quota else "Chưa xem xét (loại trừ)"
    return ""


COMMON_START = (Column("Loại", 30, lambda e: e.get_kind_display()),)
COMMON_END = (
    Column("Tóm tắt", 50, lambda e: e.summary),
    Column("Trạng thái", 16, lambda e: e.get_status_display()),
    Column("Lý do, ghi chú", 30, lambda e: e.reason),
    Column("Căn cứ", 50, lambda e: e.evidence.get("article", "")),
)
PERSON = (Column("Họ và tên", 26, _name), Column("Đơn vị", 28, lambda e: e.unit.name))
COLUMNS: dict[str, tuple[Column, ...]] = {
    "in": (Column("Vị trí việc làm", 36, _position), Column("Đơn vị", 28, lambda e: e.unit.name),
           Column("Số chỉ tiêu cần tuyển", 12, lambda e: e.count, "0")),
    "out": (*PERSON, Column("Trường hợp", 12, lambda e: ", ".join(_facts(e).get("cases", []))),
            Column("Hình thức", 20, lambda e: PATHS.get(_facts(e).get("path") or "", "")),
            Column("Điều kiện", 22, _quota),
            Column("Ngày tính", 12, lambda e: e.effective_date, DATE),
            Column("Tiền lương tháng (đồng)", 16, lambda e: e.monthly_cost, MONEY),
            Column("Số tháng trợ cấp", 10, lambda e: float(_facts(e).get("benefit_months") or 0), "0.0"),
            Column("Trợ cấp (đồng)", 18, lambda e: e.benefit_vnd, MONEY)),
    "up": (*PERSON, Column("Vị trí việc làm cao hơn", 30, _position),
           Column("Ngày hưởng bậc mới", 12, lambda e: e.effective_date, DATE),
           Column("Bậc mới", 8, lambda e: e.new_step, "0"),
           Column("Hệ số mới", 9, lambda e: e.new_coefficient, COEFFICIENT),
           Column("Chỉ tiêu 10 %", 16, _quota),
           Column("Tăng mỗi tháng (đồng)", 16, lambda e: e.monthly_cost, MONEY),
           Column("Chi phí trong năm (đồng)", 16, lambda e: e.year_cost, MONEY)),
    "down": (*PERSON, Column("Hạn xem xét", 12, lambda e: e.due_date, DATE)),
}


def columns_for(direction: str) -> tuple[Column, ...]:
    return (*COMMON_START, *COLUMNS[direction], *COMMON_END)


def _workbook(title: str, subtitle: str, headers: list[tuple[str, int]], sheet: str) -> tuple[Any, Any, Callable[..., Any]]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for i, (_label, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def cell(value: Any, number_format: str = "", bold: bool = False, size: int = 11, wrap: bool = False) -> Any:
        c = WriteOnlyCell(ws, value=value)
        if number_format and value is not None and value != "":
            c.number_format = number_format
        if bold:
            c.font = Font(bold=True, size=size)
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="center")
        return c

    ws.append([cell(title, bold=True, size=14)])
    ws.append([subtitle])
    ws.append([cell(label, bold=True, wrap=True) for label, _w in headers])
    return wb, ws, cell


def _bytes(wb: Any) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def board_xlsx(run: ListRun, direction: str, entries: QuerySet[Entry]) -> bytes:
    columns = columns_for(direction)
    wb, ws, cell = _workbook(
        f"DANH SÁCH SỬ DỤNG KẾT QUẢ ĐÁNH GIÁ NĂM {run.year}: {TAB_TITLES[direction]}",
        f"Cơ quan: {run.agency.name}; lập ngày {run.computed_at:%d/%m/%Y}; tính đến ngày {run.as_of:%d/%m/%Y}; "
        f"lương cơ sở {run.base_salary:,} đồng".replace(",", "."),
        [("STT", 6), *[(c.header, c.width) for c in columns]], "Danh sách",
    )
    for number, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        ws.append([number, *[cell(c.value(entry), c.number_format) for c in columns]])
    return _bytes(wb)


def board_filename(run: ListRun, tab: str) -> str:
    return f"su-dung-ket-qua-{run.year}-co-quan-{run.agency_id}-{tab}.xlsx"


COST_HEADERS = (
    ("Đơn vị", 34),
    ("Tinh giản: số người đủ điều kiện", 14), ("Tinh giản: số người đã chấp nhận", 14),
    ("Trợ cấp, người đủ điều kiện (đồng)", 18), ("Trợ cấp, đã chấp nhận (đồng)", 18),
    ("Lương tháng giảm, đã chấp nhận (đồng)", 18),
    ("Nâng bậc: số lượt đến hạn", 12), ("Nâng bậc: số lượt đã chấp nhận", 12),
    ("Tăng lương mỗi tháng (đồng)", 16), ("Chi phí trong năm (đồng)", 18),
    ("Tác động cả năm = tăng mỗi tháng × 12 (đồng)", 20), ("Chi phí trong năm, đã chấp nhận (đồng)", 18),
)


def _cost_values(r: CostRow) -> list[tuple[Any, str]]:
    return [
        (r.unit_name, ""), (r.eligible, "0"), (r.streamlined, "0"), (r.benefit_eligible, MONEY),
        (r.benefit_accepted, MONEY), (r.saved_monthly, MONEY), (r.raises_due, "0"), (r.raises_accepted, "0"),
        (r.raise_monthly, MONEY), (r.raise_year, MONEY), (r.raise_full_year, MONEY), (r.raise_year_accepted, MONEY),
    ]


def cost_xlsx(run: ListRun, rows: list[CostRow], total: CostRow) -> bytes:
    wb, ws, cell = _workbook(
        f"CHI PHÍ TINH GIẢN BIÊN CHẾ VÀ NÂNG BẬC LƯƠNG NĂM {run.year}",
        f"Cơ quan: {run.agency.name}; lập danh sách ngày {run.computed_at:%d/%m/%Y}; "
        f"xuất ngày {dt.date.today():%d/%m/%Y}", list(COST_HEADERS), "Chi phí",
    )
    for r in rows:
        ws.append([cell(v, fmt) for v, fmt in _cost_values(r)])
    ws.append([cell(v, fmt, bold=True) for v, fmt in _cost_values(total)])
    return _bytes(wb)


def cost_filename(run: ListRun) -> str:
    return f"chi-phi-{run.year}-co-quan-{run.agency_id}.xlsx"
