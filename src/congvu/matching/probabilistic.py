"""The probabilistic stage: Splink (Fellegi–Sunter) on the records the exact stage could not settle.

Blocking that grows with the residual, not with the population
    Each residual record gets a handful of blocking keys (:data:`BLOCKING_KEYS`: name + date, name + year,
    name + month-day, two of the three name parts + date, ID prefix + given name, ID serial + year, CMND
    halves + given name, name + hometown when there is no date). The population is read once; each row
    computes the same keys (column by column, so the name parts are folded once per distinct value, not
    per row) and is kept only if one of them is a residual key. The pairs are the equi-joins of those keys
    on the few candidate rows, handed to Splink with ``register_blocked_pairs_for_predict``: Splink scores
    exactly those pairs and never joins against the population itself.
Training from the pairs the exact stage confirmed
    m probabilities come from ``estimate_m_from_label_column`` on a sample of confirmed (register,
    owner) pairs, u probabilities from random pairs of the same sample; every level keeps at least
    ``m_floor``. The ID and CMND comparisons are fixed (``MatchConfig.personal_id`` / ``old_id``): the
    confirmed pairs all agree on the ID. Term frequencies of the folded full name are counted in the
    whole population, for the names the residual carries.
One answer per record
    Splink scores each pair alone; a record's candidates compete. The posterior that candidate k is the
    person is ``2^w_k / ((1 − π) + π·ε + Σ_j 2^w_j)`` with ``w`` Splink's match weight (its prior is π/N),
    π = ``prior_match_share`` and ε = ``blocking_miss_share``: two equally good namesakes get about 0.5
    each, and a lone candidate only scores high if it is much likelier than "the person is not in the
    extract".
The owner of a register ID that the exact stage found to be somebody else is never a candidate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from congvu.matching.config import MatchConfig
from congvu.matching.engine import Engine
from congvu.matching.exact import EVIDENCE_COLUMNS, evidence_select
from congvu.matching.features import population_features_sql
from congvu.matching.sql import Dialect

__all__ = ["BLOCKING_KEYS", "FEATURES", "StageStats", "comparisons", "run_probabilistic"]

#: Feature columns given to Splink (both sides).
FEATURES = ("name_c", "name_f", "fam", "mid", "giv", "dob", "yob", "md", "dm", "sex", "home", "pid", "oid")

#: Blocking keys: name → the feature columns hashed together. ``nh`` only for records without any date.
BLOCKING_KEYS: dict[str, tuple[str, ...]] = {
    "nd": ("fam", "mid", "giv", "dob"),
    "ny": ("fam", "mid", "giv", "yob"),
    "nm": ("fam", "mid", "giv", "md"),
    "fg": ("fam", "giv", "dob"),
    "fm": ("fam", "mid", "dob"),
    "mg": ("mid", "giv", "dob"),
    "pg": ("pid6", "giv"),
    "ps": ("pid_serial", "yob"),
    "oa": ("oid_a", "giv"),
    "ob": ("oid_b", "giv"),
    "nh": ("fam", "mid", "giv", "home"),
}

log = logging.getLogger(__name__)


@dataclass
class StageStats:
    residual: int = 0
    candidates: int = 0
    pairs: int = 0
    training_pairs: int = 0
    scored_pairs: int = 0
    proposals: int = 0


def _key_inputs(d: Dialect) -> dict[str, str]:
    """Derived key inputs, as SQL over a table with the feature columns."""
    return {
        "pid6": "substring(pid, 1, 6)",
        "pid_serial": "substring(pid, 7, 6)",
        "oid_a": "substring(oid, 1, 5)",
        "oid_b": "substring(oid, 5, 5)",
    }


def _key_sql(d: Dialect, name: str, value: Callable[[str], str]) -> str:
    return d.key(d.lit(name), *(value(c) for c in BLOCKING_KEYS[name]))


def residual_keys_sql(d: Dialect, keys: list[str]) -> str:
    derived = _key_inputs(d)

    def value(col: str) -> str:
        return derived.get(col, col)

    parts = []
    for name in keys:
        cond = "WHERE yob IS NULL" if name == "nh" else ""
        parts.append(f"SELECT record_id, '{name}' AS kind, {_key_sql(d, name, value)} AS k FROM residual {cond}")
    return " UNION ALL ".join(f"SELECT * FROM ({p}) x WHERE k IS NOT NULL" for p in parts)


def population_names_sql(d: Dialect, *, parts: bool) -> str:
    """Every population row with its folded name words (fam, mid, giv). Names are folded part by part
    (cheap on dictionary-encoded columns); a row whose family or given name has several words takes the
    slow path through the whole name so that the words split as on the register side."""
    if parts:
        simple = "(f_ho <> '' AND f_ten <> '' AND f_ho NOT LIKE '% %' AND f_ten NOT LIKE '% %')"
        return f"""
          SELECT s.*,
            CASE WHEN {simple} THEN f_ho ELSE {d.family('name_slow')} END AS fam,
            CASE WHEN {simple} THEN f_dem ELSE {d.middle('name_slow')} END AS mid,
            CASE WHEN {simple} THEN f_ten ELSE {d.given('name_slow')} END AS giv
          FROM (SELECT p.*, {d.fold("coalesce(ho, '')")} AS f_ho, {d.fold("coalesce(chudem, '')")} AS f_dem,
                  {d.fold("coalesce(ten, '')")} AS f_ten, NULLIF({d.fold("concat_ws(' ', ho, chudem, ten)")}, '')
                  AS name_slow
                FROM pop_src p) s
        """
    return f"""
      SELECT s.*, {d.family('name_slow')} AS fam, {d.middle('name_slow')} AS mid, {d.given('name_slow')} AS giv
      FROM (SELECT p.*, NULLIF({d.fold('full_name')}, '') AS name_slow FROM pop_src p) s
    """


def population_scan_sql(d: Dialect, *, parts: bool, keys: list[str]) -> str:
    """Population rows with at least one residual key (table ``res_keys``), with their keys."""
    iso = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    parsed = d.birth_date("trim(coalesce(n.dob_raw, ''))")
    dob = f"CASE WHEN {d.matches('n.dob_raw', iso)} THEN n.dob_raw ELSE CAST({parsed} AS STRING) END"
    yob = f"CASE WHEN {d.matches('n.dob_raw', '^[0-9]{4}')} THEN CAST(substring(n.dob_raw, 1, 4) AS INT) END"
    home, home_join = "CAST(NULL AS STRING)", ""
    if "nh" in keys:
        home, home_join = "lk.new", f"LEFT JOIN province_lookup lk ON lk.key = {d.place_key('n.home_raw')}"
    derived = _key_inputs(d)

    def value(col: str) -> str:
        return derived.get(col, col)

    key_cols = ", ".join(f"{_key_sql(d, k, value)} AS k_{k}" for k in keys)
    tests = " OR ".join(f"k_{k} IN (SELECT k FROM res_keys WHERE kind = '{k}')" for k in keys)
    return f"""
      SELECT * FROM (
        SELECT z.*, {key_cols} FROM (
          SELECT y.*, substring(y.dob, 6, 5) AS md FROM (
            SELECT n.pid, n.old_id, n.ho, n.chudem, n.ten, n.full_name, n.dob_raw, n.sex_raw, n.home_raw,
              n.fam, n.mid, n.giv, {dob} AS dob, {yob} AS yob, n.old_id AS oid, {home} AS home
            FROM ({population_names_sql(d, parts=parts)}) n {home_join}
          ) y
        ) z
      ) w WHERE {tests}
    """


def name_frequencies_sql(d: Dialect, *, parts: bool, population_rows: int) -> str:
    """Share of the population carrying each folded full name that a residual record carries."""
    name_key = d.key(d.lit("n"), "fam", "mid", "giv")
    return f"""
      SELECT r.name_f, t.cnt / {float(population_rows)} AS tf_name_f
      FROM (SELECT DISTINCT name_f, {name_key} AS nk FROM residual WHERE name_f IS NOT NULL) r
      JOIN (
        SELECT nk, CAST(count(*) AS DOUBLE) AS cnt FROM (
          SELECT {name_key} AS nk FROM ({population_names_sql(d, parts=parts)}) n
        ) x WHERE nk IN (SELECT {name_key} FROM residual)
        GROUP BY nk
      ) t ON t.nk = r.nk
    """


def _level(sql: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _fixed(levels: list[dict[str, Any]], m: tuple[float, ...], u: tuple[float, ...]) -> list[dict[str, Any]]:
    for level, m_value, u_value in zip(levels[1:], m, u, strict=True):
        level.update(m_probability=m_value, u_probability=u_value, fix_m_probability=True, fix_u_probability=True)
    return levels


def comparisons(config: MatchConfig) -> list[dict[str, Any]]:
    """The Splink comparisons, as dictionaries in the SQL both engines understand."""
    tf = {"tf_adjustment_column": "name_f", "tf_adjustment_weight": 1.0}
    name = [
        _level("name_f_l IS NULL OR name_f_r IS NULL", "null", is_null_level=True),
        _level("name_c_l = name_c_r", "exact", **tf),
        _level("name_f_l = name_f_r", "diacritics", **tf),
        _level("fam_l = fam_r AND giv_l = giv_r", "middle name differs"),
        _level("levenshtein(name_f_l, name_f_r) <= 2", "typo"),
        _level("giv_l = giv_r", "given name"),
        _level("ELSE", "different"),
    ]
    dob = [
        _level("(dob_l IS NULL AND yob_l IS NULL) OR (dob_r IS NULL AND yob_r IS NULL)", "null", is_null_level=True),
        _level("dob_l = dob_r", "exact"),
        _level("yob_l = yob_r AND md_l = dm_r", "day and month swapped"),
        _level("yob_l = yob_r AND (dob_l IS NULL OR dob_r IS NULL)", "year only"),
        _level("levenshtein(dob_l, dob_r) = 1 OR (md_l = md_r AND abs(yob_l - yob_r) = 1)", "typo"),
        _level("yob_l = yob_r", "same year"),
        _level("ELSE", "different"),
    ]
    sex = [_level("sex_l IS NULL OR sex_r IS NULL", "null", is_null_level=True),
           _level("sex_l = sex_r", "exact"), _level("ELSE", "different")]
    home = [_level("home_l IS NULL OR home_r IS NULL", "null", is_null_level=True),
            _level("home_l = home_r", "exact"), _level("ELSE", "different")]
    pid = _fixed([
        _level("pid_l IS NULL OR pid_r IS NULL", "null", is_null_level=True),
        _level("pid_l = pid_r", "exact"),
        _level("levenshtein(pid_l, pid_r) = 1", "one edit"),
        _level("levenshtein(pid_l, pid_r) = 2", "two edits"),
        _level("ELSE", "different"),
    ], config.personal_id.m, config.personal_id.u)
    oid = _fixed([
        _level("oid_l IS NULL OR oid_r IS NULL", "null", is_null_level=True),
        _level("levenshtein(oid_l, oid_r) <= 1", "at most one edit"),
        _level("ELSE", "different"),
    ], config.old_id.m, config.old_id.u)
    return [
        {"output_column_name": column, "comparison_description": column, "comparison_levels": levels}
        for column, levels in (("name", name), ("birth_date", dob), ("sex", sex), ("hometown", home),
                               ("personal_id", pid), ("old_id", oid))
    ]


def settings(config: MatchConfig, prior: float) -> dict[str, Any]:
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "source_dataset_column_name": "source_dataset",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(config),
        "blocking_rules_to_generate_predictions": [],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }


def _features(prefix: str = "") -> str:
    return ", ".join(f"{prefix}{c}" for c in FEATURES)


def _floor_m(model: dict[str, Any], floor: float) -> dict[str, Any]:
    """Give every non-null level an m probability of at least ``floor`` (renormalised)."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if any(lv.get("fix_m_probability") for lv in levels):
            continue
        values = [max(float(lv.get("m_probability") or 0.0), floor) for lv in levels]
        total = sum(values)
        for lv, value in zip(levels, values, strict=True):
            lv["m_probability"] = value / total
    return model


def train(engine: Engine, config: MatchConfig, prior: float) -> tuple[dict[str, Any], int]:
    """m from confirmed pairs (label = the owner's ID), u from random pairs; returns the model and pairs used."""
    from splink import Linker

    sample = config.training_pairs
    n = engine.create_table("train_reg", f"""
      SELECT 'reg' AS source_dataset, r.record_id AS unique_id, {_features('r.')}, a.matched_personal_id AS label
      FROM reg r JOIN accepted a ON a.record_id = r.record_id AND a.stage = 'id'
      ORDER BY {engine.dialect.hash('r.record_id')} LIMIT {sample}
    """)
    engine.create_table("train_pop", f"""
      SELECT 'pop' AS source_dataset, o.pid AS unique_id, {_features('o.')}, o.pid AS label
      FROM (SELECT o.*, o.old_id AS oid, row_number() OVER (PARTITION BY o.pid ORDER BY o.pid) AS n
            FROM owners o WHERE o.pid IN (SELECT label FROM train_reg)) o
      WHERE o.n = 1
    """)
    db_api = engine.splink_api()
    left = db_api.register("train_reg", table_name="train_reg_in")
    right = db_api.register("train_pop", table_name="train_pop_in")
    linker = Linker([left, right], settings(config, prior), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=config.u_sample_pairs, seed=1)
    linker.training.estimate_m_from_label_column("label")
    model = _floor_m(linker.misc.save_model_to_json(), config.m_floor)
    model["probability_two_random_records_match"] = prior
    return model, n


def run_probabilistic(engine: Engine, config: MatchConfig, *, parts: bool, population_rows: int,
                      timings: dict[str, float], clock: Callable[[str], Any]) -> StageStats:
    """Residual → candidates → pairs → Splink → table ``proposals`` (best candidate per record)."""
    from splink import Linker

    d = engine.dialect
    stats = StageStats()
    with clock("probabilistic: residual"):
        stats.residual = engine.create_table("residual", f"""
          SELECT r.*, 'reg' AS source_dataset, r.record_id AS unique_id, l.id_owner
          FROM reg r JOIN id_lookup l ON l.record_id = r.record_id
          WHERE r.record_id NOT IN (SELECT record_id FROM accepted)
        """)
    if stats.residual == 0:
        engine.create_table("proposals", _empty_proposals())
        return stats
    keys = [k for k in BLOCKING_KEYS if k != "nh" or engine.scalar("SELECT count(*) FROM residual WHERE yob IS NULL")]
    with clock("probabilistic: candidates"):
        engine.create_table("res_keys", residual_keys_sql(d, keys))
        engine.create_table("cand_raw", population_scan_sql(d, parts=parts, keys=keys))
        stats.candidates = engine.create_table("cand", f"""
          SELECT 'pop' AS source_dataset, c.pid AS unique_id, c.old_id AS oid, c.*
          FROM ({population_features_sql(d, "(SELECT pid, old_id, ho, chudem, ten, full_name, dob_raw, sex_raw, "
                                            "home_raw FROM cand_raw)", parts=parts)}) c
        """)
    with clock("probabilistic: pairs"):
        key_union = " UNION ALL ".join(
            f"SELECT pid, '{k}' AS kind, k_{k} AS k FROM cand_raw WHERE k_{k} IS NOT NULL" for k in keys)
        engine.create_table("cand_keys", key_union)
        stats.pairs = engine.create_table("pairs", f"""
          SELECT min(x.kind) AS match_key,
            'reg-__-' || x.record_id AS join_key_l, 'pop-__-' || x.pid AS join_key_r
          FROM (SELECT r.record_id, c.pid, r.kind FROM res_keys r JOIN cand_keys c ON c.kind = r.kind AND c.k = r.k) x
          JOIN residual re ON re.record_id = x.record_id
          WHERE re.id_owner IS NULL OR re.id_owner <> x.pid
          GROUP BY x.record_id, x.pid
        """)
        engine.drop("cand_keys", "res_keys")
    with clock("probabilistic: term frequencies"):
        engine.create_table("tf_name_f", name_frequencies_sql(d, parts=parts, population_rows=population_rows))
    prior = config.prior_match_share / max(population_rows, 1)
    with clock("probabilistic: training"):
        model, stats.training_pairs = train(engine, config, prior)
    with clock("probabilistic: scoring"):
        db_api = engine.splink_api()
        engine.create_table("residual_in", f"SELECT source_dataset, unique_id, {_features()} FROM residual")
        engine.create_table("cand_in", f"SELECT source_dataset, unique_id, {_features()} FROM cand")
        left = db_api.register("residual_in", table_name="residual_splink")
        right = db_api.register("cand_in", table_name="cand_splink")
        linker = Linker([left, right], model, log_level=logging.WARNING)
        linker.table_management.register_term_frequency_lookup(db_api.register("tf_name_f", table_name="tf_in"),
                                                               "name_f")
        linker.table_management.register_blocked_pairs_for_predict(db_api.register("pairs", table_name="pairs_in"))
        predictions = linker.inference.predict(threshold_match_weight=config.min_match_weight, warning_mode="never")
        stats.scored_pairs = engine.create_table(
            "scored", f"SELECT unique_id_l AS record_id, unique_id_r AS pid, match_weight FROM {predictions.physical_name}")
        predictions.drop_table_from_database_and_remove_from_cache()
    with clock("probabilistic: decisions"):
        stats.proposals = _decide(engine, config)
    engine.drop("cand_raw", "pairs")
    return stats


def _empty_proposals() -> str:
    return ("SELECT CAST(NULL AS STRING) AS record_id, CAST(NULL AS STRING) AS pid, CAST(NULL AS DOUBLE) AS posterior, "
            "0 AS rank_no, 0 AS close_candidates WHERE 1 = 0")


def _decide(engine: Engine, config: MatchConfig) -> int:
    """Posterior per candidate, then the best one per record with its evidence (table ``proposals``)."""
    rest = (1 - config.prior_match_share) + config.prior_match_share * config.blocking_miss_share
    engine.create_table("posterior", f"""
      SELECT record_id, pid, posterior,
        row_number() OVER (PARTITION BY record_id ORDER BY posterior DESC, pid) AS rank_no,
        sum(CASE WHEN posterior >= {config.review_floor} THEN 1 ELSE 0 END) OVER (PARTITION BY record_id)
          AS close_candidates
      FROM (
        SELECT record_id, pid, power(2, match_weight) / ({rest} + sum(power(2, match_weight))
          OVER (PARTITION BY record_id)) AS posterior
        FROM scored
      ) x
    """)
    columns = ", ".join(EVIDENCE_COLUMNS)
    return engine.create_table("proposals", f"""
      SELECT {columns}, close_candidates FROM (
        SELECT {evidence_select(engine, 'probabilistic', 'b.posterior')}, b.close_candidates
        FROM (SELECT * FROM posterior WHERE rank_no = 1) b
        JOIN residual r ON r.record_id = b.record_id
        JOIN cand p ON p.pid = b.pid
      ) x
    """)
