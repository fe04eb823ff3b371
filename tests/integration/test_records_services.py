"""The rules the personnel services apply when a record is added, whoever calls them (pages, API, scripts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congvu.core.scope import Scope
from congvu.org.models import Rank
from congvu.personnel.models import Employment
from congvu.personnel.services import (
    EmploymentInput,
    OutOfScope,
    ServiceError,
    add_discipline,
    add_reward,
    change_employment,
)
from tests.factories import EVERYTHING, World, build_world
from tests.integration.records_support import position, today, with_ranks, written_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    return build_world()


@pytest.fixture
def ranks(world: World) -> dict[str, Rank]:
    return with_ranks()


def refused(call: object) -> dict[str, list[str]]:
    """The errors of a refused call, after checking that it wrote nothing."""
    before = written_rows()
    with pytest.raises(ServiceError) as caught:
        call()  # type: ignore[operator]
    assert written_rows() == before
    return caught.value.errors


def test_a_position_not_yet_in_force_on_the_start_date_is_refused(world: World) -> None:
    later = position(world, "ccvc", "Chuyên viên pháp chế", valid_from=dt.date(2027, 1, 1))
    data = EmploymentInput(unit_id=world.phong_ccvc.pk, position_id=later.pk, start_date=dt.date(2026, 2, 1))
    assert refused(lambda: change_employment(None, EVERYTHING, world.binh.pk, data)) == {
        "position": ["Vị trí việc làm không có hiệu lực vào ngày bắt đầu."]}


def test_a_new_spell_may_not_start_inside_one_that_has_ended(world: World) -> None:
    Employment.objects.filter(person=world.binh).update(end_date=dt.date(2025, 6, 30))
    inside = EmploymentInput(unit_id=world.phong_ccvc.pk, start_date=dt.date(2025, 6, 30))
    assert refused(lambda: change_employment(None, EVERYTHING, world.binh.pk, inside)) == {
        "start_date": ["Ngày bắt đầu phải sau ngày kết thúc quá trình công tác trước (30/06/2025)."]}
    after = EmploymentInput(unit_id=world.phong_ccvc.pk, start_date=dt.date(2025, 7, 1))
    assert change_employment(None, EVERYTHING, world.binh.pk, after).start_date == dt.date(2025, 7, 1)


def test_a_rank_that_does_not_exist_is_refused_even_without_a_step(world: World) -> None:
    data = EmploymentInput(unit_id=world.phong_ccvc.pk, rank_id=999999, start_date=dt.date(2026, 2, 1))
    assert refused(lambda: change_employment(None, EVERYTHING, world.binh.pk, data)) == {"rank": ["Ngạch không tồn tại."]}


def test_every_problem_of_a_transfer_is_reported_in_one_round(world: World, ranks: dict[str, Rank]) -> None:
    data = EmploymentInput(unit_id=world.phong_ccvc.pk, rank_id=ranks["01.005"].pk, salary_step=13,
                           seniority_pct=Decimal("-5"), start_date=dt.date(2019, 1, 1))
    assert set(refused(lambda: change_employment(None, EVERYTHING, world.binh.pk, data))) == {
        "salary_step", "seniority_pct", "start_date"}


def test_a_unit_outside_the_writers_scope_is_refused(world: World) -> None:
    hanoi = Scope(paths=(world.so_noi_vu.path,))
    data = EmploymentInput(unit_id=world.so_tai_chinh_hue.pk, start_date=dt.date(2026, 2, 1))
    with pytest.raises(OutOfScope):
        change_employment(None, hanoi, world.binh.pk, data)
    assert Employment.objects.filter(person=world.binh).count() == 1


def test_a_step_change_in_the_same_unit_keeps_the_person_where_they_are(world: World, ranks: dict[str, Rank]) -> None:
    data = EmploymentInput(unit_id=world.phong_tccb.pk, rank_id=ranks["01.003"].pk, salary_step=5,
                           step_since=dt.date(2026, 1, 1), start_date=dt.date(2026, 1, 1))
    change_employment(None, EVERYTHING, world.binh.pk, data, end_reason="Nâng bậc lương", reason="QĐ 3/QĐ-SNV")
    spells = list(Employment.objects.filter(person=world.binh).order_by("start_date"))
    assert [(s.unit_id, s.end_date, s.salary_step) for s in spells] == [
        (world.phong_tccb.pk, dt.date(2025, 12, 31), None), (world.phong_tccb.pk, None, 5)]


def test_a_discipline_ending_before_it_starts_is_refused(world: World) -> None:
    day = dt.date(2025, 5, 2)
    errors = refused(lambda: add_discipline(None, EVERYTHING, world.binh.pk, form="warning", decided_on=day,
                                            effective_from=day, effective_to=day - dt.timedelta(days=1), reason="x"))
    assert errors == {"effective_to": ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]}


def test_a_discipline_decided_today_may_take_effect_later(world: World) -> None:
    row = add_discipline(None, EVERYTHING, world.binh.pk, form="warning", decided_on=today(),
                         effective_from=today() + dt.timedelta(days=10), reason="Vi phạm quy chế")
    assert row.effective_from > row.decided_on


def test_a_reward_dated_tomorrow_is_refused(world: World) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    assert refused(lambda: add_reward(None, EVERYTHING, world.binh.pk, title="Lao động tiên tiến",
                                      decided_on=tomorrow)) == {
        "decided_on": ["Ngày quyết định không được sau ngày hôm nay: chỉ ghi quyết định đã ký."]}
