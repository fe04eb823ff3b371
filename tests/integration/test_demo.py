"""``congvu demo``: a small synthetic province builds, is deterministic, and its demo users can log in."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, Q
from django.test import RequestFactory

from congvu.access.models import Role, RoleAssignment
from congvu.core.models import AuditEntry, JobRun
from congvu.demo.evaluation import TRANSFER_DAY
from congvu.demo.people import AS_OF, RankInfo, add_months, months_between, step_on
from congvu.demo.users import DEMO_USERS, demo_password
from congvu.org.models import JobPosition, OrgUnit, SalaryStep
from congvu.personnel.models import Employment, Person
from congvu.rules.personal_id import check_personal_id
from tests import factories

PEOPLE = 300


def build(seed: int = 1, *, reset: bool = False) -> str:
    out = StringIO()
    call_command("demo", people=PEOPLE, seed=seed, no_serve=True, reset=reset, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple[object, ...]]:
    """The people and their current posts by natural keys (ids may differ between builds)."""
    return list(
        Employment.objects.filter(end_date__isnull=True)
        .order_by("person__personal_id")
        .values_list("person__personal_id", "person__family_name", "person__middle_name", "person__given_name",
                     "person__birth_date", "unit__name", "title", "rank__code", "salary_step", "start_date")
    )


@pytest.mark.django_db
def test_a_small_demo_builds_people_with_unique_valid_ids_and_one_current_employment_each() -> None:
    output = build()
    people = list(Person.objects.select_related("current_unit"))
    assert len(people) == PEOPLE
    assert len({p.personal_id for p in people}) == PEOPLE
    for p in people:
        assert check_personal_id(p.personal_id, sex=p.sex, birth_year=p.birth_year).ok, p.personal_id
        assert 1966 <= p.birth_year <= 2003
        assert p.birth_date is not None
        assert p.birth_date.year == p.birth_year
        assert p.search_name
        assert p.sort_key
        assert p.current_unit is not None
        assert p.org_path == p.current_unit.path
    current = Counter(
        Person.objects.annotate(n=Count("employments", filter=Q(employments__end_date__isnull=True)))
        .values_list("n", flat=True)
    )
    assert current == {1: PEOPLE}
    assert not Employment.objects.filter(end_date__isnull=True).exclude(unit=F("person__current_unit")).exists()
    for heading in ("Vai trò", "Tên đăng nhập", "Mật khẩu", "Phạm vi"):
        assert heading in output


@pytest.mark.django_db
def test_the_province_has_departments_divisions_and_communes_with_positions_over_and_under_quota() -> None:
    build()
    province = OrgUnit.objects.get(kind=OrgUnit.Kind.PROVINCE, code="37")
    subtree = OrgUnit.objects.filter(path__startswith=province.path)
    names = set(subtree.filter(kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT).values_list("name", flat=True))
    assert {"Sở Nội vụ", "Sở Tài chính", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"} <= names
    assert len(names) >= 13
    assert subtree.filter(kind=OrgUnit.Kind.COMMUNE).count() > 100
    assert subtree.filter(kind=OrgUnit.Kind.DIVISION).count() > 300
    assert not Person.objects.exclude(org_path__startswith=province.path).exists()
    positions = JobPosition.objects.filter(unit__path__startswith=province.path).with_filled(AS_OF)
    groups = set(positions.values_list("group", flat=True))
    assert groups == {"leadership", "professional", "support"}
    assert positions.filter(vacancies__gt=0).exists()
    assert sum(p.filled for p in positions) == PEOPLE


@pytest.mark.django_db
def test_careers_have_ordered_spells_and_salary_steps_within_the_group() -> None:
    build()
    max_step = dict(SalaryStep.objects.values("group_id").annotate(m=Max("step")).values_list("group_id", "m"))
    previous: Employment | None = None
    for e in Employment.objects.select_related("rank").order_by("person_id", "start_date"):
        if previous is not None and previous.person_id == e.person_id:
            assert previous.end_date is not None
            assert previous.end_date < e.start_date
            assert previous.rank_id is None or e.rank is None or previous.rank.code >= e.rank.code  # ranks go up
        assert e.start_date <= AS_OF or e.start_date == TRANSFER_DAY  # the evaluation year's few transfers
        if e.rank is not None:
            assert e.salary_step is not None
            assert 1 <= e.salary_step <= max_step[e.rank.salary_group_id]
            assert e.step_since is not None
            assert e.step_since <= (e.end_date or AS_OF)
        previous = e
    spells = Counter(Person.objects.annotate(n=Count("employments")).values_list("n", flat=True))
    assert set(spells) <= {1, 2, 3, 4}


@pytest.mark.django_db
def test_each_batch_of_people_is_audited_once_as_the_demo() -> None:
    build()
    entries = AuditEntry.objects.filter(actor_label="demo", object_type="person", action="import")
    assert entries.count() == 1  # 300 people fit one batch
    assert entries.get().after["people"] == PEOPLE


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_log_in_with_the_printed_password() -> None:
    output = build(seed=3)
    request = RequestFactory().post("/dang-nhap/")
    for role, username, _where, _holder in DEMO_USERS:
        password = demo_password(3, username)
        assert f"| {password}" in output
        assert authenticate(request, username=username, password=password) is not None, username
        user = User.objects.get(username=username)
        assert RoleAssignment.objects.filter(user=user, role=role).exists()
    assert User.objects.get(username="quantri").is_superuser
    hr = RoleAssignment.objects.get(user__username="tochuc", role=Role.HR)
    assert hr.unit.kind == OrgUnit.Kind.PROVINCE


@pytest.mark.django_db
def test_the_staff_user_is_a_real_person_in_the_managers_division() -> None:
    build()
    staff = Person.objects.get(user__username="chuyenvien")
    manager_unit = RoleAssignment.objects.get(user__username="truongphong", role=Role.MANAGER).unit
    assert staff.current_unit == manager_unit
    assert Person.objects.get(user__username="truongphong").current_unit == manager_unit


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_rebuilds_the_same_people_after_a_reset_and_another_seed_does_not() -> None:
    build(seed=7)
    first = fingerprint()
    build(seed=7, reset=True)
    assert fingerprint() == first
    assert Person.objects.count() == PEOPLE
    assert JobRun.objects.filter(job="demo").count() == 1
    build(seed=8, reset=True)
    assert fingerprint() != first


@pytest.mark.django_db
def test_a_rerun_without_reset_keeps_the_data_and_prints_the_logins_again() -> None:
    build(seed=2)
    before = fingerprint()
    output = build(seed=2)
    assert "đã có sẵn" in output
    assert demo_password(2, "tochuc") in output
    assert fingerprint() == before


@pytest.mark.django_db
def test_the_demo_refuses_a_database_that_holds_real_people() -> None:
    factories.person(("Nguyễn", "Thị", "Hoa"), factories.unit("Sở Nội vụ", OrgUnit.Kind.PROVINCIAL_DEPARTMENT),
                     start=dt.date(2025, 8, 1))
    with pytest.raises(CommandError, match="hồ sơ thật"):
        build()
    with pytest.raises(CommandError, match="hồ sơ thật"):
        build(reset=True)
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_an_unfinished_build_asks_for_reset() -> None:
    JobRun.objects.create(job="demo", status=JobRun.Status.RUNNING)
    with pytest.raises(CommandError, match="--reset"):
        build()


def test_a_salary_step_is_reached_every_36_months_and_stops_at_the_last_one() -> None:
    rank = RankInfo(id=1, code="01.003", max_step=9, months_per_step=36)
    start = dt.date(2010, 3, 15)
    assert step_on(rank, start, dt.date(2013, 3, 14))[:2] == (1, start)
    assert step_on(rank, start, dt.date(2013, 3, 15))[:2] == (2, dt.date(2013, 3, 15))
    step, since, seniority = step_on(rank, dt.date(1990, 1, 1), dt.date(2026, 1, 1))
    assert (step, since) == (9, dt.date(2014, 1, 1))
    assert seniority == 5 + (months_between(since, dt.date(2026, 1, 1)) - 36) // 12


def test_month_arithmetic_clamps_to_the_end_of_short_months() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 0
    assert months_between(dt.date(2024, 1, 15), dt.date(2025, 1, 15)) == 12
