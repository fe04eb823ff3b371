"""Drop-down choices of the record forms: units in the writer's reach, job positions, ranks, provinces.

Each builder is one query (two for provinces), so a form costs the same however many options it offers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from congvu.core.scope import Scope
from congvu.org.models import AdminArea, JobPosition, OrgUnit, Rank, active_on
from congvu.text import collation_key
from congvu.web import tree

# A select's choices: (value, label) pairs, or (group label, [(value, label), ...]) for an <optgroup>.
Choices = list[tuple[Any, Any]]


def writable_units(scope: Scope) -> QuerySet[OrgUnit]:
    """Units in the user's write scope, whatever their dates (the service checks the date)."""
    return OrgUnit.objects.filter(tree.path_q(scope, "path"))


def unit_choices(scope: Scope, day: dt.date) -> Choices:
    """Units in the write scope that exist on ``day``, in tree order, each with its parent's name."""
    rows = writable_units(scope).filter(active_on(day)).select_related("parent").order_by("path")
    return [(u.pk, f"{u.name} — {u.parent.name}" if u.parent else u.name) for u in rows]


def position_choices(unit_id: int | None, day: dt.date) -> Choices:
    """The unit's job positions in force on ``day``, grouped as the quota tables group them."""
    if unit_id is None:
        return []
    rows = (JobPosition.objects.filter(unit_id=unit_id).filter(active_on(day)).with_filled(day)
            .order_by("group", "name"))
    groups: dict[str, list[tuple[int, str]]] = {}
    for pos in rows:
        label = _("%(name)s (%(filled)s/%(quota)s biên chế)") % {
            "name": pos.name, "quota": pos.headcount_quota, "filled": pos.filled}  # type: ignore[attr-defined]
        groups.setdefault(_(pos.get_group_display()), []).append((pos.pk, label))
    return list(groups.items())


def rank_choices() -> Choices:
    rows = Rank.objects.select_related("salary_group").order_by("code")
    return [(r.pk, f"{r.code} {r.name} ({r.salary_group.code})") for r in rows]


def _province_sort_key(area: AdminArea) -> str:
    """Cần Thơ sorts under C whether it is called "Thành phố Cần Thơ" (2025) or "Cần Thơ" (before)."""
    name = area.name
    for prefix in ("Thành phố ", "Tỉnh "):
        name = name.removeprefix(prefix)
    return collation_key(name)


def province_choices(keep: Iterable[int | None] = ()) -> Choices:
    """The 34 provinces since 01/07/2025 and the 63 before, for hometown and birthplace.

    ``keep``: areas already on the record that are not provinces (a commune from an import), offered
    first so that saving the form does not drop them.
    """
    provinces = AdminArea.objects.filter(level=AdminArea.Level.PROVINCE)
    current, old = [], []
    for area in sorted(provinces, key=_province_sort_key):
        if area.valid_to is None:
            current.append((area.pk, f"{area.name} ({area.code})"))
        else:
            old.append((area.pk, _("%(name)s (%(code)s) (trước 01/07/2025)") % {"name": area.name, "code": area.code}))
    extra_ids = {pk for pk in keep if pk is not None} - {pk for pk, _label in current + old}
    extra = [(a.pk, str(a)) for a in AdminArea.objects.filter(pk__in=extra_ids).order_by("code")]
    choices: Choices = [("", "—")]
    if extra:
        choices.append((_("Đang ghi trong hồ sơ"), extra))
    choices += [(_("Tỉnh, thành phố từ 01/07/2025"), current), (_("Tỉnh, thành phố trước 01/07/2025"), old)]
    return choices
