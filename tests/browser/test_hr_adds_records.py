"""HR adds records to a colleague in a real browser: a transfer whose position list follows the chosen unit
(htmx) as the unit list follows the start date, with a wrong salary step first; a discipline with errors first; hometown from the province list.

Screenshots of each form go to var/test-artifacts/ (10-… to 16-…) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.org.models import OrgUnit
from congvu.org.reference import load_admin_areas, load_pre_2025_provinces, load_salary_tables
from congvu.personnel.models import Employment, Person
from tests.factories import PASSWORD, build_world, unit
from tests.integration.records_support import position, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = re.compile(r"^Lý do\W*$")  # the label, with its required-field star, and not "Lý do kết thúc …"


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tccb")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, tccb").wait_for()


def test_hr_transfers_a_colleague_and_records_a_discipline_and_a_hometown(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    load_salary_tables()
    load_admin_areas()
    load_pre_2025_provinces()
    position(world, "ccvc", "Chuyên viên quản lý công chức")
    position(world, "tccb", "Chuyên viên tổ chức bộ máy")
    # A division set up a month ago: offered today, but not for a transfer dated two months ago.
    recent = unit("Phòng Chuyển đổi số", OrgUnit.Kind.DIVISION, world.so_noi_vu)
    OrgUnit.objects.filter(pk=recent.pk).update(valid_from=today() - dt.timedelta(days=30))
    start = (today() - dt.timedelta(days=60)).strftime("%d/%m/%Y")
    base = live_server.url
    log_in(page, base)

    # Transfer: the form starts from the current spell; choosing a unit reloads its positions (htmx).
    page.goto(f"{base}/can-bo/{world.binh.pk}/?tab=cong-tac")
    page.get_by_role("link", name="Thêm quá trình công tác").click()
    page.get_by_role("heading", name="Thêm quá trình công tác: Trần Văn Bình").wait_for()
    positions = page.locator("#id_position option")
    assert positions.all_inner_texts()[1:] == ["Chuyên viên tổ chức bộ máy (0/2 biên chế)"]
    screenshot("10-them-cong-tac")

    units = page.locator("#id_unit option", has_text="Phòng Chuyển đổi số")
    assert units.count() == 1
    page.get_by_label("Ngày bắt đầu").fill(start)
    page.get_by_label("Ngày bắt đầu").press("Tab")  # change → htmx reloads the units in force on that day
    units.wait_for(state="detached")
    page.locator("#id_unit:not(.htmx-added)").wait_for()  # htmx wires the new select up when it settles
    page.get_by_label("Đơn vị").select_option(label="Phòng Công chức, viên chức — Sở Nội vụ")
    page.locator("#id_position option", has_text="Chuyên viên quản lý công chức").wait_for(state="attached")
    assert "Chuyên viên tổ chức bộ máy" not in " ".join(positions.all_inner_texts())
    page.get_by_label("Vị trí việc làm").select_option(label="Chuyên viên quản lý công chức (0/2 biên chế)")
    page.get_by_label("Ngạch").select_option(label="01.003 Chuyên viên (A1)")
    page.get_by_label("Bậc lương").fill("12")
    page.get_by_label(REASON).fill("Điều động theo Quyết định 25/QĐ-SNV")
    page.get_by_role("button", name="Lưu quá trình công tác").click()
    page.locator("#id_salary_step_error").wait_for()
    assert page.locator("#id_salary_step_error").inner_text() == "Bậc 12 không có trong nhóm lương A1."
    screenshot("11-cong-tac-loi-bac")

    page.get_by_label("Bậc lương").fill("4")
    page.get_by_role("button", name="Lưu quá trình công tác").click()
    page.get_by_text("Đã thêm quá trình công tác của Trần Văn Bình").wait_for()
    assert "?tab=cong-tac" in page.url
    screenshot("12-cong-tac-da-luu")
    moved = Person.objects.get(pk=world.binh.pk)
    assert moved.current_unit_id == world.phong_ccvc.pk
    assert Employment.objects.filter(person=moved, end_date__isnull=True).get().position is not None

    # Discipline: an empty form first, then a correct one.
    page.get_by_role("link", name="Kỷ luật", exact=True).click()
    page.get_by_role("link", name="Thêm kỷ luật").click()
    page.get_by_role("button", name="Lưu kỷ luật").click()
    page.locator("#form-errors").wait_for()
    screenshot("13-ky-luat-loi")
    page.get_by_label("Hình thức kỷ luật").select_option(label="Khiển trách")
    page.get_by_label("Ngày quyết định").fill("02/05/2025")
    page.get_by_label("Có hiệu lực từ ngày").fill("02/05/2025")
    page.get_by_label(REASON).fill("Chậm nộp báo cáo quý I")
    screenshot("14-ky-luat-dien")
    page.get_by_role("button", name="Lưu kỷ luật").click()
    page.get_by_text("Đã thêm quyết định kỷ luật của Trần Văn Bình.").wait_for()
    screenshot("15-ky-luat-da-luu")

    # Hometown: a pre-2025 province from the select on the edit page.
    page.goto(f"{base}/can-bo/{world.binh.pk}/sua/")
    page.get_by_label("Quê quán").select_option(label="Hà Giang (002) (trước 01/07/2025)")
    page.get_by_label("Lý do thay đổi").fill("Bổ sung quê quán")
    page.get_by_label("Quê quán").scroll_into_view_if_needed()
    screenshot("16-que-quan")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Đã lưu hồ sơ của Trần Văn Bình.").wait_for()
    assert Person.objects.get(pk=world.binh.pk).hometown.code == "002"  # type: ignore[union-attr]
