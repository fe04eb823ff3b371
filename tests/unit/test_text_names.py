"""congvu.text.names: họ / chữ đệm / tên."""

from __future__ import annotations

import unicodedata

import pytest

from congvu.text import NameParts, join_name, split_full_name, title_case_name


@pytest.mark.parametrize(
    ("full", "family", "middle", "given"),
    [
        ("Nguyễn Thị Thu Hà", "Nguyễn", "Thị Thu", "Hà"),
        ("Nguyễn Văn An", "Nguyễn", "Văn", "An"),
        ("Lê Hà", "Lê", "", "Hà"),
        ("An", "", "", "An"),
        ("", "", "", ""),
        ("   Trần   Quốc  Tuấn ", "Trần", "Quốc", "Tuấn"),
        ("NGUYỄN VĂN AN", "NGUYỄN", "VĂN", "AN"),
        ("Tôn Thất Tùng", "Tôn Thất", "", "Tùng"),
        ("Tôn Nữ Thị Ninh", "Tôn Nữ", "Thị", "Ninh"),
        ("TÔN NỮ THỊ NINH", "TÔN NỮ", "THỊ", "NINH"),
        ("Công Tằng Tôn Nữ Thị Hồng", "Công Tằng Tôn Nữ", "Thị", "Hồng"),
        ("Tôn Thất", "Tôn", "", "Thất"),
        ("Tôn Đức Thắng", "Tôn", "Đức", "Thắng"),
        ("Nguyễn Phúc Thịnh", "Nguyễn", "Phúc", "Thịnh"),
        ("Âu Dương Minh", "Âu", "Dương", "Minh"),
        ("H'Hen Niê", "H'Hen", "", "Niê"),
        (unicodedata.normalize("NFD", "Đặng Thị Ánh"), "Đặng", "Thị", "Ánh"),
    ],
    ids=[
        "four words: one family, two middle, one given",
        "three words",
        "two words: family and given",
        "one word is a given name only",
        "empty",
        "messy spacing",
        "keeps capitals as given",
        "recognises Tôn Thất as family name",
        "recognises Tôn Nữ as family name",
        "compound family name ignores case",
        "recognises the four-word Công Tằng Tôn Nữ",
        "compound needs a word left for the given name",
        "Tôn alone is an ordinary surname",
        "Nguyễn Phúc is not treated as compound",
        "Âu Dương is not treated as compound",
        "keeps apostrophes in minority names",
        "normalises NFD to NFC",
    ],
)
def test_split_full_name_puts_first_word_as_family_and_last_as_given(
    full: str, family: str, middle: str, given: str
) -> None:
    assert split_full_name(full) == NameParts(family, middle, given)


def test_split_full_name_can_be_told_to_use_one_word_family_names_only() -> None:
    assert split_full_name("Tôn Nữ Thị Ninh", compound_family_names=()) == NameParts("Tôn", "Nữ Thị", "Ninh")


def test_split_full_name_accepts_a_custom_compound_list() -> None:
    assert split_full_name("Âu Dương Phong", compound_family_names=["âu dương"]) == NameParts(
        "Âu Dương", "", "Phong"
    )


@pytest.mark.parametrize(
    ("family", "middle", "given", "full"),
    [
        ("Nguyễn", "Thị Thu", "Hà", "Nguyễn Thị Thu Hà"),
        ("Lê", "", "Hà", "Lê Hà"),
        ("", "", "An", "An"),
        (" Trần ", "  Quốc ", "Tuấn ", "Trần Quốc Tuấn"),
        (unicodedata.normalize("NFD", "Đỗ"), "", "Ánh", "Đỗ Ánh"),
    ],
    ids=["all parts", "no middle", "given only", "trims parts", "normalises to NFC"],
)
def test_join_name_joins_non_empty_parts_family_first(
    family: str, middle: str, given: str, full: str
) -> None:
    assert join_name(family, middle, given) == full
    assert NameParts(family, middle, given).full == full


@pytest.mark.parametrize(
    "full", ["Nguyễn Thị Thu Hà", "Tôn Nữ Thị Ninh", "An", "Lê Hà", "Công Tằng Tôn Nữ Thị Hồng"]
)
def test_split_then_join_gives_the_name_back(full: str) -> None:
    assert split_full_name(full).full == full


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NGUYỄN THỊ ĐÀO", "Nguyễn Thị Đào"),
        ("nguyễn thị đào", "Nguyễn Thị Đào"),
        ("đặng ưng", "Đặng Ưng"),
        ("ĐỖ ÁNH ẨN", "Đỗ Ánh Ẩn"),
        ("h'hen niê", "H'Hen Niê"),
        ("y-moan ênuôl", "Y-Moan Ênuôl"),
        ("  trần   văn   an ", "Trần Văn An"),
        (unicodedata.normalize("NFD", "ĐẶNG"), "Đặng"),
    ],
    ids=[
        "from upper case",
        "from lower case",
        "capitalises đ and ư",
        "capitalises toned first letters",
        "after an apostrophe",
        "after a hyphen",
        "tidies spaces",
        "works on NFD input",
    ],
)
def test_title_case_name_handles_vietnamese_letters(raw: str, expected: str) -> None:
    assert title_case_name(raw) == expected
