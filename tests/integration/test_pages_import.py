"""The import page: a file with errors lists every bad cell and writes nothing; a good file is imported."""

from __future__ import annotations

from pathlib import Path

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
    assert "Ngày sinh" in table
    assert "31/02/1990" in table
    assert "Số định danh cá nhân" in table
    assert "Đơn vị" in table
    assert not Person.objects.filter(family_name__in=["Phạm", "Đinh", "Vũ"]).exists()


def test_a_good_file_is_imported_and_summarised(world: World, hr: Client) -> None:
    response = hr.post("/nhap-du-lieu/", {"file": csv_file(good_rows())})
    html = response.content.decode()
    assert response.status_code == 200, html[html.find('id="import-errors"'):][:2000]
    assert "Đã nhập xong." in html
    assert "Thêm mới: 2 hồ sơ" in html
    assert Person.objects.filter(search_name="pham van long").exists()


def test_a_dry_run_checks_the_file_but_writes_nothing(world: World, hr: Client) -> None:
    html = hr.post("/nhap-du-lieu/", {"file": csv_file(good_rows()), "dry_run": "on"}).content.decode()
    assert "chỉ kiểm tra, chưa ghi gì vào hồ sơ" in html
    assert "Thêm mới: 2 hồ sơ" in html
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


def downloaded(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_export_follows_the_list_filters_and_the_subtree(world: World, hr: Client) -> None:
    response = hr.get("/xuat-du-lieu/", {"dinh_dang": "csv", "q": "binh"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="can-bo-')
    text = downloaded(response).decode("utf-8-sig")
    assert ";Trần;Văn;Bình;" in text  # họ, chữ đệm, tên in their own columns
    assert ";Nguyễn;Thị Thu;Hà;" not in text
    everyone = downloaded(hr.get("/xuat-du-lieu/", {"dinh_dang": "csv"})).decode("utf-8-sig")
    assert ";Nguyễn;Thị Thu;Hà;" in everyone
    assert ";Lê;Minh;Châu;" not in everyone  # Huế is outside the HR user's subtree


def test_an_excel_export_opens_with_the_same_people(world: World, hr: Client, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "xuat.xlsx"
    target.write_bytes(downloaded(hr.get("/xuat-du-lieu/", {"dinh_dang": "xlsx"})))
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    names = {row[1:4] for row in rows[2:]}
    assert names == {("Nguyễn", "Thị Thu", "Hà"), ("Trần", "Văn", "Bình")}


def test_an_unknown_export_format_is_not_found(world: World, hr: Client) -> None:
    assert hr.get("/xuat-du-lieu/", {"dinh_dang": "pdf"}).status_code == 404
