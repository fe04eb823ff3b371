"""Template helpers of the reconciliation pages: the navigation link, labels of the engine's codes, rates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from congvu.access.access import mask_personal_id
from congvu.reconciliation import queries
from congvu.reconciliation.models import QueueState, ReconciliationRecord, Status
from congvu.web.formats import EMPTY, vn_number

register = template.Library()
PAGES = ("recon_runs", "recon_run", "recon_unit", "recon_record")


@register.simple_tag(takes_context=True)
def reconciliation_nav_item(context: dict[str, Any]) -> SafeString | str:
    """The "Đối soát dân cư" item of the main navigation, for users who may read reconciliation results."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or queries.read_scope(user).empty:
        return ""
    match = getattr(request, "resolver_match", None)
    current = ' aria-current="page"' if match is not None and match.url_name in PAGES else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', reverse("recon_runs"), SafeString(current),
                       _("Đối soát dân cư"))


@register.filter
def pct(value: Decimal | None) -> str:
    """``Decimal("97.5")`` → ``97,5 %``."""
    return EMPTY if value is None else f"{vn_number(value, 1)} %"


@register.filter
def status_label(value: str) -> str:
    return _(Status(value).label) if value in Status.values else value


@register.filter
def state_label(value: str) -> str:
    return _(QueueState(value).label) if value in QueueState.values else value


@register.filter
def differences_text(record: ReconciliationRecord) -> str:
    """``full_name:diacritics`` → ``Họ và tên: khác dấu``."""
    return "; ".join(f"{_(queries.FIELD_LABELS.get(f, f))}: {_(queries.DIFFERENCE_LABELS.get(k, k))}"
                     for f, k in record.difference_items)


@register.filter
def id_problems_text(record: ReconciliationRecord) -> str:
    return "; ".join(_(queries.ID_PROBLEM_LABELS.get(p, p)) for p in record.id_problems)


@register.filter
def personal_id_for(value: str, show: bool) -> str:
    """The ID in full for readers with READ_IDENTITY, else masked like everywhere else."""
    if not value:
        return EMPTY
    return value if show else mask_personal_id(value)


@register.filter
def probability(value: float | None) -> str:
    return EMPTY if value is None else f"{vn_number(Decimal(str(value)) * 100, 1)} %"
