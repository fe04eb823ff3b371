"""The normalisation rules: the Python reference, and the DuckDB SQL that the pipeline runs, agree."""

from __future__ import annotations

import datetime as dt
import unicodedata

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.matching.normalise import (
    canon_name,
    fold_name,
    name_tokens,
    old_id_key,
    parse_birth_date,
    parse_sex,
    personal_id_key,
)
from congvu.matching.sql import DuckDBDialect

D = DuckDBDialect()
CON = duckdb.connect()  # one connection for the property tests (a fixture cannot be used with @given)
LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
WORDS = ["Nguyễn", "Thị", "Hoà", "Hòa", "Thuỷ", "Thủy", "Quý", "khoẻ", "Đặng", "uỷ", "Toàn", "Huy", "quỳnh", "Xoè"]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def sql_value(con: duckdb.DuckDBPyConnection, expression: str, value: str) -> object:
    return con.execute(f"SELECT {expression} FROM (SELECT ? AS v)", [value]).fetchall()[0][0]


def test_canonical_name_is_nfc_lower_case_single_spaced_with_old_style_tone_placement() -> None:
    assert canon_name("  NGUYỄN  Thị Hoà ") == "nguyễn thị hòa"
    assert canon_name(unicodedata.normalize("NFD", "Lương Thị Thuỷ")) == "lương thị thủy"
    assert canon_name("Lê Quý") == "lê quý"  # the u of "qu" is part of the consonant
    assert canon_name("   ") is None


def test_folded_name_drops_every_diacritic_and_turns_d_stroke_into_d() -> None:
    assert fold_name("ĐẶNG Thị Thuỷ") == "dang thi thuy"
    assert name_tokens("nguyen thi thu ha") == ("nguyen", "thi thu", "ha")
    assert name_tokens("an") == ("", "", "an")


def test_an_id_that_lost_its_leading_zeros_in_excel_gets_them_back() -> None:
    assert personal_id_key("1085012345") == "001085012345"
    assert personal_id_key("001 085 012345") == "001085012345"
    assert personal_id_key("123") is None
    assert old_id_key("12345678") == "012345678"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet=LETTERS + LETTERS.upper(), min_size=1,
                                                            max_size=6)), min_size=1, max_size=4),
       st.sampled_from(["NFC", "NFD"]), st.sampled_from([" ", "  ", "\u00a0", "\t"]))
def test_duckdb_canonical_and_folded_names_equal_the_python_reference(words: list[str], form: str,
                                                                      space: str) -> None:
    text = unicodedata.normalize(form, space.join(words))
    assert sql_value(CON, D.canon("v"), text) == (canon_name(text) or "")
    assert sql_value(CON, D.fold("v"), text) == (fold_name(text) or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3/2/1985", (dt.date(1985, 2, 3), 1985)),
        ("03.02.1985", (dt.date(1985, 2, 3), 1985)),
        ("1985-02-03", (dt.date(1985, 2, 3), 1985)),
        ("1985-02-03 00:00:00", (dt.date(1985, 2, 3), 1985)),
        ("1985", (None, 1985)),
        ("02/1985", (None, 1985)),
        ("31048", (dt.date(1985, 1, 1), 1985)),
        ("", (None, None)),
    ],
)
def test_birth_dates_are_read_as_hr_offices_write_them_in_python_and_sql(
    con: duckdb.DuckDBPyConnection, raw: str, expected: tuple[dt.date | None, int | None]
) -> None:
    parsed = parse_birth_date(raw)
    assert (parsed.date, parsed.year) == expected
    row = con.execute(f"SELECT dob, {D.birth_year('s', 'dob')} FROM (SELECT s, {D.birth_date('s')} AS dob "
                      "FROM (SELECT trim(?) AS s))", [raw]).fetchall()[0]
    assert row == expected


@pytest.mark.parametrize("raw", ["31/02/1985", "1850", "abc", "12/13/1985"])
def test_an_impossible_birth_date_is_an_error_in_python_and_null_in_sql(con: duckdb.DuckDBPyConnection,
                                                                        raw: str) -> None:
    with pytest.raises(ValueError, match=r"ngày|năm"):
        parse_birth_date(raw)
    row = con.execute(f"SELECT {D.birth_year('s', D.birth_date('s'))} FROM (SELECT ? AS s)", [raw]).fetchall()[0]
    assert row == (None,)


@pytest.mark.parametrize(("raw", "expected"), [("Nam", "M"), ("NỮ", "F"), ("nu", "F"), ("1", "M"), ("2", "F"),
                                               ("", None)])
def test_sex_is_read_from_nam_nu_letters_and_codes(con: duckdb.DuckDBPyConnection, raw: str,
                                                   expected: str | None) -> None:
    assert parse_sex(raw) == expected
    assert sql_value(con, D.sex("v"), raw) == expected


def test_an_unknown_sex_value_is_an_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="Nam hoặc Nữ"):
        parse_sex("khác")
    assert sql_value(con, D.sex("v"), "khác") == "?"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789 .-", max_size=14))
def test_duckdb_id_keys_equal_the_python_reference(raw: str) -> None:
    assert sql_value(CON, D.personal_id_key(D.digits("v")), raw) == personal_id_key(raw)
    assert sql_value(CON, D.old_id_key(D.digits("v")), raw) == old_id_key(raw)
