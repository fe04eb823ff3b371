"""The organisation tree page (staff vs quota, as-of date, children on demand), the unit page and home."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from congvu.org.models import OrgUnit
from congvu.org.services import create_position, create_unit
from congvu.personnel.models import Employment
from tests.factories import EVERYTHING, World, build_world

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    w = build_world()
    clerk = create_position(None, EVERYTHING, unit=w.phong_ccvc, name="Chuyên viên về công chức",
                            group="professional", headcount_quota=3)
    create_position(None, EVERYTHING, unit=w.phong_tccb, name="Chuyên viên tổ chức", group="professional",
                    headcount_quota=1)
    Employment.objects.filter(person=w.ha).update(position=clerk, title="Chuyên viên")
    return w


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_tree_shows_each_unit_with_its_subtree_staff_against_quota(world: World) -> None:
    html = client_for(world, "hr").get("/to-chuc/").content.decode()
    assert "Sở Nội vụ" in html
    assert "2 người / 4 biên chế" in html  # the department: both divisions together
    assert "1 người / 3 biên chế" in html  # Phòng Công chức, viên chức (expanded under its parent)
    assert "Thành phố Huế" not in html


def test_the_top_units_are_expanded_and_deeper_ones_load_on_demand(world: World) -> None:
    deeper = create_unit(None, EVERYTHING, name="Tổ Hồ sơ", kind=OrgUnit.Kind.DIVISION, parent=world.phong_ccvc,
                         valid_from=dt.date(2025, 7, 1))
    client = client_for(world, "hr")
    html = client.get("/to-chuc/").content.decode()
    assert f'aria-controls="children-{world.so_noi_vu.pk}"' in html
    assert 'aria-expanded="true"' in html
    assert "Tổ Hồ sơ" not in html
    assert f'hx-get="/to-chuc/{world.phong_ccvc.pk}/con/' in html
    part = client.get(f"/to-chuc/{world.phong_ccvc.pk}/con/", HTTP_HX_REQUEST="true").content.decode()
    assert deeper.name in part
    assert "<html" not in part


def test_the_as_of_date_hides_units_that_did_not_exist_then(world: World) -> None:
    create_unit(None, EVERYTHING, name="Phòng Cải cách hành chính", kind=OrgUnit.Kind.DIVISION,
                parent=world.so_noi_vu, valid_from=dt.date(2026, 3, 1))
    client = client_for(world, "hr")
    assert "Phòng Cải cách hành chính" not in client.get("/to-chuc/", {"ngay": "28/02/2026"}).content.decode()
    assert "Phòng Cải cách hành chính" in client.get("/to-chuc/", {"ngay": "01/03/2026"}).content.decode()


def test_a_date_that_is_not_a_date_is_reported_and_today_is_shown(world: World) -> None:
    html = client_for(world, "hr").get("/to-chuc/", {"ngay": "31/02/2026"}).content.decode()
    assert "Không phải ngày hợp lệ: hãy nhập theo dạng dd/mm/yyyy" in html
    assert "Sở Nội vụ" in html


def test_the_unit_page_lists_positions_with_quota_filled_and_vacancies_and_the_people(world: World) -> None:
    html = client_for(world, "manager").get(f"/don-vi/{world.phong_ccvc.pk}/").content.decode()
    positions = html[html.index('id="h-positions"'):html.index('id="h-people"')]
    assert "Chuyên viên về công chức" in positions
    assert '<td data-label="Biên chế" class="num">3</td>' in positions
    assert '<td data-label="Đã bố trí" class="num">1</td>' in positions
    assert '<td data-label="Còn trống" class="num">2</td>' in positions
    people = html[html.index('id="h-people"'):]
    assert "Nguyễn Thị Thu Hà" in people
    assert "Chuyên viên" in people
    assert "01/01/2020" in people


def test_the_unit_page_as_of_a_day_before_someone_started_does_not_list_them(world: World) -> None:
    html = client_for(world, "hr").get(f"/don-vi/{world.phong_ccvc.pk}/", {"ngay": "31/12/2019"}).content.decode()
    assert "Nguyễn Thị Thu Hà" not in html


def test_home_counts_only_what_is_in_scope(world: World) -> None:
    hr = client_for(world, "hr").get("/").content.decode()
    admin = client_for(world, "admin").get("/").content.decode()
    assert '<div class="big">2</div><div class="label">Cán bộ, công chức, viên chức</div>' in hr
    assert '<div class="big">3</div><div class="label">Cán bộ, công chức, viên chức</div>' in admin
    assert '<div class="big">4</div><div class="label">Biên chế được giao</div>' in hr


def test_navigation_follows_the_role(world: World) -> None:
    staff = client_for(world, "staff").get("/").content.decode()
    hr = client_for(world, "hr").get("/").content.decode()
    admin = client_for(world, "admin").get("/").content.decode()
    assert "Hồ sơ của tôi" in staff
    assert "Nhập, xuất dữ liệu" not in staff
    assert "Quản trị hệ thống" not in staff
    assert "Nhập, xuất dữ liệu" in hr
    assert "Hồ sơ của tôi" not in hr
    assert "Quản trị hệ thống" in admin
    assert "Tổ chức cán bộ – Sở Nội vụ" in hr  # the role and where it applies, in the header
