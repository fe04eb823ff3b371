"""One month of evaluation in a real browser, with three accounts: the manager assigns work, the civil servant
reports completion (with an evidence file) and self-assesses, the manager records a finding and scores, the
head approves and publishes after confirming; then the explanation page shows the numbers that the
calculator (``congvu kpi score``) gives for the same input.

Screenshots (1366×768, and a phone width for the civil servant's pages) go to var/test-artifacts/eval-*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from congvu.evaluation import catalogue, periods
from congvu.evaluation.calculator import score_request
from congvu.evaluation.models import Period, Sheet, SheetStatus
from congvu.web.formats import vn_number
from tests.factories import PASSWORD, World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
FIGURES = ("quantity_pct", "quality_pct", "timeliness_pct", "task_points", "general_points", "total")


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=f"Xin chào, {username}").wait_for()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").wait_for()


def january_with_a_catalogue(world: World) -> Period:
    periods.open_year(world.users["hr"], world.so_noi_vu, 2026)
    january = Period.objects.get(agency=world.so_noi_vu, year=2026, number=1)
    periods.ensure_sheets(world.users["hr"], january)
    catalogue.create_product_type(world.users["hr"], world.phong_ccvc, catalogue.ProductTypeInput(
        code="BC01", name="Báo cáo chuyên đề", coefficient=Decimal("1.5"), valid_from=dt.date(2026, 1, 1),
        measure="báo cáo"))
    catalogue.approve_catalogue(world.users["head"], world.phong_ccvc)
    return january


def calculator_figures() -> dict[str, str]:
    """What ``congvu kpi score`` says for the month the test walks, written as the pages write numbers."""
    request = {"period": "2026-01", "people": [{
        "id": "ha", "role": "staff", "general_points": 26, "tasks": [
            {"type": "Báo cáo chuyên đề", "quantity": 4, "coefficient": 1.5, "completed": 4, "errors": 1,
             "delays": 1},
            {"type": "Văn bản trả lời", "quantity": 2, "coefficient": 1, "completed": 2},
        ]}]}
    result = score_request(request)["results"][0]
    return {key: vn_number(Decimal(str(result[key])), 2) for key in FIGURES}


def manager_assigns(page: Any, base: str) -> None:
    log_in(page, base, "truongphong")
    page.get_by_role("link", name="Đánh giá đơn vị").click()
    page.get_by_role("heading", name="Đánh giá đơn vị: kỳ 01/2026").wait_for()
    page.get_by_role("link", name="Nguyễn Thị Thu Hà").click()
    page.get_by_label("Sản phẩm, công việc trong danh mục").select_option(
        label="BC01 – Báo cáo chuyên đề (báo cáo) × 1,5")
    page.get_by_label("Số lượng giao").fill("4")
    page.get_by_label("Hạn hoàn thành").fill("25/01/2026")
    page.get_by_role("button", name="Giao việc").click()
    page.get_by_text("Đã giao công việc.").wait_for()
    page.get_by_label("Hoặc tên công việc ngoài danh mục").fill("Văn bản trả lời")
    page.get_by_label("Hệ số quy đổi (công việc ngoài danh mục)").fill("1")
    page.get_by_label("Số lượng giao").fill("2")
    page.get_by_role("button", name="Giao việc").click()
    page.locator("#task-lines tbody tr").nth(1).wait_for()
    log_out(page)


def staff_reports_and_self_assesses(page: Any, base: str, screenshot: Callable[[str], Path], evidence: Path) -> None:
    log_in(page, base, "nhanvien")
    page.get_by_role("link", name="Đánh giá của tôi").click()
    page.get_by_role("heading", name="Kỳ 01/2026").wait_for()
    screenshot("eval-02-cua-toi-truoc-bao-cao")
    page.get_by_role("link", name="Báo cáo kết quả: Báo cáo chuyên đề").click()
    page.get_by_label("Số lượng đã hoàn thành").fill("4")
    page.get_by_label("Ngày hoàn thành").fill("26/01/2026")
    page.get_by_label("Đường dẫn minh chứng").fill("https://vanban.example.vn/bao-cao-01")
    page.locator("#id_evidence_file").set_input_files(str(evidence))
    screenshot("eval-03-bao-cao-ket-qua")
    page.get_by_role("button", name="Lưu báo cáo").click()
    page.get_by_text("Đã báo cáo kết quả: Báo cáo chuyên đề.").wait_for()
    page.get_by_role("link", name="Báo cáo kết quả: Văn bản trả lời").click()
    page.get_by_label("Số lượng đã hoàn thành").fill("2")
    page.get_by_label("Ngày hoàn thành").fill("20/01/2026")
    page.get_by_role("button", name="Lưu báo cáo").click()
    page.get_by_text("Đã báo cáo kết quả: Văn bản trả lời.").wait_for()
    # A self-assessment above a group's maximum is refused on its field; then the right one goes through.
    page.locator("#id_g_a").fill("12")
    page.locator("#id_g_b").fill("9")
    page.locator("#id_g_c").fill("8")
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    assert page.locator("#id_g_a_error").inner_text() == "Tối đa 10."
    page.locator("#id_g_a").fill("9")
    page.get_by_role("button", name="Gửi tự đánh giá").click()
    page.get_by_text("Đã gửi bản tự đánh giá cho lãnh đạo.").wait_for()
    assert page.locator("#sheet-status").inner_text() == "Đã tự đánh giá"
    screenshot("eval-04-cua-toi-da-tu-danh-gia")
    page.set_viewport_size(PHONE)
    screenshot("eval-05-cua-toi-dien-thoai")
    page.set_viewport_size(LAPTOP)
    log_out(page)


def manager_records_a_finding_and_scores(page: Any, base: str, screenshot: Callable[[str], Path], sheet: Sheet) -> None:
    log_in(page, base, "truongphong")
    page.goto(f"{base}/danh-gia/phieu/{sheet.pk}/")
    page.get_by_role("link", name="Ghi nhận sai sót, chậm: Báo cáo chuyên đề").click()
    page.get_by_label("Số lần sai sót lớn về nội dung").fill("1")
    page.get_by_label("Số lần chậm tiến độ").fill("1")
    page.get_by_label("Ghi chú về sai sót, chậm trễ").fill("Sai số liệu tổng hợp quý IV; nộp chậm 1 ngày")
    screenshot("eval-06-ghi-nhan-sai-sot")
    page.get_by_role("button", name="Lưu ghi nhận").click()
    page.get_by_text("Đã ghi nhận sai sót, chậm trễ: Báo cáo chuyên đề.").wait_for()
    page.locator("#id_g_a").fill("9")
    page.locator("#id_g_b").fill("9")
    page.locator("#id_g_c").fill("8")
    page.get_by_role("button", name="Lưu điểm và tính tổng").click()
    page.get_by_text("Đã chấm điểm phiếu của Nguyễn Thị Thu Hà.").wait_for()
    screenshot("eval-07-lanh-dao-da-cham")
    page.get_by_role("link", name="Bảng đánh giá của đơn vị").click()
    page.locator("#board-table").wait_for()
    screenshot("eval-08-bang-danh-gia-don-vi")
    log_out(page)


def head_approves_and_publishes(page: Any, base: str, screenshot: Callable[[str], Path]) -> None:
    log_in(page, base, "giamdoc")
    page.locator("#eval-overdue h2").wait_for()  # loaded by htmx after the page
    screenshot("eval-09-trang-chu-qua-han")
    page.get_by_role("link", name="Đánh giá đơn vị").click()
    page.get_by_role("link", name="Phê duyệt, công khai").click()
    page.get_by_role("heading", name="Phê duyệt kết quả đánh giá: kỳ 01/2026").wait_for()
    screenshot("eval-10-phe-duyet")
    page.locator("#approve-link").click()
    page.get_by_role("button", name="Xác nhận phê duyệt").wait_for()
    screenshot("eval-11-xac-nhan-phe-duyet")
    page.get_by_role("button", name="Xác nhận phê duyệt").click()
    page.get_by_text("Đã phê duyệt 1 phiếu.").wait_for()
    page.locator("#publish-link").click()
    page.get_by_role("button", name="Xác nhận công khai").click()
    page.get_by_text("Đã công khai 1 phiếu.").wait_for()
    screenshot("eval-12-da-cong-khai")


def test_one_month_walked_by_staff_manager_and_head_ends_with_the_calculators_numbers(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    january = january_with_a_catalogue(world)
    sheet = Sheet.objects.get(period=january, person=world.ha)
    evidence = tmp_path / "bao-cao-chuyen-de-thang-01.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% minh chung\n")
    base = live_server.url

    manager_assigns(page, base)
    screenshot("eval-01-sau-khi-giao-viec")
    staff_reports_and_self_assesses(page, base, screenshot, evidence)
    manager_records_a_finding_and_scores(page, base, screenshot, sheet)
    head_approves_and_publishes(page, base, screenshot)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED

    # The explanation, as the head sees it and as the civil servant sees it (on a phone too).
    page.goto(f"{base}/danh-gia/phieu/{sheet.pk}/giai-trinh/")
    expected = calculator_figures()
    shown = {key: page.locator(f'#figures tr[data-key="{key}"] td').first.inner_text() for key in FIGURES}
    assert shown == expected
    assert page.locator("#rule-set-id").inner_text() == "nd335_2025.v1"
    assert "k·q = 1,5 × 4 = 6" in page.locator('#explain-steps tr[data-step="lines[0]"]').inner_text()
    screenshot("eval-13-giai-trinh")
    log_out(page)
    log_in(page, base, "nhanvien")
    page.get_by_role("link", name="Đánh giá của tôi").click()
    assert page.locator("#sheet-total").inner_text() == expected["total"]
    page.get_by_role("link", name="Xem cách tính điểm").click()
    assert page.locator('#figures tr[data-key="total"] td').first.inner_text() == expected["total"]
    page.set_viewport_size(PHONE)
    screenshot("eval-14-giai-trinh-dien-thoai")
