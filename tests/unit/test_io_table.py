"""Opening a .csv whatever program wrote it: encodings, byte-order mark, delimiter."""

from __future__ import annotations

import io

import pytest

from congvu.personnel.io.samples import csv_bytes
from congvu.personnel.io.table import UnreadableFile, decode_csv_bytes, open_sheet
from congvu.text.legacy import encode_tcvn3, encode_vni

ROWS = [["Họ và tên", "Dân tộc"], ["Nguyễn Văn An", "Kinh"], ["Đặng Thị Hằng", "Tày"]]


def read(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    return list(open_sheet(io.BytesIO(data), "danh-sach.csv").rows)


def test_utf8_with_a_byte_order_mark_is_read_without_the_mark() -> None:
    rows = read(csv_bytes(ROWS, bom=True))
    assert rows[0] == (1, ("Họ và tên", "Dân tộc"))


def test_the_delimiter_is_sniffed_between_comma_and_semicolon() -> None:
    data = csv_bytes([["DANH SÁCH CÁN BỘ, CÔNG CHỨC", ""], *ROWS, ["Lê Hà", "Kinh, Hoa"]], delimiter=";")
    rows = read(data)
    assert rows[1] == (2, ("Họ và tên", "Dân tộc"))
    assert rows[4] == (5, ("Lê Hà", "Kinh, Hoa"))


def test_a_windows_1258_file_is_read_as_vietnamese() -> None:
    text, encoding, legacy = decode_csv_bytes(csv_bytes(ROWS, encoding="cp1258"))
    assert (encoding, legacy) == ("cp1258", None)
    assert "Đặng Thị Hằng" in text


@pytest.mark.parametrize(("encode", "name"), [(encode_tcvn3, "tcvn3"), (encode_vni, "vni")])
def test_a_file_typed_in_a_legacy_font_is_recognised(encode: object, name: str) -> None:
    legacy_rows = [[encode(c) for c in row] for row in ROWS]  # type: ignore[operator]
    _, encoding, legacy = decode_csv_bytes(csv_bytes(legacy_rows, encoding="cp1252"))
    assert (encoding, legacy) == ("cp1252", name)


def test_empty_cells_are_none_and_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    rows = read(b'a,b\r\n"x\r\ny",\r\n\r\nc,d\r\n')
    assert [n for n, _ in rows] == [1, 2, 3, 4]
    assert rows[1][1] == ("x\r\ny", None)


def test_an_old_excel_file_is_refused_with_what_to_do() -> None:
    with pytest.raises(UnreadableFile, match=r"\.xlsx"):
        open_sheet(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "cu.xls")
