"""Who may see which consequence entries: readers of the unit's subtree (HR, the head, inspectors) see the
lists; every person sees the entries about themself (the explanation is visible to the person it concerns).
Anything else is "not found"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from congvu.access.access import NotFoundOrDenied, own_person_id, path_filter, rights_at, scope_for
from congvu.access.policy import Right
from congvu.consequences.models import Decision, Entry, ListRun
from congvu.core.types import AnyUser

NOT_FOUND = "Không tìm thấy mục trong danh sách hoặc bạn không có quyền truy cập."


def entries_visible(user: AnyUser) -> QuerySet[Entry]:
    scope = scope_for(user, Right.READ_CONSEQUENCES)
    q = path_filter(scope, "unit__path")
    own = own_person_id(user)
    if own is not None:
        q = q | Q(person_id=own)
    return Entry.objects.filter(q)


def runs_visible(user: AnyUser) -> QuerySet[ListRun]:
    return ListRun.objects.filter(path_filter(scope_for(user, Right.READ_CONSEQUENCES), "agency__path"))


def access_entry(user: AnyUser, entry_id: int) -> Entry:
    entry = entries_visible(user).select_related("run__agency", "unit", "person", "position").filter(pk=entry_id).first()
    if entry is None:
        raise NotFoundOrDenied(NOT_FOUND)
    return entry


def access_decision(user: AnyUser, decision_id: int) -> Decision:
    decision = Decision.objects.select_related("entry").filter(pk=decision_id).first()
    if decision is None or not entries_visible(user).filter(pk=decision.entry_id).exists():
        raise NotFoundOrDenied(NOT_FOUND)
    return decision


def may_decide(user: AnyUser, entry: Entry) -> bool:
    return Right.DECIDE_CONSEQUENCES in rights_at(user, entry.unit.path)


def may_manage(user: AnyUser, path: str) -> bool:
    return Right.MANAGE_CONSEQUENCES in rights_at(user, path)
