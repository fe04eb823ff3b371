"""congvu.text.collation: Vietnamese sort keys for ORDER BY."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
import vn_collate
from hypothesis import given
from hypothesis import strategies as st

from congvu.text import SEPARATOR, collation_key, person_sort_key

# Sorted the Vietnamese HR way: tên, then chữ đệm, then họ. Letters before tones; the tones in
# dictionary/ICU order ngang < huyền < hỏi < ngã < sắc < nặng.
PEOPLE_IN_ORDER: list[tuple[str, str, str]] = [
    ("Lê", "", "An"),  # no middle name sorts first
    ("Trần", "Thị", "An"),  # same given name: by middle name (Thị < Văn) …
    ("Nguyễn", "Văn", "An"),  # … then by family name (Nguyễn < Phạm)
    ("Phạm", "Văn", "An"),
    ("Đỗ", "Thị", "Anh"),  # "An" before "Anh": shorter prefix first
    ("Hoàng", "Ngọc", "Ảnh"),  # hỏi before sắc
    ("Vũ", "Thị", "Ánh"),
    ("Lý", "Thiên", "Ân"),  # a < ă < â
    ("Trịnh", "Gia", "Bảo"),
    ("Phan", "Quốc", "Cường"),
    ("Hồ", "Minh", "Dũng"),
    ("Ngô", "Thị", "Đào"),  # d < đ: Dũng before Đào
    ("Mai", "Thu", "Hà"),
    ("Lương", "Thanh", "Hải"),  # Hà before Hải
    ("Đặng", "Thị", "Hạnh"),
    ("Tạ", "Văn", "Hùng"),
    ("Dương", "Thị", "Hương"),  # u < ư
    ("Dương", "Văn", "Long"),  # same given and middle: Dương < Đinh (d < đ)
    ("Đinh", "Văn", "Long"),
    ("Huỳnh", "Minh", "Tâm"),
    ("Cao", "Thị", "Thu"),
    ("Kiều", "Thị", "Thúy"),
    ("Võ", "Thị", "Thư"),
    ("Bùi", "Thị Thu", "Trang"),  # multi-word middle: "Thị Thu" before "Thị Thúy"
    ("Bùi", "Thị Thúy", "Trang"),
    ("Lê", "Văn", "Ước"),
    ("Trương", "Thị", "Yến"),
]


def test_people_sort_by_given_then_middle_then_family() -> None:
    shuffled = PEOPLE_IN_ORDER[:]
    random.Random(335).shuffle(shuffled)
    assert sorted(shuffled, key=lambda p: person_sort_key(*p)) == PEOPLE_IN_ORDER


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("An", "Anh"),
        ("Anh", "Ảnh"),
        ("Ảnh", "Ánh"),
        ("Anh", "Ân"),
        ("Dũng", "Đào"),
        ("Dương", "Đào"),
        ("Hà", "Hải"),
        ("Hải", "Hạnh"),
        ("Hùng", "Hương"),
        ("Thu", "Thúy"),
        ("Thúy", "Thư"),
        ("Ơn", "Phong"),
        ("Thảo", "Thạo"),
        ("an", "An"),
        ("Yến", "Zin"),
    ],
    ids=lambda s: s,
)
def test_collation_key_orders_vietnamese_letters_then_tones_then_case(earlier: str, later: str) -> None:
    assert collation_key(earlier) < collation_key(later)


def test_an_sorts_before_anh_whatever_the_middle_and_family_names() -> None:
    assert person_sort_key("Ỹ", "Ỹ Ỹ", "An") < person_sort_key("A", "A", "Anh")


def test_every_anh_sorts_before_every_anh_with_a_tone() -> None:
    assert person_sort_key("Vũ", "Văn", "Anh") < person_sort_key("An", "An", "Ánh")


def test_sort_key_is_ascii_hex_and_the_separator() -> None:
    key = person_sort_key("Nguyễn", "Thị Thu", "Hà")
    assert re.fullmatch(r"[0-9a-f]+\.[0-9a-f]+\.[0-9a-f]+", key)
    assert key.isascii()


def test_separator_sorts_below_every_key_character_and_vn_collate_terminates_with_zero() -> None:
    assert SEPARATOR < "0"
    assert vn_collate.TERMINATOR == 0


def test_sort_key_length_is_six_per_character_plus_twenty() -> None:
    assert len(person_sort_key("Nguyễn", "Thị Thu", "Hà")) == 6 * len("NguyễnThị ThuHà") + 20 == 110


def test_collation_key_ignores_nfc_versus_nfd_and_extra_spaces() -> None:
    assert collation_key(unicodedata.normalize("NFD", " Thị  Thu ")) == collation_key("Thị Thu")


def test_collation_key_is_vn_collate_key() -> None:
    assert collation_key("Nguyễn") == vn_collate.collate_key("Nguyễn")


NAME_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắấầẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "
name_part = st.text(alphabet=NAME_LETTERS + NAME_LETTERS.upper(), max_size=12)
person = st.tuples(name_part, name_part, name_part)


@given(name_part, name_part)
def test_no_collation_key_is_a_proper_prefix_of_another(a: str, b: str) -> None:
    ka, kb = collation_key(a), collation_key(b)
    assert ka == kb or not (ka.startswith(kb) or kb.startswith(ka))


@given(person, person)
def test_sort_key_order_equals_comparing_given_then_middle_then_family(
    a: tuple[str, str, str], b: tuple[str, str, str]
) -> None:
    def parts(p: tuple[str, str, str]) -> tuple[str, str, str]:
        family, middle, given_name = p
        return collation_key(given_name), collation_key(middle), collation_key(family)

    ka, kb = person_sort_key(*a), person_sort_key(*b)
    assert (ka < kb) == (parts(a) < parts(b))
    # A collation that ignores punctuation (glibc en_US) sees the keys without separators: same order.
    assert (ka < kb) == (ka.replace(SEPARATOR, "") < kb.replace(SEPARATOR, ""))
