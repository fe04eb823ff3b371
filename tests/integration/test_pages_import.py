"""The import page: a file with errors lists every bad cell and writes nothing; a good file is imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congvu.personnel.models import Person
from congvu.rules.personal_id import make_personal_id
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HEADER = "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Loại,Đơn vị,Ngày bắt đầu\n"


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return build_world()


@pytest.fixture
def hr(world: World) -> Client:
    client = Client()
    client.force_login(world.users["hr"])
    return client


def csv_file(body: str, name: str = "danh-sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


def good_rows() -> str:
    long_id = make_personal_id("001", "M", 1990, 501)
    mai_id = make_personal_id("001", "F", 1992, 502)
    return (f"{long_id},Phạm Văn Long,12/05/1990,Nam,Công chức,Phòng Tổ chức cán bộ,01/08/2025\n"
            f"{mai_id},Đinh Thị Mai,03/11/1992,Nữ,Viên chức,Phòng Tổ chức cán bộ,01/08/2025\n")


def test_a_file_with_errors_lists_each_bad_cell_and_imports_nothing(world: World, hr: Client) -> None:
    body = good_rows() + "123,Vũ Văn Sai,31/02/1990,Nam,Công chức,Phòng Không Có,01/08/2025\n"
    response = hr.post("/nhap-du-lieu/", {"file": csv_file(body)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Không có dòng nào được nhập" in html
    table = html[html.index('id="import-errors"'):]
    assert '<td data-label="Dòng" class="num">4</td>' in table
    assert "Ngày sinh" in table and "31/02/1990" in table
    assert "Số định danh cá nhân" in table and "Đơn vị" in table
    assert not Person.objects.filter(family_name__in=["Phạm", "Đinh", "Vũ"]).exists()


def test_a_good_file_is_imported_and_summarised(world: World, hr: Client) -> None:
    response = hr.post("/nhap-du-lieu/", {"file": csv_file(good_rows())})
    html = response.content.decode()
    assert response.status_code == 200, html[html.find('id="import-errors"'):][:2000]
    assert "Đã nhập xong." in html and "Thêm mới: 2 hồ sơ" in html
    assert Person.objects.filter(search_name="pham van long").exists()


def test_a_dry_run_checks_the_file_but_writes_nothing(world: World, hr: Client) -> None:
    html = hr.post("/nhap-du-lieu/", {"file": csv_file(good_rows()), "dry_run": "on"}).content.decode()
    assert "chỉ kiểm tra, chưa ghi gì vào hồ sơ" in html and "Thêm mới: 2 hồ sơ" in html
    assert not Person.objects.filter(search_name="pham van long").exists()


def test_a_file_of_another_kind_is_refused_before_reading(world: World, hr: Client) -> None:
    upload = SimpleUploadedFile("danh-sach.pdf", b"%PDF-1.4", content_type="application/pdf")
    html = hr.post("/nhap-du-lieu/", {"file": upload}).content.decode()
    assert "Chỉ nhận tệp .xlsx hoặc .csv (tệp đã chọn: danh-sach.pdf)." in html
    assert "Hãy chọn một tệp .xlsx hoặc .csv." in hr.post("/nhap-du-lieu/", {}).content.decode()


def test_a_person_outside_the_importers_subtree_is_an_error_on_its_unit_cell(world: World, hr: Client) -> None:
    other = make_personal_id("001", "M", 1988, 503)
    response = hr.post("/nhap-du-lieu/", {"file": csv_file(f"{other},Hồ Văn Nam,01/01/1988,Nam,Công chức,Sở Tài chính,01/08/2025\n")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "nằm ngoài phạm vi quản lý của bạn" in html
