"""``congvu reconcile --personnel FILE --population FILE --out DIR [--engine duckdb|spark] [--threads N]
[--memory-limit 10GB]``.

Reconciles a personnel file (CSV, XLSX, Parquet) with a population extract (CSV, Parquet, QCVN 109 XML) and
writes ``DIR/results.csv``, ``DIR/results.parquet`` and ``DIR/summary.json``; prints the summary (JSON) on
stdout and progress bars on stderr. Without ``--personnel`` the whole register is extracted first (an
operator's national run; the per-unit work queue is ``congvu reconcile_register``). Bad input: every bad
cell is listed on stderr (file, row, column, value, reason), the exit status is 1 and DIR is untouched.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.matching.config import MatchConfig
from congvu.matching.pipeline import ENGINES, reconcile
from congvu.matching.readers import InputError


class Command(BaseCommand):
    help = ("Đối soát danh sách cán bộ với tệp trích xuất CSDL quốc gia về dân cư; ghi kết quả từng hồ sơ "
            "vào DIR/results.csv và DIR/results.parquet, in bản tóm tắt dạng JSON.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--personnel", type=Path,
                            help="tệp danh sách cán bộ (.csv, .xlsx, .parquet); bỏ trống: trích toàn bộ CSDL cán bộ")
        parser.add_argument("--population", type=Path, required=True,
                            help="tệp trích xuất dân cư (.parquet, .csv hoặc .xml theo QCVN 109)")
        parser.add_argument("--out", type=Path, required=True, help="thư mục ghi kết quả")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="máy xử lý (mặc định duckdb)")
        parser.add_argument("--threads", type=int, default=None, help="số luồng (mặc định: mọi lõi)")
        parser.add_argument("--memory-limit", default="8GB", help="giới hạn bộ nhớ của DuckDB (mặc định 8GB)")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến trình")

    def handle(self, *args: Any, **options: Any) -> None:
        config = dataclasses.replace(MatchConfig(), threads=options["threads"], memory_limit=options["memory_limit"])
        population: Path = options["population"]
        if not population.is_file():
            raise CommandError(f"Không thấy tệp dân cư {population}.")
        extract_dir: Path | None = None
        personnel: Path | None = options["personnel"]
        try:
            if personnel is None:
                extract_dir = Path(tempfile.mkdtemp(prefix="congvu-register-"))
                personnel = extract_dir / "register.parquet"
                self._extract(personnel)
            summary = reconcile(personnel, population, options["out"], config=config, engine=options["engine"],
                                progress=not options["no_progress"])
        except InputError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if exc.total > len(exc.problems):
                self.stderr.write(f"… và {exc.total - len(exc.problems)} lỗi khác")
            raise CommandError(f"Dữ liệu vào có {exc.total} lỗi; không ghi kết quả nào.") from exc
        finally:
            if extract_dir is not None:
                shutil.rmtree(extract_dir, ignore_errors=True)
        self.stdout.write(summary.to_json())

    def _extract(self, target: Path) -> None:
        from congvu.personnel.models import Person
        from congvu.reconciliation.extract import write_register_extract

        rows = write_register_extract(target, Person.objects.all())
        if rows == 0:
            raise CommandError("CSDL cán bộ chưa có hồ sơ nào để đối soát.")
