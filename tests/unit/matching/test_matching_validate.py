"""What is wrong with a register ID: the pipeline's SQL says exactly what ``check_personal_id`` says."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.matching.provinces import PRE_2025_SUCCESSOR, lookup_rows, province_of
from congvu.matching.sql import DuckDBDialect
from congvu.matching.validate import format_problem_sql, structure_problems_sql
from congvu.org.reference_data import PRE_2025_SUCCESSOR as ORG_SUCCESSOR
from congvu.rules.personal_id import check_personal_id, make_personal_id

D = DuckDBDialect()
CON = duckdb.connect()
CON.execute("CREATE TABLE lk AS SELECT * FROM (VALUES "
            + ", ".join(f"('{k}', '{v}')" for k, v in lookup_rows()) + ") t(key, new)")


def sql_problems(raw: str, sex: str | None, year: int | None) -> list[str]:
    value = raw.strip()
    row = CON.execute(
        f"SELECT {format_problem_sql(D, 'v')}, {structure_problems_sql(D, 'v', 's', 'y')} "
        "FROM (SELECT ? AS v, ? AS s, CAST(? AS INT) AS y)", [value, sex, year]
    ).fetchall()[0]
    found = [row[0]] if row[0] else []
    return found + [p for p in row[1].split(";") if p]


def rules_problems(raw: str, sex: str | None, year: int | None) -> list[str]:
    if not raw.strip():
        return ["missing"]
    return [str(p) for p in check_personal_id(raw, sex=sex, birth_year=year).problems]


ids = st.one_of(
    st.builds(make_personal_id, st.sampled_from(["001", "079", "036", "096"]), st.sampled_from(["M", "F"]),
              st.integers(1930, 2024), st.integers(0, 999_999)),
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.text(alphabet="0123456789 a.", max_size=13),
)


@settings(max_examples=300, deadline=None)
@given(ids, st.sampled_from(["M", "F", None]), st.one_of(st.none(), st.integers(1930, 2024)))
def test_sql_id_problems_equal_check_personal_id(raw: str, sex: str | None, year: int | None) -> None:
    assert sql_problems(raw, sex, year) == rules_problems(raw, sex, year)


def test_each_structural_problem_is_named() -> None:
    assert sql_problems("", "M", 1985) == ["missing"]
    assert sql_problems("01085012345", "M", 1985) == ["not_12_digits"]
    assert sql_problems("003085012345", "M", 1985) == ["bad_province_prefix"]
    assert sql_problems("001185012345", "M", 1985) == ["sex_century_digit"]
    assert sql_problems("001086012345", "M", 1985) == ["birth_year_digits"]


def test_the_merger_table_is_the_one_the_organisation_reference_data_loads() -> None:
    assert PRE_2025_SUCCESSOR == ORG_SUCCESSOR


def test_a_hometown_in_any_form_reduces_to_its_2025_province() -> None:
    assert province_of("036") == province_of("36") == province_of("Tỉnh Nam Định") == province_of("nam dinh") == "37"
    assert province_of("Xã Yên Lợi, huyện Ý Yên, tỉnh Nam Định") == "37"
    assert province_of("TP.HCM") == province_of("Thành phố Hồ Chí Minh") == province_of("Sài Gòn") == "79"
    assert province_of("Huế") == province_of("Thừa Thiên Huế") == "46"
    assert province_of("00097") == "01"  # a 2025 commune code of Hà Nội
    assert province_of("Atlantis") is None


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["036", "Tỉnh Nam Định", "TP. Hồ Chí Minh", "Ha Noi", "00097", "96", "Đăk Lăk", "",
                        "Xã A, huyện B, tỉnh Cà Mau", "x"]))
def test_sql_hometown_keys_find_the_same_province_as_python(value: str) -> None:
    got = CON.execute(f"SELECT (SELECT new FROM lk WHERE key = {D.place_key('v')}) FROM (SELECT ? AS v)",
                      [value]).fetchall()[0][0]
    assert got == province_of(value)
