"""The decision drafted when an entry is accepted, in the Decree 30/2020/NĐ-CP layout (Appendix I, form of an
individual decision): issuing authority and number on the left, the national motto and the place and date on
the right, "QUYẾT ĐỊNH" with its subject, the legal bases, the articles, recipients and the signature.

The content is built once, stored on the ``Decision`` (so a reprint is the same text) and rendered to PDF by
WeasyPrint with the same fonts as the evaluation forms.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from congvu.consequences.models import Decision, Entry, Kind
from congvu.evaluation.documents import place_of, superior_of
from congvu.org.models import JobPosition, OrgUnit

if TYPE_CHECKING:
    from congvu.consequences.decisions import AcceptInput

TEMPLATE = "web/consequences/pdf_decision.html"
ROUTING = "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;"

SUBJECTS = {
    Kind.STEP_RAISE: "Về việc nâng bậc lương thường xuyên",
    Kind.EARLY_RAISE: "Về việc nâng bậc lương trước thời hạn do lập thành tích xuất sắc",
    Kind.HIGHER_POSITION: "Về việc bố trí vị trí việc làm",
    Kind.STREAMLINING: "Về việc tinh giản biên chế",
    Kind.VACANCY: "Về việc phê duyệt nhu cầu tuyển dụng công chức",
}
BASES = {
    Kind.STEP_RAISE: ["Căn cứ Nghị định số 204/2004/NĐ-CP ngày 14/12/2004 của Chính phủ về chế độ tiền lương;",
                      "Căn cứ Thông tư số 08/2013/TT-BNV ngày 31/7/2013 của Bộ Nội vụ (sửa đổi, bổ sung bởi Thông tư số 03/2021/TT-BNV);"],
    Kind.EARLY_RAISE: ["Căn cứ Nghị định số 204/2004/NĐ-CP ngày 14/12/2004 của Chính phủ về chế độ tiền lương;",
                       "Căn cứ Nghị định số 17/2013/NĐ-CP ngày 19/02/2013 của Chính phủ;",
                       "Căn cứ Thông tư số 08/2013/TT-BNV ngày 31/7/2013 của Bộ Nội vụ (sửa đổi, bổ sung bởi Thông tư số 03/2021/TT-BNV);"],
    Kind.HIGHER_POSITION: ["Căn cứ Nghị định số 170/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về tuyển dụng, sử dụng và quản lý công chức;"],
    Kind.REVIEW: ["Căn cứ Luật Cán bộ, công chức số 80/2025/QH15;",
                  "Căn cứ Nghị định số 170/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về tuyển dụng, sử dụng và quản lý công chức;",
                  "Căn cứ Nghị định số 335/2025/NĐ-CP của Chính phủ về đánh giá, xếp loại chất lượng công chức;"],
    Kind.STREAMLINING: ["Căn cứ Nghị định số 154/2025/NĐ-CP ngày 15/6/2025 của Chính phủ về tinh giản biên chế;",
                        "Căn cứ Nghị định số 135/2020/NĐ-CP ngày 18/11/2020 của Chính phủ quy định về tuổi nghỉ hưu;"],
    Kind.VACANCY: ["Căn cứ Nghị định số 170/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về tuyển dụng, sử dụng và quản lý công chức;"],
}


# Who signs for the agency (Decree 30/2020 Appendix I: the title of the head, then the agency's name above it).
HEAD_TITLES = {
    OrgUnit.Kind.MINISTRY: "BỘ TRƯỞNG",
    OrgUnit.Kind.MINISTERIAL_AGENCY: "THỦ TRƯỞNG",
    OrgUnit.Kind.GOVERNMENT_AGENCY: "THỦ TRƯỞNG",
    OrgUnit.Kind.PROVINCE: "CHỦ TỊCH",
    OrgUnit.Kind.COMMUNE: "CHỦ TỊCH",
    OrgUnit.Kind.PROVINCIAL_DEPARTMENT: "GIÁM ĐỐC",
    OrgUnit.Kind.DEPARTMENT: "CỤC TRƯỞNG",
    OrgUnit.Kind.PUBLIC_SERVICE_UNIT: "GIÁM ĐỐC",
}


def head_title(agency: OrgUnit) -> str:
    """"GIÁM ĐỐC" for a department (Sở), "CHỦ TỊCH" for a People's Committee, "BỘ TRƯỞNG" for a ministry."""
    return HEAD_TITLES.get(OrgUnit.Kind(agency.kind), "THỦ TRƯỞNG") if agency.kind in OrgUnit.Kind.values else "THỦ TRƯỞNG"


def vnd(amount: int | None) -> str:
    return f"{amount or 0:,}".replace(",", ".")


def _d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _person_line(entry: Entry) -> str:
    person = entry.person
    if person is None:
        return ""
    honorific = "ông" if person.sex == "M" else "bà"
    return f"{honorific} {person.full_name}, {entry.unit.name}"


def _articles(entry: Entry, data: AcceptInput, effective: dt.date) -> list[str]:
    who = _person_line(entry)
    ev = entry.evidence.get("facts", {})
    if entry.kind in (Kind.STEP_RAISE, Kind.EARLY_RAISE):
        how = "thường xuyên" if entry.kind == Kind.STEP_RAISE else "trước thời hạn"
        return [
            f"Nâng bậc lương {how} đối với {who}: ngạch {ev.get('rank_name') or ev.get('rank', '')}, "
            f"từ bậc {ev.get('step')} (hệ số {ev.get('coefficient_now', '').replace('.', ',')}) lên bậc "
            f"{entry.new_step} (hệ số {str(entry.new_coefficient or '').replace('.', ',')}), "
            f"kể từ ngày {_d(effective)}. Thời gian xét nâng bậc lương lần sau tính từ ngày {_d(effective)}.",
        ]
    if entry.kind == Kind.HIGHER_POSITION:
        return [f"Bố trí {who} vào vị trí việc làm «{entry.position}» kể từ ngày {_d(effective)}; "
                "ngạch và bậc lương được xếp theo vị trí việc làm mới."]
    if entry.kind == Kind.REVIEW:
        if data.outcome == "terminate":
            return [f"Cho thôi việc đối với {who}, do không hoàn thành nhiệm vụ năm {entry.run.year}, "
                    f"kể từ ngày {_d(effective)}."]
        target = JobPosition.objects.filter(pk=data.target_position_id or 0).first()
        return [f"Bố trí {who} vào vị trí việc làm thấp hơn «{target}» kể từ ngày {_d(effective)}, "
                f"do không hoàn thành nhiệm vụ năm {entry.run.year}."]
    if entry.kind == Kind.STREAMLINING:
        path = ev.get("path")
        how = "nghỉ hưu trước tuổi" if path == "early_retirement" else "thôi việc ngay"
        return [
            f"Giải quyết tinh giản biên chế đối với {who} theo hình thức {how}, "
            f"kể từ ngày {_d(effective)} (trường hợp {', '.join(ev.get('cases', []))} khoản 1 Điều 2 "
            "Nghị định số 154/2025/NĐ-CP).",
            f"{_sentence(who)} được hưởng chế độ: {ev.get('benefit_months', '').replace('.', ',')} tháng "
            f"tiền lương hiện hưởng ({vnd(ev.get('monthly_salary'))} đồng/tháng), tổng cộng {vnd(entry.benefit_vnd)} đồng.",
        ]
    return [f"Phê duyệt nhu cầu tuyển dụng {entry.count} chỉ tiêu vào vị trí việc làm «{entry.position}» "
            f"thuộc {entry.unit.name}."]


def decision_content(entry: Entry, data: AcceptInput, *, signed_on: dt.date, effective: dt.date) -> dict[str, Any]:
    agency = entry.run.agency
    kind = Kind(entry.kind)
    subject = SUBJECTS.get(kind, "")
    if kind == Kind.REVIEW:
        subject = "Về việc cho thôi việc" if data.outcome == "terminate" else "Về việc bố trí vị trí việc làm thấp hơn"
    articles = _articles(entry, data, effective)
    articles.append("Văn phòng, phòng Tổ chức cán bộ, các đơn vị có liên quan và "
                    + (f"{_person_line(entry).split(',')[0]} chịu trách nhiệm thi hành Quyết định này."
                       if entry.person else "các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này."))
    return {
        "title": _sentence(subject.removeprefix("Về việc ")),
        "subject": subject,
        "agency": agency.name,
        "superior": superior_of(agency),
        "place": place_of(agency),
        "authority": f"{head_title(agency)} {agency.name.upper()}",
        "bases": [ROUTING, *BASES.get(kind, []),
                  f"Căn cứ kết quả đánh giá, xếp loại chất lượng công chức năm {entry.run.year};",
                  "Theo đề nghị của Trưởng phòng Tổ chức cán bộ."],
        "articles": articles,
        "recipients": ["Như Điều " + str(len(articles)) + ";", "Lưu: VT, TCCB."],
        "signer": head_title(agency),
        "outcome": data.outcome,
        "target_position_id": data.target_position_id,
        "signed_on": signed_on.isoformat(),
        "effective_date": effective.isoformat(),
        "rule": entry.evidence.get("rule", ""),
        "article": entry.evidence.get("article", ""),
    }


def render_html(decision: Decision) -> str:
    return render_to_string(TEMPLATE, {"d": decision, "c": decision.content})


def render_pdf(decision: Decision) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type information

    pdf: bytes = HTML(string=render_html(decision)).write_pdf()
    return pdf


def filename(decision: Decision) -> str:
    return f"quyet-dinh-{decision.number}-{decision.year}-{decision.symbol.replace('Đ', 'D')}.pdf"
