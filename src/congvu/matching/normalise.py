"""How values are normalised before they are compared: the Python reference.

The pipeline runs these rules as SQL (:mod:`congvu.matching.sql`, one builder per engine) because it
works on millions of rows; the functions here are the specification, and the unit tests check that the
SQL and these functions agree on the same inputs.

Names
    :func:`canon_name` is what "the same name" means: NFC, lower case, one space between words, invisible
    characters removed, and the tone mark of an open ``oa``/``oe``/``uy`` syllable put on the first vowel
    ("hoà" → "hòa", "thuỷ" → "thủy", "khoẻ" → "khỏe"; "quý" is left alone because its ``u`` belongs to
    ``qu``). Both placements are correct Vietnamese and NFC does not unify them. :func:`fold_name` is the
    accent-free form (``congvu.text.fold``: đ → d) used to say "the same except for diacritics" and to
    block candidates. :func:`name_tokens` splits a folded name into family (first word), middle and given
    (last word); it never uses a list of compound family names, so both sides of a comparison split alike.
Dates of birth
    :func:`parse_birth_date` reads dd/mm/yyyy (also d/m/yyyy, with ``-`` or ``.``), ISO yyyy-mm-dd (with a
    time part, as Excel exports write it), a year alone (yyyy, or mm/yyyy: the month is dropped), and
    Excel serial day numbers (5 digits). Anything else is an error with a reason.
Sex
    :func:`parse_sex`: Nam / Nữ in any case or accents, M / F, male / female, and the codes 1 (nam) /
    2 (nữ) of the population database. Empty is unknown.
IDs
    :func:`personal_id_key` keeps the digits; 12 digits is a personal ID, and 10 or 11 digits that, padded
    with zeros to 12, start with a pre-2025 province code is one that lost its leading zeros in Excel.
    :func:`old_id_key` does the same for the 9-digit identity card (CMND).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from congvu.rules.personal_id import PRE_2025_PROVINCES
from congvu.text import fold, nfc

__all__ = [
    "TONE_MOVES",
    "BirthDate",
    "canon_name",
    "fold_name",
    "name_tokens",
    "old_id_key",
    "parse_birth_date",
    "parse_sex",
    "personal_id_key",
]

_GRAVE_TO_DOT = "àáảãạ", "èéẻẽẹ", "ỳýỷỹỵ"
_O_TONES = "òóỏõọ"
_U_TONES = "ùúủũụ"

#: (from, to) pairs: the tone mark of a final open oa / oe / uy syllable moves to the first vowel.
TONE_MOVES: tuple[tuple[str, str], ...] = (
    *((f"o{a}", f"{o}a") for a, o in zip(_GRAVE_TO_DOT[0], _O_TONES, strict=True)),
    *((f"o{e}", f"{o}e") for e, o in zip(_GRAVE_TO_DOT[1], _O_TONES, strict=True)),
    *((f"u{y}", f"{u}y") for y, u in zip(_GRAVE_TO_DOT[2], _U_TONES, strict=True)),
)

_TONE_MOVE = dict(TONE_MOVES)
# "oà" etc. at the end of a word; "uý" only when the u is not part of "qu".
_TONE_RE = re.compile(
    "(?:"
    + "|".join(src if src[0] == "o" else f"(?<!q){src}" for src, _ in TONE_MOVES)
    + r")(?=\s|$)"
)


def canon_name(value: str | None) -> str | None:
    """The canonical comparison form of a name, or ``None`` when there is no name.

    >>> canon_name("  NGUYỄN  Thị Hoà "), canon_name("Nguye\u0302\u0303n Văn Thuỷ"), canon_name("Lê Quý")
    ('nguyễn thị hòa', 'nguyễn văn thủy', 'lê quý')
    """
    if value is None:
        return None
    text = nfc(value).lower()
    if not text:
        return None
    return _TONE_RE.sub(lambda m: _TONE_MOVE[m.group(0)], text)


def fold_name(value: str | None) -> str | None:
    """Accent-free, lower-case, single-spaced name (đ → d), or ``None``.

    >>> fold_name("Đặng Thị Thuỷ")
    'dang thi thuy'
    """
    if value is None:
        return None
    text = fold(value)
    return text or None


def name_tokens(folded: str) -> tuple[str, str, str]:
    """(family, middle, given) of a folded name: first word, the words between, last word.

    >>> name_tokens("nguyen thi thu ha"), name_tokens("ha"), name_tokens("le an")
    (('nguyen', 'thi thu', 'ha'), ('', '', 'ha'), ('le', '', 'an'))
    """
    words = folded.split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


_NON_DIGIT = re.compile(r"[^0-9]")


def personal_id_key(raw: str | None) -> str | None:
    """The 12-digit personal ID a register value stands for, or ``None``.

    >>> personal_id_key(" 001 085 012345 "), personal_id_key("1085012345"), personal_id_key("79085012345")
    ('001085012345', '001085012345', '079085012345')
    """
    digits = _NON_DIGIT.sub("", raw or "")
    if len(digits) == 12:
        return digits
    padded = digits.zfill(12)
    if len(digits) in (10, 11) and padded[:3] in PRE_2025_PROVINCES:
        return padded
    return None


def old_id_key(raw: str | None) -> str | None:
    """The 9-digit identity card (CMND) number a value stands for (8 digits: a lost leading zero), or ``None``.

    >>> old_id_key("012 345 678"), old_id_key("12345678"), old_id_key("001085012345")
    ('012345678', '012345678', None)
    """
    digits = _NON_DIGIT.sub("", raw or "")
    if len(digits) == 9:
        return digits
    if len(digits) == 8:
        return "0" + digits
    return None


@dataclass(frozen=True)
class BirthDate:
    """A date of birth as far as it is known: the whole date, only the year, or nothing."""

    date: dt.date | None
    year: int | None


_DMY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})([ T].*)?$")
_YEAR = re.compile(r"^([0-9]{4})$")
_MONTH_YEAR = re.compile(r"^[0-9]{1,2}[/.-]([0-9]{4})$")
_SERIAL = re.compile(r"^([0-9]{5})(\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"năm sinh {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    return year


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"không có ngày {day:02d}/{month:02d}/{year}") from None


def parse_birth_date(raw: str | None) -> BirthDate:
    """Read a date of birth as HR files write it. Raises ``ValueError`` (Vietnamese reason) if unreadable.

    >>> parse_birth_date("3/2/1985"), parse_birth_date("1985")
    (BirthDate(date=datetime.date(1985, 2, 3), year=1985), BirthDate(date=None, year=1985))
    >>> parse_birth_date("31048").date
    datetime.date(1985, 1, 1)
    """
    text = (raw or "").strip()
    if not text:
        return BirthDate(None, None)
    if m := _DMY.match(text):
        year = _year(m.group(3))
        return BirthDate(_date(year, int(m.group(2)), int(m.group(1))), year)
    if m := _YMD.match(text):
        year = _year(m.group(1))
        return BirthDate(_date(year, int(m.group(2)), int(m.group(3))), year)
    if m := _YEAR.match(text):
        return BirthDate(None, _year(m.group(1)))
    if m := _MONTH_YEAR.match(text):
        return BirthDate(None, _year(m.group(1)))
    if m := _SERIAL.match(text):
        day = _EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
        return BirthDate(day, _year(str(day.year)))
    raise ValueError("không đọc được ngày sinh (dùng dd/mm/yyyy, yyyy-mm-dd hoặc chỉ năm yyyy)")


_MALE = {"nam", "m", "male", "1"}
_FEMALE = {"nu", "f", "female", "2"}


def parse_sex(raw: str | None) -> str | None:
    """"M", "F" or ``None`` (empty). Raises ``ValueError`` for anything else.

    >>> parse_sex("NAM"), parse_sex("Nữ"), parse_sex(" nu "), parse_sex("")
    ('M', 'F', 'F', None)
    """
    key = fold(raw or "").replace(" ", "")
    if not key:
        return None
    if key in _MALE:
        return "M"
    if key in _FEMALE:
        return "F"
    raise ValueError("giới tính phải là Nam hoặc Nữ")
