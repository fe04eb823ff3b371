"""The two KPI calculators of DESIGN.md §4: JSON in, JSON out, no database, the same rules as the application.

- :func:`score_request`: period scores (``congvu kpi score``, ``POST /api/v1/kpi/score``);
- :func:`classify_request`: annual levels with the overrides and the quota (``congvu kpi classify``,
  ``POST /api/v1/kpi/classify``).

Input is checked whole before anything is computed; every problem becomes one ``{"loc", "message",
"message_en"}`` entry whose ``loc`` names the person by index and id and the field, e.g.
``people[2] (id "A3").tasks[0].quantity``. Output numbers are JSON numbers rounded to 2 decimals.
The request models double as the JSON Schemas in ``docs/schemas/`` (``python -m congvu.evaluation.calculator
docs/schemas`` rewrites them; a test fails when they drift).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from congvu.rules.kpi_registry import NoRuleSet, RuleSet, rule_set_for
from congvu.rules.nd335_2025 import (
    DEFAULT_PARAMETERS,
    AnnualInput,
    AnnualResult,
    DisciplineForm,
    LeaderInputs,
    Level,
    PeriodScore,
    Role,
    Step,
    TaskLine,
)
from congvu.text import nfc

MAX_PEOPLE = 100_000
MAX_TASKS = 1_000
MAX_QUANTITY = Decimal(1_000_000)
MAX_COEFFICIENT = Decimal(1_000)
MAX_COUNT = 10_000
PARAMS = DEFAULT_PARAMETERS
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$"
LEADER_FIELDS = ("unit_result", "organising", "unity")


class CalculatorError(Exception):
    """Invalid calculator input: ``errors`` is a list of ``{"loc", "message", "message_en"}``; nothing was
    computed."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("\n".join(f"{e['loc']}: {e['message']}" if e["loc"] else e["message"] for e in errors))
        self.errors = errors


# ---- input models -------------------------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value


Points = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]


class TaskIn(_In):
    """One assigned product/work type of the period (a task line)."""

    model_config = ConfigDict(title="Task line")

    type: str = Field("", max_length=200, description="Product/work type; a label shown in the explanation.")
    quantity: Decimal = Field(ge=0, le=MAX_QUANTITY, decimal_places=4,
                              description="Assigned quantity q (units of this product).")
    coefficient: Decimal = Field(gt=0, le=MAX_COEFFICIENT, decimal_places=4,
                                 description="Conversion coefficient k to the unit's standard product (> 0).")
    completed: Decimal = Field(ge=0, le=MAX_QUANTITY, decimal_places=4,
                               description="Completed quantity c; only min(c, q) counts.")
    errors: int = Field(0, ge=0, le=MAX_COUNT, strict=True,
                        description="Major-content-error findings; each costs 25 % of one unit in quality.")
    delays: int = Field(0, ge=0, le=MAX_COUNT, strict=True,
                        description="Delays; each costs 25 % of one unit in timeliness.")
    objective_cause: StrictBool = Field(False, description="An objective cause was confirmed: waives errors and delays.")


class ScorePersonIn(_In):
    """One civil servant's period: general points, task lines and, for leaders, d1–d3."""

    model_config = ConfigDict(title="Person (period)")

    id: str = Field(min_length=1, max_length=100, description="Any identifier, echoed in the result.")
    role: Role = Field(description="staff, or leader (leaders and deputies).")
    general_points: Decimal = Field(ge=0, le=PARAMS.general_max, decimal_places=2,
                                    description="General-criteria points, 0–30 (Art 12(2)).")
    tasks: list[TaskIn] = Field(max_length=MAX_TASKS, description="Task lines; [] means no assigned work.")
    unit_result: Points | None = Field(None, description="Leaders only: d1, 100 or 50 (Art 15(d)).")
    organising: Points | None = Field(None, description="Leaders only: d2, organising capacity 0–100.")
    unity: Points | None = Field(None, description="Leaders only: d3, internal unity 0–100.")


class ScoreRequest(_In):
    """Input of ``congvu kpi score`` and ``POST /api/v1/kpi/score``."""

    model_config = ConfigDict(title="KPI period scores: input")

    period: str = Field(pattern=PERIOD_PATTERN, description="Month YYYY-MM or quarter YYYY-Qn; picks the rule set.",
                        examples=["2026-03", "2026-Q1"])
    people: list[ScorePersonIn] = Field(min_length=1, max_length=MAX_PEOPLE)
    explain: StrictBool = Field(False, description="Add each result's explanation steps (formula and article).")


class ClassifyPersonIn(_In):
    """One civil servant's year: the period totals and the facts that may force 'not completed'."""

    model_config = ConfigDict(title="Person (year)")

    id: str = Field(min_length=1, max_length=100, description="Any identifier, echoed in the result.")
    unit: str = Field(min_length=1, max_length=200, description="Unit; the quota applies per (unit, group).")
    group: str = Field(min_length=1, max_length=200, description="Group of civil servants with similar tasks.")
    role: Role = Field(description="staff, or leader (leaders and deputies).")
    period_totals: list[Points | None] = Field(
        max_length=12, description="Period totals in order; null for a period not worked (leave) or with no work."
    )
    discipline: DisciplineForm | None = Field(None, description="Discipline in the year (reprimand or above).")
    degradation: StrictBool = Field(False, description="A competent conclusion of degradation (Art 20(4)(b)).")
    unit_corruption: StrictBool = Field(
        False, description="Leaders only: their unit handled for corruption or waste (Art 20(4)(d)); ignored for staff."
    )


class ClassifyRequest(_In):
    """Input of ``congvu kpi classify`` and ``POST /api/v1/kpi/classify``."""

    model_config = ConfigDict(title="KPI annual classification: input")

    year: int = Field(ge=2000, le=2100, strict=True, description="Evaluation year; picks the rule set.")
    excellent_ratio: Decimal | None = Field(
        None, ge=0, le=PARAMS.exception_ratio, decimal_places=4,
        description="Excellent ≤ ratio × good. Default 0.2; up to 0.25 only with an approval record (Art 20(5)(b)).",
    )
    people: list[ClassifyPersonIn] = Field(min_length=1, max_length=MAX_PEOPLE)
    explain: StrictBool = Field(False, description="Add each result's explanation steps (formula and article).")


# ---- output models (documentation: OpenAPI and docs/kpi-calculators.md) ------------------------------------


class StepOut(BaseModel):
    key: str
    label_vi: str
    label_en: str
    formula: str
    value: str
    article: str


class ScoreResultOut(BaseModel):
    id: str
    role: Role
    quantity_pct: float | None
    quality_pct: float | None
    timeliness_pct: float | None
    task_points: float | None
    general_points: float
    total: float | None
    no_work_reason: str | None
    steps: list[StepOut] | None = Field(None, description="Only with explain: true.")


class ScoreOut(BaseModel):
    rule_set: str
    period: str
    results: list[ScoreResultOut]


class ClassifyResultOut(BaseModel):
    id: str
    unit: str
    group: str
    role: Role
    annual_score: float | None
    level_by_score: Level | None
    override: str | None = Field(description="discipline, degradation or unit_corruption; null if none.")
    override_reason: str | None
    level: Level | None = Field(description="Final level; provisional GOOD when quota_tie.")
    quota_demoted: bool
    quota_tie: bool
    tie_seats: int = Field(description="Excellent seats left for the head to give among those tied (0 if no tie).")
    steps: list[StepOut] | None = Field(None, description="Only with explain: true.")


class GroupOut(BaseModel):
    unit: str
    group: str
    excellent: int
    good: int
    completed: int
    not_completed: int
    unclassified: int
    tied: int
    tie_seats: int


class ClassifyOut(BaseModel):
    rule_set: str
    year: int
    excellent_ratio: float
    results: list[ClassifyResultOut]
    groups: list[GroupOut]


class CalculatorErrorItem(BaseModel):
    loc: str = Field(description='Where: e.g. people[2] (id "A3").tasks[0].quantity')
    message: str = Field(description="Why, in Vietnamese.")
    message_en: str = Field(description="Why, in English.")


class CalculatorErrorsOut(BaseModel):
    errors: list[CalculatorErrorItem]


# ---- errors -------------------------------------------------------------------------------------------------

_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("bắt buộc phải có", "required"),
    "extra_forbidden": ("trường không được hỗ trợ", "unknown field"),
    "greater_than_equal": ("phải ≥ {ge}", "must be ≥ {ge}"),
    "greater_than": ("phải > {gt}", "must be > {gt}"),
    "less_than_equal": ("phải ≤ {le}", "must be ≤ {le}"),
    "less_than": ("phải < {lt}", "must be < {lt}"),
    "decimal_type": ("phải là số", "must be a number"),
    "decimal_parsing": ("phải là số", "must be a number"),
    "finite_number": ("phải là số hữu hạn", "must be a finite number"),
    "decimal_max_places": ("tối đa {decimal_places} chữ số thập phân", "at most {decimal_places} decimal places"),
    "decimal_max_digits": ("tối đa {max_digits} chữ số", "at most {max_digits} digits"),
    "int_type": ("phải là số nguyên", "must be a whole number"),
    "int_parsing": ("phải là số nguyên", "must be a whole number"),
    "int_from_float": ("phải là số nguyên", "must be a whole number"),
    "bool_type": ("phải là true hoặc false", "must be true or false"),
    "string_type": ("phải là chuỗi ký tự", "must be a string"),
    "string_too_short": ("không được để trống", "must not be empty"),
    "string_too_long": ("dài tối đa {max_length} ký tự", "at most {max_length} characters"),
    "string_pattern_mismatch": ("phải có dạng YYYY-MM (tháng) hoặc YYYY-Qn (quý)", "must be YYYY-MM or YYYY-Qn"),
    "enum": ("phải là một trong: {expected}", "must be one of: {expected}"),
    "list_type": ("phải là một danh sách", "must be a list"),
    "too_short": ("cần ít nhất {min_length} phần tử", "needs at least {min_length} items"),
    "too_long": ("tối đa {max_length} phần tử", "at most {max_length} items"),
    "model_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "model_attributes_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "dict_type": ("phải là một đối tượng JSON", "must be a JSON object"),
}


def _messages(error: dict[str, Any]) -> tuple[str, str]:
    templates = _MESSAGES.get(str(error.get("type", "")))
    fallback = str(error.get("msg", "invalid value"))
    if templates is None:
        return fallback, fallback
    ctx = {k: (format(v, "f") if isinstance(v, Decimal) else v) for k, v in (error.get("ctx") or {}).items()}
    ctx_vi = {k: (v.replace(" or ", " hoặc ") if isinstance(v, str) else v) for k, v in ctx.items()}
    try:
        return templates[0].format(**ctx_vi), templates[1].format(**ctx)
    except (KeyError, IndexError):
        return fallback, fallback


def _person_id(data: Any, index: int) -> str | None:
    people = data.get("people") if isinstance(data, dict) else None
    if isinstance(people, list) and 0 <= index < len(people) and isinstance(people[index], dict):
        pid = people[index].get("id")
        if isinstance(pid, str | int) and not isinstance(pid, bool):
            return str(pid)
    return None


def loc_text(loc: tuple[str | int, ...], data: Any) -> str:
    """``("people", 2, "tasks", 0, "quantity")`` → ``people[2] (id "A3").tasks[0].quantity``."""
    out = ""
    for position, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            if position == 1 and loc[0] == "people":
                pid = _person_id(data, part)
                out += f' (id "{pid}")' if pid is not None else ""
        else:
            out += f".{part}" if out else str(part)
    return out


def _error(loc: tuple[str | int, ...], data: Any, message: str, message_en: str) -> dict[str, str]:
    return {"loc": loc_text(loc, data), "message": message, "message_en": message_en}


def _validation_errors(exc: ValidationError, data: Any) -> list[dict[str, str]]:
    out = []
    for error in exc.errors():
        vi, en = _messages(dict(error))
        out.append(_error(tuple(error["loc"]), data, vi, en))
    return out


def _rule_error(prefix: tuple[str | int, ...], data: Any, exc: ValueError) -> dict[str, str]:
    """A rule's ``ValueError("field: why")`` as an error under ``prefix`` (``lines[i]`` is our ``tasks[i]``)."""
    text = str(exc)
    name, _, why = text.partition(": ")
    if not why:
        return _error(prefix, data, f"giá trị không hợp lệ: {text}", text)
    loc = list(prefix)
    for piece in name.replace("lines[", "tasks[").replace("]", "").replace("[", ".").split("."):
        loc.append(int(piece) if piece.isdigit() else piece)
    return _error(tuple(loc), data, f"giá trị không hợp lệ: {why}", why)


def _validate(model: type[_In], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CalculatorError(_validation_errors(exc, data)) from None


def _duplicate_ids(people: list[Any], data: Any) -> list[dict[str, str]]:
    seen: set[str] = set()
    out = []
    for index, person in enumerate(people):
        if person.id in seen:
            out.append(_error(("people", index, "id"), data, "mã bị trùng với một người ở trên",
                              "duplicate id"))
        seen.add(person.id)
    return out


def _leader_field_errors(people: list[ScorePersonIn], data: Any) -> list[dict[str, str]]:
    out = []
    for index, person in enumerate(people):
        for name in LEADER_FIELDS:
            value = getattr(person, name)
            if person.role is Role.LEADER and value is None:
                out.append(_error(("people", index, name), data, "bắt buộc với lãnh đạo, quản lý",
                                  "required for a leader"))
            elif person.role is Role.STAFF and value is not None:
                out.append(_error(("people", index, name), data, "chỉ dùng cho lãnh đạo, quản lý",
                                  "only for leaders"))
    return out


def _rule_set(loc: str, day: date, data: Any) -> RuleSet:
    try:
        return rule_set_for(day)
    except NoRuleSet:
        raise CalculatorError([_error((loc,), data, f"không có bộ quy tắc áp dụng cho ngày {day:%d/%m/%Y}",
                                      f"no rule set is in force on {day.isoformat()}")]) from None


def period_start(period: str) -> date:
    """``2026-03`` → 01/03/2026; ``2026-Q2`` → 01/04/2026."""
    year, part = period.split("-")
    month = (int(part[1]) - 1) * 3 + 1 if part.startswith("Q") else int(part)
    return date(int(year), month, 1)


# ---- output helpers -----------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    """A 2-decimal Decimal as a JSON number (its float prints back as the same 2-decimal text)."""
    return None if value is None else float(value)


def _steps(steps: tuple[Step, ...]) -> list[dict[str, str]]:
    return [asdict(step) for step in steps]


# ---- score --------------------------------------------------------------------------------------------------


def score_request(data: Any) -> dict[str, Any]:
    """Period scores for every person of a ``ScoreRequest``; CalculatorError (nothing computed) if invalid."""
    request: ScoreRequest = _validate(ScoreRequest, data)
    rs = _rule_set("period", period_start(request.period), data)
    errors = _duplicate_ids(request.people, data) + _leader_field_errors(request.people, data)
    if errors:
        raise CalculatorError(errors)
    scores: list[PeriodScore] = []
    for index, person in enumerate(request.people):
        try:
            scores.append(_score_person(rs, person))
        except ValueError as exc:
            errors.append(_rule_error(("people", index), data, exc))
    if errors:
        raise CalculatorError(errors)
    results = [_score_result(p, s, request.explain) for p, s in zip(request.people, scores, strict=True)]
    return {"rule_set": rs.id, "period": request.period, "results": results}


def _score_person(rs: RuleSet, person: ScorePersonIn) -> PeriodScore:
    lines = [
        TaskLine(coefficient=t.coefficient, quantity=t.quantity, completed=t.completed, errors=t.errors,
                 delays=t.delays, objective_cause=t.objective_cause, label=t.type)
        for t in person.tasks
    ]
    leader = None
    d1, d2, d3 = person.unit_result, person.organising, person.unity
    if person.role is Role.LEADER and d1 is not None and d2 is not None and d3 is not None:  # checked above
        leader = LeaderInputs(unit_result=d1, organising=d2, unity=d3)
    return rs.score_lines(role=person.role, general_points=person.general_points, lines=lines, leader=leader)


def _score_result(person: ScorePersonIn, score: PeriodScore, explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": person.id,
        "role": person.role.value,
        "quantity_pct": _number(score.quantity_pct),
        "quality_pct": _number(score.quality_pct),
        "timeliness_pct": _number(score.timeliness_pct),
        "task_points": _number(score.task_points),
        "general_points": _number(score.general_points),
        "total": _number(score.total),
        "no_work_reason": score.no_work_reason,
    }
    if explain:
        out["steps"] = _steps(score.steps)
    return out


# ---- classify -----------------------------------------------------------------------------------------------


def classify_request(data: Any) -> dict[str, Any]:
    """Annual levels for every person of a ``ClassifyRequest``; CalculatorError (nothing computed) if invalid."""
    request: ClassifyRequest = _validate(ClassifyRequest, data)
    rs = _rule_set("year", date(request.year, 1, 1), data)
    errors = _duplicate_ids(request.people, data)
    if errors:
        raise CalculatorError(errors)
    ratio = rs.params.excellent_ratio if request.excellent_ratio is None else request.excellent_ratio
    people = [
        AnnualInput(id=p.id, unit=p.unit, group=p.group, role=p.role, period_totals=tuple(p.period_totals),
                    discipline=p.discipline, degradation=p.degradation, unit_corruption=p.unit_corruption)
        for p in request.people
    ]
    try:
        results = rs.classify(people, ratio=ratio)
    except ValueError as exc:  # the rule set's own bounds (the schema's are those of the default parameters)
        raise CalculatorError([_rule_error((), data, exc)]) from None
    rows = [_classify_result(p, r, request.explain) for p, r in zip(people, results, strict=True)]
    return {"rule_set": rs.id, "year": request.year, "excellent_ratio": float(ratio), "results": rows,
            "groups": _groups(people, results)}


def _classify_result(person: AnnualInput, result: AnnualResult, explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "unit": person.unit,
        "group": person.group,
        "role": person.role.value,
        "annual_score": _number(result.annual_score),
        "level_by_score": _value(result.level_by_score),
        "override": _value(result.override),
        "override_reason": result.override.label_vi if result.override else None,
        "level": _value(result.level),
        "quota_demoted": result.quota_demoted,
        "quota_tie": result.quota_tie,
        "tie_seats": result.tie_seats,
    }
    if explain:
        out["steps"] = _steps(result.steps)
    return out


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else str(member.value)


def _groups(people: list[AnnualInput], results: list[AnnualResult]) -> list[dict[str, Any]]:
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    level_keys = {Level.EXCELLENT: "excellent", Level.GOOD: "good", Level.COMPLETED: "completed",
                  Level.NOT_COMPLETED: "not_completed"}
    for person, result in zip(people, results, strict=True):
        row = counts.setdefault((person.unit, person.group), {
            "unit": person.unit, "group": person.group, "excellent": 0, "good": 0, "completed": 0,
            "not_completed": 0, "unclassified": 0, "tied": 0, "tie_seats": 0,
        })
        row[level_keys[result.level] if result.level is not None else "unclassified"] += 1
        if result.quota_tie:
            row["tied"] += 1
            row["tie_seats"] = result.tie_seats
    return list(counts.values())


# ---- JSON in, schemas out -----------------------------------------------------------------------------------


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str | bytes, source: str = "input") -> Any:
    """Parse JSON keeping decimals exact (numbers → Decimal); CalculatorError naming line and column."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise CalculatorError([{
            "loc": "",
            "message": f"{source}: JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}",
            "message_en": f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
        }]) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CalculatorError([{"loc": "", "message": f"{source}: JSON không hợp lệ: {exc}",
                                "message_en": f"{source}: invalid JSON: {exc}"}]) from None


def _schema(model: type[BaseModel], name: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://congvu.local/schemas/{name}.schema.json",
        **body,
        "description": description,
    }


def json_schema_score() -> dict[str, Any]:
    """JSON Schema of the input of ``congvu kpi score`` / ``POST /api/v1/kpi/score``."""
    return _schema(ScoreRequest, "kpi-score", "Input of the KPI period-score calculator (Decree 335/2025, "
                   "rule set chosen by the period). See docs/kpi-calculators.md.")


def json_schema_classify() -> dict[str, Any]:
    """JSON Schema of the input of ``congvu kpi classify`` / ``POST /api/v1/kpi/classify``."""
    return _schema(ClassifyRequest, "kpi-classify", "Input of the KPI annual-classification calculator "
                   "(Decree 335/2025 Art 20, with the excellent quota). See docs/kpi-calculators.md.")


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "kpi-score.schema.json": json_schema_score,
    "kpi-classify.schema.json": json_schema_classify,
}


def schema_text(name: str, schemas: dict[str, Callable[[], dict[str, Any]]] | None = None) -> str:
    """One schema file's text as committed in docs/schemas/ (the drift tests compare against it)."""
    return json.dumps((schemas or SCHEMAS)[name](), indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: Path, schemas: dict[str, Callable[[], dict[str, Any]]] | None = None) -> list[Path]:
    written = []
    for name in schemas or SCHEMAS:
        path = directory / name
        path.write_text(schema_text(name, schemas), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m congvu.evaluation.calculator docs/schemas
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(path)
