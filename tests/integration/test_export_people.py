"""Exporting people in the importer's layout: export → import is a round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from congvu.access.access import write_scope
from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, JobPosition, Rank, SalaryGroup, SalaryStep
from congvu.personnel.io.exporting import export_people
from congvu.personnel.io.importing import import_people
from congvu.personnel.models import Employment, Person
from congvu.personnel.services import EmploymentInput, PersonInput, create_person
from congvu.rules.personal_id import make_personal_id
from tests.factories import EVERYTHING, World, build_world

pytestmark = pytest.mark.django_db

PERSON_COMPARED = (
    "personal_id", "old_id", "family_name", "middle_name", "given_name", "search_name", "sort_key", "birth_date",
    "birth_year", "sex", "ethnicity", "religion", "party_member", "party_joined_on", "hometown_id", "birthplace_id",
    "education_level", "political_theory_level", "category", "current_unit_id", "org_path", "insured_months",
)
EMPLOYMENT_COMPARED = (
    "unit_id", "position_id", "title", "rank_id", "salary_step", "step_since", "position_allowance", "seniority_pct",
    "percent_allowances", "start_date", "end_date", "decision_number",
)


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    add_rich_person(w)
    return w


def add_rich_person(w: World) -> Person:
    """Someone with every field filled: rank and step, position, allowances, places, a year-only birth."""
    group = SalaryGroup.objects.create(code="A2.1", name="Loại A2, nhóm 1")
    for step in range(1, 9):
        SalaryStep.objects.create(group=group, step=step, coefficient=Decimal("4.40") + step, valid_from=dt.date(2004, 10, 1))
    rank = Rank.objects.create(code="01.002", name="Chuyên viên chính", salary_group=group)
    position = JobPosition.objects.create(unit=w.phong_tccb, code="", name="Trưởng phòng", group="leadership", rank=rank)
    hanoi = AdminArea.objects.create(code="01", name="Thành phố Hà Nội", level="province", division_type="thành phố", source="t")
    commune = AdminArea.objects.create(code="00070", name="Phường Hoàn Kiếm", level="commune", division_type="phường",
                                       parent=hanoi, source="t")
    return create_person(None, EVERYTHING, PersonInput(
        personal_id=make_personal_id("036", "F", 1972, 4242), family_name="Tôn Nữ", middle_name="Thị Ngọc",
        given_name="Ánh", sex="F", birth_year=1972, birth_date=None, category="cadre", old_id="012345678",
        ethnicity="Tày", religion="Phật giáo", party_member=True, party_joined_on=dt.date(1999, 5, 19),
        hometown_id=commune.pk, birthplace_id=hanoi.pk, education_level="master", political_theory_level="advanced",
        insured_months=312,
    ), EmploymentInput(
        unit_id=w.phong_tccb.pk, start_date=dt.date(2019, 2, 1), position_id=position.pk, title="Trưởng phòng",
        rank_id=rank.pk, salary_step=4, step_since=dt.date(2023, 2, 1), position_allowance=Decimal("0.40"),
        seniority_pct=Decimal("5"), percent_allowances=Decimal("25.5"), decision_number="12/QĐ-SNV",
    ))


def snapshot(people: list[Person] | None = None) -> dict[str, tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    out = {}
    for person in people or Person.objects.all():
        jobs = Employment.objects.filter(person=person).order_by("start_date")
        out[person.personal_id] = (
            tuple(getattr(person, f) for f in PERSON_COMPARED),
            [tuple(getattr(j, f) for f in EMPLOYMENT_COMPARED) for j in jobs],
        )
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_an_export_changes_nothing(tmp_path: Path, world: World, fmt: str) -> None:
    hr = world.users["hr"]
    people = Person.objects.filter(org_path__startswith=world.so_noi_vu.path)
    path = tmp_path / f"xuat.{fmt}"
    assert export_people(people, path, fmt) == 3
    before, audits = snapshot(), AuditEntry.objects.count()
    report = import_people(path, filename=path.name, actor=hr, scope=write_scope(hr))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_into_an_empty_register_with_the_same_units_gives_identical_records(
    tmp_path: Path, world: World, fmt: str
) -> None:
    hr = world.users["hr"]
    people = list(Person.objects.filter(org_path__startswith=world.so_noi_vu.path))
    path = tmp_path / f"xuat.{fmt}"
    export_people(Person.objects.filter(pk__in=[p.pk for p in people]), path, fmt)
    before = snapshot(people)
    Person.objects.filter(pk__in=[p.pk for p in people]).delete()
    report = import_people(path, filename=path.name, actor=hr, scope=write_scope(hr))
    assert report.ok, report.errors
    assert report.created == 3
    assert snapshot(list(Person.objects.filter(personal_id__in=before))) == before


def test_the_xlsx_has_a_title_row_the_header_row_and_ids_as_text_cells(tmp_path: Path, world: World) -> None:
    path = tmp_path / "xuat.xlsx"
    export_people(Person.objects.filter(pk=world.ha.pk), path)
    ws = load_workbook(path).active
    assert ws["A1"].value == "DANH SÁCH CÁN BỘ, CÔNG CHỨC"
    assert [c.value for c in ws[2]][:6] == ["Số định danh cá nhân", "Họ", "Chữ đệm", "Tên", "Ngày sinh", "Giới tính"]
    pid = ws["A3"]
    assert (pid.value, pid.data_type, pid.number_format) == (world.ha.personal_id, "s", "@")
    assert ws["E3"].number_format == "DD/MM/YYYY"


def test_the_csv_writes_dates_day_first_and_a_byte_order_mark(tmp_path: Path, world: World) -> None:
    path = tmp_path / "xuat.csv"
    export_people(Person.objects.filter(pk=world.ha.pk), path, "csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("DANH SÁCH CÁN BỘ, CÔNG CHỨC;")
    assert lines[2].startswith(f"{world.ha.personal_id};Nguyễn;Thị Thu;Hà;15/03/1985;Nữ;")


def test_without_the_sensitive_right_the_sensitive_columns_are_left_out_and_kept_on_reimport(
    tmp_path: Path, world: World
) -> None:
    hr = world.users["hr"]
    path = tmp_path / "xuat.xlsx"
    export_people(Person.objects.filter(pk=world.ha.pk), path, include_sensitive=False)
    header = [c.value for c in load_workbook(path).active[2]]
    assert not {"Dân tộc", "Tôn giáo", "Đảng viên", "Ngày vào Đảng"} & set(header)
    report = import_people(path, filename=path.name, actor=hr, scope=write_scope(hr))
    assert (report.ok, report.unchanged) == (True, 1)
    world.ha.refresh_from_db()
    assert (world.ha.ethnicity, world.ha.party_member) == ("Kinh", True)
