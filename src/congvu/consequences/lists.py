"""Produce the consequence lists of an agency for an evaluation year, once its classification is published.

The facts come from ``facts.gather`` (set-based queries); every decision about a person is made by a pure
rule module, whose explanation steps are stored with the entry:

- lower position / termination review ........ ``rules.nd170_2025.lower_or_termination_review``
- higher job position (per vacancy) ........... ``rules.nd170_2025.higher_position`` + ``rules.vacancies``
- regular salary-step raise ................... ``rules.tt08_2013.regular_raise``
- early raise within the 10 % quota ........... ``rules.tt08_2013.early_raise`` / ``select_within_quota``
- streamlining (cases, exclusions, benefit) ... ``rules.nd154_2025.estimate``
- vacancies to recruit for .................... ``rules.vacancies.vacancies``

The job is idempotent: it replaces the entries still pending and keeps every entry someone has decided on
(accepted, rejected or deferred), so running it twice gives the same lists and never decides twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, transaction
from django.utils import timezone

from congvu.consequences.facts import AgencyFacts, PersonFacts, PositionFacts, gather, published_run
from congvu.consequences.models import Circumstance, Entry, Kind, ListRun, Status
from congvu.core import audit
from congvu.core.types import Actor
from congvu.org.models import OrgUnit
from congvu.org.salary import base_salary_on
from congvu.rules import nd154_2025, nd170_2025, retirement_age, tt08_2013, vacancies
from congvu.rules.nd335_2025 import Level, Step

GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)
SHORTLIST_PER_SEAT = 3  # higher-position candidates kept per vacant seat (our choice: the Council sees 3 per seat)
BATCH = 5_000


class ListsError(Exception):
    """The lists cannot be produced (e.g. the classification is not published); nothing was changed."""


@dataclass
class Row:
    kind: str
    key: str
    unit_id: int
    person_id: int | None = None
    position_id: int | None = None
    rank: int = 0
    in_quota: bool = True
    due_date: dt.date | None = None
    effective_date: dt.date | None = None
    new_step: int | None = None
    new_coefficient: Decimal | None = None
    count: int = 0
    monthly_cost: int = 0
    year_cost: int = 0
    benefit_vnd: int = 0
    summary: str = ""
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)


STEP_FIELDS = tuple(f.name for f in dataclasses.fields(Step))


def steps_json(steps: Iterable[Step]) -> list[dict[str, str]]:
    # What dataclasses.asdict gives for these flat string fields, without its deep copies (a hot path).
    return [{name: getattr(s, name) for name in STEP_FIELDS} for s in steps]


def _evidence(rule: str, article: str, facts: dict[str, Any], steps: Iterable[Step]) -> dict[str, Any]:
    return {"rule": rule, "article": article, "facts": facts, "steps": steps_json(steps)}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- down / out: the review of "not completed" -------------------------------------------------------------


def reviews(facts: AgencyFacts) -> Iterator[Row]:
    published = timezone.localtime(facts.annual_run.published_at).date() if facts.annual_run.published_at else None
    for p in facts.people.values():
        level = p.ratings.get(facts.year)
        if level != Level.NOT_COMPLETED or published is None:
            continue
        review = nd170_2025.lower_or_termination_review(level, published)
        if not review.required:
            continue
        yield Row(
            Kind.REVIEW, str(p.person_id), p.unit_id, person_id=p.person_id, due_date=review.due_date,
            summary=f"Không hoàn thành nhiệm vụ năm {facts.year}; hạn xem xét {review.due_date:%d/%m/%Y}",
            evidence=_evidence(
                "nd170_2025.lower_or_termination_review",
                "Điều 23 khoản 3 điểm đ NĐ 335/2025; Điều 27 Luật 80/2025; Điều 57 khoản 3 NĐ 170/2025",
                {"level": level, "year": facts.year, "published_on": _iso(published),
                 "rating_source": p.rating_sources.get(facts.year, "")},
                review.steps,
            ),
        )


# --- up: salary steps ---------------------------------------------------------------------------------------


def _discipline_facts(p: PersonFacts) -> tuple[tt08_2013.DisciplineFact, ...]:
    return tuple(tt08_2013.DisciplineFact(form, decided, start, end) for form, decided, start, end, _ in p.disciplines)


def step_facts(p: PersonFacts, facts: AgencyFacts) -> tt08_2013.StepFacts | None:
    if not (p.salary_group and p.step and p.step_since):
        return None
    now = facts.coefficients.get((p.salary_group, p.step))
    if now is None:
        return None
    try:
        interval = p.months_per_step or tt08_2013.regular_interval_months(p.salary_group)
    except ValueError:  # a salary table the circular does not name (e.g. a sector's own): no raise computed
        return None
    return tt08_2013.StepFacts(
        person_id=p.person_id, salary_group=p.salary_group, step=p.step,
        last_step=facts.last_steps.get(p.salary_group, p.step), step_since=p.step_since,
        interval_months=interval, ratings=p.ratings, disciplines=_discipline_facts(p),
        coefficient_now=now, coefficient_next=facts.coefficients.get((p.salary_group, p.step + 1)),
        position_allowance=p.position_allowance, seniority_pct=p.seniority_pct,
        percent_allowances=p.percent_allowances,
    )


def _step_facts_json(f: tt08_2013.StepFacts, p: PersonFacts) -> dict[str, Any]:
    return {
        "rank": p.rank_code, "rank_name": p.rank_name, "salary_group": f.salary_group, "step": f.step,
        "last_step": f.last_step, "step_since": _iso(f.step_since), "interval_months": f.interval_months,
        "coefficient_now": str(f.coefficient_now),
        "coefficient_next": str(f.coefficient_next) if f.coefficient_next is not None else None,
        "ratings": {str(y): lv for y, lv in sorted(p.ratings.items())},
        "rating_sources": {str(y): s for y, s in sorted(p.rating_sources.items())},
        "disciplines": [[form, _iso(d), number] for form, d, _, _, number in p.disciplines],
    }


def step_raises(facts: AgencyFacts, base_salary: int) -> Iterator[Row]:
    for p in facts.people.values():
        f = step_facts(p, facts)
        if f is None:
            continue
        raise_ = tt08_2013.regular_raise(f, facts.year, base_salary)
        if not raise_.due:
            continue
        yield Row(
            Kind.STEP_RAISE, str(p.person_id), p.unit_id, person_id=p.person_id, due_date=raise_.due_date,
            effective_date=raise_.due_date, new_step=raise_.new_step, new_coefficient=raise_.new_coefficient,
            monthly_cost=int(raise_.monthly_increase), year_cost=int(raise_.cost_in_year),
            summary=f"Bậc {f.step} → {raise_.new_step} ({f.salary_group}) từ {raise_.due_date:%d/%m/%Y}",
            evidence=_evidence(
                "tt08_2013.regular_raise", "Điều 2 Thông tư 08/2013/TT-BNV (sửa đổi bởi Thông tư 03/2021/TT-BNV)",
                _step_facts_json(f, p) | {"monthly_salary_now": str(raise_.monthly_salary_now),
                                          "monthly_salary_new": str(raise_.monthly_salary_new)},
                raise_.steps,
            ),
        )


def _achievement(p: PersonFacts, year: int) -> str | None:
    written = [f"{title} ({number}, {d:%d/%m/%Y})" if number else f"{title} ({d:%d/%m/%Y})" for title, d, number in p.rewards]
    for start, _, number in p.circumstances.get(Circumstance.Kind.OUTSTANDING_ACHIEVEMENT, ()):
        if start.year == year:
            written.append(f"Thành tích xuất sắc ({number or 'văn bản công nhận'}, {start:%d/%m/%Y})")
    return "; ".join(written) or None


def early_raises(facts: AgencyFacts, base_salary: int) -> Iterator[Row]:
    candidates: list[tuple[tt08_2013.EarlyCandidate, PersonFacts, tt08_2013.StepFacts, str]] = []
    for p in facts.people.values():
        achievement = _achievement(p, facts.year)
        if achievement is None:
            continue
        f = step_facts(p, facts)
        if f is None:
            continue
        cand = tt08_2013.early_raise(tt08_2013.EarlyFacts(f, achievement, p.annual_score), facts.year)
        if cand.eligible:
            candidates.append((cand, p, f, achievement))
    quota = tt08_2013.early_raise_quota(len(facts.people))
    by_id = {c.person_id: (c, p, f, a) for c, p, f, a in candidates}
    within, outside = tt08_2013.select_within_quota(
        [c for c, *_ in candidates], quota, rank_key=lambda c: by_id[c.person_id][1].annual_score or Decimal(0)
    )
    for order, (cand, inside) in enumerate([(c, True) for c in within] + [(c, False) for c in outside], 1):
        _, p, f, achievement = by_id[cand.person_id]
        increase = cost = Decimal(0)
        if cand.new_due_date is not None and f.coefficient_next is not None:
            _, increase, _, cost = tt08_2013.raise_cost(f, cand.new_due_date, facts.year, base_salary)
        yield Row(
            Kind.EARLY_RAISE, str(p.person_id), p.unit_id, person_id=p.person_id, rank=order, in_quota=inside,
            monthly_cost=int(increase), year_cost=int(cost),
            effective_date=cand.new_due_date, due_date=cand.new_due_date, new_step=f.step + 1,
            new_coefficient=f.coefficient_next,
            summary=(f"Nâng trước {cand.months_earlier} tháng, bậc {f.step} → {f.step + 1}"
                     + ("" if inside else " (ngoài chỉ tiêu 10 %)")),
            evidence=_evidence(
                "tt08_2013.early_raise", "Điều 3 Thông tư 08/2013/TT-BNV; chỉ tiêu 10 % theo NĐ 17/2013/NĐ-CP",
                _step_facts_json(f, p) | {"achievement": achievement, "quota": quota, "payroll": len(facts.people),
                                          "annual_score": str(p.annual_score) if p.annual_score is not None else None},
                cand.steps,
            ),
        )


# --- out: streamlining --------------------------------------------------------------------------------------


class YearTables(Protocol):
    """What :func:`streamlining_input` reads from an agency's facts (the redeployment passes its own)."""

    @property
    def year(self) -> int: ...

    @property
    def coefficients(self) -> dict[tuple[str, int], Decimal]: ...


def streamlining_input(p: PersonFacts, facts: YearTables, as_of: dt.date) -> nd154_2025.StreamliningInput | None:
    coefficient = facts.coefficients.get((p.salary_group, p.step or 0))
    if coefficient is None or p.sex not in retirement_age.SEXES:
        return None
    k = Circumstance.Kind
    return nd154_2025.StreamliningInput(
        id=str(p.person_id),
        birth_date=retirement_age.birth_for(p.birth_date, p.birth_year),
        sex=p.sex,
        salary_coefficient=coefficient,
        position_allowance=p.position_allowance,
        seniority_pct=p.seniority_pct,
        percent_allowances=p.percent_allowances,
        insured_months=p.insured_months,
        reduced_retirement_age=p.has(k.REDUCED_RETIREMENT_AGE, as_of),
        rating_previous_year=p.ratings.get(facts.year - 1),
        rating_current_year=p.ratings.get(facts.year),
        sick_days_previous_year=p.sick_days.get(facts.year - 1, 0),
        sick_days_current_year=p.sick_days.get(facts.year, 0),
        redundant_by_restructuring=p.has(k.REDUNDANT_RESTRUCTURING, as_of),
        below_training_standard=p.has(k.BELOW_TRAINING_STANDARD, as_of),
        pregnant_or_child_under_36_months=p.has(k.PREGNANT, as_of) or p.has(k.CHILD_UNDER_36_MONTHS, as_of),
        under_discipline_or_investigation=p.has(k.DISCIPLINARY_REVIEW, as_of) or p.has(k.INVESTIGATION, as_of),
        volunteer=p.has(k.VOLUNTEER_STREAMLINING, as_of),
    )


def _streamlining_facts_json(inp: nd154_2025.StreamliningInput) -> dict[str, Any]:
    return {
        f.name: (str(v) if isinstance(v, Decimal | dt.date) else v)
        for f in dataclasses.fields(inp)
        if (v := getattr(inp, f.name)) is not None and f.name != "id"
    }


def streamlining(facts: AgencyFacts, as_of: dt.date, base_salary: int) -> Iterator[Row]:
    for p in facts.people.values():
        inp = streamlining_input(p, facts, as_of)
        if inp is None:
            continue
        # Figures first (no explanation, ~5× cheaper): most people have no case and get no entry.
        if not nd154_2025.estimate(inp, as_of, base_salary, explain=False).cases:
            continue
        est = nd154_2025.estimate(inp, as_of, base_salary)
        path = est.path or ""
        summary = f"Trường hợp {', '.join(est.cases)}"
        if est.excluded:
            summary += " — chưa xem xét (thuộc trường hợp loại trừ)"
        elif path:
            summary += f" — {'nghỉ hưu trước tuổi' if path == 'early_retirement' else 'thôi việc ngay'}"
        yield Row(
            Kind.STREAMLINING, str(p.person_id), p.unit_id, person_id=p.person_id, in_quota=est.eligible,
            effective_date=as_of, monthly_cost=int(est.monthly_salary), benefit_vnd=int(est.benefit_vnd),
            summary=summary,
            evidence=_evidence(
                "nd154_2025.estimate", "Điều 2 khoản 1 và các điều về chính sách, NĐ 154/2025/NĐ-CP; NĐ 135/2020/NĐ-CP",
                _streamlining_facts_json(inp) | {
                    "as_of": as_of.isoformat(), "base_salary": base_salary, "cases": list(est.cases),
                    "excluded": est.excluded, "path": est.path, "path_reason": est.path_reason,
                    "retirement_date": _iso(est.retirement_date), "months_to_retirement": est.months_to_retirement,
                    "monthly_salary": int(est.monthly_salary), "benefit_months": str(est.benefit_months),
                    "benefit_vnd": int(est.benefit_vnd),
                },
                est.breakdown,
            ),
        )


# --- in and up: vacancies and higher positions --------------------------------------------------------------


def _vacancy_rows(positions: list[PositionFacts]) -> Iterator[tuple[PositionFacts, int, Row]]:
    for pos in positions:
        v = vacancies.vacancies(pos.quota, pos.filled, pos.incoming)
        if v.count <= 0:
            continue
        yield pos, v.count, Row(
            Kind.VACANCY, str(pos.position_id), pos.unit_id, position_id=pos.position_id, count=v.count,
            summary=f"{pos.name}: còn thiếu {v.count} (chỉ tiêu {pos.quota}, có {pos.filled}, sắp đến {pos.incoming})",
            evidence=_evidence(
                "vacancies.vacancies", "Điều 23 khoản 1 điểm a NĐ 170/2025/NĐ-CP (vị trí còn thiếu theo cơ cấu)",
                {"position": pos.name, "rank": pos.rank_code, "quota": pos.quota, "filled": pos.filled,
                 "incoming": pos.incoming},
                v.steps,
            ),
        )


def _disciplined_on(p: PersonFacts, day: dt.date) -> bool:
    return any(start <= day and (end is None or day <= end) for _, _, start, end, _ in p.disciplines)


def higher_positions(facts: AgencyFacts, vacant: list[tuple[PositionFacts, int]], as_of: dt.date) -> Iterator[Row]:
    """For each vacant position, the people one rank below it in the same agency who meet Art 23(1)(a)(b),
    best annual score first; the first ``SHORTLIST_PER_SEAT`` × seats are listed."""
    by_rank: dict[str, list[PersonFacts]] = {}
    for p in facts.people.values():
        if p.ratings.get(facts.year) in GOOD_OR_BETTER and p.rank_code:
            by_rank.setdefault(p.rank_code, []).append(p)
    for people in by_rank.values():
        people.sort(key=lambda p: (-(p.annual_score or 0), p.person_id))
    k = Circumstance.Kind
    for pos, seats in vacant:
        lower = nd170_2025.next_lower_rank(pos.rank_code) if pos.rank_code else None
        if lower is None:
            continue
        listed = 0
        for p in by_rank.get(lower, []):
            if listed >= SHORTLIST_PER_SEAT * seats:
                break
            check = nd170_2025.higher_position(
                p.ratings.get(facts.year),
                disciplined=_disciplined_on(p, as_of) or p.has(k.DISCIPLINARY_REVIEW, as_of),
                under_prosecution=p.has(k.INVESTIGATION, as_of),
                vacancies=seats,
            )
            if not check.ok:
                continue
            listed += 1
            yield Row(
                Kind.HIGHER_POSITION, f"{pos.position_id}:{p.person_id}", pos.unit_id, person_id=p.person_id,
                position_id=pos.position_id, rank=listed,
                summary=f"Ứng viên {listed} cho «{pos.name}» ({seats} chỗ trống)",
                evidence=_evidence(
                    "nd170_2025.higher_position", "Điều 23 khoản 1 điểm a, b và Điều 24 NĐ 170/2025/NĐ-CP",
                    {"position": pos.name, "position_rank": pos.rank_code, "current_rank": p.rank_code,
                     "rating": p.ratings.get(facts.year), "annual_score": str(p.annual_score or ""),
                     "seats": seats, "order": listed},
                    check.steps,
                ),
            )


def all_rows(facts: AgencyFacts, as_of: dt.date, base_salary: int) -> Iterator[Row]:
    yield from reviews(facts)
    yield from step_raises(facts, base_salary)
    yield from early_raises(facts, base_salary)
    yield from streamlining(facts, as_of, base_salary)
    vacant = []
    for pos, seats, row in _vacancy_rows(facts.positions):
        vacant.append((pos, seats))
        yield row
    yield from higher_positions(facts, vacant, as_of)


# --- the job ------------------------------------------------------------------------------------------------


def _entry(run: ListRun, row: Row) -> Entry:
    return Entry(
        run=run, kind=row.kind, key=row.key, person_id=row.person_id, unit_id=row.unit_id,
        position_id=row.position_id, rank=row.rank, in_quota=row.in_quota, due_date=row.due_date,
        effective_date=row.effective_date, new_step=row.new_step, new_coefficient=row.new_coefficient,
        count=row.count, monthly_cost=row.monthly_cost, year_cost=row.year_cost, benefit_vnd=row.benefit_vnd,
        summary=row.summary[:255], evidence=row.evidence,
    )


def _write(run: ListRun, rows: Iterable[Row]) -> dict[str, int]:
    decided = set(
        Entry.objects.filter(run=run).exclude(status=Status.PENDING).values_list("kind", "key")
    )
    _delete_pending(run)
    counts: dict[str, int] = {}

    def to_write() -> Iterator[Row]:
        for row in rows:
            counts[row.kind] = counts.get(row.kind, 0) + 1
            if (row.kind, row.key) not in decided:
                yield row

    if connection.vendor == "postgresql":
        _copy_entries(run, to_write())
    else:
        _bulk_create_entries(run, to_write())
    return counts


def _delete_pending(run: ListRun) -> None:
    """One DELETE, without Django's collector (which loads every entry to look for protected decisions); a
    pending entry has no decision, and the database's foreign key would refuse the delete if one had."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE run_id = %s AND status = %s",
                       [run.pk, Status.PENDING.value])


def _bulk_create_entries(run: ListRun, rows: Iterable[Row]) -> None:
    batch: list[Entry] = []
    for row in rows:
        batch.append(_entry(run, row))
        if len(batch) >= BATCH:
            Entry.objects.bulk_create(batch)
            batch.clear()
    Entry.objects.bulk_create(batch)


COPY_COLUMNS = (
    "run_id", "kind", "key", "person_id", "unit_id", "position_id", "status", "in_quota", "rank", "due_date",
    "effective_date", "new_step", "new_coefficient", "count", "monthly_cost", "year_cost", "benefit_vnd", "summary",
    "evidence", "reason",
)


def _copy_entries(run: ListRun, rows: Iterable[Row]) -> None:
    """PostgreSQL: COPY the new entries (bulk_create's client-side quoting of the evidence JSON cost ≈ 0.4 ms a
    row). The evidence is serialised as JSONField does (``json.dumps``, no encoder)."""
    pending = Status.PENDING.value
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper, in the same transaction
        with raw.copy(f"COPY {Entry._meta.db_table} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((
                    run.pk, r.kind, r.key, r.person_id, r.unit_id, r.position_id, pending, r.in_quota, r.rank,
                    r.due_date, r.effective_date, r.new_step, r.new_coefficient, r.count, r.monthly_cost,
                    r.year_cost, r.benefit_vnd, r.summary[:255], json.dumps(r.evidence), "",
                ))


def default_as_of(year: int) -> dt.date:
    """Streamlining is reviewed for the year after the evaluation year: the estimates count from 1 January."""
    return dt.date(year + 1, 1, 1)


@transaction.atomic
def compute(actor: Actor, agency: OrgUnit, year: int, *, as_of: dt.date | None = None) -> ListRun:
    """Produce (or refresh) the agency's lists for ``year``. Refuses before the classification is published."""
    annual_run = published_run(agency, year)
    if annual_run is None:
        raise ListsError(
            f"Kết quả xếp loại năm {year} của «{agency.name}» chưa được công bố: chưa thể lập danh sách."
        )
    as_of = as_of or default_as_of(year)
    base_salary = base_salary_on(as_of)
    run, created = ListRun.objects.select_for_update().get_or_create(
        agency=agency, year=year,
        defaults={"annual_run": annual_run, "as_of": as_of, "base_salary": base_salary, "computed_at": timezone.now()},
    )
    facts = gather(agency, year, annual_run, as_of=as_of, run_id=run.pk)
    counts = _write(run, all_rows(facts, as_of, base_salary))
    user = actor if actor is not None and actor.is_authenticated else None
    run.annual_run, run.as_of, run.base_salary = annual_run, as_of, base_salary
    run.computed_at, run.computed_by, run.counts = timezone.now(), user, counts | {"people": len(facts.people)}
    run.params = {"shortlist_per_seat": SHORTLIST_PER_SEAT, "as_of": as_of.isoformat(), "base_salary": base_salary}
    run.save()
    audit.record(
        actor, "create" if created else "update", run, after={"counts": run.counts, "as_of": as_of.isoformat()},
        reason=f"Lập danh sách sử dụng kết quả đánh giá năm {year}", org_path=agency.path,
    )
    return run
