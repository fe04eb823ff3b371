"""The evaluation form as PDF (A4, Times New Roman / Liberation Serif, Decree 30/2020 margins) and the annual
summary list as .xlsx. The rendered PDFs are written to var/test-artifacts/ for a person to look at
(``pdftoppm -r 80 -png``)."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from congvu.evaluation import annual, documents, spreadsheets
from congvu.evaluation.models import AnnualResult, Level
from tests.conftest import ARTIFACTS
from tests.integration.evaluation_annual_support import build_year

pytestmark = pytest.mark.django_db

A4_PX = (793.7, 1122.5)  # 210 × 297 mm at 96 px per inch


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _save(name: str, pdf: bytes) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(pdf)


def test_the_period_form_prints_the_motto_the_person_the_task_lines_and_the_stored_total():
    yw = build_year()
    sheet = yw.january
    doc = documents.sheet_form(sheet)
    text = _text(documents.render_html(doc))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC", "Tháng 01 năm 2026", "Sở Nội vụ",
                     "Nguyễn Thị Thu Hà", "Báo cáo tổng hợp tình hình đội ngũ công chức", "Hà Nội, ngày …… tháng …… năm ……",
                     "Người tự đánh giá", "Thủ trưởng cơ quan, đơn vị"):
        assert expected in text, expected
    total = f"{sheet.total:.2f}".replace(".", ",")
    assert f"Tổng điểm của kỳ: {total} điểm" in text
    assert "1,5" in text  # the coefficient with a decimal comma


def test_the_period_form_is_printed_on_a4_in_liberation_serif_with_the_decree_margins():
    from weasyprint import HTML

    yw = build_year()
    doc = documents.sheet_form(yw.january)
    _save("pdf-phieu-thang-01.pdf", documents.render_pdf(doc))
    rendered = HTML(string=documents.render_html(doc)).render()
    assert 1 <= len(rendered.pages) <= 2
    mm = 96 / 25.4
    for page in rendered.pages:
        assert (round(page.width, 1), round(page.height, 1)) == A4_PX
        box = page._page_box  # WeasyPrint keeps the laid-out page box (with its used margins) here
        margins = (box.margin_top, box.margin_right, box.margin_bottom, box.margin_left)
        assert [round(m / mm) for m in margins] == [20, 15, 20, 30]
    pdf = documents.render_pdf(doc, uncompressed=True)
    assert pdf.startswith(b"%PDF")
    fonts = {name.split(b"+")[-1] for name in re.findall(rb"/BaseFont\s*/([^\s/>]+)", pdf)}
    assert fonts
    assert fonts <= {b"Liberation-Serif", b"Liberation-Serif-Bold", b"Liberation-Serif-Italic",
                     b"TimesNewRomanPSMT", b"TimesNewRomanPS-BoldMT", b"TimesNewRomanPS-ItalicMT"}, fonts


def test_the_annual_form_lists_the_periods_with_leave_and_the_transfer_and_the_final_level():
    yw = build_year()
    run = annual.compute(yw.world.users["hr"], yw.agency, 2026)
    giang = AnnualResult.objects.get(run=run, person=yw.people["giang"])
    doc = documents.annual_form(run, giang)
    assert [p.label for p in doc.periods][:4] == ["01/2026", "02/2026", "03/2026", "04/2026"]
    assert doc.periods[0].unit == "Sở Tài chính"
    assert doc.total == giang.annual_score == Decimal("85.25")  # (88 + 86 + 84 + 9 × 85) / 12
    ha = AnnualResult.objects.get(run=run, person=yw.people["ha"])
    ha_doc = documents.annual_form(run, ha)
    leave = [p for p in ha_doc.periods if p.label == "03/2026"]
    assert len(leave) == 1
    assert leave[0].total is None
    assert "Nghỉ" in leave[0].note
    text = _text(documents.render_html(ha_doc))
    assert "Năm 2026" in text
    assert Level(ha.level).label in text
    _save("pdf-phieu-nam-2026.pdf", documents.render_pdf(ha_doc))


def test_the_annual_summary_list_has_vietnamese_headers_and_one_row_per_person_with_numbers():
    yw = build_year()
    run = annual.compute(yw.world.users["hr"], yw.agency, 2026)
    data = spreadsheets.annual_summary_xlsx(run, yw.world.phong_ccvc)
    sheet = load_workbook(BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH TỔNG HỢP KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG NĂM 2026"
    assert rows[2][:7] == ("STT", "Họ và tên", "Đơn vị", "Vị trí việc làm, nhóm nhiệm vụ", "Chức trách",
                           "Số kỳ làm việc", "Điểm năm")
    people = rows[3:]
    assert len(people) == AnnualResult.objects.filter(run=run, unit=yw.world.phong_ccvc).count() == 8
    by_name = {r[1]: r for r in people}
    assert by_name["Phạm Thị An"][6] == 92
    assert by_name["Phạm Thị An"][9].startswith("Bằng điểm")
    assert by_name["Vũ Mạnh Cường"][10] == "Không hoàn thành nhiệm vụ"
    assert "khiển trách" in by_name["Vũ Mạnh Cường"][8]
    names = [r[1] for r in people]
    assert names.index("Phạm Thị An") < names.index("Đỗ Quốc Bảo")  # Vietnamese order: An before Bảo
