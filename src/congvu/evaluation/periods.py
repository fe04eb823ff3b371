"""Evaluation periods (months or quarters of an agency) and the sheets of the people who work in them."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.db.models import Q

from congvu.core import audit
from congvu.core.types import Actor
from congvu.evaluation.models import AgencyScheme, EvalRole, Frequency, Period, Sheet
from congvu.org.models import OrgUnit
from congvu.personnel.models import Employment, Leave
from congvu.personnel.services import ServiceError
from congvu.rules import kpi_registry

SHEET_BATCH = 5000


def scheme_for(agency: OrgUnit) -> AgencyScheme:
    scheme, _ = AgencyScheme.objects.get_or_create(agency=agency)
    return scheme


def period_bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    if kind == Frequency.MONTHLY:
        first_month, last_month = number, number
    else:
        first_month, last_month = 3 * number - 2, 3 * number
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def agency_of(unit: OrgUnit) -> OrgUnit:
    """The nearest unit up the tree (itself included) that has an evaluation scheme; the root otherwise."""
    ids = [int(seg) for seg in unit.path.strip(".").split(".") if seg]
    schemes = dict(AgencyScheme.objects.filter(agency_id__in=ids).values_list("agency_id", "agency_id"))
    for unit_id in reversed(ids):
        if unit_id in schemes:
            return OrgUnit.objects.get(pk=unit_id)
    return unit


@transaction.atomic
def open_year(actor: Actor, agency: OrgUnit, year: int) -> list[Period]:
    """Create the year's periods of ``agency`` (12 months or 4 quarters); existing ones are kept (idempotent)."""
    scheme = scheme_for(agency)
    count = 12 if scheme.frequency == Frequency.MONTHLY else 4
    periods = []
    created = 0
    for number in range(1, count + 1):
        start, end = period_bounds(scheme.frequency, year, number)
        try:
            rule_set = kpi_registry.rule_set_for(start)
        except LookupError as exc:
            raise ServiceError({"year": [f"Chưa có bộ quy tắc đánh giá áp dụng cho kỳ bắt đầu {start:%d/%m/%Y}."]}) from exc
        period, was_created = Period.objects.get_or_create(
            agency=agency,
            kind=scheme.frequency,
            year=year,
            number=number,
            defaults={
                "start": start,
                "end": end,
                "self_due": end + dt.timedelta(days=scheme.self_days),
                "manager_due": end + dt.timedelta(days=scheme.manager_days),
                "approve_due": end + dt.timedelta(days=scheme.approve_days),
                "rule_set_id": rule_set.id,
            },
        )
        created += was_created
        periods.append(period)
    if created:
        audit.record(
            actor, "evaluation.open_year", agency, after={"year": year, "periods": created}, org_path=agency.path
        )
    return periods


def _people_in_period(period: Period) -> dict[int, tuple[int, str, str]]:
    """person id → (unit id, role, group) from the employment held at the end of the period (or last in it)."""
    rows = (
        Employment.objects.filter(unit__path__startswith=period.agency.path, start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "unit_id", "title", "position__name")
    )
    people: dict[int, tuple[int, str, str]] = {}
    for person_id, unit_id, title, position_name in rows.iterator(chunk_size=20000):
        role = EvalRole.LEADER if title else EvalRole.STAFF
        people[person_id] = (unit_id, role, position_name or "")
    return people


def _on_leave_all_period(period: Period) -> set[int]:
    return set(
        Leave.objects.filter(start_date__lte=period.start, end_date__gte=period.end).values_list("person_id", flat=True)
    )


@transaction.atomic
def ensure_sheets(actor: Actor, period: Period) -> int:
    """Create the missing sheets of a period for everyone employed in the agency's subtree (idempotent)."""
    people = _people_in_period(period)
    existing = set(Sheet.objects.filter(period=period, is_current=True).values_list("person_id", flat=True))
    on_leave = _on_leave_all_period(period)
    new = [
        Sheet(
            period=period,
            person_id=person_id,
            unit_id=unit_id,
            role=role,
            group=group,
            worked=person_id not in on_leave,
            rule_set_id=period.rule_set_id,
        )
        for person_id, (unit_id, role, group) in people.items()
        if person_id not in existing
    ]
    Sheet.objects.bulk_create(new, batch_size=SHEET_BATCH)
    if new:
        audit.record(
            actor,
            "evaluation.ensure_sheets",
            period,
            after={"period": period.code, "sheets_created": len(new)},
            org_path=period.agency.path,
        )
    return len(new)


def current_period(agency: OrgUnit, day: dt.date) -> Period | None:
    return Period.objects.filter(agency=agency, start__lte=day, end__gte=day).first()
