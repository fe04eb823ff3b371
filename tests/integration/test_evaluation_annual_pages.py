"""The annual classification pages (compute, quota line, tie decision, approve, publish, explanation), the
summaries with charts, the PDF and .xlsx downloads and the catalogue pages, through Django's test client."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from congvu.access.models import Role
from congvu.core.models import AuditEntry
from congvu.evaluation import annual
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus, Level, ProductType
from tests.factories import user
from tests.integration.api_support import FAST_HASHERS
from tests.integration.evaluation_annual_support import YearWorld, build_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def yw() -> YearWorld:
    return build_year()


def client_for(yw: YearWorld, role: str) -> Client:
    c = Client()
    c.force_login(yw.world.users[role])
    return c


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def run_url(yw: YearWorld) -> str:
    return f"/danh-gia/xep-loai-nam/{yw.agency.pk}/2026/"


def computed(yw: YearWorld) -> AnnualRun:
    return annual.compute(yw.world.users["hr"], yw.agency, 2026)


# ---- computing and the quota line ------------------------------------------------------------------------------


def test_hr_computes_the_year_from_the_page_and_sees_the_tie_at_the_quota_line(yw):
    hr = client_for(yw, "hr")
    before = hr.get(run_url(yw))
    assert "Chưa tính xếp loại năm 2026" in text_of(before)
    response = hr.post(run_url(yw) + "tinh/", {"ratio": "20", "exception_decision": ""})
    assert response.status_code == 302
    run = AnnualRun.objects.get(agency=yw.agency, year=2026, is_current=True)
    assert run.status == AnnualStatus.QUOTA
    page = text_of(hr.get(run_url(yw)))
    assert "Phòng Công chức, viên chức – không phân nhóm" in page
    assert page.count("Bằng điểm – chờ quyết định") >= 2
    assert "Ngưỡng tỷ lệ: 1 suất xuất sắc" in page
    assert "Ngưỡng tỷ lệ: 0 suất xuất sắc" in page  # Phòng Tổ chức cán bộ: Khoa is over the quota
    assert "Chuyển xuống hoàn thành tốt" in page
    assert "Điều 20 khoản 4 điểm c" in page  # Cường's discipline


def test_a_ratio_above_twenty_percent_without_a_decision_is_refused_inline_and_computes_nothing(yw):
    response = client_for(yw, "hr").post(run_url(yw) + "tinh/", {"ratio": "25", "exception_decision": ""})
    assert response.status_code == 400
    assert "cần quyết định phê duyệt" in text_of(response)
    assert not AnnualRun.objects.exists()


def test_only_hr_computes_and_only_the_head_decides(yw):
    run = computed(yw)
    assert client_for(yw, "head").post(run_url(yw) + "tinh/", {"ratio": "20"}).status_code == 403
    hr = client_for(yw, "hr")
    assert hr.post(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/phe-duyet/", {"confirm": "on"}).status_code == 403
    run.refresh_from_db()
    assert run.status == AnnualStatus.QUOTA


def test_the_head_promotes_one_tied_person_with_a_reason_and_the_other_stays_good(yw):
    run = computed(yw)
    head = client_for(yw, "head")
    url = f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/chon-bang-diem/"
    an, bao = yw.people["an"], yw.people["bao"]
    missing = head.post(url, {"person": an.pk, "reason": " "})
    assert missing.status_code == 400
    assert "Cần ghi lý do lựa chọn." in text_of(missing)
    assert head.post(url, {"person": an.pk, "reason": "Chủ trì đề án cải cách hành chính của Sở"}).status_code == 302
    levels = dict(AnnualResult.objects.filter(run=run, person__in=[an, bao]).values_list("person_id", "level"))
    assert levels == {an.pk: Level.EXCELLENT, bao.pk: Level.GOOD}
    entry = AuditEntry.objects.get(action="evaluation.annual_tie_promote")
    assert entry.reason == "Chủ trì đề án cải cách hành chính của Sở"
    page = text_of(head.get(run_url(yw)))
    assert "Bằng điểm – được chọn" in page
    assert "Chọn vào suất xuất sắc" not in page  # no seat left
    again = head.post(url, {"person": bao.pk, "reason": "Cũng xứng đáng"})
    assert again.status_code == 400
    assert "Đã hết chỉ tiêu" in text_of(again)


def test_approve_needs_the_confirmation_then_publish_opens_the_complaint_window(yw):
    run = computed(yw)
    head = client_for(yw, "head")
    base = f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/"
    unconfirmed = head.post(base + "phe-duyet/", {})
    assert unconfirmed.status_code == 400
    assert "Hãy đánh dấu xác nhận" in text_of(unconfirmed)
    assert head.post(base + "phe-duyet/", {"confirm": "on"}).status_code == 302
    assert head.post(base + "cong-khai/", {"confirm": "on", "complaint_days": "15"}).status_code == 302
    run.refresh_from_db()
    assert run.status == AnnualStatus.COMPLAINT_WINDOW
    assert run.complaint_until == dt.date.today() + dt.timedelta(days=15)
    reopened = head.post(base + "mo-lai/", {"reason": "Phát hiện sai sót điểm tháng 5 của một công chức"})
    assert reopened.status_code == 302
    current = AnnualRun.objects.get(agency=yw.agency, year=2026, is_current=True)
    assert (current.version, current.status) == (2, AnnualStatus.QUOTA)


# ---- who sees what ----------------------------------------------------------------------------------------------


def test_a_civil_servant_sees_only_their_own_result_and_only_once_published(yw):
    run = computed(yw)
    staff = client_for(yw, "staff")
    mine = f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{yw.world.ha.pk}/"
    assert staff.get(mine).status_code == 404
    annual.head_approve(yw.world.users["head"], run)
    annual.publish(yw.world.users["head"], run, dt.date(2027, 1, 10))
    assert staff.get(mine).status_code == 200
    assert "Xếp loại năm" in text_of(staff.get("/"))
    other = f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{yw.people['an'].pk}/"
    assert staff.get(other).status_code == 404
    assert staff.get(run_url(yw)).status_code == 404


def test_a_manager_sees_the_quota_line_of_their_division_and_hue_sees_nothing(yw):
    computed(yw)
    page = text_of(client_for(yw, "manager").get(run_url(yw)))
    assert "Phạm Thị An" in page
    assert "Lý Đăng Khoa" not in page  # Phòng Tổ chức cán bộ is not the manager's
    yw.world.users["hue_hr"] = user("tccb_hue", Role.HR, yw.world.hue)
    assert client_for(yw, "hue_hr").get(run_url(yw)).status_code == 404


def test_the_explanation_page_shows_the_periods_the_transfer_and_the_mean_with_the_stored_score(yw):
    run = computed(yw)
    giang = yw.people["giang"]
    page = text_of(client_for(yw, "hr").get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{giang.pk}/"))
    assert "Sở Tài chính trước khi chuyển công tác" in page
    assert "(88 + 86 + 84 + 85 + 85 + 85 + 85 + 85 + 85 + 85 + 85 + 85) / 12 = 85,25" in page
    assert "Hoàn thành tốt nhiệm vụ" in page
    stored = AnnualResult.objects.get(run=run, person=giang).annual_score
    assert f"{stored:.2f}".replace(".", ",") in page
    ha = text_of(client_for(yw, "hr").get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{yw.world.ha.pk}/"))
    assert "Nghỉ theo chế độ cả kỳ" in ha


def test_the_explanation_warns_when_the_inputs_changed_after_the_computation(yw):
    run = computed(yw)
    yw.people["dung"].disciplines.create(form="warning", decided_on=dt.date(2026, 9, 1),
                                         effective_from=dt.date(2026, 9, 1))
    page = text_of(client_for(yw, "hr").get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{yw.people['dung'].pk}/"))
    assert "Dữ liệu đã thay đổi sau lần tính xếp loại." in page


# ---- downloads --------------------------------------------------------------------------------------------------


def test_the_summary_list_downloads_as_xlsx_for_the_reach_of_the_user(yw):
    run = computed(yw)
    response = client_for(yw, "hr").get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/excel/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 + AnnualResult.objects.filter(run=run).count()
    manager = client_for(yw, "manager")
    assert manager.get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/excel/").status_code == 404
    own_division = manager.get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/excel/?don_vi={yw.world.phong_ccvc.pk}")
    assert own_division.status_code == 200


def test_the_period_form_pdf_is_served_to_whoever_reads_the_sheet(yw):
    url = f"/danh-gia/phieu/{yw.january.pk}/mau-01.pdf"
    response = client_for(yw, "staff").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    yw.world.users["hue_hr"] = user("tccb_hue", Role.HR, yw.world.hue)
    assert client_for(yw, "hue_hr").get(url).status_code == 404


# ---- summaries --------------------------------------------------------------------------------------------------


def test_the_year_summary_of_the_agency_has_averages_levels_statuses_and_svg_charts(yw):
    response = client_for(yw, "head").get(f"/danh-gia/tong-hop/?don_vi={yw.agency.pk}&loai=year&nam=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 3
    page = text_of(response)
    assert "Phân bố mức xếp loại theo điểm bình quân" in page
    assert "Phòng Công chức, viên chức" in page
    assert "Điểm bình quân theo kỳ" in page


def test_the_month_summary_counts_only_that_month_and_a_bad_number_is_refused(yw):
    head = client_for(yw, "head")
    january = text_of(head.get(f"/danh-gia/tong-hop/?don_vi={yw.agency.pk}&loai=month&nam=2026&so=1"))
    assert "Tháng 01/2026" in january
    assert "Phiếu có điểm / phiếu 11 / 11" in january  # Giang was at Sở Tài chính in January
    bad = head.get(f"/danh-gia/tong-hop/?don_vi={yw.agency.pk}&loai=quarter&nam=2026&so=7")
    assert bad.status_code == 400
    assert client_for(yw, "staff").get("/danh-gia/tong-hop/").status_code == 403


# ---- the catalogue ---------------------------------------------------------------------------------------------


def catalogue_file(rows: list[list[object]]) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã sản phẩm", "Tên sản phẩm, công việc", "Đơn vị tính", "Hệ số quy đổi", "Hiệu lực từ ngày"])
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "danh-muc.xlsx"
    return out


def test_hr_adds_a_product_type_with_a_decimal_comma_and_a_duplicate_is_refused_inline(yw):
    unit = yw.world.phong_ccvc
    hr = client_for(yw, "hr")
    data = {"code": "BC01", "name": "Báo cáo chuyên đề", "measure": "báo cáo", "coefficient": "1,5",
            "valid_from": "01/01/2026", "valid_to": "", "position": ""}
    assert hr.post(f"/danh-gia/danh-muc/{unit.pk}/them/", data).status_code == 302
    created = ProductType.objects.get(unit=unit, code="BC01")
    assert (str(created.coefficient), created.status) == ("1.5000", "draft")
    again = hr.post(f"/danh-gia/danh-muc/{unit.pk}/them/", data)
    assert again.status_code == 400
    assert "Đã có sản phẩm cùng mã" in text_of(again)
    assert client_for(yw, "manager").post(f"/danh-gia/danh-muc/{unit.pk}/them/", data).status_code == 403


def test_a_catalogue_file_with_errors_lists_every_bad_cell_and_imports_nothing(yw):
    unit = yw.world.phong_ccvc
    hr = client_for(yw, "hr")
    bad = catalogue_file([["VB01", "Văn bản hành chính", "văn bản", "1", "01/01/2026"],
                          ["VB02", "", "văn bản", "-2", "32/01/2026"]])
    response = hr.post(f"/danh-gia/danh-muc/{unit.pk}/nhap/", {"file": bad})
    assert response.status_code == 400
    page = text_of(response)
    assert "Không có dòng nào được nhập" in page
    assert "Hệ số quy đổi (D)" in page
    assert not ProductType.objects.filter(unit=unit).exists()
    good = catalogue_file([["VB01", "Văn bản hành chính", "văn bản", "1", "01/01/2026"],
                           ["VB02", "Tờ trình", "văn bản", "1,25", "01/01/2026"]])
    assert hr.post(f"/danh-gia/danh-muc/{unit.pk}/nhap/", {"file": good}).status_code == 302
    assert ProductType.objects.filter(unit=unit, status="draft").count() == 2


def test_the_head_approves_the_drafts_and_the_list_shows_them_approved(yw):
    unit = yw.world.phong_ccvc
    hr, head = client_for(yw, "hr"), client_for(yw, "head")
    hr.post(f"/danh-gia/danh-muc/{unit.pk}/nhap/", {"file": catalogue_file([
        ["VB01", "Văn bản hành chính", "văn bản", "1", "01/01/2026"]])})
    assert hr.post(f"/danh-gia/danh-muc/{unit.pk}/phe-duyet/", {"tat_ca": "1"}).status_code == 403
    assert head.post(f"/danh-gia/danh-muc/{unit.pk}/phe-duyet/", {"tat_ca": "1"}).status_code == 302
    assert ProductType.objects.get(unit=unit, code="VB01").status == "approved"
    page = text_of(head.get(f"/danh-gia/danh-muc/{unit.pk}/"))
    assert "VB01" in page
    assert "Đã phê duyệt" in page
    yw.world.users["hue_hr"] = user("tccb_hue", Role.HR, yw.world.hue)
    assert client_for(yw, "hue_hr").get(f"/danh-gia/danh-muc/{unit.pk}/").status_code == 404


def test_the_navigation_offers_the_annual_and_catalogue_pages_to_hr(yw):
    page = text_of(client_for(yw, "hr").get("/"))
    assert "Xếp loại năm" in page
    assert "Danh mục sản phẩm" in page


def test_the_annual_and_summary_pages_read_in_english(yw):
    run = computed(yw)
    head = client_for(yw, "head")
    head.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(head.get(run_url(yw)))
    assert "The excellent quota line per unit and task group" in page
    assert "Tied – awaiting decision" in page
    person = text_of(head.get(f"/danh-gia/xep-loai-nam/ket-qua/{run.pk}/can-bo/{yw.people['an'].pk}/"))
    assert "Annual score (mean of worked periods)" in person
    summary = text_of(head.get(f"/danh-gia/tong-hop/?don_vi={yw.agency.pk}&loai=year&nam=2026"))
    assert "Levels by mean score" in summary
