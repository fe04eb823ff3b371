"""Reading one cell: dates, numbers, ID numbers Excel mangled, choices typed any way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congvu.personnel.io.cells import (
    BadCell,
    Choices,
    DateValue,
    parse_bool,
    parse_date,
    parse_date_or_year,
    parse_decimal,
    parse_int,
    parse_old_id,
    parse_personal_id,
)


@pytest.mark.parametrize("typed", ["05/03/1985", "5/3/1985", "05-03-1985", "05.03.1985", " 5 / 3 / 1985 "])
def test_dates_are_read_day_first_as_vietnamese_write_them(typed: str) -> None:
    assert parse_date(typed) == dt.date(1985, 3, 5)


def test_iso_dates_and_date_cells_are_accepted() -> None:
    assert parse_date("1985-03-05") == dt.date(1985, 3, 5)
    assert parse_date("1985-03-05 00:00:00") == dt.date(1985, 3, 5)
    assert parse_date(dt.datetime(1985, 3, 5)) == dt.date(1985, 3, 5)
    assert parse_date(dt.date(1985, 3, 5)) == dt.date(1985, 3, 5)


def test_excel_serial_numbers_are_dates_as_number_cells_and_as_csv_text() -> None:
    assert parse_date(31048) == dt.date(1985, 1, 1)
    assert parse_date(31048.0) == dt.date(1985, 1, 1)
    assert parse_date("31048") == dt.date(1985, 1, 1)


def test_a_year_alone_is_a_birth_year_with_no_date() -> None:
    assert parse_date_or_year("1985", allow_year=True) == DateValue(None, 1985)
    assert parse_date_or_year(1985, allow_year=True) == DateValue(None, 1985)
    with pytest.raises(BadCell, match="đầy đủ"):
        parse_date("1985")


@pytest.mark.parametrize(("typed", "reason"), [
    ("31/02/1985", "không có thật"),
    ("05/03/85", "4 chữ số"),
    ("ngày 5 tháng 3", "định dạng"),
    ("05/03/1850", "ngoài khoảng"),
    (dt.time(8, 30), "giờ"),
])
def test_impossible_or_ambiguous_dates_are_refused_with_a_reason(typed: object, reason: str) -> None:
    with pytest.raises(BadCell, match=reason):
        parse_date(typed)


def test_a_personal_id_excel_stored_as_a_number_gets_its_leading_zeros_back() -> None:
    assert parse_personal_id(1085012345, numeric_column=True).digits == "001085012345"
    assert parse_personal_id(79190000042, numeric_column=True).digits == "079190000042"
    assert parse_personal_id(79190000042.0, numeric_column=True).padded


def test_a_short_number_is_not_padded_into_an_id() -> None:
    with pytest.raises(BadCell, match="6 chữ số"):
        parse_personal_id(123456, numeric_column=True)


def test_text_ids_are_padded_only_when_the_csv_column_lost_all_its_zeros() -> None:
    assert parse_personal_id("1085012345", numeric_column=False) .digits == "1085012345"
    assert parse_personal_id("1085012345", numeric_column=True).digits == "001085012345"
    assert parse_personal_id("001085012345", numeric_column=False).digits == "001085012345"
    assert parse_personal_id("'001085012345", numeric_column=False).digits == "001085012345"


@pytest.mark.parametrize("typed", ["1.08501E+11", "1,08501E+11", "1.085012345e11"])
def test_an_id_in_scientific_notation_is_refused_because_digits_are_lost(typed: str) -> None:
    with pytest.raises(BadCell, match="số mũ"):
        parse_personal_id(typed, numeric_column=False)


def test_an_old_id_card_number_gets_its_leading_zero_back() -> None:
    assert parse_old_id(12345678, numeric_column=True).digits == "012345678"
    assert parse_old_id("012345678", numeric_column=False).digits == "012345678"


@pytest.mark.parametrize(("typed", "value"), [
    ("0,3", Decimal("0.30")), ("0.3", Decimal("0.30")), (0.3, Decimal("0.30")), ("1.234,5", Decimal("1234.50")),
    ("1,234.5", Decimal("1234.50")), (" 12 ", Decimal("12.00")),
])
def test_numbers_take_a_decimal_comma_or_point(typed: object, value: Decimal) -> None:
    assert parse_decimal(typed, high=Decimal(10000)) == value


def test_percentages_may_carry_a_sign_or_be_stored_as_an_excel_fraction() -> None:
    assert parse_decimal("5%", high=Decimal(100), percent=True) == Decimal("5.00")
    assert parse_decimal(0.05, high=Decimal(100), percent=True) == Decimal("5.00")
    with pytest.raises(BadCell, match="2 chữ số thập phân"):
        parse_decimal("0,305", high=Decimal(100))
    with pytest.raises(BadCell, match="dưới 100"):
        parse_decimal("150", high=Decimal(100))


def test_whole_numbers_are_checked_for_range() -> None:
    assert parse_int("12", low=0, high=20) == 12
    assert parse_int(12.0, low=0, high=20) == 12
    with pytest.raises(BadCell, match="số nguyên"):
        parse_int("12,5", low=0, high=20)
    with pytest.raises(BadCell, match="0–20"):
        parse_int(21, low=0, high=20)


def test_choices_accept_any_case_no_diacritics_synonyms_and_prefixes() -> None:
    levels = Choices("Trình độ", ["Đại học", "Thạc sĩ"], {"Đại học": "bachelor", "Thạc sĩ": "master"},
                     prefixes={"Thạc sĩ": "master", "ThS": "master"})
    assert levels("ĐẠI HỌC") == levels("dai hoc") == "bachelor"
    assert levels("Thạc sĩ Quản lý công") == levels("ThS. Luật") == "master"
    with pytest.raises(BadCell, match="«Đại học», «Thạc sĩ»"):
        levels("Tú tài")


def test_party_membership_is_yes_no_or_a_tick() -> None:
    assert parse_bool("Có") is parse_bool("x") is parse_bool(True) is True
    assert parse_bool("không") is parse_bool(0) is False
    with pytest.raises(BadCell):
        parse_bool("có lẽ")
