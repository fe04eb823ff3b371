"""``POST /streamlining/estimate``: the streamlining calculator (DESIGN.md §4, issue 5 item 5) over HTTP.

Same input, output and errors as ``congvu streamlining estimate``: the body is read as JSON with exact
decimals and handed to :mod:`congvu.consequences.calculator`; invalid input gets 422 ``{"errors": [{"loc",
"message", "message_en"}]}`` and nothing is computed. Any caller (token or session) may use it, like the KPI
calculators: it reads no stored data.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from congvu.api.kpi import request_body
from congvu.api.schemas import ErrorOut
from congvu.consequences.calculator import EstimateOut, estimate_request, json_schema_request
from congvu.evaluation.calculator import CalculatorError, CalculatorErrorsOut, load_json

router = Router(tags=["streamlining"])


@router.post("/streamlining/estimate", response={200: EstimateOut, 401: ErrorOut, 422: CalculatorErrorsOut},
             summary="Streamlining estimate (Decree 154/2025): same as `congvu streamlining estimate`",
             openapi_extra=request_body(json_schema_request()), exclude_unset=True)
def streamlining_estimate(request: HttpRequest) -> Status[dict[str, Any]]:
    try:
        return Status(200, estimate_request(load_json(request.body, "body")))
    except CalculatorError as exc:
        return Status(422, {"errors": exc.errors})
