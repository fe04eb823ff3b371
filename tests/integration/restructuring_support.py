"""A small world for restructuring tests (shared by the events, redeployment and pages tests).

On top of :func:`tests.factories.build_world` (Hà Nội › Sở Nội vụ › Phòng CCVC, Phòng TCCB; Huế › Sở Tài
chính), Hà Nội gets a second department, Sở Lao động – Thương binh và Xã hội, with its own Phòng Tổ chức cán
bộ (same name as Nội vụ's: a merger folds the two into one) and Phòng Bảo trợ xã hội; each department has a
Giám đốc position (leadership) and each division a Chuyên viên position (rank 01.003) with a quota:

    Sở Nội vụ                     Giám đốc q1 (Ông Phúc)
      Phòng CCVC                  Chuyên viên q2 (Chị Hà)
      Phòng TCCB                  Chuyên viên q2 (Anh Bình)
    Sở LĐTBXH                     Giám đốc q1 (Bà Giang)
      Phòng Tổ chức cán bộ        Chuyên viên q1 (Anh Cường, Chị Dung)   ← one over quota
      Phòng Bảo trợ xã hội        Chuyên viên q2 (Chị Yến), and Ông Khoa without a position

A province-level HR user (``hr_province``, user ``tccb_tinh``) can restructure Hà Nội; the world's ``hr``
(Sở Nội vụ) cannot restructure the province. :func:`merger_spec` is the standard merger of the two
departments into a new Sở Nội vụ from :data:`EFFECTIVE`, with the Giám đốc quota decided down to 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from congvu.access.models import Role
from congvu.org.models import JobPosition, OrgUnit, Rank
from congvu.org.reference import load_salary_tables
from congvu.personnel.models import Employment, Person
from tests.factories import World, build_world, person, unit, user

EFFECTIVE = dt.date(2026, 1, 1)
BEFORE = dt.date(2025, 12, 1)  # "today" when the plan is drafted and committed
DAY_BEFORE = EFFECTIVE - dt.timedelta(days=1)
DECISION = "1234/QĐ-UBND"


@dataclass
class RestructuringWorld:
    world: World
    province: OrgUnit
    noi_vu: OrgUnit
    ldtbxh: OrgUnit
    tccb_ld: OrgUnit
    bao_tro: OrgUnit
    hr_province: User
    positions: dict[str, JobPosition] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def _position(in_unit: OrgUnit, name: str, group: str, quota: int, rank: Rank | None, code: str = "") -> JobPosition:
    return JobPosition.objects.create(unit=in_unit, name=name, group=group, headcount_quota=quota, rank=rank,
                                      code=code, valid_from=dt.date(2000, 1, 1))


def _place(who: Person, position: JobPosition | None, rank: Rank, step: int, title: str = "") -> None:
    Employment.objects.filter(person=who, end_date__isnull=True).update(
        position=position, rank=rank, salary_step=step, step_since=dt.date(2023, 5, 1), title=title,
        percent_allowances=25)


def build_restructuring_world() -> RestructuringWorld:
    load_salary_tables()
    w = build_world()
    cv = Rank.objects.get(code="01.003")
    ld = unit("Sở Lao động - Thương binh và Xã hội", OrgUnit.Kind.PROVINCIAL_DEPARTMENT, w.ha_noi)
    tccb_ld = unit("Phòng Tổ chức cán bộ", OrgUnit.Kind.DIVISION, ld)
    bao_tro = unit("Phòng Bảo trợ xã hội", OrgUnit.Kind.DIVISION, ld)
    lead, pro = JobPosition.Group.LEADERSHIP, JobPosition.Group.PROFESSIONAL
    pos = {
        "gd_nv": _position(w.so_noi_vu, "Giám đốc", lead, 1, cv, "GD"),
        "gd_ld": _position(ld, "Giám đốc", lead, 1, cv, "GD"),
        "cv_ccvc": _position(w.phong_ccvc, "Chuyên viên", pro, 2, cv, "CV"),
        "cv_tccb": _position(w.phong_tccb, "Chuyên viên", pro, 2, cv, "CV"),
        "cv_tccb_ld": _position(tccb_ld, "Chuyên viên", pro, 1, cv, "CV"),
        "cv_bao_tro": _position(bao_tro, "Chuyên viên", pro, 2, cv),
    }
    people = {
        "ha": w.ha, "binh": w.binh,
        "phuc": person(("Đỗ", "Văn", "Phúc"), w.so_noi_vu, sex="M", birth_year=1970),
        "giang": person(("Vũ", "Thị", "Giang"), ld, birth_year=1972),
        "cuong": person(("Phạm", "Văn", "Cường"), tccb_ld, sex="M", birth_year=1988),
        "dung": person(("Hoàng", "Thị", "Dung"), tccb_ld, birth_year=1990),
        "yen": person(("Bùi", "Hải", "Yến"), bao_tro, birth_year=1992),
        "khoa": person(("Ngô", "Đăng", "Khoa"), bao_tro, sex="M", birth_year=1995),
    }
    _place(w.ha, pos["cv_ccvc"], cv, 4)
    _place(w.binh, pos["cv_tccb"], cv, 6)
    _place(people["phuc"], pos["gd_nv"], cv, 8, "Giám đốc")
    _place(people["giang"], pos["gd_ld"], cv, 8, "Giám đốc")
    _place(people["cuong"], pos["cv_tccb_ld"], cv, 3)
    _place(people["dung"], pos["cv_tccb_ld"], cv, 2)
    _place(people["yen"], pos["cv_bao_tro"], cv, 2)
    _place(people["khoa"], None, cv, 1)
    hr_province = user("tccb_tinh", Role.HR, w.ha_noi)
    return RestructuringWorld(w, w.ha_noi, w.so_noi_vu, ld, tccb_ld, bao_tro, hr_province, pos, people)


def merger_spec(rw: RestructuringWorld, *, giam_doc_quota: int = 1) -> dict[str, Any]:
    """Sở Nội vụ + Sở LĐTBXH → a new Sở Nội vụ under Hà Nội; the two Giám đốc seats decided down to one."""
    return {
        "sources": [rw.noi_vu.pk, rw.ldtbxh.pk],
        "target": {"name": "Sở Nội vụ", "kind": OrgUnit.Kind.PROVINCIAL_DEPARTMENT, "parent_id": rw.province.pk},
        "quota_decisions": [{"old_position_id": rw.positions["gd_nv"].pk, "quota": giam_doc_quota,
                             "reason": "Một giám đốc sau hợp nhất (Nghị định 45/2025/NĐ-CP)"}],
    }


def event_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"kind": "merge", "effective_date": EFFECTIVE, "decision_number": DECISION,
                              "decision_date": dt.date(2025, 11, 20),
                              "legal_basis": "Nghị quyết của HĐND thành phố về sắp xếp cơ quan chuyên môn"}
    fields.update(overrides)
    return fields
