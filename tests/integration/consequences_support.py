"""A published 2026 classification of Sở Nội vụ (Hà Nội) with the facts each consequence list needs.

- Chị Hà (Phòng CCVC, Chuyên viên bậc 4 since 01/05/2023, good in 2026, completed 2023–2025): a regular
  raise to bậc 5 on 01/05/2026, and a candidate for the vacant Chuyên viên chính seat.
- Anh Bình (Phòng TCCB, born 1979, 20 insured years): "not completed" in 2026 → the review within 30 days, and
  streamlining case g by the quit path (3 + 1.5 × 20 = 33 months).
- Ông Dũng (Phòng TCCB, born 15/06/1967, 22 insured years, Chuyên viên chính bậc 8 + allowance 0.6 + 25 %,
  redundant after the 01/07/2025 merger): retires 01/07/2029, 30 months after 01/01/2027 → early retirement,
  5 × 2.5 + 5 + 0.5 × 2 = 18.5 months.
- Chị Lan (Phòng CCVC, a child born 2025, "not completed" in 2026): case g but excluded while the child is under
  36 months.
- Anh Minh (Phòng CCVC, Chuyên viên bậc 3 since 01/06/2024, a provincial award in 2026): an early raise
  candidate (5 months short at 31/12/2026).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from congvu.consequences.models import Circumstance, PastRating
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus
from congvu.org.models import JobPosition, Rank
from congvu.org.reference import load_base_salaries, load_salary_tables
from congvu.personnel.models import Employment, Person, Reward
from tests.factories import World, build_world, person

YEAR = 2026


@dataclass
class ConsequenceWorld:
    world: World
    run: AnnualRun
    people: dict[str, Person] = field(default_factory=dict)
    positions: dict[str, JobPosition] = field(default_factory=dict)


def _employ(who: Person, rank: Rank, step: int, since: dt.date, position: JobPosition | None = None,
            **extra: Decimal) -> None:
    Employment.objects.filter(person=who, end_date__isnull=True).update(
        rank=rank, salary_step=step, step_since=since, position=position, **extra
    )


def _rate(run: AnnualRun, who: Person, level: str, score: str, past: dict[int, str]) -> None:
    emp = Employment.objects.get(person=who, end_date__isnull=True)
    AnnualResult.objects.create(run=run, person=who, unit_id=emp.unit_id, role="staff", periods_worked=12,
                                annual_score=Decimal(score), level_by_score=level, level=level)
    PastRating.objects.bulk_create(PastRating(person=who, year=y, level=lv, source="hồ sơ giấy") for y, lv in past.items())


def build_consequence_world() -> ConsequenceWorld:
    load_salary_tables()
    load_base_salaries()
    w = build_world()
    ranks = {r.code: r for r in Rank.objects.all()}
    cv_chinh = JobPosition.objects.create(unit=w.phong_ccvc, name="Chuyên viên chính về công chức",
                                          group="professional", rank=ranks["01.002"], headcount_quota=1)
    cv = JobPosition.objects.create(unit=w.phong_ccvc, name="Chuyên viên về công chức", group="professional",
                                    rank=ranks["01.003"], headcount_quota=4)
    run = AnnualRun.objects.create(agency=w.so_noi_vu, year=YEAR, status=AnnualStatus.COMPLAINT_WINDOW,
                                   excellent_ratio=Decimal("0.20"), rule_set_id="nd335-2025-v1",
                                   computed_at=timezone.now(), published_at=timezone.now(), people=5)
    completed = {2023: "COMPLETED", 2024: "COMPLETED", 2025: "COMPLETED"}
    cw = ConsequenceWorld(w, run, positions={"cv_chinh": cv_chinh, "cv": cv})

    Person.objects.filter(pk=w.ha.pk).update(insured_months=150)
    _employ(w.ha, ranks["01.003"], 4, dt.date(2023, 5, 1), cv, percent_allowances=Decimal(25))
    _rate(run, w.ha, "GOOD", "88.50", completed)

    Person.objects.filter(pk=w.binh.pk).update(insured_months=240)
    _employ(w.binh, ranks["01.003"], 6, dt.date(2024, 9, 1), percent_allowances=Decimal(25))
    _rate(run, w.binh, "NOT_COMPLETED", "45.00", completed)

    dung = person(("Phạm", "Văn", "Dũng"), w.phong_tccb, sex="M", birth_year=1967, birth_date=dt.date(1967, 6, 15))
    Person.objects.filter(pk=dung.pk).update(insured_months=264)
    _employ(dung, ranks["01.002"], 8, dt.date(2024, 1, 1), position_allowance=Decimal("0.60"),
            percent_allowances=Decimal(25))
    _rate(run, dung, "COMPLETED", "75.00", completed)
    Circumstance.objects.create(person=dung, kind=Circumstance.Kind.REDUNDANT_RESTRUCTURING,
                                start_date=dt.date(2025, 7, 1), decision_number="15/QĐ-UBND")

    lan = person(("Đỗ", "Thị", "Lan"), w.phong_ccvc, birth_year=1992)
    _employ(lan, ranks["01.003"], 2, dt.date(2025, 2, 1), cv)
    _rate(run, lan, "NOT_COMPLETED", "48.00", {2025: "COMPLETED"})
    Circumstance.objects.create(person=lan, kind=Circumstance.Kind.CHILD_UNDER_36_MONTHS, start_date=dt.date(2025, 3, 10))

    minh = person(("Vũ", "Đức", "Minh"), w.phong_ccvc, sex="M", birth_year=1990)
    _employ(minh, ranks["01.003"], 3, dt.date(2024, 6, 1), cv)
    _rate(run, minh, "EXCELLENT", "96.00", {2024: "GOOD", 2025: "EXCELLENT"})
    Reward.objects.create(person=minh, title="Bằng khen của Chủ tịch UBND thành phố", level="Tỉnh",
                          decided_on=dt.date(YEAR, 5, 12), decision_number="123/QĐ-UBND")

    cw.people = {"ha": w.ha, "binh": w.binh, "dung": dung, "lan": lan, "minh": minh}
    for p in cw.people.values():
        p.refresh_from_db()
    return cw
