#!/usr/bin/env python3
"""Set up and run Công vụ KPI from a fresh clone, with nothing but Python ≥ 3.11 and pip.

    python3 dev.py demo      # create .venv, install, build the demo province, serve it on :8000
    python3 dev.py test      # create .venv, install with test tools, run ruff, mypy, import-linter, pytest

Extra arguments after ``demo`` go to ``congvu demo`` (e.g. ``--people 20000 --no-serve``); after ``test``
they go to pytest (e.g. ``-k import``). Dependencies are pinned in ``requirements.lock``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, env=env)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs before the venv exists, on any python3
        sys.exit("Công vụ KPI needs Python 3.11 or newer")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    inputs = [ROOT / "pyproject.toml", LOCK]
    if stamp.exists() and all(stamp.stat().st_mtime >= p.stat().st_mtime for p in inputs):
        return
    run(
        PY,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        LOCK,
        "-e",
        f".[{extras}]" if extras else ".",
    )
    stamp.touch()


def demo(args: list[str]) -> None:
    ensure_venv("")
    run(BIN / "congvu", "demo", *args)


def test(args: list[str]) -> None:
    ensure_venv("dev")
    env = {**os.environ, "CONGVU_ENV": "test"}
    env.setdefault("CONGVU_DATA_DIR", str(ROOT / "var" / "test-data"))
    run(BIN / "ruff", "check", "src", "tests", "bench", "dev.py", env=env)
    run(BIN / "mypy", env=env)
    run(BIN / "lint-imports", env=env)
    run(PY, "-m", "pytest", *args, env=env)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    try:
        demo(rest) if command == "demo" else test(rest)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
