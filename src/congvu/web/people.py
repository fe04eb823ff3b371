"""The people list's query: always starts from ``access.people_visible``, then filters, searches and sorts.

Search is accent-insensitive: the query is folded the same way as ``Person.search_name`` and every word
must occur (``nguyen thi thu ha`` finds ``Nguyễn Thị Thu Hà``).
"""

from __future__ import annotations

from django.db.models import Min, QuerySet

from congvu.access import access
from congvu.core.types import AnyUser
from congvu.personnel.models import Person
from congvu.text import fold
from congvu.web.forms import PeopleFilterForm

MAX_UNIT_CHOICES = 400
UNIT_CHOICE_DEPTH = 2  # levels below the user's top units offered in the unit filter


def search_words(query: str) -> list[str]:
    return [word for word in fold(query).split() if word]


def filter_people(user: AnyUser, form: PeopleFilterForm) -> QuerySet[Person]:
    people = access.people_visible(user)
    if not form.is_bound:
        return people.order_by("sort_key", "id")
    if not form.is_valid():
        return people.none()
    data = form.cleaned_data
    for word in search_words(data.get("q") or ""):
        people = people.filter(search_name__contains=word)
    if data.get("don_vi"):
        unit = access.units_visible(user).filter(pk=data["don_vi"]).first()
        people = people.filter(org_path__startswith=unit.path) if unit is not None else people.none()
    if data.get("loai"):
        people = people.filter(category=data["loai"])
    if data.get("gioi_tinh"):
        people = people.filter(sex=data["gioi_tinh"])
    return people.order_by(*form.ordering())


def unit_choices(user: AnyUser, selected: str | None = None) -> list[tuple[int, str]]:
    """Units for the filter drop-down: the top of the user's reach and a few levels below, indented.

    A unit chosen elsewhere (the unit page links here) is added when it is deeper than that.
    """
    units = access.units_visible(user)
    top = units.aggregate(depth=Min("depth"))["depth"]
    if top is None:
        return []
    rows = list(
        units.filter(depth__lte=top + UNIT_CHOICE_DEPTH).order_by("path").values_list("pk", "name", "depth")
    )[:MAX_UNIT_CHOICES]
    choices = [(pk, "\u2003" * (depth - top) + name) for pk, name, depth in rows]
    if selected and selected.isdigit() and int(selected) not in {pk for pk, _ in choices}:
        extra = units.filter(pk=int(selected)).values_list("pk", "name").first()
        if extra is not None:
            choices.append(extra)
    return choices
