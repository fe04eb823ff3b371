"""``congvu`` console script: one entry point for HR staff and ops.

Subcommands are Django management commands that live beside their area (``<app>/management/commands``),
so ``congvu demo``, ``congvu import_people FILE``, ``congvu migrate`` all work.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["congvu", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
