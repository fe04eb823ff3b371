"""The demo's evaluation year 2026 (Decree 335/2025), built set-based after the people.

The demo's "today" for evaluation is 27/11/2026. What :func:`build_evaluation_year` leaves behind, the same
for the same seed:

- an :class:`AgencyScheme` for each provincial department (monthly; two of them quarterly) and one on the
  province itself, whose monthly periods cover the communes (each commune approves its own subtree), an
  approved catalogue of product/work types for every unit with people (coefficients 0.5–2.0), the periods;
- a sheet per person and period up to November (the quarter in progress for quarterly agencies) with 5–20
  task lines (completion, major-error findings, delays, objective causes), whole months of leave, a few
  transfers on 01/07/2026, a few 2026 disciplines and conduct findings;
- January–October (quarters I–III) self-assessed, scored by the manager, then scored set-based, approved and
  published through :mod:`congvu.evaluation.workflow` (which calls ``scoring.score_period``), except on
  purpose: in the demo head's department October is still waiting for the demo manager's division
  (self-assessed, overdue for scoring) and for one division's approval (scored, overdue for approval), and
  two communes are late; November is in progress (work assigned, some reported);
- the annual classification of every agency computed with ``annual.compute`` from the approved and published
  periods so far (the year is not over: see :data:`NOTE`), with one group of the demo head's department built
  so that two people are tied at the excellent quota line.

Sheets go in with ``bulk_create`` and task lines with ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) in
batches, one audit entry per agency and kind of row (actor "demo"); the few transfers and conduct findings go
through their services. Above :data:`FULL_YEAR_UP_TO` people only the demo head's department gets sheets, so a
province-sized build stays quick.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, reset_queries, transaction
from django.db.models import Max, Q
from django.utils import timezone

from congvu.core import audit
from congvu.core.bulk import bulk_set
from congvu.core.scope import Scope
from congvu.demo.people import DISCIPLINE_REASONS, LEAVE_NOTES, add_months
from congvu.demo.structure import ACTOR, Structure
from congvu.evaluation import annual, scoring, workflow
from congvu.evaluation.models import (
    AgencyScheme,
    ConductFinding,
    EvalRole,
    Frequency,
    Period,
    ProductType,
    Sheet,
    SheetStatus,
    TaskLine,
)
from congvu.evaluation.periods import period_bounds
from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.models import Discipline, Employment, Leave, Person
from congvu.personnel.services import EmploymentInput, change_employment
from congvu.rules import kpi_registry

YEAR = 2026
DEMO_TODAY = dt.date(2026, 11, 27)
#: Periods ending before this day are scored, approved and published (January–October, quarters I–III).
IN_PROGRESS_FROM = dt.date(2026, 11, 1)
LATE_MONTH = 10  # the month whose last steps are still open (overdue) in a few units
QUARTERLY_AGENCIES = ("Sở Dân tộc và Tôn giáo", "Ban Quản lý các khu công nghiệp")
FULL_YEAR_UP_TO = 20_000
TRANSFER_DAY = dt.date(2026, 7, 1)
REASON = "Dữ liệu minh họa: năm đánh giá 2026 (congvu demo)"
NOTE = (
    "Năm 2026 chưa kết thúc (ngày minh họa 27/11/2026): kết quả xếp loại năm 2026 được tính thử từ các kỳ đã "
    "phê duyệt, công khai (tháng 01–10/2026, quý I–III/2026); tháng 11 đang thực hiện."
)
SHEET_BATCH = 5000
EVIDENCE = "https://qlvb.example/van-ban/{year}/{number:06d}"

# ---- the catalogue of products and work ------------------------------------------------------------------


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    measure: str
    coefficient: str
    quantity: tuple[int, int]  # a month's usual assigned quantity


COMMON_PRODUCTS = (
    ProductSpec("BC", "Báo cáo định kỳ (tháng, quý, năm)", "báo cáo", "1.0", (1, 3)),
    ProductSpec("BCCD", "Báo cáo chuyên đề, báo cáo đột xuất", "báo cáo", "1.5", (1, 2)),
    ProductSpec("VBTM", "Văn bản tham mưu (công văn, kế hoạch, hướng dẫn)", "văn bản", "1.2", (2, 6)),
    ProductSpec("DTQD", "Dự thảo tờ trình, quyết định", "dự thảo", "1.8", (1, 3)),
    ProductSpec("VBTL", "Văn bản trả lời kiến nghị, phản ánh", "văn bản", "0.8", (1, 5)),
)
EXTRA_PRODUCTS = (
    ProductSpec("HSTT", "Hồ sơ thủ tục hành chính", "hồ sơ", "0.5", (4, 20)),
    ProductSpec("TDHS", "Thẩm định hồ sơ", "hồ sơ", "1.0", (2, 8)),
    ProductSpec("KTTT", "Kiểm tra, thanh tra", "cuộc", "2.0", (1, 2)),
    ProductSpec("HNTH", "Tổ chức hội nghị, hội thảo, tập huấn", "cuộc", "2.0", (1, 1)),
    ProductSpec("CSDL", "Cập nhật cơ sở dữ liệu chuyên ngành", "hồ sơ", "0.5", (5, 20)),
    ProductSpec("TCD", "Tiếp công dân, xử lý đơn thư", "buổi", "0.8", (1, 4)),
    ProductSpec("BBKL", "Biên bản, dự thảo kết luận kiểm tra", "văn bản", "1.2", (1, 3)),
    ProductSpec("VTLT", "Văn bản đến, đi được xử lý, lưu trữ", "văn bản", "0.5", (10, 30)),
    ProductSpec("KHCT", "Kế hoạch, chương trình công tác", "kế hoạch", "1.5", (1, 2)),
    ProductSpec("TKSL", "Tổng hợp, thống kê số liệu", "biểu", "0.6", (2, 6)),
)
AD_HOC = ("Nhiệm vụ đột xuất theo chỉ đạo của lãnh đạo", "Tham gia đoàn công tác liên ngành",
          "Góp ý dự thảo văn bản của cơ quan khác")
OBJECTIVE_REASONS = (
    "Chờ ý kiến của cơ quan phối hợp quá thời hạn (lãnh đạo đã xác nhận)",
    "Cấp trên điều chỉnh nội dung chỉ đạo trong kỳ",
    "Sự cố hệ thống dịch vụ công trực tuyến, đã có văn bản xác nhận",
)
FINDING_NOTES = ("Sai sót về số liệu, phải chỉnh sửa, bổ sung", "Nội dung tham mưu chưa đúng quy định, phải làm lại",
                 "Sai thể thức, kỹ thuật trình bày văn bản")


@dataclass(frozen=True)
class Catalogued:
    """A product type of a unit's catalogue, as the line generator needs it."""

    id: int
    name: str
    coefficient: Decimal
    quantity: tuple[int, int]


# ---- how people perform ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A person's usual level of work: general points per group, the share of lines fully done, errors and
    delays per line, and (for leaders) the superior's organising and unity scores."""

    name: str
    weight: float
    general: tuple[float, float]
    full: float
    errors: float
    delays: float
    leader: tuple[int, int]
    fixed: tuple[str, str, str] | None = None  # exact general points (the engineered tie group)


PROFILES = (
    Profile("strong", 0.25, (8.5, 10), 0.97, 0.08, 0.08, (90, 100)),
    Profile("solid", 0.51, (6.5, 9), 0.88, 0.4, 0.4, (80, 95)),
    Profile("fair", 0.17, (6, 8.5), 0.78, 0.6, 0.6, (70, 88)),
    Profile("weak", 0.06, (4.5, 7.5), 0.55, 0.9, 0.9, (60, 78)),
    Profile("poor", 0.01, (3, 6), 0.25, 1.2, 1.2, (50, 70)),
)
# The tie group: every line done without findings, so the total is the general points + 70 every month.
TOP = Profile("top", 0, (10, 10), 1, 0, 0, (100, 100), ("10", "10", "10"))  # 100 every month
TIED = Profile("tied", 0, (10, 10), 1, 0, 0, (100, 100), ("10", "9.5", "9.5"))  # 99 every month
# One error per line: quality 75–100 %, so 18 + 64.17…70 = 82.17…88: always "good".
STEADY = Profile("steady", 0, (6, 6), 1, 1, 0, (90, 90), ("6", "6", "6"))


# ---- plain records ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A month or a quarter of the year (the calendar of one kind of period)."""

    kind: str
    number: int
    start: dt.date
    end: dt.date

    @property
    def published(self) -> bool:
        return self.end < IN_PROGRESS_FROM


@dataclass(frozen=True)
class Spell:
    person_id: int
    unit_id: int
    title: str
    position_name: str
    start: dt.date
    end: dt.date | None


@dataclass
class SheetPlan:
    agency_id: int
    period: Period
    window: Window
    person_id: int
    unit_id: int
    role: str
    group: str
    worked: bool
    status: str
    profile: Profile
    held: bool = False  # scored only after the agency's approval: a unit-period left for the head to approve
    showcase: bool = False  # the demo staff user's month in progress: some work reported, some not


@dataclass
class TieGroup:
    unit_id: int = 0
    group: str = ""
    members: list[int] = field(default_factory=list)
    top: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)


def windows(today: dt.date = DEMO_TODAY) -> dict[str, list[Window]]:
    """The months and quarters of the year that have started by ``today``."""
    out: dict[str, list[Window]] = {}
    for kind, count in ((Frequency.MONTHLY, 12), (Frequency.QUARTERLY, 4)):
        spans = [(n, *period_bounds(kind, YEAR, n)) for n in range(1, count + 1)]
        out[kind] = [Window(kind, n, start, end) for n, start, end in spans if start <= today]
    return out


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def reset_sequence(model: type[models.Model]) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequence past them (SQLite's
    AUTOINCREMENT follows by itself)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def analyze(*tables: type[models.Model]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite plans well enough without them)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert plain rows: ``COPY`` on PostgreSQL, one ``executemany`` on SQLite."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return len(rows)


# Sheet columns written by the demo; the others take SHEET_DEFAULTS (the model's defaults, or NULL).
SHEET_COLUMNS = [
    "id", "period_id", "person_id", "unit_id", "role", "group", "status", "version", "is_current", "reopen_reason",
    "worked", "self_general", "manager_general", "general_points", "organising", "unity", "no_work_reason",
    "rule_set_id", "self_assessed_at", "manager_scored_at",
]
SHEET_DEFAULTS: dict[str, Any] = {"version": 1, "is_current": True, "reopen_reason": ""}
# The task-line columns in the order the line generator writes them.
LINE_COLUMNS = [
    "sheet_id", "product_type_id", "label", "coefficient", "quantity", "due_date", "completed", "completed_on",
    "evidence_link", "evidence_file", "errors", "delays", "objective_cause", "objective_reason", "findings_note",
    "proposed_by_staff", "accepted",
]


class YearBuilder:
    """Builds the evaluation year of the demo province; :meth:`build` runs every step in order."""

    def __init__(self, structure: Structure, *, seed: int, people: int, today: dt.date = DEMO_TODAY):
        self.province = structure.provinces[0]
        self.head_unit = structure.demo_units["head"]
        self.manager_unit = structure.demo_units["manager"]
        self.demo_positions = structure.demo_positions
        self.people = people
        self.today = today
        self.rng = random.Random(f"congvu-demo-evaluation-{seed}")
        self.counts: dict[str, int] = defaultdict(int)
        self.agencies: dict[int, OrgUnit] = {}
        self.frequency: dict[int, str] = {}
        self.unit_agency: dict[int, int] = {}
        self.unit_path: dict[int, str] = {}
        self.spells: dict[int, list[Spell]] = {}
        self.leaves: dict[int, tuple[dt.date, dt.date]] = {}
        self.profiles: dict[int, Profile] = {}
        self.catalogues: dict[int, list[Catalogued]] = {}
        self.periods: dict[tuple[int, int], Period] = {}
        self.held: list[tuple[int, Decimal]] = []
        self.protected: set[int] = set()
        self.demo_people: dict[str, int] = {}
        self.evaluated: set[int] = set()
        self.late_communes: list[OrgUnit] = []
        self.approval_unit: OrgUnit | None = None
        self.tie = TieGroup()
        self.seconds: dict[str, float] = {}

    # ---- the steps ----------------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        with self._phase("setup"):
            self._create_schemes()
            self._load_units()
            self.spells = self._load_spells()
            self._find_demo_people()
            self._choose_units()
            self._transfer_a_few()
            self.spells = self._load_spells()
            self._add_leave()
            self._add_disciplines_and_findings()
            self._assign_profiles()
            self._create_catalogues()
            self._create_periods()
        with self._phase("sheets"):
            self._write_sheets(self._plan_sheets())
        with self._phase("workflow"):
            self._score_approve_publish()
            self._leave_a_unit_period_to_approve()
        with self._phase("annual"):
            analyze(Sheet)  # the workflow changed most statuses: the annual statement filters on them
            self._classify_the_year()
        return self._summary()

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 2)

    def _create_schemes(self) -> None:
        """A scheme per provincial department, and one on the province itself whose periods cover the
        communes (each commune's head approves their own subtree of the province's period)."""
        departments = (OrgUnit.objects.filter(parent=self.province, kind=OrgUnit.Kind.PROVINCIAL_DEPARTMENT)
                       .active_on(self.today).order_by("path"))
        agencies = [self.province, *departments]
        schemes = [
            AgencyScheme(agency=a, frequency=Frequency.QUARTERLY if a.name in QUARTERLY_AGENCIES else Frequency.MONTHLY)
            for a in agencies
        ]
        AgencyScheme.objects.bulk_create(schemes)
        self.agencies = {a.pk: a for a in agencies}
        self.frequency = {s.agency.pk: s.frequency for s in schemes}
        self._audit("agencyscheme", [s.pk for s in schemes], {"agencies": len(schemes)}, self.province.path)
        self.counts["agencies"] = len(schemes)

    def _load_units(self) -> None:
        for pk, path in OrgUnit.objects.filter(path__startswith=self.province.path).values_list("pk", "path"):
            self.unit_path[pk] = path
            for seg in reversed([int(s) for s in path.strip(".").split(".")]):
                if seg in self.agencies:
                    self.unit_agency[pk] = seg
                    break
        if self.people <= FULL_YEAR_UP_TO:
            self.evaluated = set(self.agencies)
        else:
            self.evaluated = {self.head_unit.pk}

    def _load_spells(self) -> dict[int, list[Spell]]:
        first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        rows = (
            Employment.objects.filter(unit__path__startswith=self.province.path, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .order_by("person_id", "start_date", "id")
            .values_list("person_id", "unit_id", "title", "position__name", "start_date", "end_date")
        )
        spells: dict[int, list[Spell]] = defaultdict(list)
        for person_id, unit_id, title, position, start, end in rows.iterator(chunk_size=20000):
            spells[person_id].append(Spell(person_id, unit_id, title, position or "", start, end))
        return dict(spells)

    def _find_demo_people(self) -> None:
        """The people behind the demo logins: the first holder of each demo position (as demo.users does)."""
        for key, position_id in self.demo_positions.items():
            holder = (Employment.objects.filter(position_id=position_id, end_date__isnull=True)
                      .order_by("person_id").values_list("person_id", flat=True).first())
            if holder is not None:
                self.demo_people[key] = holder
        self.protected |= set(self.demo_people.values())

    def _current(self, person_id: int) -> Spell:
        return self.spells[person_id][-1]

    def _staff_groups(self) -> dict[tuple[int, str], list[int]]:
        """(unit, group) → staff (not leaders) whose current spell is there, by person id; group = position name,
        as ``periods.ensure_sheets`` sets it."""
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for person_id in sorted(self.spells):
            spell = self._current(person_id)
            if not spell.title:
                groups[spell.unit_id, spell.position_name].append(person_id)
        return groups

    def _choose_units(self) -> None:
        """The tie group (the largest staff group of the head's department outside the manager's division; of
        any evaluated monthly agency when the department has no group of six), the division left for the head
        to approve, and the late communes."""
        head, manager = self.head_unit, self.manager_unit
        groups = {key: members for key, members in self._staff_groups().items()
                  if key[0] != manager.pk and self.unit_agency.get(key[0]) in self.evaluated
                  and self.frequency[self.unit_agency[key[0]]] == Frequency.MONTHLY}
        in_head = {key: members for key, members in groups.items() if self.unit_path[key[0]].startswith(head.path)}
        for pool in (in_head, groups):
            if pool:
                (unit_id, group), members = max(pool.items(), key=lambda kv: (len(kv[1]), -kv[0][0]))
                if len(members) >= 6:
                    self._engineer_tie(unit_id, group, members)
                    break
        staffed = sorted({unit_id for unit_id, _ in in_head} - {self.tie.unit_id, head.pk},
                         key=lambda pk: self.unit_path[pk])
        if staffed:
            self.approval_unit = OrgUnit.objects.get(pk=staffed[0])
        tie_path = self.unit_path.get(self.tie.unit_id, "-")
        communes = [] if self.province.pk not in self.evaluated else list(
            OrgUnit.objects.filter(parent=self.province, kind=OrgUnit.Kind.COMMUNE).order_by("path"))
        communes = [c for c in communes if not tie_path.startswith(c.path)]
        self.late_communes = self.rng.sample(communes, min(2, len(communes)))

    def _engineer_tie(self, unit_id: int, group: str, members: list[int]) -> None:
        """k = ⌊n/6⌋ may stay excellent; k − 1 people score 100, two score 99 (tied at the quota line), the rest
        are steady "good": the k-th and (k+1)-th excellent are tied (Decree 335 Art 20(5); DESIGN §3.3)."""
        keep = len(members) // 6
        self.tie = TieGroup(unit_id, group, list(members), members[: keep - 1], members[keep - 1: keep + 1])
        self.protected |= set(members)

    def _transfer_a_few(self) -> None:
        """A few experts move to another agency's division on 01/07/2026, through the personnel service."""
        wanted = max(1, min(10, self.people // 800))
        monthly = {pk for pk in self.evaluated if self.frequency[pk] == Frequency.MONTHLY}
        candidates = [
            pid for pid in sorted(self.spells)
            if pid not in self.protected and len(self.spells[pid]) == 1 and not self._current(pid).title
            and self._current(pid).position_name == "Chuyên viên"
            and self.unit_agency.get(self._current(pid).unit_id) in monthly
        ]
        targets = list(
            JobPosition.objects.filter(unit__path__startswith=self.province.path, name="Chuyên viên",
                                       unit__kind=OrgUnit.Kind.DIVISION)
            .order_by("unit__path").values_list("pk", "unit_id")
        )
        # Not into the tie group's division: a newcomer there would change who is tied at the quota line.
        targets = [(pos, unit) for pos, unit in targets
                   if self.unit_agency.get(unit) in monthly and unit != self.tie.unit_id]
        scope = Scope(paths=(self.province.path,))
        for person_id in self.rng.sample(candidates, min(wanted, len(candidates))):
            source = self._current(person_id)
            elsewhere = [t for t in targets if self.unit_agency[t[1]] != self.unit_agency[source.unit_id]]
            choices = elsewhere or [t for t in targets if t[1] != source.unit_id]
            if not choices:
                continue
            position_id, unit_id = self.rng.choice(choices)
            self._transfer(scope, person_id, position_id, unit_id)
            self.protected.add(person_id)
            self.counts["transfers"] += 1

    def _transfer(self, scope: Scope, person_id: int, position_id: int, unit_id: int) -> None:
        current = Employment.objects.get(person_id=person_id, end_date__isnull=True)
        change_employment(
            None, scope, person_id,
            EmploymentInput(
                unit_id=unit_id, start_date=TRANSFER_DAY, position_id=position_id, rank_id=current.rank_id,
                salary_step=current.salary_step, step_since=current.step_since,
                position_allowance=current.position_allowance, seniority_pct=current.seniority_pct,
                percent_allowances=current.percent_allowances,
                decision_number=f"{self.rng.randint(100, 2500)}/QĐ-UBND",
            ),
            end_reason="Điều động", reason=REASON,
        )

    def _add_leave(self) -> None:
        """Maternity leave (whole months away), a few long sick leaves and some short ones in 2026."""
        people = Person.objects.filter(pk__in=list(self.spells)).order_by("pk").values_list("pk", "sex", "birth_year")
        rows = []
        for person_id, sex, birth_year in people:
            if person_id in self.protected:
                continue
            leave = self._draw_leave(sex, YEAR - birth_year)
            if leave is not None:
                kind, start, end = leave
                rows.append(Leave(person_id=person_id, kind=kind, start_date=start, end_date=end, note=LEAVE_NOTES[kind]))
                self.leaves[person_id] = (start, end)
        Leave.objects.bulk_create(rows, batch_size=2000)
        self._audit("leave", [r.pk for r in rows], {"leaves": len(rows)}, self.province.path)
        self.counts["leaves_2026"] = len(rows)

    def _draw_leave(self, sex: str, age: int) -> tuple[str, dt.date, dt.date] | None:
        rng = self.rng
        draw = rng.random()
        if sex == "F" and 22 <= age <= 40 and draw < 0.04:
            start = dt.date(YEAR, 1, 5) + dt.timedelta(days=rng.randint(0, 260))
            return "maternity", start, add_months(start, 6) - dt.timedelta(days=1)
        if draw > 0.995:  # a long sick leave that covers one whole month
            month = rng.randint(2, 9)
            start, end = period_bounds(Frequency.MONTHLY, YEAR, month)
            return ("sick", start - dt.timedelta(days=rng.randint(0, 6)),
                    end + dt.timedelta(days=rng.randint(0, 10)))
        if draw > 0.965:
            start = dt.date(YEAR, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
            return "sick", start, start + dt.timedelta(days=rng.randint(2, 9))
        return None

    def _add_disciplines_and_findings(self) -> None:
        """About 0.4 % disciplined in 2026 (forced "not completed"); one degradation finding, one leader whose
        unit was handled for corruption (through the annual service's ``record_finding``)."""
        evaluated = [pid for pid in sorted(self.spells)
                     if pid not in self.protected and self.unit_agency.get(self._current(pid).unit_id) in self.evaluated]
        chosen = self.rng.sample(evaluated, min(len(evaluated), max(1, round(len(evaluated) * 0.004))))
        rows = []
        for person_id in chosen:
            decided = dt.date(YEAR, 2, 1) + dt.timedelta(days=self.rng.randint(0, 270))
            form = "reprimand" if self.rng.random() < 0.7 else "warning"
            rows.append(Discipline(person_id=person_id, form=form, decided_on=decided, effective_from=decided,
                                   effective_to=add_months(decided, 12) - dt.timedelta(days=1),
                                   decision_number=f"{self.rng.randint(1, 900)}/QĐ-KL",
                                   reason=self.rng.choice(DISCIPLINE_REASONS)))
        Discipline.objects.bulk_create(rows)
        self._audit("discipline", [r.pk for r in rows], {"disciplines": len(rows)}, self.province.path)
        self.protected |= set(chosen)
        self.counts["disciplines_2026"] = len(rows)
        staff = [pid for pid in evaluated if pid not in self.protected and not self._current(pid).title]
        leaders = [pid for pid in evaluated if pid not in self.protected and self._current(pid).title]
        for kind, pool, note in (
            (ConductFinding.Kind.DEGRADATION, staff, "Kết luận của cấp có thẩm quyền (dữ liệu minh họa)"),
            (ConductFinding.Kind.UNIT_CORRUPTION, leaders, "Đơn vị phụ trách để xảy ra lãng phí (dữ liệu minh họa)"),
        ):
            if not pool:
                continue
            person_id = self.rng.choice(pool)
            annual.record_finding(None, person_id, kind, dt.date(YEAR, 9, 15), f"{self.rng.randint(10, 99)}/KL-UBKT",
                                  note, self.unit_path[self._current(person_id).unit_id])
            self.protected.add(person_id)
            self.counts["conduct_findings"] += 1

    def _assign_profiles(self) -> None:
        weights = [p.weight for p in PROFILES]
        for person_id in sorted(self.spells):
            self.profiles[person_id] = self.rng.choices(PROFILES, weights=weights)[0]
        for person_id in self.tie.members:
            self.profiles[person_id] = TIED if person_id in self.tie.tied else TOP if person_id in self.tie.top \
                else STEADY
        staff = self.demo_people.get("staff")
        if staff is not None:
            self.profiles[staff] = PROFILES[1]  # the demo civil servant: a "solid" year

    def _create_catalogues(self) -> None:
        """An approved catalogue for every unit where someone works: the common products and 3–5 others,
        each unit with its own coefficients (0.5–2.0), approved by the head on 20/12/2025."""
        units = sorted({s.unit_id for spells in self.spells.values() for s in spells if s.unit_id in self.unit_agency},
                       key=lambda pk: self.unit_path[pk])
        approved_at = at(dt.date(YEAR - 1, 12, 20), 15)
        rows: list[ProductType] = []
        specs: list[ProductSpec] = []
        for unit_id in units:
            chosen = [*COMMON_PRODUCTS, *self.rng.sample(EXTRA_PRODUCTS, self.rng.randint(3, 5))]
            for spec in chosen:
                k = min(Decimal(2), max(Decimal("0.5"), Decimal(spec.coefficient) + self.rng.choice(
                    (Decimal("-0.2"), Decimal("-0.1"), Decimal(0), Decimal(0), Decimal("0.1"), Decimal("0.2")))))
                rows.append(ProductType(unit_id=unit_id, code=spec.code, name=spec.name, measure=spec.measure,
                                        coefficient=k, valid_from=dt.date(YEAR, 1, 1),
                                        status=ProductType.Status.APPROVED, approved_at=approved_at))
                specs.append(spec)
        ProductType.objects.bulk_create(rows, batch_size=2000)
        for row, spec in zip(rows, specs, strict=True):
            self.catalogues.setdefault(row.unit_id, []).append(Catalogued(row.pk, row.name, row.coefficient,
                                                                          spec.quantity))
        self._audit("producttype", [r.pk for r in rows], {"product_types": len(rows), "units": len(units)},
                    self.province.path)
        self.counts["product_types"] = len(rows)

    def _create_periods(self) -> None:
        rule_set_id = kpi_registry.rule_set_for(dt.date(YEAR, 1, 1)).id
        scheme = AgencyScheme()  # the default deadlines (5, 10, 15 days after the period)
        rows = []
        for agency_id in sorted(self.agencies, key=lambda pk: self.agencies[pk].path):
            kind = self.frequency[agency_id]
            for number in range(1, 13 if kind == Frequency.MONTHLY else 5):
                start, end = period_bounds(kind, YEAR, number)
                rows.append(Period(agency_id=agency_id, kind=kind, year=YEAR, number=number, start=start, end=end,
                                   self_due=end + dt.timedelta(days=scheme.self_days),
                                   manager_due=end + dt.timedelta(days=scheme.manager_days),
                                   approve_due=end + dt.timedelta(days=scheme.approve_days),
                                   rule_set_id=rule_set_id))
        Period.objects.bulk_create(rows, batch_size=2000)
        self.periods = {(p.agency_id, p.number): p for p in rows}
        for p in rows:
            p.agency = self.agencies[p.agency_id]
        self._audit("period", [p.pk for p in rows], {"year": YEAR, "periods": len(rows)}, self.province.path)
        self.counts["periods"] = len(rows)

    # ---- sheets ---------------------------------------------------------------------------------------------

    def _plan_sheets(self) -> list[SheetPlan]:
        plans: list[SheetPlan] = []
        for kind, spans in windows(self.today).items():
            for window in spans:
                for person_id in sorted(self.spells):
                    plan = self._plan(person_id, kind, window)
                    if plan is not None:
                        plans.append(plan)
        plans.sort(key=lambda p: (self.agencies[p.agency_id].path, p.window.number, p.person_id))
        return plans

    def _spell_in(self, person_id: int, window: Window) -> Spell | None:
        """The spell held at the end of the window, or the last one in it (as ``periods.ensure_sheets`` reads)."""
        found = None
        for spell in self.spells[person_id]:
            if spell.start <= window.end and (spell.end is None or spell.end >= window.start):
                found = spell
        return found

    def _plan(self, person_id: int, kind: str, window: Window) -> SheetPlan | None:
        spell = self._spell_in(person_id, window)
        if spell is None:
            return None
        agency_id = self.unit_agency.get(spell.unit_id)
        if agency_id not in self.evaluated or self.frequency[agency_id] != kind:
            return None
        leave = self.leaves.get(person_id)
        worked = leave is None or not (leave[0] <= window.start and leave[1] >= window.end)
        status, held = self._status(window, spell.unit_id, worked)
        return SheetPlan(
            agency_id=agency_id, period=self.periods[agency_id, window.number], window=window, person_id=person_id,
            unit_id=spell.unit_id, role=EvalRole.LEADER if spell.title else EvalRole.STAFF,
            group=spell.position_name, worked=worked, status=status, profile=self.profiles[person_id], held=held,
            showcase=person_id == self.demo_people.get("staff") and not window.published,
        )

    def _in(self, unit_id: int, unit: OrgUnit | None) -> bool:
        return unit is not None and self.unit_path[unit_id].startswith(unit.path)

    def _status(self, window: Window, unit_id: int, worked: bool) -> tuple[str, bool]:
        """(status, held): published months go through scoring; October is still open in a few places."""
        if not window.published:
            return SheetStatus.DRAFT, False
        late = window.kind == Frequency.MONTHLY and window.number == LATE_MONTH
        if late and any(self._in(unit_id, u) for u in (self.manager_unit, *self.late_communes)):
            return (SheetStatus.SELF_ASSESSED if worked else SheetStatus.DRAFT), False
        if late and self._in(unit_id, self.approval_unit):
            return (SheetStatus.SELF_ASSESSED if worked else SheetStatus.DRAFT), worked
        return SheetStatus.MANAGER_SCORED, False

    def _points(self, profile: Profile) -> dict[str, str]:
        if profile.fixed is not None:
            return dict(zip("abc", profile.fixed, strict=True))
        lo, hi = profile.general
        return {code: str(Decimal(round(self.rng.uniform(lo, hi) * 2)) / 2) for code in "abc"}

    def _sheet(self, sheet_id: int, plan: SheetPlan) -> tuple[Any, ...]:
        """One sheet as a row of :data:`SHEET_COLUMNS`, in the state its period has reached."""
        period, window = plan.period, plan.window
        row: dict[str, Any] = {
            "id": sheet_id, "period_id": period.pk, "person_id": plan.person_id, "unit_id": plan.unit_id,
            "role": plan.role, "group": plan.group, "status": plan.status, "worked": plan.worked,
            "rule_set_id": period.rule_set_id, "no_work_reason": "",
        }
        own: dict[str, str] = {}
        manager: dict[str, str] = {}
        if not plan.worked and plan.status == SheetStatus.MANAGER_SCORED:
            row["no_work_reason"] = scoring.ON_LEAVE_REASON  # on leave all period: carried through the workflow
        if plan.worked and plan.status in (SheetStatus.SELF_ASSESSED, SheetStatus.MANAGER_SCORED):
            own = self._points(plan.profile)
            row["self_assessed_at"] = at(window.end + dt.timedelta(days=self.rng.randint(1, 5)))
        if plan.worked and (plan.status == SheetStatus.MANAGER_SCORED or plan.held):
            manager = self._manager_points(plan.profile, own)
            row["manager_scored_at"] = at(window.end + dt.timedelta(days=self.rng.randint(6, 10)), 14)
            if plan.role == EvalRole.LEADER:
                lo, hi = plan.profile.leader
                row["organising"] = Decimal(self.rng.randint(lo, hi))
                row["unity"] = Decimal(self.rng.randint(lo, hi))
            general = sum((Decimal(v) for v in manager.values()), Decimal(0))
            if plan.held:
                self.held.append((sheet_id, general))
            else:
                row["general_points"] = general
        row["self_general"], row["manager_general"] = json.dumps(own), json.dumps(manager)
        for name in ("self_assessed_at", "manager_scored_at"):
            row[name] = connection.ops.adapt_datetimefield_value(row.get(name))
        return tuple(row.get(c, SHEET_DEFAULTS.get(c)) for c in SHEET_COLUMNS)

    def _manager_points(self, profile: Profile, own: dict[str, str]) -> dict[str, str]:
        """The manager mostly confirms the self-assessment and sometimes takes half a point off."""
        if profile.fixed is not None:
            return dict(own)
        return {code: str(max(Decimal(0), Decimal(v) - (Decimal("0.5") if self.rng.random() < 0.2 else 0)))
                for code, v in own.items()}

    def _write_sheets(self, plans: list[SheetPlan]) -> None:
        """Sheets with ids given here (so their lines can follow at once), then their task lines, in batches."""
        by_agency: dict[int, list[int]] = defaultdict(list)
        lines_by_agency: dict[int, int] = defaultdict(int)
        next_id = (Sheet.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        for start in range(0, len(plans), SHEET_BATCH):
            batch = plans[start: start + SHEET_BATCH]
            ids = range(next_id + start, next_id + start + len(batch))
            insert_rows(Sheet, SHEET_COLUMNS, [self._sheet(pk, p) for pk, p in zip(ids, batch, strict=True)])
            rows: list[tuple[Any, ...]] = []
            for sheet_id, plan in zip(ids, batch, strict=True):
                by_agency[plan.agency_id].append(sheet_id)
                if plan.worked:
                    made = self._lines(sheet_id, plan)
                    lines_by_agency[plan.agency_id] += len(made)
                    rows += made
            insert_rows(TaskLine, LINE_COLUMNS, rows)
            self.counts["task_lines"] += len(rows)
            reset_queries()  # with DEBUG on, Django keeps the SQL of the big inserts
        reset_sequence(Sheet)
        analyze(Sheet, TaskLine, ProductType, Period)
        for agency_id, ids_ in by_agency.items():
            self._audit("sheet", ids_, {"year": YEAR, "sheets": len(ids_), "task_lines": lines_by_agency[agency_id]},
                        self.agencies[agency_id].path)
        self.counts["sheets"] = len(plans)

    # ---- task lines -------------------------------------------------------------------------------------------

    def _lines(self, sheet_id: int, plan: SheetPlan) -> list[tuple[Any, ...]]:
        rng = self.rng
        catalogue = self.catalogues[plan.unit_id]
        count = rng.randint(5, 10) if plan.role == EvalRole.LEADER else int(rng.triangular(5, 20.99, 8))
        rows = []
        for index in range(count):
            if rng.random() < 0.06:
                product_id, label, k, quantity = None, rng.choice(AD_HOC), Decimal(rng.choice(("1", "1.5", "2"))), 1
            else:
                item = rng.choice(catalogue)
                product_id, label, k = item.id, item.name, item.coefficient
                quantity = rng.randint(*item.quantity)
            due = self._due(plan.window)
            if plan.window.published:
                line = self._finished(plan.profile, quantity, due)
            else:
                line = self._in_progress(quantity, due, reported=index % 2 == 0 if plan.showcase else None)
            rows.append((sheet_id, product_id, label, k, Decimal(quantity), due, *line, False, True))
        if plan.showcase:  # the civil servant proposed one more piece of work; the manager has not accepted it yet
            rows.append((sheet_id, None, "Đề xuất: rà soát hồ sơ cán bộ, công chức cấp xã sau sắp xếp", Decimal(1),
                         Decimal(1), plan.window.end, Decimal(0), None, "", "", 0, 0, False, "", "", True, False))
        return rows

    def _due(self, window: Window) -> dt.date:
        span = (window.end - window.start).days
        return window.start + dt.timedelta(days=self.rng.randint(min(4, span), span))

    def _finished(self, profile: Profile, quantity: int, due: dt.date) -> tuple[Any, ...]:
        """completed, completed_on, evidence_link, evidence_file, errors, delays, objective cause and reason,
        findings note, for a period that is over."""
        rng = self.rng
        done = quantity if rng.random() < profile.full else rng.randint(0, quantity - 1)
        errors = min(done, int(rng.random() < profile.errors) + int(rng.random() < profile.errors / 3))
        if profile.fixed is not None:
            errors = min(done, int(profile.errors))
        delays = int(rng.random() < profile.delays) + int(rng.random() < profile.delays / 3) if done else 0
        objective = bool(errors or delays) and profile.fixed is None and rng.random() < 0.1
        finished_on = None
        if done:
            finished_on = due + dt.timedelta(days=rng.randint(1, 12)) if delays else due - dt.timedelta(
                days=rng.randint(0, 3))
        link = EVIDENCE.format(year=YEAR, number=rng.randint(1, 999_999)) if done and rng.random() < 0.6 else ""
        note = rng.choice(FINDING_NOTES) if errors and not objective else ""
        reason = rng.choice(OBJECTIVE_REASONS) if objective else ""
        return (Decimal(done), finished_on, link, "", errors, delays, objective, reason, note)

    def _in_progress(self, quantity: int, due: dt.date, *, reported: bool | None) -> tuple[Any, ...]:
        """The month in progress: work due by today is mostly reported, later work sometimes already done."""
        rng = self.rng
        if reported is None:
            reported = rng.random() < (0.85 if due <= self.today else 0.25)
        if not reported:
            return (Decimal(0), None, "", "", 0, 0, False, "", "")
        finished_on = min(self.today, due - dt.timedelta(days=rng.randint(0, 2)))
        link = EVIDENCE.format(year=YEAR, number=rng.randint(1, 999_999)) if rng.random() < 0.7 else ""
        return (Decimal(quantity), finished_on, link, "", 0, 0, False, "", "")

    # ---- the workflow and the year ---------------------------------------------------------------------------

    def _score_approve_publish(self) -> None:
        """Each agency's published periods: scored set-based, approved and published by the workflow."""
        published = 0
        for agency_id in sorted(self.evaluated, key=lambda pk: self.agencies[pk].path):
            agency = self.agencies[agency_id]
            for window in windows(self.today)[self.frequency[agency_id]]:
                if not window.published:
                    continue
                period = self.periods[agency_id, window.number]
                workflow.approve(None, period, agency)
                published += workflow.publish(None, period, agency)
            reset_queries()
        self.counts["sheets_published"] = published

    def _leave_a_unit_period_to_approve(self) -> None:
        """October of one division of the head's department: scored by the manager after the department was
        published, so the head has a unit-period waiting for approval (overdue since 15/11)."""
        if not self.held or self.approval_unit is None:
            return
        scored_at = at(dt.date(YEAR, LATE_MONTH + 1, 12), 16)
        rows = [(pk, SheetStatus.MANAGER_SCORED, general, scored_at) for pk, general in self.held]
        bulk_set(Sheet, ["status", "general_points", "manager_scored_at"], rows)
        period = self.periods[self.head_unit.pk, LATE_MONTH]
        scoring.score_period(None, period, self.approval_unit)
        self.counts["sheets_waiting_for_approval"] = len(rows)

    def _classify_the_year(self) -> None:
        for agency_id in sorted(self.evaluated, key=lambda pk: self.agencies[pk].path):
            run = annual.compute(None, self.agencies[agency_id], YEAR)
            counts = annual.stage_counts(run)
            self.counts["annual_runs"] += 1
            self.counts["annual_results"] += counts["people"]
            self.counts["annual_ties"] += counts["ties"]

    def _summary(self) -> dict[str, Any]:
        return {
            "note": NOTE,
            "today": self.today.isoformat(),
            "counts": dict(self.counts),
            "seconds": self.seconds,
            "evaluated_agencies": len(self.evaluated),
            "tie": {"unit": self.tie.unit_id, "group": self.tie.group, "people": self.tie.tied}
            if self.tie.tied else None,
            "approval_unit": self.approval_unit.pk if self.approval_unit is not None else None,
            "late_communes": [c.pk for c in self.late_communes],
            "demo_people": self.demo_people,
        }

    def _audit(self, object_type: str, ids: Iterable[int | None], after: dict[str, Any], org_path: str) -> None:
        known = [i for i in ids if i is not None]
        if not known:
            return
        audit.record(None, "create", object_type=object_type, object_id=f"{min(known)}-{max(known)}", after=after,
                     org_path=org_path, actor_label=ACTOR, reason=REASON)


def build_evaluation_year(structure: Structure, *, seed: int, people: int,
                          today: dt.date = DEMO_TODAY) -> dict[str, Any]:
    """Build the demo province's evaluation year 2026 (see the module docstring); returns a summary.

    Idempotent: a province whose agencies already have evaluation schemes is left as it is.
    """
    if AgencyScheme.objects.filter(agency__path__startswith=structure.provinces[0].path).exists():
        return {"note": NOTE, "skipped": "the evaluation year exists already"}
    with transaction.atomic():
        return YearBuilder(structure, seed=seed, people=people, today=today).build()
