"""Reading the organisation tree: a subtree as of a day, staffing against quota, the breadcrumb.

All set-based on the materialised path: a subtree is ``path LIKE 'prefix%'``, and "everything under each
unit" is a correlated subquery joined on ``other.path LIKE unit.path || '%'``, so a page of units costs one
query whatever the depth. People are reached through the reverse relation ``OrgUnit.employments`` (the
personnel app sits above org, so org does not import it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from congvu.org.models import JobPosition, OrgUnit, active_on


def tree_on(day: dt.date, root: OrgUnit | None = None) -> QuerySet[OrgUnit]:
    """Units existing on ``day`` in the subtree of ``root`` (the whole tree if None), in path order: one query."""
    units = OrgUnit.objects.filter(active_on(day))
    if root is not None:
        units = units.filter(path__startswith=root.path)
    return units.order_by("path")


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The breadcrumb: the root first, ``unit`` itself last. One query."""
    return list(unit.ancestors())


class _Count(Func):
    """COUNT(DISTINCT x) without GROUP BY, so the subquery returns exactly one row (0 when empty)."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


class _Sum(Func):
    function = "SUM"
    output_field = IntegerField()


def _on_day(day: dt.date) -> Q:
    return Q(employments__start_date__lte=day) & (
        Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=day)
    )


def staff_vs_quota(units: QuerySet[OrgUnit], day: dt.date) -> QuerySet[OrgUnit]:
    """``units`` annotated, for each unit's whole subtree on ``day``, with:

    - ``staff``: people with an employment current on the day in the unit or any unit below it;
    - ``quota``: the sum of the staffing quotas (biên chế) of the job positions valid on the day there;
    - ``vacancies``: quota − staff (negative means over quota).

    One SQL statement (two correlated subqueries); sortable and pageable like any queryset.
    """
    staff = (
        OrgUnit.objects.filter(path__startswith=OuterRef("path"))
        .filter(_on_day(day))
        .order_by()
        .annotate(n=_Count(F("employments__person_id")))
        .values("n")
    )
    quota = (
        JobPosition.objects.filter(unit__path__startswith=OuterRef("path"))
        .filter(active_on(day))
        .order_by()
        .annotate(total=_Sum(F("headcount_quota")))
        .values("total")
    )
    return units.annotate(
        staff=Coalesce(Subquery(staff, output_field=IntegerField()), Value(0)),
        quota=Coalesce(Subquery(quota, output_field=IntegerField()), Value(0)),
    ).annotate(vacancies=F("quota") - F("staff"))
