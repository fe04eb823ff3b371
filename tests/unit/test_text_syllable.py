"""congvu.text.syllable: the written shape of a Vietnamese syllable."""

from __future__ import annotations

import unicodedata

import pytest

from congvu.text import is_vietnamese_syllable
from congvu.text.names import COMMON_NAME_SYLLABLES

REAL_SYLLABLES = (
    # family names
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Lương Mai "
    "Cao Tạ Lâm Quách Đoàn Vương Trương Hà Kiều Châu Tôn Lưu Thái Khúc Ứng "
    # middle and given names
    "Văn Thị Hữu Đức Minh Thu Ngọc Thanh Quốc Xuân Hồng Kim Bảo Gia Anh Ánh Ảnh An Ân Bình Chi Dũng "
    "Đào Hải Hạnh Hiếu Hoa Huệ Hùng Hương Khánh Khoa Lan Linh Loan Long Mạnh Nam Nga Nghĩa Nhung Oanh "
    "Phong Phúc Phương Quang Quân Quyên Sơn Tâm Thảo Thắng Thủy Thuỷ Thúy Thuý Tiến Trang Trung Tú Tuấn "
    "Tùng Uyên Vân Việt Vinh Yến Khuê Nguyệt Tuyết Huyền Quyết Cường Ngoan Thoại Khoẻ Ngữ Hiền Nhàn Ý "
    # words of addresses and job titles
    "Sở Nội vụ phòng Ủy ban nhân dân tỉnh huyện xã phường đường số trưởng phó chuyên viên "
    "Đông Tây Bắc Ninh Huế Gò Vấp Quảng Ngãi Khánh Hòa Hoà Đắk Lắk Nông Kạn Kon Tum Tĩnh Cà Mau "
    # spelling corners
    "gì giữa nghiêng khuya thuở quốc cuộc kiều uống ước yêu ích ấm Kỳ ghi giêng xoong hoặc xoăn "
    "quăn khuyết nguệch ngoẹo oải được người mười mươi rượu ghe kẻ quy gìn yên"
)


@pytest.mark.parametrize("word", REAL_SYLLABLES.split(" "))
def test_real_vietnamese_syllables_are_accepted(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["NGUYỄN", "nguyễn", unicodedata.normalize("NFD", "Nguyễn")])
def test_case_and_normal_form_do_not_matter(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "NguyÔn",  # TCVN3 for Nguyễn
        "V¨n",  # TCVN3 for Văn
        "Hµ",  # TCVN3 for Hà
        "Nguyeãn",  # VNI for Nguyễn
        "Vaên",  # VNI for Văn
        "Ngoâ",  # VNI for Ngô
        "José",
        "Müller",
        "Company",
        "ngi",  # must be nghi
        "ce",  # must be ke
        "ghe1",
        "càc",  # stop coda needs sắc or nặng
        "tiê",  # iê needs a coda
        "iên",  # without onset it is written yên
        "ă",  # ă needs a coda
        "aoc",  # a glide ending takes no coda
        "Ksor",  # minority names are outside the standard shape
        "Niê",
        "",
        "Hoà́",  # two tones
    ],
)
def test_non_syllables_are_rejected(word: str) -> None:
    assert not is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    ("word", "ok"),
    [
        ("hòa", True),  # old placement
        ("hoà", True),  # new placement
        ("thủy", True),
        ("thuỷ", True),
        ("khỏe", True),
        ("khoẻ", True),
        ("mèo", True),
        ("meò", False),
        ("người", True),
        ("ngưòi", False),
        ("hoàng", True),
        ("hòang", False),  # with a coda the tone goes on the last vowel
        ("muốn", True),
        ("mùôn", False),
        ("ngoài", True),
        ("ngòai", False),
        ("Leõ", False),  # TCVN3 reading of VNI "Leâ" (Lê): the tone would sit on o
    ],
)
def test_the_tone_mark_must_sit_on_the_main_vowel(word: str, ok: bool) -> None:
    assert is_vietnamese_syllable(word) is ok


def test_common_name_syllables_are_lowercase_nfc_vietnamese_syllables() -> None:
    assert len(COMMON_NAME_SYLLABLES) > 200
    for syllable in COMMON_NAME_SYLLABLES:
        assert syllable == unicodedata.normalize("NFC", syllable).lower()
        assert is_vietnamese_syllable(syllable), syllable
