"""Build the demo database: reference data, a synthetic province and its people, demo users.

Speed matters (5,000 people in a few seconds on SQLite; millions for benchmarks), so people are not
created one by one through ``create_person``: :class:`~congvu.demo.people.PeopleStream` yields plain
drafts, and :func:`write_people` turns each batch into ``bulk_create`` calls, with one audit entry per
batch (actor "demo") and the denormalised fields (``search_name``, ``sort_key``, ``current_unit``,
``org_path``) filled in by the stream. Memory stays bounded: only one batch is held at a time.

A :class:`~congvu.core.models.JobRun` with job "demo" marks the database as a demo database; a build
that did not finish leaves it "running", and the next ``congvu demo`` asks for ``--reset``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import reset_queries, transaction
from django.utils import timezone

from congvu.core import audit
from congvu.core.models import JobRun
from congvu.demo.consequences import build_consequences
from congvu.demo.evaluation import DEMO_TODAY, build_evaluation_year
from congvu.demo.people import AS_OF, PeopleStream, PersonDraft, SpellDraft
from congvu.demo.restructuring import build_restructuring
from congvu.demo.structure import ACTOR, Structure, build_structure
from congvu.evaluation.periods import agency_of
from congvu.org.models import AdminArea, OrgUnit
from congvu.org.reference import load_all
from congvu.personnel.models import Discipline, Employment, Leave, Person, Reward

JOB = "demo"
DEFAULT_PROVINCE = "37"  # Ninh Bình: since 01/07/2025 the merger of Ninh Bình, Nam Định and Hà Nam
BATCH_SIZE = 2000
# Above this many people the build commits every COMMIT_EVERY people, so SQLite's WAL stays small.
SINGLE_TRANSACTION_LIMIT = 200_000
COMMIT_EVERY = 100_000
# Above this many people the build records the 2025 reform (set-based) but runs no redeployment optimisation.
REDEPLOY_LIMIT = 200_000

Progress = Callable[[int], None]


@dataclass
class BuildOptions:
    people: int = 5000
    seed: int = 1
    provinces: tuple[str, ...] = (DEFAULT_PROVINCE,)
    batch_size: int = BATCH_SIZE
    as_of: dt.date = AS_OF
    evaluation: bool = True  # the evaluation year 2026 (congvu.demo.evaluation)
    restructuring: bool = True  # the 2025 reform as data, drafts, a redeployment run (congvu.demo.restructuring)


@dataclass
class BuildResult:
    counts: dict[str, int]
    seconds: dict[str, float]
    structure: Structure
    job: JobRun
    extra: dict[str, Any] = field(default_factory=dict)


def batched(items: Iterable[PersonDraft], size: int) -> Iterator[list[PersonDraft]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def area_ids() -> dict[str, int]:
    """Pre-2025 province code (3 digits, the ID prefix) → AdminArea id, for birthplace and hometown."""
    return dict(
        AdminArea.objects.filter(level=AdminArea.Level.PROVINCE, valid_to__isnull=False).values_list("code", "pk")
    )


def _person(d: PersonDraft, areas: dict[str, int]) -> Person:
    return Person(
        personal_id=d.personal_id, old_id=d.old_id, family_name=d.family_name, middle_name=d.middle_name,
        given_name=d.given_name, search_name=d.search_name, sort_key=d.sort_key, birth_date=d.birth_date,
        birth_year=d.birth_year, sex=d.sex, ethnicity=d.ethnicity, religion=d.religion,
        party_member=d.party_member, party_joined_on=d.party_joined_on, hometown_id=areas.get(d.hometown_code),
        birthplace_id=areas.get(d.birthplace_code), education_level=d.education_level,
        political_theory_level=d.political_theory_level, category=d.category, current_unit_id=d.current_unit_id,
        org_path=d.org_path, insured_months=d.insured_months,
    )


def _employment(person_id: int, s: SpellDraft) -> Employment:
    return Employment(
        person_id=person_id, unit_id=s.unit_id, position_id=s.position_id, title=s.title, rank_id=s.rank_id,
        salary_step=s.salary_step, step_since=s.step_since, position_allowance=s.position_allowance,
        seniority_pct=s.seniority_pct, percent_allowances=s.percent_allowances, start_date=s.start_date,
        end_date=s.end_date, decision_number=s.decision_number, end_reason=s.end_reason,
    )


def write_batch(drafts: Sequence[PersonDraft], areas: dict[str, int], org_path: str, reason: str) -> dict[str, int]:
    """Insert one batch of people with their spells and events; one audit entry for the batch."""
    persons = Person.objects.bulk_create([_person(d, areas) for d in drafts])
    employments: list[Employment] = []
    disciplines: list[Discipline] = []
    rewards: list[Reward] = []
    leaves: list[Leave] = []
    for person, d in zip(persons, drafts, strict=True):
        pid = person.pk
        employments += [_employment(pid, s) for s in d.spells]
        disciplines += [Discipline(person_id=pid, form=f, decided_on=dd, effective_from=ef, effective_to=et,
                                   decision_number=no, reason=why) for f, dd, ef, et, no, why in d.disciplines]
        rewards += [Reward(person_id=pid, title=t, level=lv, decided_on=dd, decision_number=no)
                    for t, lv, dd, no in d.rewards]
        leaves += [Leave(person_id=pid, kind=k, start_date=s, end_date=e, note=n) for k, s, e, n in d.leaves]
    Employment.objects.bulk_create(employments)
    Discipline.objects.bulk_create(disciplines)
    Reward.objects.bulk_create(rewards)
    Leave.objects.bulk_create(leaves)
    counts = {"people": len(persons), "employments": len(employments), "disciplines": len(disciplines),
              "rewards": len(rewards), "leaves": len(leaves)}
    audit.record(None, "import", object_type="person", object_id=f"{persons[0].pk}-{persons[-1].pk}",
                 after=counts, org_path=org_path, actor_label=ACTOR, reason=reason)
    return counts


def write_people(stream: Iterable[PersonDraft], *, batch_size: int, org_path: str, reason: str,
                 progress: Progress | None = None, commit_every: int | None = None) -> dict[str, int]:
    """Write every draft of ``stream`` in batches; returns the row counts.

    With ``commit_every`` the caller must not hold a transaction: each group of batches is committed on
    its own (used for millions of rows, where one SQLite transaction would grow the WAL without bound).
    """
    areas = area_ids()
    totals: dict[str, int] = {}
    batches = batched(stream, batch_size)
    per_group = max(1, commit_every // batch_size) if commit_every else None
    while True:
        written = 0
        with transaction.atomic():
            # islice keeps the group lazy: one batch of drafts in memory at a time.
            for batch in itertools.islice(batches, per_group):
                for key, value in write_batch(batch, areas, org_path, reason).items():
                    totals[key] = totals.get(key, 0) + value
                written += len(batch)
                # With DEBUG on, Django keeps the last 9,000 queries' SQL: big for bulk inserts, so drop it.
                reset_queries()
                if progress is not None:
                    progress(len(batch))
        if not written or per_group is None:
            return totals


def demo_state() -> str:
    """ "empty", "demo" (a finished demo build), "partial" (a build that stopped) or "foreign" (real data)."""
    last = JobRun.objects.filter(job=JOB).order_by("-pk").first()
    if last is not None:
        return "demo" if last.status == JobRun.Status.DONE else "partial"
    return "foreign" if Person.objects.exists() else "empty"


def last_build() -> JobRun | None:
    return JobRun.objects.filter(job=JOB, status=JobRun.Status.DONE).order_by("-pk").first()


def build_demo(options: BuildOptions, *, progress: Progress | None = None,
               on_structure: Callable[[Structure], None] | None = None) -> BuildResult:
    """Load reference data, create the province(s), positions and people. The database must be empty of people."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    job = JobRun.objects.create(job=JOB, scope=",".join(options.provinces), total=options.people,
                                summary={"seed": options.seed, "people": options.people})
    load_all()
    seconds["reference"] = time.perf_counter() - started
    rng = random.Random(options.seed)
    with transaction.atomic():
        structure = build_structure(options.provinces, options.people, rng)
    seconds["structure"] = time.perf_counter() - started - seconds["reference"]
    if on_structure is not None:
        on_structure(structure)
    stream = PeopleStream(structure.slots, structure.plans, structure.ranks, seed=options.seed,
                          as_of=options.as_of).people()
    reason = f"Dữ liệu minh họa (congvu demo --seed {options.seed})"
    mark = time.perf_counter()
    commit_every = COMMIT_EVERY if options.people > SINGLE_TRANSACTION_LIMIT else None
    counts = write_people(stream, batch_size=options.batch_size, org_path=structure.provinces[0].path,
                          reason=reason, progress=progress, commit_every=commit_every)
    seconds["people"] = time.perf_counter() - mark
    evaluation: dict[str, Any] = {}
    if options.evaluation:
        mark = time.perf_counter()
        evaluation = build_evaluation_year(structure, seed=options.seed, people=options.people)
        seconds["evaluation"] = time.perf_counter() - mark
        mark = time.perf_counter()
        evaluation["consequences"] = build_consequences(
            structure.provinces[0], seed=options.seed, keep_open=_tie_agency(evaluation)
        )
        seconds["consequences"] = time.perf_counter() - mark
    restructuring: dict[str, Any] = {}
    if options.restructuring:
        mark = time.perf_counter()
        restructuring = build_restructuring(
            structure.provinces, structure.plans, seed=options.seed,
            today=DEMO_TODAY if options.evaluation else options.as_of, redeploy=options.people <= REDEPLOY_LIMIT,
        )
        counts.update({k: v for k, v in restructuring.items() if isinstance(v, int)})
        seconds["restructuring"] = time.perf_counter() - mark
    counts["units"] = structure.units
    counts["positions"] = structure.positions
    job.progress = counts.get("people", 0)
    job.summary = {**job.summary, "counts": counts, "seconds": {k: round(v, 2) for k, v in seconds.items()},
                   "province_unit": structure.provinces[0].pk, "demo_units": {
                       k: u.pk for k, u in structure.demo_units.items()}, "demo_positions": structure.demo_positions}
    if evaluation:
        job.summary["evaluation"] = evaluation
    if restructuring:
        job.summary["restructuring"] = restructuring
    job.save(update_fields=["progress", "summary"])
    return BuildResult(counts=counts, seconds=seconds, structure=structure, job=job)


def _tie_agency(evaluation: dict[str, Any]) -> int | None:
    """The agency whose classification keeps the head's tie to decide (left unpublished in the demo)."""
    tie = evaluation.get("tie")
    unit = OrgUnit.objects.filter(pk=tie["unit"]).first() if tie else None
    return agency_of(unit).pk if unit is not None else None


def finish(job: JobRun, extra: dict[str, Any]) -> None:
    job.status = JobRun.Status.DONE
    job.finished_at = timezone.now()
    job.summary = {**job.summary, **extra}
    job.save(update_fields=["status", "finished_at", "summary"])

