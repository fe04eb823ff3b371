"""Finding the table in a sheet and naming its columns, the way HR offices lay them out.

Headers are matched by their folded form (:func:`congvu.text.fold`: no accents, đ→d, lowercase) with
every run of punctuation turned into one space, so "Họ và tên", "HO VA TEN" and "Họ  và tên:" are one
header, and each field has synonyms ("Số CCCD", "CCCD", "Số định danh cá nhân" …).

The header row is the first row within the first :data:`SCAN_ROWS` whose cells name at least
:data:`MIN_MATCHES` known columns; anything above it (the agency's name, the title, a date) is ignored.
A header split over two rows, with a group cell merged across columns ("Lương" over "Mã ngạch | Bậc |
Ngày hưởng") or a cell merged down both rows ("Họ và tên"), is combined: for each column the lower cell
is tried with the group label above it ("Lương / Bậc", when that is a known header), then alone, then
the upper cell alone. Merged cells keep their
text only in the top-left cell, which is what this relies on (read-only openpyxl does not expose the
merge ranges). A row of column numbers under the header ("(1) (2) (3) …") is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from openpyxl.utils import get_column_letter

from congvu.personnel.io.report import CellError
from congvu.personnel.io.table import RawRow
from congvu.text import fold, nfc
from congvu.text.legacy import fix_legacy_text

SCAN_ROWS = 15
MIN_MATCHES = 3

_PUNCT = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,3})\s*\)?$")


def header_key(text: str) -> str:
    """The form headers are compared in: folded, punctuation runs as single spaces."""
    return _PUNCT.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Column:
    """A field the importer knows. ``label`` is what the exporter writes; ``synonyms`` what it accepts."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    ignored: bool = False  # known so it counts toward finding the header row, but not read (STT, Ghi chú)
    max_length: int = 0  # the database field's length, checked on every cell (0: no text limit)

    def header_keys(self) -> set[str]:
        return {header_key(t) for t in (self.label, *self.synonyms)}


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of file. ``required`` lists alternatives: one of them must be complete."""

    name: str
    title: str
    columns: tuple[Column, ...]
    required: tuple[tuple[tuple[str, ...], ...], ...]

    def lookup(self) -> dict[str, Column]:
        table: dict[str, Column] = {}
        for column in self.columns:
            for key in column.header_keys():
                table.setdefault(key, column)
        return table

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class Layout:
    """Where the table is: header rows, the column of each field, how to name a column to a person."""

    header_rows: tuple[int, ...]
    columns: dict[str, int]  # field key → 0-based column index
    names: dict[int, str]  # column index → "Header text (E)"
    ignored: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    skip_rows: set[int] = field(default_factory=set)  # a numbering row under the header
    limits: dict[str, int] = field(default_factory=dict)  # field key → max_length

    def name(self, key: str) -> str:
        index = self.columns.get(key)
        return self.names[index] if index is not None else ""


def _text(value: object) -> str:
    """A header cell's text; headers typed in a TCVN3/VNI font are decoded like any other cell."""
    return nfc(fix_legacy_text(value)[0]) if isinstance(value, str) else ""


@dataclass
class _Match:
    key: str
    text: str


def _match_cell(lookup: dict[str, Column], candidates: Sequence[str]) -> _Match | None:
    for text in candidates:
        if text:
            column = lookup.get(header_key(text))
            if column is not None:
                return _Match(column.key, text)
    return None


def _match_rows(lookup: dict[str, Column], upper: RawRow | None, lower: RawRow) -> dict[int, _Match]:
    """Column index → matched field, for one header row (``upper`` None) or two combined."""
    width = max(len(lower), len(upper) if upper is not None else 0)
    found: dict[int, _Match] = {}
    group = ""
    for i in range(width):
        low = _text(lower[i]) if i < len(lower) else ""
        own_upper = _text(upper[i]) if upper is not None and i < len(upper) else ""
        if own_upper:
            group = own_upper
        candidates: list[str] = []
        if low:
            if group:  # "Lương / Bậc" when that is a known name, so the person sees which "Bậc"
                candidates.append(f"{group} / {low}")
            candidates.append(low)
        if own_upper:
            candidates.append(own_upper)
        hit = _match_cell(lookup, candidates)
        if hit is not None:
            found[i] = hit
    return found


def _distinct(found: dict[int, _Match]) -> int:
    return len({m.key for m in found.values()})


def locate(schema: Schema, head: list[tuple[int, RawRow]]) -> Layout | None:
    """Find the header in the first rows of a sheet (``head`` = up to SCAN_ROWS numbered rows)."""
    lookup = schema.lookup()
    for i, (number, values) in enumerate(head[:SCAN_ROWS]):
        single = _match_rows(lookup, None, values)
        if _distinct(single) < MIN_MATCHES:
            continue
        best: dict[int, _Match] = single
        rows: tuple[int, ...] = (number,)
        if i > 0:
            with_prev = _match_rows(lookup, head[i - 1][1], values)
            if _distinct(with_prev) > _distinct(best):
                best, rows = with_prev, (head[i - 1][0], number)
        if i + 1 < len(head):
            with_next = _match_rows(lookup, values, head[i + 1][1])
            if _distinct(with_next) > _distinct(best):
                best, rows = with_next, (number, head[i + 1][0])
        layout = _layout(schema, best, rows, head)
        return layout
    return None


def _layout(schema: Schema, found: dict[int, _Match], rows: tuple[int, ...], head: list[tuple[int, RawRow]]) -> Layout:
    by_key: dict[str, list[int]] = {}
    names: dict[int, str] = {}
    for index, match in sorted(found.items()):
        names[index] = f"{match.text} ({get_column_letter(index + 1)})"
        by_key.setdefault(match.key, []).append(index)
    columns = {c.key: c for c in schema.columns}
    layout = Layout(header_rows=rows, columns={}, names=names,
                    limits={c.key: c.max_length for c in schema.columns if c.max_length})
    for key, indexes in by_key.items():
        if columns[key].ignored:
            continue
        layout.columns[key] = indexes[0]
        if len(indexes) > 1:
            listed = ", ".join(f"«{names[i]}»" for i in indexes)
            layout.errors.append(CellError(
                row=rows[-1], column=names[indexes[1]], value="",
                reason=f"Các cột {listed} cùng là «{columns[key].label}»; hãy giữ lại một cột.",
            ))
    layout.ignored = _unknown_headers(head, rows, found)
    _check_required(schema, layout)
    after = next((values for number, values in head if number == rows[-1] + 1), None)
    if after is not None and _is_numbering_row(after):
        layout.skip_rows.add(rows[-1] + 1)
    return layout


def _unknown_headers(head: list[tuple[int, RawRow]], rows: tuple[int, ...], found: dict[int, _Match]) -> list[str]:
    unknown: list[str] = []
    header_values = [values for number, values in head if number in rows]
    width = max((len(v) for v in header_values), default=0)
    for i in range(width):
        if i in found:
            continue
        texts = [_text(v[i]) for v in header_values if i < len(v) and _text(v[i])]
        if texts:
            unknown.append(f"{' / '.join(texts)} ({get_column_letter(i + 1)})")
    return unknown


def _check_required(schema: Schema, layout: Layout) -> None:
    for alternatives in schema.required:
        if any(all(k in layout.columns for k in option) for option in alternatives):
            continue
        wanted = " hoặc ".join(
            " + ".join(f"«{schema.column(k).label}»" for k in option) for option in alternatives
        )
        layout.errors.append(CellError(
            row=layout.header_rows[-1], column="", value="", reason=f"Thiếu cột {wanted}.",
        ))


def _is_numbering_row(values: RawRow) -> bool:
    """A row of column numbers, "(1) (2) (3)" or 1 2 3, that many official forms put under the header."""
    numbers: list[int] = []
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            numbers.append(value)
            continue
        match = _COLUMN_NUMBER.match(str(value).strip())
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= MIN_MATCHES and all(b > a for a, b in pairwise(numbers))
