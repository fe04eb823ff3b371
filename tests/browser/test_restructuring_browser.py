"""The restructuring pages in a real browser: the province's HR office drafts the merger of two divisions of Sở
Nội vụ, looks at the impact (the tree the day before beside the tree after, the merged position over quota, who
moves where), commits it, runs the redeployment, reviews the proposal (why this seat), accepts it (the person's
employment history shows the new spell with the decision number) and opens the report. Screenshots go to
var/test-artifacts/ (restructuring-…) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.restructuring.models import Plan, Proposal
from tests.factories import PASSWORD
from tests.integration.test_restructuring_pages import EFFECTIVE, NEW_NAME, build_restructuring

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=f"Xin chào, {username}").wait_for()


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_hr_drafts_commits_a_merger_redeploys_the_surplus_and_opens_the_report(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    s = build_restructuring()
    w, base = s.world, live_server.url
    log_in(page, base, "tccb_tinh")

    # A new plan from the navigation.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Sắp xếp tổ chức").click()
    page.get_by_role("link", name="Phương án sắp xếp").click()
    page.get_by_label("Tên phương án").fill("Sắp xếp các phòng Sở Nội vụ")
    page.get_by_role("button", name="Tạo phương án").click()
    page.get_by_text("Đã tạo phương án").wait_for()

    # The merger of the two divisions.
    form = page.locator("#form-event")
    form.get_by_label("Loại sự kiện").select_option("merge")
    form.get_by_label("Đơn vị được sắp xếp").select_option([str(w.phong_ccvc.pk), str(w.phong_tccb.pk)])
    form.get_by_label("Tên đơn vị sau sắp xếp").fill(NEW_NAME)
    form.get_by_label("Loại đơn vị sau sắp xếp").select_option("division")
    form.get_by_label("Đơn vị cấp trên (giải thể: đơn vị tiếp nhận người)").select_option(str(w.so_noi_vu.pk))
    form.get_by_label("Ngày có hiệu lực").fill(vn(EFFECTIVE))
    form.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    form.get_by_label("Ngày ký quyết định").fill(vn(EFFECTIVE - dt.timedelta(days=10)))
    form.get_by_label("Căn cứ pháp lý").fill("Nghị định 150/2025/NĐ-CP")
    form.get_by_role("button", name="Thêm sự kiện vào phương án").click()
    page.get_by_text("Đã thêm sự kiện vào phương án.").wait_for()

    # The impact: the tree the day before beside the tree after; the merged position is one over quota.
    assert "Phòng Công chức, viên chức" in page.locator("#tree-before").inner_text()
    assert NEW_NAME in page.locator("#tree-after").inner_text()
    assert vn(EFFECTIVE - dt.timedelta(days=1)) in page.locator("#tree-before").inner_text()
    assert page.locator("#impact-positions tr.over").count() == 1
    assert page.locator("#impact-moves tbody tr").count() == 3
    screenshot("restructuring-01-tac-dong")

    # Commit: the confirmation first.
    page.get_by_label("Tôi đã xem tác động và xác nhận quyết định phương án").check()
    page.get_by_role("button", name="Quyết định phương án").click()
    page.get_by_text("Đã quyết định phương án").wait_for()
    assert page.locator("#plan-status").inner_text() == "Đã quyết định"
    assert Plan.objects.get().status == Plan.Status.COMMITTED

    # The redeployment as of the effective date.
    page.locator(".rs-tabs").get_by_role("link", name="Bố trí lại người dôi dư").click()
    page.get_by_label("Phạm vi bố trí").select_option(str(w.ha_noi.pk))
    page.get_by_label("Tính đến ngày").fill(vn(EFFECTIVE))
    page.get_by_role("button", name="Lập đề xuất").click()
    page.get_by_text("Đã lập đề xuất bố trí lại").wait_for()
    assert page.locator("#run-placed").inner_text() == "1"
    screenshot("restructuring-02-de-xuat")

    # The proposal: why this seat, then accept.
    proposal = Proposal.objects.get()
    page.locator("#run-proposals").get_by_role("link", name=proposal.person.full_name).click()
    assert "Phòng Văn thư, lưu trữ" in page.locator("#proposal-to").inner_text()
    assert page.locator("#proposal-fit tbody tr").count() >= 4
    screenshot("restructuring-03-mot-de-xuat")
    accept = page.locator("#form-accept")
    accept.get_by_label("Số quyết định").fill("21/QĐ-SNV")
    accept.get_by_role("button", name="Chấp nhận đề xuất").click()
    page.get_by_text("Đã chấp nhận đề xuất.").wait_for()
    assert page.locator("#proposal-status").inner_text() == "Chấp nhận"

    # The person's history shows the new spell with the decision number.
    page.goto(f"{base}/can-bo/{proposal.person_id}/?tab=cong-tac")
    first = page.locator("#tab-panel tbody tr").first
    assert first.inner_text().split("\t")[0].strip() == vn(EFFECTIVE + dt.timedelta(days=1))
    assert "21/QĐ-SNV" in first.inner_text()
    assert "Phòng Văn thư, lưu trữ" in page.locator("#person-redeployment").inner_text()
    screenshot("restructuring-04-qua-trinh-cong-tac")

    # The report over the year of the merger.
    page.goto(f"{base}/sap-xep/bao-cao/?don_vi={w.ha_noi.pk}&tu=01/01/{EFFECTIVE.year}&den=31/12/{EFFECTIVE.year}")
    page.locator("#chart-removed svg").wait_for()
    assert page.locator("#report-net").inner_text() == "1"
    assert page.locator("#report-surplus").inner_text() == "1 / 0"
    screenshot("restructuring-05-bao-cao")
    xlsx = page.request.get(base + page.locator("#report-xlsx").get_attribute("href"))
    assert xlsx.status == 200
    assert xlsx.body()[:2] == b"PK"
