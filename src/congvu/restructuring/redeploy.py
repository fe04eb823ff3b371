"""Redeployment of the surplus within a scope: propose (one optimisation run), then accept, change or reject.

The rules (hard constraints, fit, who is surplus, the min-cost-flow solver) are in
:mod:`congvu.rules.redeployment`; this module reads the state of the register as of a day, set-based (one
query per kind of fact, by ids, as ``consequences/facts.py`` does), hands it to the solver, and writes the
proposals with their evidence. Decisions move people through ``personnel.services.change_employment`` (audited
there, with the decision number and effective date; rank, salary step and allowances are kept).

Who is surplus on ``as_of`` (our reading of issue 6 [I]):
- everyone employed in a unit that is closed on that day (reason ``unit_dissolved``, Decree 154 case a);
- everyone whose job position is closed on that day, or who has no position because an organisation event
  left them without one (an ``EmploymentMove`` says which: a dissolution → ``unit_dissolved``, otherwise
  ``position_abolished``, case e). Someone without a position and without such an event is a gap in the data,
  not surplus: the run counts them (``figures["without_position"]``) but proposes nothing;
- in a position whose staff exceed its quota, the ``staff − quota`` people first in
  ``rules.redeployment.surplus_order`` (``over_quota``, case d).
People with an employment spell starting after ``as_of`` are already on their way (a decision taken) and are
never surplus; they count in the position they go to, so a seat is never offered twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from congvu.access.access import NotFoundOrDenied
from congvu.consequences import lists
from congvu.consequences.facts import PUBLISHED, PersonFacts
from congvu.consequences.models import Circumstance, PastRating
from congvu.consequences.services import CircumstanceError, CircumstanceInput, add_circumstance
from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import Actor, AnyUser
from congvu.evaluation.models import AnnualResult
from congvu.org.models import AdminArea, JobPosition, OrgUnit, SalaryStep, active_on
from congvu.org.salary import ReferenceDataMissing, base_salary_on
from congvu.personnel import services as personnel
from congvu.personnel.models import Employment, Leave
from congvu.restructuring.models import (
    AreaNeighbour,
    EmploymentMove,
    OrgEvent,
    Plan,
    Preference,
    Proposal,
    RedeploymentRun,
)
from congvu.rules import nd154_2025
from congvu.rules import redeployment as rules
from congvu.text import nfc

NOT_FOUND = "Không tìm thấy đề xuất hoặc bạn không có quyền."
CHUNK = 5_000  # ids per IN list: well under SQLite's 32,766 parameters
BATCH = 2_000
AGENCY_KINDS_SKIPPED = {OrgUnit.Kind.DIVISION}  # a phòng belongs to its agency: "same agency" looks above it


class RedeploymentError(Exception):
    """A refused run or decision; ``errors`` maps a field to Vietnamese messages. Nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


@dataclass(frozen=True)
class SurplusRow:
    unit: OrgUnit
    position: JobPosition | None
    quota: int
    staff: int
    surplus: int
    placed: int
    left_over: int


@dataclass(frozen=True)
class Option:
    """A position the person may be moved to instead (the "change" choices), with its fit."""

    position: JobPosition
    seats_left: int
    fit: rules.Fit


# ---- the organisation as of a day ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    id: int
    path: str
    kind: str
    name: str
    commune_area_id: int | None
    active: bool


def _path_ids(path: str) -> list[int]:
    return [int(s) for s in path.split(".") if s]


def _units(which: Q, as_of: dt.date) -> dict[int, _Unit]:
    rows = OrgUnit.objects.filter(which).values_list(
        "pk", "path", "kind", "name", "area_id", "area__level", "valid_from", "valid_to")
    return {
        pk: _Unit(pk, path, kind, name, area if level == AdminArea.Level.COMMUNE else None,
                  (start is None or start <= as_of) and (end is None or as_of <= end))
        for pk, path, kind, name, area, level, start, end in rows
    }


def _subtree(unit: OrgUnit) -> Q:
    return Q(path__startswith=unit.path)


def _agency(unit_id: int, units: dict[int, _Unit]) -> int:
    """The nearest unit at or above ``unit_id`` that is not a division (a phòng works inside its agency)."""
    for pk in reversed(_path_ids(units[unit_id].path)):
        unit = units.get(pk)
        if unit is not None and unit.kind not in AGENCY_KINDS_SKIPPED:
            return pk
    return unit_id


def _seat(position: tuple[Any, ...], seats: int, units: dict[int, _Unit]) -> rules.Seat:
    pk, unit_id, _name, group, rank_code, salary_group, _quota = position
    unit = units[unit_id]
    return rules.Seat(
        id=pk, unit_id=unit_id, seats=seats, rank_code=rank_code or "", salary_group=salary_group or "", group=group,
        public_service=unit.kind == OrgUnit.Kind.PUBLIC_SERVICE_UNIT, agency_id=_agency(unit_id, units),
        area_id=unit.commune_area_id, units=frozenset(_path_ids(unit.path)),
    )


POSITION_FIELDS = ("pk", "unit_id", "name", "group", "rank__code", "rank__salary_group__code", "headcount_quota")


def _positions(scope_unit: OrgUnit, as_of: dt.date, extra: Q | None = None) -> dict[int, tuple[Any, ...]]:
    """Job positions in force on ``as_of`` in units in force, within the scope."""
    rows = JobPosition.objects.filter(active_on(as_of), active_on(as_of, "unit__"),
                                      unit__path__startswith=scope_unit.path)
    if extra is not None:
        rows = rows.filter(extra)
    return {row[0]: row for row in rows.values_list(*POSITION_FIELDS)}


def _on(as_of: dt.date) -> Q:
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _moving(people: Iterable[int], as_of: dt.date) -> set[int]:
    """People with a spell starting after ``as_of``: a decision already moves them."""
    out: set[int] = set()
    for ids in _chunks(people):
        out.update(Employment.objects.filter(person_id__in=ids, start_date__gt=as_of).values_list("person_id", flat=True))
    return out


def _occupancy(position_ids: Iterable[int], as_of: dt.date) -> tuple[Counter[int], Counter[int]]:
    """(staying, arriving) per position: people in post on ``as_of`` not on their way elsewhere, and people
    whose spell in the position starts after ``as_of``."""
    ids = list(position_ids)
    in_post: list[tuple[int, int]] = []
    arriving: Counter[int] = Counter()
    for chunk in _chunks(ids):
        in_post += Employment.objects.filter(_on(as_of), position_id__in=chunk).values_list("person_id", "position_id")
        arriving.update(Employment.objects.filter(position_id__in=chunk, start_date__gt=as_of)
                        .values_list("position_id", flat=True))
    moving = _moving((p for p, _ in in_post), as_of)
    staying = Counter(pos for person, pos in in_post if person not in moving)
    return staying, arriving


def _seats_left(position: tuple[Any, ...], staying: Counter[int], arriving: Counter[int]) -> int:
    return max(0, int(position[6]) - staying[position[0]] - arriving[position[0]])


# ---- the people ---------------------------------------------------------------------------------------------------

STAFF_FIELDS = (
    "person_id", "pk", "unit_id", "position_id", "position__valid_from", "position__valid_to", "rank__code",
    "rank__salary_group__code", "salary_step", "step_since", "start_date", "position_allowance", "seniority_pct",
    "percent_allowances", "person__education_level", "person__category", "person__sort_key", "person__birth_date",
    "person__birth_year", "person__sex", "person__insured_months", "person__family_name", "person__middle_name",
    "person__given_name",
)


@dataclass
class _Staff:
    person_id: int
    employment_id: int
    unit_id: int
    position_id: int | None
    position_from: dt.date | None
    position_to: dt.date | None
    rank_code: str
    salary_group: str
    step: int | None
    step_since: dt.date | None
    start_date: dt.date
    position_allowance: Decimal
    seniority_pct: Decimal
    percent_allowances: Decimal
    education: str
    category: str
    sort_key: str
    birth_date: dt.date | None
    birth_year: int
    sex: str
    insured_months: int
    family_name: str
    middle_name: str
    given_name: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


def _staff(scope_unit: OrgUnit, as_of: dt.date) -> list[_Staff]:
    rows = (Employment.objects.filter(_on(as_of), unit__path__startswith=scope_unit.path)
            .order_by().values_list(*STAFF_FIELDS))
    out = []
    for row in rows:
        values: list[Any] = list(row)
        values[6], values[7] = values[6] or "", values[7] or ""  # no rank: ""
        out.append(_Staff(*values))
    return out


@dataclass
class _Evaluation:
    level: str | None = None
    score: Decimal | None = None
    year: int | None = None


def _evaluations(people: Iterable[int], as_of: dt.date) -> dict[int, _Evaluation]:
    """The latest published annual level and score of each person, of a year up to ``as_of``'s."""
    out: dict[int, _Evaluation] = defaultdict(_Evaluation)
    for ids in _chunks(people):
        rows = AnnualResult.objects.filter(
            person_id__in=ids, run__is_current=True, run__status__in=PUBLISHED, run__year__lte=as_of.year,
        ).exclude(level="").values_list("person_id", "run__year", "level", "annual_score")
        for pid, year, level, score in rows:
            if out[pid].year is None or year > (out[pid].year or 0):
                out[pid] = _Evaluation(level, score, year)
    return out


def _first_start_in_position(staff: list[_Staff]) -> dict[tuple[int, int], dt.date]:
    """When each person first started in their current position (a step raise opens a new spell there)."""
    out: dict[tuple[int, int], dt.date] = {}
    for ids in _chunks(s.person_id for s in staff):
        rows = (Employment.objects.filter(person_id__in=ids, position__isnull=False).values("person_id", "position_id")
                .annotate(first=Min("start_date")).values_list("person_id", "position_id", "first"))
        out.update({(person, pos): first for person, pos, first in rows})
    return out


def _candidate(s: _Staff, ev: _Evaluation, units: dict[int, _Unit], *, neighbours: frozenset[int] = frozenset(),
               preferences: tuple[int, ...] = (), start: dt.date | None = None) -> rules.Candidate:
    unit = units[s.unit_id]
    return rules.Candidate(
        id=s.person_id, rank_code=s.rank_code, education=s.education or "", category=s.category, level=ev.level,
        score=ev.score, unit_id=s.unit_id, agency_id=_agency(s.unit_id, units), area_id=unit.commune_area_id,
        neighbour_areas=neighbours, preferences=preferences, start_in_position=start or s.start_date,
        sort_key=s.sort_key,
    )


def _candidate_json(c: rules.Candidate) -> dict[str, Any]:
    """What :func:`_candidate_from_json` needs to check and score another position later."""
    return {"rank_code": c.rank_code, "education": c.education, "category": c.category, "level": c.level,
            "score": None if c.score is None else str(c.score), "unit_id": c.unit_id, "agency_id": c.agency_id,
            "area_id": c.area_id, "neighbour_areas": sorted(c.neighbour_areas), "preferences": list(c.preferences)}


def _candidate_from_json(person_id: int, data: dict[str, Any]) -> rules.Candidate:
    return rules.Candidate(
        id=person_id, rank_code=data.get("rank_code") or "", education=data.get("education") or "",
        category=data["category"], level=data.get("level"),
        score=None if data.get("score") is None else Decimal(data["score"]), unit_id=data.get("unit_id"),
        agency_id=data.get("agency_id"), area_id=data.get("area_id"),
        neighbour_areas=frozenset(data.get("neighbour_areas") or ()), preferences=tuple(data.get("preferences") or ()),
    )


# ---- who is surplus ----------------------------------------------------------------------------------------------


@dataclass
class _Surplus:
    staff: _Staff
    reason: str
    detail: dict[str, Any]


def _moves(employment_ids: list[int]) -> dict[int, tuple[int, str, str]]:
    """Current spells opened by an organisation event: employment id → (event id, kind, decision number)."""
    out: dict[int, tuple[int, str, str]] = {}
    for ids in _chunks(employment_ids):
        rows = EmploymentMove.objects.filter(new_employment_id__in=ids).values_list(
            "new_employment_id", "event_id", "event__kind", "event__decision_number")
        out.update({emp: (event, kind, number) for emp, event, kind, number in rows})
    return out


def _in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass
class _State:
    """The scope as of the run's day, as the solver and the evidence need it."""

    as_of: dt.date
    units: dict[int, _Unit]
    positions: dict[int, tuple[Any, ...]]
    staff: list[_Staff]
    staying: Counter[int]
    arriving: Counter[int]
    in_post: Counter[int]
    evaluations: dict[int, _Evaluation]
    figures: dict[str, Any]


def _classify(state: _State) -> tuple[list[_Surplus], dict[int, list[_Staff]]]:
    """Surplus by a closed unit, a closed position or an event that left no position; and the others by
    position (the over-quota check comes next)."""
    out: list[_Surplus] = []
    by_position: dict[int, list[_Staff]] = defaultdict(list)
    no_position: list[_Staff] = []
    for s in state.staff:
        if not state.units[s.unit_id].active:
            out.append(_Surplus(s, Proposal.Reason.UNIT_DISSOLVED, {"unit_closed": True}))
        elif s.position_id is None:
            no_position.append(s)
        elif not _in_force(s.position_from, s.position_to, state.as_of) or s.position_id not in state.positions:
            out.append(_Surplus(s, Proposal.Reason.POSITION_ABOLISHED, {"position_closed": True}))
        else:
            by_position[s.position_id].append(s)
    moves = _moves([s.employment_id for s in no_position])
    state.figures["without_position"] = sum(1 for s in no_position if s.employment_id not in moves)
    for s in no_position:
        if s.employment_id in moves:
            event, kind, number = moves[s.employment_id]
            reason = Proposal.Reason.UNIT_DISSOLVED if kind == OrgEvent.Kind.DISSOLVE else Proposal.Reason.POSITION_ABOLISHED
            out.append(_Surplus(s, reason, {"event": {"id": event, "kind": kind, "decision_number": number}}))
    return out, by_position


def _over_quota(state: _State, by_position: dict[int, list[_Staff]], params: rules.Parameters) -> Iterator[_Surplus]:
    """In each position whose staff (with those on their way in) exceed the quota, the first in the surplus
    order become surplus."""
    quota = {pk: int(row[6]) for pk, row in state.positions.items()}
    over = {pk: people for pk, people in by_position.items() if len(people) + state.arriving[pk] > quota[pk]}
    starts = _first_start_in_position([s for people in over.values() for s in people])
    for pk, people in over.items():
        by_id = {s.person_id: s for s in people}
        members = [_candidate(s, state.evaluations.get(s.person_id, _Evaluation()), state.units,
                              start=starts.get((s.person_id, pk))) for s in people]
        chosen = rules.select_surplus(members, quota[pk] - state.arriving[pk], params)
        for order, c in enumerate(chosen, 1):
            ev = state.evaluations.get(c.id, _Evaluation())
            yield _Surplus(by_id[c.id], Proposal.Reason.OVER_QUOTA, {
                "position_id": pk, "quota": quota[pk], "staff": len(people), "arriving": state.arriving[pk],
                "surplus": len(chosen), "order": order, "why": rules.surplus_why(params), "level": ev.level,
                "score": None if ev.score is None else str(ev.score),
                "start_in_position": c.start_in_position.isoformat() if c.start_in_position else None,
            })


def _read(scope_unit: OrgUnit, as_of: dt.date, params: rules.Parameters) -> tuple[_State, list[_Surplus]]:
    units = _units(_subtree(scope_unit), as_of)
    positions = _positions(scope_unit, as_of)
    staff = _staff(scope_unit, as_of)
    moving = _moving((s.person_id for s in staff), as_of)
    staying_staff = [s for s in staff if s.person_id not in moving]
    arriving = Counter(Employment.objects.filter(start_date__gt=as_of, position__unit__path__startswith=scope_unit.path)
                       .values_list("position_id", flat=True))
    in_post = Counter(s.position_id for s in staying_staff if s.position_id is not None)
    state = _State(as_of, units, positions, staying_staff, Counter(in_post), arriving, in_post, {},
                   {"moving": len(staff) - len(staying_staff)})
    surplus, by_position = _classify(state)
    over = [s for pk, people in by_position.items() for s in people
            if len(people) + arriving[pk] > int(positions[pk][6])]
    state.evaluations = _evaluations([s.person_id for s in over] + [s.staff.person_id for s in surplus], as_of)
    surplus.extend(_over_quota(state, by_position, params))
    return state, surplus


def _seats(state: _State) -> list[rules.Seat]:
    out = []
    for row in state.positions.values():
        left = _seats_left(row, state.staying, state.arriving)
        if left > 0 and row[3] != JobPosition.Group.LEADERSHIP:
            out.append(_seat(row, left, state.units))
    return out


def _wishes(people: list[int], areas: set[int]) -> tuple[dict[int, tuple[int, ...]], dict[int, frozenset[int]]]:
    """Stated preferences (unit ids, first choice first) and the neighbours of the people's communes."""
    prefs: dict[int, list[int]] = defaultdict(list)
    for ids in _chunks(people):
        for pid, unit in Preference.objects.filter(person_id__in=ids).order_by("person_id", "rank").values_list(
                "person_id", "unit_id"):
            prefs[pid].append(unit)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for ids in _chunks(areas):
        for area, other in AreaNeighbour.objects.filter(area_id__in=ids).values_list("area_id", "neighbour_id"):
            neighbours[area].add(other)
    return ({pid: tuple(units) for pid, units in prefs.items()},
            {area: frozenset(others) for area, others in neighbours.items()})


def _candidates(state: _State, surplus: list[_Surplus]) -> list[rules.Candidate]:
    areas = {a for s in surplus if (a := state.units[s.staff.unit_id].commune_area_id) is not None}
    prefs, neighbours = _wishes([s.staff.person_id for s in surplus], areas)
    out = []
    for s in surplus:
        area = state.units[s.staff.unit_id].commune_area_id
        out.append(_candidate(s.staff, state.evaluations.get(s.staff.person_id, _Evaluation()), state.units,
                              neighbours=neighbours.get(area, frozenset()) if area is not None else frozenset(),
                              preferences=prefs.get(s.staff.person_id, ())))
    return out


# ---- streamlining for the people left over ------------------------------------------------------------------------


@dataclass(frozen=True)
class _YearTables:
    """What ``lists.streamlining_input`` reads from an agency's facts: the year and the salary coefficients."""

    year: int
    coefficients: dict[tuple[str, int], Decimal]


def _person_facts(s: _Staff) -> PersonFacts:
    return PersonFacts(
        person_id=s.person_id, employment_id=s.employment_id, unit_id=s.unit_id, unit_path="",
        position_id=s.position_id, rank_id=None, rank_code=s.rank_code, rank_name="", salary_group=s.salary_group,
        months_per_step=None, step=s.step, step_since=s.step_since, employment_start=s.start_date,
        position_allowance=s.position_allowance, seniority_pct=s.seniority_pct,
        percent_allowances=s.percent_allowances, birth_date=s.birth_date, birth_year=s.birth_year, sex=s.sex,
        insured_months=s.insured_months, name=s.name,
    )


def _fill_facts(people: dict[int, PersonFacts], year: int) -> None:
    """Ratings of the year and the one before (a published classification wins over a past rating), sick
    days, and circumstances: the facts Decree 154's estimate reads, as ``consequences/facts.py`` gathers them."""
    for ids in _chunks(people):
        for pid, y, level in PastRating.objects.filter(person_id__in=ids, year__gte=year - 1, year__lte=year) \
                .values_list("person_id", "year", "level"):
            people[pid].ratings[y] = level
        for pid, y, level in AnnualResult.objects.filter(
                person_id__in=ids, run__is_current=True, run__status__in=PUBLISHED, run__year__gte=year - 1,
                run__year__lte=year).exclude(level="").values_list("person_id", "run__year", "level"):
            people[pid].ratings[y] = level
        for pid, start, end in Leave.objects.filter(
                person_id__in=ids, kind=Leave.Kind.SICK, start_date__lte=dt.date(year, 12, 31),
                end_date__gte=dt.date(year - 1, 1, 1)).values_list("person_id", "start_date", "end_date"):
            for y in (year - 1, year):
                lo, hi = max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31))
                people[pid].sick_days[y] = people[pid].sick_days.get(y, 0) + max(0, (hi - lo).days + 1)
        for pid, kind, since, until, number in Circumstance.objects.filter(person_id__in=ids).values_list(
                "person_id", "kind", "start_date", "end_date", "decision_number"):
            people[pid].circumstances.setdefault(kind, []).append((since, until, number))


def _streamlining(leftovers: list[_Surplus], as_of: dt.date) -> dict[int, dict[str, Any]]:
    """Decree 154's estimate for each person left over, as the consequences lists compute it, with the case
    forced to "redundant by restructuring" (the rule module has one flag for cases a, d and e)."""
    if not leftovers:
        return {}
    try:
        base_salary = base_salary_on(as_of)
    except ReferenceDataMissing as exc:
        return {s.staff.person_id: {"error": str(exc)} for s in leftovers}
    coefficients = {(g, step): c for g, step, c in SalaryStep.objects.filter(active_on(as_of)).values_list(
        "group__code", "step", "coefficient")}
    people = {s.staff.person_id: _person_facts(s.staff) for s in leftovers}
    _fill_facts(people, as_of.year)
    tables = _YearTables(as_of.year, coefficients)
    out: dict[int, dict[str, Any]] = {}
    for s in leftovers:
        inp = lists.streamlining_input(people[s.staff.person_id], tables, as_of)
        if inp is None:
            out[s.staff.person_id] = {"error": "Thiếu ngạch, bậc lương hoặc giới tính để ước tính chế độ."}
            continue
        est = nd154_2025.estimate(dataclasses.replace(inp, redundant_by_restructuring=True), as_of, base_salary)
        out[s.staff.person_id] = _estimate_json(est, rules.case_letter(s.reason), as_of, base_salary)
    return out


def _estimate_json(est: nd154_2025.Estimate, letter: str, as_of: dt.date, base_salary: int) -> dict[str, Any]:
    excluded = nd154_2025.Exclusion(est.excluded) if est.excluded else None
    return {
        "case": letter, "article": f"{rules.DECREE_154_CASES} điểm {letter}", "eligible": est.eligible,
        "excluded": est.excluded, "excluded_vi": excluded.label_vi if excluded else None,
        "not_yet": excluded is not None, "path": est.path,
        "path_vi": nd154_2025.Path(est.path).label_vi if est.path else None, "path_reason": est.path_reason,
        "benefit_vnd": int(est.benefit_vnd), "benefit_months": str(est.benefit_months),
        "monthly_salary": int(est.monthly_salary), "retirement_date": est.retirement_date.isoformat(),
        "months_to_retirement": est.months_to_retirement, "as_of": as_of.isoformat(), "base_salary": base_salary,
        "steps": [dataclasses.asdict(step) for step in est.breakdown],
    }


# ---- running ----------------------------------------------------------------------------------------------------


def _scope_unit(scope: Scope, scope_unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().filter(pk=scope_unit_id).first()  # one run of a scope at a time
    if unit is None or not scope.covers(unit.path):
        raise RedeploymentError({"scope_unit": ["Đơn vị không tồn tại hoặc nằm ngoài phạm vi bạn được sắp xếp."]})
    return unit


def _plan(scope: Scope, plan_id: int | None) -> Plan | None:
    if plan_id is None:
        return None
    plan = Plan.objects.select_related("scope_unit").filter(pk=plan_id).first()
    if plan is None or not scope.covers(plan.scope_unit.path):
        raise RedeploymentError({"plan": ["Phương án không tồn tại hoặc nằm ngoài phạm vi của bạn."]})
    return plan


def _close_open_runs(actor: Actor, scope_unit: OrgUnit) -> None:
    """The previous open run of the scope is superseded: its decided proposals stay as they are, its pending
    ones can no longer be decided."""
    for old in RedeploymentRun.objects.filter(scope_unit=scope_unit, status=RedeploymentRun.Status.OPEN):
        old.status = RedeploymentRun.Status.CLOSED
        old.save(update_fields=["status"])
        audit.record(actor, "update", old, before={"status": "open"}, after={"status": "closed"},
                     reason="Đã lập đề xuất bố trí lại mới cho cùng phạm vi", org_path=scope_unit.path)


def _constraints_json(c: rules.Candidate, seat: rules.Seat, params: rules.Parameters) -> list[dict[str, Any]]:
    failed = set(rules.hard_constraint_failures(c, seat, params))
    return [{"code": code, "label_vi": vi, "label_en": en, "basis": basis, "ok": code not in failed}
            for code, (vi, en, basis) in rules.CONSTRAINTS.items()]


def _option_json(seat: rules.Seat, points: int, state: _State) -> dict[str, Any]:
    return {"position_id": seat.id, "position": state.positions[seat.id][2], "unit_id": seat.unit_id,
            "unit": state.units[seat.unit_id].name, "fit": points}


ALTERNATIVES = 3  # the other positions shown with a proposal (our choice)


def _evidence(s: _Surplus, c: rules.Candidate, chosen: rules.Seat | None, feasible: list[rules.Seat],
              state: _State, params: rules.Parameters) -> tuple[int, dict[str, Any]]:
    scored = sorted(((rules.fit_points(c, seat, params), seat) for seat in feasible if seat is not chosen),
                    key=lambda pair: (-pair[0], pair[1].id))
    alternatives = [_option_json(seat, points, state) for points, seat in scored[:ALTERNATIVES]]
    unit = state.units[s.staff.unit_id]
    position = state.positions.get(s.staff.position_id or 0)
    evidence: dict[str, Any] = {
        "rule_set": rules.RULE_SET_ID, "reason": s.reason, "surplus": s.detail,
        "from": {"unit_id": unit.id, "unit": unit.name, "position_id": s.staff.position_id,
                 "position": position[2] if position else None, "rank": s.staff.rank_code},
        "candidate": _candidate_json(c), "feasible_positions": len(feasible),
        "alternatives": alternatives, "alternative": alternatives[0] if alternatives else None,
        "parts": [], "constraints": [],
    }
    if chosen is None:
        return 0, evidence
    f = rules.fit(c, chosen, params)
    evidence["parts"] = [dataclasses.asdict(part) for part in f.parts]
    evidence["constraints"] = _constraints_json(c, chosen, params)
    return f.points, evidence


def _proposals(run: RedeploymentRun, state: _State, surplus: list[_Surplus], candidates: list[rules.Candidate],
               seats: list[rules.Seat], pairs: list[list[int]], solution: rules.Solution,
               params: rules.Parameters) -> Iterator[Proposal]:
    by_id = {seat.id: seat for seat in seats}
    leftovers = [s for s, c in zip(surplus, candidates, strict=True) if solution.assignment[c.id] is None]
    streamlining = _streamlining(leftovers, state.as_of)
    for s, c, js in zip(surplus, candidates, pairs, strict=True):
        to = solution.assignment[c.id]
        chosen = by_id[to] if to is not None else None
        points, evidence = _evidence(s, c, chosen, [seats[j] for j in js], state, params)
        yield Proposal(
            run=run, person_id=c.id, from_employment_id=s.staff.employment_id, from_position_id=s.staff.position_id,
            reason=s.reason, to_position_id=to, fit=points,
            case_letter="" if to is not None else rules.case_letter(s.reason),
            streamlining=streamlining.get(c.id, {}) if to is None else {}, evidence=evidence,
        )


def _position_figures(state: _State, surplus: list[_Surplus]) -> dict[str, list[int]]:
    """Quota and staff on the day of every position people became surplus from (for ``surplus_by_unit``)."""
    out: dict[str, list[int]] = {}
    for s in surplus:
        pk = s.staff.position_id
        if pk is not None:
            quota = int(state.positions[pk][6]) if pk in state.positions else 0
            out[str(pk)] = [quota, state.in_post[pk]]
    return out


@transaction.atomic
def run_redeployment(actor: Actor, scope: Scope, *, scope_unit_id: int, as_of: dt.date, plan_id: int | None = None,
                     params: rules.Parameters | None = None) -> RedeploymentRun:
    """Find the surplus within the scope as of ``as_of``, solve the redeployment, write one proposal per
    surplus person (a position, or streamlining with its benefit), and close the scope's previous open run."""
    params = params or rules.DEFAULT
    scope_unit = _scope_unit(scope, scope_unit_id)
    plan = _plan(scope, plan_id)
    started = time.perf_counter()
    state, surplus = _read(scope_unit, as_of, params)
    candidates = _candidates(state, surplus)
    seats = _seats(state)
    read_seconds = time.perf_counter() - started
    pairs = rules.feasible_pairs(candidates, seats, params)
    solution = rules.solve(candidates, seats, params, pairs=pairs)
    _close_open_runs(actor, scope_unit)
    user = actor if actor is not None and actor.is_authenticated else None
    run = RedeploymentRun.objects.create(scope_unit=scope_unit, as_of=as_of, plan=plan, params=params.as_dict(),
                                         created_by=user)
    written = time.perf_counter()
    rows = list(_proposals(run, state, surplus, candidates, seats, pairs, solution, params))
    Proposal.objects.bulk_create(rows, batch_size=BATCH)
    figures = state.figures | {
        "surplus": len(surplus), "seats": sum(s.seats for s in seats), "positions_with_seats": len(seats),
        "feasible_pairs": solution.pairs, "placed": solution.placed, "left_over": len(surplus) - solution.placed,
        "objective": solution.objective, "by_reason": dict(Counter(s.reason for s in surplus)),
        "solver_seconds": round(solution.seconds, 3), "read_seconds": round(read_seconds, 3),
        "write_seconds": round(time.perf_counter() - written, 3),
        "seconds": round(time.perf_counter() - started, 3), "rule_set": rules.RULE_SET_ID,
    }
    run.figures = figures | {"positions": _position_figures(state, surplus)}
    run.save(update_fields=["figures"])
    audit.record(actor, "create", run, after={"as_of": as_of.isoformat(), "plan_id": plan_id, "figures": figures},
                 reason=f"Đề xuất bố trí lại người dôi dư của «{scope_unit.name}» tại ngày {as_of:%d/%m/%Y}",
                 org_path=scope_unit.path)
    return run


# ---- reading a run ----------------------------------------------------------------------------------------------


def surplus_by_unit(run: RedeploymentRun) -> list[SurplusRow]:
    """Per unit and position people became surplus from: quota and staff on the day, surplus, placed by the
    run and left over (streamlining candidates)."""
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for unit, position, to in Proposal.objects.filter(run=run).values_list(
            "from_employment__unit_id", "from_position_id", "to_position_id"):
        groups[(unit, position)][0 if to is not None else 1] += 1
    units = OrgUnit.objects.select_related("parent").in_bulk([u for u, _ in groups])
    positions = JobPosition.objects.in_bulk([p for _, p in groups if p is not None])
    figures: dict[str, list[int]] = (run.figures or {}).get("positions", {})
    rows = []
    for (unit_id, position_id), (placed, left) in groups.items():
        quota, staff = figures.get(str(position_id), [0, placed + left]) if position_id else [0, placed + left]
        rows.append(SurplusRow(units[unit_id], positions.get(position_id) if position_id else None, quota, staff,
                               placed + left, placed, left))
    return sorted(rows, key=lambda r: (r.unit.path, r.position.name if r.position else ""))


def _params_of(run: RedeploymentRun) -> rules.Parameters:
    """The parameters the run used (stored as JSON: lists back to tuples)."""
    names = {f.name for f in dataclasses.fields(rules.Parameters)}

    def tupled(value: Any) -> Any:
        return tuple(tupled(v) for v in value) if isinstance(value, list) else value

    return rules.Parameters(**{k: tupled(v) for k, v in (run.params or {}).items() if k in names})


def _target_rows(run: RedeploymentRun, extra: Q) -> tuple[dict[int, tuple[Any, ...]], list[rules.Seat]]:
    positions = _positions(run.scope_unit, run.as_of, extra)
    staying, arriving = _occupancy(positions, run.as_of)
    unit_ids = {row[1] for row in positions.values()}
    paths = OrgUnit.objects.filter(pk__in=unit_ids).values_list("path", flat=True)
    units = _units(Q(pk__in={pk for path in paths for pk in _path_ids(path)}), run.as_of)
    return positions, [_seat(row, _seats_left(row, staying, arriving), units) for row in positions.values()]


def feasible_positions(proposal: Proposal) -> list[Option]:
    """The positions of the run's scope the person may take now (seats taken by decisions since the run count),
    best fit first: the choices for "change"."""
    data = (proposal.evidence or {}).get("candidate")
    if not data:
        return []
    params = _params_of(proposal.run)
    c = _candidate_from_json(proposal.person_id, data)
    ranks = [r for r in rules.ranks_to_look_at(c, params) if r]
    _, seats = _target_rows(proposal.run, (Q(rank__code__in=ranks) | Q(rank__isnull=True))
                            & ~Q(group=JobPosition.Group.LEADERSHIP) & ~Q(pk=proposal.from_position_id or 0))
    chosen = [seats[j] for j in rules.feasible_pairs([c], seats, params)[0]]
    objects = JobPosition.objects.select_related("unit").in_bulk([s.id for s in chosen])
    options = [Option(objects[s.id], s.seats, rules.fit(c, s, params)) for s in chosen]
    return sorted(options, key=lambda o: (-o.fit.points, o.position.unit.name, o.position.name, o.position.pk))


# ---- deciding ----------------------------------------------------------------------------------------------------


def _for_decision(scope: Scope, proposal_id: int) -> Proposal:
    proposal = (Proposal.objects.select_for_update(of=("self",))
                .select_related("run__scope_unit", "person", "from_employment__unit", "to_position__unit")
                .filter(pk=proposal_id).first())
    if proposal is None or not scope.covers(proposal.from_employment.unit.path):
        raise NotFoundOrDenied(NOT_FOUND)
    if proposal.run.status != RedeploymentRun.Status.OPEN:
        raise RedeploymentError({"__all__": ["Lần lập đề xuất này đã đóng: đã có lần lập đề xuất mới hơn."]})
    if proposal.status != Proposal.Status.PENDING:
        raise RedeploymentError({"__all__": [f"Đề xuất đã được quyết định ({proposal.get_status_display()})."]})
    return proposal


def _decision_errors(proposal: Proposal, decision_number: str, effective_date: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not nfc(decision_number).strip():
        errors["decision_number"] = ["Ghi số quyết định."]
    if effective_date < proposal.run.as_of:
        errors["effective_date"] = [f"Ngày hiệu lực không được trước ngày xét ({proposal.run.as_of:%d/%m/%Y})."]
    return errors


def _require(text: str, field: str = "reason") -> str:
    value = nfc(text).strip()
    if not value:
        raise RedeploymentError({field: ["Ghi rõ lý do."]})
    return value


def _target_failures(proposal: Proposal, position: JobPosition) -> list[str]:
    """Why ``position`` cannot take the person now: hard constraints, and a seat still free."""
    if position.pk == proposal.from_position_id:
        return ["Đây là vị trí người này đang dôi dư."]
    rows, seats = _target_rows(proposal.run, Q(pk=position.pk))
    if not rows:
        return ["Vị trí việc làm không thuộc phạm vi của lần lập đề xuất hoặc không còn hiệu lực vào ngày xét."]
    candidate = _candidate_from_json(proposal.person_id, (proposal.evidence or {}).get("candidate") or {
        "category": proposal.person.category})
    return rules.failure_messages(rules.hard_constraint_failures(candidate, seats[0], _params_of(proposal.run)))


def _move(actor: Actor, scope: Scope, proposal: Proposal, position: JobPosition, decision_number: str,
          effective_date: dt.date, why: str) -> Employment:
    current = Employment.objects.filter(person_id=proposal.person_id, end_date__isnull=True).first()
    if current is None or current.pk != proposal.from_employment_id:
        raise RedeploymentError({"__all__": [
            "Quá trình công tác của người này đã thay đổi sau khi lập đề xuất: hãy lập lại đề xuất."]})
    data = personnel.EmploymentInput(
        unit_id=position.unit_id, position_id=position.pk, start_date=effective_date, title="",
        rank_id=current.rank_id, salary_step=current.salary_step, step_since=current.step_since,
        position_allowance=current.position_allowance, seniority_pct=current.seniority_pct,
        percent_allowances=current.percent_allowances, decision_number=nfc(decision_number).strip(),
    )
    try:
        return personnel.change_employment(actor, scope, proposal.person_id, data, end_reason=why, reason=why)
    except personnel.ServiceError as exc:
        raise RedeploymentError(exc.errors) from exc


def _decided(actor: Actor, proposal: Proposal, status: str, reason: str, *, position: JobPosition | None = None,
             decision_number: str = "", effective_date: dt.date | None = None,
             employment: Employment | None = None) -> Proposal:
    before = audit.snapshot(proposal, ["status"])
    proposal.status, proposal.decision_reason = status, reason
    proposal.decided_position, proposal.new_employment = position, employment
    proposal.decision_number, proposal.effective_date = nfc(decision_number).strip(), effective_date
    proposal.decided_by = actor if actor is not None and actor.is_authenticated else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decision_reason", "decided_position", "new_employment", "decision_number",
                                 "effective_date", "decided_by", "decided_at"])
    audit.record(actor, "update", proposal, before=before, after=audit.snapshot(
        proposal, ["status", "decided_position", "decision_number", "effective_date", "new_employment"]),
        reason=reason, subject_person_id=proposal.person_id, org_path=proposal.from_employment.unit.path)
    return proposal


def _lock_position(position_id: int) -> JobPosition | None:
    """Locked, so two decisions cannot both take the last seat of a position."""
    return JobPosition.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=position_id).first()


def _record_redundancy(actor: Actor, proposal: Proposal, decision_number: str, effective_date: dt.date,
                       reason: str) -> None:
    """Accepting a leftover: the person is redundant by restructuring from the effective date, so the next
    streamlining list of the consequences module includes them (recorded through its service, audited)."""
    if actor is None or not actor.is_authenticated:
        raise RedeploymentError({"__all__": ["Cần người dùng có quyền để ghi nhận dôi dư."]})
    note = (f"Dôi dư sau sắp xếp: trường hợp điểm {proposal.case_letter} khoản 1 Điều 2 Nghị định 154/2025/NĐ-CP "
            f"(đề xuất bố trí lại số {proposal.pk})")
    try:
        add_circumstance(cast(AnyUser, actor), proposal.person_id, CircumstanceInput(
            kind=Circumstance.Kind.REDUNDANT_RESTRUCTURING, start_date=effective_date,
            decision_number=nfc(decision_number).strip(), note=note), reason=reason)
    except CircumstanceError as exc:
        raise RedeploymentError(exc.errors) from exc


@transaction.atomic
def accept(actor: Actor, scope: Scope, proposal_id: int, *, decision_number: str, effective_date: dt.date,
           reason: str = "") -> Proposal:
    """Accept as proposed: move the person to the proposed position on ``effective_date`` (a future date is
    fine), or, for a person left over, record them as redundant by restructuring (Decree 154)."""
    proposal = _for_decision(scope, proposal_id)
    errors = _decision_errors(proposal, decision_number, effective_date)
    if errors:
        raise RedeploymentError(errors)
    why = nfc(reason).strip() or "Chấp nhận đề xuất bố trí lại"
    if proposal.to_position_id is None:
        _record_redundancy(actor, proposal, decision_number, effective_date, why)
        return _decided(actor, proposal, Proposal.Status.ACCEPTED, why, decision_number=decision_number,
                        effective_date=effective_date)
    position = _lock_position(proposal.to_position_id)
    assert position is not None  # PROTECT keeps a proposed position
    failures = _target_failures(proposal, position)
    if failures:
        raise RedeploymentError({"to_position": failures})
    employment = _move(actor, scope, proposal, position, decision_number, effective_date,
                       f"Bố trí lại theo Quyết định {nfc(decision_number).strip()}")
    return _decided(actor, proposal, Proposal.Status.ACCEPTED, why, position=position,
                    decision_number=decision_number, effective_date=effective_date, employment=employment)


@transaction.atomic
def change(actor: Actor, scope: Scope, proposal_id: int, *, position_id: int, decision_number: str,
           effective_date: dt.date, reason: str) -> Proposal:
    """Accept with another position (HR's choice, with a reason): it must meet every hard constraint and
    still have a free seat (decisions taken since the run count)."""
    proposal = _for_decision(scope, proposal_id)
    errors = _decision_errors(proposal, decision_number, effective_date)
    if not nfc(reason).strip():
        errors["reason"] = ["Ghi rõ lý do chọn vị trí khác."]
    if errors:
        raise RedeploymentError(errors)
    position = _lock_position(position_id)
    if position is None:
        raise RedeploymentError({"position_id": ["Vị trí việc làm không tồn tại."]})
    failures = _target_failures(proposal, position)
    if failures:
        raise RedeploymentError({"position_id": failures})
    why = nfc(reason).strip()
    employment = _move(actor, scope, proposal, position, decision_number, effective_date,
                       f"Bố trí lại theo Quyết định {nfc(decision_number).strip()}")
    return _decided(actor, proposal, Proposal.Status.CHANGED, why, position=position,
                    decision_number=decision_number, effective_date=effective_date, employment=employment)


@transaction.atomic
def reject(actor: Actor, scope: Scope, proposal_id: int, *, reason: str) -> Proposal:
    """Not accepted (the person stays where they are for now); a reason is required."""
    proposal = _for_decision(scope, proposal_id)
    return _decided(actor, proposal, Proposal.Status.REJECTED, _require(reason))
