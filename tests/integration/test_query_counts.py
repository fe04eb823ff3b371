"""How many SQL statements the readers behind the pages issue: a fixed number, whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from pytest_django import DjangoAssertNumQueries

from congvu.org.models import OrgUnit
from congvu.org.queries import subtree_staffing
from congvu.org.services import create_unit
from congvu.personnel import services
from congvu.personnel.models import Person
from tests.factories import EVERYTHING, person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def unit(name: str, parent: OrgUnit | None = None) -> OrgUnit:
    kind = OrgUnit.Kind.PROVINCE if parent is None else OrgUnit.Kind.DIVISION
    return create_unit(None, EVERYTHING, name=name, kind=kind, parent=parent, valid_from=dt.date(2020, 1, 1))


@pytest.fixture
def units() -> list[OrgUnit]:
    """Two provinces with 12 divisions each, a person in every division."""
    out = []
    for province in ("Tỉnh A", "Tỉnh B"):
        top = unit(province)
        out.append(top)
        for i in range(12):
            division = unit(f"Phòng {i}", top)
            person(("Nguyễn", "Văn", f"An {province[-1]}{i}"), division, start=dt.date(2024, 1, 1))
            out.append(division)
    return out


def test_subtree_staffing_costs_a_fixed_number_of_queries_however_many_units(
    units: list[OrgUnit], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(4):  # data version, employments, quotas, people with several spells
        got = subtree_staffing(units, DAY)
    assert sum(got[u.pk].staff for u in units if u.parent_id is None) == 24


def test_a_second_look_at_the_tree_reads_only_the_data_version(
    units: list[OrgUnit], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    subtree_staffing(units, DAY)
    with django_assert_num_queries(1):
        subtree_staffing(units[1:5], DAY)


def test_an_edit_of_a_persons_own_fields_leaves_the_tree_figures_in_the_cache(
    units: list[OrgUnit], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    subtree_staffing(units, DAY)
    someone = Person.objects.order_by("pk").first()
    assert someone is not None
    fields = {name: getattr(someone, name) for name in services.PERSON_FIELDS}
    services.update_person(None, EVERYTHING, someone.pk, services.PersonInput(**{**fields, "insured_months": 12}),
                           expected_version=someone.version, reason="thêm tháng đóng BHXH")
    with django_assert_num_queries(1):
        subtree_staffing(units, DAY)
