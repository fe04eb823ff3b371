"""Set-based updates of many rows with different values, on SQLite and PostgreSQL alike.

``bulk_set`` sends ``WITH v(id, ...) AS (VALUES ...) UPDATE t SET ... FROM v WHERE t.id = v.id`` in chunks
on SQLite, and ``UPDATE t SET ... FROM unnest(arrays) AS v(...)`` on PostgreSQL (one parameter per column, so
planning does not grow with the rows): one statement per chunk instead of Django's ``bulk_update`` CASE
chains, which grow quadratically.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

CHUNK = 1000
ARRAY_CHUNK = 20000


def bulk_set(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Update ``fields`` of ``model`` for each row ``(pk, value1, value2, ...)``; returns the rows sent."""
    if not rows:
        return 0
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    concrete: list[Any] = [meta.get_field(name) for name in fields]
    columns: list[str] = [pk.column, *(f.column for f in concrete)]
    placeholder = "(" + ", ".join(_placeholder(f) for f in [pk, *concrete]) + ")"
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns[1:])
    cte_cols = ", ".join(quote(c) for c in columns)
    all_fields: list[Any] = [pk, *concrete]
    if connection.vendor == "postgresql":
        return _bulk_set_arrays(table, columns, all_fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join([placeholder] * len(chunk))
            sql = (
                f"WITH v({cte_cols}) AS (VALUES {values}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}"
            )
            params: list[Any] = []
            for row in chunk:
                params.extend(f.get_db_prep_value(value, connection) for f, value in zip(all_fields, row, strict=True))
            cursor.execute(sql, params)
    return len(rows)


def _bulk_set_arrays(table: str, columns: list[str], all_fields: list[Any], rows: Sequence[Sequence[Any]]) -> int:
    """PostgreSQL: one array parameter per column, unnested into a relation (planning stays cheap)."""
    quote = connection.ops.quote_name
    arrays = ", ".join(f"CAST(%s AS {f.db_type(connection)}[])" for f in all_fields)
    names = ", ".join(quote(c) for c in columns)
    assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns[1:])
    sql = (f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({names}) "
           f"WHERE {table}.{quote(columns[0])} = v.{quote(columns[0])}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ARRAY_CHUNK):
            chunk = rows[start : start + ARRAY_CHUNK]
            params = [[f.get_db_prep_value(row[i], connection) for row in chunk] for i, f in enumerate(all_fields)]
            cursor.execute(sql, params)
    return len(rows)


def _placeholder(field: Any) -> str:
    # PostgreSQL types a VALUES list from its first row, so NULLs and numbers need explicit casts;
    # SQLite is dynamically typed and a cast there would turn dates into numbers.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.db_type(connection)})"
    return "%s"
