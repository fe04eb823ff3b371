"""POST /api/v1/people/{id}/employments, /disciplines, /rewards, /leaves: HR adds records, audited; 404 out
of reach, 403 without the right, 422 with field errors and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from congvu.access.tokens import create_token
from congvu.core.models import AuditEntry
from congvu.org.models import Rank
from congvu.personnel.models import Discipline, Employment, Leave, Person, Reward
from congvu.personnel.services import add_leave
from tests.factories import EVERYTHING
from tests.integration.api_support import FAST_HASHERS, Api
from tests.integration.records_support import (
    TRANSFER_DAY,
    new_manager,
    position,
    today,
    with_ranks,
    written_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


@pytest.fixture
def ranks(api: Api) -> dict[str, Rank]:
    return with_ranks()


def transfer(api: Api, ranks: dict[str, Rank], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_id": api.world.phong_ccvc.pk, "start_date": TRANSFER_DAY.isoformat(), "title": "Chuyên viên",
        "rank_id": ranks["01.003"].pk, "salary_step": 4, "step_since": "2025-01-01", "percent_allowances": "25",
        "decision_number": "25/QĐ-SNV", "end_reason": "Điều động", "reason": "Điều động theo Quyết định 25/QĐ-SNV",
    }
    return {**body, **changes}


DISCIPLINE = {"form": "reprimand", "decided_on": "2025-05-02", "effective_from": "2025-05-02",
              "decision_number": "12/QĐ-SNV", "reason": "Chậm nộp báo cáo"}
REWARD = {"title": "Chiến sĩ thi đua cơ sở", "level": "cơ sở", "decided_on": "2025-12-20"}
LEAVE = {"kind": "maternity", "start_date": "2026-03-01", "end_date": "2026-08-31", "note": "Sinh con thứ hai"}


def test_hr_transfers_a_person_the_old_spell_ends_the_day_before_and_both_writes_are_audited(
    api: Api, ranks: dict[str, Rank]
) -> None:
    binh = api.world.binh
    response = api.call("hr", "post", f"/people/{binh.pk}/employments", transfer(api, ranks))
    assert response.status_code == 201, response.content
    got = response.json()
    assert (got["unit"]["name"], got["start_date"], got["end_date"]) == ("Phòng Công chức, viên chức", "2026-02-01", None)
    assert (got["rank"]["code"], got["salary_step"], got["percent_allowances"]) == ("01.003", 4, "25.00")

    old = Employment.objects.get(person=binh, start_date=dt.date(2020, 1, 1))
    assert (old.end_date, old.end_reason) == (dt.date(2026, 1, 31), "Điều động")
    moved = Person.objects.get(pk=binh.pk)
    assert (moved.current_unit_id, moved.org_path) == (api.world.phong_ccvc.pk, api.world.phong_ccvc.path)
    entries = AuditEntry.objects.filter(subject_person_id=binh.pk, object_type="employment", actor=api.user("hr"))
    assert sorted(e.action for e in entries) == ["create", "update"]
    assert {e.reason for e in entries} == {"Điều động theo Quyết định 25/QĐ-SNV"}
    assert [e["start_date"] for e in api.json("hr", f"/people/{binh.pk}")["employments"]] == ["2026-02-01", "2020-01-01"]


def test_after_a_transfer_the_old_units_manager_gets_404_and_the_new_units_manager_reads_the_person(
    api: Api, ranks: dict[str, Rank]
) -> None:
    api.tokens["new_manager"] = create_token(None, new_manager(api.world)).token
    ha = api.world.ha
    assert api.get("manager", f"/people/{ha.pk}").status_code == 200
    assert api.get("new_manager", f"/people/{ha.pk}").status_code == 404
    body = transfer(api, ranks, unit_id=api.world.phong_tccb.pk)
    assert api.call("hr", "post", f"/people/{ha.pk}/employments", body).status_code == 201
    assert api.get("manager", f"/people/{ha.pk}").status_code == 404
    assert api.get("new_manager", f"/people/{ha.pk}").status_code == 200
    assert [p["full_name"] for p in api.json("new_manager", "/people")["items"]] == ["Trần Văn Bình", "Nguyễn Thị Thu Hà"]


@pytest.mark.parametrize(("path", "body", "model"), [
    ("disciplines", DISCIPLINE, Discipline), ("rewards", REWARD, Reward), ("leaves", LEAVE, Leave),
])
def test_hr_adds_a_discipline_a_reward_or_a_leave_and_it_is_audited(
    api: Api, path: str, body: dict[str, Any], model: Any
) -> None:
    binh = api.world.binh
    response = api.call("hr", "post", f"/people/{binh.pk}/{path}", body)
    assert response.status_code == 201, response.content
    got = response.json()
    assert {k: got[k] for k in body} == body
    row = model.objects.get(person=binh)
    entry = AuditEntry.objects.get(object_type=model._meta.model_name, object_id=str(row.pk))
    assert (entry.subject_person_id, entry.action, entry.actor) == (binh.pk, "create", api.user("hr"))
    assert entry.org_path == binh.org_path
    if path == "disciplines":
        assert entry.reason == "Chậm nộp báo cáo"


POSTS = {
    "employments": lambda api, ranks: transfer(api, ranks),
    "disciplines": lambda api, ranks: DISCIPLINE,
    "rewards": lambda api, ranks: REWARD,
    "leaves": lambda api, ranks: LEAVE,
}


@pytest.mark.parametrize("path", list(POSTS))
@pytest.mark.parametrize(("role", "who", "status"), [
    ("manager", "ha", 403), ("head", "binh", 403), ("inspector", "binh", 403), ("staff", "ha", 403),
    ("hue_hr", "binh", 404), ("manager", "outsider", 404), (None, "binh", 401),
])
def test_a_caller_without_the_right_gets_403_or_404_and_nothing_is_written(
    api: Api, ranks: dict[str, Rank], path: str, role: str | None, who: str, status: int
) -> None:
    target = getattr(api.world, who)
    before = written_rows()
    response = api.call(role, "post", f"/people/{target.pk}/{path}", POSTS[path](api, ranks))
    assert response.status_code == status
    assert set(response.json()) == {"detail"}
    assert written_rows() == before


def test_a_person_that_does_not_exist_is_404_like_one_out_of_reach(api: Api) -> None:
    assert api.call("hr", "post", "/people/999999/rewards", REWARD).status_code == 404


INVALID_TRANSFERS = [
    ({"salary_step": 12}, {"salary_step": ["Bậc 12 không có trong nhóm lương A1."]}),
    ({"rank_id": None}, {"rank_id": ["Chọn ngạch để xác định bậc lương."]}),
    ({"start_date": "2020-01-01"},
     {"start_date": ["Ngày bắt đầu phải sau ngày bắt đầu của quá trình công tác hiện tại (01/01/2020)."]}),
    ({"reason": "  "}, {"reason": ["Không được để trống."]}),
    ({"start_date": "01/02/2026"}, {"start_date": ["Ngày không hợp lệ (dạng YYYY-MM-DD)."]}),
    ({"position_allowance": "-0.1"}, {"position_allowance": ["Hệ số phụ cấp chức vụ không được âm."]}),
    ({"percent_allowances": "1000"}, {"percent_allowances": ["Phụ cấp theo % tối đa 999,99 (2 chữ số thập phân)."]}),
]


@pytest.mark.parametrize(("changes", "errors"), INVALID_TRANSFERS)
def test_an_invalid_transfer_is_a_422_naming_the_field_and_nothing_is_written(
    api: Api, ranks: dict[str, Rank], changes: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = written_rows()
    response = api.call("hr", "post", f"/people/{api.world.binh.pk}/employments", transfer(api, ranks, **changes))
    assert response.status_code == 422
    assert response.json() == {"errors": errors}
    assert written_rows() == before
    assert Person.objects.get(pk=api.world.binh.pk).current_unit == api.world.phong_tccb


@pytest.mark.parametrize("unit", ["so_tai_chinh_hue", None])
def test_a_unit_out_of_reach_or_missing_is_the_same_422_on_unit_id(api: Api, ranks: dict[str, Rank], unit: str | None) -> None:
    unit_id = getattr(api.world, unit).pk if unit else 999999
    response = api.call("hr", "post", f"/people/{api.world.binh.pk}/employments", transfer(api, ranks, unit_id=unit_id))
    assert response.status_code == 422
    assert response.json() == {"errors": {"unit_id": ["Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."]}}


def test_a_position_of_another_unit_is_refused_on_position_id(api: Api, ranks: dict[str, Rank]) -> None:
    elsewhere = position(api.world, "tccb", "Chuyên viên tổ chức bộ máy")
    body = transfer(api, ranks, position_id=elsewhere.pk)
    response = api.call("hr", "post", f"/people/{api.world.binh.pk}/employments", body)
    assert response.status_code == 422
    assert response.json() == {"errors": {"position_id": ["Vị trí việc làm không thuộc đơn vị này."]}}


def test_a_position_of_the_unit_is_kept_on_the_new_spell(api: Api, ranks: dict[str, Rank]) -> None:
    post = position(api.world, "ccvc", "Chuyên viên quản lý công chức")
    body = transfer(api, ranks, position_id=post.pk)
    got = api.call("hr", "post", f"/people/{api.world.binh.pk}/employments", body).json()
    assert got["position"] == {"id": post.pk, "name": "Chuyên viên quản lý công chức"}


def test_a_discipline_in_the_future_or_without_reason_is_a_422_and_nothing_is_written(api: Api) -> None:
    before = written_rows()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    future = api.call("hr", "post", f"/people/{api.world.binh.pk}/disciplines",
                      {**DISCIPLINE, "decided_on": tomorrow, "effective_from": tomorrow})
    assert future.status_code == 422
    assert future.json() == {"errors": {"decided_on": ["Ngày quyết định không được sau ngày hôm nay: chỉ ghi quyết định đã ký."]}}
    blank = api.call("hr", "post", f"/people/{api.world.binh.pk}/disciplines", {**DISCIPLINE, "reason": ""})
    assert blank.json() == {"errors": {"reason": ["Không được để trống."]}}
    unknown = api.call("hr", "post", f"/people/{api.world.binh.pk}/disciplines", {**DISCIPLINE, "form": "exile"})
    assert list(unknown.json()["errors"]) == ["form"]
    assert written_rows() == before


def test_an_overlapping_leave_is_a_422_and_nothing_is_written(api: Api) -> None:
    add_leave(None, EVERYTHING, api.world.binh.pk, kind="sick", start_date=dt.date(2026, 8, 30),
              end_date=dt.date(2026, 9, 2))
    before = written_rows()
    response = api.call("hr", "post", f"/people/{api.world.binh.pk}/leaves", LEAVE)
    assert response.status_code == 422
    assert response.json() == {"errors": {"start_date": ["Trùng với thời gian nghỉ đã ghi (30/08/2026 – 02/09/2026)."]}}
    assert written_rows() == before


def test_a_reward_without_title_is_a_422(api: Api) -> None:
    response = api.call("hr", "post", f"/people/{api.world.binh.pk}/rewards", {**REWARD, "title": " "})
    assert response.json() == {"errors": {"title": ["Không được để trống."]}}


def test_the_new_endpoints_are_in_the_openapi_document(api: Api) -> None:
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("employments", "disciplines", "rewards", "leaves"):
        post = paths[f"/api/v1/people/{{person_id}}/{path}"]["post"]
        assert {"201", "403", "404", "422"} <= set(post["responses"])
