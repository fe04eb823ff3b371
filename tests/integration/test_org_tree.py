"""The organisation tree: subtrees as of a day, the breadcrumb, and province trees built from the 2025 map."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from pytest_django import DjangoAssertNumQueries

from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, OrgUnit, path_segment
from congvu.org.queries import ancestors, tree_on
from congvu.org.reference import create_province_tree, load_admin_areas, nation_root
from congvu.org.salary import ReferenceDataMissing
from tests.factories import unit

pytestmark = pytest.mark.django_db

K = OrgUnit.Kind
DAY = dt.date(2026, 1, 15)


@pytest.fixture
def chain() -> list[OrgUnit]:
    """Six levels: province → department → sub-department → division → team → sub-team."""
    province = unit("Ủy ban nhân dân tỉnh Cao Bằng", K.PROVINCE, code="04")
    department = unit("Sở Nội vụ", K.PROVINCIAL_DEPARTMENT, province)
    sub = unit("Ban Thi đua – Khen thưởng", K.DEPARTMENT, department)
    division = unit("Phòng Thi đua", K.DIVISION, sub)
    team = unit("Tổ Khen thưởng", K.DIVISION, division)
    sub_team = unit("Nhóm Hồ sơ", K.DIVISION, team)
    unit("Sở Tài chính", K.PROVINCIAL_DEPARTMENT, province)
    return [province, department, sub, division, team, sub_team]


def test_a_subtree_at_depth_5_is_one_query_in_path_order(
    chain: list[OrgUnit], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    assert chain[-1].depth == 5
    with django_assert_num_queries(1):
        names = [u.name for u in tree_on(DAY, root=chain[1])]
    assert names == ["Sở Nội vụ", "Ban Thi đua – Khen thưởng", "Phòng Thi đua", "Tổ Khen thưởng", "Nhóm Hồ sơ"]


def test_the_whole_tree_is_every_unit_active_on_the_day(chain: list[OrgUnit]) -> None:
    assert tree_on(DAY).count() == 7
    assert [u.depth for u in tree_on(DAY)][:6] == [0, 1, 2, 3, 4, 5]


def test_a_unit_is_not_in_the_tree_before_it_starts_or_after_it_ends(chain: list[OrgUnit]) -> None:
    division, team = chain[3], chain[4]
    OrgUnit.objects.filter(pk=team.pk).update(valid_from=dt.date(2026, 3, 1))
    OrgUnit.objects.filter(pk=division.pk).update(valid_to=dt.date(2026, 6, 30))
    cases = [
        (dt.date(2026, 2, 28), {"Phòng Thi đua"}),  # before the team's valid_from
        (dt.date(2026, 3, 1), {"Phòng Thi đua", "Tổ Khen thưởng"}),  # first day of the team
        (dt.date(2026, 6, 30), {"Phòng Thi đua", "Tổ Khen thưởng"}),  # last day of the division (inclusive)
        (dt.date(2026, 7, 1), {"Tổ Khen thưởng"}),  # after the division's valid_to
    ]
    for day, expected in cases:
        names = {u.name for u in tree_on(day, root=chain[1])}
        assert names & {"Phòng Thi đua", "Tổ Khen thưởng"} == expected, day
    assert {u.name for u in tree_on(dt.date(1999, 12, 31))} == set()  # before everything (from 01/01/2000)


def test_the_breadcrumb_runs_from_the_root_to_the_unit_in_one_query(
    chain: list[OrgUnit], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        crumbs = ancestors(chain[-1])
    assert [u.name for u in crumbs] == [u.name for u in chain]


def test_paths_are_the_parent_path_plus_the_zero_padded_id(chain: list[OrgUnit]) -> None:
    for parent, child in itertools.pairwise(chain):
        assert child.path == parent.path + path_segment(child.pk)
        assert child.depth == parent.depth + 1


# --- Province trees from the 2025 map --------------------------------------------------------------------


@pytest.fixture
def areas() -> None:
    load_admin_areas()


def test_a_province_tree_holds_the_province_government_and_all_its_communes(areas: None) -> None:
    ha_noi = create_province_tree("01")
    assert (ha_noi.name, ha_noi.kind, ha_noi.code) == ("Ủy ban nhân dân thành phố Hà Nội", K.PROVINCE, "01")
    assert ha_noi.area is not None
    assert ha_noi.area.code == "01"
    assert ha_noi.parent_id == nation_root().pk
    communes = list(OrgUnit.objects.filter(parent=ha_noi).select_related("area"))
    assert len(communes) == 126
    for c in communes:
        assert c.kind == K.COMMUNE
        assert c.area is not None
        assert c.code == c.area.code
        assert len(c.code) == 5
        assert c.path == ha_noi.path + path_segment(c.pk)
        assert c.depth == ha_noi.depth + 1 == 2
        assert c.valid_from == dt.date(2025, 7, 1)
    hoan_kiem = OrgUnit.objects.get(kind=K.COMMUNE, code="00070")
    assert hoan_kiem.name == "Ủy ban nhân dân phường Hoàn Kiếm"


@pytest.mark.parametrize(
    ("code", "name"),
    [("04", "Ủy ban nhân dân tỉnh Cao Bằng"), ("8", "Ủy ban nhân dân tỉnh Tuyên Quang"),
     ("79", "Ủy ban nhân dân thành phố Hồ Chí Minh")],
)
def test_a_province_government_is_named_after_its_division_type(areas: None, code: str, name: str) -> None:
    assert create_province_tree(code, with_communes=False).name == name


def test_special_zones_are_named_as_such(areas: None) -> None:
    create_province_tree("79")
    assert OrgUnit.objects.filter(kind=K.COMMUNE, name="Ủy ban nhân dân đặc khu Côn Đảo").count() == 1


def test_building_a_province_tree_twice_adds_nothing(areas: None) -> None:
    first = create_province_tree("12")
    units, audits = OrgUnit.objects.count(), AuditEntry.objects.count()
    second = create_province_tree("12")
    assert second.pk == first.pk
    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == (units, audits)


def test_communes_can_be_added_later_to_a_province_built_without_them(areas: None) -> None:
    lai_chau = create_province_tree("12", with_communes=False)
    assert not OrgUnit.objects.filter(parent=lai_chau).exists()
    create_province_tree("12")
    assert OrgUnit.objects.filter(parent=lai_chau).count() == AdminArea.objects.filter(parent__code="12").count()


def test_a_province_tree_is_audited_once(areas: None) -> None:
    ha_noi = create_province_tree("01")
    entry = AuditEntry.objects.get(object_type="orgunit", object_id=str(ha_noi.pk), reason="create_province_tree")
    assert entry.after == {"communes_created": 126}


def test_a_province_tree_is_built_in_a_handful_of_queries(
    areas: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # A constant handful (SQLite splits the bulk insert into batches), never one query per commune (168).
    with django_assert_max_num_queries(30):
        create_province_tree("79")
    assert OrgUnit.objects.filter(kind=K.COMMUNE).count() == 168


def test_an_unknown_province_code_is_refused_with_its_code(areas: None) -> None:
    with pytest.raises(ReferenceDataMissing, match="'99'"):
        create_province_tree("99")
    assert not OrgUnit.objects.filter(kind=K.PROVINCE).exists()
