"""Reads of reconciliation runs and the work queue, always through the caller's org-subtree scope.

Who reads: holders of RECONCILE (HR, admins) and of READ_AUDIT (heads of agency, inspectors): the queue
names people and shows identity evidence, which those roles may already see in the history tab.

The match rate of a set of register records (a unit's subtree in one run) is
``clean / total``, where clean = matched at once by the run + records resolved since as accepted (the
register was corrected) or fixed (the unit corrected it). Rejected records stay unclean: the register
and the population database still disagree about them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_noop

from congvu.access import access
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.org.models import PATH_SEGMENT_WIDTH, OrgUnit
from congvu.reconciliation.models import (
    CLEAN_STATES,
    PENDING_STATES,
    QueueState,
    ReconciliationRecord,
    ReconciliationRun,
    ReconciliationTally,
    Status,
)

# ---- labels (Vietnamese source strings; the web catalogue translates them) ---------------------------------

FIELD_LABELS = {
    "personal_id": gettext_noop("Số định danh cá nhân"),
    "old_id": gettext_noop("Số CMND cũ"),
    "full_name": gettext_noop("Họ và tên"),
    "birth_date": gettext_noop("Ngày sinh"),
    "sex": gettext_noop("Giới tính"),
    "hometown": gettext_noop("Quê quán"),
}
DIFFERENCE_LABELS = {
    "diacritics": gettext_noop("khác dấu"),
    "typo": gettext_noop("sai chính tả, gõ nhầm"),
    "day_month_swapped": gettext_noop("nhầm ngày với tháng"),
    "year_only": gettext_noop("chỉ có năm sinh"),
    "middle_name": gettext_noop("khác chữ đệm"),
    "different": gettext_noop("khác hẳn"),
    "missing": gettext_noop("thiếu trong CSDL cán bộ"),
    "format": gettext_noop("viết sai định dạng"),
    "sex": gettext_noop("khác giới tính"),
}
ID_PROBLEM_LABELS = {
    "missing": gettext_noop("để trống"),
    "not_12_digits": gettext_noop("không đủ 12 chữ số"),
    "bad_province_prefix": gettext_noop("mã tỉnh (3 số đầu) không hợp lệ"),
    "sex_century_digit": gettext_noop("số thứ 4 không khớp giới tính, thế kỷ sinh"),
    "birth_year_digits": gettext_noop("số thứ 5–6 không khớp năm sinh"),
    "belongs_to_other_person": gettext_noop("là số của người khác trong CSDL dân cư"),
    "not_in_population": gettext_noop("không có trong CSDL dân cư"),
}


def read_scope(user: AnyUser) -> Scope:
    """The subtrees where ``user`` may read reconciliation results (RECONCILE or READ_AUDIT)."""
    a, b = access.scope_for(user, Right.RECONCILE), access.scope_for(user, Right.READ_AUDIT)
    if a.everything or b.everything:
        return Scope(paths=(), everything=True)
    return Scope(paths=tuple(sorted(set(a.paths) | set(b.paths))))


def reconcile_scope(user: AnyUser) -> Scope:
    return access.scope_for(user, Right.RECONCILE)


def path_q(scope: Scope, field: str = "org_path") -> Q:
    if scope.everything:
        return Q()
    if not scope.paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in scope.paths))


def _prefixes(path: str) -> list[str]:
    """``a.b.c.`` → ``["", "a.", "a.b.", "a.b.c."]``: the paths of a unit and all its ancestors."""
    step = PATH_SEGMENT_WIDTH + 1
    return [path[:i] for i in range(0, len(path) + 1, step)]


def runs_visible(user: AnyUser) -> QuerySet[ReconciliationRun]:
    """Runs that checked some part of the user's subtrees (a run over a whole province shows to its
    departments; a department's run shows to the province)."""
    scope = read_scope(user)
    runs = ReconciliationRun.objects.select_related("scope_unit", "started_by")
    if scope.everything:
        return runs
    if not scope.paths:
        return runs.none()
    inside = path_q(scope, "scope_path")
    covering = Q(scope_path__in={prefix for p in scope.paths for prefix in _prefixes(p)})
    return runs.filter(inside | covering)


def records_visible(user: AnyUser, run: ReconciliationRun | None = None) -> QuerySet[ReconciliationRecord]:
    records = ReconciliationRecord.objects.filter(path_q(read_scope(user)))
    return records.filter(run=run) if run is not None else records


def latest_run(user: AnyUser) -> ReconciliationRun | None:
    return runs_visible(user).first()


def entry_units(user: AnyUser, run: ReconciliationRun) -> list[OrgUnit]:
    """Where a reader starts in a run: the run's unit if the reader sees all of it, else the reader's own
    subtrees that the run checked."""
    scope = read_scope(user)
    if run.scope_unit is not None and scope.covers(run.scope_unit.path):
        return [run.scope_unit]
    if scope.everything:  # a national run seen by a national reader: the roots of the tree it checked
        roots = {t[: PATH_SEGMENT_WIDTH + 1] for t in run.tallies.values_list("org_path", flat=True) if t}
        return list(OrgUnit.objects.filter(path__in=roots).order_by("path"))
    units = OrgUnit.objects.filter(path__in=scope.paths).order_by("path")
    return [u for u in units if u.path.startswith(run.scope_path)]


# ---- match rates ----------------------------------------------------------------------------------------


@dataclass
class Rate:
    """Counts behind a match rate. ``pending`` = open or sent to the unit."""

    total: int = 0
    matched: int = 0
    accepted: int = 0
    fixed: int = 0
    rejected: int = 0
    pending: int = 0

    @property
    def clean(self) -> int:
        return self.matched + self.accepted + self.fixed

    @property
    def percent(self) -> Decimal | None:
        return percent(self.clean, self.total)

    @property
    def initial_percent(self) -> Decimal | None:
        return percent(self.matched, self.total)

    def add(self, other: Rate) -> None:
        for name in ("total", "matched", "accepted", "fixed", "rejected", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


STATE_FIELDS = {QueueState.ACCEPTED: "accepted", QueueState.FIXED: "fixed", QueueState.REJECTED: "rejected",
                QueueState.OPEN: "pending", QueueState.SENT_TO_UNIT: "pending"}


def rates_by_path(run: ReconciliationRun, scope: Scope, under: str) -> dict[str, Rate]:
    """Rate counts per unit path, for the records of ``run`` under the path ``under`` that ``scope`` reaches."""
    out: dict[str, Rate] = defaultdict(Rate)
    tallies = (ReconciliationTally.objects.filter(run=run, org_path__startswith=under).filter(path_q(scope))
               .order_by().values_list("org_path").annotate(total=Sum("total"), matched=Sum("matched")))
    for path, total, matched in tallies:
        out[path].total += total or 0
        out[path].matched += matched or 0
    states = (ReconciliationRecord.objects.filter(run=run, org_path__startswith=under).filter(path_q(scope))
              .order_by().values_list("org_path", "state").annotate(n=Count("id")))
    for path, state, n in states:
        name = STATE_FIELDS[QueueState(state)]
        setattr(out[path], name, getattr(out[path], name) + n)
    return out


def rate_of(run: ReconciliationRun, scope: Scope, under: str) -> Rate:
    total = Rate()
    for rate in rates_by_path(run, scope, under).values():
        total.add(rate)
    return total


def rates_of_runs(runs: list[ReconciliationRun], scope: Scope) -> dict[int, Rate]:
    """The current rate of each run, over what ``scope`` reaches of it (two queries for the whole list)."""
    out: dict[int, Rate] = defaultdict(Rate)
    ids = [run.pk for run in runs]
    tallies = (ReconciliationTally.objects.filter(run_id__in=ids).filter(path_q(scope)).order_by()
               .values_list("run_id").annotate(total=Sum("total"), matched=Sum("matched")))
    for run_id, total, matched in tallies:
        out[run_id].total += total or 0
        out[run_id].matched += matched or 0
    states = (ReconciliationRecord.objects.filter(run_id__in=ids).filter(path_q(scope)).order_by()
              .values_list("run_id", "state").annotate(n=Count("id")))
    for run_id, state, n in states:
        name = STATE_FIELDS[QueueState(state)]
        setattr(out[run_id], name, getattr(out[run_id], name) + n)
    return dict(out)


@dataclass
class UnitRate:
    unit: OrgUnit | None
    path: str
    rate: Rate
    direct: bool = False  # people working in the unit itself, not in a unit below it


def breakdown(run: ReconciliationRun, scope: Scope, unit: OrgUnit) -> list[UnitRate]:
    """The rate of ``unit``'s own staff and of each unit directly under it (each over its whole subtree)."""
    width = len(unit.path) + PATH_SEGMENT_WIDTH + 1
    grouped: dict[str, Rate] = defaultdict(Rate)
    for path, rate in rates_by_path(run, scope, unit.path).items():
        grouped[path[:width] if len(path) >= width else unit.path].add(rate)
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=list(grouped))}
    rows = [UnitRate(units.get(path), path, rate, direct=path == unit.path) for path, rate in grouped.items()]
    return sorted(rows, key=lambda r: (not r.direct, r.unit.name if r.unit else ""))


@dataclass(frozen=True)
class RatePoint:
    at: dt.date
    run_id: int
    percent: Decimal
    clean: int
    total: int
    label: str  # "run" (the run's own result) or "resolved" (after the day's resolutions)


def rate_over_time(user: AnyUser, path: str, *, runs: int = 12) -> list[RatePoint]:
    """The rate of the records under ``path`` over the last ``runs`` runs: each run's result, then one point
    per day on which records were accepted or fixed."""
    scope = read_scope(user)
    tallies = (ReconciliationTally.objects.filter(org_path__startswith=path).filter(path_q(scope))
               .values_list("run_id").annotate(total=Sum("total"), matched=Sum("matched")).order_by("-run_id"))
    per_run = {run_id: (total or 0, matched or 0) for run_id, total, matched in tallies[:runs]}
    if not per_run:
        return []
    started = dict(ReconciliationRun.objects.filter(pk__in=list(per_run)).values_list("pk", "started_at"))
    resolved = (ReconciliationRecord.objects.filter(run_id__in=list(per_run), org_path__startswith=path,
                                                    state__in=CLEAN_STATES).filter(path_q(scope))
                .annotate(day=TruncDate("resolved_at")).order_by().values_list("run_id", "day").annotate(n=Count("id")))
    days: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for run_id, day, n in resolved:
        days[run_id].append((day, n))
    points: list[RatePoint] = []
    for run_id in sorted(per_run, key=lambda r: (started[r], r)):
        total, clean = per_run[run_id]
        points.append(RatePoint(_local_day(started[run_id]), run_id, _percent0(clean, total), clean, total, "run"))
        for day, n in sorted(days[run_id]):
            clean += n
            points.append(RatePoint(day, run_id, _percent0(clean, total), clean, total, "resolved"))
    return points


def _percent0(part: int, whole: int) -> Decimal:
    value = percent(part, whole)
    return Decimal("0.0") if value is None else value


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# ---- the queue ------------------------------------------------------------------------------------------

QUEUE_ORDERS = {
    "ten": ("person__sort_key", "id"),
    "-ten": ("-person__sort_key", "-id"),
    "ket_qua": ("status", "person__sort_key", "id"),
    "-ket_qua": ("-status", "person__sort_key", "id"),
    "xac_suat": ("-probability", "id"),
    "-xac_suat": ("probability", "id"),
    "don_vi": ("org_path", "person__sort_key", "id"),
    "-don_vi": ("-org_path", "person__sort_key", "id"),
}
STATE_FILTERS = {
    "can_xu_ly": PENDING_STATES,
    **{state.value: (state,) for state in QueueState},
}


@dataclass
class QueueFilter:
    status: str = ""
    state: str = "can_xu_ly"
    order: str = "ten"


def queue(user: AnyUser, run: ReconciliationRun, unit: OrgUnit, flt: QueueFilter) -> QuerySet[ReconciliationRecord]:
    """The records of ``run`` under ``unit`` that the user may read, filtered and sorted."""
    rows = records_visible(user, run).filter(org_path__startswith=unit.path)
    if flt.status in Status.values:
        rows = rows.filter(status=flt.status)
    if flt.state in STATE_FILTERS:
        rows = rows.filter(state__in=STATE_FILTERS[flt.state])
    return rows.select_related("person", "unit").order_by(*QUEUE_ORDERS.get(flt.order, QUEUE_ORDERS["ten"]))


def status_counts(user: AnyUser, run: ReconciliationRun, under: str = "") -> dict[str, int]:
    """Records per engine status (MATCHED from the tallies), in the user's scope under ``under``."""
    scope = read_scope(user)
    counts = dict(records_visible(user, run).filter(org_path__startswith=under).order_by()
                  .values_list("status").annotate(n=Count("id")))
    matched = (ReconciliationTally.objects.filter(run=run, org_path__startswith=under).filter(path_q(scope))
               .aggregate(n=Sum("matched"))["n"])
    return {value: (matched or 0) if value == Status.MATCHED else counts.get(value, 0) for value in Status.values}


def unit_open_records(user: AnyUser, run: ReconciliationRun, unit: OrgUnit) -> QuerySet[ReconciliationRecord]:
    """What a unit receives to fix: its subtree's records still open or sent to it, in name order."""
    return queue(user, run, unit, QueueFilter(state="can_xu_ly", order="don_vi"))
