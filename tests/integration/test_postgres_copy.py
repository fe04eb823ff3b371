"""The bulk-load path of the national benchmark (PostgreSQL COPY) writes rows the application reads back.

Runs in the PostgreSQL pass only (DATABASE_URL=postgres://…); the SQLite pass deselects it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from bench.load_people import copy_rows, person_columns
from congvu.access.access import people_visible
from congvu.personnel.models import Person
from congvu.rules.personal_id import make_personal_id
from tests.factories import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_people_copied_in_bulk_are_found_by_search_and_seen_only_inside_their_subtree() -> None:
    world = build_world()
    template = {c: getattr(world.ha, c) for c in person_columns() if c != "id"}
    now = dt.datetime.now(dt.UTC)
    columns = [c for c in person_columns() if c != "id"]
    rows = []
    for serial in range(1, 201):
        values = {
            **template,
            "personal_id": make_personal_id("036", "F", 1985, 500_000 + serial),
            "user_id": None,
            "created_at": now,
            "updated_at": now,
        }
        rows.append(tuple(values[c] for c in columns))
    with connection.cursor() as cursor:
        copied = copy_rows(cursor.cursor, Person._meta.db_table, columns, rows)
    assert copied == 200
    assert Person.objects.filter(search_name__contains="nguyen thi thu ha").count() == 201
    assert people_visible(world.users["manager"]).filter(search_name__contains="thu ha").count() == 201
    assert not people_visible(world.users["manager"]).filter(pk=world.outsider.pk).exists()
