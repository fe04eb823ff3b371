"""congvu.rules.personal_id: the 12-digit personal ID number (Circular 59/2021/TT-BCA, Art 4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.rules.personal_id import (
    OLD_ID_RE,
    PRE_2025_PROVINCES,
    IdCheck,
    IdProblem,
    birth_year_from_id,
    check_old_id,
    check_personal_id,
    expected_fourth_digit,
    make_personal_id,
    sex_and_century_from_id,
)

P = IdProblem

# (number, recorded sex, recorded birth year, problems expected)
WORKED_EXAMPLES: list[tuple[str, str | None, int | None, tuple[IdProblem, ...]]] = [
    ("001085012345", "M", 1985, ()),  # Hà Nội, man born 1985
    ("001185012345", "F", 1985, ()),  # Hà Nội, woman born 1985
    ("079203000001", "M", 2003, ()),  # TP.HCM, boy born 2003
    ("079303000001", "F", 2003, ()),  # TP.HCM, girl born 2003
    ("096000000000", "M", 1900, ()),  # Cà Mau, first year of the 1900s
    ("048199999999", "F", 1999, ()),  # Đà Nẵng, last year of the 1900s
    ("046400123456", "M", 2100, ()),  # Thừa Thiên Huế, 2100s male
    ("038501123456", "F", 2101, ()),  # Thanh Hóa, 2100s female
    ("001685000001", "M", 2285, ()),  # 2200s male
    ("001999000001", "F", 2399, ()),  # 2300s female, last year the code covers
    ("001085012345", None, None, ()),  # nothing recorded: only format and prefix are checked
    ("001385012345", None, None, ()),  # digit 4 alone is never wrong
    ("001385012345", "M", 1985, (P.SEX_CENTURY_DIGIT,)),  # female-2000s digit, male 1985 record
    ("001185012345", "M", 1985, (P.SEX_CENTURY_DIGIT,)),  # right century, wrong sex
    ("001285012345", "M", 1985, (P.SEX_CENTURY_DIGIT,)),  # right sex, wrong century
    ("001085012345", "F", None, (P.SEX_CENTURY_DIGIT,)),  # sex only
    ("001085012345", None, 2005, (P.SEX_CENTURY_DIGIT, P.BIRTH_YEAR_DIGITS)),  # year only
    ("001086012345", "M", 1985, (P.BIRTH_YEAR_DIGITS,)),  # digits 5–6 say 86
    ("001005012345", "M", 1905, ()),  # a leading zero in the year digits
    ("003085012345", "M", 1985, (P.BAD_PROVINCE_PREFIX,)),  # 003 is no province
    ("097085012345", "M", 1985, (P.BAD_PROVINCE_PREFIX,)),  # above 096
    ("000085012345", "M", 1985, (P.BAD_PROVINCE_PREFIX,)),
    ("100085012345", "M", 1985, (P.BAD_PROVINCE_PREFIX,)),
    ("999999999999", "M", 1985, (P.BAD_PROVINCE_PREFIX, P.SEX_CENTURY_DIGIT, P.BIRTH_YEAR_DIGITS)),
    ("01085012345", "M", 1985, (P.NOT_12_DIGITS,)),  # leading zero lost
    ("0010850123456", "M", 1985, (P.NOT_12_DIGITS,)),
    ("001 085 012345", "M", 1985, (P.NOT_12_DIGITS,)),
    ("00108501234A", "M", 1985, (P.NOT_12_DIGITS,)),
    ("００１０８５０１２３４５", "M", 1985, (P.NOT_12_DIGITS,)),  # full-width digits
    ("", None, None, (P.NOT_12_DIGITS,)),
    ("  001085012345 ", "M", 1985, ()),  # surrounding spaces are ignored
    ("001085012345", "M", 1899, (P.SEX_CENTURY_DIGIT, P.BIRTH_YEAR_DIGITS)),  # year before the code
]


@pytest.mark.parametrize(("pid", "sex", "birth_year", "problems"), WORKED_EXAMPLES)
def test_check_personal_id_finds_exactly_the_problems_of_the_worked_examples(
    pid: str, sex: str | None, birth_year: int | None, problems: tuple[IdProblem, ...]
) -> None:
    check = check_personal_id(pid, sex=sex, birth_year=birth_year)
    assert check.problems == problems
    assert check.ok == (not problems)
    assert len(check.messages_vi) == len(check.messages_en) == len(problems)


@pytest.mark.parametrize(
    ("pid", "sex", "birth_year", "message_vi", "message_en"),
    [
        (
            "001385012345",
            "M",
            1985,
            "Chữ số thứ 4 là 3 (nữ, sinh 2000–2099) nhưng hồ sơ ghi nam, sinh 1985",
            "The 4th digit is 3 (female, born 2000–2099) but the record says male, born 1985",
        ),
        (
            "001185012345",
            "M",
            None,
            "Chữ số thứ 4 là 1 (nữ, sinh 1900–1999) nhưng hồ sơ ghi nam",
            "The 4th digit is 1 (female, born 1900–1999) but the record says male",
        ),
        (
            "001286012345",
            None,
            1986,
            "Chữ số thứ 4 là 2 (nam, sinh 2000–2099) nhưng hồ sơ ghi sinh 1986",
            "The 4th digit is 2 (male, born 2000–2099) but the record says born 1986",
        ),
        (
            "001086012345",
            "M",
            1985,
            "Chữ số thứ 5–6 là 86 nhưng năm sinh trong hồ sơ là 1985 (phải là 85)",
            "Digits 5–6 are 86 but the recorded year of birth is 1985 (expected 85)",
        ),
        (
            "003085012345",
            "M",
            1985,
            "Ba chữ số đầu 003 không phải mã tỉnh nơi đăng ký khai sinh (danh mục 63 tỉnh trước 2025)",
            "The first three digits 003 are not a province code of birth registration (the 63 provinces before 2025)",
        ),
        (
            "01085012345",
            "M",
            1985,
            "Số định danh cá nhân phải có đúng 12 chữ số, giá trị nhập có 11 chữ số"
            " (có thể đã mất số 0 ở đầu khi Excel lưu ô dạng số)",
            "The personal ID number must have exactly 12 digits; the value has 11"
            " (leading zeros may have been lost when Excel stored the cell as a number)",
        ),
        (
            "0010850123456",
            "M",
            1985,
            "Số định danh cá nhân phải có đúng 12 chữ số, giá trị nhập có 13 chữ số",
            "The personal ID number must have exactly 12 digits; the value has 13",
        ),
        (
            "001 085 012345",
            "M",
            1985,
            "Số định danh cá nhân chỉ gồm đúng 12 chữ số (0–9), không có chữ, dấu cách hay ký tự khác",
            "The personal ID number must be exactly 12 digits (0–9), with no letters, spaces or other characters",
        ),
    ],
    ids=[
        "sex and century both wrong",
        "sex wrong, year unknown",
        "century wrong, sex unknown",
        "year digits wrong",
        "not a province",
        "eleven digits suggests lost leading zero",
        "thirteen digits",
        "inner spaces",
    ],
)
def test_check_personal_id_explains_each_problem_in_vietnamese_and_english(
    pid: str, sex: str | None, birth_year: int | None, message_vi: str, message_en: str
) -> None:
    check = check_personal_id(pid, sex=sex, birth_year=birth_year)
    assert check.messages_vi == (message_vi,)
    assert check.messages_en == (message_en,)


def test_check_personal_id_refuses_a_sex_other_than_m_or_f() -> None:
    with pytest.raises(ValueError, match="sex must be"):
        check_personal_id("001085012345", sex="Nam", birth_year=1985)


def test_pre_2025_table_has_the_63_provinces_as_zero_plus_old_statistics_codes() -> None:
    old_codes = (
        "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 51 "
        "52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96"
    )
    assert list(PRE_2025_PROVINCES) == ["0" + code for code in old_codes.split(" ")]
    assert len(PRE_2025_PROVINCES) == 63
    assert PRE_2025_PROVINCES["001"] == "Hà Nội"
    assert PRE_2025_PROVINCES["079"] == "TP. Hồ Chí Minh"
    assert PRE_2025_PROVINCES["096"] == "Cà Mau"
    assert PRE_2025_PROVINCES["066"] == "Đắk Lắk"


@pytest.mark.parametrize(
    ("sex", "birth_year", "digit"),
    [
        ("M", 1900, "0"),
        ("F", 1999, "1"),
        ("M", 2000, "2"),
        ("F", 2099, "3"),
        ("M", 2100, "4"),
        ("F", 2150, "5"),
        ("M", 2200, "6"),
        ("F", 2299, "7"),
        ("M", 2300, "8"),
        ("F", 2399, "9"),
    ],
)
def test_expected_fourth_digit_encodes_century_and_sex(sex: str, birth_year: int, digit: str) -> None:
    assert expected_fourth_digit(sex, birth_year) == digit


@pytest.mark.parametrize(
    ("sex", "birth_year", "reason"),
    [("M", 1899, "outside 1900–2399"), ("F", 2400, "outside 1900–2399"), ("X", 1985, "sex must be")],
)
def test_expected_fourth_digit_refuses_what_the_code_cannot_express(
    sex: str, birth_year: int, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        expected_fourth_digit(sex, birth_year)


@pytest.mark.parametrize(
    ("pid", "sex", "century", "year"),
    [
        ("001085012345", "M", 1900, 1985),
        ("001185012345", "F", 1900, 1985),
        ("079203000001", "M", 2000, 2003),
        ("079303000001", "F", 2000, 2003),
        ("001999000001", "F", 2300, 2399),
    ],
)
def test_sex_century_and_birth_year_are_read_from_the_number(
    pid: str, sex: str, century: int, year: int
) -> None:
    assert sex_and_century_from_id(pid) == (sex, century)
    assert birth_year_from_id(pid) == year


def test_sex_and_century_from_id_refuses_a_malformed_number() -> None:
    with pytest.raises(ValueError, match="12-digit"):
        sex_and_century_from_id("12345")


def test_make_personal_id_builds_the_number_from_its_parts() -> None:
    assert make_personal_id("001", "F", 1990, 42) == "001190000042"
    assert make_personal_id("079", "M", 2005, 999_999) == "079205999999"


@pytest.mark.parametrize(
    ("province", "sex", "year", "serial", "reason"),
    [
        ("003", "M", 1985, 1, "province code"),
        ("001", "X", 1985, 1, "sex must be"),
        ("001", "M", 1850, 1, "outside 1900–2399"),
        ("001", "M", 1985, 1_000_000, "serial"),
    ],
)
def test_make_personal_id_refuses_impossible_parts(
    province: str, sex: str, year: int, serial: int, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        make_personal_id(province, sex, year, serial)


@given(
    st.sampled_from(sorted(PRE_2025_PROVINCES)),
    st.sampled_from(["M", "F"]),
    st.integers(1900, 2399),
    st.integers(0, 999_999),
)
def test_every_made_number_passes_the_check_and_reads_back(
    province: str, sex: str, year: int, serial: int
) -> None:
    pid = make_personal_id(province, sex, year, serial)
    assert check_personal_id(pid, sex=sex, birth_year=year) == IdCheck((), (), ())
    assert sex_and_century_from_id(pid)[0] == sex
    assert birth_year_from_id(pid) == year


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("012345678", True),
        (" 012345678 ", True),
        ("12345678", False),
        ("0123456789", False),
        ("01234567A", False),
        ("001085012345", False),  # 12 digits: enter it as the personal ID number
        ("", False),
    ],
)
def test_check_old_id_accepts_nine_digits_only(value: str, ok: bool) -> None:
    check = check_old_id(value)
    assert check.ok is ok
    assert check.problems == (() if ok else (IdProblem.OLD_ID_FORMAT,))
    assert bool(OLD_ID_RE.match(value.strip())) is ok


def test_check_old_id_points_a_twelve_digit_number_to_the_personal_id_field() -> None:
    assert check_old_id("001085012345").messages_vi == (
        "Số CMND cũ có 9 chữ số; số 12 chữ số hãy nhập vào ô số định danh cá nhân",
    )
