"""Reconciliation with the population database: one function per user intent.

- :func:`run_reconciliation`: extract the register (a subtree), run the engine (``congvu.matching``) in a
  temporary folder, load its results set-based: one :class:`ReconciliationTally` per unit and one
  :class:`ReconciliationRecord` per record that did not match at once (the queue).
- :func:`accept_correction`: write the population database's values into the register through
  ``congvu.personnel.services.update_person`` (audit reason cites the population record and dataset).
- :func:`reject`, :func:`send_to_unit`, :func:`mark_fixed`: the other queue decisions.

Callers have passed the ``congvu.access`` checks (RECONCILE on the record's unit); each function re-checks
that the record lies in ``scope`` and owns its transaction and audit entries.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from congvu.core import audit
from congvu.core.models import JobRun
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.matching.readers import InputError
from congvu.org.models import OrgUnit
from congvu.personnel.models import Person, Sex
from congvu.personnel.services import (
    PERSON_FIELDS,
    OutOfScope,
    PersonInput,
    ServiceError,
    update_person,
)
from congvu.reconciliation.extract import write_register_extract
from congvu.reconciliation.models import (
    PENDING_STATES,
    QueueState,
    ReconciliationRecord,
    ReconciliationRun,
    ReconciliationTally,
    Status,
)
from congvu.rules.personal_id import OLD_ID_RE
from congvu.text import nfc, split_full_name, title_case_name

JOB = "reconciliation"
#: Audit actions of the queue decisions (namespaced like the evaluation's).
AUDIT_ACTIONS = {
    QueueState.ACCEPTED: "reconciliation.accept",
    QueueState.REJECTED: "reconciliation.reject",
    QueueState.SENT_TO_UNIT: "reconciliation.send_to_unit",
    QueueState.FIXED: "reconciliation.mark_fixed",
}
MAX_SHOWN_PROBLEMS = 20
BATCH_SIZE = 2000
#: The engine: (register extract, population file, output folder) → JSON summary. Tests may pass their own.
Engine = Callable[[Path, Path, Path], Mapping[str, Any]]
#: Result columns copied to a record (text; missing columns read as empty).
TEXT_COLUMNS = ("personal_id", "matched_personal_id", "differences", "id_problem", "duplicate_of", "reason",
                "pop_full_name", "pop_birth_date", "pop_sex", "pop_old_id")


# ---- running --------------------------------------------------------------------------------------------


def pipeline_engine(personnel: Path, population: Path, out_dir: Path) -> Mapping[str, Any]:
    """The real engine: ``congvu.matching.pipeline.reconcile`` with its DuckDB backend."""
    from congvu.matching.pipeline import reconcile  # imported here: DuckDB/Splink load only for a run

    summary = reconcile(personnel, population, out_dir, engine="duckdb", progress=False)
    raw = summary.to_json()
    loaded: Mapping[str, Any] = json.loads(raw) if isinstance(raw, str | bytes) else raw
    return loaded


def run_scope_path(scope: Scope, unit: OrgUnit | None) -> str:
    """The subtree a run checks: the chosen unit, else the caller's only subtree (or all, for national admins)."""
    if unit is not None:
        if not scope.covers(unit.path):
            raise OutOfScope({"unit": [f"Đơn vị «{unit.name}» nằm ngoài phạm vi quản lý của bạn."]})
        return unit.path
    if scope.everything:
        return ""
    if len(scope.paths) == 1:
        return scope.paths[0]
    if not scope.paths:
        raise OutOfScope({"unit": ["Bạn không có quyền đối soát dữ liệu."]})
    raise ServiceError({"unit": ["Bạn quản lý nhiều đơn vị: hãy chọn đơn vị cần đối soát."]})


def people_in(scope_path: str) -> QuerySet[Person]:
    people = Person.objects.all()
    return people.filter(org_path__startswith=scope_path) if scope_path else people


def run_reconciliation(
    actor: Actor,
    population_path: Path,
    scope: Scope,
    *,
    unit: OrgUnit | None = None,
    population_name: str = "",
    engine: Engine | None = None,
) -> ReconciliationRun:
    """Check the register (``unit``'s subtree) against a population extract and load the work queue.

    The register is read in one transaction (a consistent snapshot); the engine runs outside any
    transaction (it may take minutes); the results are loaded in a second transaction, so a run is either
    there whole or not at all. A :class:`JobRun` records the attempt, failed ones included.
    """
    population_path = Path(population_path)
    if not population_path.is_file():
        raise ServiceError({"population": [f"Không tìm thấy tệp dữ liệu dân cư «{population_path.name}»."]})
    scope_path = run_scope_path(scope, unit)
    scope_unit = unit or (OrgUnit.objects.filter(path=scope_path).first() if scope_path else None)
    user = actor if actor is not None and actor.is_authenticated else None
    job = JobRun.objects.create(job=JOB, scope=str(scope_unit.pk) if scope_unit else "all", started_by=user,
                                summary={"population_file": population_name or population_path.name})
    try:
        with tempfile.TemporaryDirectory(prefix="congvu-doi-soat-") as tmp:
            work = Path(tmp)
            with transaction.atomic():
                _snapshot_reads()
                people = people_in(scope_path)
                rows = write_extract(work / "register.parquet", people)
                write_placement(work / "placement.parquet", people)
            summary = _engine_summary(engine or pipeline_engine, work, population_path)
            run = load_run(
                actor, job, work, summary,
                RunFacts(population_file=population_name or population_path.name, scope_path=scope_path,
                         scope_unit=scope_unit, personnel_rows=rows),
            )
    except Exception as exc:
        _job_failed(job, exc)
        raise
    return run


def _snapshot_reads() -> None:
    """On PostgreSQL, let every query of this transaction see the same snapshot (the default, READ COMMITTED,
    gives each query its own), so the extract and the unit placement agree. SQLite transactions already do."""
    outermost = not connection.savepoint_ids  # inside a caller's transaction the level is the caller's
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _engine_summary(engine: Engine, work: Path, population_path: Path) -> dict[str, Any]:
    """Run the engine; a file it cannot use becomes a ServiceError that names file, row, column and why."""
    try:
        return dict(engine(work / "register.parquet", population_path, work / "out"))
    except InputError as exc:
        shown = [str(problem) for problem in exc.problems[:MAX_SHOWN_PROBLEMS]]
        if exc.total > len(shown):
            shown.append(f"… và {exc.total - len(shown)} lỗi khác.")
        raise ServiceError({"population": shown}) from exc


def write_extract(path: Path, people: QuerySet[Person]) -> int:
    """The register as the engine reads it (``congvu.reconciliation.extract``, the engine's own format)."""
    return int(write_register_extract(path, people))


def write_placement(path: Path, people: QuerySet[Person]) -> None:
    """record_id → unit and record version, read in the same transaction as the extract (for the tallies)."""
    schema = pa.schema([("record_id", pa.string()), ("unit_id", pa.int64()), ("version", pa.int64())])
    rows = people.order_by().values_list("pk", "current_unit_id", "version").iterator(chunk_size=BATCH_SIZE)
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in _chunks(rows, BATCH_SIZE * 10):
            ids, units, versions = zip(*chunk, strict=True)
            writer.write_batch(pa.record_batch(
                [pa.array([str(i) for i in ids]), pa.array(units, pa.int64()), pa.array(versions, pa.int64())],
                schema=schema,
            ))


def _chunks(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class RunFacts:
    population_file: str
    scope_path: str
    scope_unit: OrgUnit | None
    personnel_rows: int


@transaction.atomic
def load_run(actor: Actor, job: JobRun | None, work: Path, summary: dict[str, Any], facts: RunFacts) -> ReconciliationRun:
    """Load ``work/out/results.parquet`` (joined with ``work/placement.parquet``) as one run."""
    results = work / "out" / "results.parquet"
    if not results.is_file():
        raise ServiceError({"population": ["Bộ đối soát không tạo ra tệp kết quả (results.parquet)."]})
    user = actor if actor is not None and actor.is_authenticated else None
    run = ReconciliationRun.objects.create(
        started_by=user, population_file=facts.population_file[:255],
        dataset_version=str(find_value(summary, "dataset_version", "version") or "")[:120],
        population_rows=int(find_value(summary, "population_rows") or 0),
        personnel_rows=facts.personnel_rows, scope_path=facts.scope_path, scope_unit=facts.scope_unit,
        summary=summary, job=job,
    )
    with duckdb.connect() as con:
        con.read_parquet(str(results)).create_view("r")
        con.read_parquet(str(work / "placement.parquet")).create_view("p")
        tallies = _load_tallies(con, run)
        loaded = _load_records(con, run)
    counts = {"checked": sum(t.total for t in tallies), "matched": sum(t.matched for t in tallies), "queued": loaded}
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    audit.record(actor, "reconcile", run, after={**counts, "population_file": run.population_file,
                                                  "dataset_version": run.dataset_version},
                 org_path=run.scope_path, reason=f"Đối soát với CSDL dân cư, tệp {run.population_file}")
    if job is not None:
        job.status = JobRun.Status.DONE
        job.finished_at = run.finished_at
        job.progress = job.total = counts["checked"]
        job.summary = {**job.summary, "run": run.pk, **counts}
        job.save(update_fields=["status", "finished_at", "progress", "total", "summary"])
    return run


def find_value(summary: Mapping[str, Any], *keys: str) -> Any:
    """The first of ``keys`` found in the engine's summary, at the top or one level down."""
    for key in keys:
        if summary.get(key) not in (None, ""):
            return summary[key]
    for value in summary.values():
        if isinstance(value, Mapping):
            for key in keys:
                if value.get(key) not in (None, ""):
                    return value[key]
    return None


def _load_tallies(con: duckdb.DuckDBPyConnection, run: ReconciliationRun) -> list[ReconciliationTally]:
    rows = con.execute(
        "SELECT p.unit_id, count(*), count(*) FILTER (WHERE r.status = 'MATCHED') "
        "FROM r LEFT JOIN p ON p.record_id = CAST(r.record_id AS VARCHAR) GROUP BY 1"
    ).fetchall()
    paths = dict(OrgUnit.objects.filter(pk__in=[u for u, _t, _m in rows if u is not None]).values_list("pk", "path"))
    tallies = [
        ReconciliationTally(run=run, unit_id=unit_id if unit_id in paths else None, org_path=paths.get(unit_id, ""),
                            total=total, matched=matched)
        for unit_id, total, matched in rows
    ]
    return ReconciliationTally.objects.bulk_create(tallies, batch_size=BATCH_SIZE)


def _load_records(con: duckdb.DuckDBPyConnection, run: ReconciliationRun) -> int:
    present = {row[0] for row in con.execute("DESCRIBE r").fetchall()}
    missing = {"record_id", "status"} - present
    if missing:
        raise ServiceError({"population": [f"Tệp kết quả thiếu cột: {', '.join(sorted(missing))}."]})
    text = ", ".join(f"CAST(r.{c} AS VARCHAR) AS {c}" if c in present else f"NULL AS {c}" for c in TEXT_COLUMNS)
    probability = "TRY_CAST(r.probability AS DOUBLE)" if "probability" in present else "NULL"
    reader = con.sql(
        f"SELECT CAST(r.record_id AS VARCHAR) AS record_id, r.status, {probability} AS probability, {text}, "
        "p.record_id IS NOT NULL AS known, p.unit_id, p.version "
        "FROM r LEFT JOIN p ON p.record_id = CAST(r.record_id AS VARCHAR) "
        "WHERE r.status <> 'MATCHED' ORDER BY 1"
    ).to_arrow_reader(BATCH_SIZE)
    loaded = 0
    for batch in reader:
        rows = batch.to_pylist()
        paths = dict(OrgUnit.objects.filter(pk__in={r["unit_id"] for r in rows if r["unit_id"]})
                     .values_list("pk", "path"))
        ReconciliationRecord.objects.bulk_create([_record(run, row, paths) for row in rows])
        loaded += len(rows)
    return loaded


def _record(run: ReconciliationRun, row: dict[str, Any], paths: dict[int, str]) -> ReconciliationRecord:
    if row["status"] not in Status.values:
        raise ServiceError({"population": [
            f"Kết quả đối soát của hồ sơ {row['record_id']} có trạng thái không hợp lệ: {row['status']!r}."]})
    text = {c: nfc(str(row[c] or "")).strip() for c in TEXT_COLUMNS}
    unit_id = row["unit_id"] if row["unit_id"] in paths else None
    return ReconciliationRecord(
        run=run, record_id=row["record_id"], person_id=int(row["record_id"]) if row["known"] else None,
        person_version=row["version"] or 0, unit_id=unit_id, org_path=paths.get(unit_id, "") if unit_id else "",
        status=row["status"], probability=row["probability"],
        personal_id=text["personal_id"][:20], matched_personal_id=text["matched_personal_id"][:20],
        differences=text["differences"][:255], id_problem=text["id_problem"][:255],
        duplicate_of=text["duplicate_of"][:40], reason=text["reason"],
        pop_full_name=text["pop_full_name"][:200], pop_birth_date=text["pop_birth_date"][:10],
        pop_sex=text["pop_sex"][:1], pop_old_id=text["pop_old_id"][:12],
    )


def _job_failed(job: JobRun, exc: Exception) -> None:
    message = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items()) if isinstance(exc, ServiceError) \
        else f"{type(exc).__name__}: {exc}"
    job.status = JobRun.Status.FAILED
    job.finished_at = timezone.now()
    job.summary = {**job.summary, "error": message[:2000]}
    job.save(update_fields=["status", "finished_at", "summary"])


# ---- the proposed correction ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """What accepting a record would write into the register: field name → new value (PERSON_FIELDS names)."""

    values: dict[str, Any]

    def __bool__(self) -> bool:
        return bool(self.values)

    @property
    def fields(self) -> set[str]:
        return set(self.values)


def proposed_correction(record: ReconciliationRecord, person: Person) -> Correction:
    """The register values that differ from the population database's evidence on ``record``.

    Hometown is not among them: the evidence carries no hometown, so a hometown difference is fixed by
    hand (send the record to the unit). A year-only population birth date never erases a full date of the
    same year in the register.
    """
    values: dict[str, Any] = {}
    if record.matched_personal_id and record.matched_personal_id != person.personal_id:
        values["personal_id"] = record.matched_personal_id
    if OLD_ID_RE.match(record.pop_old_id) and record.pop_old_id != person.old_id:
        values["old_id"] = record.pop_old_id
    values.update(_name_change(record.pop_full_name, person))
    values.update(_birth_change(record.pop_birth_date, person))
    if record.pop_sex in Sex.values and record.pop_sex != person.sex:
        values["sex"] = record.pop_sex
    return Correction(values)


def _name_change(pop_full_name: str, person: Person) -> dict[str, str]:
    name = " ".join(nfc(pop_full_name).split())
    if not name or name == person.full_name:
        return {}
    if name.isupper() or name.islower():  # registers of names are often in capitals: keep the register's case
        if name.lower() == person.full_name.lower():
            return {}
        name = title_case_name(name)
    parts = split_full_name(name)
    proposed = {"family_name": parts.family, "middle_name": parts.middle, "given_name": parts.given}
    return {key: value for key, value in proposed.items() if value != getattr(person, key)}


def _birth_change(pop_birth_date: str, person: Person) -> dict[str, Any]:
    if len(pop_birth_date) == 4 and pop_birth_date.isdigit():
        year = int(pop_birth_date)
        return {} if year == person.birth_year else {"birth_year": year, "birth_date": None}
    try:
        day = dt.date.fromisoformat(pop_birth_date)
    except ValueError:
        return {}
    if day == person.birth_date and day.year == person.birth_year:
        return {}
    return {"birth_date": day, "birth_year": day.year}


def _person_input(person: Person, correction: Correction) -> PersonInput:
    current = {name: getattr(person, name) for name in PERSON_FIELDS}
    return PersonInput(**{**current, **correction.values})


# ---- queue decisions ------------------------------------------------------------------------------------


def _pending_record(scope: Scope, record_id: int, allowed: tuple[str, ...] = PENDING_STATES) -> ReconciliationRecord:
    record = (ReconciliationRecord.objects.select_for_update().select_related("run").filter(pk=record_id).first())
    if record is None or not scope.covers(record.org_path):
        raise OutOfScope({"__all__": ["Không tìm thấy hồ sơ đối soát hoặc hồ sơ nằm ngoài phạm vi quản lý của bạn."]})
    if record.state not in allowed:
        label = QueueState(record.state).label
        raise ServiceError({"__all__": [f"Hồ sơ này đã được xử lý ({label}): không thể thao tác lại."]})
    return record


def _required(text: str, field: str, message: str) -> str:
    cleaned = nfc(text).strip()
    if not cleaned:
        raise ServiceError({field: [message]})
    return cleaned


def _resolve(actor: Actor, record: ReconciliationRecord, state: QueueState, note: str) -> ReconciliationRecord:
    before = {"state": record.state}
    record.state = state
    record.note = note
    if state != QueueState.SENT_TO_UNIT:  # sending on is not a resolution: the unit still has to act
        record.resolved_by = actor if actor is not None and actor.is_authenticated else None
        record.resolved_at = timezone.now()
    record.save(update_fields=["state", "note", "resolved_by", "resolved_at"])
    audit.record(actor, AUDIT_ACTIONS[state], record, before=before, after={"state": state.value},
                 reason=note, subject_person_id=record.person_id, org_path=record.org_path)
    return record


def citation(record: ReconciliationRecord) -> str:
    """The population record and dataset a correction comes from, for the audit reason."""
    run = record.run
    version = f", phiên bản {run.dataset_version}" if run.dataset_version else ""
    pid = record.matched_personal_id or record.personal_id
    return (f"Sửa theo CSDL quốc gia về dân cư: bản ghi số định danh {pid} "
            f"(tệp {run.population_file}{version}; lần đối soát số {run.pk}, ngày {run.started_at:%d/%m/%Y})")


@transaction.atomic
def accept_correction(actor: Actor, scope: Scope, record_id: int, *, reason: str) -> ReconciliationRecord:
    """Write the population database's values into the register and close the record as accepted.

    Refused (nothing written) when the record has nothing to propose, when the proposed personal ID is
    already another register record's (a probable duplicate: settle that first), or when the register
    refuses the values (``update_person``'s checks).
    """
    record = _pending_record(scope, record_id)
    reason = _required(reason, "reason", "Ghi lý do chấp nhận sửa (ví dụ: đã đối chiếu với căn cước).")
    person = Person.objects.select_for_update().filter(pk=record.person_id).first() if record.person_id else None
    if person is None:
        raise ServiceError({"__all__": ["Hồ sơ cán bộ của kết quả này không còn trong CSDL."]})
    correction = proposed_correction(record, person)
    if not correction:
        raise ServiceError({"__all__": [
            "Không có đề xuất sửa nào từ CSDL dân cư cho hồ sơ này: hãy chuyển đơn vị xử lý hoặc không chấp nhận."]})
    _refuse_taken_id(scope, person, correction)
    update_person(actor, scope, person.pk, _person_input(person, correction), expected_version=person.version,
                  reason=f"{citation(record)}. {reason}")
    return _resolve(actor, record, QueueState.ACCEPTED, reason)


def _refuse_taken_id(scope: Scope, person: Person, correction: Correction) -> None:
    new_id = correction.values.get("personal_id")
    if not new_id:
        return
    holder = Person.objects.filter(personal_id=new_id).exclude(pk=person.pk).first()
    if holder is None:
        return
    who = f"«{holder.full_name}» (mã hồ sơ {holder.pk})" if scope.covers(holder.org_path) \
        else "một hồ sơ ngoài phạm vi quản lý của bạn"
    raise ServiceError({"personal_id": [
        f"Không sửa được: số định danh {new_id} đã thuộc hồ sơ khác trong CSDL cán bộ, {who}. Có thể hai hồ sơ "
        "là một người (hồ sơ trùng): xử lý hồ sơ trùng trước, rồi đối soát lại."]})


@transaction.atomic
def reject(actor: Actor, scope: Scope, record_id: int, *, reason: str) -> ReconciliationRecord:
    """The proposal is wrong (another person, or the register is right): close it without changing the register."""
    record = _pending_record(scope, record_id)
    reason = _required(reason, "reason", "Ghi lý do không chấp nhận đề xuất.")
    return _resolve(actor, record, QueueState.REJECTED, reason)


@transaction.atomic
def send_to_unit(actor: Actor, scope: Scope, record_id: int, *, note: str) -> ReconciliationRecord:
    """Ask the record's unit to check the person's papers and fix the record (it goes on the unit's .xlsx list)."""
    record = _pending_record(scope, record_id, allowed=(QueueState.OPEN,))
    note = _required(note, "note", "Ghi nội dung đơn vị cần kiểm tra, bổ sung.")
    return _resolve(actor, record, QueueState.SENT_TO_UNIT, note)


@transaction.atomic
def mark_fixed(actor: Actor, scope: Scope, record_id: int, *, note: str) -> ReconciliationRecord:
    """The unit has fixed the record: accepted only if the register now agrees with the population evidence
    (or, without evidence, if the record was edited since the run)."""
    record = _pending_record(scope, record_id)
    note = _required(note, "note", "Ghi đơn vị đã sửa những gì, theo giấy tờ nào.")
    person = Person.objects.filter(pk=record.person_id).first() if record.person_id else None
    if person is None:
        raise ServiceError({"__all__": ["Hồ sơ cán bộ của kết quả này không còn trong CSDL."]})
    if has_evidence(record):
        left = proposed_correction(record, person)
        if left:
            raise ServiceError({"__all__": [
                "Hồ sơ vẫn khác CSDL dân cư ở: " + ", ".join(sorted(FIELD_NAMES_VI.get(f, f) for f in left.fields))
                + ". Sửa hồ sơ hoặc chấp nhận đề xuất trước."]})
    elif person.version == record.person_version:
        raise ServiceError({"__all__": ["Hồ sơ chưa được sửa kể từ lần đối soát này."]})
    return _resolve(actor, record, QueueState.FIXED, note)


def has_evidence(record: ReconciliationRecord) -> bool:
    return bool(record.matched_personal_id or record.pop_full_name or record.pop_birth_date or record.pop_sex)


FIELD_NAMES_VI = {
    "personal_id": "số định danh", "old_id": "số CMND cũ", "family_name": "họ", "middle_name": "chữ đệm",
    "given_name": "tên", "birth_date": "ngày sinh", "birth_year": "năm sinh", "sex": "giới tính",
}
