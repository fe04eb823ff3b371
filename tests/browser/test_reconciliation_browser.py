"""HR cleans the register in a real browser: opens the reconciliation queue of the department, opens a record
whose name differs from the population database only in diacritics, accepts the proposed correction; the
person's record changes (with an audit entry citing the population record) and the unit's match rate rises.

Screenshots go to var/test-artifacts/ (30-… to 35-…) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from tests.factories import PASSWORD, build_world, person
from tests.integration.reconciliation_support import load_results, queue_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tccb")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, tccb").wait_for()


def test_hr_accepts_a_proposed_correction_and_the_unit_match_rate_rises(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()
    for i, given in enumerate(("An", "Bảo", "Cúc", "Dũng", "Giang", "Hưng")):
        person(("Phạm", "Văn" if i % 2 else "Thị", given), world.phong_ccvc, sex="F" if i % 2 == 0 else "M")
    run = load_results(list(queue_world(world).values()))
    base = live_server.url
    log_in(page, base)

    page.get_by_role("link", name="Đối soát dân cư").click()
    page.get_by_role("heading", name="Đối soát với CSDL quốc gia về dân cư").wait_for()
    screenshot("30-doi-soat-cac-lan")

    page.get_by_role("link", name=f"Lần {run.pk}", exact=True).click()
    page.get_by_role("heading", name=f"Lần đối soát số {run.pk}").wait_for()
    screenshot("31-doi-soat-mot-lan")

    page.get_by_role("link", name="Sở Nội vụ").first.click()
    page.get_by_role("heading", name="Làm sạch dữ liệu: Sở Nội vụ").wait_for()
    assert page.locator("#unit-rate").inner_text() == "75,0 %"  # 6 of 8 matched at once
    queue = page.locator("#queue-table")
    assert "Họ và tên: khác dấu" in queue.inner_text()
    assert "Lê Minh Châu" not in queue.inner_text()  # Huế is not HR's
    screenshot("32-hang-doi-don-vi")

    page.get_by_label("Kết quả đối soát").select_option(label="Có thể khớp (cần xem xét)")
    page.locator("#queue-table", has_text="Trần Văn Bình").wait_for()
    page.locator("#queue-table", has_text="Nguyễn Thị Thu Hà").wait_for(state="detached")
    assert "ket_qua=PROBABLE" in page.url
    page.get_by_label("Kết quả đối soát").select_option(label="Tất cả")
    page.locator("#queue-table", has_text="Nguyễn Thị Thu Hà").wait_for()

    page.get_by_role("link", name="Nguyễn Thị Thu Hà").click()
    page.get_by_role("heading", name="Hồ sơ đối soát: Nguyễn Thị Thu Hà").wait_for()
    assert page.locator("#compare td.differs").first.inner_text() == "Nguyễn Thị Thu Hà"
    screenshot("33-ho-so-doi-soat")

    page.get_by_label("Lý do, ghi chú").fill("Đã đối chiếu thẻ căn cước của người lao động")
    page.get_by_role("button", name="Chấp nhận, sửa hồ sơ").click()
    page.get_by_text("Đã sửa hồ sơ Nguyễn Thị Thu Hằng theo CSDL dân cư.").wait_for()
    assert page.locator("#unit-rate").inner_text() == "87,5 %"
    screenshot("34-ty-le-sau-khi-sua")

    corrected = Person.objects.get(pk=world.ha.pk)
    assert corrected.full_name == "Nguyễn Thị Thu Hằng"
    entry = AuditEntry.objects.get(subject_person_id=corrected.pk, object_type="person", action="update")
    assert entry.actor_label == "tccb"
    assert "CSDL quốc gia về dân cư" in entry.reason

    page.goto(f"{base}/can-bo/{corrected.pk}/?tab=lich-su")
    page.get_by_text("Đã đối chiếu thẻ căn cước của người lao động").first.wait_for()
    screenshot("35-lich-su-ho-so")
