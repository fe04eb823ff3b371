"""``congvu streamlining estimate FILE.json``: the Decree 154/2025 streamlining calculator (DESIGN.md §4).

A pure calculator, like ``congvu kpi``: no database is touched. ``-`` reads standard input; the result goes
to standard output; invalid input gives one line per problem (person and field) on standard error, exit code
2 and nothing on standard output. The work is ``congvu.consequences.calculator.run_cli``.
"""

from __future__ import annotations

import sys
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.consequences.calculator import run_cli


class Command(BaseCommand):
    help = "Ước tính tinh giản biên chế theo Nghị định 154/2025: «streamlining estimate TỆP.json» (- là stdin)."
    requires_system_checks: list[str] = []  # a pure calculator: no database, no checks to wait for

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", help="estimate TỆP.json [--indent N]")

    def run_from_argv(self, argv: list[str]) -> None:
        # The calculator owns its argument parser and exit codes (2 for invalid input, nothing on stdout).
        sys.exit(run_cli(argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        code = run_cli(list(options["words"]), stdout=cast(IO[str], self.stdout), stderr=cast(IO[str], self.stderr))
        if code:
            raise CommandError("Dữ liệu vào không hợp lệ.", returncode=code)
