"""Who may open which page, through the real middleware and views (Django test client).

404 means "not in your subtree" (indistinguishable from "does not exist"); 403 means "you can see it but
may not do this". People of ``build_world``: Hà (Phòng CCVC, the staff user's own record), Bình (Phòng
TCCB), Châu (Huế). Staff and manager sit on Phòng CCVC; head, HR and inspector on Sở Nội vụ (Hà Nội).
"""

from __future__ import annotations

import pytest
from django.test import Client

from congvu.access.access import MASK
from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from congvu.personnel.services import PersonInput, update_person
from tests.factories import EVERYTHING, World, build_world

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return build_world()


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def person(world: World, who: str) -> Person:
    return {"ha": world.ha, "binh": world.binh, "chau": world.outsider}[who]


READ_PERSON = [
    ("staff", "ha", 200), ("staff", "binh", 404), ("staff", "chau", 404),
    ("manager", "ha", 200), ("manager", "binh", 404), ("manager", "chau", 404),
    ("head", "binh", 200), ("head", "chau", 404),
    ("hr", "ha", 200), ("hr", "binh", 200), ("hr", "chau", 404),
    ("inspector", "binh", 200), ("inspector", "chau", 404),
    ("admin", "chau", 200),
]


@pytest.mark.parametrize(("role", "who", "status"), READ_PERSON)
def test_a_person_page_opens_only_inside_the_readers_subtree(world: World, role: str, who: str, status: int) -> None:
    response = client_for(world, role).get(f"/can-bo/{person(world, who).pk}/")
    assert response.status_code == status


def test_a_person_outside_the_subtree_looks_the_same_as_one_that_does_not_exist(world: World) -> None:
    client = client_for(world, "manager")
    outside = client.get(f"/can-bo/{world.outsider.pk}/")
    missing = client.get("/can-bo/999999/")
    assert outside.status_code == missing.status_code == 404
    assert world.outsider.full_name not in outside.content.decode()


EDIT_PERSON = [
    ("staff", "ha", 403),  # their own record: readable, not editable
    ("staff", "binh", 404),
    ("manager", "ha", 403),
    ("manager", "chau", 404),
    ("head", "binh", 403),
    ("inspector", "binh", 403),
    ("hr", "binh", 200),
    ("hr", "chau", 404),
    ("admin", "chau", 200),
]


@pytest.mark.parametrize(("role", "who", "status"), EDIT_PERSON)
def test_only_hr_and_admins_open_the_edit_page_and_only_inside_their_subtree(
    world: World, role: str, who: str, status: int
) -> None:
    assert client_for(world, role).get(f"/can-bo/{person(world, who).pk}/sua/").status_code == status


@pytest.mark.parametrize(("role", "who", "status"), [("staff", "ha", 403), ("manager", "chau", 404), ("head", "binh", 403)])
def test_a_refused_edit_changes_nothing(world: World, role: str, who: str, status: int) -> None:
    target = person(world, who)
    before = Person.objects.get(pk=target.pk)
    audit_rows = AuditEntry.objects.count()
    response = client_for(world, role).post(
        f"/can-bo/{target.pk}/sua/",
        {"family_name": "Phạm", "given_name": target.given_name, "sex": target.sex, "birth_year": target.birth_year,
         "category": target.category, "personal_id": target.personal_id, "insured_months": 0,
         "version": target.version, "reason": "thử"},
    )
    assert response.status_code == status
    after = Person.objects.get(pk=target.pk)
    assert (after.family_name, after.version) == (before.family_name, before.version)
    assert AuditEntry.objects.count() == audit_rows


UNIT_PAGES = [
    ("staff", "phong_ccvc", 200), ("staff", "phong_tccb", 404), ("staff", "so_noi_vu", 404), ("staff", "hue", 404),
    ("manager", "phong_ccvc", 200), ("manager", "so_noi_vu", 404),
    ("hr", "so_noi_vu", 200), ("hr", "phong_tccb", 200), ("hr", "ha_noi", 404), ("hr", "so_tai_chinh_hue", 404),
    ("admin", "so_tai_chinh_hue", 200),
]


@pytest.mark.parametrize(("role", "unit", "status"), UNIT_PAGES)
def test_a_unit_page_and_its_children_open_only_inside_the_subtree(world: World, role: str, unit: str, status: int) -> None:
    unit_id = getattr(world, unit).pk
    client = client_for(world, role)
    assert client.get(f"/don-vi/{unit_id}/").status_code == status
    assert client.get(f"/to-chuc/{unit_id}/con/", HTTP_HX_REQUEST="true").status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 403), ("manager", 403), ("head", 403), ("inspector", 403), ("hr", 200), ("admin", 200)],
)
def test_only_roles_that_write_people_may_import_or_export(world: World, role: str, status: int) -> None:
    client = client_for(world, role)
    assert client.get("/nhap-du-lieu/").status_code == status
    if status == 403:
        assert client.get("/xuat-du-lieu/?dinh_dang=csv").status_code == 403


@pytest.mark.parametrize(
    "url", ["/", "/to-chuc/", "/can-bo/", "/can-bo/1/", "/can-bo/1/sua/", "/don-vi/1/", "/nhap-du-lieu/", "/xuat-du-lieu/"]
)
def test_every_page_but_login_asks_an_anonymous_visitor_to_log_in(world: World, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_the_people_list_holds_only_people_in_the_subtree(world: World) -> None:
    names = {
        role: client_for(world, role).get("/can-bo/").content.decode()
        for role in ("staff", "manager", "hr", "admin")
    }
    assert "Nguyễn Thị Thu Hà" in names["staff"]
    assert "Trần Văn Bình" not in names["staff"]
    assert "Trần Văn Bình" not in names["manager"]
    assert "Trần Văn Bình" in names["hr"]
    assert "Lê Minh Châu" not in names["hr"]
    assert "Lê Minh Châu" in names["admin"]


def info_cell(html: str, cell_id: str) -> str:
    start = html.index(f'id="{cell_id}"')
    return html[start:html.index("</dd>", start)]


def test_a_manager_sees_identity_and_sensitive_fields_masked(world: World) -> None:
    html = client_for(world, "manager").get(f"/can-bo/{world.ha.pk}/").content.decode()
    assert world.ha.personal_id not in html
    assert "15/03/1985" not in html  # exact date of birth is identity data
    assert world.ha.personal_id[:3] + "•" in info_cell(html, "f-personal-id")
    for cell in ("f-ethnicity", "f-religion", "f-party"):
        assert MASK in info_cell(html, cell)
    assert "Kinh" not in html


def test_a_head_sees_identity_but_not_sensitive_fields(world: World) -> None:
    html = client_for(world, "head").get(f"/can-bo/{world.binh.pk}/").content.decode()
    assert world.binh.personal_id in info_cell(html, "f-personal-id")
    assert MASK in info_cell(html, "f-ethnicity")


def test_hr_sees_every_field(world: World) -> None:
    html = client_for(world, "hr").get(f"/can-bo/{world.binh.pk}/").content.decode()
    assert world.binh.personal_id in info_cell(html, "f-personal-id")
    assert "Kinh" in info_cell(html, "f-ethnicity")
    assert MASK not in html


@pytest.mark.parametrize(("role", "who", "status"), [
    ("manager", "ha", 404), ("staff", "ha", 200), ("head", "binh", 200), ("inspector", "binh", 200), ("hr", "binh", 200),
])
def test_the_history_tab_needs_the_audit_right_or_ones_own_record(world: World, role: str, who: str, status: int) -> None:
    client = client_for(world, role)
    response = client.get(f"/can-bo/{person(world, who).pk}/?tab=lich-su")
    assert response.status_code == status
    tabs = client.get(f"/can-bo/{person(world, who).pk}/").content.decode()
    assert ("?tab=lich-su" in tabs) == (status == 200)


def test_the_history_masks_values_the_reader_may_not_see(world: World) -> None:
    binh = world.binh
    update_person(
        world.users["hr"], EVERYTHING, binh.pk,
        PersonInput(personal_id=binh.personal_id, family_name=binh.family_name, middle_name=binh.middle_name,
                    given_name=binh.given_name, sex=binh.sex, birth_year=binh.birth_year, birth_date=binh.birth_date,
                    category=binh.category, ethnicity="Tày", religion="Phật giáo", party_member=True),
        expected_version=binh.version, reason="Cập nhật theo lý lịch 2026",
    )
    head = client_for(world, "head").get(f"/can-bo/{binh.pk}/?tab=lich-su").content.decode()
    assert "Tày" not in head
    assert "Phật giáo" not in head
    assert "Kinh" not in head
    assert MASK in head
    assert "Cập nhật theo lý lịch 2026" in head
    assert binh.personal_id in head  # the head may see identity data, so its history too
    hr = client_for(world, "hr").get(f"/can-bo/{binh.pk}/?tab=lich-su").content.decode()
    assert "Tày" in hr
    assert "Phật giáo" in hr
