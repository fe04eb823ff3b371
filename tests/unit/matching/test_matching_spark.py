"""The Spark engine gives the same answers as DuckDB (pyspark ``local[1]``; Java 17 must be installed).

Runs the whole pipeline on the hand-made files of tests/data/reconcile with both engines and compares every
record. Without Java the test is skipped locally and fails in CI (tests/conftest.py's rule).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from congvu.matching.config import MatchConfig
from congvu.matching.pipeline import reconcile
from congvu.matching.sql import DuckDBDialect, SparkDialect
from tests.conftest import missing

DATA = Path(__file__).resolve().parents[2] / "data" / "reconcile"
# A small sample for u keeps Splink's Spark jobs few; the prior is fixed as in the DuckDB tests.
CONFIG = MatchConfig(prior_iterations=0, threads=1, memory_limit="1GB", u_sample_pairs=400, training_pairs=1000)
COMPARED = ("status", "matched_personal_id", "differences", "id_problem", "duplicate_of", "pop_full_name",
            "pop_birth_date", "pop_sex")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        missing("Java not found: install a JDK 17 (apt-get install openjdk-17-jre-headless) to run Spark")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    # Tiny data: query compilation, not work, is the cost, so no whole-stage codegen and no adaptive plans.
    session = (SparkSession.builder.master("local[1]").appName("congvu-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.default.parallelism", "1").config("spark.sql.codegen.wholeStage", "false")
               .config("spark.sql.adaptive.enabled", "false").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def results(out: Path) -> dict[str, dict[str, Any]]:
    return {r["record_id"]: r for r in pq.read_table(out / "results.parquet").to_pylist()}


def test_spark_and_duckdb_give_every_record_the_same_status_and_evidence(spark: Any, tmp_path: Path) -> None:
    duck = reconcile(DATA / "personnel.csv", DATA / "population.csv", tmp_path / "duckdb", config=CONFIG)
    on_spark = reconcile(DATA / "personnel.csv", DATA / "population.csv", tmp_path / "spark", config=CONFIG,
                         engine="spark")
    assert on_spark.counts == duck.counts
    a, b = results(tmp_path / "duckdb"), results(tmp_path / "spark")
    assert a.keys() == b.keys()
    for record_id, row in a.items():
        assert {k: row[k] for k in COMPARED} == {k: b[record_id][k] for k in COMPARED}, record_id
        if row["probability"] is not None:
            assert b[record_id]["probability"] == pytest.approx(row["probability"], abs=1e-3)


def test_spark_folds_names_like_duckdb(spark: Any) -> None:
    import duckdb

    names = ["Nguyễn Thị Hoà", "ĐẶNG  VĂN\u00a0Đức", "Lê\u0302 Quý", "Trần\u200b Thuỷ"]
    rows = ", ".join(f"({SparkDialect.lit(n)})" for n in names)
    got = [r[0] for r in spark.sql(f"SELECT {SparkDialect().fold('v')} FROM VALUES {rows} AS t(v)").collect()]
    con = duckdb.connect()
    expected = [con.execute(f"SELECT {DuckDBDialect().fold('?')}", [n]).fetchall()[0][0] for n in names]
    assert got == expected == ["nguyen thi hoa", "dang van duc", "le quy", "tran thuy"]
