"""GET /units, GET /units/{id}: the organisation tree as far as the caller may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from congvu.access.access import access_unit, units_visible
from congvu.api.auth import caller
from congvu.api.errors import responses
from congvu.api.pagination import page_of, page_of_ids
from congvu.api.schemas import Staffing, UnitDetail, UnitPage, UnitQuery, UnitRef
from congvu.org.models import JobPosition, OrgUnit, active_on
from congvu.personnel.models import Employment
from congvu.text import collation_key

router = Router(tags=["units"])


def employed_on(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def staffing(positions: QuerySet[JobPosition], employments: QuerySet[Employment], day: dt.date) -> Staffing:
    quota = positions.filter(active_on(day)).aggregate(total=Sum("headcount_quota"))["total"] or 0
    staff = employments.filter(employed_on(day)).count()
    return Staffing(quota=quota, staff=staff, vacancies=quota - staff)


def unit_row(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": unit.pk, "code": unit.code, "agency_code": unit.agency_code, "name": unit.name, "kind": unit.kind,
        "parent_id": unit.parent_id, "depth": unit.depth, "valid_from": unit.valid_from, "valid_to": unit.valid_to,
    }


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind)


@router.get("/units", response=responses({200: UnitPage}), summary="Units in the caller's subtree")
def list_units(request: HttpRequest, filters: Query[UnitQuery]) -> dict[str, Any]:
    day = filters.as_of or timezone.localdate()
    qs = units_visible(caller(request)).filter(active_on(day))
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.order in ("name", "-name"):
        # Vietnamese order needs the collation key, which the database does not have for units.
        names = sorted(qs.values_list("pk", "name"), key=lambda r: (collation_key(r[1]), r[0]),
                       reverse=filters.order == "-name")
        rows, envelope = page_of_ids(qs, [pk for pk, _ in names], filters)
    else:
        rows, envelope = page_of(qs.order_by(*(("code", "path") if filters.order == "code" else ("path",))), filters)
    return {**envelope, "items": [unit_row(u) for u in rows]}


@router.get("/units/{unit_id}", response=responses({200: UnitDetail}),
            summary="One unit with its ancestors and staff against quota")
def get_unit(request: HttpRequest, unit_id: int, as_of: dt.date | None = None) -> dict[str, Any]:
    unit = access_unit(caller(request), unit_id)
    day = as_of or timezone.localdate()
    ancestors = [unit_ref(a) for a in unit.ancestors() if a.pk != unit.pk]
    own = staffing(JobPosition.objects.filter(unit=unit), Employment.objects.filter(unit=unit), day)
    subtree = staffing(
        JobPosition.objects.filter(unit__path__startswith=unit.path),
        Employment.objects.filter(unit__path__startswith=unit.path),
        day,
    )
    return {**unit_row(unit), "as_of": day, "ancestors": ancestors, "staffing": own, "staffing_subtree": subtree}
