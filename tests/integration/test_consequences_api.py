"""/consequences/…: the lists with their evidence and the decisions, with the pages' permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.access.tokens import create_token
from congvu.consequences import lists
from congvu.consequences.models import Entry, Kind, ListRun
from congvu.personnel.models import Employment
from tests.integration.api_support import FAST_HASHERS, Api
from tests.integration.consequences_support import YEAR, ConsequenceWorld, build_consequence_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(settings: object) -> tuple[ConsequenceWorld, Api, ListRun]:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    cw = build_consequence_world()
    api = Api(cw.world)
    api.tokens = {role: create_token(None, u).token for role, u in cw.world.users.items()}
    return cw, api, lists.compute(None, cw.world.so_noi_vu, YEAR)


def test_hr_lists_the_runs_and_the_entries_of_one_direction(setup: tuple[ConsequenceWorld, Api, ListRun]) -> None:
    _cw, api, run = setup
    runs = api.call("hr", "get", "/consequences/runs", year=YEAR).json()
    assert [r["id"] for r in runs["items"]] == [run.pk]
    assert runs["items"][0]["counts"]["step_raise"] == 1
    up = api.call("hr", "get", f"/consequences/runs/{run.pk}/entries", direction="up").json()
    assert {e["kind"] for e in up["items"]} == {"step_raise", "early_raise", "higher_position"}
    raise_ = next(e for e in up["items"] if e["kind"] == "step_raise")
    assert raise_["effective_date"] == "2026-05-01"
    assert raise_["new_coefficient"] == "3.66"
    assert raise_["evidence"]["rule"] == "tt08_2013.regular_raise"
    assert raise_["evidence"]["steps"]


def test_a_civil_servant_sees_only_the_entries_about_themself(setup: tuple[ConsequenceWorld, Api, ListRun]) -> None:
    cw, api, run = setup
    assert api.call("staff", "get", "/consequences/runs").json()["items"] == []
    mine = api.call("staff", "get", f"/consequences/runs/{run.pk}/entries").json()
    assert mine["total"] >= 1
    assert {e["person"] for e in mine["items"]} == {cw.people["ha"].pk}
    other = Entry.objects.filter(run=run, person=cw.people["binh"]).first()
    assert other is not None
    assert api.call("staff", "get", f"/consequences/entries/{other.pk}").status_code == 404


def test_accepting_through_the_api_applies_the_raise_and_an_inspector_may_not(
    setup: tuple[ConsequenceWorld, Api, ListRun],
) -> None:
    cw, api, run = setup
    entry = Entry.objects.get(run=run, kind=Kind.STEP_RAISE)
    assert api.call("inspector", "post", f"/consequences/entries/{entry.pk}/accept", {}).status_code == 403
    done = api.call("hr", "post", f"/consequences/entries/{entry.pk}/accept", {"reason": "Đủ điều kiện"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "accepted"
    assert done.json()["decision"]["reference"] == "1/QĐ-SNV"
    current = Employment.objects.get(person=cw.people["ha"], end_date__isnull=True)
    assert (current.salary_step, current.start_date) == (5, dt.date(2026, 5, 1))
    again = api.call("hr", "post", f"/consequences/entries/{entry.pk}/accept", {})
    assert again.status_code == 422
    assert "__all__" in again.json()["errors"]


def test_a_rejection_without_a_reason_is_a_field_error(setup: tuple[ConsequenceWorld, Api, ListRun]) -> None:
    _, api, run = setup
    entry = Entry.objects.get(run=run, kind=Kind.REVIEW, person__given_name="Bình")
    refused = api.call("head", "post", f"/consequences/entries/{entry.pk}/reject", {"reason": " "})
    assert refused.status_code == 422
    assert refused.json()["errors"]["reason"]
    assert Entry.objects.get(pk=entry.pk).status == "pending"
