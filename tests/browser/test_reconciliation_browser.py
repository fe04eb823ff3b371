"""HR cleans the register in a real browser, with the real engine: uploads a population extract and runs the
reconciliation of the department, opens the queue, opens a record whose name differs from the population
database only in diacritics, accepts the proposed correction; the person's record changes (with an audit
entry citing the population record) and the unit's match rate rises.

Screenshots go to var/test-artifacts/ (30-… to 37-…) for a person to look at.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from congvu.reconciliation.models import ReconciliationRun
from congvu.web import reconciliation as pages
from tests.factories import PASSWORD, build_world, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADER = ("SoDinhDanh", "SoCMND", "Ho", "ChuDem", "Ten", "NgayThangNamSinh", "GioiTinh", "QueQuan")


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tccb")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name="Xin chào, tccb").wait_for()


def population_row(p: Person, **changes: str) -> list[str]:
    values = {"SoDinhDanh": p.personal_id, "SoCMND": p.old_id, "Ho": p.family_name, "ChuDem": p.middle_name,
              "Ten": p.given_name, "NgayThangNamSinh": p.birth_date.isoformat() if p.birth_date else "",
              "GioiTinh": "Nam" if p.sex == "M" else "Nữ", "QueQuan": ""}
    return [changes.get(h, values[h]) for h in HEADER]


def write_extract(path: Path, world: Any, colleagues: list[Person]) -> Path:
    """Hà's given name has another tone mark in the population database; Bình's register ID has two digits
    transposed (the population knows him under the right one); the rest agree."""
    binh = world.binh.personal_id
    # Two different neighbouring digits of the serial part (the factories' serial decides them: "33" would swap
    # into the same ID and match at once).
    i = next(i for i in range(10, 5, -1) if binh[i] != binh[i + 1])
    swapped = binh[:i] + binh[i + 1] + binh[i] + binh[i + 2:]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerow(population_row(world.ha, Ten="Hạ"))
        writer.writerow(population_row(world.binh, SoDinhDanh=swapped))
        writer.writerow(population_row(world.outsider))
        for p in colleagues:
            writer.writerow(population_row(p))
    return path


def test_hr_accepts_a_proposed_correction_and_the_unit_match_rate_rises(
    page: Any, screenshot: Callable[[str], Path], live_server: Any, settings: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(pages, "population_dir", lambda: tmp_path / "population")  # uploads land here
    world = build_world()
    colleagues = [person(("Phạm", "Văn" if i % 2 else "Thị", given), world.phong_ccvc, sex="M" if i % 2 else "F")
                  for i, given in enumerate(("An", "Bảo", "Cúc", "Dũng", "Giang", "Hưng"))]
    extract = write_extract(tmp_path / "trich-xuat-dan-cu.csv", world, colleagues)
    base = live_server.url
    log_in(page, base)

    page.get_by_role("link", name="Đối soát dân cư").click()
    page.get_by_role("heading", name="Đối soát với CSDL quốc gia về dân cư").wait_for()
    page.get_by_label("Đơn vị đối soát").select_option(label="Sở Nội vụ")
    page.locator("#id_tep").set_input_files(str(extract))
    screenshot("30-doi-soat-chay-moi")
    page.get_by_role("button", name="Chạy đối soát").click()
    page.get_by_text("Đã đối soát 8 hồ sơ với tệp trich-xuat-dan-cu.csv.").wait_for()
    run = ReconciliationRun.objects.get()
    assert run.scope_unit == world.so_noi_vu
    page.get_by_role("heading", name=f"Lần đối soát số {run.pk}").wait_for()
    screenshot("31-doi-soat-mot-lan")

    page.get_by_role("link", name="Sở Nội vụ").first.click()
    page.get_by_role("heading", name="Làm sạch dữ liệu: Sở Nội vụ").wait_for()
    assert page.locator("#unit-rate").inner_text() == "75,0 %"  # 6 of 8 matched at once
    queue = page.locator("#queue-table")
    assert "Họ và tên: khác dấu" in queue.inner_text()
    assert "Lê Minh Châu" not in queue.inner_text()  # Huế is not HR's, nor in the run
    screenshot("32-hang-doi-don-vi")

    page.get_by_label("Kết quả đối soát").select_option(label="Khớp theo xác suất (tự động)")
    page.locator("#queue-table", has_text="Nguyễn Thị Thu Hà").wait_for(state="detached")
    assert "Trần Văn Bình" in queue.inner_text()
    assert "ket_qua=MATCHED_PROBABILISTIC" in page.url
    page.get_by_label("Kết quả đối soát").select_option(label="Tất cả")
    page.locator("#queue-table", has_text="Nguyễn Thị Thu Hà").wait_for()

    page.get_by_role("link", name="Nguyễn Thị Thu Hà").click()
    page.get_by_role("heading", name="Hồ sơ đối soát: Nguyễn Thị Thu Hà").wait_for()
    assert page.locator("#compare td.differs").first.inner_text() == "Nguyễn Thị Thu Hà"
    assert page.locator("#changes").inner_text() == "Tên: Hà → Hạ"
    screenshot("33-ho-so-doi-soat")

    page.get_by_label("Lý do, ghi chú").fill("Đã đối chiếu thẻ căn cước của người lao động")
    page.get_by_role("button", name="Chấp nhận, sửa hồ sơ").click()
    page.get_by_text("Đã sửa hồ sơ Nguyễn Thị Thu Hạ theo CSDL dân cư.").wait_for()
    assert page.locator("#unit-rate").inner_text() == "87,5 %"
    screenshot("34-ty-le-sau-khi-sua")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the queue stacks its cells
    screenshot("35-hang-doi-dien-thoai")
    page.set_viewport_size({"width": 1366, "height": 768})

    corrected = Person.objects.get(pk=world.ha.pk)
    assert corrected.full_name == "Nguyễn Thị Thu Hạ"
    entry = AuditEntry.objects.get(subject_person_id=corrected.pk, object_type="person", action="update")
    assert entry.actor_label == "tccb"
    assert "CSDL quốc gia về dân cư: bản ghi số định danh" in entry.reason
    assert "trich-xuat-dan-cu.csv" in entry.reason

    page.goto(f"{base}/can-bo/{corrected.pk}/?tab=lich-su")
    page.get_by_text("Đã đối chiếu thẻ căn cước của người lao động").first.wait_for()
    screenshot("36-lich-su-ho-so")

    with page.expect_download() as download:
        page.goto(f"{base}/doi-soat/lan/{run.pk}/don-vi/{world.so_noi_vu.pk}/")
        page.get_by_role("link", name="Tải danh sách cần xử lý (Excel, 1 hồ sơ)").click()
    assert download.value.suggested_filename == f"doi-soat-{run.pk}-so-noi-vu.xlsx"
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đối soát dân cư").click()
    page.locator("#runs-table").wait_for()
    screenshot("37-doi-soat-cac-lan")
