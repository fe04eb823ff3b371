"""The 2025 reform in the demo (issue 6, item 5): history as data, and the redeployment work for HR.

The demo province (Ninh Bình, 37) is the 01/07/2025 merger of the former provinces Ninh Bình, Nam Định and
Hà Nam; :mod:`congvu.demo.structure` creates the former units (all ended 30/06/2025) and the people's spells
end there on 30/06/2025 and start again in the new units on 01/07/2025. This module adds, set-based:

- the reform as a **recorded plan** (``Plan.Status.RECORDED``: entered as data, never applied or undone):
  the provincial merger under Nghị quyết 202/2025/QH15 and the end of the district level under the 2025
  Law on the Organisation of Local Government, with a ``UnitSuccession`` for every former unit (provinces
  → the new province, departments → their successors by the real 2025 mapping, their divisions, chi cục
  and centres → the successor's unit of the same name or the successor itself, districts → none) and an
  ``EmploymentMove`` for every spell that ended on 30/06/2025 and its successor spell;
- an **illustrative commune adjacency** (``AreaNeighbour``; we hold no real borders) and a few stated
  **preferences** of people in positions over quota;
- two **draft plans** of a 2027 merger of two departments, with different quota decisions, so that the
  planning view and the comparison of two drafts have content (:mod:`congvu.restructuring.services`);
- a **redeployment run** as of the demo's "today", whose pending proposals HR reviews
  (:mod:`congvu.restructuring.redeploy`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from congvu.core import audit
from congvu.core.scope import Scope
from congvu.demo.people import MERGER_DAY, ProvincePlan
from congvu.demo.structure import ACTOR
from congvu.org.models import AdminArea, JobPosition, OrgUnit, active_on
from congvu.org.reference_data import PRE_2025_VALID_TO
from congvu.personnel.models import Employment
from congvu.restructuring import redeploy, services
from congvu.restructuring.models import (
    AreaNeighbour,
    EmploymentMove,
    OrgEvent,
    Plan,
    Preference,
    UnitSuccession,
)
from congvu.rules.personal_id import PRE_2025_PROVINCES
from congvu.text import fold

REASON = "Dữ liệu minh họa: cuộc sắp xếp năm 2025 ghi nhận như dữ liệu lịch sử (congvu demo)"
REFORM_NAME = "Sắp xếp đơn vị hành chính theo Nghị quyết 202/2025/QH15"
MERGER = {
    "decision_number": "202/2025/QH15",
    "decision_date": dt.date(2025, 6, 12),
    "legal_basis": "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh",
}
# The law that ended the district level (two-tier local government from 01/07/2025): number [C]
# (regulations.md §1.1 legal bases); its date of adoption, 16/06/2025, is recalled [R].
DISTRICTS_ENDED = {
    "decision_number": "72/2025/QH15",
    "decision_date": dt.date(2025, 6, 16),
    "legal_basis": "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (chính quyền địa phương 2 cấp)",
}
#: Former department → its 2025 successors, the main one first (the 2025 ministry mergers, regulations.md
#: §6.3, mirrored in the provinces). Departments not listed kept their name.
SUCCESSORS: dict[str, tuple[str, ...]] = {
    "Sở Kế hoạch và Đầu tư": ("Sở Tài chính",),
    # employment, wages, insurance, people with merit → Nội vụ; social protection and children → Y tế;
    # vocational education → Giáo dục và Đào tạo
    "Sở Lao động – Thương binh và Xã hội": ("Sở Nội vụ", "Sở Y tế", "Sở Giáo dục và Đào tạo"),
    "Sở Tài nguyên và Môi trường": ("Sở Nông nghiệp và Môi trường",),
    "Sở Nông nghiệp và Phát triển nông thôn": ("Sở Nông nghiệp và Môi trường",),
    "Sở Giao thông vận tải": ("Sở Xây dựng",),
    # the press and publishing went to Văn hóa, Thể thao và Du lịch
    "Sở Thông tin và Truyền thông": ("Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch"),
}
NEIGHBOUR_SOURCE = "congvu demo: kề nhau minh họa (mã xã liền kề trong tỉnh), không phải ranh giới thật"
PREFERENCE_PEOPLE = 12  # people in over-quota positions who stated where they would like to go
PREFERENCE_NOTE = "Nguyện vọng ghi nhận khi rà soát nhân sự sau sắp xếp (minh họa)"


# ---- the recorded reform --------------------------------------------------------------------------------


def record_reform(province: OrgUnit, plan: ProvincePlan) -> dict[str, int]:
    """The 2025 reform of ``province`` as a recorded plan with its successions and employment moves."""
    former = list(OrgUnit.objects.filter(pk__in=[u.province_unit_id for u in plan.legacy.values()]).order_by("name"))
    reform = Plan.objects.create(
        name=REFORM_NAME, scope_unit=province, status=Plan.Status.RECORDED,
        notes="Ghi nhận cuộc sắp xếp đã thực hiện trước khi có hệ thống: hợp nhất các tỉnh cũ, bỏ cấp huyện.",
    )
    names = ", ".join(PRE_2025_PROVINCES[c] for c in sorted(plan.legacy))
    merge = OrgEvent.objects.create(
        plan=reform, seq=1, kind=OrgEvent.Kind.MERGE, effective_date=MERGER_DAY, **MERGER,
        spec={"sources": [u.pk for u in former], "target": {"existing_id": province.pk}},  # a valid MergeSpec
        summary=f"Hợp nhất tỉnh {names} thành {province.name}"[:500],
    )
    districts = list(OrgUnit.objects.filter(_under(former), kind=OrgUnit.Kind.DISTRICT).order_by("path"))
    dissolve = OrgEvent.objects.create(
        plan=reform, seq=2, kind=OrgEvent.Kind.DISSOLVE, effective_date=MERGER_DAY, **DISTRICTS_ENDED,
        spec={"units": [d.pk for d in districts]},  # many units at once: history, not a DissolveSpec to apply
        summary=f"Kết thúc hoạt động của {len(districts)} đơn vị hành chính cấp huyện (tỉnh {names} cũ)",
    )
    successions = _successions(merge, dissolve, province, former, districts)
    moves = _record_moves(merge, former)
    counts = {"events": 2, "successions": successions, "employment_moves": moves}
    audit.record(None, "create", reform, after=counts, org_path=province.path, actor_label=ACTOR, reason=REASON)
    return counts


def _under(units: Iterable[OrgUnit]) -> Q:
    """The subtrees of ``units`` below them (their descendants, not themselves)."""
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(path__startswith=unit.path) & ~Q(pk=unit.pk)
    return q


def _successions(merge: OrgEvent, dissolve: OrgEvent, province: OrgUnit, former: Sequence[OrgUnit],
                 districts: Sequence[OrgUnit]) -> int:
    """Every former unit → its successor (bulk): provinces, departments and what was under them; districts
    end without one. ``created`` is False: the successors were not opened by an engine."""
    new_departments = {d.name: d for d in OrgUnit.objects.filter(parent=province,
                                                                 kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT)}
    new_children: dict[tuple[int, str], OrgUnit] = {
        (c.parent_id, fold(c.name)): c for c in OrgUnit.objects.filter(parent__in=list(new_departments.values()))
        if c.parent_id is not None
    }
    pairs: list[tuple[OrgEvent, OrgUnit, OrgUnit | None]] = [(merge, f, province) for f in former]
    old_departments = OrgUnit.objects.filter(parent__in=former, kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT)
    main_successor: dict[int, OrgUnit] = {}
    for old in old_departments.order_by("path"):
        heirs = [new_departments[n] for n in SUCCESSORS.get(old.name, (old.name,)) if n in new_departments]
        if heirs:
            main_successor[old.pk] = heirs[0]
            pairs += [(merge, old, heir) for heir in heirs]
    for child in OrgUnit.objects.filter(parent_id__in=list(main_successor)).order_by("path"):
        assert child.parent_id is not None
        heir = main_successor[child.parent_id]
        pairs.append((merge, child, new_children.get((heir.pk, fold(child.name)), heir)))
    pairs += [(dissolve, d, None) for d in districts]
    rows = [UnitSuccession(event=e, old_unit=old, new_unit=new, created=False, old_valid_to=old.valid_to)
            for e, old, new in pairs]
    UnitSuccession.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _record_moves(merge: OrgEvent, former: Sequence[OrgUnit]) -> int:
    """One INSERT … SELECT: each spell that ended 30/06/2025 in a former unit, with the spell from 01/07/2025."""
    if not former:
        return 0
    ops = connection.ops
    move, employment, unit = (m._meta.db_table for m in (EmploymentMove, Employment, OrgUnit))
    paths = " OR ".join(["u.path LIKE %s"] * len(former))
    sql = (
        f"INSERT INTO {move} (event_id, person_id, old_employment_id, new_employment_id, old_end_date, "
        f"old_end_reason) SELECT %s, o.person_id, o.id, n.id, o.end_date, o.end_reason FROM {employment} o "
        f"JOIN {employment} n ON n.person_id = o.person_id AND n.start_date = %s "
        f"JOIN {unit} u ON u.id = o.unit_id WHERE o.end_date = %s AND ({paths})"
    )
    params = [merge.pk, ops.adapt_datefield_value(MERGER_DAY), ops.adapt_datefield_value(PRE_2025_VALID_TO),
              *[f"{f.path}%" for f in former]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(int(cursor.rowcount), 0)


# ---- commune adjacency and preferences ------------------------------------------------------------------


def illustrative_neighbours(province: OrgUnit) -> int:
    """Communes with consecutive codes in the province count as neighbours (both ways): illustrative only."""
    if province.area_id is None:
        return 0
    codes = list(AdminArea.objects.filter(parent_id=province.area_id, level=AdminArea.Level.COMMUNE)
                 .order_by("code").values_list("pk", flat=True))
    rows = [AreaNeighbour(area_id=a, neighbour_id=b, source=NEIGHBOUR_SOURCE)
            for x, y in itertools.pairwise(codes) for a, b in ((x, y), (y, x))]
    AreaNeighbour.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def preferences(province: OrgUnit, day: dt.date, rng: random.Random) -> int:
    """A few people in positions over quota on ``day`` state one or two units they would like to go to:
    units with a vacancy in a position of the same group and rank, elsewhere in the province."""
    on_day = Q(employments__start_date__lte=day) & (Q(employments__end_date__isnull=True)
                                                    | Q(employments__end_date__gte=day))
    positions = list(
        JobPosition.objects.filter(active_on(day), unit__path__startswith=province.path)
        .exclude(group=JobPosition.Group.LEADERSHIP).annotate(filled=Count("employments", filter=on_day))
        .order_by("pk").values_list("pk", "unit_id", "group", "rank_id", "headcount_quota", "filled")
    )
    over = {pk: (unit, group, rank) for pk, unit, group, rank, quota, filled in positions if filled > quota}
    vacant = [(unit, group, rank) for _pk, unit, group, rank, quota, filled in positions if filled < quota]
    staff = (Employment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), position_id__in=list(over),
                                       start_date__lte=day)
             .order_by("position_id", "-start_date", "person_id").values_list("person_id", "position_id"))
    rows: list[Preference] = []
    chosen = 0
    for person_id, position_id in staff:
        if chosen >= PREFERENCE_PEOPLE:
            break
        unit, group, rank = over[position_id]
        units = sorted({u for u, g, r in vacant if (g, r) == (group, rank) and u != unit})
        if not units:
            continue
        chosen += 1
        wishes = rng.sample(units, min(len(units), rng.choice((1, 2, 2))))
        rows += [Preference(person_id=person_id, unit_id=u, rank=n, note=PREFERENCE_NOTE)
                 for n, u in enumerate(wishes, start=1)]
    Preference.objects.bulk_create(rows)
    return len(rows)


# ---- two drafts of a 2027 merger -------------------------------------------------------------------------

DRAFT_DAY = dt.date(2027, 1, 1)
DRAFT_DECISION_NUMBER = "…/QĐ-UBND (dự thảo)"
DRAFT_DECISION_DATE = dt.date(2026, 12, 15)
DRAFT_LEGAL_BASIS = "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
ABSORBED, RECEIVING = "Sở Dân tộc và Tôn giáo", "Sở Nội vụ"
DRAFT_NAME = f"Phương án sáp nhập {ABSORBED} vào {RECEIVING} từ 01/01/2027"
ONE_HEAD = "Sau sáp nhập, sở có một Giám đốc"


def _department(province: OrgUnit, name: str, day: dt.date) -> OrgUnit | None:
    return OrgUnit.objects.filter(active_on(day), parent=province, name=name,
                                  kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT).first()


def _position(unit: OrgUnit, name: str) -> JobPosition | None:
    return JobPosition.objects.filter(unit=unit, name=name, valid_to__isnull=True).order_by("pk").first()


def _office_experts(departments: Sequence[OrgUnit]) -> list[JobPosition]:
    """The "Chuyên viên" positions of the two departments' offices: the engine merges them into one."""
    return list(JobPosition.objects.filter(unit__parent__in=departments, unit__name="Văn phòng", name="Chuyên viên",
                                           valid_to__isnull=True).order_by("pk"))


def draft_plans(province: OrgUnit, today: dt.date) -> list[Plan]:
    """Two drafts of the same merger with different quota decisions (the planning view and "compare two
    drafts" need content); nothing is committed. None when the province lacks either department."""
    absorbed, receiving = _department(province, ABSORBED, today), _department(province, RECEIVING, today)
    if absorbed is None or receiving is None:
        return []
    head = _position(absorbed, "Giám đốc")
    deputies = _position(absorbed, "Phó Giám đốc")
    experts = _office_experts([absorbed, receiving])
    if head is None or deputies is None or not experts:
        return []
    carried = sum(p.headcount_quota for p in experts)
    kept_deputies = deputies.headcount_quota + 2  # of the two departments' deputies (3 + 3 in the catalogue)
    scope = Scope(paths=(province.path,))
    alternatives = (
        ("phương án 1: giảm biên chế văn phòng", [
            {"old_position_id": head.pk, "quota": 1, "reason": ONE_HEAD},
            {"old_position_id": experts[0].pk, "quota": max(0, carried - 2),
             "reason": "Hợp nhất hai văn phòng: bớt 2 biên chế chuyên viên làm việc trùng lặp"},
        ]),
        ("phương án 2: giữ biên chế văn phòng, bớt cấp phó", [
            {"old_position_id": head.pk, "quota": 1, "reason": ONE_HEAD},
            {"old_position_id": deputies.pk, "quota": kept_deputies,
             "reason": f"Sở sau sáp nhập giữ {kept_deputies} Phó Giám đốc; số còn lại bố trí vị trí khác"},
        ]),
    )
    plans = []
    for label, decisions in alternatives:
        plan = services.create_plan(None, scope, name=f"{DRAFT_NAME} ({label})", scope_unit_id=province.pk,
                                    notes="Dự thảo minh họa để xem tác động và so sánh hai phương án.")
        services.add_event(None, scope, plan.pk, kind=OrgEvent.Kind.MERGE, effective_date=DRAFT_DAY,
                           decision_number=DRAFT_DECISION_NUMBER, decision_date=DRAFT_DECISION_DATE,
                           legal_basis=DRAFT_LEGAL_BASIS, spec={
            "sources": [absorbed.pk], "target": {"existing_id": receiving.pk}, "quota_decisions": decisions})
        plans.append(plan)
    return plans


# ---- the redeployment run -------------------------------------------------------------------------------


def redeployment_run(province: OrgUnit, today: dt.date) -> dict[str, int]:
    """Proposals for HR to review: the surplus of the positions over quota on ``today``, placed or left over."""
    run = redeploy.run_redeployment(None, Scope(paths=(province.path,)), scope_unit_id=province.pk, as_of=today)
    figures = run.figures
    return {"surplus": int(figures.get("surplus", 0)), "placed": int(figures.get("placed", 0)),
            "left_over": int(figures.get("left_over", 0))}


# ---- the whole step -------------------------------------------------------------------------------------


@transaction.atomic
def build_restructuring(provinces: Sequence[OrgUnit], plans: Sequence[ProvincePlan], *, seed: int,
                        today: dt.date, redeploy: bool = True) -> dict[str, Any]:
    """Record the 2025 reform of every province built; for the first (the demo's), the commune adjacency,
    preferences, two draft plans and, with ``redeploy``, a redeployment run as of ``today``.

    Does nothing if the demo province's reform is recorded already (like the consequences step).
    """
    if not provinces:
        return {}
    demo = provinces[0]
    if Plan.objects.filter(scope_unit=demo, status=Plan.Status.RECORDED).exists():
        return {"skipped": "the 2025 reform is recorded already"}
    counts: dict[str, Any] = {"recorded_plans": 0, "successions": 0, "employment_moves": 0}
    for province, plan in zip(provinces, plans, strict=True):
        made = record_reform(province, plan)
        counts["recorded_plans"] += 1
        counts["successions"] += made["successions"]
        counts["employment_moves"] += made["employment_moves"]
    rng = random.Random(f"congvu-demo-restructuring-{seed}")
    counts["neighbours"] = illustrative_neighbours(demo)
    counts["preferences"] = preferences(demo, today, rng)
    audit.record(None, "create", object_type="preference", object_id=demo.pk, org_path=demo.path, actor_label=ACTOR,
                 after={"neighbours": counts["neighbours"], "preferences": counts["preferences"]}, reason=REASON)
    counts["draft_plans"] = len(draft_plans(demo, today))
    if redeploy:
        counts.update(redeployment_run(demo, today))
    return counts
