"""Who may read an annual classification, and how much of it.

- Readers of the agency (its head, HR, inspectors; a national admin): all of it.
- Readers of a unit inside the agency (a division's manager): the results of their subtree.
- A civil servant: their own result, once it is published (Decree 335 Art 24: results are made public to
  the people evaluated, who may then complain).
Anything else is "not found", as for every other object.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from congvu.access.access import NotFoundOrDenied, own_person_id, path_filter, rights_at, scope_for
from congvu.access.policy import Right
from congvu.core.types import AnyUser
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus

PUBLISHED = (AnnualStatus.PUBLISHED, AnnualStatus.COMPLAINT_WINDOW, AnnualStatus.FINAL)
NOT_FOUND = "Không tìm thấy kết quả xếp loại hoặc bạn không có quyền truy cập."


@dataclass(frozen=True)
class RunAccess:
    run: AnnualRun
    whole: bool  # the whole agency; else only ``paths`` and, if ``own``, the caller's own result
    paths: tuple[str, ...] = ()
    own: int | None = None

    def results(self) -> QuerySet[AnnualResult]:
        rows = AnnualResult.objects.filter(run=self.run)
        if self.whole:
            return rows
        parts = [Q(unit__path__startswith=p) for p in self.paths]
        if self.own is not None:
            parts.append(Q(person_id=self.own))
        return rows.filter(reduce(or_, parts)) if parts else rows.none()


def _ancestor_ids(paths: tuple[str, ...]) -> set[int]:
    """Unit ids on the way down to each path (a materialised path is the list of its ancestors' ids)."""
    return {int(seg) for path in paths for seg in path.strip(".").split(".") if seg}


def runs_visible(user: AnyUser) -> QuerySet[AnnualRun]:
    """Runs of agencies in the caller's reading scope or above a unit in it, and published runs with a
    result of the caller's own."""
    scope = scope_for(user, Right.READ_EVALUATIONS)
    q = path_filter(scope, "agency__path")
    if not scope.everything and scope.paths:
        q = q | Q(agency_id__in=_ancestor_ids(scope.paths))
    own = own_person_id(user)
    if own is not None:
        q = q | Q(status__in=PUBLISHED, results__person_id=own)
    return AnnualRun.objects.filter(pk__in=AnnualRun.objects.filter(q).values("pk"))


def access_run_or_own(user: AnyUser, run_id: int) -> RunAccess:
    run = AnnualRun.objects.select_related("agency").filter(pk=run_id).first()
    if run is None:
        raise NotFoundOrDenied(NOT_FOUND)
    if Right.READ_EVALUATIONS in rights_at(user, run.agency.path):
        return RunAccess(run, True)
    inside = tuple(p for p in scope_for(user, Right.READ_EVALUATIONS).paths if p.startswith(run.agency.path))
    own = own_person_id(user)
    if own is not None and not (run.status in PUBLISHED and AnnualResult.objects.filter(run=run, person_id=own).exists()):
        own = None
    if not inside and own is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return RunAccess(run, False, inside, own)


def access_result(user: AnyUser, run_id: int, person_id: int) -> tuple[RunAccess, AnnualResult]:
    reach = access_run_or_own(user, run_id)
    result = reach.results().select_related("person", "unit", "run").filter(person_id=person_id).first()
    if result is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return reach, result
