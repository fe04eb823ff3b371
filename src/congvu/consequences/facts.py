"""The facts the consequence rules need, gathered for a whole agency with a handful of set-based queries.

One query per kind of fact (current employments with rank and salary, ratings, disciplines, leave,
circumstances, rewards, positions), each filtered by the agency's materialised path, then grouped by person
in memory. Nothing here decides anything: ``lists.py`` hands these facts to the pure rule modules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from congvu.consequences.models import Circumstance, Entry, Kind, PastRating, Status
from congvu.evaluation.models import AgencyScheme, AnnualResult, AnnualRun, AnnualStatus
from congvu.org.models import JobPosition, OrgUnit, SalaryStep, active_on
from congvu.personnel.models import Discipline, Employment, Leave, Reward

PUBLISHED = (AnnualStatus.PUBLISHED, AnnualStatus.COMPLAINT_WINDOW, AnnualStatus.FINAL)
LOOKBACK_YEARS = 6  # the longest holding period (60 months) plus the year it started


@dataclass
class PersonFacts:
    person_id: int
    employment_id: int
    unit_id: int
    unit_path: str
    position_id: int | None
    rank_id: int | None
    rank_code: str
    rank_name: str
    salary_group: str
    months_per_step: int | None
    step: int | None
    step_since: dt.date | None
    employment_start: dt.date
    position_allowance: Decimal
    seniority_pct: Decimal
    percent_allowances: Decimal
    birth_date: dt.date | None
    birth_year: int
    sex: str
    insured_months: int
    name: str
    annual_score: Decimal | None = None
    ratings: dict[int, str] = field(default_factory=dict)
    rating_sources: dict[int, str] = field(default_factory=dict)
    disciplines: list[tuple[str, dt.date, dt.date, dt.date | None, str]] = field(default_factory=list)
    sick_days: dict[int, int] = field(default_factory=dict)
    circumstances: dict[str, list[tuple[dt.date, dt.date | None, str]]] = field(default_factory=dict)
    rewards: list[tuple[str, dt.date, str]] = field(default_factory=list)

    def has(self, kind: str, day: dt.date) -> bool:
        """Whether a circumstance of ``kind`` holds on ``day`` (a child under 36 months: until the child is 3)."""
        for start, end, _ in self.circumstances.get(kind, ()):
            if kind == Circumstance.Kind.CHILD_UNDER_36_MONTHS:
                end = _add_months(start, 36) - dt.timedelta(days=1)
            if start <= day and (end is None or day <= end):
                return True
        return False


@dataclass
class PositionFacts:
    position_id: int
    unit_id: int
    unit_path: str
    name: str
    rank_code: str
    quota: int
    filled: int
    incoming: int


@dataclass
class AgencyFacts:
    agency: OrgUnit
    year: int
    annual_run: AnnualRun
    people: dict[int, PersonFacts]
    positions: list[PositionFacts]
    coefficients: dict[tuple[str, int], Decimal]
    last_steps: dict[str, int]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def published_run(agency: OrgUnit, year: int) -> AnnualRun | None:
    return AnnualRun.objects.filter(agency=agency, year=year, is_current=True, status__in=PUBLISHED).first()


def nested_agencies(agency: OrgUnit) -> list[str]:
    """Paths of the agencies below ``agency`` that classify their own people (they have their own lists)."""
    return list(
        AgencyScheme.objects.filter(agency__path__startswith=agency.path)
        .exclude(agency_id=agency.pk)
        .values_list("agency__path", flat=True)
    )


def in_agency(agency: OrgUnit, field: str, nested: list[str]) -> Q:
    """Rows whose ``field`` (a unit path) lies in the agency's subtree but not in a nested agency's."""
    q = Q(**{f"{field}__startswith": agency.path})
    for path in nested:
        q &= ~Q(**{f"{field}__startswith": path})
    return q


ID_CHUNK = 5_000  # person ids per query on SQLite: well under its 32,766 parameters
ID_CHUNK_PG = 50_000  # on PostgreSQL (one array parameter): bounds the rows held at once for a huge agency


def _id_chunks(people: dict[int, PersonFacts]) -> Iterator[list[int]]:
    """The agency's person ids in chunks (see ``_of_people``)."""
    ids = sorted(people)
    size = ID_CHUNK_PG if connection.vendor == "postgresql" else ID_CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _of_people(ids: list[int]) -> Q:
    """Rows of these people. The facts are read by person id (index lookups) rather than by the person's org
    path joined to the fact table, which PostgreSQL answered at 200,000 people with a scan of the whole fact
    table for every agency (quadratic over a national run); only the people of the agency's employments were
    ever kept. On PostgreSQL the ids go as one array parameter (``IN (SELECT unnest(%s))``): an IN list of
    thousands of parameters cost more to prepare and parse than the query took to run."""
    if connection.vendor == "postgresql":
        return Q(person_id__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return Q(person_id__in=ids)


def _employments(agency: OrgUnit, nested: list[str]) -> dict[int, PersonFacts]:
    rows = (
        Employment.objects.filter(in_agency(agency, "unit__path", nested), end_date__isnull=True)
        .values_list(
            "person_id", "pk", "unit_id", "unit__path", "position_id", "rank_id", "rank__code", "rank__name",
            "rank__salary_group__code", "rank__months_per_step", "salary_step", "step_since", "start_date",
            "position_allowance", "seniority_pct", "percent_allowances", "person__birth_date",
            "person__birth_year", "person__sex", "person__insured_months", "person__family_name",
            "person__middle_name", "person__given_name",
        )
        # No ORDER BY: Employment's default ordering (person, -start) made PostgreSQL plan the server-side
        # cursor as a walk of the whole employment table in person order (~0.9 s an agency at 2.5 M people).
        # The people are put in person order below, as that ordering gave them (one current employment each).
        .order_by()
        .iterator(chunk_size=20_000)
    )
    people: dict[int, PersonFacts] = {}
    for r in rows:
        name = " ".join(p for p in (r[20], r[21], r[22]) if p)
        people[r[0]] = PersonFacts(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", r[8] or "", r[9], r[10], r[11], r[12],
            r[13], r[14], r[15], r[16], r[17], r[18], r[19], name,
        )
    return dict(sorted(people.items()))


def _ratings(agency: OrgUnit, year: int, people: dict[int, PersonFacts]) -> None:
    """Past ratings first, then the system's published classifications over them (they win)."""
    first = year - LOOKBACK_YEARS
    for ids in _id_chunks(people):
        past = PastRating.objects.filter(_of_people(ids), year__gte=first, year__lte=year).values_list(
            "person_id", "year", "level", "source"
        )
        for pid, y, level, source in past:
            people[pid].ratings[y] = level
            people[pid].rating_sources[y] = source or "PastRating"
    for ids in _id_chunks(people):
        results = AnnualResult.objects.filter(
            _of_people(ids), run__is_current=True, run__status__in=PUBLISHED, run__year__gte=first,
            run__year__lte=year,
        ).values_list("person_id", "run__year", "level", "annual_score", "run_id")
        for pid, y, level, score, run_id in results:
            if not level:
                continue
            facts = people[pid]
            facts.ratings[y] = level
            facts.rating_sources[y] = f"AnnualRun#{run_id}"
            if y == year:
                facts.annual_score = score


def _disciplines(agency: OrgUnit, people: dict[int, PersonFacts]) -> None:
    for ids in _id_chunks(people):
        rows = Discipline.objects.filter(_of_people(ids)).values_list(
            "person_id", "form", "decided_on", "effective_from", "effective_to", "decision_number"
        )
        for pid, form, decided, start, end, number in rows:
            people[pid].disciplines.append((form, decided, start, end, number))


def _overlap_days(start: dt.date, end: dt.date, year: int) -> int:
    lo, hi = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
    return (hi - lo).days + 1 if hi >= lo else 0


def _sick_days(agency: OrgUnit, year: int, people: dict[int, PersonFacts]) -> None:
    """Calendar days of sick leave in the previous and the current year (Decree 154 Art 2(1)(h))."""
    for ids in _id_chunks(people):
        rows = Leave.objects.filter(
            _of_people(ids),
            kind=Leave.Kind.SICK,
            start_date__lte=dt.date(year, 12, 31),
            end_date__gte=dt.date(year - 1, 1, 1),
        ).values_list("person_id", "start_date", "end_date")
        for pid, start, end in rows:
            facts = people[pid]
            for y in (year - 1, year):
                facts.sick_days[y] = facts.sick_days.get(y, 0) + _overlap_days(start, end, y)


def _circumstances(agency: OrgUnit, year: int, people: dict[int, PersonFacts]) -> None:
    for ids in _id_chunks(people):
        rows = Circumstance.objects.filter(_of_people(ids)).values_list(
            "person_id", "kind", "start_date", "end_date", "decision_number"
        )
        for pid, kind, start, end, number in rows:
            people[pid].circumstances.setdefault(kind, []).append((start, end, number))
    for ids in _id_chunks(people):
        rewards = Reward.objects.filter(_of_people(ids), decided_on__year=year).values_list(
            "person_id", "title", "decided_on", "decision_number"
        )
        for pid, title, decided, number in rewards:
            people[pid].rewards.append((title, decided, number))


def _positions(agency: OrgUnit, nested: list[str], day: dt.date, run_id: int | None) -> list[PositionFacts]:
    positions = JobPosition.objects.filter(active_on(day), in_agency(agency, "unit__path", nested)).values_list(
        "pk", "unit_id", "unit__path", "name", "rank__code", "headcount_quota"
    )
    filled = dict(
        Employment.objects.filter(in_agency(agency, "position__unit__path", nested), end_date__isnull=True)
        .values("position_id")
        .annotate(n=Count("pk"))
        .values_list("position_id", "n")
    )
    incoming: dict[int, int] = defaultdict(int)
    if run_id is not None:
        accepted = Entry.objects.filter(
            run_id=run_id, kind=Kind.HIGHER_POSITION, status=Status.ACCEPTED, decision__applied_at__isnull=True
        ).values_list("position_id", flat=True)
        for pos in accepted:
            incoming[pos] += 1
    return [
        PositionFacts(pk, unit_id, path, name, rank or "", quota, filled.get(pk, 0), incoming.get(pk, 0))
        for pk, unit_id, path, name, rank, quota in positions
    ]


def _salary_tables(day: dt.date) -> tuple[dict[tuple[str, int], Decimal], dict[str, int]]:
    coefficients: dict[tuple[str, int], Decimal] = {}
    last: dict[str, int] = {}
    rows = SalaryStep.objects.filter(active_on(day)).values_list("group__code", "step", "coefficient")
    for group, step, coefficient in rows:
        coefficients[(group, step)] = coefficient
        last[group] = max(last.get(group, 0), step)
    return coefficients, last


def gather(agency: OrgUnit, year: int, annual_run: AnnualRun, *, as_of: dt.date, run_id: int | None) -> AgencyFacts:
    nested = nested_agencies(agency)
    people = _employments(agency, nested)
    _ratings(agency, year, people)
    _disciplines(agency, people)
    _sick_days(agency, year, people)
    _circumstances(agency, year, people)
    coefficients, last_steps = _salary_tables(dt.date(year, 12, 31))
    return AgencyFacts(
        agency, year, annual_run, people, _positions(agency, nested, as_of, run_id), coefficients, last_steps
    )
