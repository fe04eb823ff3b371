"""Template helpers of the restructuring pages: the navigation link, the person page's section, and the
proposal's evidence (fit parts, constraints, alternatives, the streamlining benefit) in the interface language."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congvu.restructuring import access
from congvu.web.formats import EMPTY, vn_number

register = template.Library()
PAGES = ("rs_events", "rs_event", "rs_plans", "rs_plan", "rs_compare", "rs_runs", "rs_run", "rs_proposal",
         "rs_report")


@register.simple_tag(takes_context=True)
def restructuring_nav_item(context: dict[str, Any]) -> SafeString | str:
    """The "Sắp xếp tổ chức" item of the main navigation, for users who may read restructuring data."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not access.may_read_any(user):
        return ""
    match = getattr(request, "resolver_match", None)
    current = ' aria-current="page"' if match is not None and match.url_name in PAGES else ""
    return format_html('<li><a href="{}"{}>{}</a></li>', reverse("rs_events"), SafeString(current),
                       _("Sắp xếp tổ chức"))


@register.inclusion_tag("web/restructuring/_person_proposals.html", takes_context=True)
def person_proposals(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """The proposals about ``person`` that the viewer reads (the person themself, or READ_RESTRUCTURING)."""
    from congvu.web.restructuring import person_proposals as rows  # the view module imports this library

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"proposals": rows(user, person) if user is not None and user.is_authenticated else [],
            "request": request}


def _english() -> bool:
    return get_language() == "en"


@register.filter
def part_label(part: dict[str, Any]) -> str:
    return str(part.get("label_en" if _english() else "label_vi") or part.get("label_vi") or part.get("key", ""))


@register.filter
def constraint_text(item: Any) -> str:
    """A checked hard constraint: a message, or {label_vi, label_en, ok, detail}."""
    if not isinstance(item, dict):
        return str(item)
    label = item.get("label_en" if _english() else "label_vi") or item.get("label_vi") or item.get("key", "")
    ok = item.get("ok", item.get("passed"))
    mark = "" if ok is None else (" ✓" if ok else " ✗")
    detail = item.get("why") or item.get("detail") or item.get("basis") or ""
    return f"{label}{mark}" + (f": {detail}" if detail else "")


@register.filter
def alternative_text(item: Any) -> str:
    """An alternative considered: {position, unit, fit} or a message."""
    if not isinstance(item, dict):
        return str(item)
    name = item.get("position_name") or item.get("position") or ""
    unit = item.get("unit_name") or item.get("unit") or ""
    fit = item.get("fit")
    if isinstance(fit, dict):
        fit = fit.get("total")
    text = f"{name} ({unit})" if unit else str(name)
    return text + (f": {vn_number(fit)} " + _("điểm") if fit is not None else "")


@register.filter
def benefit(streamlining: dict[str, Any]) -> str:
    """The Decree 154 benefit estimate of a leftover: the amount and the path, or why the person is not yet
    streamlined (an exclusion), or why it could not be estimated."""
    if streamlining.get("error"):
        return str(streamlining["error"])
    if streamlining.get("not_yet"):
        return _("Chưa xem xét tinh giản: %(why)s") % {"why": streamlining.get("excluded_vi") or ""}
    amount = streamlining.get("benefit_vnd")
    if amount in (None, ""):
        return EMPTY
    path = streamlining.get("path_vi") or ""
    return f"{vn_number(amount)} ₫" + (f" ({_(path)})" if path else "")


@register.filter
def pair(a: Any, b: Any) -> list[Any]:
    """``{% for f in x|pair:y %}``: the two sides of a comparison in one loop."""
    return [a, b]
