"""congvu.text.normalize: NFC storage form and accent-folded search form."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.text import fold, nfc


def decomposed(s: str) -> str:
    return unicodedata.normalize("NFD", s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("  Nguyễn   Văn An  ", "Nguyễn Văn An"),
        ("Nguyễn\tVăn\nAn", "Nguyễn Văn An"),
        ("Nguyễn\u00a0Văn\u00a0An", "Nguyễn Văn An"),
        ("Nguyễn \u00a0 \t Văn", "Nguyễn Văn"),
        ("\u200bNguyễn\ufeff Văn", "Nguyễn Văn"),
        (decomposed("Nguyễn Thị Thu Hà"), "Nguyễn Thị Thu Hà"),
        ("", ""),
        ("   ", ""),
    ],
    ids=[
        "already clean",
        "trims and collapses spaces",
        "turns tabs and newlines into spaces",
        "turns NBSP into a space",
        "collapses a mixed whitespace run",
        "drops zero-width characters and BOM",
        "composes NFD input",
        "keeps empty",
        "blank becomes empty",
    ],
)
def test_nfc_stores_text_composed_trimmed_and_single_spaced(raw: str, expected: str) -> None:
    assert nfc(raw) == expected
    assert unicodedata.is_normalized("NFC", nfc(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Thị Thu Hà", "nguyen thi thu ha"),
        ("ĐẶNG", "dang"),
        ("Đỗ Đức Đạt", "do duc dat"),
        ("đường", "duong"),
        ("Trương Thị Ưng", "truong thi ung"),
        ("Lê Ánh Tuyết", "le anh tuyet"),
        ("Phạm   Ngọc\u00a0Ẩn", "pham ngoc an"),
        ("NGUYEN VAN AN", "nguyen van an"),
        ("a \u0301 b", "a b"),
    ],
    ids=[
        "removes tones and marks",
        "turns capital d stroke into d",
        "turns every d stroke into d",
        "turns small d stroke into d",
        "removes horns",
        "removes acute and circumflex",
        "collapses whitespace",
        "lowercases ascii",
        "leaves no double space after a stray mark",
    ],
)
def test_fold_gives_the_accent_insensitive_search_form(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_turns_d_stroke_into_d() -> None:
    # NFD + "drop combining marks" alone would keep đ, because U+0111 has no decomposition.
    assert fold("Thị Đào") == "thi dao"


def test_fold_works_on_nfd_input_too() -> None:
    assert fold(decomposed("Nguyễn Thị Thu Hà")) == "nguyen thi thu ha"
    assert fold(decomposed("ĐẶNG Ưng")) == "dang ung"


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vietnamese_text = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " \t\u00a0", max_size=40)


@given(vietnamese_text)
def test_fold_output_is_plain_ascii_for_vietnamese_letters(s: str) -> None:
    assert fold(s).isascii()


@given(vietnamese_text)
def test_fold_is_the_same_for_nfc_nfd_and_upper_case(s: str) -> None:
    assert fold(s) == fold(decomposed(s)) == fold(s.upper()) == fold(fold(s))


@given(vietnamese_text)
def test_nfc_is_idempotent_and_has_no_double_spaces(s: str) -> None:
    once = nfc(s)
    assert nfc(once) == once
    assert "  " not in once
    assert once == once.strip()
