"""Small builders for test data, going through the real services (so audit and paths are real).

Named example users, as in zulip's tests: ``hr_hanoi`` and friends are created by :func:`build_world`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count

from django.contrib.auth.models import User

from congvu.access.models import Role
from congvu.access.services import grant_role
from congvu.core.scope import Scope
from congvu.org.models import OrgUnit
from congvu.org.services import create_unit
from congvu.personnel.models import Person
from congvu.personnel.services import EmploymentInput, PersonInput, create_person
from congvu.rules.personal_id import make_personal_id

EVERYTHING = Scope(paths=(), everything=True)
PASSWORD = "mat-khau-thu-nghiem-2026"
_serial = count(1)


def unit(
    name: str, kind: str = OrgUnit.Kind.DIVISION, parent: OrgUnit | None = None, code: str = ""
) -> OrgUnit:
    return create_unit(
        None, EVERYTHING, name=name, kind=kind, parent=parent, code=code, valid_from=dt.date(2000, 1, 1)
    )


def person(
    full: tuple[str, str, str],
    in_unit: OrgUnit,
    *,
    sex: str = "F",
    birth_year: int = 1985,
    birth_date: dt.date | None = None,
    category: str = "civil_servant",
    ethnicity: str = "Kinh",
    religion: str = "Không",
    party_member: bool | None = True,
    start: dt.date = dt.date(2020, 1, 1),
) -> Person:
    family, middle, given = full
    pid = make_personal_id("001", sex, birth_year, next(_serial))
    return create_person(
        None,
        EVERYTHING,
        PersonInput(
            personal_id=pid,
            family_name=family,
            middle_name=middle,
            given_name=given,
            sex=sex,
            birth_year=birth_year,
            birth_date=birth_date or dt.date(birth_year, 3, 15),
            category=category,
            ethnicity=ethnicity,
            religion=religion,
            party_member=party_member,
        ),
        EmploymentInput(unit_id=in_unit.pk, start_date=start),
    )


def user(username: str, role: Role | None = None, at: OrgUnit | None = None) -> User:
    u = User.objects.create_user(username=username, password=PASSWORD)
    if role is not None and at is not None:
        grant_role(None, u, role, at)
    return u


@dataclass
class World:
    """Two provinces' departments with a division each, people in both, and a user per role."""

    ha_noi: OrgUnit
    so_noi_vu: OrgUnit
    phong_ccvc: OrgUnit
    phong_tccb: OrgUnit
    hue: OrgUnit
    so_tai_chinh_hue: OrgUnit
    ha: Person
    binh: Person
    outsider: Person
    users: dict[str, User] = field(default_factory=dict)


def build_world() -> World:
    ha_noi = unit("Thành phố Hà Nội", OrgUnit.Kind.PROVINCE, code="01")
    so = unit("Sở Nội vụ", OrgUnit.Kind.PROVINCIAL_DEPARTMENT, ha_noi)
    ccvc = unit("Phòng Công chức, viên chức", OrgUnit.Kind.DIVISION, so)
    tccb = unit("Phòng Tổ chức cán bộ", OrgUnit.Kind.DIVISION, so)
    hue = unit("Thành phố Huế", OrgUnit.Kind.PROVINCE, code="46")
    stc = unit("Sở Tài chính", OrgUnit.Kind.PROVINCIAL_DEPARTMENT, hue)
    ha = person(("Nguyễn", "Thị Thu", "Hà"), ccvc)
    binh = person(("Trần", "Văn", "Bình"), tccb, sex="M", birth_year=1979)
    outsider = person(("Lê", "Minh", "Châu"), stc, sex="M", birth_year=1990)
    w = World(ha_noi, so, ccvc, tccb, hue, stc, ha, binh, outsider)
    w.users = {
        "staff": user("nhanvien", Role.STAFF, ccvc),
        "manager": user("truongphong", Role.MANAGER, ccvc),
        "head": user("giamdoc", Role.HEAD, so),
        "hr": user("tccb", Role.HR, so),
        "inspector": user("thanhtra", Role.INSPECTOR, so),
        "admin": User.objects.create_superuser("quantri", password=PASSWORD),
    }
    Person.objects.filter(pk=ha.pk).update(user=w.users["staff"])
    ha.refresh_from_db()
    return w
