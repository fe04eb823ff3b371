"""Template filters for Vietnamese dates and numbers, and a tag to rebuild the query string."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

from congvu.web import formats
from congvu.web.history import ACTION_LABELS, OBJECT_LABELS

register = template.Library()
MASK_CHAR = "•"


@register.filter
def vn_date(value: dt.date | str | None) -> str:
    return formats.vn_date(value)


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    return formats.vn_datetime(value)


@register.filter
def vn_number(value: int | float | Decimal | str | None, decimals: int | str | None = None) -> str:
    places = None if decimals is None or decimals == "" else int(decimals)
    return formats.vn_number(value, places)


@register.filter
def absolute(value: int | Decimal | None) -> int | Decimal | None:
    if value is None:
        return None
    return -value if value < 0 else value


@register.filter
def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))


@register.filter
def object_label(object_type: str) -> str:
    return _(OBJECT_LABELS.get(object_type, object_type))


@register.filter
def shown(value: object) -> str:
    """A field value as the reader may see it: masked values say so to screen readers too."""
    if isinstance(value, str) and MASK_CHAR in value:
        return format_html('<span class="masked" title="{}">{}</span><span class="visually-hidden"> ({})</span>',
                           _("Đã ẩn: bạn không có quyền xem trường này"), value, _("đã ẩn"))
    if value is None or value == "":
        return formats.EMPTY
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return formats.vn_date(value)
    if isinstance(value, int | Decimal | float):
        return formats.vn_number(value)
    return str(value)


@register.filter
def tr(label: str) -> str:
    """A model choice label (Vietnamese) in the interface language; see congvu.web.choice_labels."""
    return _(label) if label else label


@register.filter
def actor(label: str) -> str:
    """Who made a change: jobs and scripts are recorded as "system"."""
    return _("Hệ thống") if label == "system" else label


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed (``None`` removes one), e.g. for sorting."""
    request: HttpRequest | None = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = urlencode(sorted((k, v) for k in params for v in params.getlist(k)))
    return f"?{encoded}" if encoded else "?"
