"""Turning one cell into a value, or a reason in Vietnamese why it cannot be one.

Pure functions (no database). Each raises :class:`BadCell` with the reason a person will read.

Dates: a date cell (.xlsx), dd/mm/yyyy or d/m/yyyy (also with ``-`` or ``.``), ISO yyyy-mm-dd, an Excel
serial number (a number cell, or 5 digits in a .csv: 31048 is 01/01/1985), and, for a date of birth
only, a year alone (then the date is unknown and only the year is kept). Day-month order is always the
Vietnamese one; two-digit years are refused rather than guessed.

Numbers: Vietnamese decimal comma or decimal point ("0,3", "0.3", "1.234,5"); a trailing "%" is allowed.

ID numbers that Excel stored as numbers lost their leading zeros. The personal ID always starts with 0
(province codes 001–096), so a number of 10 or 11 digits is padded back to 12 digits when the cell is
a number (.xlsx) or the whole .csv column has no value starting with 0 (the file came from a sheet
that held the column as numbers). Anything shorter, and any value in scientific notation
(1,23457E+11: the last digits are gone), is refused. An old CMND (9 digits) is padded from 8.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

from congvu.personnel.io.headers import header_key
from congvu.personnel.io.report import display
from congvu.text import nfc

MIN_YEAR, MAX_YEAR = 1900, 2100
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YEAR = re.compile(r"^\d{4}$")
_SERIAL = re.compile(r"^\d{5}(?:[.,]0+)?$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_INT = re.compile(r"^[+]?\d+(?:[.,]0+)?$")


class BadCell(ValueError):
    """The reason a cell's value cannot be used, in Vietnamese."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def text(value: object) -> str:
    """A text cell, NFC. Numbers read as they are shown (12.0 → "12")."""
    if value is None:
        return ""
    return nfc(value if isinstance(value, str) else display(value))


# ---- dates --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateValue:
    date: dt.date | None
    year: int


def _checked(day: dt.date) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadCell(f"Năm {day.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
    return day


def _from_serial(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise BadCell("Số không phải là ngày hợp lệ (số ngày kiểu Excel phải từ 1 đến 2958465).")
    value = from_excel(serial)
    return _checked(value.date() if isinstance(value, dt.datetime) else value)


def _build(year: int, month: int, day: int) -> dt.date:
    try:
        return _checked(dt.date(year, month, day))
    except ValueError as exc:
        if isinstance(exc, BadCell):
            raise
        raise BadCell(f"Ngày {day:02d}/{month:02d}/{year} không có thật.") from exc


def parse_date_or_year(value: object, *, allow_year: bool) -> DateValue:
    """A date; with ``allow_year`` a bare year too (then ``date`` is None)."""
    if isinstance(value, dt.datetime):
        return DateValue(_checked(value.date()), value.year)
    if isinstance(value, dt.date):
        return DateValue(_checked(value), value.year)
    if isinstance(value, dt.time):
        raise BadCell("Ô chứa giờ, không phải ngày.")
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if allow_year and number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
            return DateValue(None, int(number))
        day = _from_serial(number)
        return DateValue(day, day.year)
    raw = text(value)
    if (m := _DMY.match(raw)) is not None:
        if len(m.group(3)) != 4:
            raise BadCell("Năm phải ghi đủ 4 chữ số (dd/mm/yyyy).")
        day = _build(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return DateValue(day, day.year)
    if (m := _ISO.match(raw)) is not None:
        day = _build(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return DateValue(day, day.year)
    if _YEAR.match(raw) and MIN_YEAR <= int(raw) <= MAX_YEAR:
        if allow_year:
            return DateValue(None, int(raw))
        raise BadCell("Cần ngày đầy đủ dd/mm/yyyy, không chỉ năm.")
    if _SERIAL.match(raw):
        day = _from_serial(float(raw.replace(",", ".")))
        return DateValue(day, day.year)
    raise BadCell("Ngày không đúng định dạng dd/mm/yyyy.")


def parse_date(value: object) -> dt.date:
    parsed = parse_date_or_year(value, allow_year=False)
    assert parsed.date is not None
    return parsed.date


# ---- numbers ------------------------------------------------------------------------------------------


def parse_int(value: object, *, low: int, high: int) -> int:
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer():
            raise BadCell("Phải là số nguyên.")
        result = int(number)
    else:
        raw = text(value).replace(" ", "")
        if not _INT.match(raw):
            raise BadCell("Phải là số nguyên.")
        result = int(re.split(r"[.,]", raw)[0])
    if not low <= result <= high:
        raise BadCell(f"Phải trong khoảng {low}–{high}.")
    return result


def parse_decimal(value: object, *, high: Decimal, percent: bool = False) -> Decimal:
    """A non-negative number with at most 2 decimals, below ``high``.

    With ``percent``, a number cell between 0 and 1 is a cell formatted as a percentage in Excel
    (5 % is stored as 0.05) and is multiplied by 100; the allowances read this way start at 1 %.
    """
    if is_number(value):
        number = Decimal(repr(float(value)))  # type: ignore[arg-type]
        if percent and 0 < number < 1:
            number *= 100
    else:
        raw = text(value).replace(" ", "").removesuffix("%")
        if "," in raw and "." in raw:
            decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            raw = raw.replace(thousands, "").replace(decimal_mark, ".")
        else:
            raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise BadCell("Phải là số (dùng dấu phẩy hoặc dấu chấm thập phân).") from exc
        if not number.is_finite():
            raise BadCell("Phải là số.")
    if number < 0 or number >= high:
        raise BadCell(f"Phải từ 0 đến dưới {display(float(high))}.")
    if number != number.quantize(Decimal("0.01")):
        raise BadCell("Tối đa 2 chữ số thập phân.")
    return number.quantize(Decimal("0.01"))


# ---- identity numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdValue:
    digits: str
    padded: bool = False


def _id_text(value: object, *, numeric: bool) -> tuple[str, bool]:
    """The digits typed in the cell and whether the cell was a number."""
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if isinstance(value, float) and not number.is_integer():
            raise BadCell("Số định danh không được có phần thập phân.")
        return str(int(number)), True
    raw = text(value).replace(" ", "")
    if raw.startswith("'"):  # Excel's "treat as text" prefix survives some CSV exports
        raw = raw[1:]
    if _SCIENTIFIC.match(raw):
        raise BadCell(
            "Excel đã đổi số này sang dạng số mũ nên các chữ số cuối đã mất; hãy định dạng cột là "
            "Văn bản (Text), nhập lại số đầy đủ rồi lưu tệp."
        )
    return raw, numeric


def parse_personal_id(value: object, *, numeric_column: bool) -> IdValue:
    """Digits of a personal ID; pads a number that lost its leading zeros (see module docstring)."""
    digits, numeric = _id_text(value, numeric=numeric_column)
    if numeric and digits.isdigit() and len(digits) in (10, 11):
        return IdValue(digits.zfill(12), padded=True)
    if numeric and digits.isdigit() and len(digits) < 10:
        raise BadCell(
            f"Số định danh cá nhân phải có 12 chữ số; ô là số có {len(digits)} chữ số "
            "(Excel chỉ bỏ được các số 0 ở đầu, nên số này sai)."
        )
    return IdValue(digits)


def parse_old_id(value: object, *, numeric_column: bool) -> IdValue:
    digits, numeric = _id_text(value, numeric=numeric_column)
    if numeric and digits.isdigit() and len(digits) == 8:
        return IdValue(digits.zfill(9), padded=True)
    return IdValue(digits)


# ---- choices ------------------------------------------------------------------------------------------


class Choices:
    """Map what people type (any case, with or without diacritics, synonyms, prefixes) to a code."""

    def __init__(self, what: str, shown: list[str], exact: dict[str, str], prefixes: dict[str, str] | None = None):
        self.what = what
        self.exact = {header_key(k): v for k, v in exact.items()}
        self.prefixes = sorted(
            ((header_key(k), v) for k, v in (prefixes or {}).items()), key=lambda kv: -len(kv[0])
        )
        self.shown = ", ".join(f"«{s}»" for s in shown)

    def __call__(self, value: object) -> str:
        key = header_key(text(value))
        if key in self.exact:
            return self.exact[key]
        for prefix, code in self.prefixes:
            if key == prefix or key.startswith(prefix + " "):
                return code
        raise BadCell(f"{self.what} không hợp lệ; dùng một trong: {self.shown}.")


def choices_from(labels: list[tuple[str, str]], what: str, extra: dict[str, str] | None = None,
                 prefixes: dict[str, str] | None = None) -> Choices:
    """From Django ``choices`` (value, label): both the label and the stored value are accepted."""
    exact: dict[str, str] = {}
    shown: list[str] = []
    for value, label in labels:
        if value:
            exact[str(label)] = value
            exact[value] = value
            shown.append(str(label))
    exact.update(extra or {})
    return Choices(what, shown, exact, prefixes)


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if is_number(value) and value in (0, 1):
        return bool(value)
    key = header_key(text(value))
    if key in {"co", "x", "dang vien", "1", "true", "yes", "dv", "phai", "la dang vien"}:
        return True
    if key in {"khong", "0", "false", "no", "chua", "k"}:
        return False
    raise BadCell("Ghi «Có» (hoặc x) hoặc «Không».")
