"""The exact stage: the register's personal ID, then its old CMND number, looked up in the population.

1. ``reg``: features of every register row (:func:`~congvu.matching.features.register_features_sql`).
2. ``e1``: rows whose normalised ID exists in the population, joined to the owner's features. A hash join
   with the register as the build side: the population is read once, column by column, and only the
   owners found are normalised.
3. The owner is the register's person when :func:`~congvu.matching.features.accepts_sql` holds; then the
   record is MATCHED (every field the same) or MATCHED_WITH_DIFFERENCES. Otherwise the ID
   ``belongs_to_other_person`` and the record goes on.
4. ``e2``: records not settled, with a 9-digit CMND (in the CMND column or typed into the ID column),
   looked up in the population's ``SoCMND`` with the same rule: MATCHED_BY_OLD_ID.

Result: table ``accepted`` (one row per settled record with the owner's evidence and the field kinds) and
table ``id_lookup`` (per record: was the ID found, and was it somebody else's).
"""

from __future__ import annotations

from congvu.matching.engine import Engine
from congvu.matching.features import (
    FIELDS,
    accepts_sql,
    differences_sql,
    kind_sql,
    population_features_sql,
    register_features_sql,
)

__all__ = ["EVIDENCE_COLUMNS", "evidence_select", "prepare_register", "run_exact"]

#: Columns every match (exact or proposed) carries for the results.
EVIDENCE_COLUMNS = (
    "record_id", "stage", "matched_personal_id", "probability", "pop_full_name", "pop_birth_date", "pop_sex",
    "pop_old_id", "differences", "name_kind", "dob_kind", "sex_kind", "home_kind", "pid_kind",
)  # fmt: skip


def prepare_register(engine: Engine) -> int:
    return engine.create_table("reg", register_features_sql(engine.dialect, "reg_src"))


def evidence_select(engine: Engine, stage: str, probability: str = "CAST(NULL AS DOUBLE)") -> str:
    """Evidence columns of a join of ``reg r`` with population features ``p`` (plus ``accepted``)."""
    d = engine.dialect
    kinds = {f: kind_sql(d, f) for f in FIELDS}
    return f"""
      r.record_id, '{stage}' AS stage, p.pid AS matched_personal_id, {probability} AS probability,
      p.pop_full_name, coalesce(p.dob, CAST(p.yob AS STRING)) AS pop_birth_date, p.sex AS pop_sex,
      p.old_id AS pop_old_id, {differences_sql(kinds)} AS differences,
      {kinds['full_name']} AS name_kind, {kinds['birth_date']} AS dob_kind, {kinds['sex']} AS sex_kind,
      {kinds['hometown']} AS home_kind, {kinds['personal_id']} AS pid_kind,
      {accepts_sql(kinds['full_name'], kinds['birth_date'])} AS accepted
    """


def run_exact(engine: Engine, *, parts: bool) -> dict[str, int]:
    d = engine.dialect
    counts: dict[str, int] = {}
    counts["id_found"] = engine.create_table(
        "e1_raw", "SELECT r.record_id AS reg_record_id, p.* FROM reg r JOIN pop_src p ON p.pid = r.pid")
    engine.create_table("e1_pop", population_features_sql(d, "e1_raw", parts=parts))
    engine.create_table("e1", f"""
      SELECT {evidence_select(engine, 'id')}
      FROM reg r JOIN e1_pop p ON p.reg_record_id = r.record_id
    """)
    engine.create_table("owners", "SELECT * FROM e1_pop")  # the training pairs' population side
    engine.drop("e1_raw", "e1_pop")
    counts["id_accepted"] = int(engine.scalar("SELECT count(*) FROM e1 WHERE accepted"))
    counts["old_id_found"] = engine.create_table("e2_raw", """
      SELECT r.record_id AS reg_record_id, p.* FROM reg r JOIN pop_src p ON p.old_id = r.oid
      WHERE r.oid IS NOT NULL AND r.record_id NOT IN (SELECT record_id FROM e1 WHERE accepted)
    """)
    engine.create_table("e2_pop", population_features_sql(d, "e2_raw", parts=parts))
    engine.create_table("e2", f"""
      SELECT {evidence_select(engine, 'old_id')}
      FROM reg r JOIN e2_pop p ON p.reg_record_id = r.record_id
    """)
    engine.drop("e2_raw", "e2_pop")
    columns = ", ".join(EVIDENCE_COLUMNS)
    counts["accepted"] = engine.create_table("accepted", f"""
      SELECT {columns} FROM e1 WHERE accepted
      UNION ALL
      SELECT {columns} FROM (
        SELECT e2.*, row_number() OVER (PARTITION BY record_id ORDER BY matched_personal_id) AS n
        FROM e2 WHERE accepted) x
      WHERE n = 1
    """)
    engine.create_table("id_lookup", """
      SELECT r.record_id,
        CASE WHEN r.pid IS NULL THEN NULL WHEN e1.record_id IS NULL THEN 'not_in_population'
             WHEN NOT e1.accepted THEN 'belongs_to_other_person' END AS lookup_problem,
        e1.matched_personal_id AS id_owner
      FROM reg r LEFT JOIN e1 ON e1.record_id = r.record_id
    """)
    return counts
