"""Reconciliation with the population database: runs, the records of a run (the cleaning queue), the match
rate over time, and the queue decisions (accept the population's values, reject, send to the unit, fixed).

Readers: RECONCILE or READ_AUDIT holders, always limited to their org subtrees (404 outside). Decisions:
RECONCILE holders (403 for readers without it). Personal IDs are masked for callers without READ_IDENTITY,
as everywhere in the API. Starting a run reads a population file on the server: use the pages or
``congvu reconcile_register --population FILE``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from congvu.access.access import mask_personal_id, rights_at
from congvu.access.policy import Right
from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.pagination import page_of
from congvu.api.schemas import InputSchema, Page, PageQuery, UnitRef
from congvu.org.models import OrgUnit
from congvu.reconciliation import queries, services
from congvu.reconciliation.models import PENDING_STATES, ReconciliationRecord, ReconciliationRun

router = Router(tags=["reconciliation"])

StatusName = Literal["MATCHED_WITH_DIFFERENCES", "MATCHED_BY_OLD_ID", "MATCHED_PROBABILISTIC", "PROBABLE", "NOT_FOUND"]
StateName = Literal["open", "accepted", "rejected", "sent_to_unit", "fixed", "pending"]


class RateOut(Schema):
    total: int = Field(..., description="register records checked")
    matched: int = Field(..., description="records that matched at once (status MATCHED)")
    accepted: int = Field(..., description="records corrected from the population database since")
    fixed: int = Field(..., description="records the unit fixed since")
    rejected: int = Field(..., description="proposals rejected (still unclean)")
    pending: int = Field(..., description="records open or sent to the unit")
    percent: float | None = Field(..., description="(matched + accepted + fixed) / total × 100, 1 decimal")
    initial_percent: float | None = Field(..., description="matched / total × 100 at the run")


class RunOut(Schema):
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    started_by: str | None
    unit: UnitRef | None = Field(..., description="the subtree checked; null: the whole register")
    population_file: str
    dataset_version: str
    population_rows: int
    personnel_rows: int
    rate: RateOut = Field(..., description="over the part of the run in the caller's subtrees")


class RunPage(Page):
    items: list[RunOut]


class RunDetail(RunOut):
    status_counts: dict[str, int]
    summary: dict[str, Any] = Field(..., description="the engine's JSON summary")


class RecordQuery(PageQuery):
    status: StatusName | None = None
    state: StateName | None = Field(None, description="pending = open or sent_to_unit")
    unit: int | None = Field(None, description="records of this unit and every unit below it")
    order: Literal["ten", "-ten", "ket_qua", "-ket_qua", "xac_suat", "-xac_suat", "don_vi", "-don_vi"] = Field(
        "ten", description="ten = Vietnamese name order; ket_qua = status; xac_suat = probability; don_vi = unit")


class RecordOut(Schema):
    id: int
    run_id: int
    record_id: str
    person_id: int | None
    full_name: str = Field(..., description="the register's name now")
    unit: UnitRef | None
    status: str
    personal_id: str = Field(..., description="as in the register (masked without READ_IDENTITY)")
    matched_personal_id: str
    probability: float | None
    differences: list[dict[str, str]] = Field(..., description='[{"field": "full_name", "kind": "diacritics"}, …]')
    id_problems: list[str]
    duplicate_of: str
    reason: str
    population: dict[str, str] = Field(..., description="the population evidence: full_name, birth_date (ISO or "
                                                         "yyyy), sex (M/F), old_id")
    proposed: dict[str, Any] = Field(..., description="register fields that accepting would change → new values")
    state: str
    note: str
    resolved_by: str | None
    resolved_at: dt.datetime | None


class RecordPage(Page):
    items: list[RecordOut]


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=1000, description="why (kept in the audit trail)")


class NoteIn(InputSchema):
    note: str = Field(..., max_length=1000, description="what the unit must check, or what it fixed")


class RatePointOut(Schema):
    day: dt.date
    run_id: int
    kind: Literal["run", "resolved"]
    clean: int
    total: int
    percent: float


# ---- serialisation --------------------------------------------------------------------------------------


def rate_out(rate: queries.Rate) -> RateOut:
    return RateOut(total=rate.total, matched=rate.matched, accepted=rate.accepted, fixed=rate.fixed,
                   rejected=rate.rejected, pending=rate.pending,
                   percent=float(rate.percent) if rate.percent is not None else None,
                   initial_percent=float(rate.initial_percent) if rate.initial_percent is not None else None)


def unit_ref(unit: OrgUnit | None) -> UnitRef | None:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind) if unit is not None else None


def run_out(run: ReconciliationRun, rate: queries.Rate) -> dict[str, Any]:
    return {
        "id": run.pk, "started_at": run.started_at, "finished_at": run.finished_at,
        "started_by": run.started_by.get_username() if run.started_by else None, "unit": unit_ref(run.scope_unit),
        "population_file": run.population_file, "dataset_version": run.dataset_version,
        "population_rows": run.population_rows, "personnel_rows": run.personnel_rows, "rate": rate_out(rate),
    }


def record_out(user: User, record: ReconciliationRecord) -> RecordOut:
    show = Right.READ_IDENTITY in rights_at(user, record.org_path)
    person = record.person
    proposed = services.proposed_correction(record, person).values if person else {}
    return RecordOut(
        id=record.pk, run_id=record.run_id, record_id=record.record_id, person_id=record.person_id,
        full_name=person.full_name if person else "", unit=unit_ref(record.unit), status=record.status,
        personal_id=record.personal_id if show else mask_personal_id(record.personal_id),
        matched_personal_id=record.matched_personal_id if show else mask_personal_id(record.matched_personal_id),
        probability=record.probability,
        differences=[{"field": f, "kind": k} for f, k in record.difference_items],
        id_problems=record.id_problems, duplicate_of=record.duplicate_of, reason=record.reason,
        population={"full_name": record.pop_full_name, "birth_date": record.pop_birth_date if show else "",
                    "sex": record.pop_sex, "old_id": record.pop_old_id if show else ""},
        proposed={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in proposed.items()} if show else {},
        state=record.state, note=record.note,
        resolved_by=record.resolved_by.get_username() if record.resolved_by else None,
        resolved_at=record.resolved_at,
    )


def visible_run(user: User, run_id: int) -> ReconciliationRun:
    return queries.runs_visible(user).get(pk=run_id)  # DoesNotExist → 404


def visible_record(user: User, record_id: int) -> ReconciliationRecord:
    return (queries.records_visible(user).select_related("person", "unit", "resolved_by", "run")
            .get(pk=record_id))


def readable(request: HttpRequest) -> User:
    user = caller(request)
    require(not queries.read_scope(user).empty, "Bạn không có quyền xem kết quả đối soát.")
    return user


# ---- endpoints ------------------------------------------------------------------------------------------


@router.get("/reconciliation/runs", response=responses({200: RunPage}),
            summary="Reconciliation runs that checked part of the caller's subtrees, newest first")
def list_runs(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    user = readable(request)
    runs, envelope = page_of(queries.runs_visible(user), params)
    rates = queries.rates_of_runs(runs, queries.read_scope(user))
    return {**envelope, "items": [run_out(run, rates.get(run.pk, queries.Rate())) for run in runs]}


@router.get("/reconciliation/runs/{run_id}", response=responses({200: RunDetail}),
            summary="One run: counts per status and the match rate in the caller's subtrees")
def get_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    user = readable(request)
    run = visible_run(user, run_id)
    rate = queries.rates_of_runs([run], queries.read_scope(user)).get(run.pk, queries.Rate())
    return {**run_out(run, rate), "status_counts": queries.status_counts(user, run), "summary": run.summary}


@router.get("/reconciliation/runs/{run_id}/records", response=responses({200: RecordPage}),
            summary="The records of a run that did not match at once (the cleaning queue), filtered")
def list_records(request: HttpRequest, run_id: int, filters: Query[RecordQuery]) -> dict[str, Any]:
    user = readable(request)
    run = visible_run(user, run_id)
    records = queries.records_visible(user, run).select_related("person", "unit", "resolved_by")
    if filters.unit is not None:
        unit = OrgUnit.objects.filter(pk=filters.unit).first()
        records = records.filter(org_path__startswith=unit.path) if unit is not None else records.none()
    if filters.status is not None:
        records = records.filter(status=filters.status)
    if filters.state == "pending":
        records = records.filter(state__in=PENDING_STATES)
    elif filters.state is not None:
        records = records.filter(state=filters.state)
    rows, envelope = page_of(records.order_by(*queries.QUEUE_ORDERS[filters.order]), filters)
    return {**envelope, "items": [record_out(user, r) for r in rows]}


@router.get("/reconciliation/records/{record_id}", response=responses({200: RecordOut}),
            summary="One record with the population evidence and the correction accepting would make")
def get_record(request: HttpRequest, record_id: int) -> RecordOut:
    user = readable(request)
    return record_out(user, visible_record(user, record_id))


@router.get("/reconciliation/rates", response=responses({200: list[RatePointOut]}),
            summary="The match rate over time (each run, then each day with corrections) of a unit's subtree")
def rates(request: HttpRequest, unit: int | None = None) -> list[RatePointOut]:
    user = readable(request)
    path = ""
    if unit is not None:
        found = OrgUnit.objects.filter(pk=unit).first()
        if found is None or not queries.read_scope(user).covers(found.path):
            raise OrgUnit.DoesNotExist
        path = found.path
    return [RatePointOut(day=p.at, run_id=p.run_id, kind=p.label, clean=p.clean, total=p.total,  # type: ignore[arg-type]
                         percent=float(p.percent)) for p in queries.rate_over_time(user, path)]


def decider(request: HttpRequest, record_id: int) -> User:
    """404 out of reach, 403 without RECONCILE on the record's unit."""
    user = caller(request)
    record = visible_record(user, record_id)
    require(queries.reconcile_scope(user).covers(record.org_path))
    return user


def decided(user: User, record_id: int) -> RecordOut:
    return record_out(user, visible_record(user, record_id))


@router.post("/reconciliation/records/{record_id}/accept", response=responses({200: RecordOut}, write=True),
             summary="Correct the register from the population evidence (audited, citing the population record)")
def accept(request: HttpRequest, record_id: int, payload: ReasonIn) -> RecordOut:
    user = decider(request, record_id)
    services.accept_correction(user, queries.reconcile_scope(user), record_id, reason=payload.reason)
    return decided(user, record_id)


@router.post("/reconciliation/records/{record_id}/reject", response=responses({200: RecordOut}, write=True),
             summary="Reject the proposal: the register stays as it is")
def reject(request: HttpRequest, record_id: int, payload: ReasonIn) -> RecordOut:
    user = decider(request, record_id)
    services.reject(user, queries.reconcile_scope(user), record_id, reason=payload.reason)
    return decided(user, record_id)


@router.post("/reconciliation/records/{record_id}/send-to-unit", response=responses({200: RecordOut}, write=True),
             summary="Ask the record's unit to check the person's papers and fix the record")
def send_to_unit(request: HttpRequest, record_id: int, payload: NoteIn) -> RecordOut:
    user = decider(request, record_id)
    services.send_to_unit(user, queries.reconcile_scope(user), record_id, note=payload.note)
    return decided(user, record_id)


@router.post("/reconciliation/records/{record_id}/mark-fixed", response=responses({200: RecordOut}, write=True),
             summary="The unit fixed the record (refused while the register still differs from the evidence)")
def mark_fixed(request: HttpRequest, record_id: int, payload: NoteIn) -> RecordOut:
    user = decider(request, record_id)
    services.mark_fixed(user, queries.reconcile_scope(user), record_id, note=payload.note)
    return decided(user, record_id)

