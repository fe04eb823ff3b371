"""The restructuring pages through the Django test client.

The scenario (:func:`build_restructuring`): Sở Nội vụ Hà Nội has two divisions with a "Chuyên viên" position
each (quota 1): chị Hà in Phòng Công chức, viên chức; anh Bình and chị Lan in Phòng Tổ chức cán bộ (one over
quota). Phòng Văn thư has a vacant "Chuyên viên" seat. The province's HR office (``tccb_tinh``) drafts the
merger of the two divisions into "Phòng Công chức và Tổ chức cán bộ" from ``EFFECTIVE`` (in the future, so it
can be undone); after it, the merged position has quota 2 and 3 people: one surplus to redeploy.
A recorded reform of the same shape (``record_history``) feeds the report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from django.test import Client

from congvu.access.models import Role
from congvu.org.models import JobPosition, OrgUnit, Rank
from congvu.org.reference import load_salary_tables
from congvu.personnel.models import Employment, Person
from congvu.restructuring import reports, services
from congvu.restructuring.models import OrgEvent, Plan, Proposal, RedeploymentRun, UnitSuccession
from tests.factories import EVERYTHING, World, build_world, person, unit, user

EFFECTIVE = dt.date.today() + dt.timedelta(days=30)
NEW_NAME = "Phòng Công chức và Tổ chức cán bộ"
CHUYEN_VIEN = "01.003"


@dataclass
class Scenario:
    world: World
    lan: Person
    van_thu: OrgUnit
    positions: dict[str, JobPosition]

    def client(self, who: str) -> Client:
        c = Client()
        c.force_login(self.world.users[who])
        return c


def _position(in_unit: OrgUnit, rank: Rank, quota: int) -> JobPosition:
    return JobPosition.objects.create(unit=in_unit, name="Chuyên viên", group=JobPosition.Group.PROFESSIONAL,
                                      rank=rank, headcount_quota=quota, valid_from=dt.date(2020, 1, 1))


def _seat(who: Person, position: JobPosition, rank: Rank) -> None:
    Employment.objects.filter(person=who, end_date__isnull=True).update(position=position, rank=rank, salary_step=3,
                                                                         step_since=dt.date(2023, 1, 1))
    Person.objects.filter(pk=who.pk).update(education_level="bachelor")


def build_restructuring() -> Scenario:
    load_salary_tables()
    w = build_world()
    rank = Rank.objects.get(code=CHUYEN_VIEN)
    lan = person(("Trịnh", "Ngọc", "Lan"), w.phong_tccb, birth_year=1990, start=dt.date(2024, 3, 1))
    van_thu = unit("Phòng Văn thư, lưu trữ", OrgUnit.Kind.DIVISION, w.so_noi_vu)
    positions = {"ccvc": _position(w.phong_ccvc, rank, 1), "tccb": _position(w.phong_tccb, rank, 1),
                 "van_thu": _position(van_thu, rank, 1)}
    _seat(w.ha, positions["ccvc"], rank)
    _seat(w.binh, positions["tccb"], rank)
    _seat(lan, positions["tccb"], rank)
    w.users["hr_tinh"] = user("tccb_tinh", Role.HR, w.ha_noi)
    w.users["hr_hue"] = user("tccb_hue", Role.HR, w.hue)
    return Scenario(w, lan, van_thu, positions)


def merger_spec(s: Scenario) -> dict[str, Any]:
    w = s.world
    return {"sources": [w.phong_ccvc.pk, w.phong_tccb.pk],
            "target": {"name": NEW_NAME, "kind": OrgUnit.Kind.DIVISION, "parent_id": w.so_noi_vu.pk}}


def draft_merger(s: Scenario) -> Plan:
    hr = s.world.users["hr_tinh"]
    plan = services.create_plan(hr, EVERYTHING, name="Sắp xếp các phòng Sở Nội vụ", scope_unit_id=s.world.ha_noi.pk)
    services.add_event(hr, EVERYTHING, plan.pk, kind=OrgEvent.Kind.MERGE, effective_date=EFFECTIVE,
                       decision_number="15/QĐ-UBND", decision_date=EFFECTIVE - dt.timedelta(days=10),
                       legal_basis="Nghị định 150/2025/NĐ-CP", spec=merger_spec(s))
    return plan


def record_history(s: Scenario, effective: dt.date = dt.date(2025, 7, 1)) -> Plan:
    """A reform entered as history (a recorded plan): the two divisions closed the day before ``effective``, the
    merged division opened on it, people's spells ended and began. Written directly: the engine never applies
    a recorded plan."""
    w = s.world
    plan = Plan.objects.create(name="Sắp xếp năm 2025 (ghi nhận)", scope_unit=w.ha_noi, status=Plan.Status.RECORDED)
    event = OrgEvent.objects.create(plan=plan, kind=OrgEvent.Kind.MERGE, effective_date=effective,
                                    decision_number="99/QĐ-UBND", decision_date=effective - dt.timedelta(days=15),
                                    legal_basis="Nghị quyết 202/2025/QH15", spec=merger_spec(s), summary=NEW_NAME)
    new = unit(NEW_NAME, OrgUnit.Kind.DIVISION, w.so_noi_vu)
    OrgUnit.objects.filter(pk=new.pk).update(valid_from=effective)
    day_before = effective - dt.timedelta(days=1)
    old = [w.phong_ccvc, w.phong_tccb]
    OrgUnit.objects.filter(pk__in=[u.pk for u in old]).update(valid_to=day_before)
    JobPosition.objects.filter(unit__in=old).update(valid_to=day_before)
    JobPosition.objects.create(unit=new, name="Chuyên viên", group=JobPosition.Group.PROFESSIONAL, headcount_quota=2,
                               valid_from=effective)
    for u in old:
        UnitSuccession.objects.create(event=event, old_unit=u, new_unit=new, created=True)
    for e in Employment.objects.filter(unit__in=old, end_date__isnull=True):
        Employment.objects.filter(pk=e.pk).update(end_date=day_before)
        Employment.objects.create(person_id=e.person_id, unit=new, start_date=effective, decision_number="99/QĐ-UBND")
    return plan


pytestmark = pytest.mark.django_db


@pytest.fixture
def s() -> Scenario:
    return build_restructuring()


def text(response: Any) -> str:
    return response.content.decode()


# ---- events ------------------------------------------------------------------------------------------------


def test_the_events_list_shows_each_event_with_its_date_decision_and_status_and_filters_by_kind(s: Scenario) -> None:
    record_history(s)
    page = s.client("hr_tinh").get("/sap-xep/")
    assert page.status_code == 200
    body = text(page)
    assert "01/07/2025" in body
    assert "99/QĐ-UBND" in body
    assert "Nghị quyết 202/2025/QH15" in body
    assert "Ghi nhận lịch sử" in body
    assert "Sáp nhập, hợp nhất" in body
    assert "99/QĐ-UBND" not in text(s.client("hr_tinh").get("/sap-xep/?loai=split"))
    assert "99/QĐ-UBND" not in text(s.client("hr_tinh").get("/sap-xep/?tu=02/07/2025"))


def test_the_event_page_shows_old_and_new_units_and_the_people_moved(s: Scenario) -> None:
    plan = record_history(s)
    event = plan.events.get()
    body = text(s.client("head").get(f"/sap-xep/su-kien/{event.pk}/"))
    assert "Phòng Công chức, viên chức" in body
    assert NEW_NAME in body
    assert "đến 30/06/2025" in body


def test_a_reader_outside_the_subtree_gets_not_found_and_staff_are_refused(s: Scenario) -> None:
    event = record_history(s).events.get()
    assert s.client("hr_hue").get(f"/sap-xep/su-kien/{event.pk}/").status_code == 404
    assert "99/QĐ-UBND" not in text(s.client("hr_hue").get("/sap-xep/"))
    assert s.client("staff").get("/sap-xep/").status_code == 403


# ---- plans -------------------------------------------------------------------------------------------------


def test_hr_creates_a_plan_adds_a_merger_and_sees_its_impact_before_committing(s: Scenario) -> None:
    w, c = s.world, s.client("hr_tinh")
    created = c.post("/sap-xep/phuong-an/tao/", {"name": "Phương án A", "scope_unit": w.ha_noi.pk})
    plan = Plan.objects.get(name="Phương án A")
    assert created.status_code == 302
    assert created["Location"] == f"/sap-xep/phuong-an/{plan.pk}/"
    added = c.post(f"/sap-xep/phuong-an/{plan.pk}/them-su-kien/", {
        "kind": "merge", "sources": [w.phong_ccvc.pk, w.phong_tccb.pk], "target_name": NEW_NAME,
        "target_kind": "division", "target_parent": w.so_noi_vu.pk, "effective_date": EFFECTIVE.strftime("%d/%m/%Y"),
        "decision_number": "15/QĐ-UBND", "decision_date": "01/06/2026", "legal_basis": "Nghị định 150/2025/NĐ-CP"})
    assert added.status_code == 302, text(added)
    body = text(c.get(f"/sap-xep/phuong-an/{plan.pk}/"))
    assert NEW_NAME in body
    assert "Tác động dự kiến" in body
    assert (EFFECTIVE - dt.timedelta(days=1)).strftime("%d/%m/%Y") in body  # the tree the day before
    assert "Nguyễn Thị Thu Hà" in body  # who moves where
    assert Employment.objects.filter(unit__name=NEW_NAME).count() == 0  # a draft changes nothing


def test_a_merger_with_one_unit_is_refused_on_the_form_and_nothing_is_added(s: Scenario) -> None:
    plan = services.create_plan(s.world.users["hr_tinh"], EVERYTHING, name="B", scope_unit_id=s.world.ha_noi.pk)
    refused = s.client("hr_tinh").post(f"/sap-xep/phuong-an/{plan.pk}/them-su-kien/", {
        "kind": "merge", "sources": [s.world.phong_ccvc.pk], "effective_date": "01/07/2026",
        "decision_number": "1/QĐ", "decision_date": "01/06/2026"})
    assert refused.status_code == 400
    assert "Sáp nhập cần ít nhất hai đơn vị" in text(refused)
    assert plan.events.count() == 0


def test_commit_needs_the_confirmation_then_applies_and_undo_with_a_reason_restores(s: Scenario) -> None:
    plan, c = draft_merger(s), s.client("hr_tinh")
    assert c.post(f"/sap-xep/phuong-an/{plan.pk}/quyet-dinh/", {}).status_code == 400
    assert c.post(f"/sap-xep/phuong-an/{plan.pk}/quyet-dinh/", {"confirm": "on"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMITTED
    assert Employment.objects.filter(unit__name=NEW_NAME, start_date=EFFECTIVE).count() == 3
    assert c.post(f"/sap-xep/phuong-an/{plan.pk}/huy-bo/", {"reason": ""}).status_code == 400
    assert c.post(f"/sap-xep/phuong-an/{plan.pk}/huy-bo/", {"reason": "Chờ ý kiến Bộ Nội vụ"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.UNDONE
    assert not OrgUnit.objects.filter(name=NEW_NAME).exists()


def test_only_hr_of_the_plans_scope_may_change_it(s: Scenario) -> None:
    plan = draft_merger(s)
    assert s.client("head").get(f"/sap-xep/phuong-an/{plan.pk}/").status_code == 404  # scope above the head's
    assert s.client("hr_hue").post(f"/sap-xep/phuong-an/{plan.pk}/quyet-dinh/", {"confirm": "on"}).status_code == 404
    assert s.client("hr").post(f"/sap-xep/phuong-an/{plan.pk}/quyet-dinh/", {"confirm": "on"}).status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT


def test_two_plans_are_compared_side_by_side(s: Scenario) -> None:
    a = draft_merger(s)
    b = services.create_plan(s.world.users["hr_tinh"], EVERYTHING, name="Phương án giữ nguyên",
                             scope_unit_id=s.world.ha_noi.pk)
    body = text(s.client("hr_tinh").get(f"/sap-xep/so-sanh/?a={a.pk}&b={b.pk}"))
    assert "Sắp xếp các phòng Sở Nội vụ" in body
    assert "Phương án giữ nguyên" in body
    assert "Biên chế sau" in body


# ---- the report -------------------------------------------------------------------------------------------


def test_the_report_counts_units_removed_by_level_and_kind_and_staff_before_and_after(s: Scenario) -> None:
    record_history(s)
    r = reports.report(s.world.ha_noi, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    division = next(row for row in r.removed.by_kind if row.key == OrgUnit.Kind.DIVISION)
    assert (division.closed, division.opened, division.net) == (2, 1, 1)
    provincial = next(row for row in r.removed.by_level if row.key == reports.Level.PROVINCIAL)
    assert provincial.net == 1
    assert r.removed.total.net == 1
    assert (r.staffing.total.before.headcount, r.staffing.total.after.headcount) == (3, 3)
    assert (r.staffing.total.before.quota, r.staffing.total.after.quota) == (3, 3)
    assert r.staffing.total.before.units - r.staffing.total.after.units == 1
    page = s.client("hr_tinh").get(f"/sap-xep/bao-cao/?don_vi={s.world.ha_noi.pk}&tu=01/01/2025&den=31/12/2025")
    assert page.status_code == 200
    assert 'id="chart-removed"' in text(page)
    assert "Phòng" in text(page)


def test_the_report_counts_surplus_resolved_and_open_from_the_proposals(s: Scenario) -> None:
    record_history(s)
    w = s.world
    run = RedeploymentRun.objects.create(scope_unit=w.ha_noi, as_of=dt.date(2025, 7, 1))
    for who, status in ((w.ha, Proposal.Status.ACCEPTED), (w.binh, Proposal.Status.PENDING)):
        spell = Employment.objects.filter(person=who).earliest("start_date")
        Proposal.objects.create(run=run, person=who, from_employment=spell, reason=Proposal.Reason.OVER_QUOTA,
                                to_position=s.positions["van_thu"], status=status)
    r = reports.surplus(w.ha_noi, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (r.resolved, r.open, r.rejected) == (1, 1, 0)


def test_the_report_workbook_has_one_sheet_per_report_with_vietnamese_headers(s: Scenario) -> None:
    from openpyxl import load_workbook

    record_history(s)
    response = s.client("hr_tinh").get(f"/sap-xep/bao-cao/excel/?don_vi={s.world.ha_noi.pk}&tu=01/01/2025&den=31/12/2025")
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Đơn vị giảm", "Vị trí, biên chế", "Dôi dư"]
    assert wb["Đơn vị giảm"]["A3"].value == "Cấp, loại đơn vị"
    assert s.client("hr_hue").get(f"/sap-xep/bao-cao/excel/?don_vi={s.world.ha_noi.pk}").status_code == 404


# ---- redeployment -----------------------------------------------------------------------------------------------


def committed_merger(s: Scenario) -> Plan:
    plan = draft_merger(s)
    services.commit_plan(s.world.users["hr_tinh"], EVERYTHING, plan.pk)
    return plan


def run_via_page(s: Scenario) -> RedeploymentRun:
    response = s.client("hr_tinh").post("/sap-xep/bo-tri/lap/", {
        "scope_unit": s.world.ha_noi.pk, "as_of": EFFECTIVE.strftime("%d/%m/%Y")})
    assert response.status_code == 302, text(response)
    return RedeploymentRun.objects.get()


def test_hr_runs_the_redeployment_and_accepts_a_proposal_which_opens_the_new_spell(s: Scenario) -> None:
    committed_merger(s)
    run = run_via_page(s)
    c = s.client("hr_tinh")
    body = text(c.get(f"/sap-xep/bo-tri/{run.pk}/"))
    assert "Phòng Văn thư, lưu trữ" in body
    assert "Dôi dư theo đơn vị và vị trí" in body
    proposal = run.proposals.get()
    assert proposal.to_position == s.positions["van_thu"]
    page = text(c.get(f"/sap-xep/de-xuat/{proposal.pk}/"))
    assert "Vì sao chọn vị trí này" in page
    assert "Ngạch" in page
    assert "Điều kiện bắt buộc đã kiểm tra" in page
    assert c.post(f"/sap-xep/de-xuat/{proposal.pk}/chap-nhan/", {"decision_number": "",
                                                                  "effective_date": ""}).status_code == 400
    accepted = c.post(f"/sap-xep/de-xuat/{proposal.pk}/chap-nhan/", {
        "decision_number": "21/QĐ-SNV", "effective_date": (EFFECTIVE + dt.timedelta(days=1)).strftime("%d/%m/%Y")})
    assert accepted.status_code == 302, text(accepted)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert Employment.objects.filter(person=proposal.person, position=s.positions["van_thu"],
                                     decision_number="21/QĐ-SNV").exists()


def test_reject_needs_a_reason_and_others_may_not_decide(s: Scenario) -> None:
    committed_merger(s)
    run = run_via_page(s)
    proposal = run.proposals.get()
    assert s.client("head").post(f"/sap-xep/de-xuat/{proposal.pk}/khong-chap-nhan/",
                                 {"reason": "x"}).status_code == 403
    assert s.client("hr_hue").get(f"/sap-xep/de-xuat/{proposal.pk}/").status_code == 404
    c = s.client("hr_tinh")
    assert c.post(f"/sap-xep/de-xuat/{proposal.pk}/khong-chap-nhan/", {"reason": ""}).status_code == 400
    assert c.post(f"/sap-xep/de-xuat/{proposal.pk}/khong-chap-nhan/",
                  {"reason": "Đã có nguyện vọng nghỉ hưu trước tuổi"}).status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REJECTED


def test_the_person_sees_the_proposal_about_them_on_their_own_page(s: Scenario) -> None:
    committed_merger(s)
    proposal = run_via_page(s).proposals.get()
    own = user("ca_nhan")
    Person.objects.filter(pk=proposal.person_id).update(user=own)
    c = Client()
    c.force_login(own)
    body = text(c.get(f"/can-bo/{proposal.person_id}/"))
    assert 'id="person-redeployment"' in body
    assert "Phòng Văn thư, lưu trữ" in body
    assert c.get(f"/sap-xep/de-xuat/{proposal.pk}/").status_code == 200
    assert 'id="person-redeployment"' not in text(s.client("hr_hue").get(f"/can-bo/{s.world.outsider.pk}/"))


def test_a_head_who_sees_a_plan_through_their_unit_sees_only_their_own_people_moving(s: Scenario) -> None:
    plan = draft_merger(s)
    services.commit_plan(s.world.users["hr_tinh"], EVERYTHING, plan.pk)
    s.world.users["head_tccb"] = user("truong_tccb", Role.HEAD, s.world.phong_tccb)
    page = s.client("head_tccb").get(f"/sap-xep/phuong-an/{plan.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert "Trần Văn Bình" in body
    assert "Trịnh Ngọc Lan" in body
    assert "Nguyễn Thị Thu Hà" not in body
    moves = s.client("head_tccb").get(f"/api/v1/restructuring/plans/{plan.pk}").json()["impact"]["moves"]
    assert sorted(m["person_id"] for m in moves) == sorted([s.world.binh.pk, s.lan.pk])
    assert "Nguyễn Thị Thu Hà" in text(s.client("hr_tinh").get(f"/sap-xep/phuong-an/{plan.pk}/"))
