"""Reference data: administrative units, central agencies, salary tables, base salary, allowances."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
import vietnam_provinces
from django.core.management import call_command
from django.db.models.functions import Length

from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, AllowanceType, BaseSalary, OrgUnit, Rank, SalaryGroup, SalaryStep
from congvu.org.reference import dataset_version, load_all, load_pre_2025_provinces
from congvu.org.reference_data import PRE_2025_SUCCESSOR
from congvu.org.salary import ReferenceDataMissing, base_salary_on, coefficient, monthly_salary
from congvu.rules.personal_id import PRE_2025_PROVINCES

pytestmark = pytest.mark.django_db

PROVINCE, COMMUNE = AdminArea.Level.PROVINCE, AdminArea.Level.COMMUNE
TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def loaded() -> dict[str, int]:
    return load_all()


# --- Administrative units --------------------------------------------------------------------------------


def test_the_2025_map_has_34_provinces_and_3321_communes(loaded: dict[str, int]) -> None:
    assert loaded["provinces"] == 34
    assert loaded["communes"] == 3321


def test_the_communes_are_2621_xa_687_phuong_and_13_dac_khu(loaded: dict[str, int]) -> None:
    kinds = Counter(AdminArea.objects.filter(level=COMMUNE).values_list("division_type", flat=True))
    assert kinds == {"xã": 2621, "phường": 687, "đặc khu": 13}


def test_the_provinces_are_28_provinces_and_6_centrally_run_cities(loaded: dict[str, int]) -> None:
    kinds = Counter(
        AdminArea.objects.filter(level=PROVINCE, valid_to__isnull=True).values_list("division_type", flat=True)
    )
    assert kinds == {"tỉnh": 28, "thành phố trung ương": 6}


@pytest.mark.parametrize(
    ("level", "code", "name"),
    [
        (PROVINCE, "01", "Thành phố Hà Nội"),
        (PROVINCE, "08", "Tuyên Quang"),
        (PROVINCE, "96", "Cà Mau"),
        (COMMUNE, "00070", "Phường Hoàn Kiếm"),
        (COMMUNE, "10018", "Xã Xuân Mai"),
    ],
)
def test_codes_are_zero_padded_strings(loaded: dict[str, int], level: str, code: str, name: str) -> None:
    assert AdminArea.objects.get(level=level, code=code).name == name


def test_every_2025_province_code_has_2_digits_and_every_commune_code_5(loaded: dict[str, int]) -> None:
    lengths = Counter(
        AdminArea.objects.filter(valid_to__isnull=True).annotate(n=Length("code")).values_list("level", "n")
    )
    assert lengths == {(PROVINCE, 2): 34, (COMMUNE, 5): 3321}


def test_a_commune_belongs_to_its_province_and_starts_on_1_july_2025(loaded: dict[str, int]) -> None:
    hoan_kiem = AdminArea.objects.select_related("parent").get(level=COMMUNE, code="00070")
    assert hoan_kiem.parent is not None
    assert hoan_kiem.parent.code == "01"
    assert hoan_kiem.valid_from == dt.date(2025, 7, 1)
    assert hoan_kiem.division_type == "phường"


def test_every_2025_row_records_the_dataset_version(loaded: dict[str, int]) -> None:
    version = dataset_version()
    assert version == (
        f"vietnam-provinces {vietnam_provinces.__version__} (data {vietnam_provinces.__data_version__})"
    )
    sources = set(AdminArea.objects.filter(valid_to__isnull=True).values_list("source", flat=True))
    assert sources == {version}


def test_there_are_63_pre_2025_provinces_with_3_digit_codes_ending_30_june_2025(loaded: dict[str, int]) -> None:
    old = AdminArea.objects.filter(level=PROVINCE, valid_to=dt.date(2025, 6, 30))
    assert loaded["pre_2025_provinces"] == 63
    assert {a.code for a in old} == set(PRE_2025_PROVINCES)
    assert all(len(a.code) == 3 for a in old)


def test_old_and_new_codes_of_the_same_province_do_not_collide(loaded: dict[str, int]) -> None:
    assert AdminArea.objects.get(level=PROVINCE, code="001").valid_to == dt.date(2025, 6, 30)
    assert AdminArea.objects.get(level=PROVINCE, code="01").valid_to is None


@pytest.mark.parametrize(
    ("old_code", "new_code", "new_name"),
    [
        ("001", "01", "Thành phố Hà Nội"),  # unchanged
        ("002", "08", "Tuyên Quang"),  # Hà Giang merged into Tuyên Quang
        ("024", "24", "Bắc Ninh"),  # Bắc Giang: its code survives under the name Bắc Ninh
        ("027", "24", "Bắc Ninh"),
        ("035", "37", "Ninh Bình"),  # Hà Nam
        ("074", "79", "Thành phố Hồ Chí Minh"),  # Bình Dương
        ("077", "79", "Thành phố Hồ Chí Minh"),  # Bà Rịa–Vũng Tàu
        ("062", "51", "Quảng Ngãi"),  # Kon Tum
        ("095", "96", "Cà Mau"),  # Bạc Liêu
    ],
)
def test_each_pre_2025_province_points_to_the_province_it_merged_into(
    loaded: dict[str, int], old_code: str, new_code: str, new_name: str
) -> None:
    old = AdminArea.objects.select_related("successor").get(level=PROVINCE, code=old_code)
    assert old.successor is not None
    assert (old.successor.code, old.successor.name) == (new_code, new_name)


def test_every_2025_province_has_at_least_one_predecessor(loaded: dict[str, int]) -> None:
    assert len(set(PRE_2025_SUCCESSOR.values())) == 34
    without = AdminArea.objects.filter(level=PROVINCE, valid_to__isnull=True, predecessors__isnull=True)
    assert list(without) == []


def test_pre_2025_provinces_need_the_2025_provinces_first() -> None:
    with pytest.raises(ReferenceDataMissing):
        load_pre_2025_provinces()
    assert not AdminArea.objects.exists()


# --- Central agencies ------------------------------------------------------------------------------------


def test_the_government_has_14_ministries_3_ministerial_agencies_and_5_government_agencies(
    loaded: dict[str, int],
) -> None:
    root = OrgUnit.objects.get(kind=OrgUnit.Kind.NATION)
    kinds = Counter(OrgUnit.objects.filter(parent=root).values_list("kind", flat=True))
    assert kinds == {"ministry": 14, "ministerial_agency": 3, "government_agency": 5}
    assert loaded["central_agencies"] == 22


@pytest.mark.parametrize(
    "name",
    ["Bộ Nội vụ", "Bộ Nông nghiệp và Môi trường", "Bộ Dân tộc và Tôn giáo", "Bộ Văn hóa, Thể thao và Du lịch",
     "Ngân hàng Nhà nước Việt Nam", "Thông tấn xã Việt Nam"],
)
def test_a_central_agency_is_dated_1_march_2025_and_hangs_under_the_root(loaded: dict[str, int], name: str) -> None:
    root = OrgUnit.objects.get(kind=OrgUnit.Kind.NATION)
    agency = OrgUnit.objects.get(name=name)
    assert agency.valid_from == dt.date(2025, 3, 1)
    assert agency.legal_basis == "Nghị quyết 176/2025/QH15"
    assert agency.parent_id == root.pk
    assert agency.path == f"{root.path}{agency.pk:010d}."
    assert agency.depth == 1


def test_agency_codes_are_only_those_we_have_a_source_for(loaded: dict[str, int]) -> None:
    coded = dict(OrgUnit.objects.exclude(agency_code="").values_list("name", "agency_code"))
    assert coded == {
        "Bộ Nội vụ": "000.00.00.G09",
        "Bộ Tài chính": "000.00.00.G12",
        "Bộ Xây dựng": "000.00.00.G17",
        "Văn phòng Chính phủ": "000.00.00.G22",
    }


# --- Idempotence -----------------------------------------------------------------------------------------


def test_loading_twice_creates_nothing_the_second_time(loaded: dict[str, int]) -> None:
    audits = AuditEntry.objects.count()
    again = load_all()
    assert (again["created"], again["updated"]) == (0, 0)
    assert {k: v for k, v in again.items() if k not in {"created", "updated"}} == {
        k: v for k, v in loaded.items() if k not in {"created", "updated"}
    }
    assert AuditEntry.objects.count() == audits


def test_a_row_changed_by_hand_is_put_back_by_the_next_load(loaded: dict[str, int]) -> None:
    AdminArea.objects.filter(level=COMMUNE, code="00070").update(name="Hoan Kiem")
    SalaryStep.objects.filter(group__code="A1", step=9).update(coefficient=Decimal("9.99"))
    again = load_all()
    assert (again["created"], again["updated"]) == (0, 2)
    assert AdminArea.objects.get(level=COMMUNE, code="00070").name == "Phường Hoàn Kiếm"
    assert coefficient("A1", 9, TODAY) == Decimal("4.98")


def test_the_command_prints_the_counts_and_the_dataset_version() -> None:
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert dataset_version() in text
    assert "3.321" in text  # communes, with the Vietnamese thousands separator
    assert AdminArea.objects.filter(level=COMMUNE).count() == 3321


# --- Salary ----------------------------------------------------------------------------------------------

# Decree 204/2004/NĐ-CP Table 2, as in regulations.md §4.1 (C2 and C3 recalled).
SALARY_TABLE = {
    "A3.1": "6.20 6.56 6.92 7.28 7.64 8.00",
    "A3.2": "5.75 6.11 6.47 6.83 7.19 7.55",
    "A2.1": "4.40 4.74 5.08 5.42 5.76 6.10 6.44 6.78",
    "A2.2": "4.00 4.34 4.68 5.02 5.36 5.70 6.04 6.38",
    "A1": "2.34 2.67 3.00 3.33 3.66 3.99 4.32 4.65 4.98",
    "A0": "2.10 2.41 2.72 3.03 3.34 3.65 3.96 4.27 4.58 4.89",
    "B": "1.86 2.06 2.26 2.46 2.66 2.86 3.06 3.26 3.46 3.66 3.86 4.06",
    "C1": "1.65 1.83 2.01 2.19 2.37 2.55 2.73 2.91 3.09 3.27 3.45 3.63",
    "C2": "1.50 1.68 1.86 2.04 2.22 2.40 2.58 2.76 2.94 3.12 3.30 3.48",
    "C3": "1.35 1.53 1.71 1.89 2.07 2.25 2.43 2.61 2.79 2.97 3.15 3.33",
}


@pytest.mark.parametrize(("group", "row"), SALARY_TABLE.items())
def test_every_step_of_every_salary_group_has_the_coefficient_of_decree_204(
    loaded: dict[str, int], group: str, row: str
) -> None:
    stored = list(
        SalaryStep.objects.filter(group__code=group).order_by("step").values_list("step", "coefficient", "valid_from")
    )
    assert stored == [(n, Decimal(c), dt.date(2004, 10, 1)) for n, c in enumerate(row.split(), start=1)]


@pytest.mark.parametrize(
    ("group_or_rank", "step", "expected"),
    [("A1", 9, "4.98"), ("A3.1", 6, "8.00"), ("B", 12, "4.06"), ("01.003", 1, "2.34"), ("01.002", 8, "6.78"),
     ("01.005", 12, "4.06")],
)
def test_the_coefficient_is_found_by_group_or_by_rank(
    loaded: dict[str, int], group_or_rank: str, step: int, expected: str
) -> None:
    assert coefficient(group_or_rank, step, TODAY) == Decimal(expected)


def test_a_step_beyond_the_group_or_before_the_table_is_not_found(loaded: dict[str, int]) -> None:
    with pytest.raises(ReferenceDataMissing, match="A1 bậc 10"):
        coefficient("A1", 10, TODAY)
    with pytest.raises(ReferenceDataMissing):
        coefficient("A1", 1, dt.date(2004, 9, 30))


def test_groups_c2_and_c3_are_marked_as_recalled_not_verified(loaded: dict[str, int]) -> None:
    recalled = SalaryGroup.objects.filter(notes__contains="[R]").values_list("code", flat=True)
    assert sorted(recalled) == ["C2", "C3"]
    assert "chưa xác minh" in SalaryGroup.objects.get(code="C2").legal_basis


@pytest.mark.parametrize(
    ("code", "name", "group", "months"),
    [
        ("01.001", "Chuyên viên cao cấp", "A3.1", 36),
        ("01.002", "Chuyên viên chính", "A2.1", 36),
        ("01.003", "Chuyên viên", "A1", 36),
        ("01.004", "Cán sự", "A0", 36),
        ("01.005", "Nhân viên", "B", 24),
    ],
)
def test_a_rank_has_its_salary_group_and_step_holding_period(
    loaded: dict[str, int], code: str, name: str, group: str, months: int
) -> None:
    rank = Rank.objects.select_related("salary_group").get(code=code)
    assert (rank.name, rank.salary_group.code, rank.months_per_step) == (name, group, months)


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (dt.date(2019, 7, 1), 1_490_000),
        (dt.date(2023, 6, 30), 1_490_000),
        (dt.date(2023, 7, 1), 1_800_000),
        (dt.date(2024, 6, 30), 1_800_000),
        (dt.date(2024, 7, 1), 2_340_000),
        (dt.date(2026, 1, 1), 2_340_000),
    ],
)
def test_the_base_salary_is_the_one_in_force_on_the_day(loaded: dict[str, int], day: dt.date, amount: int) -> None:
    assert base_salary_on(day) == amount


def test_there_is_no_base_salary_before_the_first_loaded_decree(loaded: dict[str, int]) -> None:
    with pytest.raises(ReferenceDataMissing, match="30/06/2019"):
        base_salary_on(dt.date(2019, 6, 30))


@pytest.mark.parametrize(
    ("group", "step", "day", "expected"),
    [
        ("A1", 1, dt.date(2024, 7, 1), 5_475_600),
        ("A1", 9, dt.date(2024, 7, 1), 11_653_200),
        ("A3.1", 6, dt.date(2024, 7, 1), 18_720_000),
        ("A1", 1, dt.date(2024, 6, 30), 4_212_000),
        ("01.005", 1, dt.date(2020, 1, 1), 2_771_400),  # B step 1: 1.86 × 1,490,000
    ],
)
def test_the_monthly_salary_is_coefficient_times_the_base_of_the_day(
    loaded: dict[str, int], group: str, step: int, day: dt.date, expected: int
) -> None:
    assert monthly_salary(group, step, day) == Decimal(expected)


def test_the_monthly_salary_adds_the_position_allowance_and_seniority(loaded: dict[str, int]) -> None:
    # A1 step 9 (4.98) with 7 % seniority-over-grade and a 0.3 position allowance, from 01/07/2024.
    expected = (Decimal("4.98") + Decimal("0.3") + Decimal("4.98") * 7 / 100) * 2_340_000
    got = monthly_salary("A1", 9, dt.date(2024, 7, 1), position_allowance=Decimal("0.3"), seniority_pct=Decimal(7))
    assert got == expected == Decimal("13170924.00")


def test_the_public_service_allowance_is_25_percent(loaded: dict[str, int]) -> None:
    cong_vu = AllowanceType.objects.get(code="cong_vu")
    assert cong_vu.default_pct == Decimal(25)
    assert "34/2012" in cong_vu.legal_basis


def test_a_superuser_adds_a_new_base_salary_in_the_admin_and_it_is_audited(admin_client: Any) -> None:
    response = admin_client.post(
        "/admin/org/basesalary/add/",
        {"amount": "2530000", "valid_from": "2026-07-01", "legal_basis": "Nghị định (giả định) 2026"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    row = BaseSalary.objects.get(valid_from=dt.date(2026, 7, 1))
    entry = AuditEntry.objects.get(object_type="basesalary", object_id=str(row.pk))
    assert entry.action == "create"
    assert entry.after is not None
    assert entry.after["amount"] == 2530000


def test_reference_rows_cannot_be_deleted_in_the_admin(admin_client: Any) -> None:
    row = BaseSalary.objects.create(amount=1, valid_from=dt.date(1990, 1, 1), legal_basis="x")
    assert admin_client.get(f"/admin/org/basesalary/{row.pk}/delete/").status_code == 403
