"""The probabilistic stage: Splink (Fellegi–Sunter) on the records the exact stage could not settle.

Blocking that grows with the residual, not with the population
    Each residual record gets a handful of blocking keys (:data:`BLOCKING_KEYS`). The population is read
    once (:func:`population_scan_sql`): each row computes the same keys from typed inputs (names folded
    column by column, so once per distinct value of a dictionary-encoded column; dates and ID parts as
    integers) and only the IDs of rows sharing a key with the residual are kept; those rows are then read
    in full. The pairs are equi-joins of the keys on these few rows, handed to Splink with
    ``register_blocked_pairs_for_predict``: Splink scores exactly those pairs and never joins the population.
Training from the pairs the exact stage confirmed
    m probabilities come from ``estimate_m_from_label_column`` on a sample of confirmed (register row,
    owner) pairs; u from every pair of a fixed sample of register rows × population rows; every level keeps
    m ≥ ``m_floor`` and u ≥ 1/(pairs compared). The ID and CMND comparisons are fixed
    (``MatchConfig.personal_id`` / ``old_id``): the confirmed pairs all agree on their ID. Term frequencies
    of the folded full name are counted in the whole population, for the names the residual carries (and
    ``name_n`` says when a register name exists nowhere in the population: a near miss is then a typo).
One answer per record
    Splink scores each pair alone; a record's candidates compete. The posterior that candidate k is the
    person is ``b_k / ((1 − π)/π + ε + Σ_j b_j)`` with ``b = 2^w / π0`` (``w`` Splink's match weight, whose
    prior is π0/N), π the share of residual records whose person is in the extract (EM from the scores,
    :func:`estimate_prior_share`) and ε = ``blocking_miss_share``: two equally good namesakes get about 0.5
    each, and a lone candidate only scores high if it is much likelier than "the person is not in the
    extract".
The owner of a register ID that the exact stage found to be somebody else stays a candidate: with two
errors in the name (or a changed name) the exact rule rejects the right person, and only the weights of
all the fields together can tell.
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

#: Feature columns given to Splink (both sides). ``name_n``: how many people in the population carry the
#: register's folded name (0: nobody, so a near miss is a typo); 1 on the population side.
FEATURES = ("name_c", "name_f", "name_n", "fam", "mid", "giv", "dob", "yob", "md", "dm", "sex", "home", "pid",
            "oid")

#: Blocking keys: name → the key inputs hashed together (:func:`key_inputs_sql`). On the register side
#: ``nm`` is also made from the day and month swapped, ``ny`` only for records with a year but no date,
#: ``nh`` only for records with no date at all; ``oa``/``ob`` need a CMND. Together they find the right
#: person for records with one error in the name and one in the date, or an ID typo and errors elsewhere,
#: while every key stays narrow (a common name and a year alone would pair each record with thousands).
BLOCKING_KEYS: dict[str, tuple[str, ...]] = {
    "nym": ("fam", "mid", "giv", "ym_i"),  # name + year and month: a typo in the day
    "nm": ("fam", "mid", "giv", "md_i"),  # name + day and month: the year wrong (or day/month swapped)
    "ny": ("fam", "mid", "giv", "yob"),  # name + year: only the year is known
    "fg": ("fam", "giv", "dob_i"),  # the middle name missing or changed
    "fm": ("fam", "mid", "dob_i"),  # a typo in the given name
    "mg": ("mid", "giv", "dob_i"),  # a typo in the family name
    "pg": ("pid6", "fam", "giv"),  # ID typo in the serial, errors in the date
    "ps": ("pser", "yob"),  # ID typo in the first six digits
    "oa": ("oida", "giv"),  # CMND typos
    "ob": ("oidb", "giv"),
    "nh": ("fam", "mid", "giv", "home"),  # no date at all
}
#: Keys the register side only makes for some records (the condition), and the population side only
#: computes when at least one residual record needs them.
OPTIONAL_KEYS = {"ny": "dob_d IS NULL AND yob IS NOT NULL", "oa": "oid IS NOT NULL", "ob": "oid IS NOT NULL",
                 "nh": "yob IS NULL"}

log = logging.getLogger(__name__)


@dataclass
class StageStats:
    residual: int = 0
    candidates: int = 0
    pairs: int = 0
    training_pairs: int = 0
    scored_pairs: int = 0
    proposals: int = 0
    prior_match_share: float = 0.0
    model: dict[str, Any] | None = None


def key_inputs_sql(*, dob_i: str, yob: str, pid: str = "pid", oid: str = "oid") -> str:
    """The typed inputs of the blocking keys (dates and ID parts as BIGINT: cheaper to hash than text).

    Both sides compute them with this SQL, so equal values hash alike on every engine.
    """
    return (
        f"CAST({dob_i} AS BIGINT) AS dob_i, CAST({yob} AS BIGINT) AS yob, "
        f"CAST(({dob_i}) % 10000 AS BIGINT) AS md_i, CAST(floor(({dob_i}) / 100) AS BIGINT) AS ym_i, "
        f"CAST(floor(try_cast({pid} AS BIGINT) / 1000000) AS BIGINT) AS pid6, "
        f"CAST(try_cast({pid} AS BIGINT) % 1000000 AS BIGINT) AS pser, "
        f"try_cast(substring({oid}, 1, 5) AS BIGINT) AS oida, try_cast(substring({oid}, 5, 5) AS BIGINT) AS oidb"
    )


def date_int_sql(date: str) -> str:
    """yyyymmdd of a DATE expression."""
    return f"(year({date}) * 10000 + month({date}) * 100 + day({date}))"


def keys_sql(d: Dialect, keys: list[str]) -> str:
    """``k_<name>`` columns over a relation that has the key inputs."""
    return ", ".join(f"{d.key(d.lit(k), *BLOCKING_KEYS[k])} AS k_{k}" for k in keys)


def residual_keys_sql(d: Dialect, keys: list[str]) -> str:
    inputs = key_inputs_sql(dob_i=date_int_sql("dob_d"), yob="yob")
    swapped = "CASE WHEN day(dob_d) <= 12 AND day(dob_d) <> month(dob_d) THEN day(dob_d) * 100 + month(dob_d) END"
    keyed = f"SELECT record_id, dob_d, fam, mid, giv, home, oid, {inputs}, CAST({swapped} AS BIGINT) AS dm_i FROM residual"
    parts = []
    for name in keys:
        cond = f"WHERE {OPTIONAL_KEYS[name]}" if name in OPTIONAL_KEYS else ""
        parts.append(f"SELECT record_id, '{name}' AS kind, {d.key(d.lit(name), *BLOCKING_KEYS[name])} AS k "
                     f"FROM ({keyed}) x {cond}")
        if name == "nm":
            swapped_key = d.key(d.lit(name), *(c if c != "md_i" else "dm_i" for c in BLOCKING_KEYS[name]))
            parts.append(f"SELECT record_id, '{name}' AS kind, {swapped_key} AS k FROM ({keyed}) x")
    return " UNION ALL ".join(f"SELECT * FROM ({p}) y WHERE k IS NOT NULL" for p in parts)


def population_names_sql(d: Dialect, *, parts: bool) -> str:
    """Every population row with its folded name words (fam, mid, giv). Names are folded part by part
    (cheap on dictionary-encoded columns); a row whose family or given name has several words takes the
    slow path through the whole name so that the words split as on the register side."""
    if parts:
        # The whole-name path sits inside the CASE so that only the rare rows that need it pay for it.
        whole = "concat_ws(' ', p.ho, p.chudem, p.ten)"
        slow = f"NULLIF({d.fold(whole)}, '')"
        f_ho, f_dem, f_ten = (d.fold(f"coalesce(p.{c}, '')") for c in ("ho", "chudem", "ten"))
        simple = f"({f_ho} <> '' AND {f_ten} <> '' AND {f_ho} NOT LIKE '% %' AND {f_ten} NOT LIKE '% %')"
        return f"""
          SELECT p.*,
            CASE WHEN {simple} THEN {f_ho} ELSE {d.family(slow)} END AS fam,
            CASE WHEN {simple} THEN {f_dem} ELSE {d.middle(slow)} END AS mid,
            CASE WHEN {simple} THEN {f_ten} ELSE {d.given(slow)} END AS giv
          FROM pop_src p
        """
    return f"""
      SELECT s.*, {d.family('name_slow')} AS fam, {d.middle('name_slow')} AS mid, {d.given('name_slow')} AS giv
      FROM (SELECT p.*, NULLIF({d.fold('full_name')}, '') AS name_slow FROM pop_src p) s
    """


def population_scan_sql(d: Dialect, *, parts: bool, keys: list[str]) -> str:
    """IDs of the population rows with at least one residual key (table ``res_keys``).

    Only the key inputs travel through this scan (narrow rows); :func:`run_probabilistic` then fetches
    the few candidate rows in full with a second, selective scan.
    """
    iso = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    parsed = date_int_sql(d.birth_date("trim(coalesce(n.dob_raw, ''))"))
    dob_i = f"CASE WHEN {d.matches('n.dob_raw', iso)} THEN try_cast(replace(n.dob_raw, '-', '') AS BIGINT) ELSE {parsed} END"
    yob = f"CASE WHEN {d.matches('n.dob_raw', '^[0-9]{4}')} THEN try_cast(substring(n.dob_raw, 1, 4) AS BIGINT) END"
    home, home_join = "CAST(NULL AS STRING)", ""
    if "nh" in keys:
        home, home_join = "lk.new", f"LEFT JOIN province_lookup lk ON lk.key = {d.place_key('n.home_raw')}"
    tests = " OR ".join(f"k_{k} IN (SELECT k FROM res_keys WHERE kind = '{k}')" for k in keys)
    return f"""
      SELECT pid FROM (
        SELECT x.pid, {keys_sql(d, keys)} FROM (
          SELECT n.pid, n.fam, n.mid, n.giv, {home} AS home,
            {key_inputs_sql(dob_i=dob_i, yob=yob, pid='n.pid', oid='n.old_id')}
          FROM ({population_names_sql(d, parts=parts)}) n {home_join}
        ) x
      ) w WHERE {tests}
    """


def name_counts_sql(d: Dialect, *, parts: bool) -> str:
    """How many population rows carry each folded full name found in the residual or the training sample."""
    name_key = d.key(d.lit("n"), "fam", "mid", "giv")
    return f"""
      SELECT r.name_f, coalesce(t.cnt, 0) AS cnt
      FROM (SELECT DISTINCT name_f, {name_key} AS nk FROM wanted_names WHERE name_f IS NOT NULL) r
      LEFT JOIN (
        SELECT nk, count(*) AS cnt FROM (
          SELECT {name_key} AS nk FROM ({population_names_sql(d, parts=parts)}) n
        ) x WHERE nk IN (SELECT {name_key} FROM wanted_names)
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
        _level("fam_l = fam_r AND giv_l = giv_r AND (instr(mid_l, mid_r) > 0 OR instr(mid_r, mid_l) > 0)",
               "middle name missing or shortened"),
        _level("fam_l = fam_r AND giv_l = giv_r", "middle name differs"),
        _level("levenshtein(name_f_l, name_f_r) <= 2 AND (name_n_l = 0 OR name_n_r = 0)",
               "typo into a name nobody has"),
        _level("levenshtein(name_f_l, name_f_r) <= 2", "typo or a similar name"),
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


def _floor_probabilities(model: dict[str, Any], m_floor: float, u_floor: float) -> dict[str, Any]:
    """Every non-null level gets m ≥ ``m_floor`` and u ≥ ``u_floor`` (both renormalised).

    A level the confirmed pairs never show still has a small m (a true match may look like that); a
    level the random pairs never showed has u below one in ``u_sample_pairs``, not zero.
    """
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for key, floor, fixed in (("m_probability", m_floor, "fix_m_probability"),
                                  ("u_probability", u_floor, "fix_u_probability")):
            if any(lv.get(fixed) for lv in levels):
                continue
            values = [max(float(lv.get(key) or 0.0), floor) for lv in levels]
            total = sum(values)
            for lv, value in zip(levels, values, strict=True):
                lv[key] = value / total
    return model


def training_sample(engine: Engine, config: MatchConfig) -> int:
    """Confirmed pairs for training: a sample of register rows settled by their ID, and their owners.

    The sample is ordered by ``md5`` (the same on every engine), so DuckDB and Spark train alike.
    """
    n = engine.create_table("train_reg", f"""
      SELECT 'reg' AS source_dataset, r.record_id AS unique_id, r.*, a.matched_personal_id AS label
      FROM reg r JOIN accepted a ON a.record_id = r.record_id AND a.stage = 'id'
      ORDER BY md5(r.record_id), r.record_id LIMIT {config.training_pairs}
    """)
    engine.create_table("train_pop", """
      SELECT 'pop' AS source_dataset, o.pid AS unique_id, o.*, o.pid AS label
      FROM (SELECT o.*, o.old_id AS oid, row_number() OVER (PARTITION BY o.pid ORDER BY o.pid) AS n
            FROM owners o WHERE o.pid IN (SELECT label FROM train_reg)) o
      WHERE o.n = 1
    """)
    return n


def splink_input(engine: Engine, name: str, source: str, *, label: bool = False, counts: bool = True) -> str:
    """Table ``name`` with exactly the Splink columns, ``name_n`` from ``name_counts`` (register side)."""
    cols = [f"s.{c}" for c in FEATURES if c != "name_n"]
    name_n = "coalesce(nc.cnt, 0)" if counts else "1"
    join = "LEFT JOIN name_counts nc ON nc.name_f = s.name_f" if counts else ""
    extra = ", s.label" if label else ""
    engine.create_table(name, f"SELECT s.source_dataset, s.unique_id, {', '.join(cols)}, "
                              f"CAST({name_n} AS BIGINT) AS name_n{extra} FROM {source} s {join}")
    return name


def _u_sample(engine: Engine, config: MatchConfig, *, parts: bool) -> int:
    """Fixed tables for u: K register rows and K population rows, all K² pairs compared.

    The register rows are the first K of the training sample, the population rows the first K (md5
    order) of those whose ID ends in "123" (about one in a thousand: a cheap, engine-independent
    sample of the whole population, so that u reflects everybody a record could be confused with).
    Splink samples pairs at random when asked for fewer than all of them, differently on each engine;
    comparing every pair of two fixed tables makes u the same on DuckDB and Spark.
    """
    k = max(2, int(config.u_sample_pairs ** 0.5))
    columns = f"source_dataset, unique_id, {_features()}"
    engine.create_table("u_reg_in", f"SELECT {columns} FROM train_reg_in ORDER BY md5(unique_id), unique_id LIMIT {k}")
    engine.create_table("u_pop_raw", f"""
      SELECT * FROM pop_src WHERE substring(pid, 10, 3) = '123' ORDER BY md5(pid), pid LIMIT {k}
    """)
    engine.create_table("u_pop", f"""
      SELECT 'pop' AS source_dataset, c.pid AS unique_id, c.old_id AS oid, c.*
      FROM ({population_features_sql(engine.dialect, 'u_pop_raw', parts=parts)}) c
    """)
    splink_input(engine, "u_pop_in", "u_pop", counts=False)
    rows = int(engine.scalar("SELECT count(*) FROM u_pop_in"))
    if rows < 2:  # a tiny extract: fall back on the owners of the training sample
        engine.create_table("u_pop_in", f"SELECT {columns} FROM train_pop_in ORDER BY md5(unique_id), unique_id "
                                        f"LIMIT {k}")
        rows = int(engine.scalar("SELECT count(*) FROM u_pop_in"))
    engine.drop("u_pop_raw", "u_pop")
    return k * rows


def _merge_u(model: dict[str, Any], u_model: dict[str, Any]) -> dict[str, Any]:
    for comparison, u_comparison in zip(model["comparisons"], u_model["comparisons"], strict=True):
        for level, u_level in zip(comparison["comparison_levels"], u_comparison["comparison_levels"], strict=True):
            if not level.get("fix_u_probability") and "u_probability" in u_level:
                level["u_probability"] = u_level["u_probability"]
    return model


def train(engine: Engine, config: MatchConfig, prior: float, *, parts: bool) -> dict[str, Any]:
    """m from confirmed pairs (label = the owner's ID), u from every pair of a fixed sample."""
    from splink import Linker

    db_api = engine.splink_api()
    left = db_api.register(splink_input(engine, "train_reg_in", "train_reg", label=True), table_name="train_l")
    right = db_api.register(splink_input(engine, "train_pop_in", "train_pop", label=True, counts=False),
                            table_name="train_r")
    linker = Linker([left, right], settings(config, prior), log_level=logging.WARNING)
    linker.training.estimate_m_from_label_column("label")
    model = linker.misc.save_model_to_json()
    pairs = _u_sample(engine, config, parts=parts)
    u_api = engine.splink_api()
    u_linker = Linker([u_api.register("u_reg_in", table_name="u_l"), u_api.register("u_pop_in", table_name="u_r")],
                      settings(config, prior), log_level=logging.WARNING)
    u_linker.training.estimate_u_using_random_sampling(max_pairs=pairs + 1, seed=1)
    model = _merge_u(model, u_linker.misc.save_model_to_json())
    model = _floor_probabilities(model, config.m_floor, 1.0 / pairs)
    model["probability_two_random_records_match"] = prior
    return model


def run_probabilistic(engine: Engine, config: MatchConfig, *, parts: bool, population_rows: int,
                      clock: Callable[[str], Any]) -> StageStats:
    """Residual → candidates → pairs → Splink → table ``proposals`` (best candidate per record)."""
    from splink import Linker

    d = engine.dialect
    stats = StageStats()
    with clock("probabilistic: residual"):
        stats.residual = engine.create_table("residual", """
          SELECT r.*, 'reg' AS source_dataset, r.record_id AS unique_id, l.id_owner
          FROM reg r JOIN id_lookup l ON l.record_id = r.record_id
          WHERE r.record_id NOT IN (SELECT record_id FROM accepted)
        """)
    if stats.residual == 0:
        engine.create_table("proposals", _empty_proposals())
        return stats
    keys = [k for k in BLOCKING_KEYS
            if k not in OPTIONAL_KEYS or engine.scalar(f"SELECT count(*) FROM residual WHERE {OPTIONAL_KEYS[k]}")]
    with clock("probabilistic: candidates"):
        engine.create_table("res_keys", residual_keys_sql(d, keys))
        engine.create_table("cand_ids", population_scan_sql(d, parts=parts, keys=keys))
        engine.create_table("cand_raw", "SELECT * FROM pop_src WHERE pid IN (SELECT pid FROM cand_ids)")
        stats.candidates = engine.create_table("cand", f"""
          SELECT 'pop' AS source_dataset, c.pid AS unique_id, c.old_id AS oid, c.*
          FROM ({population_features_sql(d, 'cand_raw', parts=parts)}) c
        """)
        engine.drop("cand_ids", "cand_raw")
    with clock("probabilistic: pairs"):
        inputs = key_inputs_sql(dob_i=date_int_sql("dob_d"), yob="yob")
        engine.create_table("cand_keyed", f"SELECT pid, {keys_sql(d, keys)} FROM "
                                          f"(SELECT pid, fam, mid, giv, home, {inputs} FROM cand) x")
        key_union = " UNION ALL ".join(
            f"SELECT pid, '{k}' AS kind, k_{k} AS k FROM cand_keyed WHERE k_{k} IS NOT NULL" for k in keys)
        engine.create_table("cand_keys", key_union)
        stats.pairs = engine.create_table("pairs", """
          SELECT min(x.kind) AS match_key,
            'reg-__-' || x.record_id AS join_key_l, 'pop-__-' || x.pid AS join_key_r
          FROM (SELECT r.record_id, c.pid, r.kind FROM res_keys r JOIN cand_keys c ON c.kind = r.kind AND c.k = r.k) x
          GROUP BY x.record_id, x.pid
        """)
        engine.drop("cand_keyed", "cand_keys", "res_keys")
    with clock("probabilistic: name frequencies"):
        stats.training_pairs = training_sample(engine, config)
        engine.create_table("wanted_names", "SELECT name_f, fam, mid, giv FROM residual "
                                            "UNION ALL SELECT name_f, fam, mid, giv FROM train_reg")
        engine.create_table("name_counts", name_counts_sql(d, parts=parts))
        engine.create_table("tf_name_f", f"SELECT name_f, CAST(cnt AS DOUBLE) / {population_rows} AS tf_name_f "
                                         "FROM name_counts WHERE cnt > 0")
    prior = config.prior_match_share / max(population_rows, 1)
    with clock("probabilistic: training"):
        model = train(engine, config, prior, parts=parts)
        stats.model = model
    with clock("probabilistic: scoring"):
        db_api = engine.splink_api()
        left = db_api.register(splink_input(engine, "residual_in", "residual"), table_name="residual_splink")
        right = db_api.register(splink_input(engine, "cand_in", "cand", counts=False), table_name="cand_splink")
        linker = Linker([left, right], model, log_level=logging.WARNING)
        linker.table_management.register_term_frequency_lookup(db_api.register("tf_name_f", table_name="tf_in"),
                                                               "name_f")
        linker.table_management.register_blocked_pairs_for_predict(db_api.register("pairs", table_name="pairs_in"))
        predictions = linker.inference.predict(threshold_match_weight=config.min_match_weight, warning_mode="never")
        stats.scored_pairs = engine.create_table(
            "scored", f"SELECT unique_id_l AS record_id, unique_id_r AS pid, match_weight FROM {predictions.physical_name}")
        predictions.drop_table_from_database_and_remove_from_cache()
    with clock("probabilistic: decisions"):
        stats.proposals, stats.prior_match_share = _decide(engine, config)
    engine.drop("pairs")
    return stats


def _empty_proposals() -> str:
    return f"SELECT {', '.join(EVIDENCE_COLUMNS)}, CAST(NULL AS BIGINT) AS close_candidates FROM accepted WHERE 1 = 0"


def estimate_prior_share(engine: Engine, config: MatchConfig) -> float:
    """EM for π, the share of residual records whose person is in the extract.

    With ``b_k = 2^w_k / π0`` (the weight without its prior), a record's chance of having a match under π
    is ``π·S / ((1 − π) + π·S)`` with ``S = ε + Σ_k b_k``; π is the mean of that over the residual,
    iterated to a fixed point from ``prior_match_share``. Records without any candidate count with S = ε.
    """
    pi0, eps = config.prior_match_share, config.blocking_miss_share
    engine.create_table("evidence_sum", f"""
      SELECT r.record_id, {eps} + coalesce(s.total, 0) AS s
      FROM residual r LEFT JOIN (
        SELECT record_id, sum(power(2, match_weight)) / {pi0} AS total FROM scored GROUP BY record_id
      ) s ON s.record_id = r.record_id
    """)
    pi = pi0
    for _ in range(config.prior_iterations):
        new = float(engine.scalar(f"SELECT avg({pi} * s / ((1 - {pi}) + {pi} * s)) FROM evidence_sum"))
        new = min(max(new, 0.5), 0.999)
        if abs(new - pi) < 1e-4:
            pi = new
            break
        pi = new
    return pi


def _decide(engine: Engine, config: MatchConfig) -> tuple[int, float]:
    """Posterior per candidate, then the best one per record with its evidence (table ``proposals``)."""
    pi0, eps = config.prior_match_share, config.blocking_miss_share
    pi = estimate_prior_share(engine, config) if config.prior_iterations else pi0
    engine.create_table("posterior", f"""
      SELECT record_id, pid, posterior,
        row_number() OVER (PARTITION BY record_id ORDER BY posterior DESC, pid) AS rank_no,
        sum(CASE WHEN posterior >= {config.review_floor} THEN 1 ELSE 0 END) OVER (PARTITION BY record_id)
          AS close_candidates
      FROM (
        SELECT record_id, pid, b / ((1 - {pi}) / {pi} + {eps} + sum(b) OVER (PARTITION BY record_id)) AS posterior
        FROM (SELECT record_id, pid, power(2, match_weight) / {pi0} AS b FROM scored) x
      ) y
    """)
    columns = ", ".join(EVIDENCE_COLUMNS)
    rows = engine.create_table("proposals", f"""
      SELECT {columns}, close_candidates FROM (
        SELECT {evidence_select(engine, 'probabilistic', 'b.posterior')}, b.close_candidates
        FROM (SELECT * FROM posterior WHERE rank_no = 1) b
        JOIN residual r ON r.record_id = b.record_id
        JOIN cand p ON p.pid = b.pid
      ) x
    """)
    return rows, pi
