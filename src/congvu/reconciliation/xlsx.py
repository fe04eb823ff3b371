"""The list of a unit's open reconciliation records as an .xlsx workbook, to send to that unit.

One sheet, Vietnamese headers, dates as real Excel dates shown dd/mm/yyyy, the probability as a
percentage; a title block says which unit, which run and which population extract the list comes from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from congvu.org.models import OrgUnit
from congvu.reconciliation.models import QueueState, ReconciliationRecord, ReconciliationRun, Status
from congvu.reconciliation.queries import DIFFERENCE_LABELS, FIELD_LABELS, ID_PROBLEM_LABELS
from congvu.text import fold

DATE_FORMAT = "DD/MM/YYYY"
#: (header, column width)
COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 10),
    ("Họ và tên (CSDL cán bộ)", 28),
    ("Số định danh (CSDL cán bộ)", 16),
    ("Ngày sinh (CSDL cán bộ)", 12),
    ("Giới tính (CSDL cán bộ)", 9),
    ("Đơn vị", 28),
    ("Kết quả đối soát", 26),
    ("Thông tin khác nhau", 34),
    ("Lỗi số định danh", 30),
    ("Số định danh theo CSDL dân cư", 16),
    ("Họ và tên (CSDL dân cư)", 28),
    ("Ngày sinh (CSDL dân cư)", 12),
    ("Giới tính (CSDL dân cư)", 9),
    ("Xác suất khớp", 10),
    ("Trạng thái xử lý", 22),
    ("Nội dung cần kiểm tra", 40),
    ("Giải thích của hệ thống", 50),
)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SEX_VI = {"M": "Nam", "F": "Nữ"}


def describe_differences(record: ReconciliationRecord) -> str:
    return "; ".join(f"{FIELD_LABELS.get(f, f)}: {DIFFERENCE_LABELS.get(k, k)}" for f, k in record.difference_items)


def describe_id_problems(record: ReconciliationRecord) -> str:
    return "; ".join(ID_PROBLEM_LABELS.get(p, p) for p in record.id_problems)


def population_date(value: str) -> dt.date | str:
    """ISO dates become Excel dates; a year alone stays text ("1985")."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def unit_workbook(run: ReconciliationRun, unit: OrgUnit, records: Iterable[ReconciliationRecord]) -> bytes:
    """The workbook of ``records`` (a unit's open records) as .xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Hồ sơ cần làm sạch"
    _title_block(ws, run, unit)
    header_row = 5
    for col, (header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = width
    row = header_row
    for row, record in enumerate(records, start=header_row + 1):
        _write_record(ws, row, row - header_row, record)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{max(row, header_row)}"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title_block(ws: Any, run: ReconciliationRun, unit: OrgUnit) -> None:
    version = f", phiên bản {run.dataset_version}" if run.dataset_version else ""
    started = timezone.localtime(run.started_at) if timezone.is_aware(run.started_at) else run.started_at
    lines = (
        f"DANH SÁCH HỒ SƠ CẦN LÀM SẠCH, ĐỐI SOÁT VỚI CSDL QUỐC GIA VỀ DÂN CƯ – {unit.name.upper()}",
        f"Lần đối soát số {run.pk} ngày {started:%d/%m/%Y}; tệp dữ liệu dân cư {run.population_file}{version}.",
        "Đề nghị đơn vị đối chiếu giấy tờ của từng người (căn cước, giấy khai sinh), sửa hồ sơ và báo lại "
        "phòng Tổ chức cán bộ.",
    )
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = Font(bold=i == 1, size=13 if i == 1 else 11)


def _write_record(ws: Any, row: int, number: int, record: ReconciliationRecord) -> None:
    person = record.person
    values = (
        number,
        int(record.record_id) if record.record_id.isdigit() else record.record_id,
        person.full_name if person else "",
        record.personal_id,
        (person.birth_date or str(person.birth_year)) if person else "",
        SEX_VI.get(person.sex, "") if person else "",
        record.unit.name if record.unit else "",
        Status(record.status).label,
        describe_differences(record),
        describe_id_problems(record),
        record.matched_personal_id,
        record.pop_full_name,
        population_date(record.pop_birth_date),
        SEX_VI.get(record.pop_sex, ""),
        record.probability,
        QueueState(record.state).label,
        record.note,
        record.reason,
    )
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        elif col == 15 and value is not None:
            cell.number_format = "0.0%"
        elif col in (4, 11):
            cell.number_format = "@"  # IDs as text: Excel would drop the leading zero


def file_name(run: ReconciliationRun, unit: OrgUnit) -> str:
    """``doi-soat-12-phong-to-chuc-can-bo.xlsx``: ASCII, so every mail client keeps it."""
    slug = "-".join(fold(unit.name).lower().replace(",", " ").split())[:60]
    return f"doi-soat-{run.pk}-{slug or unit.pk}.xlsx"
