"""congvu.text.legacy: TCVN3 and VNI text from old spreadsheets."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from congvu.text import (
    decode_tcvn3,
    decode_vni,
    detect_legacy_encoding,
    encode_tcvn3,
    encode_vni,
    fix_legacy_text,
    is_vietnamese_syllable,
    title_case_name,
)

LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
VIETNAMESE_LETTERS = "".join(ch for ch in LOWER if not ch.isascii()) + "".join(
    ch.upper() for ch in LOWER if not ch.isascii()
)


def test_there_are_134_vietnamese_letters_outside_ascii() -> None:
    assert len(set(VIETNAMESE_LETTERS)) == 134


# Pairs cross-checked against glibc's TCVN5712-1 converter and the public converters named in the
# module docstring (duydev/vietnamese-conversion, lamdao/xvnkb, backupvietsoft/HRM).
TCVN3_PAIRS = [
    ("NguyÔn V¨n An", "Nguyễn Văn An"),
    ("Ph¹m ThÞ Thu Hµ", "Phạm Thị Thu Hà"),
    ("§Æng", "Đặng"),
    ("§ç Hång Ngäc", "Đỗ Hồng Ngọc"),
    ("Tr\u00adêng", "Trường"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("M\u00adêng Kh\u00ad¬ng", "Mường Khương"),
    ("B¸t X¸t", "Bát Xát"),
    ("Ninh B×nh", "Ninh Bình"),
    ("Sè 12 ®\u00adêng Lª Lîi", "Số 12 đường Lê Lợi"),
    ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
    ("H\x80 N\x97I", "HÀ NỘI"),  # VN1 capitals, as C1 controls …
    ("H€ N—I", "HÀ NỘI"),  # … and as Windows-1252 shows them
]

VNI_PAIRS = [
    ("Nguyeãn Vaên An", "Nguyễn Văn An"),
    ("Phaïm Thò Thu Haø", "Phạm Thị Thu Hà"),
    ("Ñaëng", "Đặng"),
    ("Ñoã Hoàng Ngoïc", "Đỗ Hồng Ngọc"),
    ("Tröôøng", "Trường"),
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Nghóa", "Nghĩa"),
    ("Hoà Chí Minh", "Hồ Chí Minh"),
    ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
    ("ÑOÃ THÒ HÖÔNG", "ĐỖ THỊ HƯƠNG"),
    ("Tyû", "Tỷ"),
    ("Mî", "Mỵ"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_PAIRS)
def test_decode_tcvn3_reads_abc_font_text(legacy: str, unicode: str) -> None:
    assert decode_tcvn3(legacy) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), VNI_PAIRS)
def test_decode_vni_reads_vni_font_text(legacy: str, unicode: str) -> None:
    assert decode_vni(legacy) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_PAIRS[:-2])
def test_encode_tcvn3_writes_what_the_abc_font_stored(legacy: str, unicode: str) -> None:
    assert encode_tcvn3(unicode) == legacy


@pytest.mark.parametrize(("legacy", "unicode"), VNI_PAIRS)
def test_encode_vni_writes_what_the_vni_font_stored(legacy: str, unicode: str) -> None:
    assert encode_vni(unicode) == legacy


def test_encode_tcvn3_writes_vn1_capitals_as_windows_1252_characters() -> None:
    assert encode_tcvn3("HÀ NỘI") == "H€ N—I"


def test_encode_tcvn3_can_write_capitals_the_vntimeh_way() -> None:
    assert encode_tcvn3("NGUYỄN VĂN ĐẶNG", capitals="vn3") == "NGUYÔN V¡N §ÆNG"


@pytest.mark.parametrize("letter", list(VIETNAMESE_LETTERS))
def test_every_vietnamese_letter_round_trips_through_both_encodings(letter: str) -> None:
    assert decode_tcvn3(encode_tcvn3(letter)) == letter
    assert decode_vni(encode_vni(letter)) == letter


@pytest.mark.parametrize("encode", [encode_tcvn3, encode_vni])
@pytest.mark.parametrize("text", ["Müller", "€", "日本", "©"])
def test_encoders_refuse_characters_they_cannot_write(encode: Callable[[str], str], text: str) -> None:
    with pytest.raises(ValueError, match="has no"):
        encode(text)


def test_decoders_turn_nfd_capable_input_into_nfc() -> None:
    assert unicodedata.is_normalized("NFC", decode_tcvn3("B\u00b3"))  # B + combining acute code
    assert decode_tcvn3("a\u00b3") == "á"


alphabet_text = st.text(
    alphabet=VIETNAMESE_LETTERS + "abcdeghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY0123456789 .,-'"
)


@given(alphabet_text)
def test_decode_tcvn3_inverts_encode_tcvn3(s: str) -> None:
    assert decode_tcvn3(encode_tcvn3(s)) == s


@given(alphabet_text)
def test_decode_vni_inverts_encode_vni(s: str) -> None:
    assert decode_vni(encode_vni(s)) == s


# --- detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "encoding"),
    [
        ("NguyÔn V¨n An", "Nguyễn Văn An", "tcvn3"),
        ("Nguyeãn Vaên An", "Nguyễn Văn An", "vni"),
        ("Ph¹m ThÞ Thu Hµ", "Phạm Thị Thu Hà", "tcvn3"),
        ("Phaïm Thò Thu Haø", "Phạm Thị Thu Hà", "vni"),
        ("Hµ Néi", "Hà Nội", "tcvn3"),
        ("§Æng", "Đặng", "tcvn3"),
        ("Vò Thanh Hµ", "Vũ Thanh Hà", "tcvn3"),
        ("Sè 12 Tr\u00adêng Chinh", "Số 12 Trường Chinh", "tcvn3"),
        ("H€ N—I", "HÀ NỘI", "tcvn3"),
        ("Ñaëng Thò Ngoïc Aùnh", "Đặng Thị Ngọc Ánh", "vni"),
    ],
    ids=[
        "tcvn3 name",
        "vni name",
        "tcvn3 name with tones",
        "vni name with tones",
        "tcvn3 place",
        "tcvn3 single word",
        "tcvn3 with a word that is also valid unicode",
        "tcvn3 address with digits",
        "tcvn3 vn1 capitals",
        "vni with capital toned letter",
    ],
)
def test_fix_legacy_text_detects_and_decodes(text: str, expected: str, encoding: str) -> None:
    assert fix_legacy_text(text) == (expected, encoding)


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An",
        "Phạm",
        "ABC Company",
        "O'Neil",
        "Ngô",
        "Đỗ",
        "Lê Hà",
        "Hoà",
        "Khoá",
        "Thuý",
        "Chí Minh",
        "José Müller",
        "Café Hélène",
        "Nguyen – An",
        "“Hà”",
        "H'Hen Niê",
        "",
        "12/05/1985",
    ],
)
def test_fix_legacy_text_leaves_unicode_and_ascii_alone(text: str) -> None:
    assert fix_legacy_text(text) == (text, None)


def test_fix_legacy_text_returns_nfd_input_as_nfc() -> None:
    assert fix_legacy_text(unicodedata.normalize("NFD", "Nguyễn Văn An")) == ("Nguyễn Văn An", None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),
        ("§ÆNG THÞ HåNG", "ĐẶNG THỊ HỒNG"),
        ("Hµ NéI", "HÀ NỘI"),
        ("Hµ Néi", "Hà Nội"),
        ("§ç Hµ", "Đỗ Hà"),  # ambiguous: title case wins
        ("Vò ThÞ ¸nh", "Vũ Thị Ánh"),
        ("¤ng ¸nh", "Ông Ánh"),
    ],
    ids=[
        "all caps name",
        "all caps with đ",
        "single-capital words follow",
        "title case stays",
        "ambiguous",
        "title case name with a toned capital",
        "title case with toned capital and vn3 capital",
    ],
)
def test_fix_legacy_text_restores_capitals_typed_in_a_vntimeh_font(typed: str, expected: str) -> None:
    assert fix_legacy_text(typed) == (expected, "tcvn3")


def test_tcvn3_text_that_is_also_valid_unicode_is_left_alone_unless_assumed() -> None:
    assert fix_legacy_text("Vò Tó") == ("Vò Tó", None)
    assert fix_legacy_text("Vò Tó", assume="tcvn3") == ("Vũ Tú", "tcvn3")


def test_assume_still_refuses_a_decoding_that_makes_words_invalid() -> None:
    assert fix_legacy_text("José", assume="tcvn3") == ("José", None)


def test_detect_legacy_encoding_takes_the_majority_of_a_column() -> None:
    column = ["NguyÔn V¨n An", "Vò Tó", "Ph¹m ThÞ Thu Hµ", "Nguyễn Văn Bình", "", "ABC"]
    assert detect_legacy_encoding(column) == "tcvn3"
    assert detect_legacy_encoding(["Nguyễn Văn An", "ABC"]) is None
    assert detect_legacy_encoding(["NguyÔn V¨n An", "Nguyeãn Vaên An"]) is None


def words(text: str) -> list[str]:
    return text.split()


FAMILY = words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Lương Mai")
MIDDLE = words("Văn Thị Hữu Đức Minh Thu Ngọc Thanh Quốc Xuân Hồng Kim Bảo Gia Thúy Diệu Mỹ")
GIVEN = words(
    "An Anh Ánh Bình Chi Dũng Đào Hà Hải Hạnh Hiếu Hoa Huệ Hùng Hương Khánh Khoa Lan Linh Loan Long "
    "Mạnh Nam Nga Nghĩa Nhung Oanh Phong Phúc Phương Quang Quân Quyên Sơn Tâm Thảo Thắng Thủy Tiến "
    "Trang Trung Tú Tuấn Tùng Uyên Vân Việt Vinh Yến Khuê Nguyệt Tuyết Huyền Cường Ngữ Hiền Ý Ỷ Ở"
)

names = st.tuples(
    st.sampled_from(FAMILY),
    st.lists(st.sampled_from(MIDDLE), max_size=2),
    st.sampled_from(GIVEN),
    st.sampled_from([str.title, str.upper, str.lower]),
).map(lambda t: t[3](" ".join([t[0], *t[1], t[2]])))


def plausible(word: str) -> bool:
    return is_vietnamese_syllable(word) and (word.islower() or word.isupper() or word.istitle())


def realistic_tcvn3(name: str) -> str:
    """All-caps text was typed in the .VnTimeH font: VN3 codes, no VN1 capitals."""
    return encode_tcvn3(name, capitals="vn3" if name.isupper() else "vn1")


def detectable(name: str, encoded: str) -> bool:
    """Enough diacritics: encoding turned some word of two or more characters into non-Vietnamese."""
    return any(len(w) >= 2 and not w.isascii() and not plausible(w) for w in encoded.split())


@given(names.filter(lambda n: not n.isupper()))
def test_fix_legacy_text_recovers_tcvn3_names(name: str) -> None:
    encoded = encode_tcvn3(name)
    assume(detectable(name, encoded))
    assert fix_legacy_text(encoded) == (name, "tcvn3")


@given(names.filter(str.isupper))
def test_fix_legacy_text_recovers_all_caps_tcvn3_names_but_may_title_case_them(name: str) -> None:
    encoded = realistic_tcvn3(name)
    assume(detectable(name, encoded))
    text, found = fix_legacy_text(encoded)
    assert found == "tcvn3"
    assert text in {name, title_case_name(name)}


@given(names)
def test_fix_legacy_text_recovers_vni_names(name: str) -> None:
    encoded = encode_vni(name)
    assume(detectable(name, encoded))
    assert fix_legacy_text(encoded) == (name, "vni")


@given(names.filter(lambda n: not n.isupper()))
def test_fix_legacy_text_recovers_tcvn3_names_typed_with_vntimeh_capitals(name: str) -> None:
    encoded = encode_tcvn3(name, capitals="vn3")
    assume(detectable(name, encoded))
    assert fix_legacy_text(encoded) == (name, "tcvn3")


@given(names)
def test_fix_legacy_text_never_changes_unicode_names(name: str) -> None:
    assert fix_legacy_text(name) == (name, None)


@given(names)
def test_legacy_text_is_either_recovered_or_left_exactly_as_it_was(name: str) -> None:
    for encoding, encoded in (("tcvn3", realistic_tcvn3(name)), ("vni", encode_vni(name))):
        text, found = fix_legacy_text(encoded)
        assert (text, found) in {(name, encoding), (title_case_name(name), encoding), (encoded, None)}
