"""Who may see which plans, events, redeployment runs and proposals (READ_RESTRUCTURING), and who may change
them (RESTRUCTURE). Anything out of reach is "not found", never "forbidden": the pages and the API do not
tell the two apart.

A plan is read by those whose scope covers its scope unit, and, once committed, by those whose scope holds a
unit it closed or opened (the head of a merged department sees the merger). A proposal is read by those whose
scope holds the person's former unit or the proposed position, and by the person it concerns.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from congvu.access.access import NotFoundOrDenied, own_person_id, path_filter, rights_at, scope_for
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.org.models import OrgUnit
from congvu.restructuring.models import OrgEvent, Plan, Proposal, RedeploymentRun, UnitSuccession

NOT_FOUND = "Không tìm thấy hoặc bạn không có quyền truy cập."


def read_scope(user: AnyUser) -> Scope:
    return scope_for(user, Right.READ_RESTRUCTURING)


def write_scope(user: AnyUser) -> Scope:
    return scope_for(user, Right.RESTRUCTURE)


def may_read_any(user: AnyUser) -> bool:
    return not read_scope(user).empty


def may_restructure(user: AnyUser, unit: OrgUnit) -> bool:
    return Right.RESTRUCTURE in rights_at(user, unit.path)


def plans_visible(user: AnyUser) -> QuerySet[Plan]:
    scope = read_scope(user)
    if scope.everything:
        return Plan.objects.all()
    if scope.empty:
        return Plan.objects.none()
    touched = UnitSuccession.objects.filter(
        path_filter(scope, "old_unit__path") | path_filter(scope, "new_unit__path")).values("event__plan_id")
    return Plan.objects.filter(path_filter(scope, "scope_unit__path") | Q(pk__in=touched))


def events_visible(user: AnyUser) -> QuerySet[OrgEvent]:
    return OrgEvent.objects.filter(plan__in=plans_visible(user))


def runs_visible(user: AnyUser) -> QuerySet[RedeploymentRun]:
    return RedeploymentRun.objects.filter(path_filter(read_scope(user), "scope_unit__path"))


def proposals_visible(user: AnyUser) -> QuerySet[Proposal]:
    scope = read_scope(user)
    q = path_filter(scope, "from_employment__unit__path") | path_filter(scope, "to_position__unit__path")
    own = own_person_id(user)
    if own is not None:
        q = q | Q(person_id=own)
    return Proposal.objects.filter(q)


def access_plan(user: AnyUser, plan_id: int) -> Plan:
    plan = plans_visible(user).select_related("scope_unit", "created_by").filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return plan


def access_event(user: AnyUser, event_id: int) -> OrgEvent:
    event = events_visible(user).select_related("plan__scope_unit").filter(pk=event_id).first()
    if event is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return event


def access_run(user: AnyUser, run_id: int) -> RedeploymentRun:
    run = runs_visible(user).select_related("scope_unit", "plan").filter(pk=run_id).first()
    if run is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return run


def access_proposal(user: AnyUser, proposal_id: int) -> Proposal:
    proposal = (proposals_visible(user)
                .select_related("run__scope_unit", "person", "from_employment__unit", "from_position",
                                "to_position__unit", "to_position__rank", "decided_position__unit", "decided_by")
                .filter(pk=proposal_id).first())
    if proposal is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return proposal


def access_scope_unit(user: AnyUser, unit_id: int) -> OrgUnit:
    """A unit the user reads restructuring data of (the scope of a report, a plan, a run)."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or Right.READ_RESTRUCTURING not in rights_at(user, unit.path):
        raise NotFoundOrDenied(NOT_FOUND)
    return unit


def top_units(user: AnyUser, right: Right = Right.READ_RESTRUCTURING) -> list[OrgUnit]:
    """The roots of the user's reach (a national admin: the top-level units)."""
    scope = scope_for(user, right)
    if scope.everything:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
    return list(OrgUnit.objects.filter(path__in=scope.paths).order_by("path"))


def readable_moves(user: AnyUser, moves: list[Any]) -> list[Any]:
    """The moves (``PlannedMove``) of people the user may see: those leaving a unit of their READ_PEOPLE
    subtree. A department head may open a province's plan because it touches their department; they see
    their own people only."""
    units = {m.from_unit_id for m in moves}
    readable = set(OrgUnit.objects.filter(pk__in=units).filter(path_filter(scope_for(user, Right.READ_PEOPLE), "path"))
                   .values_list("pk", flat=True))
    return moves if readable == units else [m for m in moves if m.from_unit_id in readable]
