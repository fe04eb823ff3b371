"""Organisation events: a merger keeps the old tree as of the day before, moves every person once, carries
quota only through decisions, and undoes exactly; each other kind does what it says; bad specs and users outside
the scope change nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition, OrgUnit, active_on
from congvu.org.queries import tree_on
from congvu.personnel.models import Employment, Person
from congvu.personnel.services import EmploymentInput, change_employment
from congvu.restructuring import services
from congvu.restructuring.models import EmploymentMove, OrgEvent, Plan, QuotaDecision, UnitSuccession
from congvu.restructuring.services import RestructuringError
from tests.factories import EVERYTHING
from tests.integration.restructuring_support import (
    BEFORE,
    DAY_BEFORE,
    DECISION,
    EFFECTIVE,
    RestructuringWorld,
    build_restructuring_world,
    event_fields,
    merger_spec,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(settings: Any) -> RestructuringWorld:
    # Nobody logs in here: a fast hasher keeps the seven users of the world from costing Argon2 time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_restructuring_world()


def _scope(rw: RestructuringWorld) -> Any:
    return scope_for(rw.hr_province, Right.RESTRUCTURE)


def _draft(rw: RestructuringWorld, spec: dict[str, Any] | None = None, **fields: Any) -> Plan:
    plan = services.create_plan(rw.hr_province, _scope(rw), name="Hợp nhất Sở Nội vụ và Sở LĐTBXH",
                                scope_unit_id=rw.province.pk)
    services.add_event(rw.hr_province, _scope(rw), plan.pk, **event_fields(spec=spec or merger_spec(rw), **fields))
    return plan


def _commit(rw: RestructuringWorld, plan: Plan, today: dt.date = BEFORE) -> Plan:
    return services.commit_plan(rw.hr_province, _scope(rw), plan.pk, today=today)


def _tree(day: dt.date) -> list[tuple[int, str, int | None]]:
    return [(u.pk, u.name, u.parent_id) for u in tree_on(day)]


def _state() -> dict[str, list[tuple[Any, ...]]]:
    """Everything an event may touch, row by row."""
    return {
        "units": list(OrgUnit.objects.order_by("pk").values_list(
            "pk", "name", "kind", "code", "parent_id", "path", "depth", "valid_from", "valid_to")),
        "positions": list(JobPosition.objects.order_by("pk").values_list(
            "pk", "unit_id", "name", "group", "rank_id", "code", "headcount_quota", "valid_from", "valid_to")),
        "employments": list(Employment.objects.order_by("pk").values_list(
            "pk", "person_id", "unit_id", "position_id", "title", "rank_id", "salary_step", "step_since",
            "percent_allowances", "start_date", "end_date", "decision_number", "end_reason")),
        "people": list(Person.objects.order_by("pk").values_list("pk", "current_unit_id", "org_path", "version")),
    }


def _quota_on(day: dt.date) -> int:
    return sum(JobPosition.objects.filter(active_on(day)).values_list("headcount_quota", flat=True))


# ---- the merger ----------------------------------------------------------------------------------------------


def test_after_a_merger_the_tree_as_of_the_day_before_equals_the_old_tree_and_the_effective_date_has_the_successors(
    rw: RestructuringWorld,
) -> None:
    old_tree = _tree(DAY_BEFORE)
    _commit(rw, _draft(rw))
    assert _tree(DAY_BEFORE) == old_tree
    after = tree_on(EFFECTIVE, rw.province)
    assert [(u.depth, u.name) for u in after[:2]] == [(0, "Thành phố Hà Nội"), (1, "Sở Nội vụ")]
    assert sorted((u.depth, u.name) for u in after[2:]) == [
        (2, "Phòng Bảo trợ xã hội"), (2, "Phòng Công chức, viên chức"), (2, "Phòng Tổ chức cán bộ")]
    new_so = after[1]
    assert new_so.pk not in {pk for pk, _n, _p in old_tree}
    assert new_so.valid_from == EFFECTIVE
    assert all(u.path.startswith(new_so.path) for u in after[1:])
    tccb = after.get(name="Phòng Tổ chức cán bộ")  # the two "Phòng Tổ chức cán bộ" became one
    assert set(UnitSuccession.objects.filter(new_unit=tccb).values_list("old_unit_id", flat=True)) == {
        rw.world.phong_tccb.pk, rw.tccb_ld.pk}
    assert OrgUnit.objects.get(pk=rw.noi_vu.pk).valid_to == DAY_BEFORE


def test_after_a_merger_every_person_has_exactly_one_current_employment_with_the_same_rank_and_step(
    rw: RestructuringWorld,
) -> None:
    before = {e.person_id: e for e in Employment.objects.filter(end_date__isnull=True)}
    _commit(rw, _draft(rw))
    for person_id, old in before.items():
        current = list(Employment.objects.filter(person_id=person_id, end_date__isnull=True))
        assert len(current) == 1
        new = current[0]
        moved = old.unit_id in {u.pk for u in OrgUnit.objects.filter(valid_to=DAY_BEFORE)}
        if not moved:
            assert new.pk == old.pk
            continue
        assert (new.start_date, new.decision_number) == (EFFECTIVE, DECISION)
        assert (new.rank_id, new.salary_step, new.step_since, new.title, new.percent_allowances) == (
            old.rank_id, old.salary_step, old.step_since, old.title, old.percent_allowances)
        ended = Employment.objects.get(pk=old.pk)
        assert (ended.end_date, ended.end_reason) == (DAY_BEFORE, f"Sắp xếp tổ chức theo {DECISION}")
    cuong = Employment.objects.get(person=rw.people["cuong"], end_date__isnull=True)
    ha = Employment.objects.get(person=rw.people["ha"], end_date__isnull=True)
    assert cuong.unit.name == "Phòng Tổ chức cán bộ"
    assert cuong.position is not None
    assert ha.position is not None
    assert ha.position.headcount_quota == 2
    khoa = Employment.objects.get(person=rw.people["khoa"], end_date__isnull=True)
    assert khoa.unit.name == "Phòng Bảo trợ xã hội"
    assert khoa.position is None
    history = AuditEntry.objects.filter(subject_person_id=rw.people["cuong"].pk, action="restructuring.move").get()
    assert history.object_type == "employment"
    assert history.after["decision_number"] == DECISION


def test_no_quota_is_silently_lost_in_a_merger(rw: RestructuringWorld) -> None:
    before = _quota_on(DAY_BEFORE)
    plan = _draft(rw)
    _commit(rw, plan)
    decided = sum(d.decided - d.carried for d in QuotaDecision.objects.filter(event__plan=plan))
    assert decided == -1  # two Giám đốc seats decided down to one, with its reason
    assert before == _quota_on(EFFECTIVE) - decided
    tccb = JobPosition.objects.get(unit__name="Phòng Tổ chức cán bộ", valid_from=EFFECTIVE)
    assert tccb.headcount_quota == 3  # 2 (Nội vụ) + 1 (LĐTBXH) carried


def test_a_quota_decision_that_differs_from_what_is_carried_needs_a_reason(rw: RestructuringWorld) -> None:
    spec = merger_spec(rw)
    spec["quota_decisions"][0]["reason"] = ""
    with pytest.raises(RestructuringError) as caught:
        _draft(rw, spec)
    assert "spec.quota_decisions[0].reason" in caught.value.errors
    assert "Giám đốc" in caught.value.errors["spec.quota_decisions[0].reason"][0]


def test_the_moves_predicted_by_impact_are_the_moves_recorded_after_commit(rw: RestructuringWorld) -> None:
    plan = _draft(rw)
    predicted = services.impact(plan)
    assert predicted.totals.headcount_before == 8
    assert predicted.totals.quota_after == predicted.totals.quota_before + predicted.totals.quota_decided_change
    tccb = next(p for p in predicted.positions if p.quota_carried == 3)
    assert (tccb.staff_in, tccb.surplus, tccb.shortage) == (3, 0, 0)
    gd = next(p for p in predicted.positions if p.name == "Giám đốc")
    assert (gd.quota_carried, gd.quota, gd.staff_in, gd.surplus) == (2, 1, 2, 1)
    assert predicted.totals.unplaced == 1  # Ông Khoa has no position
    assert predicted.closed_units_by_kind == {"provincial_department": 2, "division": 4}
    assert predicted.opened_units_by_kind == {"provincial_department": 1, "division": 3}
    _commit(rw, plan)
    recorded = {(m.person_id, m.old_employment_id, m.old_employment.unit_id, m.new_employment.unit.name,
                 m.new_employment.position.name if m.new_employment.position else None)
                for m in EmploymentMove.objects.filter(event__plan=plan).select_related(
                    "old_employment", "new_employment__unit", "new_employment__position")}
    units = {u.ref: u.name for u in predicted.units}
    positions = {p.ref: p.name for p in predicted.positions}
    assert recorded == {(m.person_id, m.employment_id, m.from_unit_id, units[m.to_unit_ref],
                         positions[m.to_position_ref] if m.to_position_ref else None) for m in predicted.moves}
    again = services.impact(Plan.objects.get(pk=plan.pk))  # a committed plan's impact, read from its records
    assert again.totals == predicted.totals


def test_a_draft_changes_nothing(rw: RestructuringWorld) -> None:
    state = _state()
    plan = _draft(rw)
    services.impact(plan)
    services.compare(plan, plan)
    assert _state() == state
    assert plan.status == Plan.Status.DRAFT
    assert OrgEvent.objects.get(plan=plan).summary.startswith("Hợp nhất")


def test_two_drafts_compare_side_by_side(rw: RestructuringWorld) -> None:
    a, b = _draft(rw), _draft(rw, merger_spec(rw, giam_doc_quota=2))
    comparison = services.compare(a, b)
    assert (comparison.a.quota_after, comparison.b.quota_after) == (comparison.a.quota_before - 1,
                                                                     comparison.b.quota_before)
    so = next(row for row in comparison.units if row.kind == "provincial_department")
    assert so.a is not None
    assert so.b is not None
    assert (so.a.quota, so.b.quota, so.a.surplus, so.b.surplus) == (1, 2, 1, 0)


def test_undo_restores_the_previous_state_exactly(rw: RestructuringWorld) -> None:
    state = _state()
    plan = _commit(rw, _draft(rw))
    assert _state() != state
    undone = services.undo_plan(rw.hr_province, _scope(rw), plan.pk, reason="HĐND chưa thông qua", today=BEFORE)
    assert _state() == state
    assert undone.status == Plan.Status.UNDONE
    assert undone.undo_reason == "HĐND chưa thông qua"
    assert not EmploymentMove.objects.exists()
    assert not UnitSuccession.objects.exists()
    assert AuditEntry.objects.filter(action="restructuring.undo", subject_person_id=rw.people["ha"].pk).exists()


def test_undo_after_the_effective_date_is_refused(rw: RestructuringWorld) -> None:
    plan = _commit(rw, _draft(rw))
    with pytest.raises(RestructuringError) as caught:
        services.undo_plan(rw.hr_province, _scope(rw), plan.pk, reason="muộn", today=EFFECTIVE)
    assert "01/01/2026" in caught.value.errors["__all__"][0]
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.COMMITTED


def test_undo_is_refused_after_a_later_employment_change_naming_the_person(rw: RestructuringWorld) -> None:
    plan = _commit(rw, _draft(rw))
    new_unit = Employment.objects.get(person=rw.people["yen"], end_date__isnull=True).unit_id
    change_employment(None, EVERYTHING, rw.people["yen"].pk, EmploymentInput(unit_id=new_unit,
                      start_date=dt.date(2026, 3, 1), decision_number="9/QĐ"))
    with pytest.raises(RestructuringError) as caught:
        services.undo_plan(rw.hr_province, _scope(rw), plan.pk, reason="thử", today=BEFORE)
    assert any("Bùi Hải Yến" in m for m in caught.value.errors["__all__"])


def test_people_switch_units_on_the_effective_date_and_apply_due_is_idempotent(rw: RestructuringWorld) -> None:
    plan = _commit(rw, _draft(rw))
    ha = rw.people["ha"]
    assert Person.objects.get(pk=ha.pk).current_unit_id == rw.world.phong_ccvc.pk
    assert services.apply_due(DAY_BEFORE) == 0
    assert services.apply_due(EFFECTIVE) == 1
    assert services.apply_due(EFFECTIVE) == 0
    person = Person.objects.get(pk=ha.pk)
    assert person.current_unit is not None
    assert person.current_unit.valid_from == EFFECTIVE
    assert person.org_path == person.current_unit.path
    assert services.unit_on(ha.pk, DAY_BEFORE) == rw.world.phong_ccvc
    assert services.unit_on(ha.pk, EFFECTIVE) == person.current_unit
    assert OrgEvent.objects.get(plan=plan).applied_at is not None


def test_a_plan_committed_on_its_effective_date_switches_people_at_once_and_the_command_applies_due_events(
    rw: RestructuringWorld, capsys: pytest.CaptureFixture[str],
) -> None:
    plan = _draft(rw)
    call_command("restructuring", "commit", str(plan.pk), "--actor", "tccb_tinh", "--today", EFFECTIVE.isoformat())
    assert '"status": "committed"' in capsys.readouterr().out
    assert Person.objects.get(pk=rw.people["cuong"].pk).current_unit.valid_from == EFFECTIVE  # type: ignore[union-attr]
    call_command("restructuring", "apply-due", "--today", EFFECTIVE.isoformat())
    assert '"events_applied": 0' in capsys.readouterr().out


def test_commit_is_refused_when_a_source_changed_since_drafting(rw: RestructuringWorld) -> None:
    plan = _draft(rw)
    OrgUnit.objects.filter(pk=rw.ldtbxh.pk).update(valid_to=dt.date(2025, 10, 31))
    state = _state()
    with pytest.raises(RestructuringError) as caught:
        _commit(rw, plan)
    assert "Sở Lao động - Thương binh và Xã hội" in str(caught.value)
    assert _state() == state


# ---- the other kinds ---------------------------------------------------------------------------------------


def test_a_split_sends_children_and_positions_to_the_chosen_targets(rw: RestructuringWorld) -> None:
    parent = rw.province.pk
    spec = {"source": rw.ldtbxh.pk,
            "targets": [{"name": "Sở Y tế", "kind": "provincial_department", "parent_id": parent},
                        {"name": "Sở Lao động", "kind": "provincial_department", "parent_id": parent}],
            "children": {str(rw.tccb_ld.pk): 1}, "positions": {str(rw.positions["gd_ld"].pk): 1}}
    _commit(rw, _draft(rw, spec, kind="split"))
    y_te = OrgUnit.objects.get(name="Sở Y tế")
    lao_dong = OrgUnit.objects.get(name="Sở Lao động")
    assert [k.name for k in tree_on(EFFECTIVE, y_te)[1:]] == ["Phòng Bảo trợ xã hội"]
    assert [k.name for k in tree_on(EFFECTIVE, lao_dong)[1:]] == ["Phòng Tổ chức cán bộ"]
    assert Employment.objects.get(person=rw.people["giang"], end_date__isnull=True).unit == lao_dong
    assert set(UnitSuccession.objects.filter(old_unit=rw.ldtbxh).values_list("new_unit__name", flat=True)) == {
        "Sở Y tế", "Sở Lao động"}


def test_a_dissolved_unit_closes_with_its_subtree_its_positions_are_abolished_and_staff_move_without_a_position(
    rw: RestructuringWorld,
) -> None:
    before = _quota_on(DAY_BEFORE)
    spec = {"unit": rw.ldtbxh.pk, "receiving_unit_id": rw.noi_vu.pk}
    _commit(rw, _draft(rw, spec, kind="dissolve"))
    assert not tree_on(EFFECTIVE).filter(pk__in=[rw.ldtbxh.pk, rw.tccb_ld.pk, rw.bao_tro.pk]).exists()
    moved = Employment.objects.filter(person__in=[rw.people[k] for k in ("giang", "cuong", "yen", "khoa")],
                                      end_date__isnull=True)
    assert {(e.unit_id, e.position_id) for e in moved} == {(rw.noi_vu.pk, None)}
    abolished = QuotaDecision.objects.filter(position__isnull=True)
    assert abolished.count() == 3
    assert all(d.decided == 0 and d.reason for d in abolished)
    assert before == _quota_on(EFFECTIVE) - sum(d.decided - d.carried for d in abolished)


def test_a_rename_opens_a_successor_with_the_new_name_and_copies_the_children(rw: RestructuringWorld) -> None:
    _commit(rw, _draft(rw, {"unit": rw.ldtbxh.pk, "name": "Sở Lao động"}, kind="rename"))
    new = tree_on(EFFECTIVE).get(name="Sở Lao động")
    assert new.parent_id == rw.province.pk
    assert new.kind == rw.ldtbxh.kind
    assert sorted(k.name for k in tree_on(EFFECTIVE, new)[1:]) == ["Phòng Bảo trợ xã hội", "Phòng Tổ chức cán bộ"]
    assert tree_on(DAY_BEFORE).filter(pk=rw.ldtbxh.pk, name="Sở Lao động - Thương binh và Xã hội").exists()


def test_a_move_puts_the_successor_under_the_new_parent(rw: RestructuringWorld) -> None:
    _commit(rw, _draft(rw, {"unit": rw.bao_tro.pk, "parent_id": rw.noi_vu.pk}, kind="move"))
    new = tree_on(EFFECTIVE).get(name="Phòng Bảo trợ xã hội")
    assert new.parent_id == rw.noi_vu.pk
    assert new.path.startswith(rw.noi_vu.path)
    assert Employment.objects.get(person=rw.people["yen"], end_date__isnull=True).position.unit == new  # type: ignore[union-attr]


def test_a_level_change_gives_the_successor_the_new_kind(rw: RestructuringWorld) -> None:
    spec = {"unit": rw.bao_tro.pk, "kind": "sub_department", "parent_id": rw.ldtbxh.pk}
    _commit(rw, _draft(rw, spec, kind="level_change"))
    new = tree_on(EFFECTIVE).get(name="Phòng Bảo trợ xã hội")
    assert new.kind == "sub_department"
    assert new.pk != rw.bao_tro.pk


def test_two_events_of_one_plan_must_touch_disjoint_units(rw: RestructuringWorld) -> None:
    plan = _draft(rw)
    with pytest.raises(RestructuringError) as caught:
        services.add_event(rw.hr_province, _scope(rw), plan.pk,
                           **event_fields(kind="rename", spec={"unit": rw.bao_tro.pk, "name": "Phòng Xã hội"}))
    assert "Sự kiện #1 và #2" in caught.value.errors["spec"][0]
    assert OrgEvent.objects.filter(plan=plan).count() == 1


# ---- refusals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "field", "words"), [
    ({"sources": [], "target": {"existing_id": 1}}, "spec.sources", "ít nhất"),
    ({"sources": [999999], "target": {"name": "X", "kind": "division", "parent_id": 999998}}, "spec.sources[0]",
     "999999 không tồn tại"),
    ({"sources": [1, 2], "target": {"name": "X"}}, "spec.target", "Đơn vị mới cần"),
    ({"sources": [1, 2], "target": {"existing_id": 1}, "extra": 1}, "spec.extra", "không được hỗ trợ"),
])
def test_a_bad_spec_names_the_field_and_writes_nothing(
    rw: RestructuringWorld, spec: dict[str, Any], field: str, words: str,
) -> None:
    plan = services.create_plan(rw.hr_province, _scope(rw), name="Thử", scope_unit_id=rw.province.pk)
    state, audits = _state(), AuditEntry.objects.count()
    with pytest.raises(RestructuringError) as caught:
        services.add_event(rw.hr_province, _scope(rw), plan.pk, **event_fields(spec=spec))
    assert any(words in m for m in caught.value.errors[field]), caught.value.errors
    assert _state() == state
    assert AuditEntry.objects.count() == audits
    assert not OrgEvent.objects.exists()


def test_a_unit_outside_the_plans_scope_is_named(rw: RestructuringWorld) -> None:
    spec = {"unit": rw.world.so_tai_chinh_hue.pk, "name": "Sở Tài chính Huế"}
    plan = services.create_plan(rw.hr_province, _scope(rw), name="Thử", scope_unit_id=rw.province.pk)
    with pytest.raises(RestructuringError) as caught:
        services.add_event(rw.hr_province, _scope(rw), plan.pk, **event_fields(kind="rename", spec=spec))
    assert "«Sở Tài chính» (mã" in caught.value.errors["spec.unit"][0]
    assert "ngoài phạm vi" in caught.value.errors["spec.unit"][0]


def test_a_user_outside_the_scope_is_refused(rw: RestructuringWorld) -> None:
    department_hr = rw.world.users["hr"]  # HR of Sở Nội vụ only
    scope = scope_for(department_hr, Right.RESTRUCTURE)
    with pytest.raises(RestructuringError):
        services.create_plan(department_hr, scope, name="Thử", scope_unit_id=rw.province.pk)
    plan = _draft(rw)
    state = _state()
    for attempt in (lambda: services.commit_plan(department_hr, scope, plan.pk, today=BEFORE),
                    lambda: services.add_event(department_hr, scope, plan.pk, **event_fields(spec=merger_spec(rw))),
                    lambda: services.remove_event(department_hr, scope, plan.events.get().pk)):
        with pytest.raises(RestructuringError) as caught:
            attempt()
        assert "ngoài phạm vi" in caught.value.errors["__all__"][0]
    assert _state() == state
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    assert scope_for(rw.world.users["inspector"], Right.RESTRUCTURE).empty


def test_only_drafts_take_or_lose_events(rw: RestructuringWorld) -> None:
    plan = _commit(rw, _draft(rw))
    with pytest.raises(RestructuringError):
        services.remove_event(rw.hr_province, _scope(rw), plan.events.get().pk)


# ---- the benchmark at a tiny size ----------------------------------------------------------------------------


def test_the_merger_benchmark_commits_and_undoes_a_small_merger_back_to_the_same_state(settings: Any) -> None:
    from bench import restructuring_merger

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data = restructuring_merger.run(restructuring_merger.parse_args(["--people", "2000", "--database-url", ""]))
    assert data["people"] == data["impact"]["moves"] == data["employments_opened"] == 2000
    assert data["impact"]["quota_after"] == data["impact"]["quota_before"]
    assert data["units_opened"] > 0
    assert data["undo_after_effective_date_refused"] is True
    assert data["undo_restores_state"] is True
