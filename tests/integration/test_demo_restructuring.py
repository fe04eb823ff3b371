"""The 2025 reform in the demo: a recorded plan with its successions and moves, the former district level,
an illustrative commune adjacency, preferences, two draft plans and a redeployment run for HR to review.

One small province (600 people, no evaluation year: the reform does not need it) is built once for the module;
each test reads it inside its own rolled-back transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F

from congvu.demo.generate import BuildOptions, build_demo
from congvu.demo.people import AS_OF
from congvu.demo.restructuring import DRAFT_NAME, REFORM_NAME
from congvu.org.models import AdminArea, OrgUnit
from congvu.org.queries import tree_on
from congvu.personnel.models import Employment
from congvu.restructuring import services
from congvu.restructuring.models import (
    AreaNeighbour,
    EmploymentMove,
    OrgEvent,
    Plan,
    Preference,
    Proposal,
    RedeploymentRun,
    UnitSuccession,
)

PEOPLE = 600
LAST_OLD_DAY = dt.date(2025, 6, 30)
MERGER_DAY = dt.date(2025, 7, 1)
FORMER = {"Hà Nam", "Nam Định", "Ninh Bình"}


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        result = build_demo(BuildOptions(people=PEOPLE, seed=2, evaluation=False))
        yield {"province": result.structure.provinces[0], "summary": result.job.summary}
        call_command("flush", interactive=False, verbosity=0)


def former_provinces() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to=LAST_OLD_DAY).order_by("name"))


@pytest.mark.django_db
def test_the_reform_is_a_recorded_plan_whose_successions_follow_the_2025_mapping(built: dict[str, Any]) -> None:
    province = built["province"]
    plan = Plan.objects.get(status=Plan.Status.RECORDED, scope_unit=province)
    assert plan.name == REFORM_NAME
    merge, dissolve = plan.events.order_by("seq")
    assert (merge.kind, merge.decision_number, merge.decision_date) == (
        OrgEvent.Kind.MERGE, "202/2025/QH15", dt.date(2025, 6, 12))
    assert merge.legal_basis == "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"
    assert dissolve.kind == OrgEvent.Kind.DISSOLVE
    assert "72/2025/QH15" in dissolve.legal_basis
    assert {merge.effective_date, dissolve.effective_date} == {MERGER_DAY}
    successions = UnitSuccession.objects.filter(event__plan=plan)
    assert not successions.filter(created=True).exists()
    assert {s.old_unit.name for s in successions.filter(new_unit=province)} == {
        f"Ủy ban nhân dân tỉnh {n} (trước 01/07/2025)" for n in FORMER}

    def heirs(old: str) -> set[str]:
        return set(successions.filter(old_unit__name=old).values_list("new_unit__name", flat=True))

    assert heirs("Sở Kế hoạch và Đầu tư") == {"Sở Tài chính"}
    assert heirs("Sở Tài nguyên và Môi trường") == heirs("Sở Nông nghiệp và Phát triển nông thôn") == {
        "Sở Nông nghiệp và Môi trường"}
    assert heirs("Sở Giao thông vận tải") == {"Sở Xây dựng"}
    assert "Sở Nội vụ" in heirs("Sở Lao động – Thương binh và Xã hội")
    assert "Sở Khoa học và Công nghệ" in heirs("Sở Thông tin và Truyền thông")
    assert heirs("Sở Tư pháp") == {"Sở Tư pháp"}
    chi_cuc = successions.get(old_unit__name="Chi cục Thủy lợi", old_unit__parent__parent__name__contains="Hà Nam")
    assert chi_cuc.new_unit is not None
    assert chi_cuc.new_unit.path.startswith(province.path)
    assert chi_cuc.new_unit.name == "Chi cục Thủy lợi"
    districts = successions.filter(old_unit__kind=OrgUnit.Kind.DISTRICT)
    assert districts.count() == 22
    assert set(districts.values_list("event", "new_unit")) == {(dissolve.pk, None)}
    former = OrgUnit.objects.filter(valid_to=LAST_OLD_DAY).exclude(kind=OrgUnit.Kind.NATION)
    assert set(successions.values_list("old_unit", flat=True)) == set(former.values_list("pk", flat=True))
    kinds = set(former.values_list("kind", flat=True))
    assert {OrgUnit.Kind.PROVINCIAL_DEPARTMENT, OrgUnit.Kind.DIVISION, OrgUnit.Kind.SUB_DEPARTMENT,
            OrgUnit.Kind.PUBLIC_SERVICE_UNIT, OrgUnit.Kind.DISTRICT} <= kinds


@pytest.mark.django_db
def test_the_tree_before_the_merger_holds_the_former_provinces_and_districts_and_after_it_none(
        built: dict[str, Any]) -> None:
    before = tree_on(LAST_OLD_DAY)
    after = tree_on(MERGER_DAY)
    old_ids = {u.pk for u in former_provinces()}
    assert len(old_ids) == 3
    assert old_ids <= set(before.values_list("pk", flat=True))
    districts = before.filter(kind=OrgUnit.Kind.DISTRICT)
    assert {d.parent_id for d in districts} == old_ids
    assert districts.filter(source__contains="minh họa").count() == districts.count() == 22
    assert not after.filter(kind=OrgUnit.Kind.DISTRICT).exists()
    assert not after.filter(pk__in=old_ids).exists()
    assert not after.filter(parent_id__in=old_ids).exists()
    assert after.filter(pk=built["province"].pk).exists()
    assert not before.filter(pk=built["province"].pk).exists()


@pytest.mark.django_db
def test_every_spell_ended_by_the_merger_is_linked_to_the_spell_that_followed_it(built: dict[str, Any]) -> None:
    ended = Employment.objects.filter(end_date=LAST_OLD_DAY)
    moves = EmploymentMove.objects.filter(event__plan__status=Plan.Status.RECORDED)
    assert ended.count() > PEOPLE / 2
    assert set(moves.values_list("old_employment", flat=True)) == set(ended.values_list("pk", flat=True))
    assert moves.count() == ended.count()
    assert not moves.exclude(person=F("old_employment__person")).exists()
    assert not moves.exclude(person=F("new_employment__person")).exists()
    assert set(moves.values_list("new_employment__start_date", flat=True)) == {MERGER_DAY}
    assert set(moves.values_list("event__kind", flat=True)) == {OrgEvent.Kind.MERGE}
    assert built["summary"]["restructuring"]["employment_moves"] == moves.count()


@pytest.mark.django_db
def test_the_communes_have_an_illustrative_adjacency_and_some_surplus_people_stated_wishes(
        built: dict[str, Any]) -> None:
    province = built["province"]
    communes = AdminArea.objects.filter(parent_id=province.area_id).count()
    pairs = AreaNeighbour.objects.filter(area__parent_id=province.area_id)
    assert pairs.count() == 2 * (communes - 1)
    assert not pairs.exclude(source__contains="minh họa").exists()
    a = pairs.first()
    assert a is not None
    assert AreaNeighbour.objects.filter(area=a.neighbour, neighbour=a.area).exists()
    wishes = Preference.objects.select_related("person", "unit")
    assert wishes.exists()
    for wish in wishes:
        assert wish.unit.path.startswith(province.path)
        assert wish.unit_id != wish.person.current_unit_id


@pytest.mark.django_db
def test_two_drafts_of_the_same_2027_merger_differ_in_their_quota_decisions_and_change_nothing(
        built: dict[str, Any]) -> None:
    drafts = list(Plan.objects.filter(status=Plan.Status.DRAFT, name__startswith=DRAFT_NAME).order_by("pk"))
    assert len(drafts) == built["summary"]["restructuring"]["draft_plans"] == 2
    for plan in drafts:
        event = plan.events.get()
        assert (event.kind, event.effective_date) == (OrgEvent.Kind.MERGE, dt.date(2027, 1, 1))
        assert all(d["reason"] for d in event.spec["quota_decisions"])
    first, second = (services.impact(p).totals for p in drafts)
    assert first.headcount_before == second.headcount_before > 0
    assert first.quota_decided_change < 0
    assert any(u.a.quota != u.b.quota for u in services.compare(*drafts).units if u.a and u.b)
    absorbed = OrgUnit.objects.get(parent=built["province"], name="Sở Dân tộc và Tôn giáo")
    assert absorbed.valid_to is None
    assert not UnitSuccession.objects.filter(event__plan__in=drafts).exists()


@pytest.mark.django_db
def test_hr_finds_an_open_redeployment_run_with_pending_proposals_as_of_the_demo_day(built: dict[str, Any]) -> None:
    run = RedeploymentRun.objects.get(scope_unit=built["province"])
    assert (run.status, run.as_of) == (RedeploymentRun.Status.OPEN, AS_OF)
    counts = built["summary"]["restructuring"]
    assert counts["surplus"] == run.figures["surplus"] == run.proposals.count() > 0
    assert counts["placed"] + counts["left_over"] == counts["surplus"]
    assert set(run.proposals.values_list("status", flat=True)) == {Proposal.Status.PENDING}
    placed = run.proposals.filter(to_position__isnull=False)
    assert placed.count() == counts["placed"] > 0
    assert all(p.evidence for p in placed[:5])
