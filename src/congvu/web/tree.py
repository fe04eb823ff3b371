"""The organisation tree as the pages show it: the user's top units, children on demand, staff vs quota.

Counts come from ``congvu.org.queries`` (set-based, one query per level shown), never from a loop over
units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from congvu.access import access
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.org import queries
from congvu.org.models import OrgUnit, active_on


@dataclass(frozen=True)
class Node:
    unit: OrgUnit
    staff: int
    quota: int
    child_count: int
    children: list[Node] | None = None  # filled in when the node is shown expanded

    @property
    def over(self) -> int:
        """Staff above quota (0 when within it or when the unit has no quota of its own)."""
        return max(self.staff - self.quota, 0) if self.quota else 0


@dataclass(frozen=True)
class Crumb:
    unit: OrgUnit
    linked: bool  # False for ancestors above the user's reach: shown as text, not as a link


def path_q(scope: Scope, field: str) -> Q:
    """Rows whose materialised path lies in one of the scope's subtrees."""
    if scope.everything:
        return Q()
    if not scope.paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in scope.paths))


def roots_for(user: AnyUser, day: dt.date) -> QuerySet[OrgUnit]:
    """The highest units the user may read: the tree roots for national admins, else their scope tops."""
    scope = access.scope_for(user, Right.READ_PEOPLE)
    units = OrgUnit.objects.filter(active_on(day))
    if scope.everything:
        return units.filter(parent__isnull=True).order_by("name")
    tops = [p for p in scope.paths if not any(p != q and p.startswith(q) for q in scope.paths)]
    return units.filter(path__in=tops).order_by("path")


def children_on(unit: OrgUnit, day: dt.date) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent=unit).filter(active_on(day)).order_by("name")


def nodes(units: QuerySet[OrgUnit], day: dt.date, *, expand_first: bool = False) -> list[Node]:
    """Tree nodes for ``units`` with subtree staff vs quota; ``expand_first`` also loads one level below.

    One query for the units, one for how many children each has, and the subtree staffing figures, which
    are cached until the next write that can change them (``queries.subtree_staffing``).
    """
    rows = list(units)
    if not rows:
        return []
    staffing = queries.subtree_staffing(rows, day)
    kids = dict(
        OrgUnit.objects.filter(parent_id__in=[u.pk for u in rows]).filter(active_on(day))
        .values_list("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
    )
    out = []
    for unit in rows:
        children = nodes(children_on(unit, day), day) if expand_first and kids.get(unit.pk) else None
        figures = staffing[unit.pk]
        out.append(Node(unit, figures.staff, figures.quota, kids.get(unit.pk, 0), children))
    return out


def breadcrumb(user: AnyUser, unit: OrgUnit) -> list[Crumb]:
    """The unit's ancestors and itself; those the user cannot open are plain text."""
    return [Crumb(u, Right.READ_PEOPLE in access.rights_at(user, u.path)) for u in queries.ancestors(unit)]


def position_totals_of_roots(user: AnyUser, day: dt.date) -> dict[str, int]:
    """Quota, filled and vacant posts in everything the user may read, from the cached subtree staffing."""
    staffing = queries.subtree_staffing(roots_for(user, day), day).values()
    quota = sum(s.quota for s in staffing)
    filled = sum(s.filled for s in staffing)
    return {"quota": quota, "filled": filled, "vacancies": max(quota - filled, 0)}

