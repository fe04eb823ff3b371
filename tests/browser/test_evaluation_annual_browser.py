"""The annual classification in a real browser: HR computes it; the head sees the quota line with a tie in
Phòng Công chức, viên chức, gives the free seat to one tied person with a reason, approves and publishes;
the explanation page and the summary with its charts. Screenshots go to var/test-artifacts/ (annual-…) for a
person to look at, one of them at a phone's width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from congvu.evaluation import catalogue
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus, Level
from tests.factories import PASSWORD
from tests.integration.evaluation_annual_support import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "Chủ trì đề án cải cách hành chính của Sở, được Hội đồng thi đua đề nghị"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=f"Xin chào, {username}").wait_for()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label("Tên đăng nhập").wait_for()


def test_hr_computes_and_the_head_decides_the_tie_approves_and_publishes(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yw = build_year()
    an, bao = yw.people["an"], yw.people["bao"]
    base = live_server.url

    # HR: from the navigation to the agency's year, then compute with the default 20 %.
    log_in(page, base, "tccb")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Xếp loại năm").click()
    page.get_by_role("link", name="Xem, xử lý Sở Nội vụ 2026").click()
    page.get_by_text("Chưa tính xếp loại năm 2026 cho cơ quan này.").wait_for()
    assert page.get_by_label("Tỷ lệ xuất sắc tối đa (phần trăm số hoàn thành tốt)").input_value() == "20"
    page.get_by_role("button", name="Tính xếp loại năm").click()
    page.get_by_text("Đã tính xếp loại năm 2026: 12 người.").wait_for()
    screenshot("annual-01-tccb-da-tinh")
    log_out(page)

    # Head: the quota line of Phòng Công chức, viên chức has two people tied at 92,00 and one seat.
    log_in(page, base, "giamdoc")
    page.goto(f"{base}/danh-gia/xep-loai-nam/{yw.agency.pk}/2026/")
    group = page.locator(".quota-group", has_text="Phòng Công chức, viên chức")
    group.get_by_text("Còn 1 suất cho người bằng điểm.").wait_for()
    assert group.locator("tr.state-tied").count() == 2
    assert group.locator("tr.quota-line").first.inner_text().strip() == "Ngưỡng tỷ lệ: 1 suất xuất sắc"
    tccb = page.locator(".quota-group", has_text="Phòng Tổ chức cán bộ")
    assert tccb.locator("tr.state-out").inner_text().startswith("Lý Đăng Khoa")
    group.scroll_into_view_if_needed()
    screenshot("annual-02-nguong-ty-le-bang-diem")

    # An empty reason is refused next to the field; then An gets the seat with a reason.
    group.get_by_role("button", name="Chọn vào suất xuất sắc").first.click()
    page.get_by_text("Cần ghi lý do lựa chọn.").wait_for()
    page.get_by_label("Lý do chọn Phạm Thị An").fill(REASON)
    page.locator("form.promote", has=page.get_by_label("Lý do chọn Phạm Thị An")).get_by_role(
        "button", name="Chọn vào suất xuất sắc").click()
    page.get_by_text("Đã chọn Phạm Thị An vào suất “Hoàn thành xuất sắc nhiệm vụ”.").wait_for()
    group = page.locator(".quota-group", has_text="Phòng Công chức, viên chức")
    assert group.locator("tr.state-promoted").inner_text().startswith("Phạm Thị An")
    assert group.locator("tr.state-tied").inner_text().startswith("Đỗ Quốc Bảo")
    group.scroll_into_view_if_needed()
    screenshot("annual-03-da-chon-nguoi-bang-diem")

    # Approve (with the confirmation), then publish with a 15-day complaint window.
    page.get_by_label("Tôi đã xem danh sách và xác nhận").check()
    page.get_by_role("button", name="Phê duyệt kết quả xếp loại").click()
    page.get_by_text("Đã phê duyệt kết quả xếp loại năm 2026.").wait_for()
    assert page.locator("#run-status").inner_text() == "Thủ trưởng đã phê duyệt"
    page.get_by_label("Tôi đã xem danh sách và xác nhận").check()
    page.get_by_role("button", name="Công khai kết quả").click()
    page.get_by_text("Đã công khai kết quả; nhận kiến nghị trong 15 ngày.").wait_for()
    assert page.locator("#run-status").inner_text() == "Đang nhận kiến nghị"
    screenshot("annual-04-da-cong-khai")
    run = AnnualRun.objects.get(agency=yw.agency, year=2026, is_current=True)
    assert run.status == AnnualStatus.COMPLAINT_WINDOW
    levels = dict(AnnualResult.objects.filter(run=run, person__in=[an, bao]).values_list("person_id", "level"))
    assert levels == {an.pk: Level.EXCELLENT, bao.pk: Level.GOOD}

    # An's explanation: the mean with its numbers, the tie decision with the head's reason.
    page.get_by_role("link", name="Phạm Thị An").first.click()
    page.get_by_role("heading", name="Giải trình xếp loại năm 2026: Phạm Thị An").wait_for()
    assert page.locator("#annual-score").inner_text() == "92,00"
    assert page.locator("#final-level").inner_text() == "Hoàn thành xuất sắc nhiệm vụ"
    assert REASON in page.locator("main").inner_text()
    assert "= 92" in page.locator("#steps li[data-key=annual_score]").inner_text()
    screenshot("annual-05-giai-trinh")

    # The division's catalogue with two drafts the head may approve.
    for code, name, k in (("BC01", "Báo cáo tổng hợp chuyên đề", "1.5"), ("VB01", "Văn bản trả lời kiến nghị", "1")):
        catalogue.create_product_type(yw.world.users["hr"], yw.world.phong_ccvc, catalogue.ProductTypeInput(
            code=code, name=name, coefficient=Decimal(k), valid_from=dt.date(2026, 1, 1), measure="văn bản"))
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Danh mục sản phẩm").click()
    page.get_by_label("Đơn vị").select_option(label=" Phòng Công chức, viên chức")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("button", name="Phê duyệt tất cả 2 dự thảo").wait_for()
    assert page.locator("#catalogue tbody tr").first.inner_text().split("\t")[1:3] == ["BC01", "Báo cáo tổng hợp chuyên đề"]
    screenshot("annual-08-danh-muc")

    # The summary of the year with its charts, then the run page at a phone's width.
    page.goto(f"{base}/danh-gia/tong-hop/?don_vi={yw.agency.pk}&loai=year&nam=2026")
    page.locator("#chart-levels svg").wait_for()
    screenshot("annual-06-tong-hop-bieu-do")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/danh-gia/xep-loai-nam/{yw.agency.pk}/2026/")
    page.locator(".quota-group").first.wait_for()
    screenshot("annual-07-dien-thoai")
