"""One login per role for the demo, bound to sensible units, with passwords derived from the seed.

The passwords are derived from the seed (not stored in clear anywhere), so a rerun without ``--reset``
can print them again; if someone changed a demo password since, the table says so instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from congvu.access.models import Role
from congvu.access.services import grant_role
from congvu.core import audit
from congvu.demo.structure import ACTOR
from congvu.org.models import OrgUnit
from congvu.personnel.models import Employment, Person

# (role, username, where: "province" | "head" | "manager", the position whose holder the user is)
DEMO_USERS: tuple[tuple[Role, str, str, str | None], ...] = (
    (Role.ADMIN, "quantri", "province", None),
    (Role.HR, "tochuc", "province", None),
    (Role.HEAD, "giamdoc", "head", "head"),
    (Role.MANAGER, "truongphong", "manager", "manager"),
    (Role.STAFF, "chuyenvien", "manager", "staff"),
    (Role.INSPECTOR, "thanhtra", "province", None),
)
_WORDS = ("sen", "lua", "tre", "mai", "dao", "sao", "song", "nui", "trang", "may", "bien", "rung", "hoa",
          "lan", "cuc", "tung", "que", "gio", "nang", "mua")
CHANGED = "(đã đổi)"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    password: str
    scope: str
    person: str = ""

    @property
    def role_label(self) -> str:
        return str(self.role.label)


def demo_password(seed: int, username: str) -> str:
    """A readable password like ``sen-trang-4821``, fixed for a seed and username."""
    rng = random.Random(f"congvu-demo-{seed}-{username}")
    return f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{rng.randint(1000, 9999)}"


def _holder(position_id: int | None) -> Person | None:
    if position_id is None:
        return None
    emp = (Employment.objects.filter(position_id=position_id, end_date__isnull=True)
           .select_related("person").order_by("person_id").first())
    return emp.person if emp is not None else None


@transaction.atomic
def create_demo_users(seed: int, units: dict[str, OrgUnit], positions: dict[str, int]) -> list[DemoLogin]:
    """Create (or reset the password of) each demo user, grant its role, link it to its person record."""
    logins = []
    for role, username, where, holder in DEMO_USERS:
        unit = units[where]
        password = demo_password(seed, username)
        user = User.objects.filter(username=username).first() or User(username=username)
        user.is_superuser = user.is_staff = role == Role.ADMIN
        person = _holder(positions.get(holder)) if holder else None
        if person is not None:
            user.first_name, user.last_name = person.given_name, f"{person.family_name} {person.middle_name}".strip()
        validate_password(password, user)
        user.set_password(password)
        user.save()
        grant_role(None, user, role, unit, reason="Tài khoản minh họa (congvu demo)")
        if person is not None:
            Person.objects.filter(pk=person.pk).update(user=user)
            audit.record(None, "update", person, before={"user_id": None}, after={"user_id": user.pk},
                         subject_person_id=person.pk, org_path=person.org_path, actor_label=ACTOR,
                         reason="Gắn tài khoản minh họa")
        scope = "Toàn hệ thống" if role == Role.ADMIN else unit.name
        logins.append(DemoLogin(role, username, password, scope, person.full_name if person else ""))
    return logins


def existing_logins(seed: int) -> list[DemoLogin]:
    """The demo users as they are now; a password someone changed is shown as "(đã đổi)"."""
    logins = []
    for role, username, _where, _holder_key in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        password = demo_password(seed, username)
        assignment = user.role_assignments.filter(role=role).select_related("unit").first()
        person = Person.objects.filter(user=user).first()
        scope = "Toàn hệ thống" if user.is_superuser else assignment.unit.name if assignment else ""
        logins.append(DemoLogin(role, username, password if user.check_password(password) else CHANGED,
                                scope, person.full_name if person else ""))
    return logins


def logins_table(logins: list[DemoLogin]) -> str:
    """The table printed after a build: "Vai trò | Tên đăng nhập | Mật khẩu | Phạm vi"."""
    header = ("Vai trò", "Tên đăng nhập", "Mật khẩu", "Phạm vi")
    rows = [(lg.role_label, lg.username, lg.password, lg.scope + (f" — {lg.person}" if lg.person else ""))
            for lg in logins]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]

    def line(r: tuple[str, str, str, str]) -> str:
        return " | ".join([*(r[i].ljust(widths[i]) for i in range(3)), r[3]])

    rule = "-+-".join(["-" * w for w in widths] + ["-" * 20])
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
