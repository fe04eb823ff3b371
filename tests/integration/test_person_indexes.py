"""Indexes behind the people list at province scale (migration personnel 0003; figures in bench/)."""

from __future__ import annotations

import pytest
from django.db import connection

from congvu.personnel.models import Person
from tests.factories import build_world

pytestmark = pytest.mark.django_db


def indexes_of_person() -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        found: dict[str, dict[str, object]] = connection.introspection.get_constraints(cursor, Person._meta.db_table)
    return found


def test_the_list_sorted_by_year_of_birth_has_an_index_in_that_order() -> None:
    index = indexes_of_person()["person_birth_year_sort"]
    assert index["columns"] == ["birth_year", "sort_key", "id"]


@pytest.mark.postgres
def test_the_accent_insensitive_search_has_a_trigram_index_on_postgresql() -> None:
    index = indexes_of_person()["personnel_person_search_name_trgm"]
    assert index["type"] == "gin"
    assert index["columns"] == ["search_name"]


@pytest.mark.postgres
def test_the_search_finds_words_inside_names_with_the_trigram_index_in_use() -> None:
    build_world()
    with connection.cursor() as cursor:
        # A three-person table would be read whole, or in the order of another index, otherwise.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        people = Person.objects.filter(search_name__contains="thu").filter(search_name__contains="nguyen").order_by()
        assert "personnel_person_search_name_trgm" in people.explain()
        assert [p.given_name for p in people] == ["Hà"]
