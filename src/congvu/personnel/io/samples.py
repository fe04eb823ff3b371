"""Spreadsheets of people for tests and benchmarks, in the layout the importer reads.

:func:`write_people_xlsx` writes given rows; :func:`synthetic_people` makes any number of valid rows
(well-formed personal IDs, Vietnamese names, dates) so a benchmark can build a 100,000-row file.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from congvu.personnel.io.exporting import write_table
from congvu.personnel.io.layouts import PEOPLE
from congvu.rules.personal_id import PRE_2025_PROVINCES, make_personal_id

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân")
MIDDLE_F = ("Thị", "Thị Thu", "Thị Thanh", "Ngọc", "Thị Minh", "Thu", "Thị Hồng")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn", "Việt")
GIVEN_F = ("Anh", "Châu", "Dung", "Giang", "Hà", "Hằng", "Hoa", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Thảo", "Yến")
CATEGORIES = ("Công chức", "Công chức", "Viên chức", "Cán bộ", "Người lao động")


def write_people_xlsx(path: Path, rows: Iterable[Mapping[str, Any]], *, columns: Sequence[str] | None = None,
                      fmt: str = "xlsx") -> int:
    """Write ``rows`` (dicts keyed by the field keys of :data:`~congvu.personnel.io.layouts.PEOPLE`,
    e.g. ``personal_id``, ``full_name``, ``birth_date``) under the standard title and header rows.
    ``columns`` defaults to the keys of the first row. Returns the number of rows written."""
    iterator = iter(rows)
    first = next(iterator, None)
    keys = list(columns) if columns is not None else list(first or {})

    def values() -> Iterator[list[Any]]:
        if first is not None:
            yield [first.get(k) for k in keys]
        for row in iterator:
            yield [row.get(k) for k in keys]

    return write_table(Path(path), fmt, PEOPLE, keys, values())


def synthetic_people(n: int, unit_refs: Sequence[str], *, seed: int = 0, first_serial: int = 1,
                     rank: tuple[str, Sequence[int]] | None = None) -> Iterator[dict[str, Any]]:
    """``n`` valid rows spread over ``unit_refs``; ``rank`` = (rank code, allowed steps) fills the salary columns."""
    rng = random.Random(seed)
    provinces = sorted(PRE_2025_PROVINCES)
    for i in range(n):
        sex = rng.choice("MF")
        year = rng.randint(1966, 2002)
        born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        middle, given = (MIDDLE_M, GIVEN_M) if sex == "M" else (MIDDLE_F, GIVEN_F)
        row: dict[str, Any] = {
            "personal_id": make_personal_id(rng.choice(provinces), sex, year, (first_serial + i) % 1_000_000),
            "family_name": rng.choice(FAMILY),
            "middle_name": rng.choice(middle),
            "given_name": rng.choice(given),
            "birth_date": born,
            "sex": "Nam" if sex == "M" else "Nữ",
            "category": rng.choice(CATEGORIES),
            "unit": unit_refs[i % len(unit_refs)],
            "title": "",
            "start_date": dt.date(max(year + 22, 2000), rng.randint(1, 12), 1),
            "decision_number": f"{rng.randint(1, 999)}/QĐ-UBND",
            "insured_months": rng.randint(0, 400),
            "ethnicity": "Kinh",
            "religion": "Không",
            "party_member": rng.choice(("Có", "Không")),
        }
        if rank is not None:
            row["rank"] = rank[0]
            row["salary_step"] = rng.choice(list(rank[1]))
            row["step_since"] = dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1)
        yield row


def write_raw_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, merges: Sequence[str] = (),
                   number_formats: Mapping[str, str] | None = None) -> Path:
    """An .xlsx with exactly these cell values (row 1 first), merged ranges such as ``"F4:H4"`` and
    number formats by cell (``{"E6": "0"}``): for files laid out the way an HR office would."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for values in rows:
        ws.append(list(values))
    for ref in merges:
        ws.merge_cells(ref)
    for ref, number_format in (number_formats or {}).items():
        ws[ref].number_format = number_format
    wb.save(path)
    return path


def csv_bytes(rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8",
              bom: bool = False) -> bytes:
    """A .csv as a legacy or modern program would save it (``encoding`` cp1258, cp1252, utf-8 …)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
    text = buffer.getvalue()
    data = _cp1258(text) if encoding.lower() == "cp1258" else text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: ă â ê ô ơ ư đ are single bytes, tones are combining
    marks after the letter (Python's codec does not decompose by itself)."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], list(decomposed[1:])
        shape = [m for m in marks if m in "\u0302\u0306\u031b"]  # circumflex, breve, horn: part of the letter
        tones = [m for m in marks if m not in shape]
        out += (unicodedata.normalize("NFC", base + "".join(shape)) + "".join(tones)).encode("cp1258")
    return bytes(out)
