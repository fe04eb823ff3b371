"""/api/v1/evaluation/…: periods, sheets with the steps of their score, annual runs and results with their
explanation; the page permissions (404 out of the subtree, own results once published); ISO dates and
decimals as strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congvu.access.models import Role
from congvu.access.tokens import create_token
from congvu.evaluation import annual, work
from congvu.evaluation.models import AnnualResult, Sheet
from tests.factories import user
from tests.integration.api_support import FAST_HASHERS, Api
from tests.integration.evaluation_annual_support import YearWorld, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def api_for(yw: YearWorld) -> Api:
    yw.world.users["hue_hr"] = user("tccb_hue", Role.HR, yw.world.hue)
    api = Api(yw.world)
    api.tokens = {role: create_token(None, u).token for role, u in yw.world.users.items()}
    return api


@pytest.fixture
def year() -> tuple[YearWorld, Api]:
    yw = build_year()
    return yw, api_for(yw)


def test_hr_lists_the_twelve_periods_of_the_agency_with_iso_dates(year):
    yw, api = year
    body = api.json("hr", "/evaluation/periods", agency=yw.agency.pk, year=2026)
    assert body["total"] == 12
    first = body["items"][0]
    assert (first["code"], first["label"], first["start"], first["end"], first["kind"]) == (
        "2026-01", "01/2026", "2026-01-01", "2026-01-31", "month")
    assert first["rule_set_id"] == "nd335_2025.v1"


def test_the_periods_of_an_agency_outside_the_subtree_are_not_found(year):
    yw, api = year
    assert api.get("hue_hr", "/evaluation/periods", agency=yw.agency.pk).status_code == 404
    assert api.get("hr", "/evaluation/periods", agency=999999).status_code == 404


def test_a_sheet_in_the_list_carries_the_steps_that_give_its_stored_total(year):
    yw, api = year
    sheet = yw.january
    body = api.json("manager", "/evaluation/sheets", period=sheet.period_id, unit=yw.world.phong_ccvc.pk)
    assert body["total"] == 7  # everyone of the division but Giang, who came in April
    body = api.json("manager", "/evaluation/sheets", period=sheet.period_id, person=yw.world.ha.pk)
    assert body["total"] == 1
    item = body["items"][0]
    assert item["person"] == {"id": yw.world.ha.pk, "full_name": "Nguyễn Thị Thu Hà"}
    assert item["total"] == f"{sheet.total:.2f}"
    assert item["status"] == "published"
    steps = {s["key"]: s for s in item["explanation"]}
    assert steps["total"]["value"] == item["total"]
    assert steps["quantity_pct"]["value"] == item["quantity_pct"]
    assert "Điều 14" in steps["quality_pct"]["article"]
    assert steps["lines[0]"]["formula"].startswith("k·q = 1.5 × 4 = 6;")


def test_one_sheet_has_its_task_lines_and_the_same_steps_as_the_service_explanation(year):
    yw, api = year
    sheet = yw.january
    body = api.json("head", f"/evaluation/sheets/{sheet.pk}")
    assert [line["label"] for line in body["lines"]] == ["Báo cáo tổng hợp tình hình đội ngũ công chức",
                                                         "Văn bản trả lời kiến nghị của công dân"]
    assert body["lines"][0]["coefficient"] == "1.5000"
    assert body["lines"][0]["errors"] == 1
    expected = work.explain(Sheet.objects.get(pk=sheet.pk))
    assert [(s["key"], s["formula"], s["value"]) for s in body["explanation"]] == [
        (s.key, s.formula, s.value) for s in expected.steps]


def test_a_civil_servant_sees_only_their_own_sheets(year):
    yw, api = year
    body = api.json("staff", "/evaluation/sheets", limit=500)
    assert {item["person"]["id"] for item in body["items"]} == {yw.world.ha.pk}
    other = Sheet.objects.filter(person=yw.people["an"]).first()
    assert api.get("staff", f"/evaluation/sheets/{other.pk}").status_code == 404
    assert api.get("hue_hr", f"/evaluation/sheets/{yw.january.pk}").status_code == 404


def test_the_sheet_list_is_paginated_and_filtered_by_status(year):
    yw, api = year
    body = api.json("hr", "/evaluation/sheets", limit=5, offset=5, status="published")
    assert (body["limit"], body["offset"], len(body["items"])) == (5, 5, 5)
    in_subtree = Sheet.objects.filter(is_current=True, status="published", unit__path__startswith=yw.agency.path)
    assert body["total"] == in_subtree.count() == 141  # Giang's three months at Sở Tài chính are not HR's
    bad = api.get("hr", "/evaluation/sheets", status="done")
    assert bad.status_code == 422
    assert "status" in bad.json()["errors"]


def test_annual_results_explain_the_tie_the_transfer_and_the_override_with_the_stored_numbers(year):
    yw, api = year
    run = annual.compute(yw.world.users["hr"], yw.agency, 2026)
    runs = api.json("hr", "/evaluation/annual-runs", agency=yw.agency.pk)
    assert (runs["total"], runs["items"][0]["status"]) == (1, "quota")
    assert runs["items"][0]["counts"]["ties"] == 2
    body = api.json("hr", f"/evaluation/annual-runs/{run.pk}/results", unit=yw.world.phong_ccvc.pk, limit=50)
    by_name = {item["person"]["full_name"]: item for item in body["items"]}
    an = by_name["Phạm Thị An"]
    assert (an["annual_score"], an["quota_tie"], an["level"]) == ("92.00", True, "GOOD")
    assert an["explanation"]["consistent"] is True
    assert [s["key"] for s in an["explanation"]["steps"]][:2] == ["annual_score", "level_by_score"]
    giang = by_name["Đặng Thu Giang"]
    assert [p["other_agency"] for p in giang["explanation"]["periods"]][:4] == [True, True, True, False]
    assert giang["annual_score"] == "85.25"
    cuong = by_name["Vũ Mạnh Cường"]
    assert (cuong["override"], cuong["level"], cuong["level_by_score"]) == ("discipline", "NOT_COMPLETED", "EXCELLENT")
    assert "Điều 20 khoản 4 điểm c" in cuong["override_article"]
    stored = AnnualResult.objects.get(run=run, person=yw.people["giang"]).annual_score
    assert Decimal(giang["annual_score"]) == stored


def test_a_manager_reads_the_annual_results_of_their_division_only(year):
    yw, api = year
    run = annual.compute(yw.world.users["hr"], yw.agency, 2026)
    body = api.json("manager", f"/evaluation/annual-runs/{run.pk}/results", limit=100)
    assert {item["unit"]["id"] for item in body["items"]} == {yw.world.phong_ccvc.pk}
    assert api.json("manager", f"/evaluation/annual-runs/{run.pk}")["counts"] is None


def test_a_civil_servant_sees_their_own_annual_result_only_once_published(year):
    yw, api = year
    hr, head = yw.world.users["hr"], yw.world.users["head"]
    run = annual.compute(hr, yw.agency, 2026)
    assert api.get("staff", f"/evaluation/annual-runs/{run.pk}").status_code == 404
    assert api.json("staff", "/evaluation/annual-runs")["total"] == 0
    annual.head_approve(head, run)
    annual.publish(head, run, dt.date(2027, 1, 10))
    body = api.json("staff", f"/evaluation/annual-runs/{run.pk}/results")
    assert [item["person"]["id"] for item in body["items"]] == [yw.world.ha.pk]
    assert api.json("staff", "/evaluation/annual-runs")["items"][0]["complaint_until"] == "2027-01-25"
    assert api.get("hue_hr", f"/evaluation/annual-runs/{run.pk}/results").status_code == 404


def test_without_credentials_the_evaluation_api_answers_401(year):
    _yw, api = year
    assert api.get(None, "/evaluation/annual-runs").status_code == 401
