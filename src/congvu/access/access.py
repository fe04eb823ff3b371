"""The single permission choke point. Views, API handlers and the CLI call ``access_*`` before a service.

A user's reach is the union of their role assignments; each assignment covers its unit's subtree
(materialised-path prefix). A person always reads their own record in full.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from congvu.access.models import Role, RoleAssignment
from congvu.access.policy import POLICY, Right
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.org.models import OrgUnit
from congvu.personnel.models import Person

SENSITIVE_FIELDS = ("ethnicity", "religion", "party_member", "party_joined_on")
IDENTITY_FIELDS = ("personal_id", "old_id", "birth_date")
MASK = "••••"


class NotFoundOrDenied(PermissionDenied):
    """Raised for objects out of reach; the message never says whether the object exists."""


def _assignments(user: AnyUser) -> list[tuple[Role, str]]:
    if not user.is_authenticated:
        return []
    cache: list[tuple[Role, str]] | None = getattr(user, "_congvu_roles", None)
    if cache is None:
        cache = [
            (Role(role), path)
            for role, path in RoleAssignment.objects.filter(user=user).values_list("role", "unit__path")
        ]
        setattr(user, "_congvu_roles", cache)  # noqa: B010 - per-request cache on the user object
    return cache


def is_national_admin(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False))


def roles_of(user: AnyUser) -> set[Role]:
    return {role for role, _ in _assignments(user)}


def scope_for(user: AnyUser, right: Right) -> Scope:
    """The subtrees in which ``user`` holds ``right``."""
    if is_national_admin(user):
        return Scope(paths=(), everything=True)
    paths = tuple(sorted({path for role, path in _assignments(user) if right in POLICY[role]}))
    return Scope(paths=paths)


def rights_at(user: AnyUser, path: str) -> frozenset[Right]:
    if is_national_admin(user):
        return frozenset(Right)
    granted: set[Right] = set()
    for role, prefix in _assignments(user):
        if path.startswith(prefix):
            granted |= POLICY[role]
    return frozenset(granted)


def _path_q(scope: Scope, field: str) -> Q:
    if scope.everything:
        return Q()
    if not scope.paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in scope.paths))


def _own_person_id(user: AnyUser) -> int | None:
    """The id of the user's own personnel record, looked up once per request (cached on the user)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_congvu_person_id"):
        own = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        setattr(user, "_congvu_person_id", own)  # noqa: B010 - per-request cache on the user object
    cached: int | None = getattr(user, "_congvu_person_id")  # noqa: B009
    return cached


# ---- organisation -------------------------------------------------------------------------------------


def units_visible(user: AnyUser) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(_path_q(scope_for(user, Right.READ_PEOPLE), "path"))


def access_unit(user: AnyUser, unit_id: int, right: Right = Right.READ_PEOPLE) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or right not in rights_at(user, unit.path):
        raise NotFoundOrDenied("Không tìm thấy đơn vị hoặc bạn không có quyền truy cập.")
    return unit


def require_unit_right(user: AnyUser, unit: OrgUnit, right: Right) -> None:
    if right not in rights_at(user, unit.path):
        raise NotFoundOrDenied("Bạn không có quyền thực hiện thao tác này trên đơn vị này.")


# ---- people -------------------------------------------------------------------------------------------


def people_visible(user: AnyUser) -> QuerySet[Person]:
    """Everyone in the user's READ_PEOPLE subtrees, plus the user's own record."""
    q = _path_q(scope_for(user, Right.READ_PEOPLE), "org_path")
    own = _own_person_id(user)
    if own is not None:
        q = q | Q(pk=own)
    return Person.objects.filter(q)


def person_rights(user: AnyUser, person: Person) -> frozenset[Right]:
    rights = set(rights_at(user, person.org_path)) if person.org_path else set()
    if is_national_admin(user):
        rights = set(Right)
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        rights |= {Right.READ_PEOPLE, Right.READ_SENSITIVE, Right.READ_IDENTITY, Right.READ_AUDIT}
    return frozenset(rights)


def access_person(user: AnyUser, person_id: int, right: Right = Right.READ_PEOPLE) -> Person:
    person = Person.objects.select_related("current_unit").filter(pk=person_id).first()
    if person is None or right not in person_rights(user, person):
        raise NotFoundOrDenied("Không tìm thấy hồ sơ hoặc bạn không có quyền truy cập.")
    return person


def write_scope(user: AnyUser) -> Scope:
    return scope_for(user, Right.WRITE_PEOPLE)


def mask_personal_id(pid: str) -> str:
    return pid[:3] + "•" * 7 + pid[-2:] if len(pid) == 12 else MASK


def masked_fields(user: AnyUser, person: Person) -> dict[str, Any]:
    """Values of the identity and sensitive fields as this user may see them."""
    rights = person_rights(user, person)
    out: dict[str, Any] = {}
    for name in SENSITIVE_FIELDS:
        out[name] = getattr(person, name) if Right.READ_SENSITIVE in rights else MASK
    if Right.READ_IDENTITY in rights:
        out.update(personal_id=person.personal_id, old_id=person.old_id, birth_date=person.birth_date)
    else:
        out.update(
            personal_id=mask_personal_id(person.personal_id),
            old_id=MASK if person.old_id else "",
            birth_date=None,
        )
    return out


# ---- for the other areas' access modules (evaluation, reconciliation) --------------------------------------


def path_filter(scope: Scope, field: str) -> Q:
    """A filter on ``field`` (a materialised org path) that keeps rows inside ``scope``."""
    return _path_q(scope, field)


def own_person_id(user: AnyUser) -> int | None:
    """The id of the user's own personnel record, if the user has one."""
    return _own_person_id(user)
