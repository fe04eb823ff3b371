"""Role × endpoint × expected status, through the real HTTP stack.

Reading the table: 404 means "not in your subtree" (indistinguishable from "does not exist"), 403 means
"you can see it but may not do this". The people of ``build_world``: Hà (Phòng CCVC, the staff user's own
record), Bình (Phòng TCCB), Châu (Huế). ``hue_hr`` is HR of Huế.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition
from congvu.org.services import create_position
from congvu.personnel.models import Person
from congvu.rules.personal_id import make_personal_id
from tests.factories import EVERYTHING
from tests.integration.api_support import FAST_HASHERS, Api

pytestmark = pytest.mark.django_db

ROLES = ("staff", "manager", "head", "hr", "inspector", "admin", "hue_hr")


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


def person_id(api: Api, who: str) -> int:
    return {"ha": api.world.ha, "binh": api.world.binh, "chau": api.world.outsider}[who].pk


def unit_id(api: Api, which: str) -> int:
    w = api.world
    return {"ha_noi": w.ha_noi, "so": w.so_noi_vu, "ccvc": w.phong_ccvc, "tccb": w.phong_tccb, "hue": w.hue,
            "stc": w.so_tai_chinh_hue}[which].pk


def position_in(api: Api, which: str) -> JobPosition:
    unit = {"ccvc": api.world.phong_ccvc, "stc": api.world.so_tai_chinh_hue}[which]
    return create_position(None, EVERYTHING, unit=unit, name="Chuyên viên", group="professional", headcount_quota=2)


def expand(table: dict[str, str]) -> list[tuple[str, int]]:
    """``{"staff manager": "404", ...}`` → [("staff", 404), ("manager", 404), ...], every role exactly once."""
    rows = [(role, int(status)) for roles, status in table.items() for role in roles.split()]
    assert sorted(r for r, _ in rows) == sorted(ROLES), table
    return rows


# ---- reads --------------------------------------------------------------------------------------------

READ_PERSON = {
    "ha": {"staff manager head hr inspector admin": "200", "hue_hr": "404"},
    "binh": {"head hr inspector admin": "200", "staff manager hue_hr": "404"},
    "chau": {"admin hue_hr": "200", "staff manager head hr inspector": "404"},
}


@pytest.mark.parametrize("who", list(READ_PERSON))
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_person_follows_the_subtree(api: Api, who: str, role: str) -> None:
    expected = dict(expand(READ_PERSON[who]))[role]
    assert api.get(role, f"/people/{person_id(api, who)}").status_code == expected


HISTORY = {
    "ha": {"staff head hr inspector admin": "200", "manager": "403", "hue_hr": "404"},
    "binh": {"head hr inspector admin": "200", "staff manager hue_hr": "404"},
    "chau": {"admin hue_hr": "200", "staff manager head hr inspector": "404"},
}


@pytest.mark.parametrize("who", list(HISTORY))
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_history_needs_the_audit_right(api: Api, who: str, role: str) -> None:
    expected = dict(expand(HISTORY[who]))[role]
    assert api.get(role, f"/people/{person_id(api, who)}/history").status_code == expected


READ_UNIT = {
    "ccvc": {"staff manager head hr inspector admin": "200", "hue_hr": "404"},
    "tccb": {"head hr inspector admin": "200", "staff manager hue_hr": "404"},
    "ha_noi": {"admin": "200", "staff manager head hr inspector hue_hr": "404"},
    "stc": {"admin hue_hr": "200", "staff manager head hr inspector": "404"},
}


@pytest.mark.parametrize("which", list(READ_UNIT))
@pytest.mark.parametrize("role", ROLES)
def test_reading_a_unit_and_its_positions_follows_the_subtree(api: Api, which: str, role: str) -> None:
    expected = dict(expand(READ_UNIT[which]))[role]
    assert api.get(role, f"/units/{unit_id(api, which)}").status_code == expected
    assert api.get(role, f"/units/{unit_id(api, which)}/positions").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_position_outside_the_subtree_is_404(api: Api, role: str) -> None:
    expected = dict(expand({"admin hue_hr": "200", "staff manager head hr inspector": "404"}))[role]
    assert api.get(role, f"/positions/{position_in(api, 'stc').pk}").status_code == expected


def test_missing_and_hidden_objects_answer_alike(api: Api) -> None:
    hidden = api.get("staff", f"/people/{api.world.outsider.pk}")
    missing = api.get("staff", "/people/99999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# ---- writes -------------------------------------------------------------------------------------------

Write = Callable[[Api, str], Any]


def patch_person(who: str) -> Write:
    def run(api: Api, role: str) -> Any:
        pid = person_id(api, who)
        version = Person.objects.get(pk=pid).version
        return api.call(role, "patch", f"/people/{pid}", {"version": version, "religion": "Công giáo"})

    return run


def post_person(which: str) -> Write:
    def run(api: Api, role: str) -> Any:
        body = {
            "personal_id": make_personal_id("001", "F", 1995, 900_100), "family_name": "Đặng",
            "middle_name": "Thu", "given_name": "Trang", "sex": "F", "birth_year": 1995, "category": "civil_servant",
            "employment": {"unit_id": unit_id(api, which), "start_date": "2026-02-01"},
        }
        return api.call(role, "post", "/people", body)

    return run


def post_position(which: str) -> Write:
    def run(api: Api, role: str) -> Any:
        body = {"name": "Văn thư", "group": "support", "headcount_quota": 1}
        return api.call(role, "post", f"/units/{unit_id(api, which)}/positions", body)

    return run


def patch_position(which: str) -> Write:
    def run(api: Api, role: str) -> Any:
        return api.call(role, "patch", f"/positions/{position_in(api, which).pk}", {"headcount_quota": 5})

    return run


WRITES: list[tuple[str, Write, dict[str, str]]] = [
    ("patch-ha", patch_person("ha"),
     {"hr admin": "200", "staff manager head inspector": "403", "hue_hr": "404"}),
    ("patch-binh", patch_person("binh"),
     {"hr admin": "200", "head inspector": "403", "staff manager hue_hr": "404"}),
    ("patch-chau", patch_person("chau"),
     {"admin hue_hr": "200", "staff manager head hr inspector": "404"}),
    ("post-person-ccvc", post_person("ccvc"),
     {"hr admin": "201", "staff manager head inspector": "403", "hue_hr": "404"}),
    ("post-person-stc", post_person("stc"),
     {"admin hue_hr": "201", "staff manager head hr inspector": "404"}),
    ("post-position-ccvc", post_position("ccvc"),
     {"hr admin": "201", "staff manager head inspector": "403", "hue_hr": "404"}),
    ("post-position-stc", post_position("stc"),
     {"admin hue_hr": "201", "staff manager head hr inspector": "404"}),
    ("patch-position-ccvc", patch_position("ccvc"),
     {"hr admin": "200", "staff manager head inspector": "403", "hue_hr": "404"}),
    ("patch-position-stc", patch_position("stc"),
     {"admin hue_hr": "200", "staff manager head hr inspector": "404"}),
]


@pytest.mark.parametrize(
    ("write", "role", "expected"),
    [pytest.param(w, role, status, id=f"{name}-{role}-{status}") for name, w, table in WRITES
     for role, status in expand(table)],
)
def test_writes_follow_role_and_subtree_and_only_successes_are_audited(
    api: Api, write: Write, role: str, expected: int
) -> None:
    before = AuditEntry.objects.filter(actor__isnull=False).count()
    response = write(api, role)
    assert response.status_code == expected, response.content
    written = AuditEntry.objects.filter(actor=api.user(role))
    if expected < 300:
        assert written.exists()
        assert all(e.after for e in written)
        assert any(e.before for e in written) or response.request["REQUEST_METHOD"] == "POST"
    else:
        assert AuditEntry.objects.filter(actor__isnull=False).count() == before
