"""Importing past ratings and circumstances: all or nothing, every bad cell named."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.consequences.importing import import_past_ratings
from congvu.consequences.models import Circumstance, PastRating
from congvu.core.models import AuditEntry
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    return build_world()


def csv_bytes(rows: list[list[object]]) -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8"))


def test_past_ratings_import_with_vietnamese_labels_and_short_codes(world: World) -> None:
    data = csv_bytes([["STT", "Số CCCD", "Họ và tên", "Năm", "Kết quả xếp loại", "Căn cứ"],
                      [1, world.ha.personal_id, "Nguyễn Thị Thu Hà", 2024, "Hoàn thành tốt nhiệm vụ", "QĐ 12/QĐ-SNV"],
                      [2, world.ha.personal_id, "Nguyễn Thị Thu Hà", 2025, "htxsnv", ""],
                      [3, world.binh.personal_id, "Trần Văn Bình", 2025, "Không hoàn thành", ""]])
    report = import_past_ratings(data, filename="xep-loai.csv", actor=world.users["hr"])
    assert report.ok, report.errors
    assert report.created == 3
    assert dict(PastRating.objects.filter(person=world.ha).values_list("year", "level")) == {2024: "GOOD", 2025: "EXCELLENT"}
    assert AuditEntry.objects.filter(object_type="pastrating", action="import").count() == 3


def test_a_file_with_one_bad_cell_writes_nothing_and_names_row_and_column(world: World) -> None:
    data = csv_bytes([["Số định danh cá nhân", "Năm", "Xếp loại"],
                      [world.ha.personal_id, 2024, "Hoàn thành nhiệm vụ"],
                      [world.ha.personal_id, 2024, "Tốt"],
                      [world.outsider.personal_id, 2023, "Hoàn thành nhiệm vụ"],
                      [world.binh.personal_id, 1990, "Giỏi"]])
    report = import_past_ratings(data, filename="loi.csv", actor=world.users["hr"])
    problems = {(e.row, e.column.split(" (")[0]) for e in report.errors}
    assert problems == {(3, "Năm"), (4, "Số định danh cá nhân"), (5, "Năm"), (5, "Xếp loại")}
    assert not PastRating.objects.exists()


def test_circumstances_import_through_the_command(world: World, tmp_path: Path) -> None:
    path = tmp_path / "hoan-canh.csv"
    path.write_text("Số định danh cá nhân,Loại,Từ ngày,Đến ngày,Số quyết định\n"
                    f"{world.ha.personal_id},Nuôi con dưới 36 tháng tuổi,10/03/2025,,\n"
                    f"{world.binh.personal_id},Dôi dư do sắp xếp tổ chức bộ máy,01/07/2025,,15/QĐ-UBND\n", encoding="utf-8")
    call_command("import_circumstances", str(path), "--as", "tccb")
    assert set(Circumstance.objects.values_list("person_id", "kind", "start_date")) == {
        (world.ha.pk, "child_under_36m", dt.date(2025, 3, 10)),
        (world.binh.pk, "redundant_restructuring", dt.date(2025, 7, 1)),
    }
    call_command("import_circumstances", str(path), "--as", "tccb")  # idempotent
    assert Circumstance.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("import_circumstances", str(path), "--as", "nhanvien")  # staff: no right to manage


def test_hr_records_a_circumstance_on_the_person_page_and_staff_may_not(world: World, client: object) -> None:
    from django.test import Client

    hr, staff = Client(), Client()
    hr.force_login(world.users["hr"])
    staff.force_login(world.users["staff"])
    url = f"/can-bo/{world.ha.pk}/hoan-canh/them/"
    assert staff.get(url).status_code == 403
    page = hr.get(f"/can-bo/{world.ha.pk}/")
    assert url in page.content.decode()
    refused = hr.post(url, {"kind": "child_under_36m", "start_date": "10/03/2025", "end_date": "01/01/2025",
                            "reason": "Giấy khai sinh"})
    assert refused.status_code == 400
    assert not Circumstance.objects.exists()
    done = hr.post(url, {"kind": "child_under_36m", "start_date": "10/03/2025", "reason": "Giấy khai sinh"})
    assert done.status_code == 302
    assert Circumstance.objects.get().start_date == dt.date(2025, 3, 10)
    assert AuditEntry.objects.filter(object_type="circumstance", subject_person_id=world.ha.pk).exists()
    shown = staff.get(f"/can-bo/{world.ha.pk}/").content.decode()  # Hà herself sees what is recorded
    assert "Nuôi con dưới 36 tháng tuổi" in shown
