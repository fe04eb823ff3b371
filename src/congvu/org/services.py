"""Writes to the organisation tree and job positions. Each function owns its transaction and audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.org.models import JobPosition, OrgUnit, path_segment


class OrgError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


def assign_path(unit: OrgUnit) -> None:
    """Set ``path``/``depth`` from the parent (the unit must already have a primary key)."""
    parent_path = unit.parent.path if unit.parent_id is not None and unit.parent is not None else ""
    unit.path = parent_path + path_segment(unit.pk)
    unit.depth = unit.path.count(".") - 1


@transaction.atomic
def create_unit(
    actor: Actor,
    scope: Scope,
    *,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    code: str = "",
    agency_code: str = "",
    valid_from: dt.date | None = None,
    legal_basis: str = "",
    area_id: int | None = None,
    source: str = "",
    audit_it: bool = True,
) -> OrgUnit:
    if parent is None and not scope.everything:
        raise OrgError({"parent": ["Chỉ quản trị cấp quốc gia được tạo đơn vị gốc."]})
    if parent is not None and not scope.covers(parent.path):
        raise OrgError({"parent": ["Đơn vị cấp trên nằm ngoài phạm vi quản lý của bạn."]})
    if kind not in OrgUnit.Kind.values:
        raise OrgError({"kind": ["Loại đơn vị không hợp lệ."]})
    unit = OrgUnit.objects.create(
        name=name,
        kind=kind,
        parent=parent,
        code=code,
        agency_code=agency_code,
        valid_from=valid_from,
        legal_basis=legal_basis,
        area_id=area_id,
        source=source,
    )
    assign_path(unit)
    unit.save(update_fields=["path", "depth"])
    if audit_it:
        audit.record(actor, "create", unit, after=audit.snapshot(unit), org_path=unit.path)
    return unit


@transaction.atomic
def create_position(
    actor: Actor,
    scope: Scope,
    *,
    unit: OrgUnit,
    name: str,
    group: str,
    headcount_quota: int,
    code: str = "",
    rank_id: int | None = None,
    valid_from: dt.date | None = None,
) -> JobPosition:
    if not scope.covers(unit.path):
        raise OrgError({"unit": ["Đơn vị nằm ngoài phạm vi quản lý của bạn."]})
    if group not in JobPosition.Group.values:
        raise OrgError({"group": ["Nhóm vị trí việc làm không hợp lệ."]})
    pos = JobPosition.objects.create(
        unit=unit,
        name=name,
        group=group,
        headcount_quota=headcount_quota,
        code=code,
        rank_id=rank_id,
        valid_from=valid_from,
    )
    audit.record(actor, "create", pos, after=audit.snapshot(pos), org_path=unit.path)
    return pos


@transaction.atomic
def update_position_quota(
    actor: Actor, scope: Scope, position_id: int, quota: int, *, reason: str
) -> JobPosition:
    pos = JobPosition.objects.select_for_update().select_related("unit").get(pk=position_id)
    if not scope.covers(pos.unit.path):
        raise OrgError({"unit": ["Đơn vị nằm ngoài phạm vi quản lý của bạn."]})
    if quota < 0:
        raise OrgError({"headcount_quota": ["Biên chế không được âm."]})
    before: dict[str, Any] = {"headcount_quota": pos.headcount_quota}
    pos.headcount_quota = quota
    pos.save(update_fields=["headcount_quota"])
    audit.record(
        actor,
        "update",
        pos,
        before=before,
        after={"headcount_quota": quota},
        reason=reason,
        org_path=pos.unit.path,
    )
    return pos
