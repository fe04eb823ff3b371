"""How the pages write dates and numbers: dd/mm/yyyy and 1.234,5 whatever the interface language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from congvu.web.formats import parse_vn_date, vn_date, vn_datetime, vn_number


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (1234.5, None, "1.234,5"),
        (Decimal("1234.50"), None, "1.234,5"),
        (1234567, None, "1.234.567"),
        (0, None, "0"),
        (-2500, None, "-2.500"),
        (Decimal("4.68"), 2, "4,68"),
        (Decimal("0.1"), 2, "0,10"),
        (2340000, 0, "2.340.000"),
        (Decimal("99.995"), 2, "100,00"),
        (Decimal("0.125"), 2, "0,13"),  # half up, like the scores
        (Decimal("0.135"), 2, "0,14"),
        (None, None, "—"),
    ],
)
def test_numbers_group_thousands_with_dots_and_decimals_with_a_comma(value: object, decimals: int | None, shown: str) -> None:
    assert vn_number(value, decimals) == shown  # type: ignore[arg-type]


def test_dates_are_day_month_year_with_slashes_including_iso_strings_from_audit_entries() -> None:
    assert vn_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert vn_date("2025-07-01") == "01/07/2025"
    assert vn_date(None) == "—"


def test_datetimes_are_shown_in_vietnam_time() -> None:
    utc_evening = dt.datetime(2025, 6, 30, 20, 5, tzinfo=dt.UTC)
    assert vn_datetime(utc_evening) == "01/07/2025 03:05"


def test_typed_dates_are_read_day_first() -> None:
    assert parse_vn_date("01/07/2025") == dt.date(2025, 7, 1)
    assert parse_vn_date("2025-07-01") == dt.date(2025, 7, 1)
    assert parse_vn_date("31/02/2025") is None


def test_the_template_filters_use_the_same_formats() -> None:
    html = Template("{% load vn %}{{ d|vn_date }} {{ n|vn_number }} {{ c|vn_number:2 }}").render(
        Context({"d": dt.date(2026, 1, 15), "n": 1234.5, "c": Decimal("2.34")})
    )
    assert html == "15/01/2026 1.234,5 2,34"


def test_sorting_links_keep_the_other_filters_and_drop_the_page() -> None:
    request = RequestFactory().get("/can-bo/", {"q": "hà", "loai": "cadre", "trang": "3"})
    html = Template("{% load vn %}{% query_with sap_xep='-ten' trang=None %}").render(Context({"request": request}))
    assert html == "?loai=cadre&amp;q=h%C3%A0&amp;sap_xep=-ten"
