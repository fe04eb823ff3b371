"""Shared helpers for the benchmarks: Django set-up on a chosen database, timing, peak memory, results."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django(database_url: str | None) -> None:
    """Point the settings at ``database_url`` (before Django reads them) and set Django up."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
    import django

    django.setup()


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Named phases: ``with timer("copy"):`` adds the elapsed seconds to ``timer.seconds["copy"]``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in self.seconds.items()}


def database_label() -> str:
    """ "postgresql 15.10" or "sqlite 3.40.1"."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        version: int = connection.pg_version  # type: ignore[attr-defined]
        return f"postgresql {version // 10000}.{version % 10000}"
    return f"{connection.vendor} {sqlite3.sqlite_version}"


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


def write_result(name: str, data: dict[str, Any], line: str) -> Path:
    """Write ``bench/results/<name>.json`` and append ``line`` to ``bench/results/results.md``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    target = RESULTS / f"{name}.json"
    target.write_text(json.dumps({"at": stamp, "machine": machine(), **data}, indent=2, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    with (RESULTS / "results.md").open("a", encoding="utf-8") as md:
        md.write(f"- {stamp} — {line}\n")
    return target
