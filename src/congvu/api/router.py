"""The /api/v1/ NinjaAPI object; each area adds its router here.

Every endpoint needs a caller (Bearer token or browser session, see ``congvu.api.auth``); the OpenAPI
document (/api/v1/openapi.json) and its viewer (/api/v1/docs) are public, as they hold no data.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from congvu.api import errors, people, positions, records, units
from congvu.api.auth import API_AUTH

DESCRIPTION = """\
Công vụ KPI REST API. Authenticate with `Authorization: Bearer <token>` (create one with
`congvu create_token USERNAME`) or, from the app's own pages, with the session cookie plus the
`X-CSRFToken` header on writes. Lists take `limit`/`offset` and return `total`. Dates are ISO 8601.
Errors: `{"detail": "…"}` for 401/403/404, `{"errors": {"field": ["…"]}}` for 409/422.
"""


class Utf8JSONRenderer(JSONRenderer):
    """UTF-8 JSON (charset in the Content-Type), so Vietnamese text reads as itself, not as \\u escapes."""

    json_dumps_params: dict[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="Công vụ KPI API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url="/docs",
    auth=API_AUTH,
    renderer=Utf8JSONRenderer(),
)
errors.install(api)
api.add_router("", units.router)
api.add_router("", positions.router)
api.add_router("", people.router)
api.add_router("", records.router)
api.add_router("", "congvu.api.kpi.router")  # KPI calculators (issue 3, item 9)
api.add_router("", "congvu.api.streamlining.router")  # streamlining calculator (issue 5, item 5)
api.add_router("", "congvu.api.reconciliation.router")  # reconciliation runs and queue (issue 4, item 5)
api.add_router("", "congvu.api.consequences.router")  # consequence lists and decisions (issue 5)
api.add_router("", "congvu.api.evaluation.router")  # evaluation periods, sheets, annual results (issue 3, items 7–8)
api.add_router("", "congvu.api.restructuring.router")  # org events, plans, redeployment, reports (issue 6)
