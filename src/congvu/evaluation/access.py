"""Who may do what with an evaluation sheet or an annual run. Every view and API handler asks here first.

The civil servant acts on their own sheet (propose work, report completion, self-assess); a manager or head
acts on the sheets of their subtree but never scores their own (their superior does, Decree 335 Art 15); the
head approves, publishes and reopens; HR manages periods, catalogues and the annual computation.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from congvu.access.access import (
    NotFoundOrDenied,
    is_national_admin,
    own_person_id,
    path_filter,
    rights_at,
    scope_for,
)
from congvu.access.policy import Right
from congvu.core.types import AnyUser
from congvu.evaluation.models import AnnualRun, Sheet
from congvu.org.models import OrgUnit


class Act(StrEnum):
    READ = "read"
    SELF = "self"  # propose work, report completion, self-assess
    MANAGE = "manage"  # assign work, record findings, score the general criteria
    APPROVE = "approve"  # approve, publish, reopen


def sheet_acts(user: AnyUser, sheet: Sheet) -> frozenset[Act]:
    acts: set[Act] = set()
    own = own_person_id(user) == sheet.person_id
    if own:
        acts |= {Act.READ, Act.SELF}
    rights = rights_at(user, sheet.unit.path)
    if Right.READ_EVALUATIONS in rights:
        acts.add(Act.READ)
    if not own and Right.EVALUATE_TEAM in rights:
        acts |= {Act.READ, Act.MANAGE}
    if not own and Right.APPROVE_EVALUATION in rights:
        acts |= {Act.READ, Act.APPROVE}
    if is_national_admin(user) and not own:
        acts |= set(Act)
    return frozenset(acts)


def access_sheet(user: AnyUser, sheet_id: int, act: Act = Act.READ) -> Sheet:
    sheet = Sheet.objects.select_related("unit", "period", "person").filter(pk=sheet_id).first()
    if sheet is None or act not in sheet_acts(user, sheet):
        raise NotFoundOrDenied("Không tìm thấy phiếu đánh giá hoặc bạn không có quyền thực hiện thao tác này.")
    return sheet


def sheets_visible(user: AnyUser) -> QuerySet[Sheet]:
    q = path_filter(scope_for(user, Right.READ_EVALUATIONS), "unit__path")
    own = own_person_id(user)
    if own is not None:
        q = q | Q(person_id=own)
    return Sheet.objects.filter(q)


def require_unit(user: AnyUser, unit: OrgUnit, right: Right) -> None:
    if right not in rights_at(user, unit.path):
        raise NotFoundOrDenied("Bạn không có quyền thực hiện thao tác này trên đơn vị này.")


def access_unit_for(user: AnyUser, unit_id: int, right: Right) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or right not in rights_at(user, unit.path):
        raise NotFoundOrDenied("Không tìm thấy đơn vị hoặc bạn không có quyền truy cập.")
    return unit


def access_run(user: AnyUser, run_id: int, right: Right = Right.READ_EVALUATIONS) -> AnnualRun:
    run = AnnualRun.objects.select_related("agency").filter(pk=run_id).first()
    if run is None or right not in rights_at(user, run.agency.path):
        raise NotFoundOrDenied("Không tìm thấy kết quả xếp loại hoặc bạn không có quyền truy cập.")
    return run


def units_with(user: AnyUser, right: Right) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path_filter(scope_for(user, right), "path"))
