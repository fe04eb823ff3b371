"""Finding the table and naming its columns, however the HR office laid out the header."""

from __future__ import annotations

from typing import Any

import pytest

from congvu.personnel.io.headers import Layout, Schema, header_key, locate
from congvu.personnel.io.layouts import PEOPLE, POSITIONS, UNITS


def numbered(rows: list[list[Any]]) -> list[tuple[int, tuple[Any, ...]]]:
    return [(i, tuple(r)) for i, r in enumerate(rows, start=1)]


def find(rows: list[list[Any]]) -> Layout:
    layout = locate(PEOPLE, numbered(rows))
    assert layout is not None
    return layout


def test_headers_are_compared_without_diacritics_case_or_punctuation() -> None:
    assert header_key("Họ và tên:") == header_key("HO VA TEN") == "ho va ten"
    assert header_key("Phụ cấp vượt khung (%)") == "phu cap vuot khung"


def test_the_header_row_is_found_below_title_rows() -> None:
    layout = find([
        ["UBND THÀNH PHỐ HÀ NỘI"], ["SỞ NỘI VỤ"], [], ["DANH SÁCH CÁN BỘ, CÔNG CHỨC"],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Loại", "Đơn vị"],
    ])
    assert layout.header_rows == (5,)
    assert layout.columns["full_name"] == 1
    assert layout.columns["personal_id"] == 2
    assert layout.name("personal_id") == "Số CCCD (C)"
    assert not layout.errors


def test_unaccented_upper_case_headers_in_any_order_are_recognised() -> None:
    layout = find([["DON VI", "GIOI TINH", "NGAY SINH", "HO VA TEN", "SO DINH DANH CA NHAN", "LOAI"]])
    assert layout.columns == {"unit": 0, "sex": 1, "birth_date": 2, "full_name": 3, "personal_id": 4, "category": 5}


def test_two_header_rows_with_a_merged_group_cell_are_combined() -> None:
    layout = find([
        ["DANH SÁCH"],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Loại", "Đơn vị", "Lương", None, None],
        [None, None, None, None, None, None, None, "Mã ngạch", "Bậc", "Ngày hưởng"],
    ])
    assert layout.header_rows == (2, 3)
    assert (layout.columns["rank"], layout.columns["salary_step"], layout.columns["step_since"]) == (7, 8, 9)
    assert layout.name("salary_step") == "Lương / Bậc (I)"
    assert layout.columns["full_name"] == 1  # merged down both rows: the text is in the upper cell


def test_a_header_cell_merged_down_from_the_row_above_is_combined() -> None:
    layout = find([
        ["Họ và tên", "Thông tin", None, None, "Công tác", None, "Lương", None],
        [None, "Số CCCD", "Ngày sinh", "Giới tính", "Loại", "Đơn vị", "Mã ngạch", "Bậc"],
    ])
    assert layout.header_rows == (1, 2)
    assert layout.columns["full_name"] == 0
    assert layout.name("salary_step") == "Lương / Bậc (H)"


def test_a_row_of_column_numbers_under_the_header_is_skipped() -> None:
    layout = find([
        ["Số CCCD", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ])
    assert layout.skip_rows == {2}


def test_missing_required_columns_are_reported_on_the_header_row() -> None:
    layout = find([["Họ", "Tên", "Ngày sinh", "Giới tính"]])
    reasons = [e.reason for e in layout.errors]
    assert any("«Số định danh cá nhân»" in r for r in reasons)
    assert any("«Đơn vị» hoặc «Tên đơn vị»" in r for r in reasons)
    assert all(e.row == 1 for e in layout.errors)


def test_two_columns_for_one_field_are_reported() -> None:
    layout = find([["Số CCCD", "Số định danh cá nhân", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị"]])
    assert [e.column for e in layout.errors] == ["Số định danh cá nhân (B)"]


def test_a_sheet_without_a_header_in_the_first_rows_is_not_a_table() -> None:
    assert locate(PEOPLE, numbered([["a", "b"], ["c", "d"]])) is None


@pytest.mark.parametrize("schema", [PEOPLE, UNITS, POSITIONS], ids=lambda s: s.name)
def test_no_header_text_means_two_different_columns(schema: Schema) -> None:
    owners: dict[str, str] = {}
    for column in schema.columns:
        for key in column.header_keys():
            assert owners.setdefault(key, column.key) == column.key, f"{key!r}: {owners[key]} and {column.key}"
