"""Worker processes for database work shared out by agency (the national consequence lists).

Workers are *spawned*, not forked: a fork copies the caller's threads' state (a web server, a browser driver,
DuckDB) and its open connections, which is unsafe. A spawned worker imports this module first, so it imports
nothing from Django at module level: the initializer sets Django up on the caller's database (a test run's
test database too) before any task, whose function may then import models.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def _start_worker(settings_module: str, database_name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database_name


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each with Django set up and its own connection."""
    from django.db import connections

    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "congvu.settings"),
                  connections["default"].settings_dict["NAME"]),
    )
