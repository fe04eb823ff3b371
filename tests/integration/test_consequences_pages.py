"""The consequence pages ("có vào, có ra, có lên, có xuống") through the Django test client.

The scenario (:func:`build_consequences`): Sở Nội vụ Hà Nội's 2025 classification is published. Chị Hà
(chuyên viên, bậc 3 since 01/04/2022, rated at least "completed" every year) is due her regular step raise
on 01/04/2025; anh Bình was rated "not completed" in 2025, so he is up for a termination / lower-position
review and is a streamlining candidate (case g, quit path with 15 insured years); chị Lan has a written
commendation (an early-raise candidate); Phòng Công chức, viên chức has two vacant "chuyên viên chính"
seats, for which Hà is a higher-position candidate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congvu.access.models import Role
from congvu.consequences import lists
from congvu.consequences.models import Decision, Entry, Kind, ListRun, PastRating, Status
from congvu.core.models import AuditEntry
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus, Level
from congvu.org.models import JobPosition, Rank
from congvu.org.reference import load_base_salaries, load_salary_tables
from congvu.personnel.models import Employment, Person
from tests.factories import World, build_world, person, user

YEAR = 2025
CHUYEN_VIEN, CHUYEN_VIEN_CHINH = "01.003", "01.002"


@dataclass
class Scenario:
    world: World
    run: ListRun
    lan: Person
    position: JobPosition

    def entry(self, kind: str, who: Person | None = None) -> Entry:
        rows = Entry.objects.filter(run=self.run, kind=kind)
        if who is not None:
            rows = rows.filter(person=who)
        return rows.get()


def _place(who: Person, rank: Rank, step: int, since: dt.date, insured_months: int = 0) -> None:
    Employment.objects.filter(person=who, end_date__isnull=True).update(
        rank=rank, salary_step=step, step_since=since, percent_allowances=Decimal(25))
    Person.objects.filter(pk=who.pk).update(insured_months=insured_months)


def _publish(w: World, levels: dict[Person, tuple[str, str]]) -> AnnualRun:
    now = timezone.now()
    run = AnnualRun.objects.create(
        agency=w.so_noi_vu, year=YEAR, status=AnnualStatus.PUBLISHED, excellent_ratio=Decimal("0.20"),
        rule_set_id="nd335_2025.v1", computed_at=now, head_approved_at=now,
        published_at=timezone.make_aware(dt.datetime(YEAR + 1, 1, 10, 9, 0)), people=len(levels))
    AnnualResult.objects.bulk_create(
        AnnualResult(run=run, person=p, unit=p.current_unit, quota_unit=w.so_noi_vu, role="staff",
                     periods_worked=12, annual_score=Decimal(score), level_by_score=level, level=level)
        for p, (level, score) in levels.items()
    )
    return run


def build_consequences() -> Scenario:
    load_salary_tables()
    load_base_salaries()
    w = build_world()
    cv = Rank.objects.get(code=CHUYEN_VIEN)
    cvc = Rank.objects.get(code=CHUYEN_VIEN_CHINH)
    lan = person(("Trịnh", "Ngọc", "Lan"), w.phong_tccb, birth_year=1990)
    _place(w.ha, cv, 3, dt.date(YEAR - 3, 4, 1), insured_months=150)
    _place(w.binh, cv, 5, dt.date(YEAR - 1, 7, 1), insured_months=180)
    _place(lan, cv, 2, dt.date(YEAR - 2, 9, 1), insured_months=90)
    for who in (w.ha, w.binh, lan):
        for year in range(YEAR - 5, YEAR):
            PastRating.objects.create(person=who, year=year, level=Level.GOOD, source="Quyết định xếp loại hằng năm")
    for who in (w.ha, w.binh, lan):
        who.refresh_from_db()
    _publish(w, {w.ha: (Level.EXCELLENT, "93.50"), w.binh: (Level.NOT_COMPLETED, "45.00"),
                 lan: (Level.GOOD, "85.00")})
    lan.rewards.create(title="Bằng khen của Chủ tịch UBND Thành phố", decided_on=dt.date(YEAR, 9, 2),
                       decision_number="321/QĐ-UBND")
    position = JobPosition.objects.create(
        unit=w.phong_ccvc, code="CVC-01", name="Chuyên viên chính về quản lý công chức",
        group=JobPosition.Group.PROFESSIONAL, rank=cvc, headcount_quota=2, valid_from=dt.date(2020, 1, 1))
    run = lists.compute(w.users["hr"], w.so_noi_vu, YEAR)
    return Scenario(w, run, lan, position)


pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> Scenario:
    return build_consequences()


def client_for(s: Scenario, who: str) -> Client:
    c = Client()
    c.force_login(s.world.users[who])
    return c


def board_url(s: Scenario, tab: str = "", **query: str) -> str:
    params = "&".join([*([f"huong={tab}"] if tab else []), *(f"{k}={v}" for k, v in query.items())])
    return f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/" + (f"?{params}" if params else "")


def text_of(response: Any) -> str:
    return response.content.decode()


def test_hr_sees_the_board_with_four_tabs_their_counts_and_each_list(s: Scenario) -> None:
    c = client_for(s, "hr")
    page = c.get(board_url(s))
    assert page.status_code == 200
    html = text_of(page)
    for label, count in (("Vào", 1), ("Ra", 1), ("Lên", 4), ("Xuống", 1)):
        assert f'{label} <span class="count">({count})</span>' in html
    assert "Chuyên viên chính về quản lý công chức" in html  # the vacancy (the first tab)
    up = text_of(c.get(board_url(s, "len")))
    assert "Nguyễn Thị Thu Hà" in up
    assert "bậc 4, hệ số 3,33" in up
    assert "965.250 ₫" in up
    assert "ngoài chỉ tiêu" in up  # Lan's early raise is outside the 10 % quota of a 3-person payroll
    assert "Vị trí «Chuyên viên chính về quản lý công chức» (Phòng Công chức, viên chức): 2 chỗ trống" in up
    out = text_of(c.get(board_url(s, "ra")))
    assert "Trần Văn Bình" in out
    assert "272.990.250 ₫" in out
    assert "Thôi việc ngay" in out
    down = text_of(c.get(board_url(s, "xuong")))
    assert "Trần Văn Bình" in down
    assert "09/02/2026" in down


def test_the_board_filters_by_name_unit_kind_and_status(s: Scenario) -> None:
    c = client_for(s, "hr")
    found = text_of(c.get(board_url(s, "len", q="thu ha")))
    assert "Nguyễn Thị Thu Hà" in found
    assert "Trịnh Ngọc Lan" not in found
    tccb = text_of(c.get(board_url(s, "len", don_vi=str(s.world.phong_tccb.pk))))
    assert "Trịnh Ngọc Lan" in tccb
    assert "Nguyễn Thị Thu Hà" not in tccb
    raises = text_of(c.get(board_url(s, "len", loai="step_raise")))
    assert "Bậc 3 → 4" in raises
    assert "Ứng viên 1" not in raises
    none = text_of(c.get(board_url(s, "len", trang_thai="accepted")))
    assert 'id="cq-empty"' in none
    by_cost = c.get(board_url(s, "len", sap_xep="-chi-phi"))
    assert by_cost.status_code == 200
    assert 'aria-sort="descending"' in text_of(by_cost)


def test_who_has_no_consequence_right_on_the_agency_gets_404(s: Scenario) -> None:
    hue_hr = user("tccb_hue", Role.HR, s.world.so_tai_chinh_hue)
    entry = s.entry(Kind.STEP_RAISE)
    for who in ("staff", "manager"):
        c = client_for(s, who)
        assert c.get(board_url(s)).status_code == 404
        assert c.get(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/chi-phi/").status_code == 404
        assert c.get(f"/su-dung-ket-qua/muc/{s.entry(Kind.REVIEW).pk}/").status_code == 404
    c = Client()
    c.force_login(hue_hr)
    assert c.get(board_url(s)).status_code == 404
    assert c.get(f"/su-dung-ket-qua/muc/{entry.pk}/").status_code == 404
    assert c.post(f"/su-dung-ket-qua/muc/{entry.pk}/khong-chap-nhan/", {"reason": "x"}).status_code == 404


def test_the_person_sees_their_own_entry_read_only_and_on_their_page(s: Scenario) -> None:
    c = client_for(s, "staff")  # chị Hà
    raise_ = s.entry(Kind.STEP_RAISE)
    page = c.get(f"/su-dung-ket-qua/muc/{raise_.pk}/")
    html = text_of(page)
    assert page.status_code == 200
    assert "01/04/2022 + 36 tháng (nhóm A1) = 01/04/2025" in html
    assert "3,00 × 2.340.000 × (1 + 25,00/100)" in html
    assert "Điều 2 Thông tư 08/2013/TT-BNV" in html
    assert 'id="form-accept"' not in html
    assert c.post(f"/su-dung-ket-qua/muc/{raise_.pk}/chap-nhan/", {"confirm": "on"}).status_code == 403
    mine = text_of(c.get(f"/can-bo/{s.world.ha.pk}/"))
    assert "Sử dụng kết quả đánh giá" in mine
    assert f"/su-dung-ket-qua/muc/{raise_.pk}/" in mine
    assert "tt08_2013.regular_raise" in mine


def test_the_person_section_shows_only_to_the_person_and_consequence_readers(s: Scenario) -> None:
    url = f"/can-bo/{s.world.binh.pk}/"
    assert "person-consequences" in text_of(client_for(s, "hr").get(url))
    assert "person-consequences" in text_of(client_for(s, "inspector").get(url))
    assert "person-consequences" not in text_of(client_for(s, "staff").get(url))  # Hà reads Bình's record, not his lists


def test_hr_accepts_a_step_raise_the_register_changes_from_the_effective_date_with_an_audit_entry(s: Scenario) -> None:
    c = client_for(s, "hr")
    entry = s.entry(Kind.STEP_RAISE)
    refused = c.post(f"/su-dung-ket-qua/muc/{entry.pk}/chap-nhan/", {})
    assert refused.status_code == 400
    assert "Hãy đánh dấu xác nhận trước khi chấp nhận." in text_of(refused)
    done = c.post(f"/su-dung-ket-qua/muc/{entry.pk}/chap-nhan/", {"signed_on": "15/03/2025", "confirm": "on"},
                  follow=True)
    html = text_of(done)
    decision = Decision.objects.get(entry=entry)
    assert f"Đã chấp nhận và ban hành Quyết định số {decision.reference}." in html
    assert decision.reference == "1/QĐ-SNV"
    assert decision.effective_date == dt.date(YEAR, 4, 1)
    assert "Đã áp dụng vào hồ sơ" in html
    assert f"/su-dung-ket-qua/quyet-dinh/{decision.pk}.pdf" in html
    current = Employment.objects.get(person=s.world.ha, end_date__isnull=True)
    assert (current.salary_step, current.start_date, current.decision_number) == (4, dt.date(YEAR, 4, 1), "1/QĐ-SNV")
    assert AuditEntry.objects.filter(object_type="entry", object_id=str(entry.pk), after__status="accepted").exists()
    assert AuditEntry.objects.filter(object_type="employment", subject_person_id=s.world.ha.pk,
                                     reason__contains="1/QĐ-SNV").exists()
    assert "Chuyển trạng thái: Đã chấp nhận" in html
    assert "Ban hành quyết định số 1/QĐ-SNV" in html
    again = c.post(f"/su-dung-ket-qua/muc/{entry.pk}/chap-nhan/", {"confirm": "on"})
    assert again.status_code == 400
    assert "Mục này đã được quyết định (Đã chấp nhận)." in text_of(again)
    assert 'id="form-accept"' not in text_of(c.get(f"/su-dung-ket-qua/muc/{entry.pk}/"))
    assert Decision.objects.filter(entry=entry).count() == 1


def test_reject_and_defer_need_a_reason_which_is_recorded(s: Scenario) -> None:
    c = client_for(s, "hr")
    early = s.entry(Kind.EARLY_RAISE)
    empty = c.post(f"/su-dung-ket-qua/muc/{early.pk}/hoan/", {"reason": "  "})
    assert empty.status_code == 400
    assert "Ghi rõ lý do." in text_of(empty)
    assert c.post(f"/su-dung-ket-qua/muc/{early.pk}/hoan/", {"reason": "Chờ chỉ tiêu năm sau"}).status_code == 302
    early.refresh_from_db()
    assert (early.status, early.reason) == (Status.DEFERRED, "Chờ chỉ tiêu năm sau")
    empty = c.post(f"/su-dung-ket-qua/muc/{early.pk}/khong-chap-nhan/", {"reason": ""})
    assert empty.status_code == 400
    assert "Ghi rõ lý do." in text_of(empty)
    c.post(f"/su-dung-ket-qua/muc/{early.pk}/khong-chap-nhan/", {"reason": "Ngoài chỉ tiêu 10 %"})
    early.refresh_from_db()
    assert early.status == Status.REJECTED
    history = text_of(c.get(f"/su-dung-ket-qua/muc/{early.pk}/"))
    assert "Chờ chỉ tiêu năm sau" in history
    assert "Ngoài chỉ tiêu 10 %" in history
    assert AuditEntry.objects.filter(object_type="entry", object_id=str(early.pk)).count() == 2


def test_a_review_needs_an_outcome_and_a_lower_position_then_the_pdf_is_drafted(s: Scenario) -> None:
    c = client_for(s, "head")
    review = s.entry(Kind.REVIEW)
    url = f"/su-dung-ket-qua/muc/{review.pk}/chap-nhan/"
    no_outcome = c.post(url, {"confirm": "on"})
    assert no_outcome.status_code == 400
    assert "Chọn: cho thôi việc hoặc bố trí vị trí việc làm thấp hơn." in text_of(no_outcome)
    no_target = c.post(url, {"confirm": "on", "outcome": "lower_position"})
    assert no_target.status_code == 400
    assert "Chọn vị trí việc làm thấp hơn." in text_of(no_target)
    lower = JobPosition.objects.create(unit=s.world.phong_tccb, code="CS-01", name="Cán sự văn thư",
                                       group=JobPosition.Group.SUPPORT, headcount_quota=1,
                                       valid_from=dt.date(2020, 1, 1))
    assert "Cán sự văn thư" in text_of(c.get(f"/su-dung-ket-qua/muc/{review.pk}/"))
    ok = c.post(url, {"confirm": "on", "outcome": "lower_position", "target_position": str(lower.pk),
                      "signed_on": "20/01/2026", "effective_date": "01/02/2026"})
    assert ok.status_code == 302
    decision = Decision.objects.get(entry=review)
    pdf = c.get(f"/su-dung-ket-qua/quyet-dinh/{decision.pk}.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client_for(s, "staff").get(f"/su-dung-ket-qua/quyet-dinh/{decision.pk}.pdf").status_code == 404


def test_the_board_export_has_the_rows_of_the_tab_and_filters(s: Scenario) -> None:
    from openpyxl import load_workbook

    c = client_for(s, "hr")
    url = f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/excel/?huong=len"
    response = c.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-len.xlsx"')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert len(rows) == 4
    headers = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    raise_row = next(r for r in rows if r[1] == "Nâng bậc lương thường xuyên")
    values = dict(zip(headers, raise_row, strict=True))
    assert values["Họ và tên"] == "Nguyễn Thị Thu Hà"
    assert values["Bậc mới"] == 4
    assert values["Tăng mỗi tháng (đồng)"] == 965250
    assert values["Ngày hưởng bậc mới"].date() == dt.date(YEAR, 4, 1)
    filtered = load_workbook(BytesIO(c.get(url + "&q=lan").content)).active
    assert [r[2] for r in filtered.iter_rows(min_row=4, values_only=True) if r[0]] == ["Trịnh Ngọc Lan"] * 2


def test_the_cost_page_and_its_export_show_the_totals_per_unit(s: Scenario) -> None:
    from openpyxl import load_workbook

    c = client_for(s, "hr")
    html = text_of(c.get(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/chi-phi/"))
    assert '<div class="big" id="total-benefit-eligible">272.990.250 ₫</div>' in html
    assert '<div class="big" id="total-benefit-accepted">0 ₫</div>' in html
    assert '<div class="big" id="total-raise-year">8.687.250 ₫</div>' in html
    assert '<div class="big" id="total-raise-full">11.583.000 ₫</div>' in html
    assert 'id="chart-benefit"' in html
    assert "Phòng Tổ chức cán bộ" in html
    c.post(f"/su-dung-ket-qua/muc/{s.entry(Kind.STREAMLINING).pk}/chap-nhan/", {"confirm": "on"})
    html = text_of(c.get(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/chi-phi/"))
    assert '<div class="big" id="total-benefit-accepted">272.990.250 ₫</div>' in html
    book = load_workbook(BytesIO(c.get(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/chi-phi/excel/").content))
    rows = [r for r in book.active.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows[-1][0] == "Tổng cộng"
    assert rows[-1][3] == 272990250
    assert rows[-1][4] == 272990250
    assert rows[-1][9] == 8687250
    assert rows[-1][10] == 965250 * 12


def test_the_index_lists_the_year_and_making_lists_before_publication_is_refused_with_a_message(s: Scenario) -> None:
    c = client_for(s, "hr")
    html = text_of(c.get("/su-dung-ket-qua/"))
    assert "Sở Nội vụ" in html
    assert "Làm mới danh sách" in html
    assert "Sử dụng kết quả" in html  # the navigation item
    AnnualRun.objects.create(agency=s.world.so_noi_vu, year=YEAR + 1, excellent_ratio=Decimal("0.20"),
                             rule_set_id="nd335_2025.v1", computed_at=timezone.now())
    refused = c.post(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR + 1}/lap-danh-sach/", follow=True)
    assert "chưa được công bố: chưa thể lập danh sách." in text_of(refused)
    assert not ListRun.objects.filter(year=YEAR + 1).exists()
    refreshed = c.post(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/lap-danh-sach/", follow=True)
    assert "Đã lập danh sách năm 2025: 7 mục." in text_of(refreshed)
    assert client_for(s, "head").post(f"/su-dung-ket-qua/{s.world.so_noi_vu.pk}/{YEAR}/lap-danh-sach/").status_code == 403
    assert client_for(s, "staff").get("/su-dung-ket-qua/").status_code == 403


def test_the_board_and_entry_read_in_english(s: Scenario) -> None:
    c = client_for(s, "hr")
    c.cookies["django_language"] = "en"
    html = text_of(c.get(board_url(s, "len")))
    assert "Regular salary-step raise" in html
    assert "Up" in html
    entry = text_of(c.get(f"/su-dung-ket-qua/muc/{s.entry(Kind.STEP_RAISE).pk}/"))
    assert "Due date by the holding period" in entry
    assert "Facts used" in entry
