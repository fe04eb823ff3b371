"""The ``congvu import_…`` and ``export_…`` commands: a summary, or the error table and a non-zero exit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.io.samples import write_raw_xlsx
from congvu.personnel.models import Person
from congvu.rules.personal_id import make_personal_id
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db

HEADER = ["Số định danh cá nhân", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị", "Ngày bắt đầu"]
AN = make_personal_id("001", "M", 1985, 900001)


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_people_prints_a_summary(tmp_path: Path, world: World) -> None:
    path = write_raw_xlsx(tmp_path / "ds.xlsx", [HEADER, [AN, "Nguyễn Văn An", "05/03/1985", "Nam", "Công chức",
                                                         "Phòng Tổ chức cán bộ", "01/08/2020"]])
    assert "Kiểm tra xong (chưa ghi) ds.xlsx: 1 dòng người; tạo mới 1" in call(
        "import_people", str(path), "--as", "tccb", "--dry-run")
    assert not Person.objects.filter(personal_id=AN).exists()
    assert "Đã nhập ds.xlsx: 1 dòng người; tạo mới 1" in call("import_people", str(path), "--as", "tccb")
    assert Person.objects.filter(personal_id=AN).exists()


def test_import_people_with_errors_prints_row_column_value_reason_and_fails(tmp_path: Path, world: World) -> None:
    path = write_raw_xlsx(tmp_path / "ds.xlsx", [HEADER, [AN, "Nguyễn Văn An", "31/02/1985", "Nam", "Công chức",
                                                         "Phòng Tổ chức cán bộ", "01/08/2020"]])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_people", str(path), "--as", "tccb", stdout=out)
    table = out.getvalue()
    assert "Dòng" in table
    assert "Ngày sinh (C)" in table
    assert "31/02/1985" in table
    assert "không có thật" in table


def test_import_needs_an_account_with_the_write_right(tmp_path: Path, world: World) -> None:
    path = write_raw_xlsx(tmp_path / "ds.xlsx", [HEADER])
    with pytest.raises(CommandError, match="không có quyền"):
        call("import_people", str(path), "--as", "nhanvien")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call("import_people", str(path), "--as", "ai-do")


def test_export_people_writes_only_the_units_asked_for(tmp_path: Path, world: World) -> None:
    out = tmp_path / "ds.xlsx"
    assert "Đã xuất 1 người" in call("export_people", str(out), "--as", "tccb", "--unit", "Phòng Tổ chức cán bộ")
    ws = load_workbook(out).active
    assert ws["A3"].value == world.binh.personal_id
    assert ws["A4"].value is None


def test_export_people_leaves_out_people_the_account_may_not_see(tmp_path: Path, world: World) -> None:
    out = tmp_path / "ds.csv"
    call("export_people", str(out), "--as", "tccb")
    text = out.read_text(encoding="utf-8-sig")
    assert world.ha.personal_id in text
    assert world.outsider.personal_id not in text
    call("export_people", str(out), "--as", "truongphong")  # a manager may not read personal IDs
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 2


def test_units_and_positions_go_out_and_back_in_through_the_commands(tmp_path: Path, world: World) -> None:
    JobPosition.objects.create(unit=world.phong_tccb, code="TCCB-01", name="Văn thư", group="support", headcount_quota=1)
    units, positions = tmp_path / "dv.xlsx", tmp_path / "vt.csv"
    assert "Đã xuất 3 đơn vị" in call("export_units", str(units), "--as", "tccb")  # Sở Nội vụ and its two divisions
    assert "Đã xuất 1 vị trí" in call("export_positions", str(positions), "--as", "tccb")
    assert "không đổi 3" in call("import_units", str(units), "--as", "tccb")
    assert "không đổi 1" in call("import_positions", str(positions), "--as", "tccb")
    assert OrgUnit.objects.count() == 6


def test_export_refuses_an_unknown_format(tmp_path: Path, world: World) -> None:
    with pytest.raises(CommandError, match=r"\.xlsx hoặc \.csv"):
        call("export_people", str(tmp_path / "ds.pdf"), "--as", "tccb")
