"""Job positions (vị trí việc làm) with quota, filled and vacancies; quota changes by HR (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from congvu.access.access import NotFoundOrDenied, access_unit, rights_at, scope_for
from congvu.access.policy import Right
from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.pagination import page_of
from congvu.api.schemas import (
    PositionCreate,
    PositionOut,
    PositionPage,
    PositionQuery,
    PositionQuotaPatch,
    RankRef,
    UnitRef,
)
from congvu.org import services
from congvu.org.models import JobPosition, Rank, active_on
from congvu.org.services import OrgError

router = Router(tags=["positions"])

ORDERS = {
    "name": ("group", "name", "id"),
    "-name": ("-group", "-name", "-id"),
    "quota": ("headcount_quota", "name", "id"),
    "-quota": ("-headcount_quota", "name", "id"),
    "vacancies": ("vacancies", "name", "id"),
    "-vacancies": ("-vacancies", "name", "id"),
}


def positions_on(day: dt.date) -> Any:
    return JobPosition.objects.with_filled(day).select_related("unit", "rank")


def position_row(pos: JobPosition) -> PositionOut:
    rank = pos.rank
    return PositionOut(
        id=pos.pk,
        unit=UnitRef(id=pos.unit.pk, name=pos.unit.name, kind=pos.unit.kind),
        code=pos.code,
        name=pos.name,
        group=pos.group,
        rank=RankRef(id=rank.pk, code=rank.code, name=rank.name) if rank is not None else None,
        headcount_quota=pos.headcount_quota,
        filled=pos.filled,  # type: ignore[attr-defined]
        vacancies=pos.vacancies,  # type: ignore[attr-defined]
        valid_from=pos.valid_from,
        valid_to=pos.valid_to,
    )


def visible_position(request: HttpRequest, position_id: int, right: Right = Right.READ_PEOPLE) -> JobPosition:
    """The position if its unit is in the caller's subtree (404 otherwise); 403 if ``right`` is missing."""
    pos = JobPosition.objects.select_related("unit").filter(pk=position_id).first()
    user = caller(request)
    if pos is None or Right.READ_PEOPLE not in rights_at(user, pos.unit.path):
        raise NotFoundOrDenied()
    require(right in rights_at(user, pos.unit.path))
    return pos


@router.get("/units/{unit_id}/positions", response=responses({200: PositionPage}),
            summary="Job positions of a unit with quota, filled and vacancies")
def list_positions(request: HttpRequest, unit_id: int, filters: Query[PositionQuery]) -> dict[str, Any]:
    unit = access_unit(caller(request), unit_id)
    day = filters.as_of or timezone.localdate()
    qs = positions_on(day).filter(unit=unit).filter(active_on(day)).order_by(*ORDERS[filters.order])
    rows, envelope = page_of(qs, filters)
    return {**envelope, "items": [position_row(p) for p in rows]}


@router.get("/positions/{position_id}", response=responses({200: PositionOut}), summary="One job position")
def get_position(request: HttpRequest, position_id: int, as_of: dt.date | None = None) -> PositionOut:
    visible_position(request, position_id)
    return position_row(positions_on(as_of or timezone.localdate()).get(pk=position_id))


@router.post("/units/{unit_id}/positions", response=responses({201: PositionOut}, write=True),
             summary="Create a job position (HR)")
def create_position(request: HttpRequest, unit_id: int, payload: PositionCreate) -> Status[PositionOut]:
    user = caller(request)
    unit = access_unit(user, unit_id)
    require(Right.WRITE_ORG in rights_at(user, unit.path))
    if payload.rank_id is not None and not Rank.objects.filter(pk=payload.rank_id).exists():
        raise OrgError({"rank_id": ["Ngạch không tồn tại."]})
    pos = services.create_position(
        user, scope_for(user, Right.WRITE_ORG), unit=unit, name=payload.name, group=payload.group,
        headcount_quota=payload.headcount_quota, code=payload.code, rank_id=payload.rank_id,
        valid_from=payload.valid_from,
    )
    return Status(201, position_row(positions_on(timezone.localdate()).get(pk=pos.pk)))


@router.patch("/positions/{position_id}", response=responses({200: PositionOut}, write=True),
              summary="Change a position's headcount quota (HR)")
def patch_position(request: HttpRequest, position_id: int, payload: PositionQuotaPatch) -> PositionOut:
    user = caller(request)
    visible_position(request, position_id, Right.WRITE_ORG)
    services.update_position_quota(
        user, scope_for(user, Right.WRITE_ORG), position_id, payload.headcount_quota, reason=payload.reason
    )
    return position_row(positions_on(timezone.localdate()).get(pk=position_id))
