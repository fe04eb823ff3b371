"""The /api/v1/ NinjaAPI object; each area adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Công vụ KPI API", version="1", urls_namespace="api-v1", docs_url="/docs")
