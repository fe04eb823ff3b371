"""An HR officer's day, in a real browser: log in, import a file with errors and read them, import a good
file, find a new colleague by typing the name without accents, open their history.

Screenshots of each step go to var/test-artifacts/; the final ones are copied to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.rules.personal_id import make_personal_id
from tests.factories import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HEADER = "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Loại,Đơn vị,Ngày bắt đầu\n"


def good_file(folder: Path) -> Path:
    rows = [
        f"{make_personal_id('001', 'M', 1990, 701)},Phạm Văn Long,12/05/1990,Nam,Công chức,Phòng Tổ chức cán bộ,01/08/2025",
        f"{make_personal_id('001', 'F', 1992, 702)},Đinh Thị Mai,03/11/1992,Nữ,Viên chức,Phòng Tổ chức cán bộ,01/08/2025",
    ]
    path = folder / "danh-sach-moi.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def bad_file(folder: Path) -> Path:
    good = good_file(folder).read_text(encoding="utf-8")
    bad = "Vũ Văn Sai,31/02/1990,Nam,Công chức,Phòng Không Có,01/08/2025"
    path = folder / "danh-sach-loi.csv"
    path.write_text(good + f"{make_personal_id('001', 'M', 1990, 703)},{bad}\n", encoding="utf-8")
    return path


def keep(shot: Path) -> None:
    """Refresh docs/screenshots/ only when asked (CONGVU_UPDATE_SCREENSHOTS=1), so test runs leave git clean."""
    if os.environ.get("CONGVU_UPDATE_SCREENSHOTS") != "1":
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, DOCS / shot.name)


def test_hr_imports_a_file_finds_a_person_without_accents_and_reads_their_history(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any, tmp_path: Path, browser: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_world()
    base = live_server.url

    page.goto(f"{base}/")
    page.get_by_label("Tên đăng nhập").fill("tccb")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    keep(screenshot("01-dang-nhap"))
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, tccb").wait_for()
    keep(screenshot("02-trang-chu"))

    page.get_by_role("link", name="Nhập, xuất dữ liệu").click()
    page.get_by_label("Tệp dữ liệu (.xlsx hoặc .csv)").set_input_files(str(bad_file(tmp_path)))
    page.get_by_role("button", name="Tải lên và nhập").click()
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "Không có dòng nào được nhập" in page.locator("#import-errors-summary").inner_text()
    row_texts = errors.locator("tbody tr").all_inner_texts()
    assert any("4" in r and "Ngày sinh (C)" in r and "31/02/1990" in r for r in row_texts), row_texts
    assert any("4" in r and "Đơn vị (F)" in r and "Phòng Không Có" in r for r in row_texts), row_texts
    keep(screenshot("03-nhap-tep-loi"))

    page.get_by_label("Tệp dữ liệu (.xlsx hoặc .csv)").set_input_files(str(good_file(tmp_path)))
    page.get_by_role("button", name="Tải lên và nhập").click()
    summary = page.locator("#import-summary")
    summary.wait_for()
    assert "Thêm mới: 2 hồ sơ" in summary.inner_text()
    keep(screenshot("04-nhap-tep-dung"))

    page.get_by_role("link", name="Cán bộ, công chức", exact=True).click()
    page.get_by_label("Tìm theo họ tên").press_sequentially("pham van long", delay=20)  # htmx live search
    page.wait_for_url(lambda url: "q=pham%20van%20long" in url and "loai=" not in url)
    results = page.locator("#people-table tbody")
    results.get_by_role("link", name="Phạm Văn Long").wait_for()
    assert results.locator("tr").count() == 1
    keep(screenshot("05-tim-khong-dau"))

    results.get_by_role("link", name="Phạm Văn Long").click()
    page.get_by_role("heading", name="Phạm Văn Long").wait_for()
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    history = page.locator("#history-table")
    history.wait_for()
    assert "?tab=lich-su" in page.url
    text = history.inner_text()
    assert "tccb" in text
    assert "Nhập từ tệp" in text
    assert "danh-sach-moi.csv" in text
    last = screenshot("06-lich-su")
    keep(last)

    phone = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.add_cookies(page.context.cookies())
    small = phone.new_page()
    small.goto(page.url)
    small.locator("#history-table").wait_for()
    shot = last.parent / "07-dien-thoai-lich-su.png"  # the fixture shoots `page`; this one is the phone's
    small.screenshot(path=str(shot), full_page=True)
    keep(shot)
    phone.close()
