"""limit/offset pages with a total, the same shape on every list endpoint."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from congvu.api.schemas import PageQuery

M = TypeVar("M", bound=Model)


def page_of(qs: QuerySet[M], params: PageQuery) -> tuple[list[M], dict[str, Any]]:
    """The rows of one page and the ``total``/``limit``/``offset`` envelope fields."""
    total = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit])
    return rows, {"total": total, "limit": params.limit, "offset": params.offset}


def page_of_ids(qs: QuerySet[M], ordered_ids: list[int], params: PageQuery) -> tuple[list[M], dict[str, Any]]:
    """A page from ids already sorted in Python (e.g. by a Vietnamese collation key), keeping that order."""
    window = ordered_ids[params.offset : params.offset + params.limit]
    by_id = {obj.pk: obj for obj in qs.filter(pk__in=window)}
    rows = [by_id[i] for i in window if i in by_id]
    return rows, {"total": len(ordered_ids), "limit": params.limit, "offset": params.offset}
