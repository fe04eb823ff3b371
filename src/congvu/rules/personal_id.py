"""Personal identification number (số định danh cá nhân), which is also the CCCD card number.

Structure, per Circular 59/2021/TT-BCA, Art 4 (structure of the personal identification number;
domain brief §5.3). The number has 12 digits and is issued for life at birth registration:

======  ============================================================================================
digits  meaning
======  ============================================================================================
1–3     code of the province where the birth was registered, in the **pre-2025** 63-province scheme
        ("0" + the old 2-digit statistics-office code: 001 Hà Nội … 096 Cà Mau). The number never
        changes, so it is *not* re-mapped to the 34 provinces of 1 July 2025.
4       century of birth and sex: 1900–1999 male 0 / female 1; 2000–2099 male 2 / female 3;
        2100–2199 4 / 5; 2200–2299 6 / 7; 2300–2399 8 / 9
5–6     last two digits of the year of birth
7–12    a random number
======  ============================================================================================

There is no check digit, so a typo in digits 7–12 cannot be detected here.

Known limit: citizens whose birth was registered abroad carry a country code instead of a province
code in digits 1–3; such numbers are reported as :attr:`IdProblem.BAD_PROVINCE_PREFIX` and need a
human look.

Old identity cards (CMND, chứng minh nhân dân) had **9 digits** (:data:`OLD_ID_RE`). From 2012 some
provinces issued 12-digit CMNDs; their numbers have the same shape as a personal ID number and are
checked with :func:`check_personal_id`, not :func:`check_old_id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "OLD_ID_RE",
    "PERSONAL_ID_RE",
    "PRE_2025_PROVINCES",
    "IdCheck",
    "IdProblem",
    "birth_year_from_id",
    "check_old_id",
    "check_personal_id",
    "expected_fourth_digit",
    "make_personal_id",
    "sex_and_century_from_id",
]

PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")
#: 9-digit CMND (old identity card). The 12-digit CMND is checked as a personal ID number.
OLD_ID_RE = re.compile(r"^[0-9]{9}$")

#: Province codes of birth registration (digits 1–3), the 63 provinces before 1 July 2025.
#: Circular 59/2021/TT-BCA, Art 4; codes are "0" + the statistics office's 2-digit province code.
PRE_2025_PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP. Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_FIRST_CENTURY = 1900
_LAST_YEAR = 2399
_SEX_VI = {"M": "nam", "F": "nữ"}
_SEX_EN = {"M": "male", "F": "female"}


class IdProblem(StrEnum):
    """What can be wrong with a personal ID number (or an old CMND number)."""

    NOT_12_DIGITS = "not_12_digits"
    BAD_PROVINCE_PREFIX = "bad_province_prefix"
    SEX_CENTURY_DIGIT = "sex_century_digit"
    BIRTH_YEAR_DIGITS = "birth_year_digits"
    OLD_ID_FORMAT = "old_id_format"


@dataclass(frozen=True)
class IdCheck:
    """Result of a check: the problems found and one message per problem in each language."""

    problems: tuple[IdProblem, ...]
    messages_vi: tuple[str, ...]
    messages_en: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_sex(sex: str) -> None:
    if sex not in _SEX_VI:
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")


def expected_fourth_digit(sex: str, birth_year: int) -> str:
    """The 4th digit for this sex ("M"/"F") and year of birth (Circular 59/2021/TT-BCA, Art 4).

    >>> expected_fourth_digit("M", 1985), expected_fourth_digit("F", 2003)
    ('0', '3')

    Raises ``ValueError`` for another sex value or a year outside 1900–2399.
    """
    _check_sex(sex)
    if not _FIRST_CENTURY <= birth_year <= _LAST_YEAR:
        raise ValueError(f"birth year {birth_year} is outside 1900–2399, which the code covers")
    return str(2 * ((birth_year - _FIRST_CENTURY) // 100) + (1 if sex == "F" else 0))


def sex_and_century_from_id(pid: str) -> tuple[str, int]:
    """Sex ("M"/"F") and first year of the century of birth (1900, 2000, …) read from digit 4.

    >>> sex_and_century_from_id("001085012345"), sex_and_century_from_id("079303000001")
    (('M', 1900), ('F', 2000))
    """
    if not PERSONAL_ID_RE.match(pid):
        raise ValueError(f"not a 12-digit personal ID number: {pid!r}")
    digit = int(pid[3])
    return ("F" if digit % 2 else "M"), _FIRST_CENTURY + 100 * (digit // 2)


def birth_year_from_id(pid: str) -> int:
    """Year of birth encoded in digits 4–6.

    >>> birth_year_from_id("001085012345")
    1985
    """
    _, century = sex_and_century_from_id(pid)
    return century + int(pid[4:6])


def _describe_digit(digit: str) -> tuple[str, str]:
    sex, century = sex_and_century_from_id("000" + digit + "00000000")
    span = f"{century}–{century + 99}"
    return f"{_SEX_VI[sex]}, sinh {span}", f"{_SEX_EN[sex]}, born {span}"


def _record_vi(sex: str | None, birth_year: int | None) -> str:
    parts = ([_SEX_VI[sex]] if sex else []) + ([f"sinh {birth_year}"] if birth_year is not None else [])
    return ", ".join(parts)


def _record_en(sex: str | None, birth_year: int | None) -> str:
    parts = ([_SEX_EN[sex]] if sex else []) + ([f"born {birth_year}"] if birth_year is not None else [])
    return ", ".join(parts)


def _fourth_digit_matches(digit: str, sex: str | None, birth_year: int | None) -> bool:
    id_sex, century = sex_and_century_from_id("000" + digit + "00000000")
    if sex is not None and sex != id_sex:
        return False
    return birth_year is None or century <= birth_year <= century + 99


def check_personal_id(pid: str, *, sex: str | None, birth_year: int | None) -> IdCheck:
    """Check a 12-digit personal ID number against its structure and the person's record.

    Per Circular 59/2021/TT-BCA, Art 4:

    - 12 digits, nothing else (:attr:`IdProblem.NOT_12_DIGITS`; surrounding spaces are ignored,
      inner spaces or dots are not). When this fails nothing else is checked.
    - digits 1–3 are a pre-2025 province code (:attr:`IdProblem.BAD_PROVINCE_PREFIX`);
    - digit 4 agrees with the recorded sex and century of birth (:attr:`IdProblem.SEX_CENTURY_DIGIT`);
    - digits 5–6 are the recorded year of birth mod 100 (:attr:`IdProblem.BIRTH_YEAR_DIGITS`).

    ``sex`` is "M", "F" or ``None``; ``birth_year`` an ``int`` or ``None``. An unknown value skips
    the checks that need it.

    >>> check_personal_id("001085012345", sex="M", birth_year=1985).ok
    True
    >>> check_personal_id("001385012345", sex="M", birth_year=1985).messages_vi
    ('Chữ số thứ 4 là 3 (nữ, sinh 2000–2099) nhưng hồ sơ ghi nam, sinh 1985',)
    """
    if sex is not None:
        _check_sex(sex)
    problems: list[IdProblem] = []
    vi: list[str] = []
    en: list[str] = []

    def report(problem: IdProblem, message_vi: str, message_en: str) -> None:
        problems.append(problem)
        vi.append(message_vi)
        en.append(message_en)

    value = pid.strip()
    if not PERSONAL_ID_RE.match(value):
        if value.isascii() and value.isdigit():
            hint_vi = hint_en = ""
            if len(value) in (10, 11):
                hint_vi = " (có thể đã mất số 0 ở đầu khi Excel lưu ô dạng số)"
                hint_en = " (leading zeros may have been lost when Excel stored the cell as a number)"
            report(
                IdProblem.NOT_12_DIGITS,
                f"Số định danh cá nhân phải có đúng 12 chữ số, giá trị nhập có {len(value)} chữ số{hint_vi}",
                f"The personal ID number must have exactly 12 digits; the value has {len(value)}{hint_en}",
            )
        else:
            report(
                IdProblem.NOT_12_DIGITS,
                "Số định danh cá nhân chỉ gồm đúng 12 chữ số (0–9), không có chữ, dấu cách hay ký tự khác",
                "The personal ID number must be exactly 12 digits (0–9), with no letters, spaces or other characters",
            )
        return IdCheck(tuple(problems), tuple(vi), tuple(en))

    prefix = value[:3]
    if prefix not in PRE_2025_PROVINCES:
        report(
            IdProblem.BAD_PROVINCE_PREFIX,
            f"Ba chữ số đầu {prefix} không phải mã tỉnh nơi đăng ký khai sinh (danh mục 63 tỉnh trước 2025)",
            f"The first three digits {prefix} are not a province code of birth registration"
            " (the 63 provinces before 2025)",
        )

    digit = value[3]
    if (sex is not None or birth_year is not None) and not _fourth_digit_matches(digit, sex, birth_year):
        meaning_vi, meaning_en = _describe_digit(digit)
        report(
            IdProblem.SEX_CENTURY_DIGIT,
            f"Chữ số thứ 4 là {digit} ({meaning_vi}) nhưng hồ sơ ghi {_record_vi(sex, birth_year)}",
            f"The 4th digit is {digit} ({meaning_en}) but the record says {_record_en(sex, birth_year)}",
        )

    if birth_year is not None and value[4:6] != f"{birth_year % 100:02d}":
        report(
            IdProblem.BIRTH_YEAR_DIGITS,
            f"Chữ số thứ 5–6 là {value[4:6]} nhưng năm sinh trong hồ sơ là {birth_year}"
            f" (phải là {birth_year % 100:02d})",
            f"Digits 5–6 are {value[4:6]} but the recorded year of birth is {birth_year}"
            f" (expected {birth_year % 100:02d})",
        )
    return IdCheck(tuple(problems), tuple(vi), tuple(en))


def check_old_id(s: str) -> IdCheck:
    """Check an old 9-digit identity card (CMND) number: nine digits, nothing else.

    Only the format is checked: the leading digits of a CMND were a separate, older scheme of
    issuing-province codes and are not validated. A 12-digit CMND is rejected here with a message
    saying to enter it as the personal ID number (it has that structure).

    >>> check_old_id("012345678").ok
    True
    """
    value = s.strip()
    if OLD_ID_RE.match(value):
        return IdCheck((), (), ())
    if PERSONAL_ID_RE.match(value):
        return IdCheck(
            (IdProblem.OLD_ID_FORMAT,),
            ("Số CMND cũ có 9 chữ số; số 12 chữ số hãy nhập vào ô số định danh cá nhân",),
            ("An old ID card (CMND) number has 9 digits; enter a 12-digit number as the personal ID number",),
        )
    return IdCheck(
        (IdProblem.OLD_ID_FORMAT,),
        ("Số CMND cũ phải có đúng 9 chữ số (0–9)",),
        ("An old ID card (CMND) number must be exactly 9 digits (0–9)",),
    )


def make_personal_id(province3: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a well-formed personal ID number, for synthetic and test data.

    ``serial`` (0–999999) becomes digits 7–12. Raises ``ValueError`` for an unknown province code,
    a sex other than "M"/"F", a year outside 1900–2399 or a serial out of range.

    >>> make_personal_id("001", "F", 1990, 42)
    '001190000042'
    """
    if province3 not in PRE_2025_PROVINCES:
        raise ValueError(f"unknown pre-2025 province code {province3!r}")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"serial must be 0–999999, got {serial}")
    return f"{province3}{expected_fourth_digit(sex, birth_year)}{birth_year % 100:02d}{serial:06d}"
