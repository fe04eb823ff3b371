"""The Spark engine: the same stages in Spark SQL, and Splink's ``SparkAPI`` for the probabilistic stage.

Selected with ``reconcile(..., engine="spark")`` or ``congvu reconcile --engine spark``. The session is the
active one when there is one (``spark-submit`` on a cluster, a test's ``local[1]``), else a new one with
master ``CONGVU_SPARK_MASTER`` (default ``local[N]``, N = ``MatchConfig.threads`` or every core) that is
stopped at the end. Each table is written as Parquet under the checkpoint directory and read back as a temporary view, so
query plans stay small (``CONGVU_SPARK_CHECKPOINT_DIR``; shared storage on a cluster).

What runs where: the personnel file is read and checked on the driver (DuckDB, small); the population
extract is read by Spark (Parquet or CSV where it lies: a cluster path such as ``hdfs://`` or ``s3a://``
works); results (one row per personnel record) come back to the driver through Arrow and are written as
``results.parquet`` / ``results.csv``. The canonical-name rule (NFC and tone placement) runs as the Python
UDF ``vn_canon`` because Spark SQL has no Unicode normalisation; it is only applied to the register and
to the few population rows the stages keep, never to the whole extract. On a cluster the executors need
``congvu`` importable: ship it with ``--py-files`` (a wheel or zip of ``src/congvu``). docs/reconciliation.md
has a ``spark-submit`` example.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from congvu.matching.config import MatchConfig
from congvu.matching.engine import Engine, population_select
from congvu.matching.normalise import canon_name
from congvu.matching.readers import PopulationInput
from congvu.matching.sql import SparkDialect

__all__ = ["SparkEngine", "vn_canon"]


def vn_canon(value: str | None) -> str | None:
    """The ``vn_canon`` UDF: :func:`~congvu.matching.normalise.canon_name`, '' for an empty name."""
    if value is None:
        return None
    return canon_name(value) or ""


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, config: MatchConfig, work_dir: Path, spark: Any = None):
        from pyspark.sql import SparkSession
        from pyspark.sql.types import StringType

        self.dialect = SparkDialect()
        self.work_dir = work_dir
        active = spark or SparkSession.getActiveSession()
        self._owns_session = active is None
        if active is None:
            # Python workers must import congvu: run them with this interpreter unless told otherwise.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            threads = config.threads or os.cpu_count() or 1
            master = os.environ.get("CONGVU_SPARK_MASTER", f"local[{threads}]")
            active = (
                SparkSession.builder.master(master)
                .appName("congvu-reconcile")
                .config("spark.sql.shuffle.partitions", str(max(4, threads * 2)))
                .config("spark.local.dir", str(work_dir / "spark"))
                .config("spark.driver.memory", os.environ.get("CONGVU_SPARK_DRIVER_MEMORY", "2g"))
                .config("spark.ui.enabled", "false")
                .getOrCreate()
            )
        self.spark = active
        # Intermediate tables (ours and Splink's) are Parquet files there; on a cluster, shared storage.
        checkpoints = self.spark.sparkContext.getCheckpointDir()
        if checkpoints is None:
            checkpoints = os.environ.get("CONGVU_SPARK_CHECKPOINT_DIR", str(work_dir / "checkpoints"))
            self.spark.sparkContext.setCheckpointDir(checkpoints)
        self._store = f"{checkpoints.rstrip('/')}/congvu-{os.getpid()}-{id(self)}"
        self._versions: dict[str, int] = {}
        self.spark.udf.register("vn_canon", vn_canon, StringType())
        self._tables: dict[str, Any] = {}

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def create_table(self, name: str, query: str) -> int:
        # Written to Parquet and read back, not just persisted: each stage's SQL inlines the expressions of
        # the tables it reads, and without cutting the lineage the plans grow until the driver runs out of
        # memory (and checkpointed RDD relations confuse Spark when Splink joins a table with itself).
        self._versions[name] = self._versions.get(name, 0) + 1
        path = f"{self._store}/{name}-{self._versions[name]}"
        self.spark.sql(query).write.mode("overwrite").parquet(path)
        frame = self.spark.read.parquet(path)
        self.drop(name)
        frame.createOrReplaceTempView(name)
        self._tables[name] = frame
        return int(frame.count())

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(query).collect()]

    def register_rows(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(c, StringType()) for c in columns])
        frame = self.spark.createDataFrame([tuple(r) for r in rows], schema).persist()
        frame.createOrReplaceTempView(name)
        self._tables[name] = frame

    def register_parquet(self, name: str, path: Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def register_population(self, pop: PopulationInput) -> None:
        if pop.format == "parquet":
            frame = self.spark.read.parquet(str(pop.path))
        else:
            frame = self.spark.read.csv(
                str(pop.path), header=True, sep=pop.delimiter, encoding="UTF-8", quote='"', escape='"'
            )
            # a UTF-8 byte-order mark stays in the first header for Spark; name it as the reader did
            frame = frame.toDF(*(c.lstrip("\ufeff") for c in frame.columns))
        frame.createOrReplaceTempView("pop_file")
        self.spark.sql(population_select(self.dialect, pop, "pop_file", "`")).createOrReplaceTempView(
            "pop_src"
        )

    def drop(self, *names: str) -> None:
        for name in names:
            frame = self._tables.pop(name, None)
            if frame is not None:
                frame.unpersist()  # releases the checkpointed blocks
            self.spark.catalog.dropTempView(name)

    def splink_api(self) -> Any:
        from splink import SparkAPI

        # Splink cuts lineage between its steps: in memory on one machine, through Parquet files on a cluster.
        local = str(self.spark.sparkContext.master or "").startswith("local")
        return SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.spark,
            register_udfs_automatically=False,
            break_lineage_method="persist" if local else "parquet",
            num_partitions_on_repartition=self.spark.sparkContext.defaultParallelism,
        )

    def write_results(self, table: str, directory: Path, columns: Sequence[str]) -> None:
        import pyarrow.csv as pacsv  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        frame = self.spark.sql(f"SELECT {', '.join(columns)} FROM {table} ORDER BY row_no")
        arrow = frame.toArrow()
        pq.write_table(arrow, directory / "results.parquet")
        pacsv.write_csv(arrow, directory / "results.csv")

    def close(self) -> None:
        for name in list(self._tables):
            self.drop(name)
        if self._owns_session:
            self.spark.stop()
