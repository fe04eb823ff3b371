"""Importing job positions and staffing quotas: by unit and code, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.org.models import JobPosition, Rank, SalaryGroup
from congvu.personnel.io.importing import import_positions
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.samples import write_raw_xlsx
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db

HEADER = ["Mã đơn vị", "Mã vị trí", "Tên vị trí", "Nhóm", "Mã ngạch", "Biên chế"]


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def scope(world: World) -> Scope:
    return scope_for(world.users["hr"], Right.WRITE_ORG)


@pytest.fixture
def rank() -> Rank:
    group = SalaryGroup.objects.create(code="A1", name="Loại A1")
    return Rank.objects.create(code="01.003", name="Chuyên viên", salary_group=group)


def run(tmp_path: Path, world: World, scope: Scope, rows: list[list[Any]], header: list[str] = HEADER) -> ImportReport:
    path = write_raw_xlsx(tmp_path / "vtvl.xlsx", [["DANH MỤC VỊ TRÍ VIỆC LÀM"], header, *rows])
    return import_positions(path, filename=path.name, actor=world.users["hr"], scope=scope)


def test_positions_are_created_and_then_updated_by_code(tmp_path: Path, world: World, scope: Scope, rank: Rank) -> None:
    report = run(tmp_path, world, scope, [
        ["Sở Nội vụ > Phòng Tổ chức cán bộ", "TCCB-01", "Chuyên viên tổ chức", "Chuyên môn, nghiệp vụ", "01.003", 4],
        ["Phòng Công chức, viên chức", "", "Trưởng phòng", "lanh dao, quan ly", "", "1"],
    ])
    assert report.ok, report.errors
    assert report.created == 2
    pos = JobPosition.objects.get(code="TCCB-01")
    assert (pos.unit, pos.group, pos.rank, pos.headcount_quota) == (world.phong_tccb, "professional", rank, 4)
    report = run(tmp_path, world, scope, [
        ["Phòng Tổ chức cán bộ", "TCCB-01", "Chuyên viên tổ chức", "Chuyên môn, nghiệp vụ", "01.003", 5],
        ["Phòng Công chức, viên chức", "", "Trưởng phòng", "Lãnh đạo, quản lý", "", 1],
    ])
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    pos.refresh_from_db()
    assert pos.headcount_quota == 5
    entry = AuditEntry.objects.filter(action="import", object_type="jobposition", object_id=str(pos.pk)).first()
    assert entry is not None
    assert (entry.before, entry.after) == ({"headcount_quota": 4}, {"headcount_quota": 5})


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path, world: World, scope: Scope, rank: Rank) -> None:
    report = run(tmp_path, world, scope, [
        ["Sở Tài chính", "STC-01", "Chuyên viên ngân sách", "Chuyên môn", "01.003", 3],
        ["Phòng Tổ chức cán bộ", "TCCB-02", "Văn thư", "Hỗ trợ, phục vụ", "99.999", -1],
        ["Phòng Tổ chức cán bộ", "TCCB-03", "Kế toán", "Khác", "", 1],
        ["Phòng Tổ chức cán bộ", "TCCB-03", "Kế toán", "Hỗ trợ", "", 1],
    ])
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Mã đơn vị (A)"), (4, "Mã ngạch (E)"), (4, "Biên chế (F)"), (5, "Nhóm (D)"),
    ]
    assert JobPosition.objects.count() == 0


def test_the_same_position_twice_in_the_file_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run(tmp_path, world, scope, [
        ["Phòng Tổ chức cán bộ", "", "Văn thư", "Hỗ trợ", "", 1],
        ["Phòng Tổ chức cán bộ", "", "văn thư", "Hỗ trợ", "", 2],
    ], header=["Đơn vị", "Mã vị trí", "Tên vị trí việc làm", "Nhóm", "Mã ngạch", "Số biên chế"])
    assert [(e.row, e.column, e.value) for e in report.errors] == [(4, "Tên vị trí việc làm (C)", "văn thư")]


def test_a_validity_date_column_is_optional(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run(tmp_path, world, scope, [["Phòng Tổ chức cán bộ", "TCCB-09", "Văn thư", "Hỗ trợ", "", 1, "01/07/2025"]],
                 header=[*HEADER, "Ngày hiệu lực"])
    assert report.ok, report.errors
    assert JobPosition.objects.get(code="TCCB-09").valid_from == dt.date(2025, 7, 1)
