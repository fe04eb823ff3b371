"""The pages that add a record to a person: transfer/appointment/step change, discipline, reward, leave,
and the hometown/birthplace selects of the edit page.

People of ``build_world``: Hà (Phòng CCVC), Bình (Phòng TCCB), Châu (Huế). HR sits on Sở Nội vụ (Hà Nội);
``hue_hr`` is HR of Huế, who cannot see Hà Nội at all.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from congvu.access.models import Role
from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, OrgUnit, Rank
from congvu.personnel.models import Discipline, Employment, Leave, Person, Reward
from congvu.personnel.services import add_leave
from tests.factories import EVERYTHING, World, build_world, unit, user
from tests.integration.records_support import (
    TRANSFER_DAY,
    new_manager,
    position,
    today,
    with_ranks,
    written_rows,
)

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    w = build_world()
    w.users["hue_hr"] = user("tccb_hue", Role.HR, w.hue)
    return w


@pytest.fixture
def ranks(world: World) -> dict[str, Rank]:
    return with_ranks()


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.fixture
def hr(world: World) -> Client:
    return client_for(world, "hr")


def employment_form(world: World, ranks: dict[str, Rank], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "start_date": TRANSFER_DAY.strftime("%d/%m/%Y"), "decision_number": "25/QĐ-SNV", "end_reason": "Điều động",
        "unit": world.phong_ccvc.pk, "position": "", "title": "Chuyên viên", "rank": ranks["01.003"].pk,
        "salary_step": 3, "step_since": "01/01/2024", "position_allowance": "0", "seniority_pct": "0",
        "percent_allowances": "25", "reason": "Điều động theo Quyết định 25/QĐ-SNV",
    }
    data.update(changes)
    return data


def field_errors(html: str, field: str) -> list[str]:
    """The messages shown under one field (the list tied to the control by its id)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def options(html: str, select_id: str) -> list[str]:
    found = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no select #{select_id}"
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))]


# ---- transfer, appointment, step change ---------------------------------------------------------------


def test_hr_transfers_a_person_and_the_old_spell_ends_the_day_before(world: World, ranks: dict[str, Rank], hr: Client) -> None:
    binh = world.binh
    response = hr.post(f"/can-bo/{binh.pk}/cong-tac/them/", employment_form(world, ranks))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"/can-bo/{binh.pk}/?tab=cong-tac"

    old, new = Employment.objects.filter(person=binh).order_by("start_date")
    assert (old.end_date, old.end_reason) == (TRANSFER_DAY - dt.timedelta(days=1), "Điều động")
    assert (new.unit, new.start_date, new.end_date, new.salary_step) == (world.phong_ccvc, TRANSFER_DAY, None, 3)
    assert new.percent_allowances == Decimal("25")
    moved = Person.objects.get(pk=binh.pk)
    assert (moved.current_unit, moved.org_path) == (world.phong_ccvc, world.phong_ccvc.path)
    entries = AuditEntry.objects.filter(subject_person_id=binh.pk, object_type="employment", actor=world.users["hr"])
    assert {(e.action, e.reason) for e in entries} == {
        ("update", "Điều động theo Quyết định 25/QĐ-SNV"), ("create", "Điều động theo Quyết định 25/QĐ-SNV")}

    tab = hr.get(response["Location"]).content.decode()
    assert "Đã thêm quá trình công tác của Trần Văn Bình: Phòng Công chức, viên chức từ 01/02/2026." in tab
    assert "31/01/2026" in tab


def test_after_a_transfer_the_old_units_manager_loses_the_person_and_the_new_one_gains_them(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    old_manager, new_manager_client = client_for(world, "manager"), Client()
    new_manager_client.force_login(new_manager(world))
    ha = world.ha
    assert old_manager.get(f"/can-bo/{ha.pk}/").status_code == 200
    assert new_manager_client.get(f"/can-bo/{ha.pk}/").status_code == 404

    form = employment_form(world, ranks, unit=world.phong_tccb.pk)
    assert hr.post(f"/can-bo/{ha.pk}/cong-tac/them/", form).status_code == 302

    assert old_manager.get(f"/can-bo/{ha.pk}/").status_code == 404
    assert new_manager_client.get(f"/can-bo/{ha.pk}/").status_code == 200
    assert "Nguyễn Thị Thu Hà" in new_manager_client.get("/can-bo/").content.decode()


def test_the_form_starts_as_a_copy_of_the_current_spell(world: World, ranks: dict[str, Rank], hr: Client) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/cong-tac/them/").content.decode()
    assert 'id="current-spell"' in html
    assert "Quá trình hiện tại: từ 01/01/2020 tại Phòng Tổ chức cán bộ." in html
    assert re.search(rf'<option value="{world.phong_tccb.pk}" selected>', html)
    assert re.search(r'<input type="text" name="start_date"[^>]*placeholder="dd/mm/yyyy"', html)


def test_the_unit_select_offers_units_in_the_write_scope_active_on_the_start_date(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    closed = unit("Phòng Đã giải thể", OrgUnit.Kind.DIVISION, world.so_noi_vu)
    OrgUnit.objects.filter(pk=closed.pk).update(valid_to=dt.date(2024, 12, 31))
    html = hr.get(f"/can-bo/{world.binh.pk}/cong-tac/them/").content.decode()
    offered = options(html, "id_unit")
    assert "Phòng Công chức, viên chức — Sở Nội vụ" in offered
    assert "Sở Nội vụ — Thành phố Hà Nội" in offered
    assert closed.name + " — Sở Nội vụ" not in offered
    assert not any("Huế" in label or "Sở Tài chính" in label for label in offered)

    fragment = hr.get(f"/can-bo/{world.binh.pk}/cong-tac/don-vi/",
                      {"start_date": "01/06/2024", "unit": world.phong_tccb.pk}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert "Phòng Đã giải thể — Sở Nội vụ" in options(html, "id_unit")
    assert re.search(rf'<option value="{world.phong_tccb.pk}" selected>', html)
    assert re.search(r'<select[^>]*id="id_position"[^>]*hx-swap-oob="true"|<select[^>]*hx-swap-oob="true"[^>]*id="id_position"', html)


def test_the_position_select_follows_the_chosen_unit(world: World, ranks: dict[str, Rank], hr: Client) -> None:
    position(world, "ccvc", "Chuyên viên quản lý công chức")
    position(world, "tccb", "Chuyên viên tổ chức bộ máy")
    position(world, "ccvc", "Chuyên viên đã bỏ", valid_from=dt.date(2030, 1, 1))
    url = f"/can-bo/{world.binh.pk}/cong-tac/vi-tri/"
    html = hr.get(url, {"unit": world.phong_ccvc.pk, "start_date": "01/02/2026"}, HTTP_HX_REQUEST="true").content.decode()
    assert options(html, "id_position") == [
        "— Không gắn vị trí việc làm —", "Chuyên viên quản lý công chức (0/2 biên chế)"]
    assert "<optgroup" in html
    other = hr.get(url, {"unit": world.phong_tccb.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert options(other, "id_position")[1:] == ["Chuyên viên tổ chức bộ máy (0/2 biên chế)"]
    page = hr.get(f"/can-bo/{world.binh.pk}/cong-tac/them/").content.decode()
    assert f'hx-get="{url}"' in page  # the unit select asks for the positions when it changes


def test_a_step_outside_the_ranks_salary_group_is_shown_on_the_step_field_and_nothing_is_written(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    before = written_rows()
    response = hr.post(f"/can-bo/{world.binh.pk}/cong-tac/them/", employment_form(world, ranks, salary_step=12))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "salary_step") == ["Bậc 12 không có trong nhóm lương A1."]
    assert written_rows() == before
    assert Person.objects.get(pk=world.binh.pk).current_unit == world.phong_tccb


def test_bad_dates_and_a_missing_reason_are_reported_on_their_fields_in_vietnamese(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    before = written_rows()
    response = hr.post(f"/can-bo/{world.binh.pk}/cong-tac/them/",
                       employment_form(world, ranks, start_date="31/02/2026", reason="", position_allowance="abc"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu được: hãy sửa các ô được đánh dấu bên dưới." in html
    assert field_errors(html, "start_date") == ["Không phải ngày hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."]
    assert field_errors(html, "reason") == ["Trường này là bắt buộc."]
    assert field_errors(html, "position_allowance") == ["Không phải số: hãy nhập dạng 0,25."]
    assert written_rows() == before


def test_a_start_date_not_after_the_current_spell_is_refused_on_its_field(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/cong-tac/them/", employment_form(world, ranks, start_date="01/01/2020"))
    assert field_errors(response.content.decode(), "start_date") == [
        "Ngày bắt đầu phải sau ngày bắt đầu của quá trình công tác hiện tại (01/01/2020)."]


def test_a_unit_outside_the_write_scope_is_refused_without_saying_what_it_is(
    world: World, ranks: dict[str, Rank], hr: Client
) -> None:
    before = written_rows()
    response = hr.post(f"/can-bo/{world.binh.pk}/cong-tac/them/",
                       employment_form(world, ranks, unit=world.so_tai_chinh_hue.pk))
    html = response.content.decode()
    assert field_errors(html, "unit") == ["Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."]
    assert "Sở Tài chính" not in html
    assert written_rows() == before


def test_a_decimal_comma_is_accepted_for_allowances(world: World, ranks: dict[str, Rank], hr: Client) -> None:
    form = employment_form(world, ranks, title="Phó Trưởng phòng", position_allowance="0,4", reason="Bổ nhiệm")
    assert hr.post(f"/can-bo/{world.binh.pk}/cong-tac/them/", form).status_code == 302
    assert Employment.objects.get(person=world.binh, end_date__isnull=True).position_allowance == Decimal("0.40")


# ---- discipline, reward, leave ------------------------------------------------------------------------


def test_hr_adds_a_discipline_with_its_reason_and_it_is_audited(world: World, hr: Client) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/ky-luat/them/", {
        "form": "reprimand", "decided_on": "02/05/2025", "effective_from": "02/05/2025", "effective_to": "",
        "decision_number": "12/QĐ-SNV", "reason": "Chậm nộp báo cáo",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/{world.binh.pk}/?tab=ky-luat"
    row = Discipline.objects.get(person=world.binh)
    assert (row.form, row.decided_on, row.reason) == ("reprimand", dt.date(2025, 5, 2), "Chậm nộp báo cáo")
    entry = AuditEntry.objects.get(object_type="discipline", object_id=str(row.pk))
    assert (entry.subject_person_id, entry.action, entry.reason) == (world.binh.pk, "create", "Chậm nộp báo cáo")
    tab = hr.get(response["Location"]).content.decode()
    assert "Đã thêm quyết định kỷ luật của Trần Văn Bình." in tab
    assert "Khiển trách" in tab


def test_a_discipline_dated_in_the_future_or_taking_effect_before_its_date_is_refused(world: World, hr: Client) -> None:
    tomorrow = (today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    before = written_rows()
    response = hr.post(f"/can-bo/{world.binh.pk}/ky-luat/them/", {
        "form": "warning", "decided_on": tomorrow, "effective_from": "01/01/2025", "reason": "Vi phạm",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert field_errors(html, "decided_on") == [
        "Ngày quyết định không được sau ngày hôm nay: chỉ ghi quyết định đã ký."]
    assert field_errors(html, "effective_from") == ["Ngày có hiệu lực không được trước ngày quyết định."]
    assert written_rows() == before


def test_a_discipline_needs_a_form_and_a_reason(world: World, hr: Client) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/ky-luat/them/", {
        "form": "", "decided_on": "02/05/2025", "effective_from": "02/05/2025", "reason": "  "})
    html = response.content.decode()
    assert field_errors(html, "form") == ["Trường này là bắt buộc."]
    assert field_errors(html, "reason") == ["Trường này là bắt buộc."]
    assert not Discipline.objects.exists()


def test_hr_adds_a_reward_and_it_is_audited(world: World, hr: Client) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/khen-thuong/them/", {
        "title": "Chiến sĩ thi đua cơ sở", "level": "cơ sở", "decided_on": "20/12/2025", "decision_number": "99/QĐ-UBND",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/{world.binh.pk}/?tab=khen-thuong"
    row = Reward.objects.get(person=world.binh)
    assert AuditEntry.objects.filter(object_type="reward", object_id=str(row.pk), subject_person_id=world.binh.pk).exists()
    tab = hr.get(response["Location"]).content.decode()
    assert "Đã thêm khen thưởng của Trần Văn Bình." in tab
    assert "20/12/2025" in tab


def test_a_reward_needs_a_title_and_a_valid_date(world: World, hr: Client) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/khen-thuong/them/", {"title": "", "decided_on": "20/13/2025"})
    html = response.content.decode()
    assert response.status_code == 400
    assert field_errors(html, "title") == ["Trường này là bắt buộc."]
    assert field_errors(html, "decided_on") == ["Không phải ngày hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025."]
    assert not Reward.objects.exists()


def test_hr_adds_a_leave_and_it_is_audited(world: World, hr: Client) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/nghi/them/", {
        "kind": "sick", "start_date": "03/03/2025", "end_date": "07/03/2025", "note": "Giấy ra viện số 15"})
    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/{world.binh.pk}/?tab=nghi"
    row = Leave.objects.get(person=world.binh)
    assert (row.start_date, row.end_date) == (dt.date(2025, 3, 3), dt.date(2025, 3, 7))
    assert AuditEntry.objects.filter(object_type="leave", object_id=str(row.pk), subject_person_id=world.binh.pk).exists()
    assert "Đã thêm thời gian nghỉ của Trần Văn Bình." in hr.get(response["Location"]).content.decode()


def test_a_leave_that_overlaps_another_or_ends_before_it_starts_is_refused(world: World, hr: Client) -> None:
    add_leave(None, EVERYTHING, world.binh.pk, kind="sick", start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 7))
    before = written_rows()
    url = f"/can-bo/{world.binh.pk}/nghi/them/"
    overlap = hr.post(url, {"kind": "unpaid", "start_date": "07/03/2025", "end_date": "10/03/2025"}).content.decode()
    assert field_errors(overlap, "start_date") == ["Trùng với thời gian nghỉ đã ghi (03/03/2025 – 07/03/2025)."]
    backwards = hr.post(url, {"kind": "unpaid", "start_date": "10/04/2025", "end_date": "01/04/2025"}).content.decode()
    assert field_errors(backwards, "end_date") == ["Ngày kết thúc phải sau ngày bắt đầu."]
    assert written_rows() == before


# ---- who may ------------------------------------------------------------------------------------------

ADD_PAGES = ["cong-tac/them", "ky-luat/them", "khen-thuong/them", "nghi/them", "cong-tac/vi-tri", "cong-tac/don-vi"]
WHO = [
    ("manager", "ha", 403),  # reads the person, may not write
    ("head", "binh", 403),
    ("staff", "ha", 403),  # their own record
    ("hue_hr", "binh", 404),  # HR outside the subtree: the person does not seem to exist
    ("manager", "chau", 404),
    ("hr", "binh", 200),
    ("admin", "chau", 200),
]


def who(world: World, name: str) -> Person:
    return {"ha": world.ha, "binh": world.binh, "chau": world.outsider}[name]


@pytest.mark.parametrize("page", ADD_PAGES)
@pytest.mark.parametrize(("role", "person_name", "status"), WHO)
def test_only_writers_of_the_persons_subtree_open_the_add_pages(
    world: World, page: str, role: str, person_name: str, status: int
) -> None:
    response = client_for(world, role).get(f"/can-bo/{who(world, person_name).pk}/{page}/")
    assert response.status_code == status


@pytest.mark.parametrize(("role", "person_name", "status"), [r for r in WHO if r[2] != 200])
def test_a_refused_add_writes_nothing(world: World, ranks: dict[str, Rank], role: str, person_name: str, status: int) -> None:
    target = who(world, person_name)
    client = client_for(world, role)
    before = written_rows()
    posts = {
        "cong-tac/them": employment_form(world, ranks, unit=target.current_unit_id),
        "ky-luat/them": {"form": "reprimand", "decided_on": "02/05/2025", "effective_from": "02/05/2025", "reason": "x"},
        "khen-thuong/them": {"title": "Lao động tiên tiến", "decided_on": "02/05/2025"},
        "nghi/them": {"kind": "sick", "start_date": "02/05/2025", "end_date": "03/05/2025"},
    }
    for page, data in posts.items():
        assert client.post(f"/can-bo/{target.pk}/{page}/", data).status_code == status
    assert written_rows() == before


def test_the_add_buttons_show_only_to_those_who_may_write(world: World, hr: Client) -> None:
    tabs = {"cong-tac": "Thêm quá trình công tác", "ky-luat": "Thêm kỷ luật", "khen-thuong": "Thêm khen thưởng",
            "nghi": "Thêm thời gian nghỉ"}
    manager = client_for(world, "manager")
    for tab, label in tabs.items():
        assert label in hr.get(f"/can-bo/{world.ha.pk}/", {"tab": tab}).content.decode()
        assert label in hr.get(f"/can-bo/{world.ha.pk}/", {"tab": tab}, HTTP_HX_REQUEST="true").content.decode()
        assert label not in manager.get(f"/can-bo/{world.ha.pk}/", {"tab": tab}).content.decode()


# ---- hometown and birthplace --------------------------------------------------------------------------


@pytest.fixture
def provinces(world: World) -> dict[str, AdminArea]:
    """Three of the real rows: a province since 01/07/2025 and two of the 63 before it."""
    rows = [
        AdminArea(code="01", name="Thành phố Hà Nội", level="province", division_type="thành phố trung ương",
                  valid_from=dt.date(2025, 7, 1), source="test"),
        AdminArea(code="001", name="Hà Nội", level="province", division_type="thành phố trung ương",
                  valid_to=dt.date(2025, 6, 30), source="test"),
        AdminArea(code="002", name="Hà Giang", level="province", division_type="tỉnh",
                  valid_to=dt.date(2025, 6, 30), source="test"),
    ]
    return {a.code: a for a in AdminArea.objects.bulk_create(rows)}


def edit_form(p: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "family_name": p.family_name, "middle_name": p.middle_name, "given_name": p.given_name, "sex": p.sex,
        "birth_date": p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "", "birth_year": p.birth_year,
        "category": p.category, "personal_id": p.personal_id, "old_id": p.old_id, "ethnicity": p.ethnicity,
        "religion": p.religion, "party_member": "1" if p.party_member else "0", "party_joined_on": "",
        "education_level": p.education_level, "political_theory_level": p.political_theory_level,
        "insured_months": p.insured_months, "version": p.version, "reason": "Bổ sung quê quán, nơi sinh",
        "hometown": "", "birthplace": "",
    }
    data.update(changes)
    return data


def test_the_edit_page_offers_current_and_pre_2025_provinces_labelled_with_code(
    world: World, hr: Client, provinces: dict[str, AdminArea]
) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/sua/").content.decode()
    offered = options(html, "id_hometown")
    assert offered == ["—", "Thành phố Hà Nội (01)", "Hà Giang (002) (trước 01/07/2025)", "Hà Nội (001) (trước 01/07/2025)"]
    assert options(html, "id_birthplace") == offered
    assert '<optgroup label="Tỉnh, thành phố trước 01/07/2025">' in html


def test_hr_sets_hometown_and_birthplace_and_the_history_names_them(
    world: World, hr: Client, provinces: dict[str, AdminArea]
) -> None:
    binh = world.binh
    form = edit_form(binh, hometown=provinces["002"].pk, birthplace=provinces["01"].pk)
    assert hr.post(f"/can-bo/{binh.pk}/sua/", form).status_code == 302
    saved = Person.objects.get(pk=binh.pk)
    assert (saved.hometown_id, saved.birthplace_id) == (provinces["002"].pk, provinces["01"].pk)
    info = hr.get(f"/can-bo/{binh.pk}/").content.decode()
    assert re.search(r"<dd>Hà Giang <span class=\"muted\">\(trước 01/07/2025\)</span></dd>", info)
    history = hr.get(f"/can-bo/{binh.pk}/", {"tab": "lich-su"}).content.decode()
    assert "<ins>Hà Giang (002)</ins>" in history
    again = hr.get(f"/can-bo/{binh.pk}/sua/").content.decode()
    assert re.search(rf'<option value="{provinces["002"].pk}" selected>', again)


def test_a_commune_already_on_the_record_stays_offered_so_saving_keeps_it(
    world: World, hr: Client, provinces: dict[str, AdminArea]
) -> None:
    commune = AdminArea.objects.create(code="00004", name="Phường Ba Đình", level="commune", division_type="phường",
                                       parent=provinces["01"], source="test")
    Person.objects.filter(pk=world.binh.pk).update(hometown=commune)
    binh = Person.objects.get(pk=world.binh.pk)
    html = hr.get(f"/can-bo/{binh.pk}/sua/").content.decode()
    assert re.search(rf'<option value="{commune.pk}" selected>Phường Ba Đình \(00004\)</option>', html)
    assert hr.post(f"/can-bo/{binh.pk}/sua/", edit_form(binh, hometown=commune.pk)).status_code == 302
    assert Person.objects.get(pk=binh.pk).hometown_id == commune.pk


def test_an_area_that_is_not_offered_is_refused(world: World, hr: Client, provinces: dict[str, AdminArea]) -> None:
    response = hr.post(f"/can-bo/{world.binh.pk}/sua/", edit_form(world.binh, hometown=999999))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "hometown")
    assert Person.objects.get(pk=world.binh.pk).hometown_id is None


def test_an_add_page_keeps_the_people_menu_marked_and_shows_the_breadcrumb(world: World, hr: Client) -> None:
    html = hr.get(f"/can-bo/{world.binh.pk}/nghi/them/").content.decode()
    assert re.search(r'<a href="/can-bo/"[^>]*aria-current="page"', html)
    assert f'href="/don-vi/{world.phong_tccb.pk}/"' in html

