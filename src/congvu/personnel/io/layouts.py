"""The three file layouts: people, units, job positions. The exporter writes ``label``s in this order;
the importer accepts them and their synonyms in any order and case, with or without diacritics."""

from __future__ import annotations

from congvu.personnel.io.headers import Column, Schema

C = Column

_IGNORED = (
    C("_stt", "STT", ("TT", "Số TT", "Số thứ tự"), ignored=True),
    C("_note", "Ghi chú", ("Ghi chu",), ignored=True),
)

PEOPLE = Schema(
    name="people",
    title="DANH SÁCH CÁN BỘ, CÔNG CHỨC",
    columns=(
        C("personal_id", "Số định danh cá nhân", (
            "Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "Căn cước công dân", "Mã định danh",
            "Số định danh", "Mã định danh cá nhân", "Số CCCD/ĐDCN", "Số CCCD/Số định danh cá nhân",
        )),
        C("full_name", "Họ và tên", ("Họ tên", "Họ, tên", "Họ và tên khai sinh", "Họ tên khai sinh"), max_length=160),
        C("family_name", "Họ", ("Họ và tên / Họ",), max_length=40),
        C("middle_name", "Chữ đệm", ("Tên đệm", "Đệm", "Họ và tên / Chữ đệm", "Họ và tên / Tên đệm"), max_length=80),
        C("given_name", "Tên", ("Họ và tên / Tên", "Tên gọi"), max_length=40),
        C("old_id", "Số CMND", ("CMND", "Số chứng minh nhân dân", "Chứng minh nhân dân", "Số CMTND", "CMTND")),
        C("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Năm sinh", "Sinh ngày")),
        C("sex", "Giới tính", ("Nam/Nữ", "Giới")),
        C("ethnicity", "Dân tộc", (), max_length=40),
        C("religion", "Tôn giáo", (), max_length=40),
        C("party_member", "Đảng viên", ("Là đảng viên", "Đảng viên ĐCSVN")),
        C("party_joined_on", "Ngày vào Đảng", ("Ngày kết nạp Đảng", "Ngày kết nạp", "Đảng viên / Ngày vào Đảng")),
        C("hometown", "Quê quán", (), max_length=255),
        C("birthplace", "Nơi sinh", (), max_length=255),
        C("education_level", "Trình độ chuyên môn", (
            "Trình độ chuyên môn cao nhất", "Trình độ", "Chuyên môn", "Trình độ đào tạo",
        )),
        C("political_theory_level", "Lý luận chính trị", ("Trình độ lý luận chính trị", "LLCT", "Trình độ LLCT")),
        C("category", "Loại", ("Loại cán bộ", "Đối tượng", "Phân loại", "Loại CBCCVC", "Cán bộ/Công chức/Viên chức")),
        C("unit", "Đơn vị", ("Đơn vị công tác", "Mã đơn vị", "Cơ quan, đơn vị", "Cơ quan đơn vị", "Phòng ban")),
        C("unit_name", "Tên đơn vị", ("Tên cơ quan, đơn vị",)),
        C("position", "Vị trí việc làm", ("VTVL", "Vị trí", "Tên vị trí việc làm")),
        C("position_code", "Mã vị trí", ("Mã vị trí việc làm", "Mã VTVL")),
        C("title", "Chức vụ", ("Chức vụ hiện tại", "Chức vụ, chức danh", "Chức danh"), max_length=120),
        C("rank", "Mã ngạch", (
            "Ngạch", "Mã ngạch/chức danh", "Mã ngạch, chức danh", "Mã chức danh nghề nghiệp", "Mã CDNN",
            "Mã ngạch/CDNN", "Lương / Mã ngạch", "Lương / Ngạch",
        )),
        C("salary_step", "Bậc lương", ("Bậc", "Lương / Bậc", "Lương / Bậc lương")),
        C("step_since", "Ngày hưởng bậc", (
            "Ngày hưởng", "Thời điểm hưởng", "Ngày xếp bậc", "Lương / Ngày hưởng", "Lương / Ngày hưởng bậc",
            "Lương / Thời điểm hưởng",
        )),
        C("position_allowance", "Phụ cấp chức vụ", (
            "Hệ số phụ cấp chức vụ", "PCCV", "Phụ cấp / Chức vụ", "Phụ cấp / Phụ cấp chức vụ",
        )),
        C("seniority_pct", "Phụ cấp vượt khung (%)", (
            "Phụ cấp vượt khung", "Vượt khung", "Vượt khung (%)", "PCVK", "Phụ cấp / Vượt khung",
            "Phụ cấp / Vượt khung (%)", "Phụ cấp / Phụ cấp vượt khung (%)",
        )),
        C("percent_allowances", "Phụ cấp khác (%)", ("Phụ cấp theo % khác", "Phụ cấp / Khác (%)")),
        C("start_date", "Ngày bắt đầu", ("Ngày bắt đầu công tác", "Từ ngày", "Ngày bắt đầu giữ")),
        C("decision_number", "Số quyết định", ("Số QĐ", "Quyết định số", "Số quyết định bổ nhiệm"), max_length=60),
        C("insured_months", "Số tháng đóng BHXH", (
            "Số tháng đóng bảo hiểm xã hội", "Thời gian đóng BHXH (tháng)", "Số tháng BHXH",
        )),
        *_IGNORED,
    ),
    required=(
        (("personal_id",),),
        (("full_name",), ("family_name", "given_name")),
        (("birth_date",),),
        (("sex",),),
        (("category",),),
        (("unit",), ("unit_name",)),
    ),
)

#: The order the exporter writes (the columns a person needs first, then employment, then the rest).
PEOPLE_EXPORT = (
    "personal_id", "family_name", "middle_name", "given_name", "birth_date", "sex", "old_id", "category",
    "unit", "position", "title", "rank", "salary_step", "step_since", "position_allowance", "seniority_pct",
    "percent_allowances", "start_date", "decision_number", "insured_months", "education_level",
    "political_theory_level", "hometown", "birthplace", "ethnicity", "religion", "party_member",
    "party_joined_on",
)
SENSITIVE_EXPORT = ("ethnicity", "religion", "party_member", "party_joined_on")

UNITS = Schema(
    name="units",
    title="DANH SÁCH CƠ QUAN, ĐƠN VỊ",
    columns=(
        C("code", "Mã đơn vị", ("Mã", "Mã cơ quan", "Mã ĐVQHNS"), max_length=35),
        C("name", "Tên đơn vị", ("Tên", "Tên cơ quan, đơn vị", "Tên cơ quan", "Đơn vị"), max_length=255),
        C("kind", "Loại", ("Loại đơn vị", "Cấp", "Loại hình")),
        C("parent", "Mã đơn vị cấp trên", ("Đơn vị cấp trên", "Cơ quan cấp trên", "Mã cấp trên", "Trực thuộc")),
        C("valid_from", "Ngày hiệu lực", ("Ngày thành lập", "Hiệu lực từ ngày", "Từ ngày")),
        C("agency_code", "Mã định danh điện tử", ("Mã định danh", "Mã cơ quan điện tử"), max_length=35),
        C("legal_basis", "Căn cứ", ("Căn cứ pháp lý", "Quyết định thành lập", "Số quyết định"), max_length=255),
        *_IGNORED,
    ),
    required=((("name",),), (("kind",),), (("parent",),)),
)
UNITS_EXPORT = ("code", "name", "kind", "parent", "valid_from", "agency_code", "legal_basis")

POSITIONS = Schema(
    name="positions",
    title="DANH MỤC VỊ TRÍ VIỆC LÀM",
    columns=(
        C("unit", "Mã đơn vị", ("Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị")),
        C("code", "Mã vị trí", ("Mã VTVL", "Mã vị trí việc làm", "Mã"), max_length=40),
        C("name", "Tên vị trí", ("Tên vị trí việc làm", "Vị trí việc làm", "Tên VTVL"), max_length=255),
        C("group", "Nhóm", ("Nhóm vị trí", "Nhóm vị trí việc làm", "Nhóm VTVL")),
        C("rank", "Mã ngạch", ("Ngạch", "Mã ngạch/chức danh", "Ngạch tương ứng", "Mã ngạch/CDNN")),
        C("headcount_quota", "Biên chế", ("Số biên chế", "Số lượng biên chế", "Số người làm việc", "Chỉ tiêu biên chế")),
        C("valid_from", "Ngày hiệu lực", ("Từ ngày", "Hiệu lực từ ngày")),
        *_IGNORED,
    ),
    required=((("unit",),), (("name",),), (("group",),), (("headcount_quota",),)),
)
POSITIONS_EXPORT = ("unit", "code", "name", "group", "rank", "headcount_quota", "valid_from")
