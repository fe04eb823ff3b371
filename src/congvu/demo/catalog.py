"""The shape of a provincial administration after the 2025 reorganisation, as plain data.

Each provincial department (sở and equivalents) has a leadership (its head and deputies, placed on
the department itself) and divisions (phòng, văn phòng, chi cục); a few have a public-service unit
(trung tâm) staffed by public employees (viên chức). Each commune (xã/phường/đặc khu, since
01/07/2025) has its People's Committee leaders (elected cadres) and three specialised divisions.

``nominal`` numbers are the headcounts of a "typical" unit; the demo scales the professional and
support positions to the number of people asked for and keeps the leadership fixed.
"""

from __future__ import annotations

from dataclasses import dataclass

from congvu.personnel.models import Category

LEADERSHIP = "leadership"
PROFESSIONAL = "professional"
SUPPORT = "support"

# Rank codes of Circular 2/2021/TT-BNV (administrative civil servants).
SENIOR_EXPERT = "01.001"  # Chuyên viên cao cấp, A3.1
PRINCIPAL_EXPERT = "01.002"  # Chuyên viên chính, A2.1
EXPERT = "01.003"  # Chuyên viên, A1
OFFICER = "01.004"  # Cán sự, A0
CLERK = "01.005"  # Nhân viên, B


@dataclass(frozen=True)
class PositionSpec:
    """One job position of a unit: its title, group, rank choices (code → weight) and nominal headcount."""

    key: str
    name: str
    group: str
    nominal: int
    ranks: tuple[tuple[str | None, float], ...]
    category: str = Category.CIVIL_SERVANT
    allowance: str = "0"  # position allowance coefficient (phụ cấp chức vụ)
    birth_years: tuple[int, int] = (1966, 2003)
    scalable: bool = True  # leadership stays fixed when the demo grows


def leader(key: str, name: str, nominal: int, ranks: tuple[tuple[str | None, float], ...], allowance: str,
           birth_years: tuple[int, int], category: str = Category.CIVIL_SERVANT) -> PositionSpec:
    return PositionSpec(key, name, LEADERSHIP, nominal, ranks, category, allowance, birth_years, scalable=False)


def department_leadership(head: str, deputy: str) -> tuple[PositionSpec, ...]:
    return (
        leader("head", head, 1, ((SENIOR_EXPERT, 0.4), (PRINCIPAL_EXPERT, 0.6)), "0.80", (1966, 1978)),
        leader("deputy", deputy, 3, ((SENIOR_EXPERT, 0.1), (PRINCIPAL_EXPERT, 0.9)), "0.60", (1966, 1984)),
    )


def division_positions(head: str = "Trưởng phòng", deputy: str = "Phó Trưởng phòng", size: int = 9,
                       category: str = Category.CIVIL_SERVANT) -> tuple[PositionSpec, ...]:
    """Leadership, professional and support positions of a division (or public-service unit)."""
    public = category == Category.PUBLIC_EMPLOYEE
    return (
        leader("head", head, 1, ((PRINCIPAL_EXPERT, 0.7), (EXPERT, 0.3)), "0.40", (1966, 1986), category),
        leader("deputy", deputy, 2, ((PRINCIPAL_EXPERT, 0.4), (EXPERT, 0.6)), "0.30", (1966, 1991), category),
        PositionSpec("senior", "Chuyên viên chính" if not public else "Viên chức hạng II", PROFESSIONAL,
                     max(1, size // 4), ((PRINCIPAL_EXPERT, 1.0),), category, birth_years=(1966, 1987)),
        PositionSpec("expert", "Chuyên viên" if not public else "Viên chức hạng III", PROFESSIONAL, size,
                     ((EXPERT, 0.9), (OFFICER, 0.1)), category),
        PositionSpec("clerk", "Văn thư, thủ quỹ", SUPPORT, 1, ((CLERK, 1.0),), category),
        PositionSpec("driver", "Lái xe, bảo vệ", SUPPORT, 1, ((None, 1.0),), Category.CONTRACT),
    )


@dataclass(frozen=True)
class DivisionSpec:
    name: str
    kind: str = "division"  # OrgUnit.Kind value
    size: int = 8
    head: str = "Trưởng phòng"
    deputy: str = "Phó Trưởng phòng"
    category: str = Category.CIVIL_SERVANT


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    head: str
    deputy: str
    divisions: tuple[DivisionSpec, ...]


def office(name: str = "Văn phòng", size: int = 7) -> DivisionSpec:
    return DivisionSpec(name, size=size, head="Chánh Văn phòng", deputy="Phó Chánh Văn phòng")


def centre(name: str, size: int = 12) -> DivisionSpec:
    return DivisionSpec(name, kind="public_service_unit", size=size, head="Giám đốc", deputy="Phó Giám đốc",
                        category=Category.PUBLIC_EMPLOYEE)


def phong(*names: str, size: int = 8) -> tuple[DivisionSpec, ...]:
    return tuple(DivisionSpec(n, size=size) for n in names)


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("Văn phòng Ủy ban nhân dân tỉnh", "Chánh Văn phòng", "Phó Chánh Văn phòng", (
        *phong("Phòng Hành chính – Tổ chức", "Phòng Tổng hợp", "Phòng Kinh tế", "Phòng Khoa giáo – Văn xã",
               "Phòng Nội chính", "Phòng Quản trị – Tài vụ"),
        centre("Trung tâm Phục vụ hành chính công tỉnh", size=15),
    )),
    DepartmentSpec("Sở Nội vụ", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Tổ chức, biên chế và tổ chức phi chính phủ", "Phòng Công chức, viên chức",
               "Phòng Xây dựng chính quyền và công tác thanh niên", "Phòng Lao động, tiền lương và bảo hiểm xã hội",
               "Phòng Người có công", "Phòng Việc làm và an toàn lao động"),
        DivisionSpec("Ban Thi đua – Khen thưởng", size=8, head="Trưởng ban", deputy="Phó Trưởng ban"),
    )),
    DepartmentSpec("Sở Tài chính", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Quản lý ngân sách", "Phòng Tài chính đầu tư", "Phòng Quản lý giá và công sản",
               "Phòng Đăng ký kinh doanh", "Phòng Tổng hợp, quy hoạch", size=9),
    )),
    DepartmentSpec("Sở Xây dựng", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Quản lý hoạt động xây dựng", "Phòng Quy hoạch – Kiến trúc", "Phòng Phát triển đô thị",
               "Phòng Quản lý giao thông", "Phòng Quản lý nhà và thị trường bất động sản"),
    )),
    DepartmentSpec("Sở Y tế", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Phòng Kế hoạch – Tài chính",
               "Phòng Tổ chức cán bộ", "Phòng Dân số và Bảo trợ xã hội"),
        centre("Trung tâm Kiểm soát bệnh tật", size=20),
    )),
    DepartmentSpec("Sở Giáo dục và Đào tạo", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Giáo dục Mầm non", "Phòng Giáo dục Phổ thông",
               "Phòng Giáo dục nghề nghiệp và Giáo dục thường xuyên", "Phòng Khảo thí và Quản lý chất lượng",
               "Phòng Tổ chức cán bộ"),
    )),
    DepartmentSpec("Sở Nông nghiệp và Môi trường", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Trồng trọt và Bảo vệ thực vật", "Phòng Chăn nuôi và Thú y", "Phòng Quản lý đất đai",
               "Phòng Tài nguyên nước, khoáng sản và biến đổi khí hậu", "Phòng Môi trường", size=9),
        DivisionSpec("Chi cục Thủy lợi", size=10, head="Chi cục trưởng", deputy="Phó Chi cục trưởng"),
        centre("Trung tâm Khuyến nông", size=14),
    )),
    DepartmentSpec("Sở Công Thương", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Quản lý công nghiệp", "Phòng Quản lý thương mại", "Phòng Quản lý năng lượng",
               "Phòng Kỹ thuật an toàn và Môi trường"),
        DivisionSpec("Chi cục Quản lý thị trường", size=14, head="Chi cục trưởng", deputy="Phó Chi cục trưởng"),
    )),
    DepartmentSpec("Sở Tư pháp", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật", "Phòng Phổ biến, giáo dục pháp luật",
               "Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp", size=7),
    )),
    DepartmentSpec("Sở Văn hóa, Thể thao và Du lịch", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Quản lý văn hóa và gia đình", "Phòng Quản lý thể dục thể thao", "Phòng Quản lý du lịch",
               "Phòng Báo chí, xuất bản"),
    )),
    DepartmentSpec("Sở Khoa học và Công nghệ", "Giám đốc", "Phó Giám đốc", (
        office(),
        *phong("Phòng Quản lý khoa học", "Phòng Chuyển đổi số", "Phòng Bưu chính, viễn thông",
               "Phòng Tiêu chuẩn đo lường chất lượng", size=7),
    )),
    DepartmentSpec("Sở Dân tộc và Tôn giáo", "Giám đốc", "Phó Giám đốc", (
        office(size=5),
        *phong("Phòng Chính sách dân tộc", "Phòng Quản lý tôn giáo", size=6),
    )),
    DepartmentSpec("Thanh tra tỉnh", "Chánh Thanh tra", "Phó Chánh Thanh tra", (
        office(size=5),
        *phong("Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3",
               "Phòng Tiếp công dân và xử lý đơn thư", size=7),
    )),
    DepartmentSpec("Ban Quản lý các khu công nghiệp", "Trưởng ban", "Phó Trưởng ban", (
        office(size=5),
        *phong("Phòng Quản lý đầu tư", "Phòng Quản lý doanh nghiệp và lao động",
               "Phòng Quản lý quy hoạch, xây dựng và môi trường", size=6),
    )),
    DepartmentSpec("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "Chánh Văn phòng",
                   "Phó Chánh Văn phòng", (
        *phong("Phòng Công tác Quốc hội", "Phòng Công tác Hội đồng nhân dân",
               "Phòng Hành chính, tổ chức, quản trị", size=6),
    )),
)

#: The department whose head the demo "head" user is, and the division of the demo manager and staff.
DEMO_HEAD_DEPARTMENT = "Sở Nội vụ"
DEMO_MANAGER_DIVISION = "Phòng Công chức, viên chức"


def commune_leadership() -> tuple[PositionSpec, ...]:
    """The commune People's Committee: an elected chair and vice-chairs (cadres)."""
    return (
        leader("head", "Chủ tịch Ủy ban nhân dân", 1, ((PRINCIPAL_EXPERT, 0.5), (EXPERT, 0.5)), "0.50",
               (1966, 1982), Category.CADRE),
        leader("deputy", "Phó Chủ tịch Ủy ban nhân dân", 2, ((PRINCIPAL_EXPERT, 0.2), (EXPERT, 0.8)), "0.40",
               (1966, 1988), Category.CADRE),
    )


def commune_divisions(is_ward: bool) -> tuple[DivisionSpec, ...]:
    economic = "Phòng Kinh tế, Hạ tầng và Đô thị" if is_ward else "Phòng Kinh tế"
    return (
        DivisionSpec("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", size=5, head="Chánh Văn phòng",
                     deputy="Phó Chánh Văn phòng"),
        DivisionSpec(economic, size=5),
        DivisionSpec("Phòng Văn hóa – Xã hội", size=4),
    )
