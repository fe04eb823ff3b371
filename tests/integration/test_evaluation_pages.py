"""The month's evaluation pages: my month, a sheet and its task lines, the team board, approval, the explanation
and the overdue steps of the home page.

People of ``build_world``: Hà (Phòng CCVC, the ``staff`` user's own record), Bình (Phòng TCCB), Châu (Huế).
The manager sits on Phòng CCVC, the head, HR and the inspector on Sở Nội vụ. January 2026 is the month used:
its deadlines (05, 10 and 15/02/2026) have passed, so the overdue steps show.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congvu.access.models import Role
from congvu.core.models import AuditEntry
from congvu.evaluation import catalogue, periods, work, workflow
from congvu.evaluation.calculator import score_request
from congvu.evaluation.models import Period, ProductType, Sheet, SheetStatus, TaskLine
from congvu.personnel.models import Person
from congvu.web.evaluation import vn_formula
from congvu.web.formats import vn_number
from tests.factories import World, build_world, person, user

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
POINTS = {"g_a": "9", "g_b": "9", "g_c": "8"}


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = str(tmp_path / "media")
    w = build_world()
    w.users["hue_hr"] = user("tccb_hue", Role.HR, w.hue)
    periods.open_year(w.users["hr"], w.so_noi_vu, 2026)
    periods.ensure_sheets(w.users["hr"], january(w))
    return w


def january(world: World) -> Period:
    return Period.objects.get(agency=world.so_noi_vu, year=2026, number=1)


def sheet_of(world: World, who: Person) -> Sheet:
    return Sheet.objects.get(period=january(world), person=who, is_current=True)


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def text(response: Any) -> str:
    return unescape(str(response.content.decode()))


def field_errors(html: str, field: str) -> list[str]:
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return [unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1))] if found else []


def assign(world: World, sheet: Sheet, label: str = "Báo cáo tổng hợp", k: str = "1.5", q: int = 4) -> TaskLine:
    return work.add_task(world.users["manager"], sheet, work.TaskInput(
        label=label, coefficient=k, quantity=q, due_date=dt.date(2026, 1, 25)))


def written() -> tuple[int, ...]:
    return AuditEntry.objects.count(), TaskLine.objects.count(), Sheet.objects.count()


def scored_month(world: World) -> Sheet:
    """Hà's January: two lines done, one error and one delay on the first, self-assessed and scored."""
    sheet = sheet_of(world, world.ha)
    first = assign(world, sheet)
    second = assign(world, sheet, "Văn bản trả lời", "1", 2)
    work.report_completion(world.users["staff"], first, completed=4, completed_on=dt.date(2026, 1, 26))
    work.report_completion(world.users["staff"], second, completed=2, completed_on=dt.date(2026, 1, 20))
    work.record_findings(world.users["manager"], first, errors=1, delays=1, note="Sai số liệu quý")
    work.self_assess(world.users["staff"], sheet, {"a": 9, "b": 9, "c": 8})
    work.manager_score(world.users["manager"], sheet, {"a": 9, "b": 9, "c": 8})
    sheet.refresh_from_db()
    return sheet


# ---- my month -------------------------------------------------------------------------------------------


def test_staff_sees_their_month_with_its_task_lines_and_overdue_deadlines(world: World) -> None:
    assign(world, sheet_of(world, world.ha))
    response = client_for(world, "staff").get("/danh-gia/cua-toi/")
    assert response.status_code == 200
    html = text(response)
    assert "Kỳ 01/2026" in html
    assert "Báo cáo tổng hợp" in html
    assert "4 × 1,5 = <strong>6</strong>" in html
    assert "05/02/2026" in html
    assert "Quá hạn" in html
    assert f'action="/danh-gia/phieu/{sheet_of(world, world.ha).pk}/tu-danh-gia/"' in html
    assert "/giao-viec/" not in html  # staff propose, they do not assign


def test_a_user_without_a_personnel_record_is_told_why_there_is_no_sheet(world: World) -> None:
    response = client_for(world, "manager").get("/danh-gia/cua-toi/")
    assert response.status_code == 200
    assert "chưa gắn với hồ sơ cán bộ" in text(response)


def test_staff_cannot_open_someone_elses_sheet_or_its_explanation(world: World) -> None:
    staff = client_for(world, "staff")
    other = sheet_of(world, world.binh)
    assert staff.get(f"/danh-gia/phieu/{other.pk}/").status_code == 404
    assert staff.get(f"/danh-gia/phieu/{other.pk}/giai-trinh/").status_code == 404
    assert staff.get("/danh-gia/cua-toi/?ky=999999").status_code == 404
    assert staff.get("/danh-gia/don-vi/").status_code == 403


def test_staff_cannot_assign_work_or_score_on_their_own_sheet(world: World) -> None:
    staff = client_for(world, "staff")
    sheet = sheet_of(world, world.ha)
    before = written()
    task = {"label": "Tự giao", "coefficient": "1", "quantity": "3"}
    assert staff.post(f"/danh-gia/phieu/{sheet.pk}/giao-viec/", task).status_code == 403
    assert staff.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/", POINTS).status_code == 403
    assert written() == before


def test_staff_report_completion_with_a_file_that_only_readers_can_download(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    staff = client_for(world, "staff")
    assert staff.get(f"/danh-gia/dong/{line.pk}/bao-cao/").status_code == 200
    upload = SimpleUploadedFile("bao-cao-thang-1.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    response = staff.post(f"/danh-gia/dong/{line.pk}/bao-cao/", {
        "completed": "4", "completed_on": "26/01/2026", "evidence_link": "https://vanban.example.vn/123",
        "evidence_file": upload})
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/cua-toi/?ky={line.sheet.period_id}"
    line.refresh_from_db()
    assert (line.completed, line.completed_on) == (Decimal(4), dt.date(2026, 1, 26))
    download = staff.get(f"/danh-gia/dong/{line.pk}/minh-chung/")
    assert download.status_code == 200
    assert download.getvalue() == b"%PDF-1.4 minh chung"
    assert client_for(world, "manager").get(f"/danh-gia/dong/{line.pk}/minh-chung/").status_code == 200
    assert client_for(world, "hue_hr").get(f"/danh-gia/dong/{line.pk}/minh-chung/").status_code == 404


def test_a_report_without_a_completion_date_is_refused_inline_and_changes_nothing(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    before = written()
    response = client_for(world, "staff").post(f"/danh-gia/dong/{line.pk}/bao-cao/", {"completed": "4"})
    assert response.status_code == 400
    assert field_errors(text(response), "completed_on") == ["Cần ghi ngày hoàn thành."]
    assert "Chưa lưu được" in text(response)
    line.refresh_from_db()
    assert line.completed == 0
    assert written() == before


def test_an_evidence_file_of_an_unknown_type_is_refused(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(world, "staff").post(f"/danh-gia/dong/{line.pk}/bao-cao/", {
        "completed": "4", "completed_on": "26/01/2026", "evidence_file": upload})
    assert response.status_code == 400
    assert "chỉ nhận PDF, ảnh, Word, Excel, ZIP" in field_errors(text(response), "evidence_file")[0]


def test_self_assessment_above_a_groups_maximum_is_refused_inline_in_vietnamese(world: World) -> None:
    sheet = sheet_of(world, world.ha)
    before = written()
    response = client_for(world, "staff").post(f"/danh-gia/phieu/{sheet.pk}/tu-danh-gia/",
                                               {**POINTS, "g_a": "10,5"})
    assert response.status_code == 400
    assert field_errors(text(response), "g_a") == ["Tối đa 10."]
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.self_general == {}
    assert written() == before


def test_a_proposal_must_be_accepted_before_the_self_assessment(world: World) -> None:
    sheet = sheet_of(world, world.ha)
    staff = client_for(world, "staff")
    response = staff.post(f"/danh-gia/phieu/{sheet.pk}/de-xuat/",
                          {"label": "Văn bản trả lời", "coefficient": "1", "quantity": "2"})
    assert response.status_code == 302
    line = TaskLine.objects.get(sheet=sheet)
    assert line.proposed_by_staff
    assert not line.accepted
    refused = staff.post(f"/danh-gia/phieu/{sheet.pk}/tu-danh-gia/", POINTS)
    assert refused.status_code == 400
    assert "Còn công việc đề xuất chưa được lãnh đạo duyệt." in text(refused)
    manager = client_for(world, "manager")
    assert manager.post(f"/danh-gia/dong/{line.pk}/duyet/").status_code == 302
    assert staff.post(f"/danh-gia/phieu/{sheet.pk}/tu-danh-gia/", POINTS).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SELF_ASSESSED
    assert sheet.self_general == {"a": "9", "b": "9", "c": "8"}


def test_free_text_work_needs_a_coefficient(world: World) -> None:
    sheet = sheet_of(world, world.ha)
    response = client_for(world, "manager").post(f"/danh-gia/phieu/{sheet.pk}/giao-viec/",
                                                 {"label": "Hồ sơ", "quantity": "3"})
    assert response.status_code == 400
    assert field_errors(text(response), "coefficient") == ["Công việc ngoài danh mục cần hệ số quy đổi."]
    assert not TaskLine.objects.exists()


# ---- the manager ----------------------------------------------------------------------------------------


def approved_type(world: World) -> ProductType:
    ptype = catalogue.create_product_type(world.users["hr"], world.phong_ccvc, catalogue.ProductTypeInput(
        code="BC01", name="Báo cáo chuyên đề", coefficient=Decimal("1.5"), valid_from=dt.date(2026, 1, 1),
        measure="báo cáo"))
    catalogue.approve_catalogue(world.users["head"], world.phong_ccvc)
    return ptype


def test_the_manager_assigns_from_the_catalogue_records_a_finding_and_scores(world: World) -> None:
    ptype = approved_type(world)
    sheet = sheet_of(world, world.ha)
    manager = client_for(world, "manager")
    page = text(manager.get(f"/danh-gia/phieu/{sheet.pk}/"))
    assert "BC01 – Báo cáo chuyên đề (báo cáo) × 1,5" in page
    assert manager.post(f"/danh-gia/phieu/{sheet.pk}/giao-viec/", {
        "product_type": ptype.pk, "quantity": "4", "due_date": "25/01/2026"}).status_code == 302
    line = TaskLine.objects.get(sheet=sheet)
    assert (line.label, line.coefficient, line.product_type_id) == ("Báo cáo chuyên đề", Decimal("1.5"), ptype.pk)
    work.report_completion(world.users["staff"], line, completed=4, completed_on=dt.date(2026, 1, 26))
    assert manager.post(f"/danh-gia/dong/{line.pk}/ghi-nhan/", {
        "error_count": "1", "delay_count": "0", "note": "Sai số liệu"}).status_code == 302
    waiting = text(manager.get(f"/danh-gia/phieu/{sheet.pk}/"))
    assert "Chờ công chức tự đánh giá" in waiting
    work.self_assess(world.users["staff"], sheet, {"a": 9, "b": 9, "c": 8})
    response = manager.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/", {"g_a": "9", "g_b": "8,5", "g_c": "8"})
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/phieu/{sheet.pk}/"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.MANAGER_SCORED
    assert sheet.general_points == Decimal("25.5")
    assert sheet.total == Decimal("94.04")  # 25,5 + 70 × (100 + 93,75 + 100) / 300 = 94,0416…


def test_the_manager_removes_a_line_only_with_a_reason(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    manager = client_for(world, "manager")
    assert client_for(world, "staff").post(f"/danh-gia/dong/{line.pk}/xoa/", {"reason": "x"}).status_code == 403
    refused = manager.post(f"/danh-gia/dong/{line.pk}/xoa/", {"reason": ""})
    assert refused.status_code == 400
    assert TaskLine.objects.filter(pk=line.pk).exists()
    assert manager.post(f"/danh-gia/dong/{line.pk}/xoa/", {"reason": "Giao trùng"}).status_code == 302
    assert not TaskLine.objects.filter(pk=line.pk).exists()
    assert AuditEntry.objects.get(action="evaluation.task_remove").reason == "Giao trùng"


def test_an_objective_cause_needs_its_reason(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    response = client_for(world, "manager").post(f"/danh-gia/dong/{line.pk}/ghi-nhan/", {
        "error_count": "2", "delay_count": "1", "objective_cause": "on", "objective_reason": " "})
    assert response.status_code == 400
    assert field_errors(text(response), "objective_reason") == [
        "Cần ghi lý do khách quan đã được cấp có thẩm quyền xác nhận."]
    line.refresh_from_db()
    assert (line.errors, line.delays, line.objective_cause) == (0, 0, False)


def test_the_superior_scores_a_leaders_sheet_with_organising_capacity_and_unity(world: World) -> None:
    leader = person(("Phạm", "Văn", "Lãnh"), world.phong_ccvc, sex="M", birth_year=1975)
    periods.ensure_sheets(world.users["hr"], january(world))
    sheet = sheet_of(world, leader)
    Sheet.objects.filter(pk=sheet.pk).update(role="leader", status=SheetStatus.SELF_ASSESSED)
    head = client_for(world, "head")
    page = text(head.get(f"/danh-gia/phieu/{sheet.pk}/"))
    assert "Cấp trên chấm điểm" in page
    assert 'name="organising"' in page
    refused = head.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/", {**POINTS, "organising": "90"})
    assert refused.status_code == 400
    assert field_errors(text(refused), "unity") == ["Hãy nhập một số."]
    assert head.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/",
                     {**POINTS, "organising": "90", "unity": "100"}).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.organising, sheet.unity) == (SheetStatus.MANAGER_SCORED, Decimal(90), Decimal(100))
    assert sheet.total is None  # no work assigned: no task score, and the page says why
    assert "Không có công việc được giao trong kỳ" in text(head.get(f"/danh-gia/phieu/{sheet.pk}/"))


def test_a_manager_cannot_score_their_own_sheet(world: World) -> None:
    own = person(("Phạm", "Văn", "Quang"), world.phong_ccvc, sex="M", birth_year=1978)
    Person.objects.filter(pk=own.pk).update(user=world.users["manager"])
    periods.ensure_sheets(world.users["hr"], january(world))
    sheet = sheet_of(world, own)
    Sheet.objects.filter(pk=sheet.pk).update(status=SheetStatus.SELF_ASSESSED)
    manager = client_for(world, "manager")
    page = text(manager.get(f"/danh-gia/phieu/{sheet.pk}/"))
    assert "/cham-diem/" not in page
    assert manager.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/", POINTS).status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SELF_ASSESSED
    assert sheet.general_points is None


def test_a_manager_cannot_reach_a_sheet_outside_the_subtree(world: World) -> None:
    manager = client_for(world, "manager")
    other = sheet_of(world, world.binh)
    assert manager.get(f"/danh-gia/phieu/{other.pk}/").status_code == 404
    assert manager.post(f"/danh-gia/phieu/{other.pk}/giao-viec/", {
        "label": "X", "coefficient": "1", "quantity": "1"}).status_code == 404
    assert manager.get(f"/danh-gia/don-vi/?don_vi={world.phong_tccb.pk}").status_code == 404
    assert not TaskLine.objects.exists()


def test_an_inspector_reads_the_sheets_but_cannot_act_on_them(world: World) -> None:
    line = assign(world, sheet_of(world, world.ha))
    inspector = client_for(world, "inspector")
    sheet = line.sheet
    assert inspector.get(f"/danh-gia/phieu/{sheet.pk}/").status_code == 200
    assert inspector.post(f"/danh-gia/phieu/{sheet.pk}/cham-diem/", POINTS).status_code == 403
    assert inspector.get(f"/danh-gia/dong/{line.pk}/ghi-nhan/").status_code == 403
    assert inspector.get(f"/danh-gia/dong/{line.pk}/bao-cao/").status_code == 403


# ---- the team board ---------------------------------------------------------------------------------------


def test_the_board_lists_the_team_with_scores_and_overdue_flags_sorted_and_filtered(world: World) -> None:
    scored_month(world)
    extra = person(("Đỗ", "Minh", "Anh"), world.phong_ccvc, sex="M", birth_year=1990)
    periods.ensure_sheets(world.users["hr"], january(world))
    manager = client_for(world, "manager")
    html = text(manager.get(f"/danh-gia/don-vi/?ky={january(world).pk}"))
    assert re.findall(r'<a href="/danh-gia/phieu/\d+/">([^<]+)</a>', html) == ["Đỗ Minh Anh", "Nguyễn Thị Thu Hà"]
    assert "Chưa được lãnh đạo chấm" in html
    assert "Chưa tự đánh giá" in html
    assert vn_number(sheet_of(world, world.ha).total, 2) in html
    by_total = text(manager.get(f"/danh-gia/don-vi/?ky={january(world).pk}&sap_xep=-tong",
                                HTTP_HX_REQUEST="true"))
    assert "<html" not in by_total
    assert re.findall(r'<a href="/danh-gia/phieu/\d+/">([^<]+)</a>', by_total) == ["Nguyễn Thị Thu Hà", "Đỗ Minh Anh"]
    only_draft = text(manager.get(f"/danh-gia/don-vi/?ky={january(world).pk}&trang_thai=draft"))
    assert "Đỗ Minh Anh" in only_draft
    assert ">Nguyễn Thị Thu Hà<" not in only_draft
    found = text(manager.get(f"/danh-gia/don-vi/?ky={january(world).pk}&q=thu+ha"))
    assert ">Nguyễn Thị Thu Hà<" in found
    assert extra.full_name not in found


def test_the_head_sees_every_unit_of_the_department_and_can_pick_one(world: World) -> None:
    head = client_for(world, "head")
    html = text(head.get("/danh-gia/don-vi/"))
    assert "Nguyễn Thị Thu Hà" in html
    assert "Trần Văn Bình" in html
    assert "Phê duyệt, công khai" in html
    one = text(head.get(f"/danh-gia/don-vi/?don_vi={world.phong_tccb.pk}"))
    assert "Trần Văn Bình" in one
    assert "Nguyễn Thị Thu Hà" not in one


# ---- approval ---------------------------------------------------------------------------------------------


def test_the_head_approves_and_publishes_after_a_confirmation(world: World) -> None:
    sheet = scored_month(world)
    head = client_for(world, "head")
    query = f"ky={january(world).pk}&don_vi={world.so_noi_vu.pk}"
    board = text(head.get(f"/danh-gia/phe-duyet/?{query}"))
    assert "Phê duyệt (1 phiếu lãnh đạo đã chấm)" in board
    confirm = head.get(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=duyet&{query}")
    assert "phê duyệt 1 phiếu lãnh đạo đã chấm" in text(confirm)
    assert "1 phiếu chưa được lãnh đạo chấm" in text(confirm)  # Bình's sheet waits
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.MANAGER_SCORED  # a GET changes nothing
    done = head.post(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=duyet&{query}")
    assert done.status_code == 302
    assert done["Location"] == f"/danh-gia/phe-duyet/?{query}"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.APPROVED
    head.post(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=cong-khai&{query}")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED
    assert "Đã công khai 1 phiếu." in text(head.get(f"/danh-gia/phe-duyet/?{query}"))


def test_only_a_head_reaches_the_approval_pages(world: World) -> None:
    scored_month(world)
    query = f"ky={january(world).pk}&don_vi={world.phong_ccvc.pk}"
    manager = client_for(world, "manager")
    assert manager.get("/danh-gia/phe-duyet/").status_code == 403
    assert manager.post(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=duyet&{query}").status_code == 403
    head = client_for(world, "head")
    assert head.get(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=xoa&{query}").status_code == 404
    assert head.get(f"/danh-gia/phe-duyet/xac-nhan/?thao_tac=duyet&ky=999999&don_vi={world.phong_ccvc.pk}"
                    ).status_code == 404
    assert sheet_of(world, world.ha).status == SheetStatus.MANAGER_SCORED


def test_a_published_sheet_is_reopened_by_the_head_with_a_reason_as_a_new_version(world: World) -> None:
    sheet = scored_month(world)
    workflow.approve(world.users["head"], january(world), world.phong_ccvc)
    workflow.publish(world.users["head"], january(world), world.phong_ccvc)
    head = client_for(world, "head")
    assert "Mở lại, tạo phiên bản mới" in text(head.get(f"/danh-gia/phieu/{sheet.pk}/"))
    refused = head.post(f"/danh-gia/phieu/{sheet.pk}/mo-lai/", {"reason": ""})
    assert refused.status_code == 400
    assert Sheet.objects.filter(person=world.ha).count() == 1
    response = head.post(f"/danh-gia/phieu/{sheet.pk}/mo-lai/", {"reason": "Sai sót khi tổng hợp"})
    new = Sheet.objects.get(person=world.ha, is_current=True)
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/phieu/{new.pk}/"
    assert (new.version, new.status, new.reopen_reason) == (2, SheetStatus.SELF_ASSESSED, "Sai sót khi tổng hợp")
    old_page = text(head.get(f"/danh-gia/phieu/{sheet.pk}/"))
    assert "Đây là phiên bản 1" in old_page
    assert "/mo-lai/" not in old_page
    assert client_for(world, "manager").post(f"/danh-gia/phieu/{new.pk}/mo-lai/",
                                             {"reason": "x"}).status_code == 403


# ---- the explanation -------------------------------------------------------------------------------------


def calculator_result() -> dict[str, Any]:
    request = {"period": "2026-01", "people": [{
        "id": "ha", "role": "staff", "general_points": 26, "tasks": [
            {"type": "Báo cáo tổng hợp", "quantity": 4, "coefficient": 1.5, "completed": 4, "errors": 1, "delays": 1},
            {"type": "Văn bản trả lời", "quantity": 2, "coefficient": 1, "completed": 2},
        ]}]}
    result: dict[str, Any] = score_request(request)["results"][0]
    return result


def test_the_explanation_shows_the_calculators_numbers_with_the_formula_and_articles(world: World) -> None:
    sheet = scored_month(world)
    expected = calculator_result()
    for role in ("staff", "manager", "head", "hr", "inspector"):
        assert client_for(world, role).get(f"/danh-gia/phieu/{sheet.pk}/giai-trinh/").status_code == 200
    html = text(client_for(world, "staff").get(f"/danh-gia/phieu/{sheet.pk}/giai-trinh/"))
    for key in ("quantity_pct", "quality_pct", "timeliness_pct", "task_points", "general_points", "total"):
        row = re.search(rf'<tr data-key="{key}"[^>]*>.*?<td class="num">([^<]+)</td>', html, re.S)
        assert row is not None, key
        assert row.group(1) == vn_number(Decimal(str(expected[key])), 2), key
    assert "nd335_2025.v1" in html
    assert "k·q = 1,5 × 4 = 6" in html
    assert "Chất lượng −0,375: 1 lần sai sót lớn × 25 % × 1,5" in html
    assert "Sai số liệu quý" in html
    assert "Nghị định 335/2025, Điều 14 điểm b" in html
    assert "100 × 7,625 / 8 = 95,3125" in html  # quality: (6 − 0,375) + 2 over A = 8
    assert client_for(world, "hue_hr").get(f"/danh-gia/phieu/{sheet.pk}/giai-trinh/").status_code == 404


def test_the_explanation_of_an_unscored_sheet_says_there_is_nothing_yet(world: World) -> None:
    sheet = sheet_of(world, world.ha)
    html = text(client_for(world, "staff").get(f"/danh-gia/phieu/{sheet.pk}/giai-trinh/"))
    assert "chưa có điểm để giải trình" in html


def test_formulas_are_written_with_the_decimal_comma_and_no_rounding() -> None:
    assert vn_formula("k·c' = 1.5 × min(4.25, 4) = 6") == "k·c' = 1,5 × min(4,25; 4) = 6"
    assert vn_formula("A = Σ k·q = 12500.125") == "A = Σ k·q = 12.500,125"
    assert vn_formula("70 × (100 + 85.937500… ) / 300") == "70 × (100 + 85,937500… ) / 300"


# ---- home page and navigation ------------------------------------------------------------------------------


def test_the_home_page_loads_each_roles_overdue_steps(world: World) -> None:
    staff = client_for(world, "staff")
    assert 'hx-get="/danh-gia/qua-han/"' in text(staff.get("/"))
    mine = text(staff.get("/danh-gia/qua-han/"))
    assert "Phiếu đánh giá của bạn" in mine
    assert "Chưa tự đánh giá" in mine
    assert "Các đơn vị bạn phụ trách" not in mine
    head = text(client_for(world, "head").get("/danh-gia/qua-han/"))
    assert "Các đơn vị bạn phụ trách" in head
    assert "2 phiếu (hạn sớm nhất 15/02/2026)" in head
    assert client_for(world, "hue_hr").get("/danh-gia/qua-han/").content.strip() == b""


def test_the_navigation_offers_each_role_its_evaluation_pages(world: World) -> None:
    staff = text(client_for(world, "staff").get("/"))
    assert ">Đánh giá của tôi<" in staff
    assert ">Đánh giá đơn vị<" not in staff
    manager = text(client_for(world, "manager").get("/"))
    assert ">Đánh giá đơn vị<" in manager
    assert ">Đánh giá của tôi<" not in manager


def test_the_sheet_page_speaks_english_when_asked(world: World) -> None:
    assign(world, sheet_of(world, world.ha))
    staff = client_for(world, "staff")
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(staff.get("/danh-gia/cua-toi/"))
    assert "My evaluation" in html
    assert "Report completion" in html
    assert "Not yet self-assessed" not in html
    assert "Period 01/2026" in html
