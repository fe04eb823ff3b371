"""/api/v1/reconciliation/…: runs and their records in the caller's subtree, decisions with their status codes,
identity masked for callers without the right to see it."""

from __future__ import annotations

from typing import Any

import pytest

from congvu.personnel.models import Person
from congvu.reconciliation.models import ReconciliationRecord
from tests.integration.api_support import FAST_HASHERS, Api
from tests.integration.reconciliation_support import load_results, queue_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings: Any) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return Api.for_new_world()


def loaded(api: Api) -> Any:
    return load_results(list(queue_world(api.world).values()))


def record_id(run: Any, person: Person) -> int:
    return ReconciliationRecord.objects.get(run=run, record_id=str(person.pk)).pk


def test_hr_lists_runs_with_the_rate_of_its_own_subtree(api: Api) -> None:
    run = loaded(api)
    body = api.json("hr", "/reconciliation/runs")
    assert body["total"] == 1
    item = body["items"][0]
    assert (item["id"], item["population_file"], item["dataset_version"]) == (run.pk, "dan-cu-thu-nghiem.parquet",
                                                                               "2026-11")
    assert item["rate"] == {"total": 2, "matched": 0, "accepted": 0, "fixed": 0, "rejected": 0, "pending": 2,
                            "percent": 0.0, "initial_percent": 0.0}
    assert api.json("admin", f"/reconciliation/runs/{run.pk}")["status_counts"]["NOT_FOUND"] == 1


def test_records_are_filtered_by_status_and_limited_to_the_subtree(api: Api) -> None:
    run = loaded(api)
    names = {r["full_name"] for r in api.json("hr", f"/reconciliation/runs/{run.pk}/records")["items"]}
    assert names == {"Nguyễn Thị Thu Hà", "Trần Văn Bình"}
    probable = api.json("hr", f"/reconciliation/runs/{run.pk}/records", status="PROBABLE")["items"]
    assert [r["full_name"] for r in probable] == ["Trần Văn Bình"]
    assert probable[0]["id_problems"] == ["belongs_to_other_person"]
    assert probable[0]["probability"] == 0.82
    hue = api.json("hue_hr", f"/reconciliation/runs/{run.pk}/records")["items"]
    assert [r["full_name"] for r in hue] == ["Lê Minh Châu"]
    assert api.get("hue_hr", f"/reconciliation/records/{record_id(run, api.world.ha)}").status_code == 404
    assert api.get("staff", "/reconciliation/runs").status_code == 403


def test_a_record_shows_the_evidence_and_the_proposed_correction(api: Api) -> None:
    run = loaded(api)
    body = api.json("hr", f"/reconciliation/records/{record_id(run, api.world.ha)}")
    assert body["differences"] == [{"field": "full_name", "kind": "diacritics"}]
    assert body["population"]["full_name"] == "Nguyễn Thị Thu Hạ"
    assert body["proposed"] == {"given_name": "Hạ"}


def test_hr_accepts_through_the_api_and_the_register_changes(api: Api) -> None:
    run = loaded(api)
    rid = record_id(run, api.world.ha)
    response = api.call("hr", "post", f"/reconciliation/records/{rid}/accept", {"reason": "Đã đối chiếu"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert Person.objects.get(pk=api.world.ha.pk).given_name == "Hạ"
    again = api.call("hr", "post", f"/reconciliation/records/{rid}/reject", {"reason": "muộn"})
    assert again.status_code == 422
    assert "đã được xử lý" in again.json()["errors"]["__all__"][0]


def test_readers_cannot_decide_and_a_missing_reason_is_a_422(api: Api) -> None:
    run = loaded(api)
    rid = record_id(run, api.world.binh)
    assert api.call("inspector", "post", f"/reconciliation/records/{rid}/reject", {"reason": "x"}).status_code == 403
    assert api.call("hue_hr", "post", f"/reconciliation/records/{rid}/reject", {"reason": "x"}).status_code == 404
    refused = api.call("hr", "post", f"/reconciliation/records/{rid}/send-to-unit", {"note": " "})
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["note"]
    sent = api.call("hr", "post", f"/reconciliation/records/{rid}/send-to-unit", {"note": "Kiểm tra căn cước"})
    assert sent.json()["state"] == "sent_to_unit"


def test_the_rate_over_time_of_a_unit(api: Api) -> None:
    run = loaded(api)
    api.call("hr", "post", f"/reconciliation/records/{record_id(run, api.world.ha)}/accept", {"reason": "Đúng"})
    points = api.json("hr", "/reconciliation/rates", unit=api.world.so_noi_vu.pk)
    assert [(p["kind"], p["clean"], p["total"], p["percent"]) for p in points] == [
        ("run", 0, 2, 0.0), ("resolved", 1, 2, 50.0)]
    assert api.get("hr", "/reconciliation/rates", unit=api.world.hue.pk).status_code == 404
