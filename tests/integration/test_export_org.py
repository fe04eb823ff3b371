"""Exporting units and job positions in the importers' layout: re-importing changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.org.models import JobPosition, OrgUnit, Rank, SalaryGroup
from congvu.personnel.io.exporting import export_positions, export_units
from congvu.personnel.io.importing import import_positions, import_units
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    rank = Rank.objects.create(code="01.003", name="Chuyên viên", salary_group=SalaryGroup.objects.create(code="A1", name="A1"))
    JobPosition.objects.create(unit=w.phong_tccb, code="TCCB-01", name="Chuyên viên tổ chức", group="professional",
                               rank=rank, headcount_quota=4)
    JobPosition.objects.create(unit=w.phong_ccvc, code="", name="Trưởng phòng", group="leadership", headcount_quota=1)
    return w


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_exported_units_changes_nothing(tmp_path: Path, world: World, fmt: str) -> None:
    path = tmp_path / f"don-vi.{fmt}"
    assert export_units(OrgUnit.objects.filter(path__startswith=world.so_noi_vu.path), path, fmt) == 3
    before = list(OrgUnit.objects.values())
    hr = world.users["hr"]
    report = import_units(path, filename=path.name, actor=hr, scope=scope_for(hr, Right.WRITE_ORG))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(OrgUnit.objects.values()) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_exported_positions_changes_nothing(tmp_path: Path, world: World, fmt: str) -> None:
    path = tmp_path / f"vtvl.{fmt}"
    assert export_positions(JobPosition.objects.all(), path, fmt) == 2
    before = list(JobPosition.objects.values())
    hr = world.users["hr"]
    report = import_positions(path, filename=path.name, actor=hr, scope=scope_for(hr, Right.WRITE_ORG))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert list(JobPosition.objects.values()) == before


def test_units_repeating_a_name_are_exported_with_their_parents_name(tmp_path: Path, world: World) -> None:
    path = tmp_path / "don-vi.xlsx"
    copy = OrgUnit.objects.create(name="Phòng Tổ chức cán bộ", kind="division", parent=world.so_tai_chinh_hue)
    OrgUnit.objects.filter(pk=copy.pk).update(path=world.so_tai_chinh_hue.path + f"{copy.pk:010d}.")
    export_positions(JobPosition.objects.filter(code="TCCB-01"), path)
    ws = load_workbook(path).active
    assert [c.value for c in ws[2]] == ["Mã đơn vị", "Mã vị trí", "Tên vị trí", "Nhóm", "Mã ngạch", "Biên chế", "Ngày hiệu lực"]
    assert ws["A3"].value == "Sở Nội vụ > Phòng Tổ chức cán bộ"
