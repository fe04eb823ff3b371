"""Importing the organisation tree: new units in any row order, updates by code, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.org.models import OrgUnit
from congvu.personnel.io.importing import import_units
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.samples import write_raw_xlsx
from tests.factories import EVERYTHING, World, build_world

pytestmark = pytest.mark.django_db

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Ngày hiệu lực"]


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def scope(world: World) -> Scope:
    return scope_for(world.users["hr"], Right.WRITE_ORG)


def run(tmp_path: Path, world: World, scope: Scope, rows: list[list[Any]], *, dry_run: bool = False) -> ImportReport:
    path = write_raw_xlsx(tmp_path / "don-vi.xlsx", [["DANH SÁCH CƠ QUAN, ĐƠN VỊ"], HEADER, *rows])
    return import_units(path, filename=path.name, actor=world.users["hr"], scope=scope, dry_run=dry_run)


def test_new_units_are_created_under_their_parents_in_any_row_order(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run(tmp_path, world, scope, [
        ["SNV-TT-1", "Tổ thanh tra 1", "Phòng", "SNV-TT", "01/01/2026"],
        ["SNV-TT", "Thanh tra Sở", "Phòng", "Sở Nội vụ", "01/01/2026"],
    ])
    assert report.ok, report.errors
    assert report.created == 2
    inspectorate = OrgUnit.objects.get(code="SNV-TT")
    team = OrgUnit.objects.get(code="SNV-TT-1")
    assert inspectorate.parent == world.so_noi_vu
    assert team.parent == inspectorate
    assert team.path == inspectorate.path + f"{team.pk:010d}."
    assert team.depth == 3
    assert (team.kind, team.valid_from) == ("division", dt.date(2026, 1, 1))
    assert AuditEntry.objects.filter(action="import", object_type="orgunit", reason="don-vi.xlsx").count() == 2


def test_an_existing_unit_found_by_code_is_renamed_with_an_audit_entry(tmp_path: Path, world: World, scope: Scope) -> None:
    OrgUnit.objects.filter(pk=world.phong_tccb.pk).update(code="SNV-TCCB")
    report = run(tmp_path, world, scope, [["SNV-TCCB", "Phòng Tổ chức, biên chế", "Phòng", "Sở Nội vụ", "01/01/2000"]])
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 1)
    world.phong_tccb.refresh_from_db()
    assert world.phong_tccb.name == "Phòng Tổ chức, biên chế"
    entry = AuditEntry.objects.get(action="import", object_id=str(world.phong_tccb.pk))
    assert (entry.before, entry.after) == ({"name": "Phòng Tổ chức cán bộ"}, {"name": "Phòng Tổ chức, biên chế"})


def test_moving_a_unit_to_another_parent_is_refused(tmp_path: Path, world: World, scope: Scope) -> None:
    OrgUnit.objects.filter(pk=world.phong_tccb.pk).update(code="SNV-TCCB")
    OrgUnit.objects.filter(pk=world.phong_ccvc.pk).update(code="SNV-CCVC")
    report = run(tmp_path, world, scope, [["SNV-TCCB", "Phòng Tổ chức cán bộ", "Phòng", "SNV-CCVC", "01/01/2000"]])
    assert [(e.row, e.column) for e in report.errors] == [(3, "Mã đơn vị cấp trên (D)")]


def test_units_outside_scope_unknown_parents_and_bad_kinds_are_all_reported_and_nothing_written(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    before = OrgUnit.objects.count()
    report = run(tmp_path, world, scope, [
        ["STC-1", "Phòng Ngân sách", "Phòng", "Sở Tài chính", "01/01/2026"],
        ["SNV-X", "Phòng X", "Phòng", "Sở Không Có", "01/01/2026"],
        ["SNV-Y", "Phòng Y", "Tiểu ban", "Sở Nội vụ", "32/01/2026"],
        ["SNV-Z", "Phòng Z", "Phòng", "Sở Nội vụ", "01/01/2026"],
        ["SNV-Z", "Phòng Z bis", "Phòng", "Sở Nội vụ", "01/01/2026"],
        ["", "Phòng gốc", "Phòng", "", ""],
    ])
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Mã đơn vị cấp trên (D)"),
        (4, "Mã đơn vị cấp trên (D)"),
        (5, "Loại (C)"),
        (5, "Ngày hiệu lực (E)"),
        (7, "Mã đơn vị (A)"),
        (8, "Mã đơn vị cấp trên (D)"),
    ]
    assert "ngoài phạm vi" in report.errors[0].reason
    assert OrgUnit.objects.count() == before


def test_a_national_administrator_may_create_a_root_unit(tmp_path: Path, world: World) -> None:
    report = run(tmp_path, world, EVERYTHING, [["79", "Thành phố Hồ Chí Minh", "Tỉnh/thành phố", "", "01/07/2025"]])
    assert report.ok, report.errors
    unit = OrgUnit.objects.get(code="79", kind="province")
    assert unit.parent is None
    assert unit.depth == 0


def test_a_dry_run_of_units_writes_nothing(tmp_path: Path, world: World, scope: Scope) -> None:
    before = OrgUnit.objects.count()
    report = run(tmp_path, world, scope, [["SNV-TT", "Thanh tra Sở", "Phòng", "Sở Nội vụ", ""]], dry_run=True)
    assert (report.ok, report.created) == (True, 1)
    assert OrgUnit.objects.count() == before
