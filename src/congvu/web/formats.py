"""How dates and numbers look in the UI: dd/mm/yyyy and 1.234,5, whatever the interface language.

Kept apart from the template filters so that forms and views format the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
EMPTY = "—"


def vn_date(value: dt.date | str | None) -> str:
    """``date(2025, 7, 1)`` → ``01/07/2025``; ISO strings (as stored in audit entries) too."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        parsed = parse_iso(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        return vn_datetime(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: dt.datetime | None) -> str:
    """An aware datetime shown in the site's time zone: ``01/07/2025 14:05``."""
    if value is None:
        return EMPTY
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


def parse_iso(value: str) -> dt.date | None:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_vn_date(value: str) -> dt.date | None:
    """``01/07/2025`` (or ISO) → date; None when it is not a date."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def vn_number(value: int | float | Decimal | str | None, decimals: int | None = None) -> str:
    """``1234.5`` → ``1.234,5``: dot groups thousands, comma marks decimals.

    With ``decimals`` the value is rounded to that many places; without, whole numbers show none and
    others show what they have (at most 2 places, trailing zeros dropped).
    """
    if value is None or value == "":
        return EMPTY
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else min(2, _places(number))
        text = f"{number:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        # Half up, as the scores themselves are rounded (Python's default for Decimal is half even).
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
