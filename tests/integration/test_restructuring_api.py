"""/api/v1/restructuring/…: plans with their impact, events, commit and undo, redeployment runs and proposals with
the evidence, accept and reject, the report; the same rights as the pages (404 out of reach, 403 without
RESTRUCTURE, 422 with the field when refused). Scenario: tests/integration/test_restructuring_pages.py."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from congvu.access.tokens import create_token
from congvu.personnel.models import Employment
from congvu.restructuring.models import Plan, Proposal
from tests.integration.test_restructuring_pages import (
    EFFECTIVE,
    NEW_NAME,
    Scenario,
    build_restructuring,
    merger_spec,
    record_history,
)

pytestmark = pytest.mark.django_db


class Caller:
    def __init__(self, s: Scenario, who: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {create_token(None, s.world.users[who]).token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1/restructuring" + path, params, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post("/api/v1/restructuring" + path, data=json.dumps(body or {}),
                                content_type="application/json", headers=self.headers)


@pytest.fixture
def s() -> Scenario:
    return build_restructuring()


def plan_with_merger(s: Scenario, hr: Caller) -> int:
    created = hr.post("/plans", {"name": "Phương án API", "scope_unit": s.world.ha_noi.pk})
    assert created.status_code == 201, created.content
    plan_id = int(created.json()["id"])
    added = hr.post(f"/plans/{plan_id}/events", {
        "kind": "merge", "effective_date": EFFECTIVE.isoformat(), "decision_number": "15/QĐ-UBND",
        "decision_date": (EFFECTIVE - dt.timedelta(days=10)).isoformat(), "spec": merger_spec(s)})
    assert added.status_code == 201, added.content
    return plan_id


def test_hr_drafts_a_plan_reads_its_impact_commits_and_undoes_it(s: Scenario) -> None:
    hr = Caller(s, "hr_tinh")
    plan_id = plan_with_merger(s, hr)
    detail = hr.get(f"/plans/{plan_id}").json()
    assert detail["status"] == "draft"
    assert detail["event_list"][0]["effective_date"] == EFFECTIVE.isoformat()
    assert detail["impact"]["totals"]["headcount_before"] == 3
    assert any(u["name"] == NEW_NAME for u in detail["impact"]["units"])
    assert len(detail["impact"]["moves"]) == 3
    assert hr.post(f"/plans/{plan_id}/commit").json()["status"] == "committed"
    assert hr.post(f"/plans/{plan_id}/undo", {"reason": ""}).status_code == 422
    undone = hr.post(f"/plans/{plan_id}/undo", {"reason": "Chờ ý kiến"})
    assert undone.status_code == 200
    assert undone.json()["status"] == "undone"


def test_a_bad_event_answers_422_naming_the_field_and_adds_nothing(s: Scenario) -> None:
    hr = Caller(s, "hr_tinh")
    plan_id = int(hr.post("/plans", {"name": "X", "scope_unit": s.world.ha_noi.pk}).json()["id"])
    refused = hr.post(f"/plans/{plan_id}/events", {
        "kind": "merge", "effective_date": EFFECTIVE.isoformat(), "decision_number": "1/QĐ",
        "decision_date": EFFECTIVE.isoformat(), "spec": {"sources": [999999], "target": {"existing_id": 1}}})
    assert refused.status_code == 422
    assert refused.json()["errors"]
    assert Plan.objects.get(pk=plan_id).events.count() == 0


def test_out_of_reach_is_404_and_readers_without_the_right_to_restructure_get_403(s: Scenario) -> None:
    plan = record_history(s)
    assert Caller(s, "hr_hue").get(f"/plans/{plan.pk}").status_code == 404
    assert Caller(s, "hr_hue").get(f"/events/{plan.events.get().pk}").status_code == 404
    inspector = Caller(s, "inspector")
    event = inspector.get(f"/events/{plan.events.get().pk}").json()
    assert event["effective_date"] == "2025-07-01"
    assert len(event["successions"]) == 2
    assert inspector.post("/plans", {"name": "Y", "scope_unit": s.world.so_noi_vu.pk}).status_code == 403
    listed = inspector.get("/events", kind="merge", start="2025-01-01").json()
    assert listed["total"] == 1
    assert listed["items"][0]["decision_number"] == "99/QĐ-UBND"


def test_a_run_proposes_the_vacant_seat_with_evidence_and_accept_moves_the_person(s: Scenario) -> None:
    hr = Caller(s, "hr_tinh")
    plan_id = plan_with_merger(s, hr)
    hr.post(f"/plans/{plan_id}/commit")
    run = hr.post("/runs", {"scope_unit": s.world.ha_noi.pk, "as_of": EFFECTIVE.isoformat()})
    assert run.status_code == 201, run.content
    items = hr.get(f"/runs/{run.json()['id']}/proposals").json()["items"]
    assert len(items) == 1
    assert items[0]["to_position"] == s.positions["van_thu"].pk
    detail = hr.get(f"/proposals/{items[0]['id']}").json()
    assert {p["key"] for p in detail["evidence"]["parts"]} >= {"rank", "level"}
    assert all(c["ok"] for c in detail["evidence"]["constraints"])
    assert Caller(s, "head").post(f"/proposals/{items[0]['id']}/reject", {"reason": "x"}).status_code == 403
    day = (EFFECTIVE + dt.timedelta(days=1)).isoformat()
    accepted = hr.post(f"/proposals/{items[0]['id']}/accept", {"decision_number": "21/QĐ-SNV", "effective_date": day})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == Proposal.Status.ACCEPTED
    assert Employment.objects.filter(person_id=items[0]["person"], start_date=day, decision_number="21/QĐ-SNV").exists()


def test_the_report_answers_json_with_iso_dates(s: Scenario) -> None:
    record_history(s)
    r = Caller(s, "hr_tinh").get("/reports", unit=s.world.ha_noi.pk, start="2025-01-01", end="2025-12-31")
    assert r.status_code == 200
    data = r.json()
    assert data["start"] == "2025-01-01"
    assert data["removed"]["total"]["net"] == 1
    assert data["staffing"]["before_day"] == "2024-12-31"
    assert Caller(s, "hr_hue").get("/reports", unit=s.world.ha_noi.pk, start="2025-01-01",
                                   end="2025-12-31").status_code == 404
