"""The reference tables themselves, as plain data with their sources (loaded by :mod:`congvu.org.reference`).

Every table cites where it comes from; the tags ([C] confirmed, [R] recalled, [L] lead from public code)
are those of ``shared/domain/regulations.md``. Administrative units are not here: they come from the
pinned ``vietnam_provinces`` package, and the 63 pre-2025 province names from
``congvu.rules.personal_id.PRE_2025_PROVINCES``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# --- Administrative units -------------------------------------------------------------------------------

AREAS_VALID_FROM = dt.date(2025, 7, 1)  # Decision 19/2025/QĐ-TTg codes in use nationwide from 01/07/2025
PRE_2025_VALID_TO = dt.date(2025, 6, 30)  # last day of the 63-province map (NQ 202/2025/QH15)
PRE_2025_SOURCE = "Thông tư 59/2021/TT-BCA (mã tỉnh cũ); NQ 202/2025/QH15 (sáp nhập)"

# The 2025 province (2-digit code) each pre-2025 province (3-digit personal-ID prefix) was merged into,
# from regulations.md §6.1 "Merged from" [C]; 075←070 and 080←072 are marked [R] there.
PRE_2025_SUCCESSOR: dict[str, str] = {
    "001": "01",  # Hà Nội
    "002": "08",  # Hà Giang → Tuyên Quang
    "004": "04",  # Cao Bằng
    "006": "19",  # Bắc Kạn → Thái Nguyên
    "008": "08",  # Tuyên Quang
    "010": "15",  # Lào Cai → Lào Cai (code 15 = old Yên Bái)
    "011": "11",  # Điện Biên
    "012": "12",  # Lai Châu
    "014": "14",  # Sơn La
    "015": "15",  # Yên Bái → Lào Cai
    "017": "25",  # Hòa Bình → Phú Thọ
    "019": "19",  # Thái Nguyên
    "020": "20",  # Lạng Sơn
    "022": "22",  # Quảng Ninh
    "024": "24",  # Bắc Giang → Bắc Ninh (code 24 = old Bắc Giang)
    "025": "25",  # Phú Thọ
    "026": "25",  # Vĩnh Phúc → Phú Thọ
    "027": "24",  # Bắc Ninh
    "030": "31",  # Hải Dương → Hải Phòng
    "031": "31",  # Hải Phòng
    "033": "33",  # Hưng Yên
    "034": "33",  # Thái Bình → Hưng Yên
    "035": "37",  # Hà Nam → Ninh Bình
    "036": "37",  # Nam Định → Ninh Bình
    "037": "37",  # Ninh Bình
    "038": "38",  # Thanh Hóa
    "040": "40",  # Nghệ An
    "042": "42",  # Hà Tĩnh
    "044": "44",  # Quảng Bình → Quảng Trị (code 44 = old Quảng Bình)
    "045": "44",  # Quảng Trị
    "046": "46",  # Huế
    "048": "48",  # Đà Nẵng
    "049": "48",  # Quảng Nam → Đà Nẵng
    "051": "51",  # Quảng Ngãi
    "052": "52",  # Bình Định → Gia Lai (code 52 = old Bình Định)
    "054": "66",  # Phú Yên → Đắk Lắk
    "056": "56",  # Khánh Hòa
    "058": "56",  # Ninh Thuận → Khánh Hòa
    "060": "68",  # Bình Thuận → Lâm Đồng
    "062": "51",  # Kon Tum → Quảng Ngãi
    "064": "52",  # Gia Lai
    "066": "66",  # Đắk Lắk
    "067": "68",  # Đắk Nông → Lâm Đồng
    "068": "68",  # Lâm Đồng
    "070": "75",  # Bình Phước → Đồng Nai [R]
    "072": "80",  # Tây Ninh (code 80 = old Long An) [R]
    "074": "79",  # Bình Dương → TP Hồ Chí Minh
    "075": "75",  # Đồng Nai
    "077": "79",  # Bà Rịa–Vũng Tàu → TP Hồ Chí Minh
    "079": "79",  # TP Hồ Chí Minh
    "080": "80",  # Long An → Tây Ninh
    "082": "82",  # Tiền Giang → Đồng Tháp (code 82 = old Tiền Giang)
    "083": "86",  # Bến Tre → Vĩnh Long
    "084": "86",  # Trà Vinh → Vĩnh Long
    "086": "86",  # Vĩnh Long
    "087": "82",  # Đồng Tháp
    "089": "91",  # An Giang (code 91 = old Kiên Giang)
    "091": "91",  # Kiên Giang → An Giang
    "092": "92",  # Cần Thơ
    "093": "92",  # Hậu Giang → Cần Thơ
    "094": "92",  # Sóc Trăng → Cần Thơ
    "095": "96",  # Bạc Liêu → Cà Mau
    "096": "96",  # Cà Mau
}

# Centrally-run cities among the 63. Thừa Thiên Huế (046) is kept a "tỉnh" to match the name we store,
# though it became Thành phố Huế, a centrally-run city, for its last six months (01/01/2025 [R]).
PRE_2025_CITIES = frozenset({"001", "031", "048", "079", "092"})

# --- Central agencies (Resolution 176/2025/QH15, operating from 01/03/2025) --------------------------------

NATION_NAME = "Chính phủ nước CHXHCN Việt Nam"
CENTRAL_VALID_FROM = dt.date(2025, 3, 1)
CENTRAL_LEGAL_BASIS = "Nghị quyết 176/2025/QH15"


@dataclass(frozen=True)
class Agency:
    name: str
    kind: str  # an OrgUnit.Kind value
    agency_code: str = ""  # QĐ 20/2020/QĐ-TTg electronic ID; blank unless sourced


# Agency codes: [L] leads seen in several independent public codebases (document exchange with the
# Government Office, payment gateways) and in the code standard's own example (G12 = Bộ Tài chính).
# Left blank for every agency we have not seen sourced, and for those renamed or created in 2025.
CENTRAL_AGENCIES: tuple[Agency, ...] = (
    Agency("Bộ Quốc phòng", "ministry"),
    Agency("Bộ Công an", "ministry"),
    Agency("Bộ Ngoại giao", "ministry"),
    Agency("Bộ Nội vụ", "ministry", "000.00.00.G09"),
    Agency("Bộ Tư pháp", "ministry"),
    Agency("Bộ Tài chính", "ministry", "000.00.00.G12"),
    Agency("Bộ Công Thương", "ministry"),
    Agency("Bộ Nông nghiệp và Môi trường", "ministry"),
    Agency("Bộ Xây dựng", "ministry", "000.00.00.G17"),
    Agency("Bộ Văn hóa, Thể thao và Du lịch", "ministry"),
    Agency("Bộ Khoa học và Công nghệ", "ministry"),
    Agency("Bộ Giáo dục và Đào tạo", "ministry"),
    Agency("Bộ Y tế", "ministry"),
    Agency("Bộ Dân tộc và Tôn giáo", "ministry"),
    Agency("Ngân hàng Nhà nước Việt Nam", "ministerial_agency"),
    Agency("Thanh tra Chính phủ", "ministerial_agency"),
    Agency("Văn phòng Chính phủ", "ministerial_agency", "000.00.00.G22"),
    # The five Government agencies: the count is [C]; the names are [I/R] (regulations.md §6.3).
    Agency("Thông tấn xã Việt Nam", "government_agency"),
    Agency("Đài Tiếng nói Việt Nam", "government_agency"),
    Agency("Đài Truyền hình Việt Nam", "government_agency"),
    Agency("Viện Hàn lâm Khoa học và Công nghệ Việt Nam", "government_agency"),
    Agency("Viện Hàn lâm Khoa học xã hội Việt Nam", "government_agency"),
)

# --- Salary (Decree 204/2004/NĐ-CP, effective 01/10/2004) -----------------------------------------------

SALARY_VALID_FROM = dt.date(2004, 10, 1)
SALARY_LEGAL_BASIS = "Nghị định 204/2004/NĐ-CP, Bảng 2"


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    coefficients: tuple[str, ...]  # step 1, 2, … as printed
    legal_basis: str = SALARY_LEGAL_BASIS
    notes: str = ""


_RECALLED = (
    "[R] Hệ số nhớ lại, chưa đối chiếu văn bản: nguồn S38 bị cắt ở nhóm C2/C3 (regulations.md §4.1). "
    "Recalled, not re-verified against the decree."
)

# regulations.md §4.1, "Full Decree 204/2004 civil-servant table" [C] S38, S38c; C2/C3 [R].
SALARY_GROUPS: tuple[Group, ...] = (
    Group("A3.1", "Công chức loại A3, nhóm 1", ("6.20", "6.56", "6.92", "7.28", "7.64", "8.00")),
    Group("A3.2", "Công chức loại A3, nhóm 2", ("5.75", "6.11", "6.47", "6.83", "7.19", "7.55")),
    Group("A2.1", "Công chức loại A2, nhóm 1", ("4.40", "4.74", "5.08", "5.42", "5.76", "6.10", "6.44", "6.78")),
    Group("A2.2", "Công chức loại A2, nhóm 2", ("4.00", "4.34", "4.68", "5.02", "5.36", "5.70", "6.04", "6.38")),
    Group("A1", "Công chức loại A1",
          ("2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98")),
    Group("A0", "Công chức loại A0",
          ("2.10", "2.41", "2.72", "3.03", "3.34", "3.65", "3.96", "4.27", "4.58", "4.89")),
    Group("B", "Công chức loại B",
          ("1.86", "2.06", "2.26", "2.46", "2.66", "2.86", "3.06", "3.26", "3.46", "3.66", "3.86", "4.06")),
    Group("C1", "Công chức loại C, nhóm 1",
          ("1.65", "1.83", "2.01", "2.19", "2.37", "2.55", "2.73", "2.91", "3.09", "3.27", "3.45", "3.63")),
    Group("C2", "Công chức loại C, nhóm 2",
          ("1.50", "1.68", "1.86", "2.04", "2.22", "2.40", "2.58", "2.76", "2.94", "3.12", "3.30", "3.48"),
          legal_basis=SALARY_LEGAL_BASIS + " (hệ số chưa xác minh)", notes=_RECALLED),
    Group("C3", "Công chức loại C, nhóm 3",
          ("1.35", "1.53", "1.71", "1.89", "2.07", "2.25", "2.43", "2.61", "2.79", "2.97", "3.15", "3.33"),
          legal_basis=SALARY_LEGAL_BASIS + " (hệ số chưa xác minh)", notes=_RECALLED),
)


@dataclass(frozen=True)
class RankRow:
    code: str
    name: str
    group: str
    months_per_step: int


RANK_LEGAL_BASIS = "Thông tư 2/2021/TT-BNV, Điều 14; Thông tư 08/2013/TT-BNV, Điều 2"

# Circular 2/2021/TT-BNV Art 14 [C] S38b (codes [L/R]). Holding period, Circular 08/2013 Art 2 [C] S40:
# 36 months for ranks requiring college or higher (A0 and above), 24 months for the rest (B, C).
# The driver (lái xe cơ quan) rank is left out: its code is not sourced (regulations.md §4.1).
RANKS: tuple[RankRow, ...] = (
    RankRow("01.001", "Chuyên viên cao cấp", "A3.1", 36),
    RankRow("01.002", "Chuyên viên chính", "A2.1", 36),
    RankRow("01.003", "Chuyên viên", "A1", 36),
    RankRow("01.004", "Cán sự", "A0", 36),
    RankRow("01.005", "Nhân viên", "B", 24),
)

# Base salary (lương cơ sở), VND per month [C] S39; earlier amounts are not loaded.
BASE_SALARIES: tuple[tuple[dt.date, int, str], ...] = (
    (dt.date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (dt.date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (dt.date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP, Điều 3"),
)


@dataclass(frozen=True)
class Allowance:
    code: str
    name: str
    default_pct: Decimal
    legal_basis: str
    notes: str


ALLOWANCES: tuple[Allowance, ...] = (
    Allowance(
        "cong_vu", "Phụ cấp công vụ", Decimal("25"), "Nghị định 34/2012/NĐ-CP, Điều 3",
        "25 % của (lương theo ngạch, bậc + phụ cấp chức vụ lãnh đạo + phụ cấp thâm niên vượt khung). "
        "[C] qua ví dụ của Công văn 1814/BNV (regulations.md §3.2); điều khoản [R].",
    ),
    Allowance(
        "vuot_khung", "Phụ cấp thâm niên vượt khung", Decimal("5"), "Nghị định 204/2004/NĐ-CP, Điều 6 khoản 1",
        "5 % lương bậc cuối sau 3 năm ở bậc cuối (loại A0–A3) hoặc 2 năm (loại B, C), "
        "từ năm sau mỗi năm thêm 1 %. [R] nhớ lại, chưa đối chiếu văn bản.",
    ),
    Allowance(
        "kiem_nhiem", "Phụ cấp kiêm nhiệm chức danh lãnh đạo", Decimal("10"),
        "Nghị định 204/2004/NĐ-CP, Điều 6 khoản 2",
        "10 % của (lương + phụ cấp chức vụ lãnh đạo + phụ cấp thâm niên vượt khung). [R] nhớ lại.",
    ),
)
