"""Restructuring under /api/v1/restructuring/…: plans of organisation events with their impact, commit and undo;
the events; redeployment runs and their proposals with the evidence and accept / change / reject; the reports.

Same rights as the pages: READ_RESTRUCTURING to read (anything out of reach is 404), RESTRUCTURE at the plan's
or run's scope unit to write (403). Dates ISO; a refused action answers 422 with ``{"errors": {field: [...]}}``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.pagination import page_of
from congvu.api.schemas import Page, PageQuery, UnitRef
from congvu.org.models import OrgUnit
from congvu.personnel.services import ServiceError
from congvu.restructuring import access, redeploy, reports, services
from congvu.restructuring.models import (
    EmploymentMove,
    OrgEvent,
    Plan,
    Proposal,
    QuotaDecision,
    RedeploymentRun,
)

router = Router(tags=["restructuring"])
PREFIX = "/restructuring"


@contextmanager
def refused_as_422() -> Iterator[None]:
    """The services' refusals ({field: [messages]}) answer 422 like every other refused write."""
    try:
        yield
    except (services.RestructuringError, redeploy.RedeploymentError) as exc:
        raise ServiceError(exc.errors) from exc


def _unit(unit: OrgUnit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind)


def plain(value: Any) -> Any:
    """Dataclasses (the impact, the comparison) as JSON-ready data; dates stay dates (ISO on the wire)."""
    if is_dataclass(value) and not isinstance(value, type):
        data = asdict(value)
        for name in ("surplus", "shortage"):
            if hasattr(value, name) and name not in data:
                data[name] = getattr(value, name)
        return {k: plain(v) for k, v in data.items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def readable_impact(user: Any, impact: Any) -> Any:
    """The impact with only the moves of people the user may see."""
    return dataclasses.replace(impact, moves=access.readable_moves(user, list(impact.moves)))


def impact_data(impact: Any) -> dict[str, Any]:
    data = plain(impact)
    positions = [plain(p) | {"surplus": p.surplus, "shortage": p.shortage} for p in impact.positions]
    return {**data, "positions": positions}


# ---- schemas ----------------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    plan: int
    seq: int
    kind: str = Field(..., description="merge | split | dissolve | rename | move | level_change")
    effective_date: dt.date
    decision_number: str
    decision_date: dt.date
    legal_basis: str
    spec: dict[str, Any]
    summary: str
    applied_at: dt.datetime | None
    plan_status: str = Field(..., description="draft | committed | undone | recorded")


class EventPage(Page):
    items: list[EventOut]


class SuccessionOut(Schema):
    old_unit: UnitRef
    new_unit: UnitRef | None
    created: bool


class QuotaDecisionOut(Schema):
    position: int | None
    old_position: int | None
    carried: int
    decided: int
    reason: str


class EventDetailOut(EventOut):
    successions: list[SuccessionOut]
    quota_decisions: list[QuotaDecisionOut]
    people_moved: int


class PlanOut(Schema):
    id: int
    name: str
    scope_unit: UnitRef
    status: str = Field(..., description="draft | committed | undone | recorded")
    notes: str
    events: int
    created_at: dt.datetime
    committed_at: dt.datetime | None
    undone_at: dt.datetime | None
    undo_reason: str


class PlanPage(Page):
    items: list[PlanOut]


class PlanDetailOut(PlanOut):
    event_list: list[EventOut]
    impact: dict[str, Any] | None = Field(None, description="units, positions (quota, staff, surplus, shortage), "
                                                          "moves, totals, effective dates")


class PlanIn(Schema):
    name: str = Field(..., min_length=1, max_length=255)
    scope_unit: int
    notes: str = ""


class EventIn(Schema):
    kind: str = Field(..., description="merge | split | dissolve | rename | move | level_change")
    effective_date: dt.date
    decision_number: str = Field(..., min_length=1, max_length=60)
    decision_date: dt.date
    legal_basis: str = ""
    spec: dict[str, Any] = Field(..., description="the event's parameters, e.g. merge: "
                                                  '{"sources": [ids], "target": {"name", "kind", "parent_id"}}')


class UndoIn(Schema):
    reason: str


class RunOut(Schema):
    id: int
    scope_unit: UnitRef
    as_of: dt.date
    plan: int | None
    status: str = Field(..., description="open | closed")
    params: dict[str, Any]
    figures: dict[str, Any]
    created_at: dt.datetime


class RunPage(Page):
    items: list[RunOut]


class RunIn(Schema):
    scope_unit: int
    as_of: dt.date
    plan: int | None = None


class ProposalOut(Schema):
    id: int
    run: int
    person: int
    person_name: str
    from_unit: UnitRef
    from_position: int | None
    reason: str = Field(..., description="unit_dissolved | position_abolished | over_quota")
    to_position: int | None = Field(None, description="null: no feasible seat, a streamlining candidate")
    to_unit: UnitRef | None
    fit: int
    case_letter: str = Field(..., description="Decree 154 Art 2(1) case of a leftover: a, d or e")
    status: str = Field(..., description="pending | accepted | changed | rejected")
    decided_position: int | None
    decision_number: str
    effective_date: dt.date | None
    decision_reason: str


class ProposalPage(Page):
    items: list[ProposalOut]


class ProposalDetailOut(ProposalOut):
    evidence: dict[str, Any] = Field(..., description="fit parts with points and why, constraints checked, "
                                                      "alternatives")
    streamlining: dict[str, Any]


class ProposalQuery(PageQuery):
    status: str | None = None
    outcome: str | None = Field(None, description="position | streamlining")


class DecisionIn(Schema):
    decision_number: str = Field(..., min_length=1, max_length=60)
    effective_date: dt.date
    reason: str = ""


class ChangeIn(DecisionIn):
    position: int
    reason: str


class ReasonIn(Schema):
    reason: str


class ReportQuery(Schema):
    unit: int
    start: dt.date
    end: dt.date


# ---- converters --------------------------------------------------------------------------------------------


def event_out(e: OrgEvent) -> EventOut:
    return EventOut(id=e.pk, plan=e.plan_id, seq=e.seq, kind=e.kind, effective_date=e.effective_date,
                    decision_number=e.decision_number, decision_date=e.decision_date, legal_basis=e.legal_basis,
                    spec=e.spec, summary=e.summary, applied_at=e.applied_at, plan_status=e.plan.status)


def plan_fields(p: Plan) -> dict[str, Any]:
    events = getattr(p, "n_events", None)
    return {"id": p.pk, "name": p.name, "scope_unit": _unit(p.scope_unit), "status": p.status, "notes": p.notes,
                "events": events if events is not None else p.events.count(), "created_at": p.created_at,
                "committed_at": p.committed_at, "undone_at": p.undone_at, "undo_reason": p.undo_reason}


def plan_detail_out(user: Any, p: Plan) -> PlanDetailOut:
    events = [event_out(e) for e in p.events.select_related("plan").order_by("seq", "pk")]
    impact = impact_data(readable_impact(user, services.impact(p))) if p.status != Plan.Status.UNDONE else None
    return PlanDetailOut(**plan_fields(p), event_list=events, impact=impact)


def run_out(r: RedeploymentRun) -> RunOut:
    return RunOut(id=r.pk, scope_unit=_unit(r.scope_unit), as_of=r.as_of, plan=r.plan_id, status=r.status,
                  params=r.params, figures=r.figures, created_at=r.created_at)


def proposal_fields(p: Proposal) -> dict[str, Any]:
    return {"id": p.pk, "run": p.run_id, "person": p.person_id, "person_name": p.person.full_name,
                "from_unit": _unit(p.from_employment.unit), "from_position": p.from_position_id, "reason": p.reason,
                "to_position": p.to_position_id, "to_unit": _unit(p.to_position.unit) if p.to_position else None,
                "fit": p.fit, "case_letter": p.case_letter, "status": p.status, "decided_position": p.decided_position_id,
                "decision_number": p.decision_number, "effective_date": p.effective_date,
                "decision_reason": p.decision_reason}


def proposal_detail_out(user: Any, proposal_id: int) -> ProposalDetailOut:
    p = access.access_proposal(user, proposal_id)
    return ProposalDetailOut(**proposal_fields(p), evidence=plain(p.evidence), streamlining=plain(p.streamlining))


# ---- plans and events -----------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/plans", response=responses({200: PlanPage}), summary="Plans of organisation events",
            url_name="restructuring_plans")
def restructuring_list_plans(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = (access.plans_visible(caller(request)).select_related("scope_unit").annotate(n_events=Count("events"))
          .order_by("-created_at", "-pk"))
    rows, envelope = page_of(qs, filters)
    return {"items": [PlanOut(**plan_fields(p)) for p in rows], **envelope}


@router.post(f"{PREFIX}/plans", response=responses({201: PlanDetailOut}, write=True), summary="Create a draft plan")
def restructuring_create_plan(request: HttpRequest, body: PlanIn) -> Status[Any]:
    user = caller(request)
    require(not access.write_scope(user).empty)
    with refused_as_422():
        plan = services.create_plan(user, access.write_scope(user), name=body.name, scope_unit_id=body.scope_unit,
                                    notes=body.notes)
    return Status(201, plan_detail_out(user, access.access_plan(user, plan.pk)))


@router.get(f"{PREFIX}/plans/{{plan_id}}", response=responses({200: PlanDetailOut}),
            summary="A plan with its events and impact")
def restructuring_get_plan(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    user = caller(request)
    return plan_detail_out(user, access.access_plan(user, plan_id))


def _writing(user: Any, plan_id: int) -> Plan:
    plan = access.access_plan(user, plan_id)
    require(access.may_restructure(user, plan.scope_unit))
    return plan


@router.post(f"{PREFIX}/plans/{{plan_id}}/events", response=responses({201: EventOut}, write=True),
             summary="Add an event to a draft plan")
def restructuring_add_event(request: HttpRequest, plan_id: int, body: EventIn) -> Status[Any]:
    user = caller(request)
    plan = _writing(user, plan_id)
    with refused_as_422():
        event = services.add_event(user, access.write_scope(user), plan.pk, kind=body.kind,
                                   effective_date=body.effective_date, decision_number=body.decision_number,
                                   decision_date=body.decision_date, legal_basis=body.legal_basis, spec=body.spec)
    return Status(201, event_out(OrgEvent.objects.select_related("plan").get(pk=event.pk)))


@router.post(f"{PREFIX}/plans/{{plan_id}}/commit", response=responses({200: PlanDetailOut}, write=True),
             summary="Commit a draft plan: every event applied in one transaction")
def restructuring_commit(request: HttpRequest, plan_id: int) -> PlanDetailOut:
    user = caller(request)
    plan = _writing(user, plan_id)
    with refused_as_422():
        services.commit_plan(user, access.write_scope(user), plan.pk)
    return plan_detail_out(user, access.access_plan(user, plan.pk))


@router.post(f"{PREFIX}/plans/{{plan_id}}/undo", response=responses({200: PlanDetailOut}, write=True),
             summary="Undo a committed plan before its effective dates, with a reason")
def restructuring_undo(request: HttpRequest, plan_id: int, body: UndoIn) -> PlanDetailOut:
    user = caller(request)
    plan = _writing(user, plan_id)
    with refused_as_422():
        services.undo_plan(user, access.write_scope(user), plan.pk, reason=body.reason)
    return plan_detail_out(user, access.access_plan(user, plan.pk))


class EventQuery(PageQuery):
    kind: str | None = None
    status: str | None = Field(None, description="the plan's status: draft | committed | undone | recorded")
    start: dt.date | None = Field(None, description="effective on or after")
    end: dt.date | None = Field(None, description="effective on or before")


@router.get(f"{PREFIX}/events", response=responses({200: EventPage}), summary="Organisation events")
def restructuring_list_events(request: HttpRequest, filters: Query[EventQuery]) -> dict[str, Any]:
    qs = access.events_visible(caller(request)).select_related("plan")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(plan__status=filters.status)
    if filters.start:
        qs = qs.filter(effective_date__gte=filters.start)
    if filters.end:
        qs = qs.filter(effective_date__lte=filters.end)
    rows, envelope = page_of(qs.order_by("-effective_date", "plan_id", "seq", "pk"), filters)
    return {"items": [event_out(e) for e in rows], **envelope}


@router.get(f"{PREFIX}/events/{{event_id}}", response=responses({200: EventDetailOut}),
            summary="One event: successions, quota decisions, people moved")
def restructuring_get_event(request: HttpRequest, event_id: int) -> EventDetailOut:
    e = access.access_event(caller(request), event_id)
    successions = [SuccessionOut(old_unit=_unit(s.old_unit), new_unit=_unit(s.new_unit) if s.new_unit else None,
                                 created=s.created)
                   for s in e.unit_successions.select_related("old_unit", "new_unit").order_by("old_unit__path")]
    quotas = [QuotaDecisionOut(position=q.position_id, old_position=q.old_position_id, carried=q.carried,
                               decided=q.decided, reason=q.reason) for q in QuotaDecision.objects.filter(event=e)]
    return EventDetailOut(**event_out(e).dict(), successions=successions, quota_decisions=quotas,
                          people_moved=EmploymentMove.objects.filter(event=e).count())


# ---- redeployment ----------------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/runs", response=responses({200: RunPage}), summary="Redeployment runs")
def restructuring_list_runs(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = access.runs_visible(caller(request)).select_related("scope_unit").order_by("-created_at", "-pk")
    rows, envelope = page_of(qs, filters)
    return {"items": [run_out(r) for r in rows], **envelope}


@router.post(f"{PREFIX}/runs", response=responses({201: RunOut}, write=True),
             summary="Propose a redeployment of the surplus within a scope, as of a day")
def restructuring_create_run(request: HttpRequest, body: RunIn) -> Status[Any]:
    user = caller(request)
    require(not access.write_scope(user).empty)
    with refused_as_422():
        run = redeploy.run_redeployment(user, access.write_scope(user), scope_unit_id=body.scope_unit,
                                        as_of=body.as_of, plan_id=body.plan)
    return Status(201, run_out(RedeploymentRun.objects.select_related("scope_unit").get(pk=run.pk)))


@router.get(f"{PREFIX}/runs/{{run_id}}/proposals", response=responses({200: ProposalPage}),
            summary="Proposals of a run (those in your reach)")
def restructuring_list_proposals(request: HttpRequest, run_id: int, filters: Query[ProposalQuery]) -> dict[str, Any]:
    user = caller(request)
    run = access.access_run(user, run_id)
    qs = access.proposals_visible(user).filter(run=run).select_related(
        "person", "from_employment__unit", "to_position__unit")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.outcome == "position":
        qs = qs.filter(to_position__isnull=False)
    elif filters.outcome == "streamlining":
        qs = qs.filter(to_position__isnull=True)
    rows, envelope = page_of(qs.order_by("person__sort_key", "pk"), filters)
    return {"items": [ProposalOut(**proposal_fields(p)) for p in rows], **envelope}


@router.get(f"{PREFIX}/proposals/{{proposal_id}}", response=responses({200: ProposalDetailOut}),
            summary="One proposal with why it was chosen")
def restructuring_get_proposal(request: HttpRequest, proposal_id: int) -> ProposalDetailOut:
    return proposal_detail_out(caller(request), proposal_id)


def _deciding(user: Any, proposal_id: int) -> Proposal:
    proposal = access.access_proposal(user, proposal_id)
    require(access.may_restructure(user, proposal.run.scope_unit))
    return proposal


@router.post(f"{PREFIX}/proposals/{{proposal_id}}/accept", response=responses({200: ProposalDetailOut}, write=True),
             summary="Accept: the person moves to the proposed position from the effective date (audited)")
def restructuring_accept(request: HttpRequest, proposal_id: int, body: DecisionIn) -> ProposalDetailOut:
    user = caller(request)
    _deciding(user, proposal_id)
    with refused_as_422():
        redeploy.accept(user, access.write_scope(user), proposal_id, decision_number=body.decision_number,
                        effective_date=body.effective_date, reason=body.reason)
    return proposal_detail_out(user, proposal_id)


@router.post(f"{PREFIX}/proposals/{{proposal_id}}/change", response=responses({200: ProposalDetailOut}, write=True),
             summary="Accept with another feasible position, with a reason")
def restructuring_change(request: HttpRequest, proposal_id: int, body: ChangeIn) -> ProposalDetailOut:
    user = caller(request)
    _deciding(user, proposal_id)
    with refused_as_422():
        redeploy.change(user, access.write_scope(user), proposal_id, position_id=body.position,
                        decision_number=body.decision_number, effective_date=body.effective_date, reason=body.reason)
    return proposal_detail_out(user, proposal_id)


@router.post(f"{PREFIX}/proposals/{{proposal_id}}/reject", response=responses({200: ProposalDetailOut}, write=True),
             summary="Reject with a reason")
def restructuring_reject(request: HttpRequest, proposal_id: int, body: ReasonIn) -> ProposalDetailOut:
    user = caller(request)
    _deciding(user, proposal_id)
    with refused_as_422():
        redeploy.reject(user, access.write_scope(user), proposal_id, reason=body.reason)
    return proposal_detail_out(user, proposal_id)


# ---- reports -----------------------------------------------------------------------------------------------------


@router.get(f"{PREFIX}/reports", response=responses({200: dict[str, Any]}),
            summary="Units removed by level and kind, positions/quota/headcount before and after, surplus resolved")
def restructuring_reports(request: HttpRequest, params: Query[ReportQuery]) -> dict[str, Any]:
    unit = access.access_scope_unit(caller(request), params.unit)
    r = reports.report(unit, params.start, params.end)
    removed = {
        "by_level": [asdict(row) | {"net": row.net} for row in r.removed.by_level],
        "by_kind": [asdict(row) | {"net": row.net} for row in r.removed.by_kind],
        "total": asdict(r.removed.total) | {"net": r.removed.total.net},
    }
    surplus = {"by_status": [asdict(row) | {"total": row.total} for row in r.surplus.rows],
               "resolved": r.surplus.resolved, "open": r.surplus.open, "rejected": r.surplus.rejected,
               "superseded": r.surplus.superseded,
               "by_reason": [{"reason": k, "label": label, "people": n} for k, label, n in r.surplus.by_reason]}
    return {"unit": _unit(unit).dict(), "start": r.start, "end": r.end, "removed": removed,
            "staffing": plain(r.staffing), "surplus": surplus}
