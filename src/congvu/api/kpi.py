"""``POST /kpi/score`` and ``POST /kpi/classify``: the KPI calculators (DESIGN.md §4) over HTTP.

Same input, output and errors as ``congvu kpi``: the body is read as JSON with exact decimals and handed to
:mod:`congvu.evaluation.calculator`; invalid input gets 422 ``{"errors": [{"loc", "message", "message_en"}]}``
(the calculators' error list, not the register's ``{field: [messages]}``), and nothing is computed.
Any caller (token or session) may use them: they read no stored data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from congvu.api.schemas import ErrorOut
from congvu.evaluation.calculator import (
    CalculatorError,
    CalculatorErrorsOut,
    ClassifyOut,
    ScoreOut,
    classify_request,
    json_schema_classify,
    json_schema_score,
    load_json,
    score_request,
)

router = Router(tags=["kpi"])


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema with its ``#/$defs/…`` references replaced by the definitions (OpenAPI would read
    them as references into its own document)."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            own = {k: walk(v) for k, v in node.items() if k not in {"$ref", "$defs", "$schema", "$id"}}
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return {**walk(defs[ref.removeprefix("#/$defs/")]), **own}  # the field's description wins
            return own
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


def request_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inline_refs(schema)}}}}


def run(request: HttpRequest, calculate: Callable[[Any], dict[str, Any]]) -> Status[dict[str, Any]]:
    try:
        return Status(200, calculate(load_json(request.body, "body")))
    except CalculatorError as exc:
        return Status(422, {"errors": exc.errors})


@router.post("/kpi/score", response={200: ScoreOut, 401: ErrorOut, 422: CalculatorErrorsOut},
             summary="KPI period scores (Decree 335/2025): same as `congvu kpi score`",
             openapi_extra=request_body(json_schema_score()), exclude_unset=True)
def kpi_score(request: HttpRequest) -> Status[dict[str, Any]]:
    return run(request, score_request)


@router.post("/kpi/classify", response={200: ClassifyOut, 401: ErrorOut, 422: CalculatorErrorsOut},
             summary="KPI annual classification with the excellent quota: same as `congvu kpi classify`",
             openapi_extra=request_body(json_schema_classify()), exclude_unset=True)
def kpi_classify(request: HttpRequest) -> Status[dict[str, Any]]:
    return run(request, classify_request)
