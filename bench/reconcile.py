"""Benchmark of the reconciliation engine on data with known truth (``bench/reconcile_generate.py``).

``python -m bench.reconcile --data /work/bench-data/reconcile-100000000-2000000-s7`` runs, each in a child
process (so that its peak resident memory, ``ru_maxrss`` of the children, is its own):

1. the pipeline (``congvu.matching.pipeline.reconcile``) exactly as ``congvu reconcile`` runs it: time per
   stage, peak memory, counts;
2. the comparison the issue asks for: Splink alone, EM-trained (no confirmed pairs, no fixed ID weights),
   scoring the same residual against the same candidates (``--no-em`` skips it).

Then it scores the results against ``truth.parquet``: precision of what is accepted automatically (all
statuses but PROBABLE and NOT_FOUND) overall and per status; recall of the probabilistic stage on the
matchable records the exact stages (ID, then CMND) could not settle; what goes to review; duplicates
found; precision/recall at other thresholds; and how ambiguous the data is (how many ID-less records have
a namesake born the same day, of the same sex). Results: ``bench/results/reconcile-<sizes>.json`` and a
line in ``bench/results/results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from bench.common import RESULTS, write_result

ACCEPTED = ("MATCHED", "MATCHED_WITH_DIFFERENCES", "MATCHED_BY_OLD_ID", "MATCHED_PROBABILISTIC")
THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def _child(code: str) -> tuple[float, float]:
    """Run Python ``code`` in a child process; (seconds, peak RSS in MiB of that child).

    ``os.wait4`` gives the resource usage of that one child (``ru_maxrss``, kilobytes on Linux).
    """
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, "child")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


PIPELINE = """
import dataclasses, json, sys
from pathlib import Path
from congvu.matching.config import MatchConfig
from congvu.matching.pipeline import reconcile
config = dataclasses.replace(MatchConfig(), threads={threads}, memory_limit={memory!r}, temp_directory={tmp!r})
summary = reconcile(Path({personnel!r}), Path({population!r}), Path({out!r}), config=config, engine={engine!r},
                    progress=True)
"""

SPLINK_ALONE = """
from pathlib import Path
from bench.reconcile import splink_alone
splink_alone(Path({data!r}), Path({out!r}), threads={threads}, memory={memory!r}, tmp={tmp!r}, em_sample={sample})
"""


def splink_alone(data: Path, out: Path, *, threads: int, memory: str, tmp: str, em_sample: int = 10_000) -> None:
    """Splink alone on the pipeline's residual: EM-trained, all parameters free, same candidates.

    EM is trained on ``em_sample`` residual records (md5 order) against all candidates; the model then
    scores every residual record.

    Writes ``out/splink_alone.parquet`` (record_id, best candidate, its pair probability, our posterior
    over the candidates) and ``out/splink_alone.json`` (timings and the EM-trained model).
    """
    import contextlib
    import dataclasses
    import logging
    import tempfile

    from splink import Linker, block_on

    from congvu.matching import probabilistic as P
    from congvu.matching.config import MatchConfig
    from congvu.matching.engine import DuckDBEngine
    from congvu.matching.exact import prepare_register, run_exact
    from congvu.matching.features import population_features_sql
    from congvu.matching.provinces import lookup_rows
    from congvu.matching.readers import load_personnel, population_input

    timings: dict[str, float] = {}

    @contextlib.contextmanager
    def clock(name: str) -> Any:
        started = time.perf_counter()
        yield
        timings[name] = round(time.perf_counter() - started, 2)

    config = dataclasses.replace(MatchConfig(), threads=threads, memory_limit=memory, temp_directory=tmp)
    work = Path(tempfile.mkdtemp(dir=tmp))
    personnel = load_personnel(data / "personnel.parquet", work)
    pop = population_input(data / "population.parquet", work)
    engine = DuckDBEngine(config, work)
    engine.register_rows("province_lookup", ("key", "new"), lookup_rows())
    engine.register_parquet("reg_src", personnel.path)
    engine.register_population(pop)
    rows = int(engine.scalar("SELECT count(*) FROM pop_src"))
    with clock("exact stages (to find the same residual)"):
        prepare_register(engine)
        run_exact(engine, parts=True)
    d = engine.dialect
    with clock("residual, candidates, pairs"):
        engine.create_table("residual", """
          SELECT r.*, 'reg' AS source_dataset, r.record_id AS unique_id, l.id_owner
          FROM reg r JOIN id_lookup l ON l.record_id = r.record_id
          WHERE r.record_id NOT IN (SELECT record_id FROM accepted)""")
        keys = [k for k in P.BLOCKING_KEYS if k not in P.OPTIONAL_KEYS
                or engine.scalar(f"SELECT count(*) FROM residual WHERE {P.OPTIONAL_KEYS[k]}")]
        engine.create_table("res_keys", P.residual_keys_sql(d, keys))
        engine.create_table("cand_ids", P.population_scan_sql(d, parts=True, keys=keys))
        engine.create_table("cand_raw", "SELECT * FROM pop_src WHERE pid IN (SELECT pid FROM cand_ids)")
        engine.create_table("cand", f"""SELECT 'pop' AS source_dataset, c.pid AS unique_id, c.old_id AS oid, c.*
          FROM ({population_features_sql(d, 'cand_raw', parts=True)}) c""")
        inputs = P.key_inputs_sql(dob_i=P.date_int_sql("dob_d"), yob="yob")
        engine.create_table("cand_keyed", f"SELECT pid, {P.keys_sql(d, keys)} FROM "
                                          f"(SELECT pid, fam, mid, giv, home, {inputs} FROM cand) x")
        engine.create_table("cand_keys", " UNION ALL ".join(
            f"SELECT pid, '{k}' AS kind, k_{k} AS k FROM cand_keyed WHERE k_{k} IS NOT NULL" for k in keys))
        engine.create_table("pairs", """SELECT min(x.kind) AS match_key, 'reg-__-' || x.record_id AS join_key_l,
            'pop-__-' || x.pid AS join_key_r
          FROM (SELECT r.record_id, c.pid, r.kind FROM res_keys r JOIN cand_keys c ON c.kind = r.kind AND c.k = r.k) x
          GROUP BY x.record_id, x.pid""")
        engine.create_table("name_counts", "SELECT DISTINCT name_f, 0 AS cnt FROM residual WHERE 1 = 0")
    prior = config.prior_match_share / rows
    settings = P.settings(config, prior)
    for comparison in settings["comparisons"]:  # Splink alone: nothing fixed, everything from EM
        # without the population's name counts the "typo into a name nobody has" level never occurs, and
        # EM cannot give a level it never sees an m (Splink stops with "m_probability value 0.0")
        # (nor an ID equal to the register's: the exact stage took those)
        comparison["comparison_levels"] = [lv for lv in comparison["comparison_levels"]
                                           if "name_n" not in lv["sql_condition"]
                                           and lv["sql_condition"] != "pid_l = pid_r"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for i, level in enumerate(levels):
            for key in ("m_probability", "u_probability", "fix_m_probability", "fix_u_probability"):
                level.pop(key, None)
            # EM's starting point, as Splink's own comparisons give one: most matches agree exactly
            level["m_probability"] = 0.7 if i == 0 else 0.3 / (len(levels) - 1)
    api = engine.splink_api()
    left = api.register(P.splink_input(engine, "residual_in", "residual", counts=False), table_name="res_l")
    right = api.register(P.splink_input(engine, "cand_in", "cand", counts=False), table_name="cand_r")
    # EM learns from a sample of the residual (its blocked pairs grow with the sample), then the model
    # scores the whole residual: EM over all 80 k records × 7 M candidates blocked on "same name" is
    # hundreds of millions of pairs.
    engine.create_table("em_sample", f"SELECT * FROM residual_in ORDER BY md5(unique_id) LIMIT {em_sample}")
    sample = api.register("em_sample", table_name="em_l")
    trainer = Linker([sample, right], settings, log_level=logging.WARNING)
    with clock("EM training"):
        trainer.training.estimate_u_using_random_sampling(max_pairs=config.u_sample_pairs, seed=1)
        # two sessions, each training the comparisons its blocking rule leaves free: same date of birth
        # (trains name, sex, hometown, IDs), then same folded full name and province (trains the date, sex,
        # IDs; "same name" alone pairs a common name with tens of thousands of candidates)
        trainer.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
        trainer.training.estimate_parameters_using_expectation_maximisation(block_on("name_f", "home"))
    model = trainer.misc.save_model_to_json()
    linker = Linker([left, right], model, log_level=logging.WARNING)
    with clock("scoring"):
        linker.table_management.register_blocked_pairs_for_predict(api.register("pairs", table_name="pairs_in"))
        predictions = linker.inference.predict(threshold_match_weight=config.min_match_weight, warning_mode="never")
        engine.create_table("scored", f"SELECT unique_id_l AS record_id, unique_id_r AS pid, match_weight, "
                                      f"match_probability FROM {predictions.physical_name}")
    rest = (1 - config.prior_match_share) + config.prior_match_share * config.blocking_miss_share
    engine.execute(f"""COPY (
      SELECT record_id, pid, match_probability, posterior FROM (
        SELECT *, row_number() OVER (PARTITION BY record_id ORDER BY match_weight DESC, pid) AS n,
          power(2, match_weight) / ({rest} + sum(power(2, match_weight)) OVER (PARTITION BY record_id)) AS posterior
        FROM scored) x WHERE n = 1
    ) TO '{out / "splink_alone.parquet"}' (FORMAT parquet)""")
    (out / "splink_alone.json").write_text(json.dumps({"timings": timings, "model": model}, indent=1) + "\n",
                                           encoding="utf-8")
    engine.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchall()[0]


def evaluate(data: Path, out: Path, auto_accept: float) -> dict[str, Any]:
    """Score ``out/results.parquet`` (and the Splink-alone run if present) against ``data/truth.parquet``."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_parquet('{out / 'results.parquet'}')")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{data / 'truth.parquet'}')")
    con.execute("""CREATE TABLE j AS SELECT r.*, t.true_pid, t.ghost, t.duplicate, t.id_kind, t.name_kinds, t.dob_kind,
      t.true_pid IS NOT NULL AND r.matched_personal_id = t.true_pid AS right_person FROM r JOIN t USING (record_id)""")
    accepted = ", ".join(f"'{s}'" for s in ACCEPTED)
    per_status = {s: {"records": n, "right_person": ok, "not_in_population": g} for s, n, ok, g in con.execute(
        "SELECT status, count(*), sum(right_person::INT), sum(ghost::INT) FROM j GROUP BY status ORDER BY status"
    ).fetchall()}
    n_acc, ok_acc = _one(con, f"SELECT count(*), sum(right_person::INT) FROM j WHERE status IN ({accepted})")
    residual = "status IN ('MATCHED_PROBABILISTIC', 'PROBABLE', 'NOT_FOUND')"
    matchable = _one(con, f"SELECT count(*) FROM j WHERE {residual} AND true_pid IS NOT NULL")[0]
    n_b, ok_b = _one(con, "SELECT count(*), coalesce(sum(right_person::INT), 0) FROM j "
                          "WHERE status = 'MATCHED_PROBABILISTIC'")
    review, review_right = _one(con, "SELECT count(*), coalesce(sum(right_person::INT), 0) FROM j "
                                     "WHERE status = 'PROBABLE'")
    curve = []
    for th in THRESHOLDS:
        n, ok = _one(con, f"SELECT count(*), coalesce(sum(right_person::INT), 0) FROM j "
                          f"WHERE {residual} AND probability >= {th}")
        curve.append({"threshold": th, "accepted": n, "precision": round(ok / n, 6) if n else None,
                      "recall": round(ok / matchable, 6) if matchable else None})
    dup_true, dup_flagged, dup_false = _one(con, """
      SELECT sum(CASE WHEN n > 1 THEN 1 ELSE 0 END), sum(CASE WHEN duplicate_of <> '' THEN 1 ELSE 0 END),
        sum(CASE WHEN duplicate_of <> '' AND n = 1 AND NOT other_id THEN 1 ELSE 0 END)
      FROM (SELECT j.*, count(*) OVER (PARTITION BY coalesce(true_pid, record_id)) AS n,
                   count(*) OVER (PARTITION BY personal_id) > 1 AND personal_id <> '' AS other_id FROM j) x""")
    dup_found = _one(con, """SELECT count(*) FROM (SELECT j.*, count(*) OVER (PARTITION BY true_pid) AS n FROM j
      WHERE true_pid IS NOT NULL) x WHERE n > 1 AND duplicate_of <> ''""")[0]
    kinds = {k: {"records": n, "reported": rep} for k, n, rep in con.execute("""
      SELECT dob_kind, count(*), sum(CASE WHEN differences LIKE '%birth_date:' || (CASE dob_kind
          WHEN 'dob_day_month_swapped' THEN 'day_month_swapped' WHEN 'dob_year_only' THEN 'year_only'
          WHEN 'dob_missing' THEN 'missing' ELSE 'typo' END) || '%' THEN 1 ELSE 0 END)
      FROM j WHERE dob_kind <> '' AND status IN ('MATCHED_WITH_DIFFERENCES', 'MATCHED_BY_OLD_ID',
        'MATCHED_PROBABILISTIC') AND right_person GROUP BY dob_kind ORDER BY 1""").fetchall()}
    result: dict[str, Any] = {
        "records": int(_one(con, "SELECT count(*) FROM j")[0]),
        "per_status": per_status,
        "auto_accepted": {"records": n_acc, "right_person": ok_acc, "precision": round(ok_acc / n_acc, 6)},
        "probabilistic_stage": {
            "matchable_residual": matchable, "accepted": n_b, "right_person": ok_b,
            "precision": round(ok_b / n_b, 6) if n_b else None,
            "recall": round(ok_b / matchable, 6) if matchable else None,
            "review": review, "review_right_person_proposed": review_right,
            "threshold": auto_accept, "curve": curve,
        },
        "duplicates": {"records_of_duplicated_people": dup_true, "of_them_flagged": dup_found,
                       "flagged": dup_flagged, "flagged_without_duplicate_or_shared_id": dup_false},
        "date_difference_kinds_reported": kinds,
    }
    alone = out / "splink_alone.parquet"
    if alone.exists():
        con.execute(f"CREATE TABLE a AS SELECT * FROM read_parquet('{alone}')")
        rows = []
        for th in THRESHOLDS:
            for column in ("match_probability", "posterior"):
                n, ok = _one(con, f"""SELECT count(*), coalesce(sum((a.pid = t.true_pid)::INT), 0)
                  FROM a JOIN t USING (record_id) WHERE a.{column} >= {th}""")
                rows.append({"threshold": th, "on": column, "accepted": n,
                             "precision": round(ok / n, 6) if n else None,
                             "recall": round(ok / matchable, 6) if matchable else None})
        result["splink_alone_em"] = {"curve": rows, **json.loads((out / "splink_alone.json").read_text())}
        result["splink_alone_em"].pop("model", None)
    return result


def ambiguity(data: Path) -> dict[str, Any]:
    """How many ID-less people share folded name, date of birth and sex with someone else in the population."""
    from congvu.matching.sql import DuckDBDialect

    d = DuckDBDialect()
    con = duckdb.connect()
    pop = f"read_parquet('{data / 'population.parquet'}')"
    name = f"hash({d.fold('Ho')}, {d.fold('ChuDem')}, {d.fold('Ten')})"
    con.execute(f"""CREATE TABLE people AS SELECT t.record_id, p.SoDinhDanh AS pid, {name} AS nk,
        p.NgayThangNamSinh AS dob, p.GioiTinh AS sex, p.QueQuan AS home
      FROM read_parquet('{data / 'truth.parquet'}') t JOIN {pop} p ON p.SoDinhDanh = t.true_pid
      WHERE t.id_kind = 'id_missing'""")
    shared, shared_home = _one(con, f"""
      SELECT count(DISTINCT x.record_id), count(DISTINCT CASE WHEN x.same_home THEN x.record_id END) FROM (
        SELECT pe.record_id, pe.home = p.QueQuan AS same_home FROM people pe
        JOIN (SELECT SoDinhDanh, {name} AS nk, NgayThangNamSinh, GioiTinh, QueQuan FROM {pop}) p
          ON p.nk = pe.nk AND p.NgayThangNamSinh = pe.dob AND p.GioiTinh = pe.sex AND p.SoDinhDanh <> pe.pid) x""")
    total = _one(con, "SELECT count(*) FROM people")[0]
    return {"id_missing_records": total, "share_with_namesake_same_dob_sex": round(shared / total, 4),
            "share_with_namesake_same_dob_sex_commune": round(shared_home / total, 4)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a directory written by bench.reconcile_generate")
    parser.add_argument("--out", type=Path, default=None, help="where results go (default: DATA/run)")
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--no-em", action="store_true", help="skip the Splink-alone (EM) comparison")
    parser.add_argument("--em-sample", type=int, default=10_000, help="residual records EM learns from")
    parser.add_argument("--reuse-pipeline", action="store_true",
                        help="keep the pipeline run already in --out (its time and memory were saved)")
    parser.add_argument("--no-ambiguity", action="store_true", help="skip the namesake count")
    args = parser.parse_args(argv)
    data: Path = args.data
    out: Path = args.out or data / "run"
    tmp = data / "work"
    tmp.mkdir(exist_ok=True)
    meta = json.loads((data / "meta.json").read_text())
    measured = out / "bench-pipeline.json"
    if args.reuse_pipeline and measured.exists():
        seconds, peak = json.loads(measured.read_text())["seconds_and_peak_mib"]
    else:
        seconds, peak = _child(PIPELINE.format(threads=args.threads, memory=args.memory_limit, tmp=str(tmp),
                                               personnel=str(data / "personnel.parquet"),
                                               population=str(data / "population.parquet"), out=str(out),
                                               engine=args.engine))
        measured.write_text(json.dumps({"seconds_and_peak_mib": [seconds, peak]}) + "\n")
    summary = json.loads((out / "summary.json").read_text())
    em: dict[str, Any] = {}
    if not args.no_em:
        em_seconds, em_peak = _child(SPLINK_ALONE.format(data=str(data), out=str(out), threads=args.threads,
                                                         memory=args.memory_limit, tmp=str(tmp),
                                                         sample=args.em_sample))
        em = {"seconds": round(em_seconds, 1), "peak_rss_mib": round(em_peak)}
    quality = evaluate(data, out, summary["thresholds"]["auto_accept"])
    if em:
        quality.setdefault("splink_alone_em", {}).update(em)
    result = {
        "population": meta["population"], "personnel": meta["personnel"], "seed": meta["seed"],
        "engine": args.engine, "threads": args.threads, "memory_limit": args.memory_limit,
        "wall_seconds": round(seconds, 1), "peak_rss_mib": round(peak),
        "stage_seconds": summary["timings"], "stages": summary["stages"], "counts": summary["counts"],
        "match_rate": summary["match_rate"], "prior_match_share": summary.get("prior_match_share"),
        "quality": quality,
    }
    if not args.no_ambiguity:
        result["ambiguity"] = ambiguity(data)
    name = f"reconcile-{meta['population']}-{meta['personnel']}"
    stage_b = quality["probabilistic_stage"]
    line = (f"reconcile {meta['personnel']:,} × {meta['population']:,} ({args.engine}, {args.threads} threads): "
            f"{seconds:.0f} s, peak {peak / 1024:.1f} GiB; auto-accepted precision "
            f"{quality['auto_accepted']['precision']:.4%}; probabilistic stage P {stage_b['precision']:.4%} "
            f"R {stage_b['recall']:.2%} of {stage_b['matchable_residual']:,}; review {stage_b['review']:,}")
    target = write_result(name, result, line)
    (RESULTS / f"{name}.md").write_text(markdown(result), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written {target}", file=sys.stderr)


def markdown(result: dict[str, Any]) -> str:
    q = result["quality"]
    b = q["probabilistic_stage"]
    lines = [
        f"# Reconciliation benchmark: {result['personnel']:,} personnel × {result['population']:,} population",
        "",
        f"Engine {result['engine']}, {result['threads']} threads, DuckDB memory limit {result['memory_limit']}.",
        f"Wall time {result['wall_seconds']} s; peak RSS {result['peak_rss_mib']:,} MiB.",
        "",
        "| Stage | Seconds |", "|---|---|",
        *(f"| {k} | {v} |" for k, v in result["stage_seconds"].items()),
        "",
        "| Status | Records | Right person | Not in population |", "|---|---|---|---|",
        *(f"| {s} | {v['records']:,} | {v['right_person']:,} | {v['not_in_population']:,} |"
          for s, v in q["per_status"].items()),
        "",
        f"Auto-accepted precision: {q['auto_accepted']['precision']:.4%} of {q['auto_accepted']['records']:,}.",
        f"Probabilistic stage (threshold {b['threshold']}): precision {b['precision']:.4%}, recall "
        f"{b['recall']:.2%} of {b['matchable_residual']:,} matchable residual records; {b['review']:,} to review "
        f"({b['review_right_person_proposed']:,} with the right person proposed).",
        "",
        "| Threshold | Accepted | Precision | Recall |", "|---|---|---|---|",
        *(f"| {c['threshold']} | {c['accepted']:,} | {c['precision']} | {c['recall']} |" for c in b["curve"]),
    ]
    if "splink_alone_em" in q:
        lines += ["", "Splink alone, EM-trained, same residual and candidates:", "",
                  "| Threshold | On | Accepted | Precision | Recall |", "|---|---|---|---|---|",
                  *(f"| {c['threshold']} | {c['on']} | {c['accepted']:,} | {c['precision']} | {c['recall']} |"
                    for c in q["splink_alone_em"]["curve"])]
    if "ambiguity" in result:
        lines += ["", f"Ambiguity: {result['ambiguity']}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
