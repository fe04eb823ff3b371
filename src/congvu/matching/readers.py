"""Reading the two inputs: the personnel file as HR offices keep it, and the population extract.

Personnel files (CSV, XLSX, Parquet) are read whole by DuckDB (or openpyxl, streamed, for XLSX), checked
cell by cell and written as one canonical Parquet file (:data:`PERSONNEL_COLUMNS`) that every engine reads.
Headers are recognised in Vietnamese with or without accents, in any case and spacing ("Họ và tên",
"HO VA TEN", "Ho ten"), or in English (``record_id`` …). A file whose names were typed in the legacy
TCVN3 or VNI encoding is decoded to Unicode (``congvu.text.fix_legacy_text``; decided per file). Any bad cell stops the run with a
:class:`InputError` naming file, row, column, value and reason; nothing is written.

Population extracts (CSV, Parquet, QCVN 109 XML) are *not* copied: an engine reads CSV and Parquet where
they are through :class:`PopulationInput` (which column is which). XML is streamed with ``iterparse`` into
a Parquet file in the work directory, a batch of rows at a time, so a 100-million-citizen file never sits
in Python memory. Field names are those of QCVN 109:2017/BTTTT (``SoDinhDanh``, ``SoCMND``, ``Ho``,
``ChuDem``, ``Ten``, ``HoVaTen``, ``NgayThangNamSinh``, ``GioiTinh``, ``QueQuan``) or English equivalents.
Population values that cannot be read (a date that is not a date) become unknown, and are counted, rather
than stopping the run: the extract is the reference and cannot be corrected here.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from congvu.text import fold

__all__ = [
    "PERSONNEL_COLUMNS",
    "InputError",
    "PopulationInput",
    "Problem",
    "header_key",
    "personnel_columns",
    "population_input",
    "read_xlsx_rows",
]

MAX_PROBLEMS = 50
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def header_key(text: str) -> str:
    """Headers compared folded, letters and digits only: "Họ và tên", "HO VA TEN", "ho_va_ten" are one.

    >>> header_key("Số định danh cá nhân"), header_key("SoDinhDanh"), header_key("personal_id")
    ('sodinhdanhcanhan', 'sodinhdanh', 'personalid')
    """
    return _NOT_ALNUM.sub("", fold(text))


def _keys(*names: str) -> frozenset[str]:
    return frozenset(header_key(n) for n in names)


#: Canonical personnel field → the headers it is recognised by.
PERSONNEL_HEADERS: dict[str, frozenset[str]] = {
    "record_id": _keys("record_id", "Mã hồ sơ", "Mã HS", "Số hiệu hồ sơ", "Mã cán bộ", "Mã CBCCVC", "Mã nhân sự",
                       "Mã số", "Số hồ sơ"),
    "personal_id": _keys("personal_id", "Số định danh cá nhân", "Số định danh", "Mã định danh", "Số CCCD",
                         "CCCD", "Căn cước công dân", "Số căn cước", "Số căn cước công dân", "SoDinhDanh"),
    "old_id": _keys("old_id", "Số CMND", "CMND", "Chứng minh nhân dân", "Số chứng minh nhân dân", "SoCMND",
                    "CMND cũ"),
    "full_name": _keys("full_name", "Họ và tên", "Họ tên", "Họ và tên khai sinh", "HoVaTen", "name"),
    "family_name": _keys("family_name", "Họ", "Ho"),
    "middle_name": _keys("middle_name", "Chữ đệm", "Tên đệm", "Đệm", "ChuDem"),
    "given_name": _keys("given_name", "Tên", "Ten"),
    "birth_date": _keys("birth_date", "Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh",
                        "NgayThangNamSinh", "date_of_birth", "dob", "Năm sinh"),
    "sex": _keys("sex", "Giới tính", "GioiTinh", "gender", "Nam/Nữ", "Phái"),
    "hometown": _keys("hometown", "Quê quán", "QueQuan", "Nguyên quán"),
    "unit_id": _keys("unit_id", "Mã đơn vị"),
    "unit_name": _keys("unit_name", "unit", "Đơn vị", "Cơ quan, đơn vị", "Đơn vị công tác", "Cơ quan"),
}  # fmt: skip

#: Canonical population field → recognised headers (QCVN 109 names and English equivalents).
POPULATION_HEADERS: dict[str, frozenset[str]] = {
    "pid": _keys("SoDinhDanh", "personal_id", "Số định danh cá nhân", "pid"),
    "old_id": _keys("SoCMND", "old_id", "Số CMND"),
    "ho": _keys("Ho", "family_name"),
    "chudem": _keys("ChuDem", "middle_name"),
    "ten": _keys("Ten", "given_name"),
    "full_name": _keys("HoVaTen", "full_name", "Họ và tên"),
    "dob": _keys("NgayThangNamSinh", "birth_date", "Ngày sinh", "date_of_birth"),
    "sex": _keys("GioiTinh", "sex", "Giới tính"),
    "home": _keys("QueQuan", "hometown", "Quê quán"),
}

#: Columns of the canonical personnel Parquet file (``source_row`` is the row number in the file).
PERSONNEL_COLUMNS = ("source_row", "record_id", "personal_id", "old_id", "full_name", "birth_date", "sex", "hometown",
                     "unit_id", "unit_name")


@dataclass(frozen=True)
class Problem:
    """One bad cell (or a file-level problem when ``row`` is ``None``)."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        value = f" “{self.value}”" if self.value is not None else ""
        return f"{', '.join(where)}:{value} {self.reason}"


class InputError(Exception):
    """The input cannot be used; ``problems`` lists every bad cell (up to :data:`MAX_PROBLEMS`)."""

    def __init__(self, problems: Sequence[Problem], total: int | None = None):
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        more = f"\n… và {self.total - len(self.problems)} lỗi khác" if self.total > len(self.problems) else ""
        super().__init__("\n".join(str(p) for p in self.problems) + more)


def _match_columns(names: Sequence[str], headers: dict[str, frozenset[str]]) -> dict[str, str]:
    """Canonical field → the file's column name, first match wins."""
    found: dict[str, str] = {}
    for name in names:
        key = header_key(name)
        for canonical, keys in headers.items():
            if key in keys and canonical not in found:
                found[canonical] = name
                break
    return found


# --- personnel --------------------------------------------------------------------------------------------

def personnel_columns(path: Path, names: Sequence[str]) -> dict[str, str]:
    """Which column of a personnel file holds which field; :class:`InputError` if one that is needed is missing."""
    found = _match_columns(names, PERSONNEL_HEADERS)
    problems = []
    if "record_id" not in found:
        problems.append(Problem(path.name, "thiếu cột mã hồ sơ (“Mã hồ sơ” hoặc record_id)"))
    if "full_name" not in found and "given_name" not in found:
        problems.append(Problem(path.name, "thiếu cột họ và tên (“Họ và tên” hoặc full_name)"))
    if "personal_id" not in found and "old_id" not in found and "birth_date" not in found:
        problems.append(Problem(path.name, "cần ít nhất một trong các cột “Số định danh cá nhân”, “Số CMND”, “Ngày sinh”"))
    if problems:
        raise InputError(problems)
    return found


def csv_header(path: Path) -> tuple[list[str], str]:
    """The header row of a CSV file and its delimiter (comma, semicolon or tab)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise InputError([Problem(path.name, "tệp rỗng: không có dòng tiêu đề")])
    delimiter = max((",", ";", "\t"), key=first.count)
    return next(csv.reader([first], delimiter=delimiter)), delimiter


SCAN_ROWS = 15


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx_rows(path: Path, target: Path, batch_rows: int = 50_000) -> list[str]:
    """Stream the first sheet of an .xlsx file into ``target`` (Parquet, all text, plus ``__row``).

    The header row is the first of the first :data:`SCAN_ROWS` rows that names at least three known
    personnel columns; rows above it (agency, title) and a row of column numbers under it are skipped.
    Returns the header names.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError([Problem(path.name, f"không mở được tệp Excel ({exc.__class__.__name__})")]) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        header_row = 0
        for number, values in enumerate(rows, start=1):
            texts = [_cell_text(v) for v in values]
            if len(_match_columns(texts, PERSONNEL_HEADERS)) >= 3:
                header, header_row = texts, number
                break
            if number >= SCAN_ROWS:
                break
        if header is None:
            raise InputError([Problem(path.name, f"không tìm thấy dòng tiêu đề trong {SCAN_ROWS} dòng đầu")])
        names = [h or f"cột {i + 1}" for i, h in enumerate(header)]
        schema = pa.schema([("__row", pa.int64()), *((f"c{i}", pa.string()) for i in range(len(names)))])
        with pq.ParquetWriter(target, schema) as writer:
            for batch in _xlsx_batches(rows, header_row, len(names), batch_rows):
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
        return names
    finally:
        book.close()


def _xlsx_batches(rows: Iterator[tuple[Any, ...]], header_row: int, width: int,
                  batch_rows: int) -> Iterator[dict[str, list[Any]]]:
    batch: dict[str, list[Any]] = {"__row": [], **{f"c{i}": [] for i in range(width)}}
    for number, values in enumerate(rows, start=header_row + 1):
        texts = [_cell_text(v) for v in values[:width]] + [""] * max(0, width - len(values))
        if not any(texts):
            continue
        if number == header_row + 1 and all(re.fullmatch(r"\(?\d{1,3}\)?", t) for t in texts if t):
            continue  # "(1) (2) (3) …" under the header
        batch["__row"].append(number)
        for i, text in enumerate(texts):
            batch[f"c{i}"].append(text)
        if len(batch["__row"]) >= batch_rows:
            yield batch
            batch = {k: [] for k in batch}
    if batch["__row"]:
        yield batch


# --- population -------------------------------------------------------------------------------------------

@dataclass
class PopulationInput:
    """Where the population extract is and which of its columns is which."""

    path: Path
    format: str  # "parquet" | "csv"
    columns: dict[str, str]  # canonical field → column name in the file
    dataset_version: str
    declared_rows: int | None = None
    delimiter: str = ","
    source_format: str = ""  # what the user gave: parquet, csv, xml
    extra: dict[str, Any] = field(default_factory=dict)


def _version_from_file(path: Path) -> str:
    stat = path.stat()
    stamp = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{path.name} ({stat.st_size} bytes, {stamp})"


def _population_columns(path: Path, names: Sequence[str]) -> dict[str, str]:
    found = _match_columns(names, POPULATION_HEADERS)
    problems = []
    if "pid" not in found:
        problems.append(Problem(path.name, "thiếu cột số định danh cá nhân (SoDinhDanh)"))
    if "full_name" not in found and "ten" not in found:
        problems.append(Problem(path.name, "thiếu cột họ tên (HoVaTen hoặc Ho, ChuDem, Ten)"))
    if "dob" not in found:
        problems.append(Problem(path.name, "thiếu cột ngày sinh (NgayThangNamSinh)"))
    if problems:
        raise InputError(problems)
    return found


def population_input(path: Path, work_dir: Path) -> PopulationInput:
    """Describe (and for XML, convert) a population extract. :class:`InputError` if it cannot be used."""
    if not path.is_file():
        raise InputError([Problem(path.name, "không tìm thấy tệp")])
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            parquet = pq.ParquetFile(path)
        except Exception as exc:
            raise InputError([Problem(path.name, f"không đọc được tệp Parquet ({exc.__class__.__name__})")]) from exc
        meta = parquet.schema_arrow.metadata or {}
        version = meta.get(b"dataset_version", b"").decode("utf-8") or _version_from_file(path)
        names = parquet.schema_arrow.names
        columns = _population_columns(path, names)
        numeric = {f"{field}_numeric": pa.types.is_integer(parquet.schema_arrow.field(columns[field]).type)
                   for field in ("pid", "old_id") if field in columns}  # IDs stored as numbers lost their zeros
        return PopulationInput(path, "parquet", columns, version, source_format="parquet", extra=numeric)
    if suffix in (".csv", ".txt"):
        names, delimiter = csv_header(path)
        return PopulationInput(path, "csv", _population_columns(path, names), _version_from_file(path),
                               delimiter=delimiter, source_format="csv")
    if suffix == ".xml":
        target = work_dir / "population-from-xml.parquet"
        version, declared, rows = xml_to_parquet(path, target)
        columns = {name: name for name in XML_FIELDS}
        return PopulationInput(target, "parquet", columns, version, declared_rows=declared, source_format="xml",
                               extra={"xml_rows": rows})
    raise InputError([Problem(path.name, "định dạng không hỗ trợ: dùng .csv, .parquet hoặc .xml (QCVN 109)")])


# --- QCVN 109 XML -----------------------------------------------------------------------------------------

XML_FIELDS = ("pid", "old_id", "ho", "chudem", "ten", "full_name", "dob", "sex", "home")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    for child in elem:
        if _local(child.tag) == name:
            return child
    return None


def _text(elem: ET.Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


def _person(elem: ET.Element) -> dict[str, str]:
    """The fields of one citizen element; only its own children (parents ``Cha``/``Me`` nest the same tags)."""
    name = _child(elem, "HoVaTen")
    ho = chudem = ten = ""
    full = ""
    if name is not None:
        ho, chudem, ten = (_text(_child(name, part)) for part in ("Ho", "ChuDem", "Ten"))
        full = _text(name)
    else:
        ho, chudem, ten = (_text(_child(elem, part)) for part in ("Ho", "ChuDem", "Ten"))
    dob_elem = _child(elem, "NgayThangNamSinh")
    dob = _text(_child(dob_elem, "NgayThangNam")) if dob_elem is not None and len(dob_elem) else _text(dob_elem)
    home_elem = _child(elem, "QueQuan")
    home = ""
    if home_elem is not None:
        home = _text(_child(home_elem, "MaDonViHanhChinh")) or _text(_child(home_elem, "ChiTiet")) or _text(home_elem)
    return {
        "pid": _text(_child(elem, "SoDinhDanh")),
        "old_id": _text(_child(elem, "SoCMND")),
        "ho": ho, "chudem": chudem, "ten": ten,
        "full_name": full if not (ho or ten) else "",
        "dob": dob,
        "sex": _text(_child(elem, "GioiTinh")),
        "home": home,
    }  # fmt: skip


def xml_to_parquet(path: Path, target: Path, batch_rows: int = 100_000) -> tuple[str, int | None, int]:
    """Stream a QCVN 109 ``CongdanCollection`` into Parquet. Returns (dataset version, declared, rows).

    Every direct child of the root is one citizen. Elements are cleared as soon as they are read, so
    memory stays at one batch whatever the file size. The dataset version is the root's
    ``ThoiDiemDuLieu`` (the time the data was taken) and the declared row count its ``SoCongDan``.
    """
    schema = pa.schema([(name, pa.string()) for name in XML_FIELDS])
    version = ""
    declared: int | None = None
    rows = 0
    depth = 0
    root: ET.Element | None = None
    batch: dict[str, list[str]] = {name: [] for name in XML_FIELDS}
    try:
        with pq.ParquetWriter(target, schema) as writer:
            for event, elem in ET.iterparse(path, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = elem
                        if _local(elem.tag) != "CongdanCollection":
                            raise InputError([Problem(path.name, f"phần tử gốc là <{_local(elem.tag)}>, "
                                                                 "không phải <CongdanCollection> (QCVN 109)")])
                        version = elem.get("ThoiDiemDuLieu", "")
                        count = elem.get("SoCongDan", "")
                        declared = int(count) if count.isdigit() else None
                    continue
                depth -= 1
                if depth == 1 and root is not None:
                    for key, value in _person(elem).items():
                        batch[key].append(value)
                    rows += 1
                    root.clear()  # drop the citizen just read (and any before it)
                    if rows % batch_rows == 0:
                        writer.write_table(pa.Table.from_pydict(batch, schema=schema))
                        batch = {name: [] for name in XML_FIELDS}
            if batch["pid"]:
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError([Problem(path.name, f"XML không hợp lệ ({exc.msg if hasattr(exc, 'msg') else exc})",
                                  row=line)]) from exc
    version = _version_from_file(path) if not version else f"{path.name} ThoiDiemDuLieu={version}"
    return version, declared, rows


# --- loading the personnel file ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonnelFile:
    """The canonical personnel Parquet file written by :func:`load_personnel`."""

    path: Path
    rows: int
    source_format: str
    columns: dict[str, str]  # canonical field → header in the user's file


def _personnel_source(path: Path, work_dir: Path, lit: Any) -> tuple[str, list[str], str, str]:
    """(DuckDB relation, column names, row-number expression, format) of a personnel file."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        names, delimiter = csv_header(path)
        cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(names)))
        relation = (f"read_csv({lit(str(path))}, header = false, skip = 1, columns = {{{cols}}}, "
                    f"delim = {lit(delimiter)}, quote = '\"', escape = '\"', null_padding = true)")
        return relation, names, "row_number() OVER () + 1", "csv"
    if suffix == ".xlsx":
        target = work_dir / "personnel-from-xlsx.parquet"
        names = read_xlsx_rows(path, target)
        return f"read_parquet({lit(str(target))})", names, "__row", "xlsx"
    if suffix == ".parquet":
        try:
            names = pq.read_schema(path).names
        except Exception as exc:
            raise InputError([Problem(path.name, f"không đọc được tệp Parquet ({exc.__class__.__name__})")]) from exc
        renamed = ", ".join(f'"{n}" AS c{i}' for i, n in enumerate(names))
        relation = f"(SELECT file_row_number, {renamed} FROM read_parquet({lit(str(path))}, file_row_number = true))"
        return relation, names, "file_row_number + 1", "parquet"
    raise InputError([Problem(path.name, "định dạng không hỗ trợ: dùng .csv, .xlsx hoặc .parquet")])


def load_personnel(path: Path, work_dir: Path, *, memory_limit: str = "2GB") -> PersonnelFile:
    """Read, check and canonicalise a personnel file into ``work_dir/personnel.parquet``.

    Checks every cell: record IDs present and unique, a name on every row, dates of birth readable,
    sex Nam/Nữ. Raises :class:`InputError` listing the bad cells; IDs are not errors here (what is wrong
    with them is part of the results).
    """
    import duckdb

    from congvu.matching.sql import DuckDBDialect

    if not path.is_file():
        raise InputError([Problem(path.name, "không tìm thấy tệp")])
    d = DuckDBDialect()
    relation, names, row_expr, fmt = _personnel_source(path, work_dir, d.lit)
    found = personnel_columns(path, names)
    index = {name: i for i, name in enumerate(names)}

    def text(field_name: str) -> str:
        if field_name not in found:
            return "''"
        return f"coalesce(trim(CAST(c{index[found[field_name]]} AS VARCHAR)), '')"

    if "full_name" in found:
        full = text("full_name")
    else:
        full = (f"concat_ws(' ', NULLIF({text('family_name')}, ''), NULLIF({text('middle_name')}, ''), "
                f"NULLIF({text('given_name')}, ''))")
    not_blank = " AND ".join(f"coalesce(trim(CAST(c{i} AS VARCHAR)), '') = ''" for i in range(len(names)))
    con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": str(work_dir / "spill")})
    try:
        try:
            con.execute(f"""
            CREATE TABLE canon AS
            SELECT CAST(__numbered AS BIGINT) AS source_row, {text('record_id')} AS record_id,
              {text('personal_id')} AS personal_id, {text('old_id')} AS old_id, {full} AS full_name,
              {text('birth_date')} AS birth_date, {text('sex')} AS sex, {text('hometown')} AS hometown,
              {text('unit_id')} AS unit_id, {text('unit_name')} AS unit_name
            FROM (SELECT *, {row_expr} AS __numbered FROM {relation}) numbered  -- numbered before blank rows go
            WHERE NOT ({not_blank})
            """)
        except duckdb.Error as exc:  # a CSV that does not parse (quotes, ragged rows, encoding)
            reason = str(exc).splitlines()[0].split(":", 1)[-1].strip()
            raise InputError([Problem(path.name, f"không đọc được tệp ({reason})")]) from exc
        _fix_legacy_names(con)
        con.execute(f"""
        CREATE TABLE checked AS
        SELECT c.*, {d.birth_year('c.birth_date', 'dob')} AS yob, {d.sex('c.sex')} AS sex_code
        FROM (SELECT c.*, {d.birth_date('c.birth_date')} AS dob FROM canon c) c
        """)
        _raise_cell_problems(con, path, found)
        rows = int(con.execute("SELECT count(*) FROM checked").fetchall()[0][0])
        target = work_dir / "personnel.parquet"
        con.execute(f"COPY (SELECT * FROM checked ORDER BY source_row) TO {d.lit(str(target))} (FORMAT parquet)")
    finally:
        con.close()
    if rows == 0:
        raise InputError([Problem(path.name, "không có dòng dữ liệu nào")])
    return PersonnelFile(target, rows, fmt, found)


#: Share of a file's non-ASCII names that must look legacy-encoded before its names are decoded.
LEGACY_SHARE = 0.2


def _fix_legacy_names(con: Any) -> int:
    """A file typed in the legacy TCVN3 (ABC) or VNI encoding ("NguyÔn V¨n An") decoded to Unicode.

    Decided for the whole file, not name by name: a Unicode name with a typo ("Phùc") can look like a
    legacy one and must not be "decoded". When at least :data:`LEGACY_SHARE` of the distinct non-ASCII
    names look legacy, every name is decoded with that encoding (:func:`congvu.text.fix_legacy_text` with
    ``assume``). Returns how many distinct names changed.
    """
    from congvu.text import detect_legacy_encoding, fix_legacy_text

    names = [n for (n,) in con.execute(
        "SELECT DISTINCT full_name FROM canon WHERE NOT regexp_matches(full_name, '^[ -~]*$')").fetchall()]
    if not names:
        return 0
    encoding = detect_legacy_encoding(names)
    if encoding is None or sum(1 for n in names if fix_legacy_text(n)[1] == encoding) < LEGACY_SHARE * len(names):
        return 0
    fixed = [(name, decoded) for name in names for decoded, found in [fix_legacy_text(name, assume=encoding)]
             if found and decoded != name]
    if fixed:
        con.register("legacy_names", pa.table({"old": [o for o, _ in fixed], "new": [n for _, n in fixed]}))
        con.execute("UPDATE canon SET full_name = l.new FROM legacy_names l WHERE canon.full_name = l.old")
        con.unregister("legacy_names")
    return len(fixed)


def _raise_cell_problems(con: Any, path: Path, found: dict[str, str]) -> None:
    label = {k: found.get(k, k) for k in PERSONNEL_HEADERS}
    name_label = found.get("full_name") or found.get("given_name") or "Họ và tên"
    checks = [
        ("record_id = ''", label["record_id"], "record_id", "thiếu mã hồ sơ"),
        ("record_id <> '' AND count(*) OVER (PARTITION BY record_id) > 1", label["record_id"], "record_id",
         "mã hồ sơ bị trùng với dòng khác"),
        ("full_name = ''", name_label, "full_name", "thiếu họ và tên"),
        ("birth_date <> '' AND yob IS NULL", label["birth_date"], "birth_date",
         "không đọc được ngày sinh (dùng dd/mm/yyyy, yyyy-mm-dd hoặc chỉ năm yyyy, năm từ 1900 đến 2100)"),
        ("sex_code = '?'", label["sex"], "sex", "giới tính phải là Nam hoặc Nữ"),
    ]
    union = " UNION ALL ".join(
        f"SELECT source_row, {i} AS check_no, {column} AS value FROM (SELECT *, {cond} AS bad FROM checked) WHERE bad"
        for i, (cond, _, column, _) in enumerate(checks)
    )
    total = int(con.execute(f"SELECT count(*) FROM ({union})").fetchall()[0][0])
    if not total:
        return
    bad = con.execute(f"SELECT source_row, check_no, value FROM ({union}) ORDER BY source_row, check_no "
                      f"LIMIT {MAX_PROBLEMS}").fetchall()
    raise InputError([Problem(path.name, checks[n][3], row=row, column=checks[n][1], value=value)
                      for row, n, value in bad], total)
