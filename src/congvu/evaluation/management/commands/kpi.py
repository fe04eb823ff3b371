"""``congvu kpi score FILE.json`` and ``congvu kpi classify FILE.json``: the KPI calculators (DESIGN.md §4).

``-`` reads standard input. The result (JSON) goes to standard output; invalid input goes to standard error,
one line per problem naming the person and the field, with exit code 2 and nothing on standard output.
No database is touched.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.evaluation.calculator import CalculatorError, classify_request, load_json, score_request

ACTIONS: dict[str, tuple[Callable[[Any], dict[str, Any]], str]] = {
    "score": (score_request, "Tính điểm kỳ (tháng/quý) cho từng người: số lượng, chất lượng, tiến độ, tổng điểm."),
    "classify": (classify_request, "Xếp loại năm: điểm năm, các trường hợp buộc không hoàn thành, tỷ lệ xuất sắc."),
}
INPUT_ERROR = 2


class Command(BaseCommand):
    help = "Máy tính KPI theo Nghị định 335/2025: «kpi score TỆP.json» hoặc «kpi classify TỆP.json» (- là stdin)."
    requires_system_checks: list[str] = []  # a pure calculator: no database, no checks to wait for
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{score,classify}")
        for name, (_, text) in ACTIONS.items():
            sub = actions.add_parser(name, help=text, description=text)
            sub.add_argument("file", help="tệp JSON đầu vào (xem docs/schemas/), hoặc - để đọc từ stdin")
            sub.add_argument("--indent", type=int, default=2, help="số khoảng trắng thụt dòng (0: một dòng)")

    def handle(self, *args: Any, **options: Any) -> None:
        calculate = ACTIONS[options["action"]][0]
        source = options["file"]
        text = self._read(source, options.get("stdin") or sys.stdin)
        try:
            result = calculate(load_json(text, "stdin" if source == "-" else source))
        except CalculatorError as exc:
            lines = [f"  {e['loc']}: {e['message']}" if e["loc"] else f"  {e['message']}" for e in exc.errors]
            raise CommandError(
                f"Dữ liệu vào không hợp lệ ({len(exc.errors)} lỗi), chưa tính gì:\n" + "\n".join(lines),
                returncode=INPUT_ERROR,
            ) from None
        indent = options["indent"] or None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent))

    def _read(self, source: str, stdin: IO[Any]) -> str | bytes:
        if source == "-":
            data: str | bytes = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            return data
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp «{source}»: {exc.strerror or exc}", returncode=INPUT_ERROR) from None
