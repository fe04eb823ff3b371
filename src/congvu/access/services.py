"""Granting and revoking roles (audited)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from congvu.access.models import Role, RoleAssignment
from congvu.core import audit
from congvu.core.types import Actor
from congvu.org.models import OrgUnit


@transaction.atomic
def grant_role(
    actor: Actor, user: User, role: Role | str, unit: OrgUnit, *, reason: str = ""
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=Role(role), unit=unit)
    if created:
        audit.record(
            actor,
            "grant",
            assignment,
            after={"user": user.pk, "role": str(role), "unit": unit.pk},
            reason=reason,
            org_path=unit.path,
        )
    return assignment


@transaction.atomic
def revoke_role(actor: Actor, assignment: RoleAssignment, *, reason: str = "") -> None:
    before: dict[str, object] = {
        "user": assignment.user_id,
        "role": assignment.role,
        "unit": assignment.unit_id,
    }
    path = assignment.unit.path
    pk = assignment.pk
    assignment.delete()
    audit.record(
        actor,
        "revoke",
        object_type="roleassignment",
        object_id=pk,
        before=before,
        reason=reason,
        org_path=path,
    )
