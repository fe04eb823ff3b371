"""Reading a spreadsheet (.xlsx or .csv) into rows of raw cell values, whatever the HR office saved.

.xlsx is read with openpyxl in read-only mode (streaming, formulas as their cached values). .csv may be
UTF-8 with or without a byte-order mark, or a legacy Windows code page: cp1258 for Vietnamese typed in
Unicode-less Windows, cp1252 for text typed in the TCVN3 (ABC) or VNI fonts (those bytes are glyph codes
that :func:`congvu.text.legacy.fix_legacy_text` turns back into Vietnamese). The delimiter (``,`` or
``;``) is found by :class:`csv.Sniffer`.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from congvu.text.legacy import LegacyEncoding, fix_legacy_text

RawValue = object  # None | str | int | float | bool | datetime | date | time
RawRow = tuple[RawValue, ...]

SNIFF_BYTES = 64 * 1024


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read; the message is in Vietnamese."""


@dataclass
class Sheet:
    """A stream of (row number, values) and what we learnt about the file while opening it."""

    rows: Iterator[tuple[int, RawRow]]
    kind: str  # "xlsx" | "csv"
    encoding: str = ""  # for csv: utf-8, utf-8-sig, cp1258, cp1252
    numeric_cells: bool = False  # xlsx cells keep their type; csv cells are all text
    legacy: LegacyEncoding | None = None  # the whole file was typed in a TCVN3/VNI font


def open_sheet(source: Path | IO[bytes], filename: str) -> Sheet:
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    if not data:
        raise UnreadableFile("Tệp rỗng.")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _open_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or filename.lower().endswith(".xls"):
        raise UnreadableFile("Tệp .xls (Excel 97–2003) chưa được hỗ trợ: hãy mở bằng Excel và lưu lại dạng .xlsx.")
    return _open_csv(data)


# ---- xlsx ---------------------------------------------------------------------------------------------


def _open_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"Không đọc được tệp Excel (.xlsx): {exc.__class__.__name__}.") from exc
    ws = wb.worksheets[0]
    # Some generators write a wrong <dimension>; without it openpyxl reads every cell that is there.
    ws.reset_dimensions()

    def rows() -> Iterator[tuple[int, RawRow]]:
        try:
            yield from enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
        finally:
            wb.close()

    return Sheet(rows=rows(), kind="xlsx", numeric_cells=True)


# ---- csv ----------------------------------------------------------------------------------------------


def _open_csv(data: bytes) -> Sheet:
    text, encoding, legacy = decode_csv_bytes(data)
    dialect = sniff_dialect(text[:SNIFF_BYTES])

    def rows() -> Iterator[tuple[int, RawRow]]:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for values in reader:
            # csv.reader counts physical lines; a quoted cell may span lines, so number by record.
            yield reader.line_num, tuple(v if v.strip() != "" else None for v in values)

    return Sheet(rows=_renumber(rows()), kind="csv", encoding=encoding, legacy=legacy)


def _renumber(rows: Iterator[tuple[int, RawRow]]) -> Iterator[tuple[int, RawRow]]:
    """Row numbers as a spreadsheet program shows them: one per record, starting at 1."""
    for number, (_, values) in enumerate(rows, start=1):
        yield number, values


def decode_csv_bytes(data: bytes) -> tuple[str, str, LegacyEncoding | None]:
    """Text, the code page it was read with, and the legacy font encoding if the file was typed in one.

    UTF-8 (with or without BOM) first. Otherwise the file is from a legacy Windows program: if most of
    its non-ASCII lines read as cp1252 are TCVN3 or VNI glyph codes, keep that reading (each cell is
    decoded later and reported); otherwise it is Vietnamese in the Windows code page cp1258.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig", None
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"Tệp có dấu BOM UTF-8 nhưng byte thứ {exc.start + 3} không phải UTF-8.") from exc
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    as_1252 = data.decode("cp1252", errors="replace")
    lines = [line for line in as_1252[:SNIFF_BYTES].splitlines()[:500] if not line.isascii()]
    found = Counter(enc for enc in (fix_legacy_text(line)[1] for line in lines) if enc is not None)
    if found:
        encoding, hits = found.most_common(1)[0]
        if hits * 2 >= len(lines):
            return as_1252, "cp1252", encoding
    # Windows-1258 writes tones as combining marks after the letter: compose them (NFC).
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258", None


def sniff_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The stdlib sniffer, told that only ``,`` and ``;`` are candidates.

    When it cannot decide (tiny files, a title line without delimiters), take the more frequent one.
    """
    cut = sample.rfind("\n")
    sample = sample[: cut + 1] if cut > 0 else sample
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","

        class Fallback(csv.excel):
            pass

        Fallback.delimiter = delimiter
        return Fallback
