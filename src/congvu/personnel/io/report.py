"""What an import tells its caller: every bad cell, or how many records it created, updated, left alone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class CellError:
    """One bad cell. ``row`` is the spreadsheet row a person sees (1-based, header rows included);
    ``column`` is the header text as written in the file plus the column letter, e.g. ``Ngày sinh (E)``.
    Problems that belong to no single cell (a missing column, an unreadable file) use ``column=""``."""

    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ImportReport:
    """Outcome of one import. ``ok`` is false when ``errors`` is non-empty; then nothing was written."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    decoded_legacy: list[tuple[int, str, str]] = field(default_factory=list)
    padded_ids: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    file_encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, value: object, reason: str) -> None:
        self.errors.append(CellError(row=row, column=column, value=display(value), reason=reason))

    def sort_errors(self) -> ImportReport:
        """Errors in reading order: by row, then by column from left to right (stable otherwise)."""
        self.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
        return self

    def warn(self, row: int, column: str, value: object, reason: str) -> None:
        self.warnings.append(CellError(row=row, column=column, value=display(value), reason=reason))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "decoded_legacy": [{"row": r, "column": c, "encoding": enc} for r, c, enc in self.decoded_legacy],
            "padded_ids": [{"row": r, "column": c} for r, c in self.padded_ids],
            "warnings": [w.as_dict() for w in self.warnings],
            "skipped_rows": list(self.skipped_rows),
            "ignored_columns": list(self.ignored_columns),
            "header_rows": list(self.header_rows),
            "file_encoding": self.file_encoding,
        }


_LETTER = re.compile(r"\(([A-Z]{1,3})\)$")


def _column_order(column: str) -> tuple[int, str]:
    match = _LETTER.search(column)
    letters = match.group(1) if match else ""
    return (len(letters), letters)


def display(value: object) -> str:
    """A cell value as a person would read it in the file (dates dd/mm/yyyy, 12.0 → 12)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
