"""Importing people from the files HR offices really have; a file with any error writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from congvu.access.access import write_scope
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.org.models import AdminArea, JobPosition, Rank, SalaryGroup, SalaryStep
from congvu.personnel.io.importing import import_people
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.samples import csv_bytes, write_raw_xlsx
from congvu.personnel.models import Employment, Person
from congvu.rules.personal_id import make_personal_id
from congvu.text.legacy import encode_tcvn3, encode_vni
from tests.factories import World, build_world

pytestmark = pytest.mark.django_db

TITLE = ["DANH SÁCH CÁN BỘ, CÔNG CHỨC"]
HEADER = ["Số định danh cá nhân", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị", "Ngày bắt đầu"]
AN = make_personal_id("001", "M", 1985, 900001)
HOA = make_personal_id("079", "F", 1990, 900002)
BINH = make_personal_id("036", "M", 1979, 900003)


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # users are built per test
    return build_world()


@pytest.fixture
def scope(world: World) -> Scope:
    return write_scope(world.users["hr"])  # Sở Nội vụ Hà Nội and below


def person_row(pid: str = AN, name: str = "Nguyễn Văn An", born: Any = "05/03/1985", sex: str = "Nam",
               category: str = "Công chức", unit: str = "Phòng Tổ chức cán bộ", start: Any = "01/08/2020") -> list[Any]:
    return [pid, name, born, sex, category, unit, start]


def run_xlsx(tmp_path: Path, world: World, scope: Scope, rows: list[list[Any]], *, dry_run: bool = False,
             merges: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> ImportReport:
    path = write_raw_xlsx(tmp_path / "danh-sach.xlsx", rows, merges=merges, number_formats=formats)
    return import_people(path, filename=path.name, actor=world.users["hr"], scope=scope, dry_run=dry_run)


def run_csv(world: World, scope: Scope, data: bytes) -> ImportReport:
    return import_people(io.BytesIO(data), filename="danh-sach.csv", actor=world.users["hr"], scope=scope)


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Employment.objects.count(), AuditEntry.objects.count()


def reasons(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.value) for e in report.errors]


# ---- what a clean file does ----------------------------------------------------------------------------


def test_a_clean_file_creates_each_person_with_an_employment_and_one_import_audit_entry(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    report = run_xlsx(tmp_path, world, scope, [TITLE, HEADER, person_row(), person_row(HOA, "Trần Thị Hoa", "1990-07-20", "Nữ")])
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    an = Person.objects.get(personal_id=AN)
    assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
    assert (an.birth_date, an.sex, an.category) == (dt.date(1985, 3, 5), "M", "civil_servant")
    assert an.current_unit == world.phong_tccb
    assert an.org_path == world.phong_tccb.path
    assert an.search_name == "nguyen van an"
    assert an.sort_key
    job = Employment.objects.get(person=an)
    assert (job.unit_id, job.start_date, job.end_date) == (world.phong_tccb.pk, dt.date(2020, 8, 1), None)
    entries = AuditEntry.objects.filter(action="import", subject_person_id=an.pk)
    assert [(e.reason, e.actor_label, e.object_type) for e in entries] == [("danh-sach.xlsx", "tccb", "person")]
    assert entries[0].after["personal_id"] == AN
    assert entries[0].after["employment"]["start_date"] == "2020-08-01"


def test_a_dry_run_counts_what_would_happen_and_writes_nothing(tmp_path: Path, world: World, scope: Scope) -> None:
    before = counts()
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row()], dry_run=True)
    assert report.ok
    assert report.created == 1
    assert counts() == before


def test_csv_in_utf8_with_a_byte_order_mark_and_semicolons(world: World, scope: Scope) -> None:
    data = csv_bytes([TITLE, HEADER, person_row(name="Lê Thị Thu Hà", pid=HOA, born="20/07/1990", sex="Nữ")],
                     delimiter=";", bom=True)
    report = run_csv(world, scope, data)
    assert report.ok, report.errors
    assert report.file_encoding == "utf-8-sig"
    assert Person.objects.get(personal_id=HOA).middle_name == "Thị Thu"


def test_csv_saved_by_vietnamese_windows_in_cp1258(world: World, scope: Scope) -> None:
    report = run_csv(world, scope, csv_bytes([HEADER, person_row(name="Đặng Thị Hằng", pid=HOA, born="20/07/1990",
                                                                sex="Nữ")], encoding="cp1258"))
    assert report.ok, report.errors
    assert report.file_encoding == "cp1258"
    assert Person.objects.get(personal_id=HOA).full_name == "Đặng Thị Hằng"


def test_decomposed_nfd_text_is_stored_composed(tmp_path: Path, world: World, scope: Scope) -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Ấn")
    report = run_xlsx(tmp_path, world, scope, [
        [unicodedata.normalize("NFD", h) for h in HEADER], person_row(name=nfd, unit=unicodedata.normalize("NFD", "Phòng Tổ chức cán bộ")),
    ])
    assert report.ok, report.errors
    person = Person.objects.get(personal_id=AN)
    assert person.given_name == "Ấn"
    assert unicodedata.is_normalized("NFC", person.full_name)


def test_names_typed_in_the_tcvn3_font_are_decoded_and_the_cells_reported(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [
        TITLE, HEADER, person_row(name=encode_tcvn3("Nguyễn Văn Ấn")), person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"),
    ])
    assert report.ok, report.errors
    assert Person.objects.get(personal_id=AN).full_name == "Nguyễn Văn Ấn"
    assert report.decoded_legacy == [(3, "Họ và tên (B)", "tcvn3")]


def test_a_csv_typed_in_the_vni_font_is_decoded_cell_by_cell(world: World, scope: Scope) -> None:
    rows = [[encode_vni(h) for h in HEADER],
            person_row(name=encode_vni("Đặng Thị Hằng"), pid=HOA, born="20/07/1990", sex=encode_vni("Nữ"),
                       category=encode_vni("Công chức"), unit=encode_vni("Phòng Tổ chức cán bộ"))]
    report = run_csv(world, scope, csv_bytes(rows, encoding="cp1252"))
    assert report.ok, report.errors
    assert report.file_encoding == "cp1252"
    assert Person.objects.get(personal_id=HOA).full_name == "Đặng Thị Hằng"
    assert (2, "Họ và tên (B)", "vni") in report.decoded_legacy


def test_dates_as_excel_serials_date_cells_day_month_year_and_year_only(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [
        HEADER,
        person_row(AN, born=31111),  # number cell: Excel serial of 05/03/1985
        person_row(HOA, "Trần Thị Hoa", dt.datetime(1990, 7, 20), "Nữ", start="1/8/2020"),
        person_row(BINH, "Phạm Văn Bình", "1979", start=44044),  # year only; start 01/08/2020 as a serial
    ])
    assert report.ok, report.errors
    got = {p.personal_id: (p.birth_date, p.birth_year) for p in Person.objects.filter(personal_id__in=[AN, HOA, BINH])}
    assert got == {AN: (dt.date(1985, 3, 5), 1985), HOA: (dt.date(1990, 7, 20), 1990), BINH: (None, 1979)}
    assert set(Employment.objects.filter(person__personal_id__in=[AN, HOA, BINH]).values_list("start_date", flat=True)) == {
        dt.date(2020, 8, 1)
    }


def test_excel_serial_dates_in_a_csv(world: World, scope: Scope) -> None:
    report = run_csv(world, scope, csv_bytes([HEADER, person_row(born="31111", start="44044")]))
    assert report.ok, report.errors
    assert Person.objects.get(personal_id=AN).birth_date == dt.date(1985, 3, 5)


def test_title_rows_and_two_merged_header_rows_as_official_forms_have_them(tmp_path: Path, world: World, scope: Scope) -> None:
    rank = make_rank()
    rows = [
        ["SỞ NỘI VỤ THÀNH PHỐ HÀ NỘI"],
        ["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2026"],
        [],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Loại", "Đơn vị", "Lương", None, None, "Từ ngày"],
        [None, None, None, None, None, None, None, "Mã ngạch", "Bậc", "Ngày hưởng", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"],
        [1, "Nguyễn Văn An", AN, "05/03/1985", "Nam", "Công chức", "Phòng Tổ chức cán bộ", rank.code, 3, "01/01/2024", "01/08/2020"],
        [],
        [None, "Người lập biểu"],
        [None, "Nguyễn Thị Lập"],
    ]
    merges = ("A1:K1", "A2:K2", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:G5", "H4:J4", "K4:K5")
    report = run_xlsx(tmp_path, world, scope, rows, merges=merges)
    assert report.ok, report.errors
    assert report.header_rows == (4, 5)
    assert report.skipped_rows == [9, 10]
    job = Employment.objects.get(person__personal_id=AN)
    assert (job.rank_id, job.salary_step, job.step_since) == (rank.pk, 3, dt.date(2024, 1, 1))


def test_unaccented_headers_in_capitals_and_another_order(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [
        ["DON VI", "LOAI", "GIOI TINH", "NGAY SINH", "HO", "CHU DEM", "TEN", "SO DINH DANH CA NHAN", "NGAY BAT DAU"],
        ["Phòng Tổ chức cán bộ", "cong chuc", "nam", "05/03/1985", "Tôn Thất", "", "Thuyết", AN, "01/08/2020"],
    ])
    assert report.ok, report.errors
    person = Person.objects.get(personal_id=AN)
    assert (person.family_name, person.middle_name, person.given_name) == ("Tôn Thất", "", "Thuyết")


def test_a_single_full_name_column_is_split_into_family_middle_and_given_names(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row(name="  Tôn Nữ Thị   Ninh "), ])
    assert report.ok, report.errors
    person = Person.objects.get(personal_id=AN)
    assert (person.family_name, person.middle_name, person.given_name) == ("Tôn Nữ", "Thị", "Ninh")


def test_a_personal_id_that_excel_stored_as_a_number_gets_its_leading_zeros_back(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row(int(AN)), person_row(int(HOA), "Trần Thị Hoa", "20/07/1990", "Nữ")])
    assert report.ok, report.errors
    assert Person.objects.filter(personal_id__in=[AN, HOA]).count() == 2
    assert report.padded_ids == [(2, "Số định danh cá nhân (A)"), (3, "Số định danh cá nhân (A)")]


def test_a_csv_column_that_lost_every_leading_zero_is_padded_but_a_lone_short_id_is_an_error(
    world: World, scope: Scope
) -> None:
    lost = run_csv(world, scope, csv_bytes([HEADER, person_row(AN.lstrip("0")), person_row(HOA.lstrip("0"), "Trần Thị Hoa", "20/07/1990", "Nữ")]))
    assert lost.ok, lost.errors
    assert Person.objects.filter(personal_id__in=[AN, HOA]).count() == 2
    mixed = run_csv(world, scope, csv_bytes([HEADER, person_row(BINH, "Phạm Văn Bình", "01/01/1979"), person_row(AN[1:])]))
    assert [(e.row, e.column) for e in mixed.errors] == [(3, "Số định danh cá nhân (A)")]
    assert "12 chữ số" in mixed.errors[0].reason


def test_an_id_in_scientific_notation_is_refused_with_the_reason(world: World, scope: Scope) -> None:
    report = run_csv(world, scope, csv_bytes([HEADER, person_row("1.08501E+11")]))
    assert reasons(report) == [(2, "Số định danh cá nhân (A)", "1.08501E+11")]
    assert "số mũ" in report.errors[0].reason


# ---- errors: all reported, nothing written -------------------------------------------------------------


def test_one_bad_cell_leaves_the_database_unchanged_and_names_row_column_value_and_reason(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    before = counts()
    report = run_xlsx(tmp_path, world, scope, [
        TITLE, HEADER, person_row(), person_row(HOA, "Trần Thị Hoa", "31/02/1990", "Nữ"), person_row(BINH, "Phạm Văn Bình", "01/01/1979"),
    ])
    assert not report.ok
    assert report.created == 0
    assert [e.as_dict() for e in report.errors] == [
        {"row": 4, "column": "Ngày sinh (C)", "value": "31/02/1990", "reason": "Ngày 31/02/1990 không có thật."}
    ]
    assert counts() == before


def test_every_bad_cell_in_the_file_is_reported(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [
        HEADER,
        person_row(AN, sex="Không rõ"),
        person_row(HOA, "Hoa", "20/07/1990", "Nữ", category="Biên chế"),
        person_row("001085", "Phạm Văn Bình", "01/01/1979", unit="Phòng Không Có"),
        person_row(make_personal_id("001", "F", 1985, 7), "Lê Thị Mai", "05/03/1985", "Nam", start="hôm qua"),
    ])
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Giới tính (D)"),
        (3, "Họ và tên (B)"),
        (3, "Loại (E)"),
        (4, "Số định danh cá nhân (A)"),
        (4, "Đơn vị (F)"),
        (5, "Ngày bắt đầu (G)"),
    ]
    assert Person.objects.filter(personal_id__in=[AN, HOA]).count() == 0


def test_a_personal_id_that_disagrees_with_sex_or_year_of_birth_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row(AN, sex="Nữ"), person_row(HOA, "Trần Thị Hoa", "20/07/1991", "Nữ")])
    assert [(e.row, e.column) for e in report.errors] == [(2, "Số định danh cá nhân (A)"), (3, "Số định danh cá nhân (A)")]
    assert "Chữ số thứ 4" in report.errors[0].reason
    assert "Chữ số thứ 5–6" in report.errors[1].reason


def test_a_unit_outside_the_importers_scope_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row(unit="Sở Tài chính")])
    assert reasons(report) == [(2, "Đơn vị (F)", "Sở Tài chính")]
    assert "ngoài phạm vi" in report.errors[0].reason
    assert not Person.objects.filter(personal_id=AN).exists()


def test_the_same_personal_id_twice_in_the_file_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [HEADER, person_row(), person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"), person_row()])
    assert reasons(report) == [(4, "Số định danh cá nhân (A)", AN)]
    assert "dòng 2" in report.errors[0].reason


def test_a_person_registered_in_a_unit_outside_scope_cannot_be_overwritten(tmp_path: Path, world: World, scope: Scope) -> None:
    outsider = world.outsider
    row = person_row(outsider.personal_id, "Lê Minh Châu", f"15/03/{outsider.birth_year}")
    report = run_xlsx(tmp_path, world, scope, [HEADER, row])
    assert [(e.row, e.column) for e in report.errors] == [(2, "Số định danh cá nhân (A)")]
    assert "ngoài phạm vi" in report.errors[0].reason


def test_missing_columns_are_reported_before_any_row(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [TITLE, ["Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị"], ["Nguyễn Văn An"]])
    assert [(e.row, e.column) for e in report.errors] == [(2, ""), (2, "")]
    assert "Số định danh cá nhân" in report.errors[0].reason
    assert "«Loại»" in report.errors[1].reason


def test_a_file_that_is_not_a_spreadsheet_is_one_clear_error(world: World, scope: Scope) -> None:
    report = run_csv(world, scope, b"\x00\x01 not a table")
    assert len(report.errors) == 1
    assert report.errors[0].row == 0


# ---- ranks, positions, places --------------------------------------------------------------------------


def make_rank(code: str = "01.003", steps: int = 9) -> Rank:
    group, _ = SalaryGroup.objects.get_or_create(code="A1", defaults={"name": "Loại A1"})
    for step in range(1, steps + 1):
        SalaryStep.objects.get_or_create(group=group, step=step, valid_from=dt.date(2004, 10, 1),
                                         defaults={"coefficient": Decimal("2.34") + Decimal("0.33") * (step - 1)})
    rank, _ = Rank.objects.get_or_create(code=code, defaults={"name": "Chuyên viên", "salary_group": group})
    return rank


def test_rank_step_and_position_must_exist(tmp_path: Path, world: World, scope: Scope) -> None:
    make_rank()
    JobPosition.objects.create(unit=world.phong_tccb, code="TCCB-01", name="Chuyên viên tổ chức", group="professional")
    header = [*HEADER, "Mã ngạch", "Bậc lương", "Vị trí việc làm"]
    report = run_xlsx(tmp_path, world, scope, [
        header,
        [*person_row(), "01.003", 3, "chuyên viên tổ chức"],
        [*person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"), "01.003", 12, "TCCB-01"],
        [*person_row(BINH, "Phạm Văn Bình", "01/01/1979"), "99.999", None, "Kế toán"],
        [*person_row(make_personal_id("001", "F", 1985, 7), "Lê Thị Mai", "05/03/1985", "Nữ"), None, 2, None],
    ])
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Bậc lương (I)"), (4, "Mã ngạch (H)"), (5, "Bậc lương (I)"),
    ]
    assert "không có bậc 12" in report.errors[0].reason


def test_positions_are_found_by_code_or_name_within_the_unit(tmp_path: Path, world: World, scope: Scope) -> None:
    pos = JobPosition.objects.create(unit=world.phong_tccb, code="TCCB-01", name="Chuyên viên tổ chức", group="professional")
    JobPosition.objects.create(unit=world.phong_ccvc, code="CCVC-01", name="Chuyên viên quản lý", group="professional")
    report = run_xlsx(tmp_path, world, scope, [
        [*HEADER, "Vị trí việc làm"],
        [*person_row(), "CHUYÊN VIÊN TỔ CHỨC"],
        [*person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"), "CCVC-01"],
    ])
    assert reasons(report) == [(3, "Vị trí việc làm (H)", "CCVC-01")]
    report = run_xlsx(tmp_path, world, scope, [[*HEADER, "Vị trí việc làm"], [*person_row(), "tccb-01"]])
    assert report.ok, report.errors
    assert Employment.objects.get(person__personal_id=AN).position == pos


def test_hometown_and_birthplace_are_matched_to_the_list_of_provinces_and_communes(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    hanoi = AdminArea.objects.create(code="01", name="Thành phố Hà Nội", level="province", division_type="thành phố trung ương", source="test")
    commune = AdminArea.objects.create(code="00004", name="Phường Ba Đình", level="commune", division_type="phường", parent=hanoi, source="test")
    AdminArea.objects.create(code="001", name="Hà Nội", level="province", division_type="tỉnh", source="test",
                             valid_to=dt.date(2025, 6, 30))
    report = run_xlsx(tmp_path, world, scope, [
        [*HEADER, "Quê quán", "Nơi sinh"],
        [*person_row(), "Ba Đình, Hà Nội", "ha noi"],
        [*person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"), "Xã Không Có, Huyện Cũ, TP Hà Nội", "Atlantis"],
    ])
    assert reasons(report) == [(3, "Nơi sinh (I)", "Atlantis")]
    report = run_xlsx(tmp_path, world, scope, [
        [*HEADER, "Quê quán", "Nơi sinh"], [*person_row(), "Ba Đình, Hà Nội", "ha noi"],
        [*person_row(HOA, "Trần Thị Hoa", "20/07/1990", "Nữ"), "Xã Không Có, Huyện Cũ, TP Hà Nội", None],
    ])
    assert report.ok, report.errors
    an, hoa = Person.objects.get(personal_id=AN), Person.objects.get(personal_id=HOA)
    assert (an.hometown, an.birthplace, hoa.hometown) == (commune, hanoi, hanoi)
    assert [(w.row, w.column) for w in report.warnings] == [(3, "Quê quán (H)")]


# ---- people already registered -------------------------------------------------------------------------


def test_a_known_personal_id_updates_the_person_with_an_audit_of_before_and_after(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    binh = world.binh
    job = Employment.objects.get(person=binh)
    row = [binh.personal_id, "Trần Văn Bình", "01/05/1979", "Nam", "Viên chức", "Phòng Tổ chức cán bộ", f"{job.start_date:%d/%m/%Y}", "Kinh"]
    report = run_xlsx(tmp_path, world, scope, [[*HEADER, "Dân tộc"], row])
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    binh.refresh_from_db()
    assert (binh.category, binh.birth_date, binh.version) == ("public_employee", dt.date(1979, 5, 1), 2)
    assert Employment.objects.filter(person=binh).count() == 1
    entry = AuditEntry.objects.get(action="import", subject_person_id=binh.pk)
    assert entry.before == {"category": "civil_servant", "birth_date": "1979-03-15"}
    assert entry.after == {"category": "public_employee", "birth_date": "1979-05-01"}
    again = run_xlsx(tmp_path, world, scope, [[*HEADER, "Dân tộc"], row])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_new_unit_or_step_ends_the_current_employment_and_opens_a_new_one(
    tmp_path: Path, world: World, scope: Scope
) -> None:
    binh = world.binh
    row = [binh.personal_id, "Trần Văn Bình", "15/03/1979", "Nam", "Công chức", "Phòng Công chức, viên chức", "01/01/2026"]
    report = run_xlsx(tmp_path, world, scope, [HEADER, row])
    assert report.ok, report.errors
    spells = list(Employment.objects.filter(person=binh).order_by("start_date"))
    assert [(s.unit_id, s.start_date, s.end_date) for s in spells] == [
        (world.phong_tccb.pk, dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
        (world.phong_ccvc.pk, dt.date(2026, 1, 1), None),
    ]
    binh.refresh_from_db()
    assert (binh.current_unit_id, binh.org_path) == (world.phong_ccvc.pk, world.phong_ccvc.path)
    entry = AuditEntry.objects.get(action="import", subject_person_id=binh.pk)
    assert entry.before["employment"]["unit_id"] == world.phong_tccb.pk
    assert entry.after["employment"]["unit_id"] == world.phong_ccvc.pk


def test_a_new_unit_without_a_later_start_date_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    binh = world.binh
    row = [binh.personal_id, "Trần Văn Bình", "15/03/1979", "Nam", "Công chức", "Phòng Công chức, viên chức", "01/01/2020"]
    report = run_xlsx(tmp_path, world, scope, [HEADER, row])
    assert [(e.row, e.column) for e in report.errors] == [(2, "Ngày bắt đầu (G)")]
    assert "01/01/2020" in report.errors[0].reason


def test_a_year_of_birth_alone_keeps_the_full_date_already_registered(tmp_path: Path, world: World, scope: Scope) -> None:
    binh = world.binh
    row = [binh.personal_id, "Trần Văn Bình", "1979", "Nam", "Công chức", "Phòng Tổ chức cán bộ", "01/01/2020"]
    report = run_xlsx(tmp_path, world, scope, [HEADER, row])
    assert (report.ok, report.unchanged) == (True, 1)
    binh.refresh_from_db()
    assert binh.birth_date == dt.date(1979, 3, 15)


def test_text_longer_than_the_register_keeps_is_an_error(tmp_path: Path, world: World, scope: Scope) -> None:
    report = run_xlsx(tmp_path, world, scope, [[*HEADER, "Dân tộc"], [*person_row(), "K" * 41]])
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(2, "Dân tộc (H)", "Dài 41 ký tự, tối đa 40.")]
