"""Reading personnel files as HR offices keep them, and population extracts (CSV, Parquet, QCVN 109 XML)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from congvu.matching.readers import InputError, load_personnel, population_input, xml_to_parquet

ROWS = [
    ("HS1", "001085000101", "", "Nguyễn Văn An", "12/03/1985", "Nam", "Hà Nội"),
    ("HS2", "", "012345678", "Trần Thị Hòa", "1986", "Nữ", "Nam Định"),
]


def rows_of(path: Path) -> list[tuple[object, ...]]:
    return duckdb.execute(
        f"SELECT source_row, record_id, personal_id, old_id, full_name, dob, yob, sex_code, hometown "
        f"FROM read_parquet('{path}') ORDER BY source_row").fetchall()


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]], *, sep: str = ",", bom: bool = False) -> Path:
    text = sep.join(header) + "\n" + "".join(sep.join(r) + "\n" for r in rows)
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "header",
    [
        ["Mã hồ sơ", "Số định danh cá nhân", "Số CMND", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán"],
        ["MA HO SO", "SO CCCD", "CMND", "HO VA TEN", "NGAY SINH", "GIOI TINH", "QUE QUAN"],
        ["Ma ho so", "So dinh danh", "So CMND", "Ho ten", "Ngay sinh", "Gioi tinh", "Que quan"],
        ["record_id", "personal_id", "old_id", "full_name", "birth_date", "sex", "hometown"],
        [unicodedata.normalize("NFD", h) for h in
         ["Mã hồ sơ", "Số định danh cá nhân", "Số CMND", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán"]],
    ],
    ids=["vietnamese", "upper-case-no-accents", "no-accents", "english", "nfd"],
)
def test_personnel_headers_are_recognised_in_every_usual_form(tmp_path: Path, header: list[str]) -> None:
    source = write_csv(tmp_path / "ns.csv", header, ROWS)
    loaded = load_personnel(source, tmp_path)
    assert rows_of(loaded.path) == [
        (2, "HS1", "001085000101", "", "Nguyễn Văn An", __import__("datetime").date(1985, 3, 12), 1985, "M", "Hà Nội"),
        (3, "HS2", "", "012345678", "Trần Thị Hòa", None, 1986, "F", "Nam Định"),
    ]


def test_a_csv_with_a_byte_order_mark_semicolons_and_nfd_text_is_read(tmp_path: Path) -> None:
    rows = [(r[0], r[1], r[2], unicodedata.normalize("NFD", r[3]), *r[4:]) for r in ROWS]
    source = write_csv(tmp_path / "ns.csv", ["Mã hồ sơ", "CCCD", "CMND", "Họ tên", "Ngày sinh", "Phái", "Quê quán"],
                       rows, sep=";", bom=True)
    loaded = rows_of(load_personnel(source, tmp_path).path)
    assert [r[1] for r in loaded] == ["HS1", "HS2"]
    assert loaded[0][4] == unicodedata.normalize("NFD", "Nguyễn Văn An")  # stored as given; compared after NFC


def test_separate_family_middle_and_given_columns_make_the_full_name(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ns.csv", ["Mã hồ sơ", "Họ", "Chữ đệm", "Tên", "Ngày sinh"],
                       [("HS1", "Nguyễn", "Thị Thu", "Hà", "1/2/1990"), ("HS2", "Lê", "", "An", "1990")])
    assert [r[4] for r in rows_of(load_personnel(source, tmp_path).path)] == ["Nguyễn Thị Thu Hà", "Lê An"]


def test_an_xlsx_with_a_title_above_the_header_and_a_numbered_row_under_it_is_read(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["SỞ NỘI VỤ TỈNH NAM ĐỊNH"])
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC"])
    sheet.append([])
    sheet.append(["STT", "Mã hồ sơ", "Số định danh cá nhân", "Họ và tên", "Ngày sinh", "Giới tính"])
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    sheet.append([1, "HS1", 1085000101, "Nguyễn Văn An", __import__("datetime").datetime(1985, 3, 12), "Nam"])
    sheet.append([2, "HS2", "001186000102", "Trần Thị Hòa", 31048, "Nữ"])
    book.save(tmp_path / "ns.xlsx")
    loaded = rows_of(load_personnel(tmp_path / "ns.xlsx", tmp_path).path)
    assert [(r[0], r[1], r[2], r[5]) for r in loaded] == [
        (6, "HS1", "1085000101", __import__("datetime").date(1985, 3, 12)),  # the number lost its zeros
        (7, "HS2", "001186000102", __import__("datetime").date(1985, 1, 1)),  # an Excel serial day
    ]


def test_bad_cells_are_listed_with_file_row_column_value_and_reason(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ns.csv", ["Mã hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính"],
                       [("HS1", "Nguyễn Văn An", "31/02/1985", "Nam"), ("HS1", "Lê An", "1/1/1990", "khác"), ("", "", "", ""), ("HS3", "", "", "")])
    with pytest.raises(InputError) as caught:
        load_personnel(source, tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert "ns.csv, dòng 2, cột “Ngày sinh”: “31/02/1985” không đọc được ngày sinh" in messages[1]
    assert any("dòng 3, cột “Mã hồ sơ”: “HS1” mã hồ sơ bị trùng" in m for m in messages)
    assert any("dòng 3, cột “Giới tính”: “khác” giới tính phải là Nam hoặc Nữ" in m for m in messages)
    assert any("dòng 5, cột “Họ và tên”" in m and "thiếu họ và tên" in m for m in messages)
    assert not (tmp_path / "personnel.parquet").exists()


def test_a_personnel_file_without_record_ids_or_names_is_refused(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ns.csv", ["Số CCCD", "Ngày sinh"], [("001085000101", "1985")])
    with pytest.raises(InputError, match="thiếu cột mã hồ sơ") as caught:
        load_personnel(source, tmp_path)
    assert "thiếu cột họ và tên" in str(caught.value)


def test_a_population_parquet_with_english_names_and_numeric_ids_is_described(tmp_path: Path) -> None:
    table = pa.table({"personal_id": pa.array([1085000101], pa.int64()), "full_name": ["Nguyễn Văn An"],
                      "birth_date": ["1985-03-12"], "sex": ["Nam"]})
    pq.write_table(table.replace_schema_metadata({"dataset_version": "CSDLQGDC 2026-01-15"}), tmp_path / "p.parquet")
    pop = population_input(tmp_path / "p.parquet", tmp_path)
    assert pop.columns == {"pid": "personal_id", "full_name": "full_name", "dob": "birth_date", "sex": "sex"}
    assert pop.dataset_version == "CSDLQGDC 2026-01-15"
    assert pop.extra["pid_numeric"] is True


def test_a_population_file_without_ids_is_refused(tmp_path: Path) -> None:
    write_csv(tmp_path / "p.csv", ["Ho", "Ten", "NgayThangNamSinh"], [("Lê", "An", "1985")])
    with pytest.raises(InputError, match="thiếu cột số định danh cá nhân"):
        population_input(tmp_path / "p.csv", tmp_path)


QCVN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<CongdanCollection xmlns="http://www.mic.gov.vn/dancu/1.0" ThoiDiemDuLieu="2026-01-15T00:00:00" SoCongDan="2">
  <Congdan>
    <SoDinhDanh>001085000101</SoDinhDanh>
    <SoCMND>012345678</SoCMND>
    <HoVaTen><Ho>Nguyễn</Ho><ChuDem>Văn</ChuDem><Ten>An</Ten></HoVaTen>
    <GioiTinh>1</GioiTinh>
    <NgayThangNamSinh><NgayThangNam>1985-03-12</NgayThangNam></NgayThangNamSinh>
    <QueQuan><MaDonViHanhChinh>00097</MaDonViHanhChinh><ChiTiet>Phường Hồng Hà</ChiTiet><QuocGia>VN</QuocGia></QueQuan>
    <Cha><SoDinhDanh>001050000001</SoDinhDanh><HoVaTen><Ho>Nguyễn</Ho><ChuDem>Văn</ChuDem><Ten>Ba</Ten></HoVaTen></Cha>
  </Congdan>
  <Congdan>
    <SoDinhDanh>001186000102</SoDinhDanh>
    <HoVaTen><Ho>Trần</Ho><ChuDem>Thị</ChuDem><Ten>Hòa</Ten></HoVaTen>
    <GioiTinh>2</GioiTinh>
    <NgayThangNamSinh>1986</NgayThangNamSinh>
    <QueQuan><ChiTiet>Tỉnh Nam Định</ChiTiet></QueQuan>
  </Congdan>
</CongdanCollection>
"""


def test_a_qcvn_109_xml_extract_is_streamed_to_parquet_with_its_version_and_count(tmp_path: Path) -> None:
    (tmp_path / "dc.xml").write_text(QCVN_XML, encoding="utf-8")
    pop = population_input(tmp_path / "dc.xml", tmp_path)
    assert pop.dataset_version == "dc.xml ThoiDiemDuLieu=2026-01-15T00:00:00"
    assert (pop.declared_rows, pop.extra["xml_rows"]) == (2, 2)
    rows = pq.read_table(pop.path).to_pylist()
    assert rows[0] == {"pid": "001085000101", "old_id": "012345678", "ho": "Nguyễn", "chudem": "Văn", "ten": "An",
                       "full_name": "", "dob": "1985-03-12", "sex": "1", "home": "00097"}
    assert rows[1]["dob"] == "1986"
    assert rows[1]["home"] == "Tỉnh Nam Định"
    assert rows[1]["old_id"] == ""


def test_the_xml_reader_keeps_one_batch_in_memory_whatever_the_file_size(tmp_path: Path) -> None:
    person = QCVN_XML.split("<Congdan>")[2].split("</Congdan>")[0]
    body = "".join(f"<Congdan>{person.replace('001186000102', f'{i:012d}')}</Congdan>" for i in range(2500))
    (tmp_path / "big.xml").write_text(f'<CongdanCollection SoCongDan="2500">{body}</CongdanCollection>', "utf-8")
    version, declared, rows = xml_to_parquet(tmp_path / "big.xml", tmp_path / "big.parquet", batch_rows=1000)
    assert (declared, rows) == (2500, 2500)
    assert pq.ParquetFile(tmp_path / "big.parquet").metadata.num_row_groups == 3
    assert version.startswith("big.xml (")  # no ThoiDiemDuLieu: the file's name, size and time


def test_a_file_that_is_not_qcvn_109_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text("<Other/>", encoding="utf-8")
    with pytest.raises(InputError, match="CongdanCollection"):
        population_input(tmp_path / "x.xml", tmp_path)
    (tmp_path / "y.xml").write_text("<CongdanCollection><Congdan>", encoding="utf-8")
    with pytest.raises(InputError, match="XML không hợp lệ"):
        population_input(tmp_path / "y.xml", tmp_path)


def test_a_file_typed_in_the_legacy_tcvn3_encoding_is_decoded(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "ns.csv", ["Mã hồ sơ", "Họ và tên", "Ngày sinh"],
                       [("HS1", "NguyÔn V¨n An", "1985"), ("HS2", "TrÇn ThÞ Hoa", "1986"), ("HS3", "Le An", "1987")])
    names = [r[4] for r in rows_of(load_personnel(source, tmp_path).path)]
    assert names == ["Nguyễn Văn An", "Trần Thị Hoa", "Le An"]


def test_a_unicode_name_with_a_typo_is_not_taken_for_a_legacy_one(tmp_path: Path) -> None:
    names = ["Phan Huy Phùc", "Bùi Vuí"] + [f"Nguyễn Văn {g}" for g in ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng",
                                                                       "Khánh", "Long", "Minh", "Nam", "Phúc")]
    source = write_csv(tmp_path / "ns.csv", ["Mã hồ sơ", "Họ và tên", "Ngày sinh"],
                       [(f"HS{i}", name, "1985") for i, name in enumerate(names)])
    assert [r[4] for r in rows_of(load_personnel(source, tmp_path).path)] == names
