"""The people list (search, sort, filter, pages, htmx), the person page's tabs and the edit page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from congvu.personnel.services import add_discipline, add_leave, add_reward
from tests.factories import EVERYTHING, World, build_world, person

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return build_world()


@pytest.fixture
def hr(world: World) -> Client:
    client = Client()
    client.force_login(world.users["hr"])
    return client


def names_in(html: str) -> list[str]:
    """Names in the results table, in order."""
    table = html[html.index('id="people-table"'):]
    return re.findall(r'<a href="/can-bo/\d+/">([^<]+)</a>', table)


# ---- search -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["nguyen thi thu ha", "Nguyễn Thị Thu Hà", "NGUYEN ha", "ha nguyen", "thu"])
def test_searching_without_accents_finds_the_accented_name(world: World, hr: Client, query: str) -> None:
    found = names_in(hr.get("/can-bo/", {"q": query}).content.decode())
    assert found == ["Nguyễn Thị Thu Hà"]


def test_every_word_of_the_search_must_match(world: World, hr: Client) -> None:
    assert names_in(hr.get("/can-bo/", {"q": "nguyen binh"}).content.decode()) == []
    assert "Không tìm thấy ai" in hr.get("/can-bo/", {"q": "nguyen binh"}).content.decode()


def test_d_with_stroke_is_found_by_a_plain_d(world: World, hr: Client) -> None:
    person(("Đặng", "Đình", "Đức"), world.phong_tccb, sex="M")
    assert names_in(hr.get("/can-bo/", {"q": "dang dinh duc"}).content.decode()) == ["Đặng Đình Đức"]


def test_an_htmx_search_returns_only_the_results_and_says_so_to_caches(world: World, hr: Client) -> None:
    response = hr.get("/can-bo/", {"q": "binh"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="people-table"' in html
    assert names_in(html) == ["Trần Văn Bình"]
    assert "HX-Request" in response["Vary"]
    assert 'id="sort-input"' in html
    assert 'hx-swap-oob="true"' in html


# ---- sort, filter, pages ------------------------------------------------------------------------------


@pytest.fixture
def crowd(world: World) -> World:
    """Names that only sort right by tên, then chữ đệm, then họ, with Vietnamese letter order."""
    for full, sex in [
        (("Lê", "Văn", "Bình"), "M"),
        (("Phạm", "Thị", "Ánh"), "F"),
        (("Võ", "", "An"), "M"),
        (("Bùi", "Thị", "Anh"), "F"),
        (("Đỗ", "Minh", "Đạt"), "M"),
        (("Hoàng", "Văn", "Dũng"), "M"),
    ]:
        person(full, world.phong_tccb, sex=sex)
    return world


def test_people_are_sorted_by_given_then_middle_then_family_name(crowd: World, hr: Client) -> None:
    assert names_in(hr.get("/can-bo/").content.decode()) == [
        "Võ An", "Bùi Thị Anh", "Phạm Thị Ánh", "Lê Văn Bình", "Trần Văn Bình", "Hoàng Văn Dũng", "Đỗ Minh Đạt",
        "Nguyễn Thị Thu Hà",
    ]


def test_the_name_column_sorts_both_ways_and_marks_the_order(crowd: World, hr: Client) -> None:
    html = hr.get("/can-bo/", {"sap_xep": "-ten"}).content.decode()
    assert names_in(html)[:2] == ["Nguyễn Thị Thu Hà", "Đỗ Minh Đạt"]
    assert 'aria-sort="descending"' in html


def test_filters_by_sex_category_and_unit_combine(crowd: World, hr: Client) -> None:
    women = names_in(hr.get("/can-bo/", {"gioi_tinh": "F"}).content.decode())
    assert set(women) == {"Bùi Thị Anh", "Phạm Thị Ánh", "Nguyễn Thị Thu Hà"}
    in_ccvc = names_in(hr.get("/can-bo/", {"don_vi": crowd.phong_ccvc.pk}).content.decode())
    assert in_ccvc == ["Nguyễn Thị Thu Hà"]
    assert names_in(hr.get("/can-bo/", {"loai": "cadre"}).content.decode()) == []


def test_a_unit_outside_the_subtree_filters_to_nobody(crowd: World, hr: Client) -> None:
    response = hr.get("/can-bo/", {"don_vi": crowd.so_tai_chinh_hue.pk})
    assert names_in(response.content.decode()) == []


def test_the_list_is_paginated_on_the_server(world: World, hr: Client) -> None:
    for i in range(30):
        person(("Trịnh", "Văn", f"Khải{i:02d}"), world.phong_tccb, sex="M")
    first = hr.get("/can-bo/").content.decode()
    second = hr.get("/can-bo/", {"trang": 2}).content.decode()
    assert len(names_in(first)) == 25
    assert len(names_in(second)) == 7
    assert "Hiển thị 1–25 trên tổng số 32" in first
    assert "Trang 2/2" in second
    assert not set(names_in(first)) & set(names_in(second))


# ---- person page --------------------------------------------------------------------------------------


def test_each_tab_lists_its_records_with_vietnamese_dates(world: World, hr: Client) -> None:
    import datetime as dt

    add_discipline(None, EVERYTHING, world.binh.pk, form="reprimand", decided_on=dt.date(2024, 5, 2),
                   effective_from=dt.date(2024, 5, 2), decision_number="12/QĐ-SNV", reason="Chậm nộp báo cáo")
    add_reward(None, EVERYTHING, world.binh.pk, title="Chiến sĩ thi đua cơ sở", decided_on=dt.date(2023, 12, 20))
    add_leave(None, EVERYTHING, world.binh.pk, kind="sick", start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 7))
    url = f"/can-bo/{world.binh.pk}/"
    assert "Khiển trách" in (d := hr.get(url, {"tab": "ky-luat"}).content.decode())
    assert "02/05/2024" in d
    assert "Chiến sĩ thi đua cơ sở" in (r := hr.get(url, {"tab": "khen-thuong"}).content.decode())
    assert "20/12/2023" in r
    assert "Ốm đau" in (lv := hr.get(url, {"tab": "nghi"}).content.decode())
    assert "07/03/2025" in lv
    work = hr.get(url, {"tab": "cong-tac"}).content.decode()
    assert "Phòng Tổ chức cán bộ" in work
    assert "01/01/2020" in work
    assert "hiện nay" in work


def test_a_tab_asked_for_by_htmx_comes_without_the_page_around_it(world: World, hr: Client) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/", {"tab": "cong-tac"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert 'aria-current="page" data-tab="cong-tac"' in html


def test_an_unknown_tab_is_not_found(world: World, hr: Client) -> None:
    assert hr.get(f"/can-bo/{world.binh.pk}/", {"tab": "khac"}).status_code == 404


def test_the_breadcrumb_shows_the_org_path_and_links_only_what_the_reader_may_open(world: World, hr: Client) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/").content.decode()
    crumbs = html[html.index('class="crumbs"'):html.index("</nav>", html.index('class="crumbs"'))]
    assert "<span>Thành phố Hà Nội</span>" in crumbs  # above the HR user's reach: text only
    assert f'href="/don-vi/{world.so_noi_vu.pk}/"' in crumbs
    assert f'href="/don-vi/{world.phong_tccb.pk}/"' in crumbs
    assert "Trần Văn Bình" in crumbs


# ---- edit ---------------------------------------------------------------------------------------------


def form_data(p: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "family_name": p.family_name, "middle_name": p.middle_name, "given_name": p.given_name, "sex": p.sex,
        "birth_date": p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "", "birth_year": p.birth_year,
        "category": p.category, "personal_id": p.personal_id, "old_id": p.old_id, "ethnicity": p.ethnicity,
        "religion": p.religion, "party_member": "1" if p.party_member else "0", "party_joined_on": "",
        "education_level": p.education_level, "political_theory_level": p.political_theory_level,
        "insured_months": p.insured_months, "version": p.version, "reason": "Sửa theo quyết định 15/QĐ-SNV",
    }
    data.update(changes)
    return data


def test_an_edit_is_saved_with_its_reason_and_shows_in_the_history(world: World, hr: Client) -> None:
    binh = world.binh
    response = hr.post(f"/can-bo/{binh.pk}/sua/", form_data(binh, middle_name="Văn Quốc", insured_months=240))
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/{binh.pk}/"
    saved = Person.objects.get(pk=binh.pk)
    assert saved.full_name == "Trần Văn Quốc Bình"
    assert saved.insured_months == 240
    entry = AuditEntry.objects.filter(subject_person_id=binh.pk, action="update").get()
    assert entry.reason == "Sửa theo quyết định 15/QĐ-SNV"
    assert entry.actor_label == "tccb"
    history = hr.get(f"/can-bo/{binh.pk}/", {"tab": "lich-su"}).content.decode()
    assert "Sửa theo quyết định 15/QĐ-SNV" in history
    assert "<del>Văn</del> → <ins>Văn Quốc</ins>" in history
    assert "<ins>240</ins>" in history
    assert "tccb" in history


def test_a_save_based_on_an_old_version_is_refused_with_a_clear_message(world: World, hr: Client) -> None:
    binh = world.binh
    stale = form_data(binh, given_name="Bính")
    assert hr.post(f"/can-bo/{binh.pk}/sua/", form_data(binh, middle_name="Văn Quốc")).status_code == 302
    response = hr.post(f"/can-bo/{binh.pk}/sua/", stale)
    assert response.status_code == 400
    assert "Hồ sơ vừa được người khác cập nhật" in response.content.decode()
    assert Person.objects.get(pk=binh.pk).full_name == "Trần Văn Quốc Bình"


def test_invalid_fields_are_reported_next_to_the_field_in_vietnamese(world: World, hr: Client) -> None:
    binh = world.binh
    response = hr.post(f"/can-bo/{binh.pk}/sua/", form_data(
        binh, family_name="", birth_date="31/02/1979", reason="",
    ))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_family_name_error"' in html
    assert "Trường này là bắt buộc." in html
    assert "Không phải ngày hợp lệ: hãy nhập theo dạng dd/mm/yyyy" in html
    assert 'id="id_reason_error"' in html
    assert Person.objects.get(pk=binh.pk).version == binh.version


def test_a_personal_id_that_breaks_the_rules_is_refused_by_the_service_and_shown_on_its_field(
    world: World, hr: Client
) -> None:
    binh = world.binh
    response = hr.post(f"/can-bo/{binh.pk}/sua/", form_data(binh, personal_id="12345"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_personal_id_error"' in html
    assert Person.objects.get(pk=binh.pk).personal_id == binh.personal_id


def test_the_edit_form_shows_dates_day_first(world: World, hr: Client) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/sua/").content.decode()
    assert 'value="15/03/1979"' in html
    assert f'name="version" value="{world.binh.version}"' in html


@pytest.mark.parametrize("url", ["/can-bo/", "/can-bo/?q=trinh", "/", "/to-chuc/"])
def test_pages_cost_the_same_number_of_queries_for_5_or_25_people(
    world: World, hr: Client, url: str, django_assert_num_queries: Any
) -> None:
    for i in range(3):
        person(("Trịnh", "Văn", f"Khải{i:02d}"), world.phong_tccb, sex="M")
    with CaptureQueriesContext(connection) as few:
        hr.get(url)
    for i in range(3, 23):
        person(("Trịnh", "Văn", f"Khải{i:02d}"), world.phong_tccb, sex="M")
    with django_assert_num_queries(len(few)):
        hr.get(url)
