"""Template helpers of the consequence pages: money in đồng, the streamlining path and cases."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from congvu.rules import nd154_2025
from congvu.web import consequences
from congvu.web.formats import EMPTY

register = template.Library()


@register.filter
def money(value: int | Decimal | str | None) -> str:
    """``1234567`` → ``1.234.567 ₫``."""
    return consequences.money(value)


@register.filter
def path_label(code: str | None) -> str:
    """``quit`` → ``Thôi việc ngay`` (Decree 154 paths), in the interface language."""
    if not code or code not in nd154_2025.Path.__members__.values():
        return EMPTY
    path = nd154_2025.Path(code)
    return path.label_en if get_language() == "en" else path.label_vi


@register.filter
def join_cases(cases: list[str] | None) -> str:
    return ", ".join(cases or []) or EMPTY


@register.filter
def level_vi(code: str) -> str:
    """``GOOD`` → ``Hoàn thành tốt nhiệm vụ`` (translated in English)."""
    return consequences.level_label(code)
