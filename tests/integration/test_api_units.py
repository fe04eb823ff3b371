"""GET /units and GET /units/{id}: the visible subtree, dated, with ancestors and staff against quota."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.org.models import OrgUnit
from congvu.org.services import create_position
from tests.factories import EVERYTHING, unit
from tests.integration.api_support import FAST_HASHERS, Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


def names(page: dict) -> list[str]:
    return [item["name"] for item in page["items"]]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", ["Phòng Công chức, viên chức"]),
        ("manager", ["Phòng Công chức, viên chức"]),
        ("head", ["Sở Nội vụ", "Phòng Công chức, viên chức", "Phòng Tổ chức cán bộ"]),
        ("hr", ["Sở Nội vụ", "Phòng Công chức, viên chức", "Phòng Tổ chức cán bộ"]),
        ("hue_hr", ["Thành phố Huế", "Sở Tài chính"]),
    ],
)
def test_each_role_lists_only_the_units_of_its_subtree_in_tree_order(api: Api, role: str, expected: list[str]) -> None:
    page = api.json(role, "/units")
    assert names(page) == expected
    assert page["total"] == len(expected)


def test_the_national_admin_lists_every_unit(api: Api) -> None:
    assert api.json("admin", "/units")["total"] == 6


def test_a_dissolved_unit_is_listed_only_for_a_day_it_existed(api: Api) -> None:
    old = unit("Phòng Cải cách hành chính", parent=api.world.so_noi_vu)
    OrgUnit.objects.filter(pk=old.pk).update(valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 12, 31))
    assert "Phòng Cải cách hành chính" not in names(api.json("hr", "/units", limit=100))
    assert "Phòng Cải cách hành chính" in names(api.json("hr", "/units", as_of="2025-12-31"))
    assert "Phòng Cải cách hành chính" not in names(api.json("hr", "/units", as_of="2023-12-31"))


def test_units_filter_by_parent_and_kind(api: Api) -> None:
    so = api.world.so_noi_vu
    assert names(api.json("hr", "/units", parent=so.pk)) == ["Phòng Công chức, viên chức", "Phòng Tổ chức cán bộ"]
    assert names(api.json("hr", "/units", kind="provincial_department")) == ["Sở Nội vụ"]


def test_units_sort_by_name_in_vietnamese_order(api: Api) -> None:
    for name in ("Phòng Đào tạo", "Phòng Dân tộc", "Phòng An ninh"):
        unit(name, parent=api.world.so_noi_vu)
    got = names(api.json("hr", "/units", parent=api.world.so_noi_vu.pk, order="name"))
    assert got == ["Phòng An ninh", "Phòng Công chức, viên chức", "Phòng Dân tộc", "Phòng Đào tạo",
                   "Phòng Tổ chức cán bộ"]
    assert api.json("hr", "/units", parent=api.world.so_noi_vu.pk, order="-name")["items"][0]["name"] == (
        "Phòng Tổ chức cán bộ"
    )


def test_units_are_paginated_with_a_total(api: Api) -> None:
    page = api.json("admin", "/units", limit=2, offset=2)
    assert page["total"] == 6
    assert (page["limit"], page["offset"], len(page["items"])) == (2, 2, 2)


def test_a_bad_date_or_limit_is_a_422_naming_the_parameter(api: Api) -> None:
    response = api.get("hr", "/units", as_of="31/12/2025", limit=0)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"as_of", "limit"}


def test_a_unit_comes_with_its_ancestors_and_staff_against_quota(api: Api) -> None:
    w = api.world
    create_position(None, EVERYTHING, unit=w.phong_ccvc, name="Chuyên viên", group="professional", headcount_quota=3)
    create_position(None, EVERYTHING, unit=w.phong_tccb, name="Chuyên viên", group="professional", headcount_quota=1)
    detail = api.json("hr", f"/units/{w.phong_ccvc.pk}")
    assert [a["name"] for a in detail["ancestors"]] == ["Thành phố Hà Nội", "Sở Nội vụ"]
    assert detail["staffing"] == {"quota": 3, "staff": 1, "vacancies": 2}
    so = api.json("hr", f"/units/{w.so_noi_vu.pk}")
    assert so["staffing"] == {"quota": 0, "staff": 0, "vacancies": 0}
    assert so["staffing_subtree"] == {"quota": 4, "staff": 2, "vacancies": 2}


def test_staff_are_counted_on_the_day_asked(api: Api) -> None:
    detail = api.json("hr", f"/units/{api.world.phong_ccvc.pk}", as_of="2019-12-31")
    assert detail["as_of"] == "2019-12-31"
    assert detail["staffing"]["staff"] == 0


def test_a_unit_outside_the_subtree_is_404_like_a_missing_one(api: Api) -> None:
    hidden = api.get("hr", f"/units/{api.world.hue.pk}")
    missing = api.get("hr", "/units/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
