"""Job positions: quota, filled, vacancies; HR creates positions and changes quotas, every write audited."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition
from congvu.org.services import create_position
from congvu.personnel.services import EmploymentInput, change_employment
from tests.factories import EVERYTHING
from tests.integration.api_support import FAST_HASHERS, Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


@pytest.fixture
def position(api: Api) -> JobPosition:
    w = api.world
    pos = create_position(None, EVERYTHING, unit=w.phong_ccvc, name="Chuyên viên quản lý công chức",
                          group="professional", headcount_quota=2)
    change_employment(None, EVERYTHING, w.ha.pk,
                      EmploymentInput(unit_id=w.phong_ccvc.pk, position_id=pos.pk, start_date=dt.date(2024, 1, 1)))
    return pos


def test_a_position_shows_quota_filled_and_vacancies(api: Api, position: JobPosition) -> None:
    got = api.json("staff", f"/positions/{position.pk}")
    assert (got["headcount_quota"], got["filled"], got["vacancies"]) == (2, 1, 1)
    assert got["unit"]["name"] == "Phòng Công chức, viên chức"
    assert api.json("staff", f"/positions/{position.pk}", as_of="2023-12-31")["filled"] == 0


def test_a_unit_lists_its_positions_sortable_by_vacancies(api: Api, position: JobPosition) -> None:
    create_position(None, EVERYTHING, unit=api.world.phong_ccvc, name="Văn thư", group="support", headcount_quota=5)
    page = api.json("manager", f"/units/{api.world.phong_ccvc.pk}/positions", order="-vacancies")
    assert page["total"] == 2
    assert [(p["name"], p["vacancies"]) for p in page["items"]] == [
        ("Văn thư", 5), ("Chuyên viên quản lý công chức", 1)]


def test_hr_creates_a_position_in_nfc_and_it_is_audited(api: Api) -> None:
    decomposed = unicodedata.normalize("NFD", "Chuyên viên tổ chức bộ máy")
    response = api.call("hr", "post", f"/units/{api.world.phong_tccb.pk}/positions",
                        {"name": decomposed, "group": "professional", "headcount_quota": 4, "code": "CV-TCBM"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == unicodedata.normalize("NFC", decomposed)
    assert (body["headcount_quota"], body["filled"], body["vacancies"]) == (4, 0, 4)
    entry = AuditEntry.objects.get(object_type="jobposition", object_id=str(body["id"]), action="create")
    assert entry.actor == api.user("hr")
    assert entry.after["headcount_quota"] == 4


def test_hr_changes_a_quota_and_the_audit_keeps_before_after_and_reason(api: Api, position: JobPosition) -> None:
    response = api.call("hr", "patch", f"/positions/{position.pk}",
                        {"headcount_quota": 3, "reason": "Quyết định 12/QĐ-SNV"})
    assert response.status_code == 200, response.content
    assert (response.json()["headcount_quota"], response.json()["vacancies"]) == (3, 2)
    entry = AuditEntry.objects.get(object_type="jobposition", object_id=str(position.pk), action="update")
    assert (entry.before, entry.after) == ({"headcount_quota": 2}, {"headcount_quota": 3})
    assert entry.reason == "Quyết định 12/QĐ-SNV"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"headcount_quota": -1}, "headcount_quota"),
        ({"headcount_quota": "nhiều"}, "headcount_quota"),
        ({}, "headcount_quota"),
    ],
)
def test_a_bad_quota_is_a_422_and_changes_nothing(api: Api, position: JobPosition, body: dict, field: str) -> None:
    response = api.call("hr", "patch", f"/positions/{position.pk}", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    position.refresh_from_db()
    assert position.headcount_quota == 2
    assert not AuditEntry.objects.filter(object_type="jobposition", action="update").exists()


def test_a_position_with_an_unknown_group_or_rank_is_a_422(api: Api) -> None:
    url = f"/units/{api.world.phong_ccvc.pk}/positions"
    bad_group = api.call("hr", "post", url, {"name": "X", "group": "khac", "headcount_quota": 1})
    bad_rank = api.call("hr", "post", url, {"name": "X", "group": "support", "headcount_quota": 1, "rank_id": 999999})
    assert (bad_group.status_code, bad_rank.status_code) == (422, 422)
    assert "group" in bad_group.json()["errors"]
    assert "rank_id" in bad_rank.json()["errors"]
    assert not JobPosition.objects.exists()


@pytest.mark.parametrize("role", ["staff", "manager", "head", "inspector"])
def test_only_hr_may_change_a_quota(api: Api, position: JobPosition, role: str) -> None:
    response = api.call(role, "patch", f"/positions/{position.pk}", {"headcount_quota": 9})
    assert response.status_code == 403
    position.refresh_from_db()
    assert position.headcount_quota == 2
