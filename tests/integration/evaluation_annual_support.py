"""A year of published results for the annual pages, API, documents and browser tests.

Sở Nội vụ (Hà Nội) evaluates monthly. In Phòng Công chức, viên chức two people are tied at 92 at the quota
line (5 good + 2 excellent: one excellent seat), one excellent by score was disciplined, and one came from
Sở Tài chính in April (her first three months are that agency's). In Phòng Tổ chức cán bộ the one excellent
is over the quota (3 good: no seat). Chị Hà (the staff user) was on leave all March; her January was worked
through the services, with task lines, so her sheet has everything the form prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from congvu.evaluation import periods, work, workflow
from congvu.evaluation.models import AgencyScheme, Period, Sheet, SheetStatus
from congvu.org.models import OrgUnit
from congvu.personnel.models import Person
from congvu.rules import nd335_2025 as nd335
from tests.factories import World, build_world, person, unit

YEAR = 2026
POINTS = {"a": 9, "b": 9, "c": 8}


@dataclass
class YearWorld:
    world: World
    so_tai_chinh: OrgUnit
    people: dict[str, Person] = field(default_factory=dict)
    january: Sheet | None = None

    @property
    def agency(self) -> OrgUnit:
        return self.world.so_noi_vu


def _general() -> dict[str, int]:
    codes = [g.code for g in nd335.DEFAULT_PARAMETERS.general_groups]
    return dict(zip(codes, POINTS.values(), strict=True))


def _months(agency: OrgUnit) -> list[Period]:
    # The scenario puts the quota line inside one division: apply the quota per division and group.
    AgencyScheme.objects.update_or_create(agency=agency, defaults={"quota_by_division": True})
    periods.open_year(None, agency, YEAR)
    return list(Period.objects.filter(agency=agency, year=YEAR).order_by("number"))


def _sheets(who: Person, where: OrgUnit, months: list[Period], totals: list[str | None],
            group: str = "") -> list[Sheet]:
    return [
        Sheet(period=m, person=who, unit=where, group=group, worked=t is not None, status=SheetStatus.PUBLISHED,
              total=Decimal(t) if t is not None else None, general_points=Decimal(26) if t else None,
              rule_set_id=m.rule_set_id)
        for m, t in zip(months, totals, strict=True)
    ]


def _january_through_services(w: World, month: Period) -> Sheet:
    """Chị Hà's January: two task lines, a finding, self-assessment, manager's score, approved, published."""
    periods.ensure_sheets(None, month)
    Sheet.objects.filter(period=month).exclude(person=w.ha).delete()  # the others get their year in bulk
    sheet = Sheet.objects.get(period=month, person=w.ha)
    manager, staff, head = w.users["manager"], w.users["staff"], w.users["head"]
    report = work.add_task(manager, sheet, work.TaskInput(label="Báo cáo tổng hợp tình hình đội ngũ công chức",
                                                          coefficient="1.5", quantity=4, due_date=dt.date(YEAR, 1, 25)))
    answer = work.add_task(manager, sheet, work.TaskInput(label="Văn bản trả lời kiến nghị của công dân",
                                                          coefficient=1, quantity=6))
    work.report_completion(staff, report, completed=4, completed_on=dt.date(YEAR, 1, 26))
    work.report_completion(staff, answer, completed=5, completed_on=dt.date(YEAR, 1, 20))
    work.record_findings(manager, report, errors=1, delays=1)
    work.self_assess(staff, sheet, _general())
    work.manager_score(manager, sheet, _general())
    workflow.approve(head, month, w.phong_ccvc)
    workflow.publish(head, month, w.phong_ccvc)
    sheet.refresh_from_db()
    return sheet


def build_year() -> YearWorld:
    w = build_world()
    stc = unit("Sở Tài chính", OrgUnit.Kind.PROVINCIAL_DEPARTMENT, w.ha_noi)
    yw = YearWorld(world=w, so_tai_chinh=stc)
    months = _months(w.so_noi_vu)
    old_months = _months(stc)
    yw.january = _january_through_services(w, months[0])
    ccvc, tccb = w.phong_ccvc, w.phong_tccb
    names = {
        "an": (("Phạm", "Thị", "An"), ccvc, "92.00"),
        "bao": (("Đỗ", "Quốc", "Bảo"), ccvc, "92.00"),
        "cuong": (("Vũ", "Mạnh", "Cường"), ccvc, "95.00"),
        "dung": (("Hoàng", "Thị", "Dung"), ccvc, "80.00"),
        "em": (("Bùi", "Văn", "Em"), ccvc, "75.50"),
        "giang": (("Đặng", "Thu", "Giang"), ccvc, "85.00"),
        "hanh": (("Ngô", "Thị", "Hạnh"), ccvc, "60.00"),
        "khoa": (("Lý", "Đăng", "Khoa"), tccb, "96.00"),
        "lan": (("Trịnh", "Ngọc", "Lan"), tccb, "82.00"),
        "minh": (("Cao", "Văn", "Minh"), tccb, "78.00"),
    }
    sheets: list[Sheet] = []
    for key, (full, where, score) in names.items():
        p = person(full, where, sex="F" if key in {"an", "dung", "giang", "hanh", "lan"} else "M")
        yw.people[key] = p
        if key == "giang":  # transferred in April: Jan–Mar are Sở Tài chính's periods
            sheets += _sheets(p, stc, old_months[:3], ["88.00", "86.00", "84.00"])
            sheets += _sheets(p, ccvc, months[3:], [score] * 9)
        else:
            sheets += _sheets(p, where, months, [score] * 12)
    yw.people["ha"], yw.people["binh"] = w.ha, w.binh
    ha_rest = ["88.00", None] + ["86.00"] * 9  # March on leave
    sheets += _sheets(w.ha, ccvc, months[1:], ha_rest)
    sheets += _sheets(w.binh, tccb, months, ["70.00"] * 12)
    Sheet.objects.bulk_create(sheets)
    yw.people["cuong"].disciplines.create(form="reprimand", decided_on=dt.date(YEAR, 6, 10),
                                          effective_from=dt.date(YEAR, 6, 10), decision_number="15/QĐ-SNV")
    return yw
