"""Staffing per subtree as the tree pages read it: the same figures as ``staff_vs_quota``, from a rollup
of per-unit counts kept in the cache until the next audited write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from congvu.org.models import JobPosition, OrgUnit
from congvu.org.queries import Staffing, staff_vs_quota, subtree_staffing
from congvu.org.services import create_position, create_unit
from congvu.personnel.models import Employment, Person
from congvu.personnel.services import EmploymentInput, change_employment
from tests.factories import EVERYTHING, person

pytestmark = pytest.mark.django_db

K = OrgUnit.Kind
DAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def unit(name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    return create_unit(None, EVERYTHING, name=name, kind=kind, parent=parent, valid_from=dt.date(2020, 1, 1))


def position(at: OrgUnit, name: str, quota: int) -> JobPosition:
    return create_position(None, EVERYTHING, unit=at, name=name, group="professional", headcount_quota=quota)  # type: ignore[arg-type]


@pytest.fixture
def tree() -> dict[str, OrgUnit]:
    """Sở Nội vụ > (Phòng Công chức, Phòng Tổ chức > Tổ Hồ sơ); one person left the day before, one starts
    the day after, one position is in a unit's own figures but nobody fills it."""
    so = unit("Sở Nội vụ", K.PROVINCIAL_DEPARTMENT)
    a = unit("Phòng Công chức", K.DIVISION, so)
    b = unit("Phòng Tổ chức", K.DIVISION, so)
    team = unit("Tổ Hồ sơ", K.DIVISION, b)
    cv = position(a, "Chuyên viên", 3)
    position(team, "Văn thư", 1)
    for name in (("Trần", "Thị", "Bích"), ("Lê", "Văn", "Cường")):
        Employment.objects.filter(person=person(name, a, start=dt.date(2024, 1, 1))).update(position=cv)
    left = person(("Phạm", "Thị", "Dung"), a, start=dt.date(2024, 1, 1))
    Employment.objects.filter(person=left).update(end_date=DAY - dt.timedelta(days=1))
    person(("Hoàng", "Văn", "Em"), a, start=DAY + dt.timedelta(days=1))
    person(("Vũ", "Thị", "Giang"), b, start=dt.date(2024, 1, 1))
    person(("Đỗ", "Văn", "Hùng"), team, start=dt.date(2024, 1, 1))
    cache.clear()  # the direct updates above are not audited writes
    return {"so": so, "a": a, "b": b, "team": team}


def exact(units: list[OrgUnit], day: dt.date) -> dict[int, tuple[int, int]]:
    rows = staff_vs_quota(OrgUnit.objects.filter(pk__in=[u.pk for u in units]), day)
    return {u.pk: (u.staff, u.quota) for u in rows}  # type: ignore[attr-defined]


def figures(units: list[OrgUnit], day: dt.date) -> dict[int, tuple[int, int]]:
    return {pk: (s.staff, s.quota) for pk, s in subtree_staffing(units, day).items()}


def test_each_subtree_has_the_same_staff_and_quota_as_the_exact_query(tree: dict[str, OrgUnit]) -> None:
    units = list(tree.values())
    assert figures(units, DAY) == exact(units, DAY)
    assert subtree_staffing([tree["so"]], DAY)[tree["so"].pk] == Staffing(staff=4, quota=4, filled=2)


def test_a_day_before_anyone_started_has_quotas_and_no_staff(tree: dict[str, OrgUnit]) -> None:
    day = dt.date(2023, 6, 1)
    assert figures(list(tree.values()), day) == exact(list(tree.values()), day)
    assert subtree_staffing([tree["so"]], day)[tree["so"].pk].staff == 0


def test_a_unit_with_nobody_and_no_position_gets_zeros(tree: dict[str, OrgUnit]) -> None:
    empty = unit("Phòng mới", K.DIVISION, tree["so"])
    assert subtree_staffing([empty], DAY)[empty.pk] == Staffing(0, 0, 0)
    assert subtree_staffing([empty], DAY)[empty.pk].vacancies == 0


def test_a_person_employed_in_two_units_on_the_same_day_counts_once_where_both_are_below(
    tree: dict[str, OrgUnit],
) -> None:
    # An overlapping spell (as an import can bring): Bích also works in Tổ Hồ sơ until the end of the year.
    bich = Person.objects.get(given_name="Bích")
    Employment.objects.create(person=bich, unit=tree["team"], start_date=dt.date(2025, 1, 1),
                              end_date=dt.date(2026, 12, 31))
    Employment.objects.create(person=bich, unit=tree["a"], start_date=dt.date(2025, 6, 1),
                              end_date=dt.date(2026, 6, 30))  # and a second spell in her own unit
    cache.clear()
    units = list(tree.values())
    assert figures(units, DAY) == exact(units, DAY)
    got = subtree_staffing(units, DAY)
    assert (got[tree["a"].pk].staff, got[tree["team"].pk].staff, got[tree["so"].pk].staff) == (2, 2, 4)


def test_the_figures_follow_the_next_audited_write(tree: dict[str, OrgUnit]) -> None:
    before = subtree_staffing([tree["a"], tree["team"]], DAY)
    giang = Person.objects.get(given_name="Giang")
    change_employment(None, EVERYTHING, giang.pk, EmploymentInput(unit_id=tree["team"].pk, start_date=DAY))
    after = subtree_staffing([tree["a"], tree["team"]], DAY)
    assert (before[tree["team"].pk].staff, after[tree["team"].pk].staff) == (1, 2)
    assert figures(list(tree.values()), DAY) == exact(list(tree.values()), DAY)


def test_units_of_several_trees_are_counted_each_in_its_own(tree: dict[str, OrgUnit]) -> None:
    other = unit("Sở Tài chính", K.PROVINCIAL_DEPARTMENT)
    person(("Lý", "Thị", "Mai"), other, start=dt.date(2024, 1, 1))
    got = subtree_staffing([tree["so"], other, tree["team"]], DAY)
    assert (got[tree["so"].pk].staff, got[other.pk].staff, got[tree["team"].pk].staff) == (4, 1, 1)
