"""The consequence lists under /api/v1/consequences/…: runs per agency and year, their entries with the facts
and the rule that produced each, and the decisions (accept, reject, defer) with the same rights as the pages.

Money is an integer number of VND; dates ISO; coefficients decimal strings ("3.66").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from congvu.access.access import NotFoundOrDenied
from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.pagination import page_of
from congvu.api.schemas import Page, PageQuery, UnitRef
from congvu.consequences import decisions
from congvu.consequences.access import access_entry, entries_visible, may_decide, runs_visible
from congvu.consequences.models import DIRECTION, Entry, Kind, ListRun
from congvu.org.models import OrgUnit

router = Router(tags=["consequences"])


class RunOut(Schema):
    id: int
    agency: UnitRef
    year: int
    as_of: dt.date
    base_salary: int
    computed_at: dt.datetime
    counts: dict[str, int]


class RunPage(Page):
    items: list[RunOut]


class DecisionOut(Schema):
    id: int
    reference: str = Field(..., description="number/symbol, e.g. 12/QĐ-SNV")
    signed_on: dt.date
    effective_date: dt.date
    applied_at: dt.datetime | None
    title: str


class EntryOut(Schema):
    id: int
    run: int
    kind: str = Field(..., description="review | higher_position | step_raise | early_raise | streamlining | vacancy")
    direction: str = Field(..., description="in | out | up | down")
    person: int | None
    unit: UnitRef
    position: int | None
    status: str = Field(..., description="pending | accepted | rejected | deferred")
    in_quota: bool
    rank: int
    due_date: dt.date | None
    effective_date: dt.date | None
    new_step: int | None
    new_coefficient: Decimal | None
    count: int
    monthly_cost: int
    year_cost: int
    benefit_vnd: int
    summary: str
    evidence: dict[str, Any] = Field(..., description="facts, rule, article and explanation steps")
    reason: str
    decision: DecisionOut | None


class EntryPage(Page):
    items: list[EntryOut]


class RunQuery(PageQuery):
    agency: int | None = None
    year: int | None = None


class EntryQuery(PageQuery):
    kind: str | None = None
    direction: str | None = Field(None, description="in | out | up | down")
    status: str | None = None


class AcceptIn(Schema):
    reason: str = ""
    signed_on: dt.date | None = None
    effective_date: dt.date | None = None
    outcome: str = Field("", description="reviews only: terminate | lower_position")
    target_position: int | None = None


class ReasonIn(Schema):
    reason: str


def _unit(unit: OrgUnit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind)


def run_out(run: ListRun) -> RunOut:
    return RunOut(id=run.pk, agency=_unit(run.agency), year=run.year, as_of=run.as_of, base_salary=run.base_salary,
                  computed_at=run.computed_at, counts=run.counts)


def entry_out(e: Entry) -> EntryOut:
    d = getattr(e, "decision", None)
    return EntryOut(
        id=e.pk, run=e.run_id, kind=e.kind, direction=DIRECTION[Kind(e.kind)], person=e.person_id, unit=_unit(e.unit),
        position=e.position_id, status=e.status, in_quota=e.in_quota, rank=e.rank, due_date=e.due_date,
        effective_date=e.effective_date, new_step=e.new_step, new_coefficient=e.new_coefficient, count=e.count,
        monthly_cost=e.monthly_cost, year_cost=e.year_cost, benefit_vnd=e.benefit_vnd, summary=e.summary,
        evidence=e.evidence, reason=e.reason,
        decision=DecisionOut(id=d.pk, reference=d.reference, signed_on=d.signed_on, effective_date=d.effective_date,
                             applied_at=d.applied_at, title=d.title) if d else None,
    )


@router.get("/consequences/runs", response=responses({200: RunPage}), summary="Consequence lists per agency and year", url_name="consequences_runs")
def consequences_list_runs(request: HttpRequest, filters: Query[RunQuery]) -> dict[str, Any]:
    qs = runs_visible(caller(request)).select_related("agency")
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    rows, envelope = page_of(qs.order_by("-year", "agency__path"), filters)
    return {"items": [run_out(r) for r in rows], **envelope}


@router.get("/consequences/runs/{run_id}/entries", response=responses({200: EntryPage}),
            summary="Entries of a run (only those in your reach)")
def consequences_list_entries(request: HttpRequest, run_id: int, filters: Query[EntryQuery]) -> dict[str, Any]:
    user = caller(request)
    if not runs_visible(user).filter(pk=run_id).exists() and not entries_visible(user).filter(run_id=run_id).exists():
        raise NotFoundOrDenied("Không tìm thấy danh sách hoặc bạn không có quyền truy cập.")
    qs = entries_visible(user).filter(run_id=run_id).select_related("unit", "decision")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.direction:
        qs = qs.filter(kind__in=[k for k, d in DIRECTION.items() if d == filters.direction])
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, envelope = page_of(qs.order_by("kind", "rank", "pk"), filters)
    return {"items": [entry_out(e) for e in rows], **envelope}


@router.get("/consequences/entries/{entry_id}", response=responses({200: EntryOut}), summary="One entry with its evidence")
def consequences_get_entry(request: HttpRequest, entry_id: int) -> EntryOut:
    return entry_out(access_entry(caller(request), entry_id))


def _decided(entry_id: int) -> EntryOut:
    return entry_out(Entry.objects.select_related("unit", "decision").get(pk=entry_id))


@router.post("/consequences/entries/{entry_id}/accept", response=responses({200: EntryOut}, write=True),
             summary="Accept: drafts the numbered decision and applies it from its effective date")
def consequences_accept(request: HttpRequest, entry_id: int, body: AcceptIn) -> EntryOut:
    user = caller(request)
    require(may_decide(user, access_entry(user, entry_id)))
    decisions.accept(user, entry_id, decisions.AcceptInput(
        reason=body.reason, signed_on=body.signed_on, effective_date=body.effective_date, outcome=body.outcome,
        target_position_id=body.target_position,
    ))
    return _decided(entry_id)


@router.post("/consequences/entries/{entry_id}/reject", response=responses({200: EntryOut}, write=True),
             summary="Reject with a reason")
def consequences_reject(request: HttpRequest, entry_id: int, body: ReasonIn) -> EntryOut:
    user = caller(request)
    require(may_decide(user, access_entry(user, entry_id)))
    decisions.reject(user, entry_id, body.reason)
    return _decided(entry_id)


@router.post("/consequences/entries/{entry_id}/defer", response=responses({200: EntryOut}, write=True),
             summary="Defer with a reason")
def consequences_defer(request: HttpRequest, entry_id: int, body: ReasonIn) -> EntryOut:
    user = caller(request)
    require(may_decide(user, access_entry(user, entry_id)))
    decisions.defer(user, entry_id, body.reason)
    return _decided(entry_id)
