"""Realistic Vietnamese names for synthetic people.

Pure Python (no Django): a seeded :class:`random.Random` in, NFC name parts out.

Family-name shares follow the figures usually quoted for Vietnam as a whole (Nguyễn ≈ 38 %,
Trần ≈ 11 %, Lê ≈ 9.5 %, Phạm ≈ 7 %, Hoàng/Huỳnh ≈ 5 %, Phan ≈ 4.5 %, Vũ/Võ ≈ 3.9 %, then Đặng,
Bùi, Đỗ, Hồ, Ngô, Dương, Lý …), with the northern spellings (Hoàng, Vũ) outweighing the southern
ones (Huỳnh, Võ) because the demo province is in the Red River delta. Middle names depend on sex
(Văn, Đức, Minh … / Thị, Ngọc, Thu …); older women often carry "Thị" plus a second middle name.
Ethnic-minority people draw family names from their own lists (Mường: Đinh, Quách, Bạch, Hà …;
Tày/Nùng: Hoàng, Nông, Lục …).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "FAMILY_WEIGHTS",
    "FEMALE_GIVEN",
    "FEMALE_MIDDLE",
    "MALE_GIVEN",
    "MALE_MIDDLE",
    "GeneratedName",
    "NameGenerator",
    "WeightedChoice",
]

#: Family name → share in percent (the Kinh majority). Sums to 100.
FAMILY_WEIGHTS: dict[str, float] = {
    "Nguyễn": 38.4,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 4.0,
    "Huỳnh": 1.1,
    "Phan": 4.5,
    "Vũ": 2.9,
    "Võ": 1.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Đinh": 1.1,
    "Trịnh": 1.0,
    "Mai": 0.8,
    "Đào": 0.9,
    "Lương": 0.6,
    "Trương": 0.6,
    "Đoàn": 0.6,
    "Tạ": 0.5,
    "Hà": 0.4,
    "Cao": 0.5,
    "Lưu": 0.4,
    "Vương": 0.3,
    "Phùng": 0.3,
    "Tô": 0.3,
    "Lâm": 0.3,
    "Chu": 0.3,
    "Kiều": 0.2,
    "Tống": 0.2,
    "Nghiêm": 0.2,
    "Quách": 0.2,
    "Khúc": 0.1,
    "Lại": 0.2,
    "Triệu": 0.2,
    "Thái": 0.2,
    "Giang": 0.1,
    "Lã": 0.1,
    "Vi": 0.1,
    "Mạc": 0.1,
    "Văn": 0.1,
    "Hứa": 0.1,
}

#: Family names of ethnic minorities present in the Red River delta and its western hills.
MINORITY_FAMILIES: dict[str, Sequence[str]] = {
    "Mường": ("Đinh", "Quách", "Bạch", "Hà", "Bùi", "Phạm", "Xa"),
    "Tày": ("Hoàng", "Nông", "Lục", "Ma", "Hà", "Lương", "Vi"),
    "Thái": ("Lò", "Cầm", "Lường", "Hà", "Vi", "Quàng"),
    "Nùng": ("Hoàng", "Nông", "Lăng", "Chu", "Lục"),
    "Dao": ("Triệu", "Bàn", "Đặng", "Lý", "Phùng"),
    "Hoa": ("Lý", "Trương", "Hứa", "Lâm", "Quách", "Lưu"),
}

# Middle and given names with rough relative weights (most frequent first).
MALE_MIDDLE: dict[str, float] = {
    "Văn": 30, "Đức": 9, "Minh": 8, "Quang": 6, "Hữu": 5, "Công": 4, "Thanh": 4, "Xuân": 3,
    "Ngọc": 3, "Duy": 3, "Mạnh": 3, "Trung": 2, "Tiến": 2, "Quốc": 3, "Anh": 2, "Hoàng": 2,
    "Việt": 2, "Hồng": 2, "Đình": 4, "Trọng": 2, "Bá": 1.5, "Khắc": 1, "Gia": 1.5, "Tuấn": 1,
    "Hải": 1, "Thế": 2, "Kim": 1, "Chí": 1, "Nhật": 1, "Thành": 1.5, "Huy": 1, "Phú": 0.5,
}
FEMALE_MIDDLE: dict[str, float] = {
    "Thị": 42, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Minh": 3, "Phương": 3, "Hồng": 3, "Thùy": 3,
    "Mai": 2, "Kim": 2, "Bích": 2, "Khánh": 2, "Lan": 1.5, "Hoài": 1.5, "Diệu": 1, "Hải": 1.5,
    "Bảo": 1, "Quỳnh": 1.5, "Như": 1, "Mỹ": 1, "Tuyết": 1, "Ánh": 1, "Hà": 1, "Hương": 1,
    "Vân": 1, "Thúy": 1.5, "Cẩm": 0.5,
}
#: Second middle names that follow "Thị" ("Nguyễn Thị Thu Hà").
FEMALE_SECOND_MIDDLE: dict[str, float] = {
    "Thu": 5, "Ngọc": 4, "Thanh": 4, "Minh": 3, "Kim": 3, "Hồng": 3, "Thúy": 2, "Phương": 2,
    "Bích": 2, "Mai": 2, "Lan": 1, "Hải": 1, "Tuyết": 1,
}
MALE_GIVEN: dict[str, float] = {
    "Hùng": 6, "Dũng": 6, "Tuấn": 6, "Minh": 5, "Nam": 5, "Hải": 5, "Long": 4, "Quân": 3,
    "Thắng": 4, "Sơn": 4, "Trung": 4, "Hiếu": 3, "Đức": 3, "Phong": 3, "Cường": 4, "Thành": 4,
    "Huy": 4, "Khánh": 3, "Hoàng": 3, "Tùng": 3, "Bình": 3, "Hưng": 3, "Kiên": 2, "Tú": 2,
    "Việt": 2, "Lâm": 2, "Vinh": 3, "Tâm": 2, "Quang": 2, "Phúc": 2, "An": 2, "Anh": 4,
    "Duy": 2, "Đạt": 3, "Hiệp": 2, "Thịnh": 2, "Lộc": 1.5, "Tài": 1.5, "Toàn": 2, "Trí": 1.5,
    "Nghĩa": 2, "Hòa": 2, "Hào": 1, "Khoa": 1.5, "Đông": 1.5, "Chiến": 2, "Thái": 1.5,
    "Giang": 1.5, "Tiến": 2, "Thanh": 2, "Tân": 1.5, "Bảo": 1, "Công": 1, "Dương": 1.5,
    "Hậu": 1, "Hiển": 1, "Hợp": 1, "Kỳ": 0.5, "Lợi": 1, "Mạnh": 2, "Ninh": 1, "Quý": 1,
    "Thăng": 0.5, "Thuận": 1, "Trường": 1.5, "Tuân": 1, "Vũ": 1, "Cương": 0.5, "Định": 1,
}
FEMALE_GIVEN: dict[str, float] = {
    "Hương": 6, "Lan": 4, "Hoa": 4, "Hà": 5, "Linh": 5, "Trang": 5, "Thảo": 4, "Huyền": 4,
    "Ngọc": 3, "Mai": 4, "Nga": 3, "Phương": 4, "Thủy": 4, "Hằng": 4, "Yến": 3, "Nhung": 3,
    "Dung": 3, "Loan": 2, "Oanh": 2, "Hạnh": 3, "Hiền": 3, "Thu": 2, "Vân": 3, "Anh": 5,
    "Trinh": 1, "Giang": 2, "Quỳnh": 2, "Liên": 2, "Hồng": 2, "Nhàn": 1, "Hòa": 1.5, "Tâm": 1,
    "Thanh": 2, "Thúy": 2, "Tuyết": 1.5, "Nhi": 1, "Vy": 1, "Châu": 1, "Diệp": 0.5, "Ly": 1.5,
    "Ngân": 2, "Chi": 1.5, "Hậu": 1, "Thư": 1, "Uyên": 1, "Xuân": 1, "Duyên": 1.5, "Lệ": 1,
    "Sương": 0.5, "Tươi": 0.5, "Hải": 1, "Lý": 1, "Minh": 1, "My": 1, "Nguyệt": 1.5, "Phượng": 1.5,
    "Quyên": 1, "Thơ": 1, "Trâm": 1, "Vui": 0.5, "Lương": 0.5, "Lụa": 0.5, "Nhạn": 0.5,
}


class WeightedChoice:
    """Draws from a fixed weighted list in O(log n) with one uniform number per draw."""

    def __init__(self, weights: dict[str, float] | Sequence[tuple[str, float]]):
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        if not items or any(w <= 0 for _, w in items):
            raise ValueError("weights must be a non-empty list of positive numbers")
        self.values: tuple[str, ...] = tuple(v for v, _ in items)
        self.cumulative: list[float] = list(itertools.accumulate(w for _, w in items))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class GeneratedName:
    family: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.family, self.middle, self.given) if p)


class NameGenerator:
    """``NameGenerator(rng).name(sex, birth_year, ethnicity)`` → :class:`GeneratedName`.

    ``sex`` is "M" or "F". Older women more often have the plain "Thị"; younger people more often
    have a two-part middle name or a middle name other than Văn/Thị, as in real registers.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._family = WeightedChoice(FAMILY_WEIGHTS)
        self._middle = {"M": WeightedChoice(MALE_MIDDLE), "F": WeightedChoice(FEMALE_MIDDLE)}
        self._second_middle = WeightedChoice(FEMALE_SECOND_MIDDLE)
        self._given = {"M": WeightedChoice(MALE_GIVEN), "F": WeightedChoice(FEMALE_GIVEN)}

    def family(self, ethnicity: str = "Kinh") -> str:
        own = MINORITY_FAMILIES.get(ethnicity)
        if own is not None:
            return self.rng.choice(own)
        return self._family.draw(self.rng)

    def middle(self, sex: str, birth_year: int) -> str:
        first = self._middle[sex].draw(self.rng)
        # Younger generations drift away from the plain Văn/Thị.
        if first in ("Văn", "Thị") and birth_year >= 1985 and self.rng.random() < 0.35:
            first = self._middle[sex].draw(self.rng)
        if sex == "F" and first == "Thị" and self.rng.random() < 0.18:
            second = self._second_middle.draw(self.rng)
            return f"Thị {second}"
        return first

    def given(self, sex: str) -> str:
        return self._given[sex].draw(self.rng)

    def name(self, sex: str, birth_year: int = 1985, ethnicity: str = "Kinh") -> GeneratedName:
        if sex not in ("M", "F"):
            raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
        family = self.family(ethnicity)
        middle = self.middle(sex, birth_year)
        given = self.given(sex)
        if middle == given:  # "Nguyễn Minh Minh" is rare enough to avoid
            middle = "Văn" if sex == "M" else "Thị"
        return GeneratedName(family, middle, given)
