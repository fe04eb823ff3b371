"""The organisation of the demo province(s): units, job positions with quotas, and the placement plan.

Units and positions are created set-based (``bulk_create`` per tree level, one audit entry per batch
with actor "demo"), not one service call per row, so that even the 34-province benchmark structure
(~17,000 units) takes seconds. The province itself and its communes come from
:func:`congvu.org.reference.create_province_tree`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from congvu.core import audit
from congvu.demo import catalog
from congvu.demo.catalog import DEPARTMENTS, DivisionSpec, PositionSpec
from congvu.demo.names import WeightedChoice
from congvu.demo.people import MERGER_DAY, LegacyUnits, ProvincePlan, RankInfo, Slot
from congvu.org.models import JobPosition, OrgUnit, Rank, SalaryStep, path_segment
from congvu.org.reference import create_province_tree, nation_root
from congvu.org.reference_data import PRE_2025_SUCCESSOR, PRE_2025_VALID_TO
from congvu.rules.personal_id import PRE_2025_PROVINCES

ACTOR = "demo"
LEGACY_DEPARTMENTS = (
    "Văn phòng Ủy ban nhân dân tỉnh", "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư",
    "Sở Lao động – Thương binh và Xã hội", "Sở Tài nguyên và Môi trường", "Sở Giao thông vận tải",
    "Sở Thông tin và Truyền thông", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Thanh tra tỉnh",
)
#: What sat under each former department besides its leadership (kind, name), so the 2025 reform removes
#: divisions, sub-departments (chi cục) and public service units as the seed article counts them. Generic
#: function names of the pre-2025 provincial departments, not data of a real province.
LEGACY_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "Văn phòng Ủy ban nhân dân tỉnh": (("division", "Phòng Hành chính – Tổ chức"), ("division", "Phòng Tổng hợp")),
    "Sở Kế hoạch và Đầu tư": (("public_service_unit", "Trung tâm Xúc tiến đầu tư"),),
    "Sở Lao động – Thương binh và Xã hội": (("sub_department", "Chi cục Phòng, chống tệ nạn xã hội"),
                                            ("public_service_unit", "Trung tâm Dịch vụ việc làm")),
    "Sở Tài nguyên và Môi trường": (("sub_department", "Chi cục Bảo vệ môi trường"),
                                    ("sub_department", "Chi cục Quản lý đất đai"),
                                    ("public_service_unit", "Trung tâm Quan trắc tài nguyên và môi trường")),
    "Sở Thông tin và Truyền thông": (("public_service_unit", "Trung tâm Công nghệ thông tin và Truyền thông"),),
    "Sở Nông nghiệp và Phát triển nông thôn": (("sub_department", "Chi cục Thủy lợi"),
                                               ("sub_department", "Chi cục Kiểm lâm"),
                                               ("sub_department", "Chi cục Trồng trọt và Bảo vệ thực vật"),
                                               ("sub_department", "Chi cục Chăn nuôi và Thú y"),
                                               ("public_service_unit", "Trung tâm Khuyến nông")),
    "Sở Y tế": (("sub_department", "Chi cục Dân số – Kế hoạch hóa gia đình"),
                ("sub_department", "Chi cục An toàn vệ sinh thực phẩm"),
                ("public_service_unit", "Trung tâm Kiểm soát bệnh tật")),
}
LEGACY_OFFICE = "Văn phòng"  # every former department but the People's Committee's office had one
#: District-level units (huyện, thị xã, thành phố thuộc tỉnh) on 30/06/2025 per former province, as recalled
#: [R]; elsewhere an illustrative count. No dependency we have lists their names (vietnam-provinces holds
#: the 2025 communes only), so they get a neutral name pattern and a source saying so.
DISTRICTS_BEFORE_2025 = {"035": 6, "036": 9, "037": 7}
DISTRICTS_ELSEWHERE = 10
DISTRICT_SOURCE = "congvu demo: cấp huyện minh họa (tên theo mẫu, không phải tên thật; số huyện [R])"
# Quota minus staff placed, for scalable positions: negative = surplus (dôi dư), positive = vacancies.
QUOTA_DELTA = ((-2, 0.08), (-1, 0.2), (0, 0.34), (1, 0.26), (2, 0.12))


@dataclass
class Structure:
    provinces: list[OrgUnit]
    plans: list[ProvincePlan]
    slots: list[Slot]
    ranks: dict[str, RankInfo]
    units: int = 0
    positions: int = 0
    #: Position ids the demo users are bound to: head of a department, head of a division, one expert there.
    demo_positions: dict[str, int] = field(default_factory=dict)
    demo_units: dict[str, OrgUnit] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return sum(s.placed for s in self.slots)


@dataclass
class _Planned:
    unit: OrgUnit
    spec: PositionSpec
    province: int
    in_commune: bool
    forced: bool = False
    placed: int = 0


def rank_infos() -> dict[str, RankInfo]:
    max_steps = dict(SalaryStep.objects.values("group_id").annotate(m=Max("step")).values_list("group_id", "m"))
    return {
        r.code: RankInfo(r.pk, r.code, max_steps.get(r.salary_group_id, 1), r.months_per_step)
        for r in Rank.objects.all()
    }


def _audit_batch(rows: Sequence[OrgUnit | JobPosition], object_type: str, org_path: str) -> None:
    if not rows:
        return
    ids = [r.pk for r in rows]
    audit.record(None, "create", object_type=object_type, object_id=f"{min(ids)}-{max(ids)}",
                 after={"count": len(rows)}, org_path=org_path, actor_label=ACTOR,
                 reason="Dữ liệu minh họa (congvu demo)")


def bulk_units(rows: list[OrgUnit], org_path: str) -> list[OrgUnit]:
    """Insert units whose parents already have paths; then give each its path and depth."""
    OrgUnit.objects.bulk_create(rows, batch_size=1000)
    for unit in rows:
        parent = unit.parent
        unit.path = (parent.path if parent is not None else "") + path_segment(unit.pk)
        unit.depth = unit.path.count(".") - 1
    OrgUnit.objects.bulk_update(rows, ["path", "depth"], batch_size=1000)
    _audit_batch(rows, "orgunit", org_path)
    return rows


def _unit(parent: OrgUnit | None, name: str, kind: str, *, valid_from: dt.date | None = MERGER_DAY,
          valid_to: dt.date | None = None) -> OrgUnit:
    return OrgUnit(name=name, kind=kind, parent=parent, valid_from=valid_from, valid_to=valid_to,
                   source="congvu demo", legal_basis="Dữ liệu minh họa")


def _division_positions(spec: DivisionSpec, in_commune: bool) -> tuple[PositionSpec, ...]:
    positions = catalog.division_positions(spec.head, spec.deputy, spec.size, spec.category)
    return tuple(p for p in positions if not (in_commune and p.key == "driver"))


def _legacy_units(codes: Sequence[str]) -> dict[str, LegacyUnits]:
    """For each pre-merger province: its government (ended 30/06/2025) and its departments then."""
    root = nation_root()
    provinces = {c: _unit(root, f"Ủy ban nhân dân tỉnh {PRE_2025_PROVINCES[c]} (trước 01/07/2025)",
                          OrgUnit.Kind.PROVINCE, valid_from=None, valid_to=PRE_2025_VALID_TO) for c in codes}
    bulk_units(list(provinces.values()), root.path)
    departments = {c: [_unit(p, name, OrgUnit.Kind.PROVINCIAL_DEPARTMENT, valid_from=None, valid_to=PRE_2025_VALID_TO)
                       for name in LEGACY_DEPARTMENTS] for c, p in provinces.items()}
    bulk_units([d for ds in departments.values() for d in ds], root.path)
    bulk_units(_legacy_children(provinces, departments), root.path)
    return {c: LegacyUnits(provinces[c].pk, tuple(d.pk for d in departments[c])) for c in codes}


def _legacy_children(provinces: dict[str, OrgUnit], departments: dict[str, list[OrgUnit]]) -> list[OrgUnit]:
    """The former district level and the former departments' divisions, chi cục and centres (unsaved)."""
    end = PRE_2025_VALID_TO
    rows = [
        _unit(province, f"Ủy ban nhân dân cấp huyện số {n:02d} (tỉnh {PRE_2025_PROVINCES[code]} cũ)",
              OrgUnit.Kind.DISTRICT, valid_from=None, valid_to=end)
        for code, province in provinces.items()
        for n in range(1, DISTRICTS_BEFORE_2025.get(code, DISTRICTS_ELSEWHERE) + 1)
    ]
    for district in rows:
        district.source = DISTRICT_SOURCE
    for department in (d for ds in departments.values() for d in ds):
        office = () if department.name == LEGACY_DEPARTMENTS[0] else (("division", LEGACY_OFFICE),)
        rows += [_unit(department, name, kind, valid_from=None, valid_to=end)
                 for kind, name in (*office, *LEGACY_CHILDREN.get(department.name, ()))]
    return rows


def _province_plan(code: str, legacy: dict[str, LegacyUnits]) -> ProvincePlan:
    predecessors = sorted(c for c, succ in PRE_2025_SUCCESSOR.items() if succ == code)
    weights: dict[str, float] = {c: 88.0 / len(predecessors) for c in predecessors}
    others = [c for c in sorted(PRE_2025_PROVINCES) if c not in weights]
    if "001" in others:
        weights["001"] = 4.0
        others.remove("001")
    for c in others:
        weights[c] = 8.0 / len(others)
    return ProvincePlan(code, WeightedChoice(weights), {c: legacy[c] for c in predecessors},
                        WeightedChoice(dict.fromkeys(predecessors, 1.0)))


def _province_units(province: OrgUnit, index: int) -> tuple[list[_Planned], dict[str, OrgUnit]]:
    """Departments, their divisions and the communes' divisions of one province, with their positions."""
    planned: list[_Planned] = []
    named: dict[str, OrgUnit] = {}
    departments = bulk_units([_unit(province, d.name, OrgUnit.Kind.PROVINCIAL_DEPARTMENT) for d in DEPARTMENTS],
                             province.path)
    divisions: list[tuple[OrgUnit, DivisionSpec]] = []
    for dept, dept_spec in zip(departments, DEPARTMENTS, strict=True):
        named.setdefault(dept_spec.name, dept)
        planned += [_Planned(dept, p, index, False) for p in catalog.department_leadership(dept_spec.head, dept_spec.deputy)]
        divisions += [(_unit(dept, d.name, d.kind), d) for d in dept_spec.divisions]
    communes = list(OrgUnit.objects.filter(parent=province, kind=OrgUnit.Kind.COMMUNE).order_by("code"))
    for commune in communes:
        planned += [_Planned(commune, p, index, True) for p in catalog.commune_leadership()]
        is_ward = commune.name.startswith("Ủy ban nhân dân phường")
        divisions += [(_unit(commune, d.name, d.kind), d) for d in catalog.commune_divisions(is_ward)]
    bulk_units([u for u, _ in divisions], province.path)
    for unit, spec in divisions:
        in_commune = unit.parent is not None and unit.parent.kind == OrgUnit.Kind.COMMUNE
        if not in_commune and unit.parent is not None:
            named.setdefault(f"{unit.parent.name}/{unit.name}", unit)
        planned += [_Planned(unit, p, index, in_commune) for p in _division_positions(spec, in_commune)]
    return planned, named


def allocate(planned: list[_Planned], people: int, rng: random.Random) -> None:
    """Decide how many people each position gets (``placed``), summing to ``people``.

    Forced positions (those the demo users need) get one person first. If there are enough people,
    every leadership post is filled except a few deputy posts left vacant, and the rest is shared
    among professional and support positions in proportion to their nominal size (largest remainder).
    With fewer people than leadership posts, everyone is shared in proportion to nominal sizes.
    """
    remaining = people
    for p in planned:
        if p.forced and remaining > 0:
            p.placed, remaining = 1, remaining - 1
    leaders = [p for p in planned if not p.spec.scalable]
    leader_posts = sum(p.spec.nominal - p.placed for p in leaders)
    if remaining >= leader_posts:
        for p in leaders:
            vacant = sum(rng.random() < 0.08 for _ in range(p.spec.nominal - 1)) if p.spec.key == "deputy" else 0
            add = max(0, p.spec.nominal - vacant - p.placed)
            p.placed += add
            remaining -= add
        _share(remaining, [p for p in planned if p.spec.scalable], rng)
    else:
        _share(remaining, planned, rng)


def _share(total: int, among: list[_Planned], rng: random.Random) -> None:
    weight = sum(p.spec.nominal for p in among)
    if total <= 0 or weight == 0:
        return
    exact = [total * p.spec.nominal / weight for p in among]
    floors = [int(x) for x in exact]
    for p, f in zip(among, floors, strict=True):
        p.placed += f
    order = sorted(range(len(among)), key=lambda i: (exact[i] - floors[i], rng.random()), reverse=True)
    for i in order[: total - sum(floors)]:
        among[i].placed += 1


def _quota(p: _Planned, rng: random.Random) -> int:
    if not p.spec.scalable:
        return p.spec.nominal
    delta = rng.choices([d for d, _ in QUOTA_DELTA], weights=[w for _, w in QUOTA_DELTA])[0]
    return max(0, p.placed + delta)


def _create_positions(planned: list[_Planned], ranks: dict[str, RankInfo], rng: random.Random) -> list[JobPosition]:
    rows = []
    for n, p in enumerate(planned, start=1):
        main_rank = max(p.spec.ranks, key=lambda r: r[1])[0]
        rows.append(JobPosition(
            unit=p.unit, code=f"VTVL-{n:06d}", name=p.spec.name, group=p.spec.group,
            rank_id=ranks[main_rank].id if main_rank in ranks else None, headcount_quota=_quota(p, rng),
            valid_from=MERGER_DAY,
        ))
    JobPosition.objects.bulk_create(rows, batch_size=2000)
    return rows


def build_structure(province_codes: Sequence[str], people: int, rng: random.Random) -> Structure:
    """Create the provinces' units and positions and plan where ``people`` people go. Call inside a transaction."""
    ranks = rank_infos()
    provinces = [create_province_tree(code) for code in province_codes]
    codes = [p.code for p in provinces]
    legacy = _legacy_units(sorted(c for c, succ in PRE_2025_SUCCESSOR.items() if succ in codes))
    plans = [_province_plan(code, legacy) for code in codes]
    planned: list[_Planned] = []
    named: dict[str, OrgUnit] = {}
    for index, province in enumerate(provinces):
        more, names = _province_units(province, index)
        planned += more
        if index == 0:
            named = names
    head_dept = named[catalog.DEMO_HEAD_DEPARTMENT]
    manager_div = named[f"{catalog.DEMO_HEAD_DEPARTMENT}/{catalog.DEMO_MANAGER_DIVISION}"]
    demo_keys = {(head_dept.pk, "head"): "head", (manager_div.pk, "head"): "manager", (manager_div.pk, "expert"): "staff"}
    for p in planned:
        p.forced = (p.unit.pk, p.spec.key) in demo_keys
    allocate(planned, people, rng)
    positions = _create_positions(planned, ranks, rng)
    for index, province in enumerate(provinces):
        _audit_batch([pos for pos, p in zip(positions, planned, strict=True) if p.province == index],
                     "jobposition", province.path)
    slots = [_slot(p, pos) for p, pos in zip(planned, positions, strict=True) if p.placed > 0]
    structure = Structure(provinces=provinces, plans=plans, slots=slots, ranks=ranks, positions=len(positions),
                          units=OrgUnit.objects.count())
    for p, pos in zip(planned, positions, strict=True):
        role = demo_keys.get((p.unit.pk, p.spec.key))
        if role is not None:
            structure.demo_positions[role] = pos.pk
    structure.demo_units = {"province": provinces[0], "head": head_dept, "manager": manager_div}
    return structure


def _slot(p: _Planned, pos: JobPosition) -> Slot:
    leader = p.spec.group == catalog.LEADERSHIP
    return Slot(
        position_id=pos.pk, unit_id=p.unit.pk, unit_path=p.unit.path, province=p.province, key=p.spec.key,
        group=p.spec.group, title=p.spec.name if leader else "", category=p.spec.category,
        ranks=WeightedChoice([(code or "", w) for code, w in p.spec.ranks]), allowance=Decimal(p.spec.allowance),
        birth_years=p.spec.birth_years, placed=p.placed, in_commune=p.in_commune,
        decision_suffix="QĐ-UBND" if leader or p.in_commune else "QĐ-SNV",
    )
