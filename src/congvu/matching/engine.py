"""Where the SQL runs: DuckDB (one machine, the default) or Spark (:mod:`congvu.matching.spark`).

The stages only need: run a query into a named table, read a few values back, register a small Python
table, expose the population extract as the view ``pop_src`` and the canonical personnel file as
``reg_src``, hand Splink a database API, and write the results as one CSV and one Parquet file.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from congvu.matching.config import MatchConfig
from congvu.matching.readers import PopulationInput
from congvu.matching.sql import Dialect, DuckDBDialect

__all__ = ["DuckDBEngine", "Engine", "population_select"]


def population_select(d: Dialect, pop: PopulationInput, source: str, quote: str) -> str:
    """SELECT giving the canonical population columns (pid, old_id, ho, chudem, ten, full_name, dob_raw,
    sex_raw, home_raw) from ``source`` (the file as read), whatever the file calls them."""
    cols = pop.columns

    def col(field: str, *, pad: int = 0) -> str:
        if field not in cols:
            return "CAST(NULL AS STRING)"
        name = quote + cols[field].replace(quote, quote * 2) + quote
        text = f"CAST({name} AS STRING)"
        if pad and pop.extra.get(f"{field}_numeric"):
            return f"lpad({text}, {pad}, '0')"
        return f"trim({text})" if pop.format == "csv" else text

    return f"""
    SELECT {col('pid', pad=12)} AS pid, NULLIF({col('old_id', pad=9)}, '') AS old_id,
      {col('ho')} AS ho, {col('chudem')} AS chudem, {col('ten')} AS ten, {col('full_name')} AS full_name,
      {col('dob')} AS dob_raw, {col('sex')} AS sex_raw, {col('home')} AS home_raw
    FROM {source}
    """


class Engine(ABC):
    dialect: Dialect
    name: str

    @abstractmethod
    def execute(self, sql: str) -> None: ...

    @abstractmethod
    def create_table(self, name: str, query: str) -> int:
        """Materialise ``query`` as table ``name`` (replacing it) and return its row count."""

    @abstractmethod
    def rows(self, query: str) -> list[tuple[Any, ...]]: ...

    def scalar(self, query: str) -> Any:
        result = self.rows(query)
        return result[0][0] if result else None

    @abstractmethod
    def register_rows(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A small table of text columns from Python values."""

    @abstractmethod
    def register_parquet(self, name: str, path: Path) -> None:
        """A view over a Parquet file."""

    @abstractmethod
    def register_population(self, pop: PopulationInput) -> None:
        """The view ``pop_src`` with the canonical population columns."""

    @abstractmethod
    def drop(self, *names: str) -> None: ...

    @abstractmethod
    def splink_api(self) -> Any:
        """A Splink database API over this engine's session."""

    @abstractmethod
    def write_results(self, table: str, directory: Path, columns: Sequence[str]) -> None:
        """``directory/results.parquet`` and ``directory/results.csv`` from ``table``, ordered by row."""

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, config: MatchConfig, work_dir: Path):
        self.dialect = DuckDBDialect()
        self.con = duckdb.connect(config=self._settings(config, work_dir))
        self.con.execute("SET enable_progress_bar = false")

    @staticmethod
    def _settings(config: MatchConfig, work_dir: Path) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "memory_limit": config.memory_limit,
            "temp_directory": str(config.temp_directory or work_dir / "spill"),
            "preserve_insertion_order": False,
        }
        settings["threads"] = config.threads or os.cpu_count() or 1
        return settings

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def create_table(self, name: str, query: str) -> int:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {query}")
        return int(self.con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return self.con.execute(query).fetchall()

    def register_rows(self, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]

        data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        table = pa.table(data)
        self.con.register(f"__arrow_{name}", table)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM __arrow_{name}")
        self.con.unregister(f"__arrow_{name}")

    def register_parquet(self, name: str, path: Path) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({self.dialect.lit(str(path))})")

    def register_population(self, pop: PopulationInput) -> None:
        lit = self.dialect.lit(str(pop.path))
        if pop.format == "parquet":
            source = f"read_parquet({lit})"
        else:
            source = (f"read_csv({lit}, header = true, all_varchar = true, delim = {self.dialect.lit(pop.delimiter)}, "
                      "quote = '\"', escape = '\"')")
        self.con.execute(f"CREATE OR REPLACE VIEW pop_src AS {population_select(self.dialect, pop, source, chr(34))}")

    def drop(self, *names: str) -> None:
        for name in names:
            self.con.execute(f"DROP TABLE IF EXISTS {name}")

    def splink_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI(connection=self.con)

    def write_results(self, table: str, directory: Path, columns: Sequence[str]) -> None:
        select = f"SELECT {', '.join(columns)} FROM {table} ORDER BY row_no"
        self.con.execute("SET preserve_insertion_order = true")
        self.con.execute(f"COPY ({select}) TO {self.dialect.lit(str(directory / 'results.parquet'))} (FORMAT parquet)")
        self.con.execute(f"COPY ({select}) TO {self.dialect.lit(str(directory / 'results.csv'))} (HEADER, DELIMITER ',')")
        self.con.execute("SET preserve_insertion_order = false")

    def close(self) -> None:
        self.con.close()
