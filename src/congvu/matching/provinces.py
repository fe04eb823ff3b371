"""Hometowns (quê quán) reduced to one comparable value: the 2-digit province code in force since 01/07/2025.

Registers and extracts write a hometown in many ways: a pre-2025 province code (3 digits, as in the
personal ID: "036"), its 2-digit form ("36"), a 2025 province code ("37"), a 2025 commune code (5 digits,
"13846"), or a name ("Nam Định", "Tỉnh Nam Định", "nam dinh", "TP.HCM", "Huế", "Xã A, huyện B, tỉnh Nam
Định"). All of them map to the 34 provinces of NQ 202/2025/QH15, the only level every form can reach
(a 2025 commune lies in one 2025 province; a pre-2025 province was merged into one). Comparing at that
level loses some detail (Nam Định and Hà Nam are both "37" now) but never calls two forms of the same
place different.

:data:`PRE_2025_SUCCESSOR` repeats ``congvu.org.reference_data.PRE_2025_SUCCESSOR`` because the matching
engine may not import the Django apps; a unit test checks that the two tables are equal.
"""

from __future__ import annotations

import json
import re
from functools import cache

from congvu.rules.personal_id import PRE_2025_PROVINCES
from congvu.text import fold

__all__ = [
    "ALIASES",
    "NEW_PROVINCES",
    "PRE_2025_SUCCESSOR",
    "lookup_rows",
    "place_key",
    "province_of",
]

#: The 34 provinces since 01/07/2025 (Decision 19/2025/QĐ-TTg codes), short names.
NEW_PROVINCES: dict[str, str] = {
    "01": "Hà Nội", "04": "Cao Bằng", "08": "Tuyên Quang", "11": "Điện Biên", "12": "Lai Châu",
    "14": "Sơn La", "15": "Lào Cai", "19": "Thái Nguyên", "20": "Lạng Sơn", "22": "Quảng Ninh",
    "24": "Bắc Ninh", "25": "Phú Thọ", "31": "Hải Phòng", "33": "Hưng Yên", "37": "Ninh Bình",
    "38": "Thanh Hóa", "40": "Nghệ An", "42": "Hà Tĩnh", "44": "Quảng Trị", "46": "Huế",
    "48": "Đà Nẵng", "51": "Quảng Ngãi", "52": "Gia Lai", "56": "Khánh Hòa", "66": "Đắk Lắk",
    "68": "Lâm Đồng", "75": "Đồng Nai", "79": "Hồ Chí Minh", "80": "Tây Ninh", "82": "Đồng Tháp",
    "86": "Vĩnh Long", "91": "An Giang", "92": "Cần Thơ", "96": "Cà Mau",
}  # fmt: skip

#: Pre-2025 province (3-digit personal-ID prefix) → the 2025 province it became part of (NQ 202/2025/QH15).
PRE_2025_SUCCESSOR: dict[str, str] = {
    "001": "01", "002": "08", "004": "04", "006": "19", "008": "08", "010": "15", "011": "11",
    "012": "12", "014": "14", "015": "15", "017": "25", "019": "19", "020": "20", "022": "22",
    "024": "24", "025": "25", "026": "25", "027": "24", "030": "31", "031": "31", "033": "33",
    "034": "33", "035": "37", "036": "37", "037": "37", "038": "38", "040": "40", "042": "42",
    "044": "44", "045": "44", "046": "46", "048": "48", "049": "48", "051": "51", "052": "52",
    "054": "66", "056": "56", "058": "56", "060": "68", "062": "51", "064": "52", "066": "66",
    "067": "68", "068": "68", "070": "75", "072": "80", "074": "79", "075": "75", "077": "79",
    "079": "79", "080": "80", "082": "82", "083": "86", "084": "86", "086": "86", "087": "82",
    "089": "91", "091": "91", "092": "92", "093": "92", "094": "92", "095": "96", "096": "96",
}  # fmt: skip

#: Other spellings seen in registers → pre-2025 code (or 2025 code when the name is only a 2025 one).
ALIASES: dict[str, str] = {
    "TP.HCM": "079", "TPHCM": "079", "HCM": "079", "Sài Gòn": "079", "Thành phố Hồ Chí Minh": "079",
    "TP Hồ Chí Minh": "079", "Hồ Chí Minh": "079", "Huế": "046", "TT Huế": "046", "TT-Huế": "046",
    "Thừa Thiên": "046", "BR-VT": "077", "BRVT": "077", "Bà Rịa Vũng Tàu": "077", "Vũng Tàu": "077",
    "Đăk Lăk": "066", "Daklak": "066", "Đắc Lắc": "066", "Đăk Nông": "067", "Đắc Nông": "067",
    "Daknong": "067", "Bắc Cạn": "006", "Kontum": "062", "Hà Tây": "001", "Hà Sơn Bình": "017",
    "Nghệ Tĩnh": "040", "Hải Hưng": "030", "Hà Nam Ninh": "036", "Bình Trị Thiên": "046",
    "Nghĩa Bình": "051", "Phú Khánh": "056", "Thuận Hải": "060", "Gia Lai Kon Tum": "064",
    "Sông Bé": "074", "Cửu Long": "086", "Minh Hải": "096", "Hoàng Liên Sơn": "015",
    "Hà Bắc": "024", "Vĩnh Phú": "025", "Cao Lạng": "004", "Bắc Thái": "019", "Quảng Nam Đà Nẵng": "049",
}  # fmt: skip

# Leading words that name the kind of unit, not the place ("tỉnh", "thành phố", "TP."), in compact form.
_UNIT_PREFIX = re.compile(r"^(tinh|thanhpho|tp)(?=[a-z])")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def place_key(text: str) -> str:
    """The compact form place names are looked up in: the last comma-separated part, folded, letters only.

    >>> place_key("Xã Yên Lợi, huyện Ý Yên, Tỉnh Nam Định"), place_key("TP. Hồ Chí Minh")
    ('namdinh', 'hochiminh')
    """
    last = text.rsplit(",", 1)[-1]
    compact = _NOT_ALNUM.sub("", fold(last))
    return _UNIT_PREFIX.sub("", compact)


@cache
def _commune_provinces() -> dict[str, str]:
    """2025 commune code (5 digits) → 2025 province code, from the pinned ``vietnam_provinces`` data."""
    import vietnam_provinces  # a pure data package; imported only when a commune code is seen

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        divisions = json.load(fh)
    return {f"{w['code']:05d}": f"{p['code']:02d}" for p in divisions for w in p["wards"]}


@cache
def _name_table() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in NEW_PROVINCES.items():
        names[place_key(name)] = code
    for old, name in PRE_2025_PROVINCES.items():
        names[place_key(name)] = PRE_2025_SUCCESSOR[old]
    for alias, code in ALIASES.items():
        names[place_key(alias)] = PRE_2025_SUCCESSOR.get(code, code)
    return names


def lookup_rows(*, communes: bool = True) -> list[tuple[str, str]]:
    """Every (key, 2025 province code) pair :func:`province_of` knows, for a SQL lookup table.

    Keys are digit strings (codes) or :func:`place_key` forms (names); they never collide because
    place keys of names contain letters.
    """
    rows: dict[str, str] = dict(_name_table())
    for code in NEW_PROVINCES:
        rows[code] = code
    for old, new in PRE_2025_SUCCESSOR.items():
        rows[old] = new
        rows.setdefault(old[1:], new)  # the 2-digit form of an old code that is not also a 2025 code
    if communes:
        rows.update(_commune_provinces())
    return sorted(rows.items())


def province_of(value: str | None) -> str | None:
    """The 2025 province code of a hometown written in any of the forms above, or ``None``.

    >>> province_of("036"), province_of("Tỉnh Nam Định"), province_of("37"), province_of("TP.HCM")
    ('37', '37', '37', '79')
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        if len(text) == 5:
            return _commune_provinces().get(text)
        if len(text) == 2 and text in NEW_PROVINCES:
            return text
        if len(text) in (2, 3):
            return PRE_2025_SUCCESSOR.get(text.zfill(3))
        return None
    return _name_table().get(place_key(text))
