"""The demo's consequence lists for its evaluation year 2026 (issue 5).

After the evaluation year is built, this adds what the consequence rules look back at and then produces the
lists, the same for the same seed:

- past annual ratings 2021–2025 for everyone employed (mostly "completed", some "good" or "excellent", a few
  "not completed"), as HR would import them from the paper records;
- circumstances: mothers of children under 36 months, people made redundant by the 01/07/2025 merger, people
  below the training standard of their position, volunteers for streamlining, an investigation, reduced
  retirement age; written recognitions (rewards) in 2026 for early raises;
- the 2026 classification approved and published in every agency except the demo head's department (whose
  tie waits for the head: the annual classification demo), then ``lists.compute`` for each published agency.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery

from congvu.consequences import lists
from congvu.consequences.models import Circumstance, PastRating
from congvu.core import audit
from congvu.evaluation import annual
from congvu.evaluation.models import AnnualRun, AnnualStatus
from congvu.org.models import OrgUnit
from congvu.personnel.models import Employment, Reward

YEAR = 2026
PAST_YEARS = range(2021, 2026)
PAST_LEVELS = (("EXCELLENT", 0.06), ("GOOD", 0.24), ("COMPLETED", 0.685), ("NOT_COMPLETED", 0.015))
SOURCE = "Hồ sơ đánh giá, xếp loại hằng năm (nhập từ bản giấy)"
ACTOR = "demo"
REASON = "Dữ liệu minh họa: căn cứ lập danh sách sử dụng kết quả đánh giá"


def _level(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for level, weight in PAST_LEVELS:
        acc += weight
        if x < acc:
            return level
    return "COMPLETED"


def _people(root: OrgUnit) -> list[tuple[int, str, dt.date | None, int, dt.date]]:
    """(person, sex, birth date, birth year, first day in the service) of everyone employed now."""
    first_day = Employment.objects.filter(person_id=OuterRef("person_id")).order_by("start_date").values("start_date")[:1]
    return list(
        Employment.objects.filter(end_date__isnull=True, unit__path__startswith=root.path)
        .order_by("person_id")
        .values_list("person_id", "person__sex", "person__birth_date", "person__birth_year", Subquery(first_day))
    )


def _past_ratings(rng: random.Random, people: list[tuple[int, str, dt.date | None, int, dt.date]]) -> int:
    rows = [
        PastRating(person_id=pid, year=y, level=_level(rng), source=SOURCE)
        for pid, _, _, _, started in people
        for y in PAST_YEARS
        if started.year <= y
    ]
    PastRating.objects.bulk_create(rows, batch_size=10_000)
    return len(rows)


def _circumstance(pid: int, kind: str, start: dt.date, number: str = "", note: str = "") -> Circumstance:
    return Circumstance(person_id=pid, kind=kind, start_date=start, decision_number=number, note=note)


def _circumstances(rng: random.Random, people: list[tuple[int, str, dt.date | None, int, dt.date]]) -> int:
    k = Circumstance.Kind
    rows: list[Circumstance] = []
    for pid, sex, _birth, birth_year, _ in people:
        age = YEAR - birth_year
        if sex == "F" and 24 <= age <= 40 and rng.random() < 0.08:
            born = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
            rows.append(_circumstance(pid, k.CHILD_UNDER_36_MONTHS, born, note="Giấy khai sinh của con"))
        x = rng.random()
        if x < 0.015:
            rows.append(_circumstance(pid, k.REDUNDANT_RESTRUCTURING, dt.date(2025, 7, 1), "Đề án sắp xếp 01/07/2025"))
        elif x < 0.025:
            rows.append(_circumstance(pid, k.BELOW_TRAINING_STANDARD, dt.date(2026, 3, 1), note="Rà soát vị trí việc làm 2026"))
        elif x < 0.03 and age >= 50:
            rows.append(_circumstance(pid, k.VOLUNTEER_STREAMLINING, dt.date(2026, 9, 1), note="Đơn tự nguyện"))
        elif x < 0.032:
            rows.append(_circumstance(pid, k.INVESTIGATION, dt.date(2026, 10, 1), "Quyết định khởi tố"))
        elif x < 0.042:
            rows.append(_circumstance(pid, k.REDUCED_RETIREMENT_AGE, dt.date(2015, 1, 1),
                                      note="Trên 15 năm ở vùng phụ cấp khu vực 0,7"))
    Circumstance.objects.bulk_create(rows, batch_size=10_000)
    return len(rows)


def _rewards(rng: random.Random, people: list[tuple[int, str, dt.date | None, int, dt.date]]) -> int:
    titles = ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Chiến sĩ thi đua cơ sở", "Giấy khen của Giám đốc Sở")
    rows = [
        Reward(person_id=pid, title=rng.choice(titles), level="Tỉnh",
               decided_on=dt.date(YEAR, rng.randint(3, 10), rng.randint(1, 28)),
               decision_number=f"{rng.randint(100, 999)}/QĐ-UBND")
        for pid, *_ in people
        if rng.random() < 0.04
    ]
    Reward.objects.bulk_create(rows, batch_size=10_000)
    return len(rows)


def _publish(keep_open: int | None) -> list[OrgUnit]:
    published = []
    runs = AnnualRun.objects.filter(year=YEAR, is_current=True, status=AnnualStatus.QUOTA).select_related("agency")
    for run in runs.order_by("agency__path"):
        if run.agency_id == keep_open:
            continue
        annual.head_approve(None, run)
        annual.publish(None, run, dt.date(YEAR, 11, 20))
        published.append(run.agency)
    return published


@transaction.atomic
def build_consequences(root: OrgUnit, *, seed: int, keep_open: int | None) -> dict[str, Any]:
    """Idempotent: does nothing if past ratings exist already under ``root``."""
    if PastRating.objects.filter(person__org_path__startswith=root.path).exists():
        return {"skipped": "the consequence data exists already"}
    rng = random.Random(f"congvu-demo-consequences-{seed}")
    people = _people(root)
    counts: dict[str, Any] = {
        "past_ratings": _past_ratings(rng, people),
        "circumstances": _circumstances(rng, people),
        "rewards_2026": _rewards(rng, people),
    }
    audit.record(None, "create", object_type="pastrating", object_id=root.pk, after=counts, org_path=root.path,
                 actor_label=ACTOR, reason=REASON)
    agencies = _publish(keep_open)
    totals: dict[str, int] = {}
    for agency in agencies:
        run = lists.compute(None, agency, YEAR)
        for kind, n in run.counts.items():
            totals[kind] = totals.get(kind, 0) + n
    counts["published_agencies"] = len(agencies)
    counts["lists"] = totals
    return counts


