"""Staffing: people in each subtree against the sum of job-position quotas there, and vacancies per position."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from congvu.org.models import JobPosition, OrgUnit
from congvu.org.queries import staff_vs_quota, tree_on
from congvu.org.services import create_position, create_unit
from congvu.personnel.models import Employment, Person
from congvu.personnel.services import EmploymentInput, change_employment
from tests.factories import EVERYTHING, person

pytestmark = pytest.mark.django_db

K = OrgUnit.Kind
DAY = dt.date(2026, 3, 1)


def unit(name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    return create_unit(None, EVERYTHING, name=name, kind=kind, parent=parent, valid_from=dt.date(2020, 1, 1))


def position(at: OrgUnit, name: str, quota: int, **kw: object) -> JobPosition:
    return create_position(None, EVERYTHING, unit=at, name=name, group="professional", headcount_quota=quota,
                           **kw)  # type: ignore[arg-type]


def hire(name: tuple[str, str, str], at: OrgUnit, pos: JobPosition | None = None,
         start: dt.date = dt.date(2024, 1, 1)) -> Person:
    p = person(name, at, start=start)
    if pos is not None:
        Employment.objects.filter(person=p).update(position=pos)
    return p


@pytest.fixture
def department() -> dict[str, OrgUnit]:
    """Sở Nội vụ with two divisions; the table below each test is computed from this."""
    so = unit("Sở Nội vụ", K.PROVINCIAL_DEPARTMENT)
    a = unit("Phòng Công chức", K.DIVISION, so)
    b = unit("Phòng Tổ chức", K.DIVISION, so)
    team = unit("Tổ Hồ sơ", K.DIVISION, b)
    return {"so": so, "a": a, "b": b, "team": team}


@pytest.fixture
def staffed(department: dict[str, OrgUnit]) -> dict[str, OrgUnit]:
    so, a, b, team = department["so"], department["a"], department["b"], department["team"]
    director = position(so, "Giám đốc", 1)
    hire(("Nguyễn", "Văn", "An"), so, director)
    cv_a = position(a, "Chuyên viên quản lý công chức", 3)
    hire(("Trần", "Thị", "Bích"), a, cv_a)
    hire(("Lê", "Văn", "Cường"), a, cv_a)
    left = hire(("Phạm", "Thị", "Dung"), a, cv_a)
    Employment.objects.filter(person=left).update(end_date=dt.date(2026, 2, 28))  # left the day before
    hire(("Hoàng", "Văn", "Em"), a, cv_a, start=dt.date(2026, 3, 2))  # starts the day after
    position(b, "Chuyên viên tổ chức bộ máy", 1)
    position(b, "Vị trí đã bãi bỏ", 5, valid_from=dt.date(2020, 1, 1))
    JobPosition.objects.filter(name="Vị trí đã bãi bỏ").update(valid_to=dt.date(2025, 12, 31))
    hire(("Vũ", "Thị", "Giang"), b)
    hire(("Đỗ", "Văn", "Hùng"), team)
    hire(("Bùi", "Thị", "Lan"), team)
    position(team, "Văn thư", 1)
    return department


def test_staff_and_quota_add_up_over_each_subtree_on_the_day(staffed: dict[str, OrgUnit]) -> None:
    rows = {u.name: (u.staff, u.quota, u.vacancies)  # type: ignore[attr-defined]
            for u in staff_vs_quota(tree_on(DAY, root=staffed["so"]), DAY)}
    assert rows == {
        # unit                 staff quota vacancies
        "Sở Nội vụ":          (6,    6,    0),
        "Phòng Công chức":    (2,    3,    1),
        "Phòng Tổ chức":      (3,    2,   -1),
        "Tổ Hồ sơ":           (2,    1,   -1),
    }


def test_quotas_count_the_positions_valid_on_the_day(staffed: dict[str, OrgUnit]) -> None:
    day = dt.date(2023, 12, 31)  # before anyone starts, while the abolished position still exists
    rows = {u.name: (u.staff, u.quota) for u in staff_vs_quota(OrgUnit.objects.all(), day)}  # type: ignore[attr-defined]
    assert rows["Sở Nội vụ"] == (0, 1 + 3 + 1 + 5 + 1)
    assert rows["Phòng Tổ chức"] == (0, 1 + 5 + 1)


def test_a_transfer_moves_a_person_between_subtrees_from_its_date(staffed: dict[str, OrgUnit]) -> None:
    bich = Person.objects.get(given_name="Bích")
    change_employment(None, EVERYTHING, bich.pk, EmploymentInput(unit_id=staffed["team"].pk, start_date=DAY))
    before = {u.name: u.staff for u in staff_vs_quota(OrgUnit.objects.all(), DAY - dt.timedelta(days=1))}  # type: ignore[attr-defined]
    after = {u.name: u.staff for u in staff_vs_quota(OrgUnit.objects.all(), DAY)}  # type: ignore[attr-defined]
    assert (before["Phòng Công chức"], before["Tổ Hồ sơ"]) == (3, 2)
    assert (after["Phòng Công chức"], after["Tổ Hồ sơ"]) == (1, 3)
    assert (before["Phòng Tổ chức"], after["Phòng Tổ chức"]) == (3, 4)  # Tổ Hồ sơ is inside Phòng Tổ chức
    assert (before["Sở Nội vụ"], after["Sở Nội vụ"]) == (7, 6)  # Dung's last day was 28/02


def test_staff_vs_quota_is_one_query_however_many_units(
    staffed: dict[str, OrgUnit], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(10):
        unit(f"Phòng {i}", K.DIVISION, staffed["b"])
    with django_assert_num_queries(1):
        rows = list(staff_vs_quota(tree_on(DAY), DAY).order_by("vacancies", "path"))
    assert len(rows) == 14
    assert rows[0].vacancies == -1  # type: ignore[attr-defined]


def test_vacancies_of_a_position_are_its_quota_less_those_filling_it(staffed: dict[str, OrgUnit]) -> None:
    rows = {p.name: (p.headcount_quota, p.filled, p.vacancies)  # type: ignore[attr-defined]
            for p in JobPosition.objects.with_filled(DAY)}
    assert rows == {
        "Giám đốc": (1, 1, 0),
        "Chuyên viên quản lý công chức": (3, 2, 1),  # one left on 28/02, one starts on 02/03
        "Chuyên viên tổ chức bộ máy": (1, 0, 1),
        "Vị trí đã bãi bỏ": (5, 0, 5),
        "Văn thư": (1, 0, 1),
    }


@pytest.mark.parametrize(
    ("day", "filled"),
    [(dt.date(2023, 12, 31), 0), (dt.date(2024, 1, 1), 3), (dt.date(2026, 2, 28), 3), (dt.date(2026, 3, 1), 2),
     (dt.date(2026, 3, 2), 3)],
)
def test_a_position_is_filled_by_the_employments_current_on_the_day(
    staffed: dict[str, OrgUnit], day: dt.date, filled: int
) -> None:
    pos = JobPosition.objects.with_filled(day).get(name="Chuyên viên quản lý công chức")
    assert pos.filled == filled  # type: ignore[attr-defined]
