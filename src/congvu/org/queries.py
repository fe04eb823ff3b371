"""Reading the organisation tree: a subtree as of a day, staffing against quota, the breadcrumb.

All set-based on the materialised path: a subtree is ``path LIKE 'prefix%'``. Two ways to count what is
under each unit:

- :func:`staff_vs_quota`: a correlated subquery joined on ``other.path LIKE unit.path || '%'``, one SQL
  statement, sortable and pageable; its cost grows with the size of each subtree (the root of a
  200,000-person province reads 200,000 employments, twice).
- :func:`subtree_staffing`: the figures the tree pages show. Employments are aggregated per unit once for
  each top-level subtree (province or ministry), rolled up by path prefix in Python, and kept in Django's
  cache until the next audited write (:func:`data_version`), so a page view costs one cheap query.

People are reached through the reverse relation ``OrgUnit.employments`` (the personnel app sits above org,
so org does not import it).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from congvu.core.models import AuditEntry
from congvu.org.models import PATH_SEGMENT_WIDTH, JobPosition, OrgUnit, active_on


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


# ---- cached staffing per subtree (the tree pages) ------------------------------------------------------

STAFFING_CACHE_SECONDS = 300  # a safety net only: a write that may change the figures changes the key
_SEGMENT = PATH_SEGMENT_WIDTH + 1  # "0000000024."


@dataclass(frozen=True)
class Staffing:
    """A unit's whole subtree on a day (the same figures as :func:`staff_vs_quota`, plus ``filled``)."""

    staff: int  # people with an employment current on the day in the unit or below
    quota: int  # Σ headcount quota of the job positions valid on the day there
    filled: int  # employments current on the day that hold a job position valid on the day

    @property
    def vacancies(self) -> int:
        """quota − staff (negative means over quota)."""
        return self.quota - self.staff


# Audited writes that never touch employments, units or job positions. Anything not listed here (imports,
# employment changes, unit and position edits, kinds of writes added later) refreshes the staffing figures:
# a kind missing from this list only costs a recomputation, never a stale figure.
NOT_STAFFING = Q(object_type__in=("discipline", "reward", "leave", "apitoken", "roleassignment")) | Q(
    object_type="person", action="update"  # update_person edits the person's own fields only
)


def data_version(ignoring: Q | None = None) -> str:
    """Changes with every audited write (services write one per change, in the same transaction), except
    those matched by ``ignoring``.

    The latest audit entry's id *and* time: an id alone can come back after a rollback (SQLite reuses
    it), a time cannot. One index lookup (backwards along the primary key, past the ignored entries).
    """
    entries = AuditEntry.objects.order_by("-id")
    if ignoring is not None:
        entries = entries.exclude(ignoring)
    latest = entries.values_list("id", "at").first()
    return "none" if latest is None else f"{latest[0]}@{latest[1].isoformat()}"


def _top(path: str) -> str:
    """The partition a unit's figures are computed in: its province or ministry (depth 1), or a root."""
    return path[: 2 * _SEGMENT] if len(path) > _SEGMENT else path


def _prefixes(path: str) -> list[str]:
    """``a.b.c.`` → ``a.``, ``a.b.``, ``a.b.c.``: the unit and every ancestor, as paths."""
    return [path[: end] for end in range(_SEGMENT, len(path) + 1, _SEGMENT)]


def _employed_on(day: dt.date) -> Q:
    return Q(employments__start_date__lte=day) & (
        Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=day)
    )


def _in_position_valid_on(day: dt.date) -> Q:
    return Q(employments__position__isnull=False) & active_on(day, "employments__position__")


def _own_figures(tops: list[str], day: dt.date) -> tuple[dict[str, list[int]], dict[int, list[str]]]:
    """Per unit path, the unit's own [employments current on the day, of which in a valid position, quota];
    and the people with more than one such employment, with each employment's unit path.

    Plain counts (no COUNT DISTINCT, which sorts 200,000 rows on disk); people are made distinct in
    :func:`_rolled_up` from the few that have several current employments.
    """
    under = reduce(or_, (Q(path__startswith=top) for top in tops))
    own: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    employed = (OrgUnit.objects.filter(under).filter(_employed_on(day)).order_by().values("pk", "path")
                .annotate(spells=Count("employments__id"),
                          filled=Count("employments__id", filter=_in_position_valid_on(day))))
    for row in employed:
        own[row["path"]][0:2] = [row["spells"], row["filled"]]
    quotas = (OrgUnit.objects.filter(under).filter(active_on(day, "positions__")).order_by().values("pk", "path")
              .annotate(quota=Sum("positions__headcount_quota")))
    for row in quotas:
        own[row["path"]][2] = row["quota"] or 0
    return own, _with_several_spells(under, day)


def _with_several_spells(under: Q, day: dt.date) -> dict[int, list[str]]:
    """People with more than one employment current on ``day`` in the subtrees: the unit path of each.

    Only one employment per person may be open-ended, so of two current ones the other ended on or after
    the day: the search starts from those (few, for today). Usually empty.
    """
    closed_after = Q(employments__start_date__lte=day, employments__end_date__gte=day)
    candidates = OrgUnit.objects.filter(under).filter(closed_after).values("employments__person_id")
    several = (OrgUnit.objects.filter(under).filter(_employed_on(day) & Q(employments__person_id__in=candidates))
               .order_by().values("employments__person_id").annotate(spells=Count("employments__id"))
               .filter(spells__gt=1).values("employments__person_id"))
    paths_of: dict[int, list[str]] = defaultdict(list)
    spells = (OrgUnit.objects.filter(under).filter(_employed_on(day) & Q(employments__person_id__in=several))
              .values_list("employments__person_id", "path"))
    for person_id, path in spells:
        paths_of[person_id].append(path)
    return paths_of


def _rolled_up(own: dict[str, list[int]], several: dict[int, list[str]]) -> dict[str, tuple[int, int, int]]:
    """Sum each unit's own figures into every ancestor; a person with n current employments under an
    ancestor (in one unit or several) counts once there."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for path, figures in own.items():
        for prefix in _prefixes(path):
            total = totals[prefix]
            for i, value in enumerate(figures):
                total[i] += value
    for paths in several.values():
        seen = Counter(prefix for path in paths for prefix in _prefixes(path))
        for prefix, n in seen.items():
            totals[prefix][0] -= n - 1
    # Plain tuples: the cache pickles the partition, and 600 dataclasses take 5 ms to unpickle, tuples 0.2.
    return {path: (staff, quota, filled) for path, (staff, filled, quota) in totals.items()}


def _cache_key(top: str, day: dt.date, version: str) -> str:
    return f"congvu.org.staffing:{top}:{day.isoformat()}:{version}"


def subtree_staffing(units: Iterable[OrgUnit], day: dt.date) -> dict[int, Staffing]:
    """unit id → :class:`Staffing` of its whole subtree on ``day``, for the pages that show the tree.

    Cost: one query for the data version; on a cache miss, three grouped queries over the top-level
    subtrees involved (a 200,000-person province: about 0.1 s), never one query per unit. A unit without
    staff or positions gets zeros.
    """
    units = list(units)
    if not units:
        return {}
    version = data_version(ignoring=NOT_STAFFING)
    keys = {top: _cache_key(top, day, version) for top in {_top(u.path) for u in units}}
    figures = _cached(keys)
    if len(figures) < len(keys):
        # After a write every thread of a process misses at once; one computes, the others then read it.
        with _computing:
            figures = _cached(keys)
            missing = sorted(top for top in keys if top not in figures)
            if missing:
                computed = _rolled_up(*_own_figures(missing, day))
                for top in missing:
                    figures[top] = {path: f for path, f in computed.items() if path.startswith(top)}
                cache.set_many({keys[top]: figures[top] for top in missing}, STAFFING_CACHE_SECONDS)
    return {u.pk: Staffing(*figures[_top(u.path)].get(u.path, (0, 0, 0))) for u in units}


_computing = threading.Lock()


def _cached(keys: dict[str, str]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """top → its cached figures, for the tops found in the cache."""
    found = cache.get_many(list(keys.values()))
    return {top: found[key] for top, key in keys.items() if key in found}
