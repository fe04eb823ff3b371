"""The restructuring reports for a scope unit over a range of effective dates (issue 6, item 4), set-based:

- **units removed** by level (central / provincial / district / commune) and by kind (the seed article's
  shape: departments, sub-departments, divisions, public service units, communes, districts…): units closed by
  an event of a committed or recorded plan whose effective date (``valid_to`` + 1) lies in the range, the
  units those events opened, and the net reduction (closed − opened: a merger of three Sở Nội vụ into one
  removes two);
- **positions, quota and headcount** on the day before the range and on its last day, by level;
- **surplus resolved vs open**: the redeployment proposals of the runs dated in the range, by status and by
  outcome (a position, or streamlining for a leftover).

The reach of a scope unit is its subtree on any day plus the units that were merged into it (predecessors
through the succession records, up to ``PREDECESSOR_STEPS`` events back): after two provinces merge, the new
province's report counts the old provinces' departments. Each figure is a handful of grouped queries; the
level of a unit is read from the kinds on its path (one query for all the ancestors involved).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, F, Q, QuerySet, Sum

from congvu.org.models import JobPosition, OrgUnit, active_on
from congvu.personnel.models import Employment
from congvu.restructuring.models import Plan, Proposal, RedeploymentRun, UnitSuccession

PREDECESSOR_STEPS = 3
DONE = (Plan.Status.COMMITTED, Plan.Status.RECORDED)


class Level(StrEnum):
    CENTRAL = "central"
    PROVINCIAL = "provincial"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def label_vi(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {Level.CENTRAL: "Trung ương", Level.PROVINCIAL: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện",
                Level.COMMUNE: "Cấp xã"}
CENTRAL_KINDS = {OrgUnit.Kind.NATION, OrgUnit.Kind.MINISTRY, OrgUnit.Kind.MINISTERIAL_AGENCY,
                 OrgUnit.Kind.GOVERNMENT_AGENCY}
# The seed article's order: departments (tổng cục, cục, vụ), sub-departments (chi cục), divisions, public
# service units; then the local levels.
KIND_ORDER = [OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.SUB_DEPARTMENT, OrgUnit.Kind.DIVISION,
              OrgUnit.Kind.PUBLIC_SERVICE_UNIT, OrgUnit.Kind.PROVINCIAL_DEPARTMENT, OrgUnit.Kind.PROVINCE,
              OrgUnit.Kind.DISTRICT, OrgUnit.Kind.COMMUNE, OrgUnit.Kind.MINISTRY, OrgUnit.Kind.MINISTERIAL_AGENCY,
              OrgUnit.Kind.GOVERNMENT_AGENCY, OrgUnit.Kind.NATION]


def level_of(kinds_on_path: Iterable[str]) -> Level:
    """The level of a unit from the kinds of its ancestors and itself (root first): the deepest of commune,
    district, province decides; otherwise a ministry or the nation makes it central."""
    kinds = set(kinds_on_path)
    if OrgUnit.Kind.COMMUNE in kinds:
        return Level.COMMUNE
    if OrgUnit.Kind.DISTRICT in kinds:
        return Level.DISTRICT
    if OrgUnit.Kind.PROVINCE in kinds or OrgUnit.Kind.PROVINCIAL_DEPARTMENT in kinds:
        return Level.PROVINCIAL
    return Level.CENTRAL


def path_ids(path: str) -> list[int]:
    return [int(s) for s in path.split(".") if s]


def levels_of(units: Iterable[tuple[int, str]]) -> dict[int, Level]:
    """unit id → level, for (id, path) pairs: one query for the kinds of every unit on those paths."""
    units = list(units)
    ids = {i for _pk, path in units for i in path_ids(path)}
    kinds = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "kind")) if ids else {}
    return {pk: level_of(kinds.get(i, "") for i in path_ids(path)) for pk, path in units}


def reach_q(scope_unit: OrgUnit, prefix: str = "") -> Q:
    """Units in the scope unit's subtree, or in the subtree of a unit merged into it (a predecessor, up to
    PREDECESSOR_STEPS back): after a provinces' merger the former provinces, their departments and their
    district level, which has no successor of its own, all count for the new province."""
    into = UnitSuccession.objects.filter(new_unit__path__startswith=scope_unit.path,
                                         event__plan__status__in=DONE).values("old_unit_id")
    predecessors: set[int] = set()
    for _step in range(PREDECESSOR_STEPS):
        found = set(into.values_list("old_unit_id", flat=True)) - predecessors
        if not found:
            break
        predecessors |= found
        into = UnitSuccession.objects.filter(new_unit_id__in=found, event__plan__status__in=DONE).values("old_unit_id")
    paths = _outermost(OrgUnit.objects.filter(pk__in=predecessors).values_list("path", flat=True))
    q = Q(**{f"{prefix}path__startswith": scope_unit.path})
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one of them (a subtree filter needs only those)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def units_in_reach(scope_unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(reach_q(scope_unit))


# ---- units removed ------------------------------------------------------------------------------------------


@dataclass
class RemovedRow:
    key: str
    label: str
    closed: int = 0
    opened: int = 0

    @property
    def net(self) -> int:
        """Units fewer after the events (negative: more units than before)."""
        return self.closed - self.opened


@dataclass
class RemovedReport:
    by_level: list[RemovedRow]
    by_kind: list[RemovedRow]
    total: RemovedRow


def closed_units(scope_unit: OrgUnit, start: dt.date, end: dt.date) -> QuerySet[OrgUnit]:
    """Units an event of a committed or recorded plan closed with an effective date in [start, end]."""
    by_event = UnitSuccession.objects.filter(event__plan__status__in=DONE, event__effective_date__gte=start,
                                             event__effective_date__lte=end).values("old_unit_id")
    return units_in_reach(scope_unit).filter(pk__in=by_event)


def opened_units(scope_unit: OrgUnit, start: dt.date, end: dt.date) -> QuerySet[OrgUnit]:
    """Successor units that began on their event's effective date (a merger into an existing unit opens
    none). Not the ``created`` flag: a recorded plan's successors were not created by the engine."""
    by_event = UnitSuccession.objects.filter(event__plan__status__in=DONE, event__effective_date__gte=start,
                                             event__effective_date__lte=end,
                                             new_unit__valid_from=F("event__effective_date")).values("new_unit_id")
    return units_in_reach(scope_unit).filter(pk__in=by_event)


def removed_units(scope_unit: OrgUnit, start: dt.date, end: dt.date) -> RemovedReport:
    closed = list(closed_units(scope_unit, start, end).values_list("pk", "path", "kind"))
    opened = list(opened_units(scope_unit, start, end).values_list("pk", "path", "kind"))
    levels = levels_of((pk, path) for pk, path, _kind in closed + opened)
    by_level = {lv: RemovedRow(lv.value, lv.label_vi) for lv in Level}
    labels = dict(OrgUnit.Kind.choices)
    by_kind = {k: RemovedRow(k.value, str(labels[k])) for k in KIND_ORDER}
    total = RemovedRow("total", "Tổng cộng")
    for rows, attr in ((closed, "closed"), (opened, "opened")):
        for pk, _path, kind in rows:
            for row in (by_level[levels[pk]], by_kind[OrgUnit.Kind(kind)], total):
                setattr(row, attr, getattr(row, attr) + 1)
    return RemovedReport(list(by_level.values()), [r for r in by_kind.values() if r.closed or r.opened], total)


# ---- positions, quota and headcount before and after -----------------------------------------------------


@dataclass
class Staffing:
    units: int = 0
    positions: int = 0
    quota: int = 0
    headcount: int = 0


@dataclass
class StaffingRow:
    key: str
    label: str
    before: Staffing = field(default_factory=Staffing)
    after: Staffing = field(default_factory=Staffing)


@dataclass
class StaffingReport:
    before_day: dt.date
    after_day: dt.date
    rows: list[StaffingRow]
    total: StaffingRow


def _staffing_on(scope_unit: OrgUnit, day: dt.date, levels: dict[int, Level]) -> tuple[dict[Level, Staffing], Staffing]:
    """Per level and in total on ``day``: units, positions and quota valid that day, people employed that day."""
    per: dict[Level, Staffing] = defaultdict(Staffing)
    reach = reach_q(scope_unit)
    units = list(OrgUnit.objects.filter(reach).filter(active_on(day)).values_list("pk", "path"))
    positions = (JobPosition.objects.filter(reach_q(scope_unit, "unit__")).filter(active_on(day)).order_by()
                 .values("unit_id", "unit__path").annotate(n=Count("pk"), quota=Sum("headcount_quota")))
    employed = (Employment.objects.filter(reach_q(scope_unit, "unit__"), start_date__lte=day)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=day)))
    headcount = employed.order_by().values("unit_id", "unit__path").annotate(n=Count("person_id", distinct=True))
    missing = [(pk, path) for pk, path in units if pk not in levels]
    missing += [(r["unit_id"], r["unit__path"]) for r in [*positions, *headcount] if r["unit_id"] not in levels]
    levels.update(levels_of(missing))
    for pk, _path in units:
        per[levels[pk]].units += 1
    for r in positions:
        s = per[levels[r["unit_id"]]]
        s.positions += r["n"]
        s.quota += r["quota"] or 0
    for r in headcount:
        per[levels[r["unit_id"]]].headcount += r["n"]
    total = Staffing(len(units), sum(s.positions for s in per.values()), sum(s.quota for s in per.values()),
                     employed.values("person_id").distinct().count())
    return per, total


def staffing(scope_unit: OrgUnit, before_day: dt.date, after_day: dt.date) -> StaffingReport:
    levels: dict[int, Level] = {}
    before, before_total = _staffing_on(scope_unit, before_day, levels)
    after, after_total = _staffing_on(scope_unit, after_day, levels)
    rows = [StaffingRow(lv.value, lv.label_vi, before.get(lv, Staffing()), after.get(lv, Staffing()))
            for lv in Level if lv in before or lv in after]
    return StaffingReport(before_day, after_day, rows, StaffingRow("total", "Tổng cộng", before_total, after_total))


# ---- surplus resolved vs open ----------------------------------------------------------------------------


@dataclass
class SurplusRow:
    key: str
    label: str
    to_position: int = 0
    leftover: int = 0

    @property
    def total(self) -> int:
        return self.to_position + self.leftover


@dataclass
class SurplusReport:
    rows: list[SurplusRow]  # one per proposal status
    resolved: int  # accepted or changed
    open: int  # pending in an open run
    rejected: int
    superseded: int  # pending in a run closed by a later one
    by_reason: list[tuple[str, str, int]]  # (reason, label, people)

    @property
    def total(self) -> int:
        return self.resolved + self.open + self.rejected


def surplus(scope_unit: OrgUnit, start: dt.date, end: dt.date) -> SurplusReport:
    """Proposals of the runs dated in [start, end] about people whose unit (before the move) is in reach."""
    proposals = Proposal.objects.filter(run__as_of__gte=start, run__as_of__lte=end).filter(
        reach_q(scope_unit, "from_employment__unit__"))
    grouped = (proposals.order_by().values("status", "run__status")
               .annotate(placed=Count("pk", filter=Q(to_position__isnull=False)),
                         left=Count("pk", filter=Q(to_position__isnull=True))))
    rows = {s: SurplusRow(s.value, str(s.label)) for s in Proposal.Status}
    superseded = 0
    for g in grouped:
        if g["status"] == Proposal.Status.PENDING and g["run__status"] == RedeploymentRun.Status.CLOSED:
            superseded += g["placed"] + g["left"]
            continue
        row = rows[Proposal.Status(g["status"])]
        row.to_position += g["placed"]
        row.leftover += g["left"]
    reasons = dict(Proposal.Reason.choices)
    live = proposals.exclude(status=Proposal.Status.PENDING, run__status=RedeploymentRun.Status.CLOSED)
    by_reason = [(r["reason"], str(reasons.get(r["reason"], r["reason"])), r["n"])
                 for r in live.order_by().values("reason").annotate(n=Count("pk")).order_by("reason")]
    return SurplusReport(
        list(rows.values()),
        resolved=rows[Proposal.Status.ACCEPTED].total + rows[Proposal.Status.CHANGED].total,
        open=rows[Proposal.Status.PENDING].total, rejected=rows[Proposal.Status.REJECTED].total,
        superseded=superseded, by_reason=by_reason,
    )


# ---- the whole report ----------------------------------------------------------------------------------


@dataclass
class Report:
    scope_unit: OrgUnit
    start: dt.date
    end: dt.date
    removed: RemovedReport
    staffing: StaffingReport
    surplus: SurplusReport


def report(scope_unit: OrgUnit, start: dt.date, end: dt.date) -> Report:
    """All three reports; staffing compares the day before ``start`` with ``end``."""
    return Report(scope_unit, start, end, removed_units(scope_unit, start, end),
                  staffing(scope_unit, start - dt.timedelta(days=1), end), surplus(scope_unit, start, end))
