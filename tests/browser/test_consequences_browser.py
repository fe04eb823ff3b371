"""The consequence pages in a real browser, after the 2025 classification of Sở Nội vụ is published: HR opens
the board from the navigation, accepts chị Hà's regular step raise (her employment history shows step 4 from
01/04/2025 with the decision number, an audit entry is written, the PDF decision opens) and anh Bình's
streamlining entry (its benefit appears in the accepted totals of the cost page). Screenshots of the board, the
entry page and the cost page go to var/test-artifacts/ (consequences-…), with the PDF rendered to PNG for a
person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.consequences.models import Decision, Kind
from congvu.core.models import AuditEntry
from congvu.personnel.models import Employment
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.integration.test_consequences_pages import YEAR, build_consequences

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=f"Xin chào, {username}").wait_for()


def accept_here(page: Any) -> None:
    page.get_by_label("Tôi đã xem căn cứ và xác nhận chấp nhận").check()
    page.get_by_role("button", name="Chấp nhận và ban hành quyết định").click()
    page.get_by_text("Đã chấp nhận và ban hành Quyết định số").wait_for()


def render_pdf_to_png(pdf: bytes, name: str) -> Path:
    """The decision as PNG pages (pdftoppm -png -r 60) beside the screenshots."""
    target = ARTIFACTS / f"{name}.pdf"
    target.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / name)], check=True)
    return target


def test_hr_accepts_a_step_raise_and_a_streamlining_entry_from_the_board(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    s = build_consequences()
    ha, binh, base = s.world.ha, s.world.binh, live_server.url

    # From the navigation to the agency's year; the "Lên" tab with its groups.
    log_in(page, base, "tccb")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Sử dụng kết quả").click()
    page.get_by_role("link", name=f"Xem danh sách Sở Nội vụ {YEAR}").click()
    page.locator("#cq-tabs a[data-tab=len]").click()
    board = page.locator("#cq-entries")
    board.locator("tr.group.vacancy").first.wait_for()
    assert page.locator("#cq-tabs a[data-tab=len]").inner_text().startswith("Lên (4)")
    raise_row = board.locator("tr[data-kind=step_raise]")
    assert "bậc 4, hệ số 3,33" in raise_row.inner_text()
    assert "965.250 ₫" in raise_row.inner_text()
    assert "ngoài chỉ tiêu" in board.locator("tr[data-kind=early_raise]").inner_text()
    screenshot("consequences-01-bang-len")

    # Chị Hà's step raise: the explanation, then accept.
    raise_row.get_by_role("link", name="Nguyễn Thị Thu Hà").click()
    page.get_by_role("heading", name="Nâng bậc lương thường xuyên: Nguyễn Thị Thu Hà").wait_for()
    assert "01/04/2022 + 36 tháng (nhóm A1) = 01/04/2025" in page.locator("#steps").inner_text()
    assert "3,00 × 2.340.000 × (1 + 25,00/100)" in page.locator("#steps").inner_text()
    screenshot("consequences-02-muc-nang-bac")
    accept_here(page)
    assert page.locator("#entry-status").inner_text() == "Đã chấp nhận"
    assert page.locator("#decision-applied").inner_text().startswith("Đã áp dụng vào hồ sơ lúc")
    screenshot("consequences-03-da-chap-nhan")
    decision = Decision.objects.get(entry__kind=Kind.STEP_RAISE, entry__person=ha)
    pdf = page.request.get(base + page.locator("#decision-pdf").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    render_pdf_to_png(pdf.body(), "consequences-04-quyet-dinh-nang-bac")

    # The register: her history shows step 4 from 01/04/2025 under the decision; the change is audited.
    page.goto(f"{base}/can-bo/{ha.pk}/?tab=cong-tac")
    first = page.locator("#tab-panel tbody tr").first
    assert first.inner_text().split("\t")[0].strip() == f"01/04/{YEAR}"
    assert "\t4\t" in first.inner_text()
    assert decision.reference in first.inner_text()
    assert "Sử dụng kết quả đánh giá" in page.locator("#person-consequences").inner_text()
    assert Employment.objects.get(person=ha, end_date__isnull=True).salary_step == 4
    assert AuditEntry.objects.filter(object_type="employment", subject_person_id=ha.pk,
                                     reason__contains=decision.reference).exists()
    screenshot("consequences-05-qua-trinh-cong-tac")

    # Anh Bình's streamlining entry, then its benefit in the accepted totals of the cost page.
    page.goto(f"{base}/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/?huong=ra")
    page.locator("#cq-entries").get_by_role("link", name="Trần Văn Bình").click()
    assert page.locator("#entry-benefit").inner_text().startswith("272.990.250 ₫")
    accept_here(page)
    page.get_by_role("link", name="Về danh sách").click()
    page.get_by_role("link", name="Chi phí").click()
    assert page.locator("#total-benefit-accepted").inner_text() == "272.990.250 ₫"
    assert page.locator("#cost-streamlining-total").inner_text().split("\t")[2].strip() == "1"
    page.locator("#chart-benefit svg").wait_for()
    screenshot("consequences-06-chi-phi")
    assert binh.pk not in Employment.objects.filter(end_date__isnull=True).values_list("person_id", flat=True)
