"""Duplicates: one person behind several records, one ID on several records.

- *Same person*: two or more records settled on the same population person (a second current employment,
  or the same person entered twice) — each points to another record of the group.
- *Same ID*: two or more records carrying the same personal ID. When they are the same person this is the
  case above; when they are not, one of them carries somebody else's ID (the ``id_problem`` of that record
  says ``belongs_to_other_person``), and the records still point at each other so HR sees both.

``duplicate_of`` is the smallest other record ID of the group (for the smallest record itself, the next
one), so every member of a group points somewhere and the pointers are stable between runs.
"""

from __future__ import annotations

__all__ = ["duplicate_of_sql"]


def _other_in_group(table: str, key: str, condition: str) -> str:
    """record_id → smallest *other* record_id sharing ``key`` (rows with ``condition``), for groups of 2+."""
    return f"""
      SELECT record_id,
        CASE WHEN record_id = first_id THEN second_id ELSE first_id END AS other_id
      FROM (
        SELECT g.record_id, g.first_id, g.n,
          min(CASE WHEN g.record_id <> g.first_id THEN g.record_id END) OVER (PARTITION BY g.k) AS second_id
        FROM (
          SELECT record_id, {key} AS k,
            min(record_id) OVER (PARTITION BY {key}) AS first_id,
            count(*) OVER (PARTITION BY {key}) AS n
          FROM {table} WHERE {condition}
        ) g
      ) x WHERE n > 1
    """


def duplicate_of_sql(table: str, accepted_statuses: tuple[str, ...]) -> str:
    """record_id → duplicate_of for the records of ``table`` (columns record_id, status,
    matched_personal_id, register_pid)."""
    statuses = ", ".join(f"'{s}'" for s in accepted_statuses)
    person = _other_in_group(table, "matched_personal_id", f"status IN ({statuses})")
    same_id = _other_in_group(table, "register_pid", "register_pid IS NOT NULL")
    return f"""
      SELECT t.record_id, coalesce(p.other_id, i.other_id, '') AS duplicate_of
      FROM {table} t
      LEFT JOIN ({person}) p ON p.record_id = t.record_id
      LEFT JOIN ({same_id}) i ON i.record_id = t.record_id
    """
