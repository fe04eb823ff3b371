"""From an opened sheet to numbered data rows: find the header, skip what is not data.

Shared by the three importers. The per-cell helper :class:`RowCells` reads a cell of a named field,
decodes TCVN3/VNI text (and records it), and turns a :class:`~congvu.personnel.io.cells.BadCell` into a
:class:`~congvu.personnel.io.report.CellError` naming the row, the column, the value and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from congvu.personnel.io.cells import BadCell, text
from congvu.personnel.io.headers import SCAN_ROWS, Layout, Schema, locate
from congvu.personnel.io.report import ImportReport
from congvu.personnel.io.table import RawRow, Sheet
from congvu.text.legacy import fix_legacy_text

T = TypeVar("T")

#: A row is a footer ("Người lập biểu", a signature line) rather than a record when its key cell (the
#: personal ID, the unit name) is empty and it has fewer than this many filled cells.
FOOTER_MAX_CELLS = 3


def find_layout(sheet: Sheet, schema: Schema, report: ImportReport) -> tuple[Layout | None, Iterator[tuple[int, RawRow]]]:
    """Locate the header; return the layout and the remaining rows (the data)."""
    head: list[tuple[int, RawRow]] = []
    for numbered in sheet.rows:
        head.append(numbered)
        if len(head) >= SCAN_ROWS + 1:
            break
    layout = locate(schema, head)
    if layout is None:
        needed = ", ".join(f"«{schema.column(alternatives[0][0]).label}»" for alternatives in schema.required)
        report.error(0, "", "", f"Không tìm thấy dòng tiêu đề trong {SCAN_ROWS} dòng đầu: cần các cột {needed}.")
        return None, iter(())
    report.header_rows = layout.header_rows
    report.ignored_columns = layout.ignored
    report.errors.extend(layout.errors)
    last_header = layout.header_rows[-1]

    def data() -> Iterator[tuple[int, RawRow]]:
        for number, values in head:
            if number > last_header and number not in layout.skip_rows:
                yield number, values
        for number, values in sheet.rows:
            if number not in layout.skip_rows:
                yield number, values

    return layout, data()


#: Distinct text values remembered per import: names, places and choices repeat down a column, and
#: checking a string for TCVN3/VNI costs far more than a dictionary lookup.
TEXT_CACHE_LIMIT = 200_000


class RowCells:
    """The cells of one data row, read by field key. ``cache`` is shared by the rows of one file."""

    __slots__ = ("bad", "cache", "cells", "layout", "legacy", "number", "report")

    def __init__(self, number: int, values: RawRow, layout: Layout, report: ImportReport, legacy: str | None,
                 cache: dict[str, tuple[str, str | None]] | None = None):
        self.number = number
        width = len(values)
        # The non-empty cells of the mapped columns, read once: parsing asks for them several times.
        self.cells: dict[str, object] = {}
        for key, index in layout.columns.items():
            if index < width:
                value = values[index]
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    self.cells[key] = value
        self.layout = layout
        self.report = report
        self.legacy = legacy
        self.cache = cache if cache is not None else {}
        self.bad = False

    def raw(self, key: str) -> object:
        return self.cells.get(key)

    def has(self, key: str) -> bool:
        return key in self.layout.columns

    def filled(self) -> int:
        return len(self.cells)

    def fail(self, key: str, reason: str, value: object = ...) -> None:
        self.bad = True
        self.report.error(self.number, self.layout.name(key), self.raw(key) if value is ... else value, reason)

    def parse(self, key: str, parser: Callable[[object], T]) -> T | None:
        raw = self.raw(key)
        if raw is None:
            return None
        try:
            return parser(raw)
        except BadCell as exc:
            self.fail(key, str(exc))
            return None

    def text(self, key: str) -> str:
        """The cell as NFC text, decoded from TCVN3/VNI when it was typed in such a font."""
        raw = self.raw(key)
        if raw is None:
            return ""
        if not isinstance(raw, str):
            return text(raw)
        known = self.cache.get(raw)
        if known is None:
            fixed, encoding = fix_legacy_text(raw, assume=self.legacy)  # type: ignore[arg-type]
            known = (text(fixed), encoding)
            if len(self.cache) < TEXT_CACHE_LIMIT:
                self.cache[raw] = known
        if known[1] is not None:
            self.report.decoded_legacy.append((self.number, self.layout.name(key), known[1]))
        limit = self.layout.limits.get(key, 0)
        if limit and len(known[0]) > limit:
            self.fail(key, f"Dài {len(known[0])} ký tự, tối đa {limit}.")
        return known[0]

    def required(self, key: str, label: str) -> bool:
        if self.raw(key) is None:
            self.fail(key, f"{label} không được để trống.", "")
            return False
        return True
