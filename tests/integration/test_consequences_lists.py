"""The consequence lists of an agency, and the decisions taken on them (services, on the database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congvu.consequences import decisions, documents, lists
from congvu.consequences.models import Decision, Entry, Kind, ListRun, Status
from congvu.core.models import AuditEntry
from congvu.evaluation.models import AnnualStatus
from congvu.personnel.models import Employment
from tests.integration.consequences_support import YEAR, ConsequenceWorld, build_consequence_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(settings: object) -> ConsequenceWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    return build_consequence_world()


def entries(run: ListRun, kind: str) -> dict[str, Entry]:
    return {e.key: e for e in Entry.objects.filter(run=run, kind=kind)}


def test_lists_are_refused_before_the_classification_is_published(cw: ConsequenceWorld) -> None:
    cw.run.status = AnnualStatus.QUOTA
    cw.run.save()
    with pytest.raises(lists.ListsError, match="chưa được công bố"):
        lists.compute(None, cw.world.so_noi_vu, YEAR)
    assert not ListRun.objects.exists()


def test_every_list_carries_the_people_the_rules_select(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    p = cw.people
    reviews = entries(run, Kind.REVIEW)
    assert set(reviews) == {str(p["binh"].pk), str(p["lan"].pk)}
    assert reviews[str(p["binh"].pk)].due_date == dt.date.today() + dt.timedelta(days=30)

    raises = entries(run, Kind.STEP_RAISE)
    ha = raises[str(p["ha"].pk)]
    assert (ha.due_date, ha.new_step, ha.new_coefficient) == (dt.date(2026, 5, 1), 5, Decimal("3.66"))
    assert ha.evidence["rule"] == "tt08_2013.regular_raise"
    assert ha.evidence["steps"]
    assert str(p["minh"].pk) not in raises  # bậc 3 since 06/2024: the regular raise is in 2027

    early = entries(run, Kind.EARLY_RAISE)[str(p["minh"].pk)]
    assert early.evidence["facts"]["achievement"].startswith("Bằng khen")

    streamlining = entries(run, Kind.STREAMLINING)
    dung = streamlining[str(p["dung"].pk)]
    assert dung.evidence["facts"]["path"] == "early_retirement"
    assert dung.evidence["facts"]["cases"] == ["a"]
    assert dung.evidence["facts"]["retirement_date"] == "2029-07-01"
    assert Decimal(dung.evidence["facts"]["benefit_months"]) == Decimal("18.5")
    binh = streamlining[str(p["binh"].pk)]
    assert (binh.evidence["facts"]["path"], Decimal(binh.evidence["facts"]["benefit_months"])) == ("quit", Decimal(33))
    lan = streamlining[str(p["lan"].pk)]
    assert lan.in_quota is False
    assert lan.evidence["facts"]["excluded"]
    assert lan.benefit_vnd == 0

    vacancy = entries(run, Kind.VACANCY)[str(cw.positions["cv_chinh"].pk)]
    assert vacancy.count == 1
    higher = entries(run, Kind.HIGHER_POSITION)
    assert {e.person_id for e in higher.values()} == {p["ha"].pk, p["minh"].pk}  # good or better, one rank below
    assert not any(e.person_id == p["binh"].pk for e in higher.values())


def test_running_the_lists_again_gives_the_same_lists_and_keeps_decisions(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    first = sorted(Entry.objects.filter(run=run).values_list("kind", "key", "summary"))
    binh = Entry.objects.get(run=run, kind=Kind.STREAMLINING, person=cw.people["binh"])
    decisions.defer(cw.world.users["hr"], binh.pk, "Chờ ý kiến cấp ủy")
    lists.compute(None, cw.world.so_noi_vu, YEAR)
    assert sorted(Entry.objects.filter(run=run).values_list("kind", "key", "summary")) == first
    assert Entry.objects.get(pk=binh.pk).status == Status.DEFERRED
    assert ListRun.objects.count() == 1


def test_accepting_a_step_raise_numbers_a_decision_and_changes_the_salary_step_once(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    entry = Entry.objects.get(run=run, kind=Kind.STEP_RAISE, person=cw.people["ha"])
    decision = decisions.accept(cw.world.users["hr"], entry.pk, decisions.AcceptInput(reason="Đủ điều kiện"))
    assert decision.reference == "1/QĐ-SNV"
    assert decision.applied_at is not None
    current = Employment.objects.get(person=cw.people["ha"], end_date__isnull=True)
    assert (current.salary_step, current.step_since, current.start_date) == (5, dt.date(2026, 5, 1), dt.date(2026, 5, 1))
    assert current.decision_number == "1/QĐ-SNV"
    assert AuditEntry.objects.filter(object_type="entry", object_id=str(entry.pk)).exists()
    assert AuditEntry.objects.filter(object_type="employment", subject_person_id=cw.people["ha"].pk).count() >= 2
    assert decisions.apply(None, decision) is False  # applied once
    with pytest.raises(decisions.DecisionError, match="đã được quyết định"):
        decisions.accept(cw.world.users["hr"], entry.pk, decisions.AcceptInput())
    assert decision.content["authority"] == "GIÁM ĐỐC SỞ NỘI VỤ"
    assert decision.content["signer"] == "GIÁM ĐỐC"
    pdf = documents.render_pdf(decision)
    assert pdf.startswith(b"%PDF")


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    entry = Entry.objects.get(run=run, kind=Kind.REVIEW, person=cw.people["binh"])
    with pytest.raises(decisions.DecisionError) as refused:
        decisions.reject(cw.world.users["head"], entry.pk, "  ")
    assert "reason" in refused.value.errors
    assert Entry.objects.get(pk=entry.pk).status == Status.PENDING
    decisions.reject(cw.world.users["head"], entry.pk, "Đã có kế hoạch đào tạo lại")
    assert Entry.objects.get(pk=entry.pk).status == Status.REJECTED


def test_accepting_streamlining_ends_the_employment_from_the_signing_day_when_the_date_has_passed(
    cw: ConsequenceWorld,
) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR, as_of=dt.date(2026, 11, 1))
    entry = Entry.objects.get(run=run, kind=Kind.STREAMLINING, person=cw.people["dung"])
    decision = decisions.accept(cw.world.users["hr"], entry.pk, decisions.AcceptInput(reason="Đề án tinh giản 2026"))
    assert decision.applied_at is not None
    ended = Employment.objects.filter(person=cw.people["dung"]).order_by("-start_date").first()
    assert ended is not None
    assert ended.end_date == dt.date.today() - dt.timedelta(days=1)
    assert "Tinh giản" in ended.end_reason
    assert "nghỉ hưu trước tuổi" in " ".join(decision.content["articles"])


def test_a_decision_dated_in_the_future_is_applied_on_its_day_by_the_daily_job(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)  # estimates from 01/01/2027
    entry = Entry.objects.get(run=run, kind=Kind.STREAMLINING, person=cw.people["dung"])
    decision = decisions.accept(cw.world.users["hr"], entry.pk, decisions.AcceptInput(reason="Đề án tinh giản"))
    assert decision.effective_date == dt.date(2027, 1, 1)
    assert decision.applied_at is None
    assert decisions.apply_due(None) == {"applied": 0, "failed": 0}
    assert Employment.objects.filter(person=cw.people["dung"], end_date__isnull=True).exists()
    assert decisions.apply_due(None, dt.date(2027, 1, 1)) == {"applied": 1, "failed": 0}
    assert not Employment.objects.filter(person=cw.people["dung"], end_date__isnull=True).exists()
    assert decisions.apply_due(None, dt.date(2027, 1, 2)) == {"applied": 0, "failed": 0}


def test_an_excluded_person_cannot_be_streamlined(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    entry = Entry.objects.get(run=run, kind=Kind.STREAMLINING, person=cw.people["lan"])
    with pytest.raises(decisions.DecisionError, match="loại trừ"):
        decisions.accept(cw.world.users["hr"], entry.pk, decisions.AcceptInput())
    assert not Decision.objects.exists()


def test_a_vacancy_takes_no_more_people_than_its_seats(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    candidates = list(Entry.objects.filter(run=run, kind=Kind.HIGHER_POSITION).order_by("rank"))
    hr = cw.world.users["hr"]
    decisions.accept(hr, candidates[0].pk, decisions.AcceptInput(reason="Hội đồng thống nhất"))
    with pytest.raises(decisions.DecisionError, match="đã đủ 1"):
        decisions.accept(hr, candidates[1].pk, decisions.AcceptInput(reason="x"))
    moved = Employment.objects.get(person_id=candidates[0].person_id, end_date__isnull=True)
    assert moved.position_id == cw.positions["cv_chinh"].pk
    assert moved.rank is not None
    assert moved.rank.code == "01.002"


def test_a_reader_without_the_right_to_decide_is_not_shown_the_entry(cw: ConsequenceWorld) -> None:
    run = lists.compute(None, cw.world.so_noi_vu, YEAR)
    entry = Entry.objects.filter(run=run).first()
    assert entry is not None
    for who in ("inspector", "manager", "staff"):
        with pytest.raises(decisions.NotFoundOrDenied):
            decisions.accept(cw.world.users[who], entry.pk, decisions.AcceptInput())


def test_the_command_makes_every_published_agencys_lists_and_names_a_missing_year(cw: ConsequenceWorld) -> None:
    import io
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("consequences", "lists", "--all", "--year", str(YEAR), stdout=out)
    jobs = json.loads(out.getvalue())["jobs"]
    assert [j["scope"] for j in jobs] == [f"{cw.world.so_noi_vu.pk}:{YEAR}"]
    assert jobs[0]["step_raise"] == 1
    with pytest.raises(CommandError, match="chưa có cơ quan nào công bố"):
        call_command("consequences", "lists", "--all", "--year", "2030")
