"""Redeployment of the surplus (congvu.restructuring.redeploy) on a small Sở Nội vụ, as of 01/03/2026.

- Phòng CCVC, "Chuyên viên về công chức" (01.003), quota lowered from 4 to 2: Hà (good 88.5), An (excellent
  95), Cường (completed 72) and Dung (not completed 45, a child under 36 months): Dung and Cường are surplus.
- Phòng Pháp chế, closed on 28/02/2026: Giang (good 85, Chuyên viên) is surplus (unit dissolved); her first
  wish is Phòng CCVC.
- Phòng TCCB, "Văn thư" (support, 01.005) closed on 28/02/2026: Em (a contract worker born 15/06/1967, 22
  insured years) is surplus (position abolished) and no support seat is vacant.
- Vacant: one "Chuyên viên tổ chức" (01.003, TCCB, Bình holds the other), one "Chuyên viên chính về công
  chức" (01.002, CCVC); the vacant "Trưởng phòng" is leadership and never offered.
The optimum places Giang as Chuyên viên chính in CCVC (adjacent rank + her wish: 78) and Cường as Chuyên viên
tổ chức (77): 155, better than Giang in TCCB (83) and Cường one rank up (57). Dung (d) and Em (e) are left over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from congvu.access.access import NotFoundOrDenied, scope_for
from congvu.access.models import Role
from congvu.access.policy import Right
from congvu.consequences.models import Circumstance
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus
from congvu.org.models import JobPosition, OrgUnit, Rank
from congvu.org.reference import load_base_salaries, load_salary_tables
from congvu.org.services import update_position_quota
from congvu.personnel.models import Employment, Person
from congvu.restructuring import redeploy
from congvu.restructuring.models import Preference, Proposal, RedeploymentRun
from tests.factories import EVERYTHING, World, build_world, person, unit, user

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)
CLOSED = dt.date(2026, 2, 28)
EFFECTIVE = dt.date(2026, 4, 1)


@dataclass
class Redeploy:
    world: World
    hr: User
    scope: Scope
    people: dict[str, Person]
    positions: dict[str, JobPosition]

    def run(self, **kw: Any) -> RedeploymentRun:
        return redeploy.run_redeployment(self.hr, self.scope, scope_unit_id=self.world.so_noi_vu.pk, as_of=AS_OF, **kw)


def _employ(who: Person, position: JobPosition | None, rank: Rank, step: int, **extra: Any) -> None:
    Employment.objects.filter(person=who, end_date__isnull=True).update(
        position=position, rank=rank, salary_step=step, step_since=dt.date(2023, 1, 1),
        percent_allowances=Decimal(25), **extra)
    Person.objects.filter(pk=who.pk).update(education_level="bachelor")


def _rate(run: AnnualRun, who: Person, level: str, score: str) -> None:
    AnnualResult.objects.create(run=run, person=who, unit_id=who.current_unit_id, role="staff", periods_worked=12,
                                annual_score=Decimal(score), level_by_score=level, level=level)


def _position(at: OrgUnit, name: str, rank: Rank, quota: int, group: str = "professional") -> JobPosition:
    return JobPosition.objects.create(unit=at, name=name, group=group, rank=rank, headcount_quota=quota)


@pytest.fixture
def rd(settings: Any) -> Redeploy:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_salary_tables()
    load_base_salaries()
    w = build_world()
    ranks = {r.code: r for r in Rank.objects.all()}
    cv, cvc, nv = ranks["01.003"], ranks["01.002"], ranks["01.005"]
    phap_che = unit("Phòng Pháp chế", OrgUnit.Kind.DIVISION, w.so_noi_vu)
    p = {
        "cong_chuc": _position(w.phong_ccvc, "Chuyên viên về công chức", cv, 4),
        "to_chuc": _position(w.phong_tccb, "Chuyên viên tổ chức", cv, 2),
        "truong_phong": _position(w.phong_tccb, "Trưởng phòng Tổ chức cán bộ", cvc, 1, "leadership"),
        "van_thu": _position(w.phong_tccb, "Văn thư", nv, 1, "support"),
        "chinh": _position(w.phong_ccvc, "Chuyên viên chính về công chức", cvc, 1),
        "phap_che": _position(phap_che, "Chuyên viên pháp chế", cv, 1),
        "hue": _position(w.so_tai_chinh_hue, "Chuyên viên tài chính", cv, 3),
    }
    people = {
        "ha": w.ha, "binh": w.binh,
        "an": person(("Lê", "Văn", "An"), w.phong_ccvc, sex="M"),
        "cuong": person(("Phạm", "Quốc", "Cường"), w.phong_ccvc, sex="M", birth_year=1988),
        "dung": person(("Vũ", "Thị", "Dung"), w.phong_ccvc, birth_year=1992),
        "giang": person(("Hoàng", "Thu", "Giang"), phap_che, birth_year=1990),
        "em": person(("Đinh", "Văn", "Em"), w.phong_tccb, sex="M", birth_year=1967, birth_date=dt.date(1967, 6, 15),
                     category="contract"),
    }
    for key in ("ha", "an", "cuong", "dung"):
        _employ(people[key], p["cong_chuc"], cv, 3)
    _employ(people["binh"], p["to_chuc"], cv, 4)
    _employ(people["giang"], p["phap_che"], cv, 3)
    _employ(people["em"], p["van_thu"], nv, 6, position_allowance=Decimal("0.10"))
    Person.objects.filter(pk=people["em"].pk).update(education_level="intermediate", insured_months=264)
    OrgUnit.objects.filter(pk=phap_che.pk).update(valid_to=CLOSED)
    JobPosition.objects.filter(pk=p["van_thu"].pk).update(valid_to=CLOSED)
    annual = AnnualRun.objects.create(agency=w.so_noi_vu, year=2025, status=AnnualStatus.FINAL,
                                      excellent_ratio=Decimal("0.20"), rule_set_id="nd335-2025-v1",
                                      computed_at=timezone.now(), published_at=timezone.now(), people=6)
    for key, level, score in (("ha", "GOOD", "88.50"), ("an", "EXCELLENT", "95.00"), ("cuong", "COMPLETED", "72.00"),
                              ("dung", "NOT_COMPLETED", "45.00"), ("giang", "GOOD", "85.00"), ("binh", "GOOD", "80")):
        people[key].refresh_from_db()
        _rate(annual, people[key], level, score)
    Circumstance.objects.create(person=people["dung"], kind=Circumstance.Kind.CHILD_UNDER_36_MONTHS,
                                start_date=dt.date(2025, 5, 1))
    Preference.objects.create(person=people["giang"], unit=w.phong_ccvc, rank=1)
    hr = w.users["hr"]
    update_position_quota(hr, scope_for(hr, Right.WRITE_ORG), p["cong_chuc"].pk, 2, reason="Sắp xếp lại biên chế 2026")
    for who in people.values():
        who.refresh_from_db()
    return Redeploy(w, hr, scope_for(hr, Right.RESTRUCTURE), people, p)


def proposals(run: RedeploymentRun) -> dict[int, Proposal]:
    return {p.person_id: p for p in Proposal.objects.filter(run=run)}


def test_the_run_proposes_the_optimal_positions_with_their_evidence(rd: Redeploy) -> None:
    run = rd.run()
    got = proposals(run)
    people, pos = rd.people, rd.positions
    assert set(got) == {people[k].pk for k in ("cuong", "dung", "giang", "em")}
    cuong, giang = got[people["cuong"].pk], got[people["giang"].pk]
    assert (cuong.to_position_id, cuong.fit, cuong.reason) == (pos["to_chuc"].pk, 77, Proposal.Reason.OVER_QUOTA)
    assert (giang.to_position_id, giang.fit, giang.reason) == (pos["chinh"].pk, 78, Proposal.Reason.UNIT_DISSOLVED)
    assert {p["key"]: p["points"] for p in cuong.evidence["parts"]} == {
        "rank": 40, "level": 10, "score": 7, "place": 20, "preference": 0}
    assert all(c["ok"] for c in cuong.evidence["constraints"])
    assert cuong.evidence["feasible_positions"] == 2
    assert cuong.evidence["alternative"]["position_id"] == pos["chinh"].pk
    assert giang.evidence["alternative"] == {"position_id": pos["to_chuc"].pk, "position": "Chuyên viên tổ chức",
                                             "unit_id": rd.world.phong_tccb.pk, "unit": "Phòng Tổ chức cán bộ",
                                             "fit": 83}
    assert cuong.evidence["surplus"]["order"] == 2
    assert got[people["dung"].pk].evidence["surplus"]["order"] == 1
    expected = {"surplus": 4, "seats": 2, "feasible_pairs": 6, "placed": 2, "left_over": 2, "objective": 155,
                "without_position": 0}
    assert {k: run.figures[k] for k in expected} == expected
    assert AuditEntry.objects.filter(object_type="redeploymentrun", object_id=str(run.pk), action="create").exists()


def test_the_surplus_per_unit_and_position_shows_quota_staff_and_outcome(rd: Redeploy) -> None:
    rows = {(r.unit.name, r.position.name if r.position else None): r for r in redeploy.surplus_by_unit(rd.run())}
    row = rows[("Phòng Công chức, viên chức", "Chuyên viên về công chức")]
    assert (row.quota, row.staff, row.surplus, row.placed, row.left_over) == (2, 4, 2, 1, 1)
    assert (rows[("Phòng Pháp chế", "Chuyên viên pháp chế")].placed, rows[("Phòng Tổ chức cán bộ", "Văn thư")].left_over) == (1, 1)


def test_a_person_left_over_gets_the_case_letter_and_the_benefit_estimate(rd: Redeploy) -> None:
    got = proposals(rd.run())
    em, dung = got[rd.people["em"].pk], got[rd.people["dung"].pk]
    assert (em.to_position_id, em.case_letter, em.reason) == (None, "e", Proposal.Reason.POSITION_ABOLISHED)
    assert em.streamlining["path"] == "early_retirement"
    assert em.streamlining["benefit_vnd"] > 0
    assert em.streamlining["eligible"]
    assert not em.streamlining["not_yet"]
    assert (dung.case_letter, dung.streamlining["not_yet"]) == ("d", True)
    assert dung.streamlining["excluded"] == "pregnant_or_child_under_36_months"
    assert em.evidence["feasible_positions"] == 0
    assert em.evidence["parts"] == []


def test_accepting_moves_the_person_keeping_rank_step_and_allowances_and_is_audited(rd: Redeploy) -> None:
    proposal = proposals(rd.run())[rd.people["cuong"].pk]
    done = redeploy.accept(rd.hr, rd.scope, proposal.pk, decision_number="12/QĐ-SNV", effective_date=EFFECTIVE)
    assert done.status == Proposal.Status.ACCEPTED
    assert done.decided_position_id == rd.positions["to_chuc"].pk
    new = Employment.objects.get(person=rd.people["cuong"], end_date__isnull=True)
    assert (new.pk, new.position_id, new.start_date, new.decision_number) == (
        done.new_employment_id, rd.positions["to_chuc"].pk, EFFECTIVE, "12/QĐ-SNV")
    assert (new.rank.code, new.salary_step, new.percent_allowances) == ("01.003", 3, Decimal(25))
    assert Employment.objects.get(pk=proposal.from_employment_id).end_date == EFFECTIVE - dt.timedelta(days=1)
    assert AuditEntry.objects.filter(object_type="proposal", object_id=str(proposal.pk), action="update").exists()
    with pytest.raises(redeploy.RedeploymentError, match="đã được quyết định"):
        redeploy.reject(rd.hr, rd.scope, proposal.pk, reason="nhầm")


def test_change_to_an_infeasible_or_full_position_is_refused(rd: Redeploy) -> None:
    got = proposals(rd.run())
    cuong, giang = got[rd.people["cuong"].pk], got[rd.people["giang"].pk]
    pos = rd.positions

    def change(position: JobPosition, p: Proposal = cuong) -> Proposal:
        return redeploy.change(rd.hr, rd.scope, p.pk, position_id=position.pk, decision_number="13/QĐ-SNV",
                               effective_date=EFFECTIVE, reason="Phù hợp chuyên môn hơn")

    with pytest.raises(redeploy.RedeploymentError, match="lãnh đạo") as leadership:
        change(pos["truong_phong"])
    assert list(leadership.value.errors) == ["position_id"]
    with pytest.raises(redeploy.RedeploymentError, match="phạm vi"):
        change(pos["hue"])
    with pytest.raises(redeploy.RedeploymentError, match="đang dôi dư"):
        change(pos["cong_chuc"])
    redeploy.accept(rd.hr, rd.scope, giang.pk, decision_number="14/QĐ-SNV", effective_date=EFFECTIVE)
    with pytest.raises(redeploy.RedeploymentError, match="chỉ tiêu trống"):
        change(pos["chinh"])
    assert [o.position.pk for o in redeploy.feasible_positions(cuong)] == [pos["to_chuc"].pk]
    assert change(pos["to_chuc"]).status == Proposal.Status.CHANGED
    with pytest.raises(redeploy.RedeploymentError) as no_reason:
        redeploy.change(rd.hr, rd.scope, got[rd.people["dung"].pk].pk, position_id=pos["to_chuc"].pk,
                        decision_number="15/QĐ-SNV", effective_date=EFFECTIVE, reason=" ")
    assert set(no_reason.value.errors) == {"reason"}


def test_the_change_choices_are_the_feasible_positions_best_fit_first(rd: Redeploy) -> None:
    options = redeploy.feasible_positions(proposals(rd.run())[rd.people["cuong"].pk])
    assert [(o.position.name, o.seats_left, o.fit.points) for o in options] == [
        ("Chuyên viên tổ chức", 1, 77), ("Chuyên viên chính về công chức", 1, 57)]


def test_reject_needs_a_reason_and_changes_nothing_else(rd: Redeploy) -> None:
    proposal = proposals(rd.run())[rd.people["giang"].pk]
    with pytest.raises(redeploy.RedeploymentError) as refused:
        redeploy.reject(rd.hr, rd.scope, proposal.pk, reason="  ")
    assert refused.value.errors == {"reason": ["Ghi rõ lý do."]}
    done = redeploy.reject(rd.hr, rd.scope, proposal.pk, reason="Chờ đề án vị trí việc làm mới")
    assert (done.status, done.decision_reason) == (Proposal.Status.REJECTED, "Chờ đề án vị trí việc làm mới")
    assert Employment.objects.filter(person=rd.people["giang"]).count() == 1


def test_accepting_a_leftover_records_the_redundancy_for_the_streamlining_list(rd: Redeploy) -> None:
    proposal = proposals(rd.run())[rd.people["em"].pk]
    redeploy.accept(rd.hr, rd.scope, proposal.pk, decision_number="16/QĐ-SNV", effective_date=EFFECTIVE)
    row = Circumstance.objects.get(person=rd.people["em"], kind=Circumstance.Kind.REDUNDANT_RESTRUCTURING)
    assert (row.start_date, row.decision_number) == (EFFECTIVE, "16/QĐ-SNV")
    assert "điểm e" in row.note


def test_a_new_run_closes_the_previous_one_and_counts_the_moves_decided(rd: Redeploy) -> None:
    first = rd.run()
    cuong = proposals(first)[rd.people["cuong"].pk]
    redeploy.accept(rd.hr, rd.scope, cuong.pk, decision_number="12/QĐ-SNV", effective_date=EFFECTIVE)
    second = rd.run()
    first.refresh_from_db()
    assert first.status == RedeploymentRun.Status.CLOSED
    assert Proposal.objects.get(pk=cuong.pk).status == Proposal.Status.ACCEPTED
    again = proposals(second)
    assert set(again) == {rd.people[k].pk for k in ("dung", "giang", "em")}  # Cường is on his way
    assert again[rd.people["giang"].pk].to_position_id == rd.positions["chinh"].pk
    assert (second.figures["seats"], second.figures["moving"]) == (1, 1)
    with pytest.raises(redeploy.RedeploymentError, match="đã đóng"):
        redeploy.reject(rd.hr, rd.scope, proposals(first)[rd.people["dung"].pk].pk, reason="cũ")


def test_runs_and_decisions_outside_the_scope_are_refused(rd: Redeploy) -> None:
    with pytest.raises(redeploy.RedeploymentError) as outside:
        redeploy.run_redeployment(rd.hr, rd.scope, scope_unit_id=rd.world.hue.pk, as_of=AS_OF)
    assert set(outside.value.errors) == {"scope_unit"}
    proposal = proposals(rd.run())[rd.people["cuong"].pk]
    hue_hr = user("tccb_hue", Role.HR, rd.world.hue)
    with pytest.raises(NotFoundOrDenied):
        redeploy.accept(hue_hr, scope_for(hue_hr, Right.RESTRUCTURE), proposal.pk, decision_number="1/QĐ",
                        effective_date=EFFECTIVE)
    assert redeploy.run_redeployment(None, EVERYTHING, scope_unit_id=rd.world.hue.pk, as_of=AS_OF).figures[
        "surplus"] == 0


def test_people_a_dissolution_left_without_a_position_are_surplus_with_the_event_as_evidence(rd: Redeploy) -> None:
    from congvu.restructuring import services

    thanh_tra = unit("Phòng Thanh tra", OrgUnit.Kind.DIVISION, rd.world.so_noi_vu)
    hai = person(("Ngô", "Minh", "Hải"), thanh_tra, sex="M", birth_year=1991)
    _employ(hai, _position(thanh_tra, "Thanh tra viên", Rank.objects.get(code="01.003"), 1), Rank.objects.get(
        code="01.003"), 2)
    plan = services.create_plan(rd.hr, rd.scope, name="Giải thể Phòng Thanh tra", scope_unit_id=rd.world.so_noi_vu.pk)
    services.add_event(rd.hr, rd.scope, plan.pk, kind="dissolve", effective_date=dt.date(2026, 2, 1),
                       decision_number="9/QĐ-UBND", decision_date=dt.date(2026, 1, 10), legal_basis="",
                       spec={"unit": thanh_tra.pk, "receiving_unit_id": rd.world.phong_tccb.pk})
    services.commit_plan(rd.hr, rd.scope, plan.pk, today=dt.date(2026, 1, 15))
    got = proposals(rd.run(plan_id=plan.pk))[hai.pk]
    assert (got.reason, got.from_position_id) == (Proposal.Reason.UNIT_DISSOLVED, None)
    assert got.evidence["surplus"]["event"]["decision_number"] == "9/QĐ-UBND"
    assert (got.to_position_id, got.case_letter) == (None, "a")  # Giang and Cường fit the two seats better
