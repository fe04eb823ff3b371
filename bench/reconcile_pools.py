"""Distributions behind the synthetic population of ``bench/reconcile_generate.py``.

Sources and assumptions (the figures are rounded; what matters for matching is the *shape*):

- Provinces: 2019 census population in thousands for the 63 pre-2025 provinces (GSO, rounded). A person's
  ID prefix is the province of birth registration drawn from these weights.
- Years of birth 1935–2024: a rough age pyramid (few people born before 1950, a plateau 1975–2005, a small
  dip after 2010).
- Family names: the shares usually quoted for Vietnam (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 % …), the
  demo's list extended with rarer names.
- Middle names depend on sex and cohort: "Văn" / "Thị" are the majority for people born before 1970 and
  a minority after 1990, when two-syllable middles ("Minh Đức", "Ngọc Bảo") and many other single ones
  are common. About 2 % have no middle name.
- Given names: a few hundred per sex, the frequent ones first, with Zipf-like weights
  ``1 / (rank + 8) ** 0.95``; the most common given name is about 2.5 % of its sex. Real registers are
  more varied than this (thousands of given names), so the ambiguity measured on this population (how
  many people share name, date of birth and sex) is an upper bound; the benchmark reports it.
"""

from __future__ import annotations

PROVINCE_POPULATION: dict[str, int] = {
    "001": 8054, "002": 854, "004": 530, "006": 314, "008": 785, "010": 731, "011": 599, "012": 460,
    "014": 1248, "015": 821, "017": 854, "019": 1287, "020": 782, "022": 1321, "024": 1804, "025": 1464,
    "026": 1152, "027": 1369, "030": 1893, "031": 2029, "033": 1253, "034": 1861, "035": 853, "036": 1781,
    "037": 983, "038": 3641, "040": 3327, "042": 1289, "044": 896, "045": 633, "046": 1129, "048": 1135,
    "049": 1496, "051": 1232, "052": 1487, "054": 873, "056": 1232, "058": 591, "060": 1231, "062": 541,
    "064": 1514, "066": 1870, "067": 622, "068": 1297, "070": 995, "072": 1170, "074": 2426, "075": 3097,
    "077": 1149, "079": 8993, "080": 1689, "082": 1765, "083": 1289, "084": 1010, "086": 1023, "087": 1600,
    "089": 1908, "091": 1724, "092": 1236, "093": 734, "094": 1200, "095": 907, "096": 1194,
}  # fmt: skip


def year_weight(year: int) -> float:
    """Relative number of living people born in ``year`` (a rough 2025 age pyramid)."""
    if year < 1950:
        return 0.15 + 0.35 * (year - 1935) / 15
    if year < 1975:
        return 0.5 + 0.5 * (year - 1950) / 25
    if year <= 2005:
        return 1.0
    if year <= 2012:
        return 0.95
    return 0.9


FAMILY: dict[str, float] = {
    "Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 4.0, "Huỳnh": 1.3, "Phan": 4.5,
    "Vũ": 2.9, "Võ": 1.2, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0,
    "Lý": 0.5, "Đinh": 1.1, "Trịnh": 1.0, "Mai": 0.8, "Đào": 0.9, "Lương": 0.6, "Trương": 0.6,
    "Đoàn": 0.6, "Tạ": 0.5, "Hà": 0.4, "Cao": 0.5, "Lưu": 0.4, "Vương": 0.3, "Phùng": 0.3, "Tô": 0.3,
    "Lâm": 0.3, "Chu": 0.3, "Kiều": 0.2, "Tống": 0.2, "Nghiêm": 0.2, "Quách": 0.2, "Khúc": 0.1,
    "Lại": 0.2, "Triệu": 0.2, "Thái": 0.2, "Giang": 0.1, "Lã": 0.1, "Vi": 0.1, "Mạc": 0.1, "Hứa": 0.1,
    "Châu": 0.1, "Âu": 0.05, "Bạch": 0.05, "Cù": 0.05, "Diệp": 0.05, "Doãn": 0.05, "Đàm": 0.1,
    "Hàn": 0.05, "Hầu": 0.05, "Kim": 0.05, "La": 0.05, "Lò": 0.05, "Lục": 0.05, "Mẫn": 0.03,
    "Ninh": 0.05, "Nông": 0.1, "Quan": 0.05, "Thân": 0.05, "Thạch": 0.05, "Tiêu": 0.03, "Từ": 0.05,
    "Ông": 0.03, "Văn": 0.05, "Khổng": 0.03, "Khương": 0.03, "Giáp": 0.05, "Ngọ": 0.02, "Ung": 0.02,
}  # fmt: skip

_MALE_MIDDLE_OTHER = ["Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân", "Ngọc", "Duy", "Mạnh", "Trung", "Tiến", "Quốc", "Anh", "Hoàng", "Việt", "Hồng", "Đình", "Trọng", "Bá", "Khắc", "Gia", "Tuấn", "Hải", "Thế", "Kim", "Chí", "Nhật", "Thành", "Huy", "Phú", "Bảo", "Đăng", "Tấn", "Thái", "Hoài", "Trí", "Nam", "Phước", "Quý", "Sỹ", "Như", "Thiện", "Thịnh", "Vĩnh", "Hùng", "Cao", "Khánh", "Đại", "Hà", "Long", "Phi", "Sơn", "Tường", "Tùng", "Văn"]
_FEMALE_MIDDLE_OTHER = ["Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Mai", "Kim", "Bích", "Khánh", "Lan", "Hoài", "Diệu", "Hải", "Bảo", "Quỳnh", "Như", "Mỹ", "Tuyết", "Ánh", "Hà", "Hương", "Vân", "Thúy", "Cẩm", "Yến", "Thảo", "Gia", "Tú", "Xuân", "Hoàng", "Hạnh", "Kiều", "Huyền", "Ngân", "Linh", "Lệ", "Diễm", "Nhã", "Trà", "Tường", "Uyên", "An", "Bảo", "Châu", "Khả", "Tâm", "Thục"]
_SECOND_AFTER_THI = ["Thu", "Ngọc", "Thanh", "Minh", "Kim", "Hồng", "Thúy", "Phương", "Bích", "Mai", "Lan", "Hải", "Tuyết", "Hoài", "Diệu", "Mỹ"]

MALE_GIVEN = ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Anh", "Thắng", "Sơn", "Trung", "Cường", "Thành", "Huy", "Đức", "Hiếu", "Phong", "Quân", "Khánh", "Hoàng", "Tùng", "Bình", "Hưng", "Vinh", "Đạt", "Việt", "Tú", "Kiên", "Lâm", "Tâm", "Quang", "Phúc", "An", "Duy", "Hiệp", "Thịnh", "Toàn", "Nghĩa", "Hòa", "Mạnh", "Chiến", "Tiến", "Thanh", "Giang", "Dương", "Trường", "Lộc", "Tài", "Trí", "Khoa", "Đông", "Thái", "Tân", "Bảo", "Công", "Hậu", "Hiển", "Hợp", "Lợi", "Ninh", "Quý", "Thuận", "Tuân", "Vũ", "Định", "Hào", "Kỳ", "Thăng", "Cương", "Phương", "Tấn", "Sang", "Thông", "Tín", "Luân", "Lực", "Khải", "Khang", "Khôi", "Kiệt", "Nhân", "Phát", "Phú", "Quyết", "Sinh", "Thiện", "Thiên", "Triều", "Trọng", "Tường", "Vương", "Hiền", "Hội", "Lương", "Năng", "Nhật", "Quốc", "Sỹ", "Tạo", "Thạch", "Thế", "Thuật", "Toản", "Trực", "Tư", "Uy", "Vĩnh", "Xuân", "Bắc", "Chính", "Chung", "Cảnh", "Doanh", "Điệp", "Độ", "Đoàn", "Được", "Giáp", "Hà", "Hân", "Hoan", "Học", "Huấn", "Hướng", "Kha", "Khiêm", "Khương", "Kim", "Lãm", "Lân", "Linh", "Luyện", "Mẫn", "Nguyên", "Nhất", "Pháp", "Phi", "Phụng", "Quảng", "Quyền", "Sáng", "Sâm", "Thọ", "Thủy", "Tiệp", "Tình", "Trình", "Truyền", "Tuyến", "Tưởng", "Út", "Vịnh", "Yên", "Bách", "Bằng", "Biên", "Cần", "Châu", "Chuyên", "Diện", "Dự", "Đàm", "Đăng", "Điền", "Đỉnh", "Đồng", "Giao", "Hạ", "Hanh", "Hảo", "Hiệu", "Hoạt", "Hồng", "Huân", "Hữu", "Kế", "Khiết", "Lai", "Lam", "Lễ", "Liêm", "Lĩnh", "Ngọc", "Nhượng", "Quế", "Sử", "Sửu", "Tá", "Thìn", "Thiết", "Thoại", "Thức", "Tịnh", "Trãi", "Triệu", "Túc", "Tuyên", "Vận", "Viên", "Vỹ", "Xứng", "Ân", "Ẩn", "Bôn", "Cát", "Chức", "Dần", "Đệ", "Đoan", "Đống", "Hạnh", "Hòe", "Huỳnh", "Khuê", "Kiểm", "Lạc", "Liệu", "Mão", "Mừng", "Ngà", "Ngạn", "Nho", "Oánh", "Phán", "Phổ", "Quỳnh", "Sắc", "Soạn", "Tài", "Tặng", "Thạc", "Thảo", "Thắm", "Thục", "Thường", "Tiếp", "Toán", "Tráng", "Tuệ", "Uyên", "Vấn", "Vỵ", "Xương", "Yến", "Ý", "Bửu", "Cẩn", "Dinh", "Duẩn", "Giám", "Hách", "Hoạch", "Khởi", "Lập", "Mỹ", "Nghị"]

FEMALE_GIVEN = ["Hương", "Lan", "Hoa", "Hà", "Linh", "Trang", "Thảo", "Huyền", "Ngọc", "Mai", "Nga", "Phương", "Thủy", "Hằng", "Yến", "Nhung", "Dung", "Loan", "Oanh", "Hạnh", "Hiền", "Thu", "Vân", "Anh", "Trinh", "Giang", "Quỳnh", "Liên", "Hồng", "Nhàn", "Hòa", "Tâm", "Thanh", "Thúy", "Tuyết", "Nhi", "Vy", "Châu", "Diệp", "Ly", "Ngân", "Chi", "Hậu", "Thư", "Uyên", "Xuân", "Duyên", "Lệ", "Sương", "Tươi", "Hải", "Lý", "Minh", "My", "Nguyệt", "Phượng", "Quyên", "Thơ", "Trâm", "Vui", "Lương", "Lụa", "Nhạn", "Bích", "Cúc", "Diễm", "Đào", "Gấm", "Hạ", "Hân", "Hiên", "Hoài", "Huệ", "Khánh", "Khuê", "Kiều", "Kim", "Lam", "Liễu", "Luyến", "Mận", "Mến", "Miên", "Mơ", "Na", "Nguyên", "Nhiên", "Nhụ", "Nương", "Phấn", "Phúc", "Quế", "Quý", "Sen", "Thắm", "Thêu", "Thoa", "Thuận", "Thục", "Thương", "Thùy", "Tiên", "Trà", "Trúc", "Tú", "Tuyền", "Uyển", "Vi", "Viên", "Xoan", "Yên", "Ánh", "Ái", "Bảo", "Bình", "Dịu", "Dương", "Điệp", "Giao", "Hảo", "Hiếu", "Hoan", "Hợi", "Huyên", "Hường", "Khanh", "Lài", "Lành", "Lộc", "Mỹ", "Ngà", "Ngát", "Nhã", "Nhài", "Ninh", "Nụ", "Phụng", "Sáu", "Tám", "Thịnh", "Thơm", "Tình", "Trầm", "Út", "Xinh", "Ân", "Băng", "Cẩm", "Chúc", "Dạ", "Đan", "Gia", "Hạnh", "Hoàn", "Huyền", "Khiết", "Kha", "Lê", "Lựu", "Mùi", "Ngoan", "Nhiệm", "Oanh", "Phi", "Quyền", "Sa", "Sinh", "Tân", "Thái", "Thiện", "Thìn", "Thoan", "Thuần", "Tỉnh", "Tố", "Trinh", "Tuệ", "Vân", "Vinh", "Xuyến", "Yên", "Bông", "Chanh", "Diệu", "Đoan", "Hằng", "Hiệp", "Hồi", "Khuyên", "Len", "Liên", "Loan", "Miền", "Nết", "Phước", "Quyến", "Sáng", "Thanh", "Thủy", "Tươi", "Tuyến", "Uyên", "Vàng", "Vượng", "Yêu"]


def _zipf(values: list[str]) -> dict[str, float]:
    unique = list(dict.fromkeys(values))
    return {v: 1 / (rank + 8) ** 0.95 for rank, v in enumerate(unique)}


def given_names(sex: str) -> dict[str, float]:
    return _zipf(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)


def _cohort_share(cohort: int, old: float, mid: float, young: float) -> float:
    return (old, mid, young)[cohort]


def middle_names(sex: str, cohort: int) -> dict[str, float]:
    """Middle-name distribution for a sex and cohort (0: born before 1970, 1: 1970–1989, 2: 1990 on)."""
    others = _zipf(_MALE_MIDDLE_OTHER if sex == "M" else _FEMALE_MIDDLE_OTHER)
    total_others = sum(others.values())
    plain = "Văn" if sex == "M" else "Thị"
    plain_share = _cohort_share(cohort, 0.45, 0.30, 0.12) if sex == "M" else _cohort_share(cohort, 0.62, 0.45, 0.18)
    two_share = _cohort_share(cohort, 0.03, 0.08, 0.20)
    none_share = 0.02
    single_share = 1 - plain_share - two_share - none_share
    dist: dict[str, float] = {"": none_share}
    if sex == "F":
        # a share of the "Thị" women carry a second middle name ("Thị Thu")
        thi_two = 0.2
        dist[plain] = plain_share * (1 - thi_two)
        seconds = _zipf(_SECOND_AFTER_THI)
        seconds_total = sum(seconds.values())
        for s, w in seconds.items():
            dist[f"{plain} {s}"] = plain_share * thi_two * w / seconds_total
    else:
        dist[plain] = plain_share
    for v, w in others.items():
        dist[v] = dist.get(v, 0) + single_share * w / total_others
    pairs = [(a, b) for a in list(others)[:25] for b in list(others)[:25] if a != b]
    pair_weight = {f"{a} {b}": others[a] * others[b] for a, b in pairs}
    pair_total = sum(pair_weight.values())
    for v, w in pair_weight.items():
        dist[v] = dist.get(v, 0) + two_share * w / pair_total
    return dist
