"""The streamlining calculator of DESIGN.md §4 (issue 5 item 5): JSON in, JSON out, no database.

``congvu streamlining estimate FILE.json`` and ``POST /api/v1/streamlining/estimate`` both call
:func:`estimate_request`, which runs :func:`congvu.rules.nd154_2025.estimate` (the same rules as the
consequence lists) for every person. It follows the KPI calculators (:mod:`congvu.evaluation.calculator`):
the input is checked whole before anything is computed, every problem is one ``{"loc", "message",
"message_en"}`` naming the person by index and id and the field (``people[2] (id "A3").sex``), and the
request and response models double as the JSON Schemas in ``docs/schemas/`` (``python -m
congvu.consequences.calculator docs/schemas`` rewrites them; a test fails when they drift).

Output: dates ISO, money as whole VND integers, ``benefit_months`` as a JSON number (a multiple of 0.25).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from congvu.evaluation import calculator as kpi_calculator
from congvu.evaluation.calculator import (
    CalculatorError,
    StepOut,
    _messages,
    load_json,
    loc_text,
)
from congvu.rules import nd154_2025
from congvu.rules.nd335_2025 import Level
from congvu.text import nfc

MAX_PEOPLE = 100_000
MAX_COEFFICIENT = Decimal(100)
MAX_PERCENT = Decimal(1_000)
MAX_INSURED_MONTHS = 1_200
MAX_SICK_DAYS = 366
MAX_BASE_SALARY = 1_000_000_000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
INPUT_ERROR = 2


# ---- input models -------------------------------------------------------------------------------------------


def _iso_date(value: Any) -> date:
    """Only an ISO date string (``"2026-07-01"``) is a date here: pydantic would also take a number of seconds."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "must be a date YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value


Coefficient = Annotated[Decimal, Field(ge=0, le=MAX_COEFFICIENT, decimal_places=4)]
Percent = Annotated[Decimal, Field(ge=0, le=MAX_PERCENT, decimal_places=2)]
SickDays = Annotated[int, Field(ge=0, le=MAX_SICK_DAYS, strict=True)]


class PersonIn(_In):
    """One civil servant's facts on ``as_of``."""

    model_config = ConfigDict(title="Person (streamlining)")

    id: str = Field(min_length=1, max_length=100, description="Any identifier, echoed in the result.")
    birth_date: IsoDate = Field(description="Date of birth, YYYY-MM-DD (only the year known: use YYYY-01-01).")
    sex: Literal["M", "F"] = Field(description="M or F: picks the retirement-age table of Decree 135/2020.")
    salary_coefficient: Coefficient = Field(description="Salary coefficient of the rank and step (e.g. 4.65).")
    position_allowance: Coefficient = Field(Decimal(0), description="Leadership-position allowance coefficient.")
    seniority_pct: Percent = Field(Decimal(0), description="Seniority-over-grade allowance, percent of the "
                                   "coefficient (thâm niên vượt khung).")
    percent_allowances: Percent = Field(Decimal(0), description="Allowances paid as a percentage of the salary "
                                        "(e.g. 25 for the public-service allowance).")
    insured_months: int = Field(ge=0, le=MAX_INSURED_MONTHS, strict=True,
                                description="Months of compulsory social insurance paid.")
    reduced_retirement_age: StrictBool = Field(False, description="Retirement age of Appendix II (5 years lower).")
    rating_previous_year: Level | None = Field(None, description="Decree 335 level of the previous year, or null.")
    rating_current_year: Level | None = Field(None, description="Decree 335 level of the year of review, or null.")
    sick_days_previous_year: SickDays = Field(0, description="Sick days in the previous year (BHXH-confirmed).")
    sick_days_current_year: SickDays = Field(0, description="Sick days in the year of review (BHXH-confirmed).")
    redundant_by_restructuring: StrictBool = Field(False, description="Case a: redundant by restructuring.")
    below_training_standard: StrictBool = Field(False, description="Case f: training below the position's standard.")
    pregnant_or_child_under_36_months: StrictBool = Field(
        False, description="Pregnant, on maternity leave or raising a child under 36 months (excluded unless "
                           "volunteer).")
    under_discipline_or_investigation: StrictBool = Field(
        False, description="Under disciplinary review, prosecution or inspection (excluded).")
    volunteer: StrictBool = Field(False, description="Volunteers for streamlining (lifts the pregnancy/child "
                                  "exclusion).")


class EstimateRequest(_In):
    """Input of ``congvu streamlining estimate`` and ``POST /api/v1/streamlining/estimate``."""

    model_config = ConfigDict(title="Streamlining estimate (Decree 154/2025): input")

    as_of: IsoDate = Field(description="Day the months to retirement are counted from, YYYY-MM-DD.",
                           examples=["2026-07-01"])
    base_salary: int = Field(gt=0, le=MAX_BASE_SALARY, strict=True,
                             description="Base salary (lương cơ sở) in whole VND a month, e.g. 2340000.")
    people: list[PersonIn] = Field(min_length=1, max_length=MAX_PEOPLE)


# ---- output models ------------------------------------------------------------------------------------------


class EstimateResultOut(BaseModel):
    model_config = ConfigDict(title="Person result (streamlining)")

    id: str
    eligible: bool = Field(description="In a case and not excluded.")
    cases: list[Literal["a", "f", "g", "h"]] = Field(description="Case letters of Decree 154/2025 Art 2(1).")
    excluded: Literal["pregnant_or_child_under_36_months", "under_discipline_or_investigation"] | None
    excluded_label: str | None = Field(description="The exclusion in Vietnamese.")
    retirement_date: date = Field(description="First day in retirement (Decree 135/2020).")
    months_to_retirement: int = Field(description="Whole months from as_of to retirement_date.")
    path: Literal["early_retirement", "quit"] | None
    path_reason: str | None = Field(description="Why this path, or why none: " + ", ".join(r.value for r in
                                                                                   nd154_2025.PathReason) + ".")
    path_reason_label: str | None = Field(description="path_reason in Vietnamese.")
    monthly_salary: int = Field(description="Current monthly salary, whole VND.")
    benefit_months: float = Field(description="Months of salary paid as the benefit; 0 without a path.")
    benefit_vnd: int = Field(description="monthly_salary × benefit_months, whole VND; 0 without a path.")
    breakdown: list[StepOut] = Field(description="Each step with its formula, numbers filled in, and article.")


class TotalsOut(BaseModel):
    people: int
    eligible: int
    benefit_vnd: int


class EstimateOut(BaseModel):
    model_config = ConfigDict(title="Streamlining estimate (Decree 154/2025): output")

    rule_set: str
    as_of: date
    base_salary: int
    results: list[EstimateResultOut]
    totals: TotalsOut


# ---- errors -------------------------------------------------------------------------------------------------

_OWN_MESSAGES: dict[str, tuple[str, str]] = {
    "iso_date": ("phải là ngày dạng YYYY-MM-DD", "must be a date YYYY-MM-DD"),
    "literal_error": ("phải là một trong: {expected}", "must be one of: {expected}"),
}


def _error(loc: tuple[str | int, ...], data: Any, message: str, message_en: str) -> dict[str, str]:
    return {"loc": loc_text(loc, data), "message": message, "message_en": message_en}


def _text(value: Any) -> Any:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


def _error_messages(error: dict[str, Any]) -> tuple[str, str]:
    own = _OWN_MESSAGES.get(str(error.get("type", "")))
    if own is not None:
        ctx = error.get("ctx") or {}
        expected = str(ctx.get("expected", ""))
        return own[0].format(expected=expected.replace(" or ", " hoặc ")), own[1].format(expected=expected)
    if isinstance((error.get("ctx") or {}).get("ge", (error.get("ctx") or {}).get("le")), date):
        ctx = {k: _text(v) for k, v in error["ctx"].items()}
        error = {**error, "ctx": ctx}
    return _messages(error)


def _validate(data: Any) -> EstimateRequest:
    try:
        return EstimateRequest.model_validate(data)
    except ValidationError as exc:
        errors = []
        for item in exc.errors():
            vi, en = _error_messages(dict(item))
            errors.append(_error(tuple(item["loc"]), data, vi, en))
        raise CalculatorError(errors) from None


def _cross_checks(request: EstimateRequest, data: Any) -> list[dict[str, str]]:
    """Duplicate ids, and births after ``as_of``."""
    seen: set[str] = set()
    out = []
    for index, person in enumerate(request.people):
        if person.id in seen:
            out.append(_error(("people", index, "id"), data, "mã bị trùng với một người ở trên", "duplicate id"))
        seen.add(person.id)
        if person.birth_date >= request.as_of:
            out.append(_error(("people", index, "birth_date"), data,
                              f"phải trước ngày tính as_of ({request.as_of:%d/%m/%Y})",
                              f"must be before as_of ({request.as_of.isoformat()})"))
    return out


# ---- compute ------------------------------------------------------------------------------------------------


def _rule_input(person: PersonIn) -> nd154_2025.StreamliningInput:
    return nd154_2025.StreamliningInput(
        id=person.id,
        birth_date=person.birth_date,
        sex=person.sex,
        salary_coefficient=person.salary_coefficient,
        position_allowance=person.position_allowance,
        seniority_pct=person.seniority_pct,
        percent_allowances=person.percent_allowances,
        insured_months=person.insured_months,
        reduced_retirement_age=person.reduced_retirement_age,
        rating_previous_year=None if person.rating_previous_year is None else person.rating_previous_year.value,
        rating_current_year=None if person.rating_current_year is None else person.rating_current_year.value,
        sick_days_previous_year=person.sick_days_previous_year,
        sick_days_current_year=person.sick_days_current_year,
        redundant_by_restructuring=person.redundant_by_restructuring,
        below_training_standard=person.below_training_standard,
        pregnant_or_child_under_36_months=person.pregnant_or_child_under_36_months,
        under_discipline_or_investigation=person.under_discipline_or_investigation,
        volunteer=person.volunteer,
    )


def _result(estimate: nd154_2025.Estimate) -> dict[str, Any]:
    excluded = None if estimate.excluded is None else nd154_2025.Exclusion(estimate.excluded)
    reason = None if estimate.path_reason is None else nd154_2025.PathReason(estimate.path_reason)
    return {
        "id": estimate.id,
        "eligible": estimate.eligible,
        "cases": list(estimate.cases),
        "excluded": estimate.excluded,
        "excluded_label": None if excluded is None else excluded.label_vi,
        "retirement_date": estimate.retirement_date.isoformat(),
        "months_to_retirement": estimate.months_to_retirement,
        "path": estimate.path,
        "path_reason": estimate.path_reason,
        "path_reason_label": None if reason is None else reason.label_vi,
        "monthly_salary": int(estimate.monthly_salary),
        "benefit_months": _json_number(estimate.benefit_months),
        "benefit_vnd": int(estimate.benefit_vnd),
        "breakdown": [asdict(step) for step in estimate.breakdown],
    }


def _json_number(value: Decimal) -> int | float:
    """18.5 → 18.5, 5 → 5: benefit months are multiples of 0.25, exact as binary floats."""
    return int(value) if value == value.to_integral_value() else float(value)


def estimate_request(data: Any) -> dict[str, Any]:
    """Estimates for every person of an ``EstimateRequest``; CalculatorError (nothing computed) if invalid."""
    request = _validate(data)
    errors = _cross_checks(request, data)
    if errors:
        raise CalculatorError(errors)
    estimates = []
    for index, person in enumerate(request.people):
        try:
            estimates.append(nd154_2025.estimate(_rule_input(person), request.as_of, request.base_salary))
        except ValueError as exc:  # the rule's own checks; the models above should have caught it first
            field_name, _, why = str(exc).partition(": ")
            errors.append(_error(("people", index, field_name), data, f"giá trị không hợp lệ: {why}", why))
    if errors:
        raise CalculatorError(errors)
    results = [_result(e) for e in estimates]
    return {
        "rule_set": nd154_2025.RULE_SET_ID,
        "as_of": request.as_of.isoformat(),
        "base_salary": request.base_salary,
        "results": results,
        "totals": {
            "people": len(results),
            "eligible": sum(1 for e in estimates if e.eligible),
            "benefit_vnd": int(sum((e.benefit_vnd for e in estimates), Decimal(0))),
        },
    }


# ---- command line -------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="congvu streamlining", description="Ước tính tinh giản biên chế theo "
                                     "Nghị định 154/2025 (tuổi nghỉ hưu theo Nghị định 135/2020).")
    actions = parser.add_subparsers(dest="action", required=True, metavar="{estimate}")
    text = "Trường hợp, loại trừ, chế độ (nghỉ hưu trước tuổi / thôi việc) và tiền trợ cấp của từng người."
    sub = actions.add_parser("estimate", help=text, description=text)
    sub.add_argument("file", help="tệp JSON đầu vào (xem docs/schemas/), hoặc - để đọc từ stdin")
    sub.add_argument("--indent", type=int, default=2, help="số khoảng trắng thụt dòng (0: một dòng)")
    return parser


def run_cli(argv: list[str], stdin: IO[Any] | None = None, stdout: IO[str] | None = None,
            stderr: IO[str] | None = None) -> int:
    """``congvu streamlining estimate FILE.json``: JSON to ``stdout`` and 0, or one line per problem to
    ``stderr``, nothing to ``stdout`` and 2. Argument errors exit 2 too (argparse)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    options = _parser().parse_args(argv)
    source: str = options.file
    try:
        text = _read(source, stdin)
        result = estimate_request(load_json(text, "stdin" if source == "-" else source))
    except CalculatorError as exc:
        lines = [f"  {e['loc']}: {e['message']}" if e["loc"] else f"  {e['message']}" for e in exc.errors]
        stderr.write(f"Dữ liệu vào không hợp lệ ({len(exc.errors)} lỗi), chưa tính gì:\n" + "\n".join(lines) + "\n")
        return INPUT_ERROR
    stdout.write(json.dumps(result, ensure_ascii=False, indent=options.indent or None) + "\n")
    return 0


def _read(source: str, stdin: IO[Any]) -> str | bytes:
    if source == "-":
        data: str | bytes = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        return data
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise CalculatorError([{"loc": "", "message": f"Không đọc được tệp «{source}»: {why}",
                                "message_en": f"cannot read {source}: {why}"}]) from None


# ---- schemas ------------------------------------------------------------------------------------------------


def _schema(model: type[BaseModel], name: str, description: str, mode: Literal["validation", "serialization"],
            ) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://congvu.local/schemas/{name}.schema.json",
        **model.model_json_schema(mode=mode),
        "description": description,
    }


def json_schema_request() -> dict[str, Any]:
    """JSON Schema of the input of ``congvu streamlining estimate`` / ``POST /api/v1/streamlining/estimate``."""
    return _schema(EstimateRequest, "streamlining-estimate.request", "Input of the streamlining calculator "
                   "(Decree 154/2025, retirement ages of Decree 135/2020). See docs/streamlining-calculator.md.",
                   "validation")


def json_schema_response() -> dict[str, Any]:
    """JSON Schema of the result of ``congvu streamlining estimate`` / ``POST /api/v1/streamlining/estimate``."""
    return _schema(EstimateOut, "streamlining-estimate.response", "Result of the streamlining calculator "
                   "(Decree 154/2025). See docs/streamlining-calculator.md.", "serialization")


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "streamlining-estimate.request.schema.json": json_schema_request,
    "streamlining-estimate.response.schema.json": json_schema_response,
}


def schema_text(name: str) -> str:
    return kpi_calculator.schema_text(name, SCHEMAS)


if __name__ == "__main__":  # python -m congvu.consequences.calculator docs/schemas
    for path in kpi_calculator.write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas"), SCHEMAS):
        print(path)
