"""The reconciliation queue's services: loading a run, each queue decision, its audit entries, the refusal of
a personal ID another register record holds, the org-subtree scope, and the match rate that counts resolutions."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.personnel.models import Person
from congvu.personnel.services import OutOfScope, ServiceError
from congvu.reconciliation import queries, services
from congvu.reconciliation.models import QueueState, ReconciliationRecord, ReconciliationTally
from tests.factories import EVERYTHING, build_world, person
from tests.integration.reconciliation_support import load_results, other_id, queue_world, result

pytestmark = pytest.mark.django_db


def hr_scope(world):  # type: ignore[no-untyped-def]
    return scope_for(world.users["hr"], Right.RECONCILE)


def record_of(run, who: Person) -> ReconciliationRecord:  # type: ignore[no-untyped-def]
    return ReconciliationRecord.objects.get(run=run, record_id=str(who.pk))


def test_a_loaded_run_queues_every_record_that_did_not_match_and_counts_the_rest_per_unit() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    assert sorted(run.records.values_list("status", flat=True)) == ["MATCHED_WITH_DIFFERENCES", "NOT_FOUND", "PROBABLE"]
    ha = record_of(run, world.ha)
    assert (ha.unit_id, ha.org_path, ha.person_id, ha.state) == (
        world.phong_ccvc.pk, world.phong_ccvc.path, world.ha.pk, QueueState.OPEN)
    assert ha.difference_items == [("full_name", "diacritics")]
    tallies = {t.unit_id: (t.total, t.matched) for t in ReconciliationTally.objects.filter(run=run)}
    assert tallies == {world.phong_ccvc.pk: (1, 0), world.phong_tccb.pk: (1, 0), world.so_tai_chinh_hue.pk: (1, 0)}
    assert AuditEntry.objects.filter(action="reconcile", object_id=str(run.pk)).count() == 1


def test_accepting_a_correction_updates_the_register_with_an_audit_entry_citing_the_population_record() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    hr = world.users["hr"]
    record = services.accept_correction(hr, hr_scope(world), record_of(run, world.ha).pk,
                                        reason="Đã đối chiếu căn cước")
    person = Person.objects.get(pk=world.ha.pk)
    assert person.full_name == "Nguyễn Thị Thu Hạ"
    assert (record.state, record.resolved_by_id, record.note) == (QueueState.ACCEPTED, hr.pk, "Đã đối chiếu căn cước")
    update = AuditEntry.objects.get(object_type="person", action="update", subject_person_id=person.pk)
    assert update.after == {"given_name": "Hạ", "sort_key": person.sort_key}  # the folded name is the same
    assert "CSDL quốc gia về dân cư" in update.reason
    assert "dan-cu-thu-nghiem.parquet, phiên bản 2026-11" in update.reason
    assert update.reason.endswith("Đã đối chiếu căn cước")
    entry = AuditEntry.objects.get(object_type="reconciliationrecord", action="reconciliation.accept")
    assert (entry.subject_person_id, entry.before["state"], entry.after["state"]) == (person.pk, "open", "accepted")


def test_accepting_a_probable_match_sets_the_proposed_personal_id() -> None:
    world = build_world()
    rows = queue_world(world)
    run = load_results(list(rows.values()))
    services.accept_correction(world.users["hr"], hr_scope(world), record_of(run, world.binh).pk,
                               reason="Đúng người, số định danh cũ nhập sai")
    assert Person.objects.get(pk=world.binh.pk).personal_id == rows["binh"]["matched_personal_id"]


def test_a_personal_id_held_by_another_register_record_is_refused_and_nothing_changes() -> None:
    world = build_world()
    twin = person(("Trần", "Văn", "Bình"), world.phong_ccvc, sex="M", birth_year=1979)
    run = load_results([result(world.binh, "PROBABLE", matched_personal_id=twin.personal_id, probability=0.9,
                               pop_full_name="Trần Văn Bình", pop_sex="M")])
    record = record_of(run, world.binh)
    with pytest.raises(ServiceError) as refused:
        services.accept_correction(world.users["hr"], hr_scope(world), record.pk, reason="Đúng người")
    message = refused.value.errors["personal_id"][0]
    assert twin.personal_id in message
    assert f"mã hồ sơ {twin.pk}" in message
    assert "hồ sơ trùng" in message
    assert Person.objects.get(pk=world.binh.pk).personal_id == world.binh.personal_id
    assert ReconciliationRecord.objects.get(pk=record.pk).state == QueueState.OPEN


def test_a_record_without_a_proposal_cannot_be_accepted() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    with pytest.raises(ServiceError, match="Không có đề xuất sửa"):
        services.accept_correction(None, EVERYTHING, record_of(run, world.outsider).pk, reason="x")


def test_rejecting_keeps_the_register_and_records_why() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    before = Person.objects.get(pk=world.binh.pk)
    record = services.reject(world.users["hr"], hr_scope(world), record_of(run, world.binh).pk,
                             reason="Người khác: khác quê quán")
    assert record.state == QueueState.REJECTED
    assert record.resolved_at is not None
    assert Person.objects.get(pk=world.binh.pk).version == before.version
    assert AuditEntry.objects.get(action="reconciliation.reject").reason == "Người khác: khác quê quán"


def test_a_decision_needs_a_reason() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    with pytest.raises(ServiceError) as refused:
        services.reject(world.users["hr"], hr_scope(world), record_of(run, world.binh).pk, reason="  ")
    assert list(refused.value.errors) == ["reason"]


def test_sending_to_the_unit_keeps_the_record_pending_and_it_cannot_be_sent_twice() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    hr, scope = world.users["hr"], hr_scope(world)
    record = services.send_to_unit(hr, scope, record_of(run, world.ha).pk, note="Kiểm tra giấy khai sinh")
    assert (record.state, record.resolved_at) == (QueueState.SENT_TO_UNIT, None)
    with pytest.raises(ServiceError, match="đã được xử lý"):
        services.send_to_unit(hr, scope, record.pk, note="lần nữa")
    services.accept_correction(hr, scope, record.pk, reason="Đơn vị xác nhận")  # still actionable
    with pytest.raises(ServiceError, match="đã được xử lý"):
        services.reject(hr, scope, record.pk, reason="muộn")


def test_marking_fixed_needs_the_register_to_agree_with_the_population_evidence() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    record = record_of(run, world.ha)
    with pytest.raises(ServiceError, match="vẫn khác CSDL dân cư ở: tên"):
        services.mark_fixed(None, EVERYTHING, record.pk, note="Đơn vị báo đã sửa")
    Person.objects.filter(pk=world.ha.pk).update(given_name="Hạ")
    assert services.mark_fixed(None, EVERYTHING, record.pk, note="Đơn vị đã sửa").state == QueueState.FIXED


def test_marking_fixed_without_evidence_needs_an_edit_since_the_run() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    record = record_of(run, world.outsider)
    with pytest.raises(ServiceError, match="chưa được sửa"):
        services.mark_fixed(None, EVERYTHING, record.pk, note="Đã sửa")
    Person.objects.filter(pk=world.outsider.pk).update(version=record.person_version + 1)
    assert services.mark_fixed(None, EVERYTHING, record.pk, note="Đã sửa số định danh").state == QueueState.FIXED


def test_hr_cannot_act_on_a_record_outside_the_subtree() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    with pytest.raises(OutOfScope):
        services.send_to_unit(world.users["hr"], hr_scope(world), record_of(run, world.outsider).pk, note="x")


def test_readers_see_only_records_of_their_subtree_and_staff_see_none() -> None:
    world = build_world()
    run = load_results(list(queue_world(world).values()))
    for role in ("hr", "head", "inspector"):
        names = {r.record_id for r in queries.records_visible(world.users[role], run)}
        assert names == {str(world.ha.pk), str(world.binh.pk)}, role
    assert not queries.records_visible(world.users["staff"], run).exists()
    assert not queries.runs_visible(world.users["manager"]).exists()
    assert queries.records_visible(world.users["admin"], run).count() == 3


def test_the_match_rate_counts_accepted_and_fixed_records_but_not_rejected_ones() -> None:
    world = build_world()
    extra = [person(("Phạm", "Văn", f"An {i}"), world.phong_ccvc, sex="M", birth_year=1990) for i in range(2)]
    run = load_results(list(queue_world(world).values()))
    hr, scope = world.users["hr"], hr_scope(world)
    path = world.so_noi_vu.path
    rate = queries.rate_of(run, queries.read_scope(hr), path)
    assert (rate.total, rate.matched, rate.pending, rate.percent) == (4, 2, 2, 50)
    services.accept_correction(hr, scope, record_of(run, world.ha).pk, reason="Đúng")
    services.reject(hr, scope, record_of(run, world.binh).pk, reason="Người khác")
    rate = queries.rate_of(run, queries.read_scope(hr), path)
    assert (rate.clean, rate.rejected, rate.pending, str(rate.percent), str(rate.initial_percent)) == (
        3, 1, 0, "75.0", "50.0")
    rows = {row.unit.name: row.rate.percent for row in queries.breakdown(run, queries.read_scope(hr), world.so_noi_vu)}
    assert {k: str(v) for k, v in rows.items()} == {"Phòng Công chức, viên chức": "100.0", "Phòng Tổ chức cán bộ": "0.0"}
    points = queries.rate_over_time(hr, path)
    assert [(p.label, str(p.percent)) for p in points] == [("run", "50.0"), ("resolved", "75.0")]
    assert extra  # two more matched people in Hà's division


def test_rate_over_time_follows_runs_in_order() -> None:
    world = build_world()
    rows = queue_world(world)
    first = load_results(list(rows.values()))
    second = load_results([rows["outsider"]])
    points = queries.rate_over_time(world.users["admin"], "")
    assert [(p.run_id, p.label, str(p.percent)) for p in points] == [
        (first.pk, "run", "0.0"), (second.pk, "run", "66.7")]


def test_a_run_checks_only_the_chosen_subtree_and_refuses_a_unit_outside_the_scope() -> None:
    world = build_world()
    assert services.run_scope_path(hr_scope(world), None) == world.so_noi_vu.path
    with pytest.raises(OutOfScope):
        services.run_scope_path(hr_scope(world), world.hue)
    with pytest.raises(ServiceError, match="chọn đơn vị"):
        services.run_scope_path(Scope(paths=(world.so_noi_vu.path, world.hue.path)), None)
    assert services.people_in(world.so_noi_vu.path).count() == 2


def test_a_year_only_population_date_never_erases_a_full_date_of_the_same_year() -> None:
    world = build_world()
    run = load_results([result(world.ha, "MATCHED_WITH_DIFFERENCES", differences="birth_date:year_only",
                               pop_birth_date=str(world.ha.birth_year), pop_full_name=world.ha.full_name)])
    record = record_of(run, world.ha)
    assert not services.proposed_correction(record, world.ha)
    record.pop_birth_date = "1986"
    assert services.proposed_correction(record, world.ha).values == {"birth_year": 1986, "birth_date": None}
    record.pop_birth_date = "1985-15-03"
    assert not services.proposed_correction(record, world.ha)
    record.pop_birth_date = dt.date(1985, 3, 15).isoformat()
    assert not services.proposed_correction(record, world.ha)


def test_a_name_in_capitals_is_not_a_difference_and_a_different_name_is_title_cased() -> None:
    world = build_world()
    run = load_results([result(world.ha, "MATCHED_WITH_DIFFERENCES", pop_full_name="NGUYỄN THỊ THU HÀ")])
    record = record_of(run, world.ha)
    assert not services.proposed_correction(record, world.ha)
    record.pop_full_name = "NGUYỄN THỊ THU HẠ"
    assert services.proposed_correction(record, world.ha).values == {"given_name": "Hạ"}
    record.pop_full_name = "Lê Thị Thu Hạ"
    assert services.proposed_correction(record, world.ha).values == {"family_name": "Lê", "given_name": "Hạ"}
    assert other_id(world.ha, 2) != world.ha.personal_id
