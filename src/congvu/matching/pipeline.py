"""``reconcile(personnel, population, out_dir)``: the whole run, and its summary.

Stages (timed one by one in :attr:`RunSummary.timings`):

1. read the personnel file (checked cell by cell, :func:`~congvu.matching.readers.load_personnel`) and
   describe the population extract (XML is streamed to Parquet first);
2. ``prepare``: register features; 3. ``exact``: ID, then CMND (:mod:`congvu.matching.exact`);
4. ``probabilistic: …``: the residual through Splink (:mod:`congvu.matching.probabilistic`);
5. ``results``: statuses, duplicates, reasons (:mod:`congvu.matching.results`); 6. ``write``.

Nothing is written to ``out_dir`` unless the run succeeds: the files are made in a temporary directory
next to it and moved in at the end (``results.csv``, ``results.parquet``, ``summary.json``, and
``model.json``: the trained Splink model, m and u of every comparison level).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from congvu.matching.config import MatchConfig
from congvu.matching.engine import DuckDBEngine, Engine
from congvu.matching.exact import prepare_register, run_exact
from congvu.matching.probabilistic import run_probabilistic
from congvu.matching.provinces import lookup_rows
from congvu.matching.readers import PopulationInput, load_personnel, population_input
from congvu.matching.results import ACCEPTED, RESULT_COLUMNS, assemble_results, id_problem_counts

__all__ = ["ENGINES", "RunSummary", "reconcile"]

ENGINES = ("duckdb", "spark")
OUTPUT_FILES = ("results.parquet", "results.csv", "summary.json", "model.json")


@dataclass
class RunSummary:
    """What a run did: counts per status, match rate, timings, the population dataset and its size."""

    engine: str
    personnel_file: str
    population_file: str
    dataset_version: str
    personnel_rows: int
    population_rows: int
    population_declared_rows: int | None
    counts: dict[str, int]
    match_rate: float
    id_problems: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    stages: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    prior_match_share: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


class _Clock:
    """``with clock("stage"):`` adds the seconds to ``timings``; advances an optional progress bar."""

    def __init__(self, progress: bool, total: int):
        self.timings: dict[str, float] = {}
        self.bar: Any = None
        if progress:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, desc="Đối soát", unit="bước", leave=True)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if self.bar is not None:
            self.bar.set_postfix_str(name)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - started, 2)
            if self.bar is not None:
                self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _make_engine(engine: str, config: MatchConfig, work_dir: Path) -> Engine:
    if engine == "duckdb":
        return DuckDBEngine(config, work_dir)
    if engine == "spark":
        from congvu.matching.spark import SparkEngine

        return SparkEngine(config, work_dir)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _population_rows(engine: Engine, pop: PopulationInput) -> int:
    if pop.source_format == "xml":
        return int(pop.extra["xml_rows"])
    return int(engine.scalar("SELECT count(*) FROM pop_src"))


def _publish(staging: Path, out_dir: Path) -> None:
    """Move the finished files into ``out_dir`` (created if needed), each with one atomic rename."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_FILES:
        os.replace(staging / name, out_dir / name)


def reconcile(personnel: Path, population: Path, out_dir: Path, *, config: MatchConfig | None = None,
              engine: str = "duckdb", progress: bool = False) -> RunSummary:
    """Reconcile a personnel file with a population extract; write ``out_dir/results.{csv,parquet}``.

    Raises :class:`~congvu.matching.readers.InputError` for unusable input (nothing is written then).
    """
    config = config or MatchConfig()
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work_root = Path(config.temp_directory) if config.temp_directory else out_dir.parent
    work_dir = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.work-", dir=work_root))
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    clock = _Clock(progress, total=13)  # the stages timed below
    started = time.perf_counter()
    eng: Engine | None = None
    try:
        with clock("read personnel"):
            personnel_file = load_personnel(Path(personnel), work_dir)
        with clock("read population"):
            pop = population_input(Path(population), work_dir)
        eng = _make_engine(engine, config, work_dir)
        eng.register_rows("province_lookup", ("key", "new"), lookup_rows())
        eng.register_parquet("reg_src", personnel_file.path)
        eng.register_population(pop)
        population_rows = _population_rows(eng, pop)
        parts = "ten" in pop.columns
        with clock("prepare"):
            prepare_register(eng)
        with clock("exact"):
            exact_counts = run_exact(eng, parts=parts)
        stats = run_probabilistic(eng, config, parts=parts, population_rows=population_rows, clock=clock)
        with clock("results"):
            counts = assemble_results(eng, config)
            id_problems = id_problem_counts(eng)
            duplicates = int(eng.scalar("SELECT count(*) FROM results WHERE duplicate_of <> ''"))
        with clock("write"):
            eng.write_results("results", staging, RESULT_COLUMNS)
        total = sum(counts.values())
        summary = RunSummary(
            engine=engine,
            personnel_file=str(personnel),
            population_file=str(population),
            dataset_version=pop.dataset_version,
            personnel_rows=personnel_file.rows,
            population_rows=population_rows,
            population_declared_rows=pop.declared_rows,
            counts=counts,
            match_rate=round(sum(counts[str(s)] for s in ACCEPTED) / total, 6) if total else 0.0,
            id_problems=id_problems,
            duplicates=duplicates,
            stages={**exact_counts, "residual": stats.residual, "candidates": stats.candidates,
                    "candidate_pairs": stats.pairs, "scored_pairs": stats.scored_pairs,
                    "training_pairs": stats.training_pairs},
            prior_match_share=round(stats.prior_match_share, 4),
            timings=clock.timings,
            thresholds={"auto_accept": config.auto_accept, "review_floor": config.review_floor},
        )
        summary.timings["total"] = round(time.perf_counter() - started, 2)
        (staging / "summary.json").write_text(summary.to_json() + "\n", encoding="utf-8")
        # The trained Splink model (m, u per comparison level): the evidence behind every probability.
        (staging / "model.json").write_text(json.dumps(stats.model or {}, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
        _publish(staging, out_dir)
        return summary
    finally:
        clock.close()
        if eng is not None:
            eng.close()
        shutil.rmtree(work_dir, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
