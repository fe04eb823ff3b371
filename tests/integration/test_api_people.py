"""People: accent-insensitive search in Vietnamese order, masked reads, audited writes, optimistic locking."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest

from congvu.access.access import MASK
from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from congvu.personnel.services import add_discipline, add_leave, add_reward
from congvu.rules.personal_id import make_personal_id
from tests.factories import EVERYTHING, person
from tests.integration.api_support import FAST_HASHERS, Api

pytestmark = pytest.mark.django_db

SENSITIVE = ("ethnicity", "religion", "party_member", "party_joined_on")


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


def full_names(page: dict[str, Any]) -> list[str]:
    return [item["full_name"] for item in page["items"]]


def new_person_body(api: Api, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "personal_id": make_personal_id("001", "M", 1992, 900_001),
        "family_name": "Phạm", "middle_name": "Quốc", "given_name": "Khánh",
        "sex": "M", "birth_year": 1992, "birth_date": "1992-05-20", "category": "civil_servant",
        "ethnicity": "Tày", "religion": "Không",
        "employment": {"unit_id": api.world.phong_ccvc.pk, "start_date": "2026-01-05", "title": "Chuyên viên"},
        "reason": "Tuyển dụng theo Quyết định 5/QĐ-SNV",
    }
    return {**body, **changes}


# ---- search and lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["nguyen thi thu ha", "NGUYEN THU HA", "thu ha", "Nguyễn Thị Thu Hà", unicodedata.normalize("NFD", "thu hà")],
)
def test_search_without_accents_finds_the_name_with_accents(api: Api, query: str) -> None:
    assert full_names(api.json("hr", "/people", q=query)) == ["Nguyễn Thị Thu Hà"]


def test_search_needs_every_word(api: Api) -> None:
    assert api.json("hr", "/people", q="nguyen binh")["total"] == 0


def test_search_never_reaches_outside_the_subtree(api: Api) -> None:
    assert api.json("hr", "/people", q="le minh chau")["total"] == 0
    assert full_names(api.json("admin", "/people", q="le minh chau")) == ["Lê Minh Châu"]


def test_people_are_listed_in_vietnamese_order_by_given_name(api: Api) -> None:
    ccvc = api.world.phong_ccvc
    for full in (("Đỗ", "Văn", "Đức"), ("Vũ", "Thị", "Ánh"), ("Hoàng", "Văn", "Dũng"), ("Bùi", "Thị", "An")):
        person(full, ccvc)
    got = full_names(api.json("hr", "/people"))
    assert got == ["Bùi Thị An", "Vũ Thị Ánh", "Trần Văn Bình", "Hoàng Văn Dũng", "Đỗ Văn Đức", "Nguyễn Thị Thu Hà"]
    assert full_names(api.json("hr", "/people", order="-name")) == got[::-1]


def test_people_filter_by_unit_category_and_sex_and_sort_by_birth_year(api: Api) -> None:
    w = api.world
    person(("Vũ", "Thị", "Ánh"), w.phong_ccvc, birth_year=1970, category="public_employee")
    assert full_names(api.json("hr", "/people", unit=w.phong_tccb.pk)) == ["Trần Văn Bình"]
    assert full_names(api.json("hr", "/people", unit=w.so_noi_vu.pk, sex="M")) == ["Trần Văn Bình"]
    assert full_names(api.json("hr", "/people", category="public_employee")) == ["Vũ Thị Ánh"]
    assert full_names(api.json("hr", "/people", order="birth_year")) == [
        "Vũ Thị Ánh", "Trần Văn Bình", "Nguyễn Thị Thu Hà"]
    assert api.get("hr", "/people", sex="X").status_code == 422


def test_people_lists_are_paginated_with_a_total(api: Api) -> None:
    for given in ("An", "Bảo", "Cúc"):
        person(("Lý", "Thị", given), api.world.phong_ccvc)
    page = api.json("hr", "/people", limit=2, offset=2)
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert full_names(page) == ["Trần Văn Bình", "Lý Thị Cúc"]


def test_the_list_masks_the_personal_id_for_roles_without_the_identity_right(api: Api) -> None:
    real = api.world.ha.personal_id
    colleague = person(("Vũ", "Thị", "Ánh"), api.world.phong_ccvc)
    items = {i["id"]: i for i in api.json("manager", "/people")["items"]}
    assert items[colleague.pk]["personal_id"] != colleague.personal_id
    assert items[api.world.ha.pk]["personal_id"] != real
    assert {i["id"]: i["personal_id"] for i in api.json("hr", "/people")["items"]}[api.world.ha.pk] == real


# ---- one person ---------------------------------------------------------------------------------------


def test_a_person_comes_with_employments_disciplines_rewards_and_leaves(api: Api) -> None:
    ha = api.world.ha
    add_discipline(None, EVERYTHING, ha.pk, form="reprimand", decided_on=dt.date(2025, 3, 1),
                   effective_from=dt.date(2025, 3, 1), decision_number="7/QĐ-KL")
    add_reward(None, EVERYTHING, ha.pk, title="Chiến sĩ thi đua cơ sở", decided_on=dt.date(2024, 12, 20))
    add_leave(None, EVERYTHING, ha.pk, kind="sick", start_date=dt.date(2025, 5, 2), end_date=dt.date(2025, 5, 6))
    got = api.json("hr", f"/people/{ha.pk}")
    assert got["full_name"] == "Nguyễn Thị Thu Hà"
    assert got["current_unit"]["name"] == "Phòng Công chức, viên chức"
    assert [e["start_date"] for e in got["employments"]] == ["2020-01-01"]
    assert got["disciplines"][0]["form"] == "reprimand"
    assert got["rewards"][0]["title"] == "Chiến sĩ thi đua cơ sở"
    assert got["leaves"][0] == {"id": got["leaves"][0]["id"], "kind": "sick", "start_date": "2025-05-02",
                                "end_date": "2025-05-06", "note": ""}
    assert got["birth_date"] == "1985-03-15"
    assert got["masked"] == []


@pytest.mark.parametrize("role", ["manager", "head", "inspector"])
def test_sensitive_fields_are_masked_for_roles_without_the_right(api: Api, role: str) -> None:
    ha = api.world.ha
    Person.objects.filter(pk=ha.pk).update(religion="Phật giáo", ethnicity="Mường")
    response = api.get(role, f"/people/{ha.pk}")
    got = response.json()
    assert all(got[name] == MASK for name in SENSITIVE)
    assert set(SENSITIVE) <= set(got["masked"])
    assert b"Ph\\u1eadt gi\\u00e1o" not in response.content
    assert "Phật giáo".encode() not in response.content
    assert "Mường".encode() not in response.content


def test_staff_see_a_colleague_masked_but_their_own_record_in_full(api: Api) -> None:
    colleague = person(("Vũ", "Thị", "Ánh"), api.world.phong_ccvc, ethnicity="Mường", birth_date=dt.date(1985, 9, 2))
    other = api.json("staff", f"/people/{colleague.pk}")
    assert other["ethnicity"] == MASK
    assert other["personal_id"] != colleague.personal_id
    assert other["birth_date"] is None
    assert "birth_date" in other["masked"]
    own = api.json("staff", f"/people/{api.world.ha.pk}")
    assert (own["ethnicity"], own["religion"], own["party_member"]) == ("Kinh", "Không", True)
    assert own["personal_id"] == api.world.ha.personal_id
    assert own["masked"] == []


def test_hr_sees_sensitive_fields(api: Api) -> None:
    got = api.json("hr", f"/people/{api.world.binh.pk}")
    assert (got["ethnicity"], got["religion"], got["party_member"]) == ("Kinh", "Không", True)


def test_identity_fields_are_visible_to_head_and_inspector_but_not_to_a_manager(api: Api) -> None:
    ha = api.world.ha
    assert api.json("head", f"/people/{ha.pk}")["personal_id"] == ha.personal_id
    assert api.json("inspector", f"/people/{ha.pk}")["birth_date"] == "1985-03-15"
    manager = api.json("manager", f"/people/{ha.pk}")
    assert manager["personal_id"] != ha.personal_id
    assert manager["birth_date"] is None


# ---- writes -------------------------------------------------------------------------------------------


def test_hr_creates_a_person_in_nfc_and_the_creation_is_audited(api: Api) -> None:
    body = new_person_body(api, family_name=unicodedata.normalize("NFD", "Phạm"),
                           given_name=unicodedata.normalize("NFD", "Khánh"))
    response = api.call("hr", "post", "/people", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["full_name"] == "Phạm Quốc Khánh"
    assert created["employments"][0]["title"] == "Chuyên viên"
    stored = Person.objects.get(pk=created["id"])
    assert stored.family_name == unicodedata.normalize("NFC", "Phạm")
    assert stored.search_name == "pham quoc khanh"
    entry = AuditEntry.objects.get(object_type="person", object_id=str(stored.pk), action="create")
    assert (entry.actor, entry.before, entry.after["given_name"]) == (api.user("hr"), None, "Khánh")
    assert entry.reason == "Tuyển dụng theo Quyết định 5/QĐ-SNV"
    assert full_names(api.json("hr", "/people", q="pham quoc khanh")) == ["Phạm Quốc Khánh"]


def test_an_invalid_person_is_a_422_naming_each_field_and_nothing_is_saved(api: Api) -> None:
    body = new_person_body(api, personal_id="123", given_name="", birth_date="1991-05-20")
    response = api.call("hr", "post", "/people", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"personal_id", "given_name", "birth_date"} <= set(errors)
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
    assert not Person.objects.filter(family_name="Phạm").exists()
    assert not AuditEntry.objects.filter(actor=api.user("hr")).exists()


def test_a_malformed_body_is_a_422_with_the_nested_field_name(api: Api) -> None:
    body = new_person_body(api)
    body["employment"] = {"unit_id": api.world.phong_ccvc.pk, "start_date": "05/01/2026"}
    response = api.call("hr", "post", "/people", body)
    assert response.status_code == 422
    assert "employment.start_date" in response.json()["errors"]


def test_hr_edits_a_person_and_the_audit_keeps_what_changed(api: Api) -> None:
    binh = api.world.binh
    response = api.call("hr", "patch", f"/people/{binh.pk}",
                        {"version": binh.version, "religion": "Công giáo", "reason": "Cập nhật lý lịch"})
    assert response.status_code == 200, response.content
    assert response.json()["religion"] == "Công giáo"
    assert response.json()["version"] == binh.version + 1
    entry = AuditEntry.objects.get(object_type="person", object_id=str(binh.pk), action="update")
    assert (entry.before, entry.after) == ({"religion": "Không"}, {"religion": "Công giáo"})
    assert (entry.actor, entry.reason) == (api.user("hr"), "Cập nhật lý lịch")


def test_a_stale_version_gets_409_and_changes_nothing(api: Api) -> None:
    binh = api.world.binh
    first = api.call("hr", "patch", f"/people/{binh.pk}", {"version": binh.version, "religion": "Công giáo"})
    assert first.status_code == 200
    second = api.call("admin", "patch", f"/people/{binh.pk}", {"version": binh.version, "religion": "Phật giáo"})
    assert second.status_code == 409
    assert "__all__" in second.json()["errors"]
    binh.refresh_from_db()
    assert binh.religion == "Công giáo"
    assert AuditEntry.objects.filter(object_type="person", object_id=str(binh.pk), action="update").count() == 1


def test_a_patch_may_clear_a_nullable_field_but_not_a_required_one(api: Api) -> None:
    binh = api.world.binh
    cleared = api.call("hr", "patch", f"/people/{binh.pk}", {"version": binh.version, "party_member": None})
    assert cleared.status_code == 200
    assert cleared.json()["party_member"] is None
    refused = api.call("hr", "patch", f"/people/{binh.pk}", {"version": binh.version + 1, "family_name": None})
    assert refused.status_code == 422
    assert "family_name" in refused.json()["errors"]


def test_a_patch_without_a_version_is_a_422(api: Api) -> None:
    response = api.call("hr", "patch", f"/people/{api.world.binh.pk}", {"religion": "Công giáo"})
    assert response.status_code == 422
    assert "version" in response.json()["errors"]


# ---- history ------------------------------------------------------------------------------------------


def test_history_lists_the_audit_entries_newest_first(api: Api) -> None:
    binh = api.world.binh
    api.call("hr", "patch", f"/people/{binh.pk}", {"version": binh.version, "given_name": "Bính"})
    page = api.json("hr", f"/people/{binh.pk}/history")
    assert [(e["action"], e["object_type"]) for e in page["items"]] == [
        ("update", "person"), ("create", "employment"), ("create", "person")]
    latest = page["items"][0]
    assert (latest["before"]["given_name"], latest["after"]["given_name"]) == ("Bình", "Bính")
    assert latest["actor"] == "tccb"


def test_history_masks_sensitive_values_for_an_auditor_without_the_sensitive_right(api: Api) -> None:
    binh = api.world.binh
    api.call("hr", "patch", f"/people/{binh.pk}", {"version": binh.version, "religion": "Công giáo"})
    update = api.json("inspector", f"/people/{binh.pk}/history")["items"][0]
    assert (update["before"], update["after"]) == ({"religion": MASK}, {"religion": MASK})
    assert api.json("hr", f"/people/{binh.pk}/history")["items"][0]["after"] == {"religion": "Công giáo"}


def test_responses_are_utf8_json_with_text_in_nfc(api: Api) -> None:
    response = api.get("hr", f"/people/{api.world.ha.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Nguyễn Thị Thu Hà".encode() in response.content
    name = response.json()["full_name"]
    assert name == unicodedata.normalize("NFC", name)
