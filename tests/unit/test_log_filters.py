"""Personal data stays out of logs."""

from __future__ import annotations

import logging

import pytest

from congvu.core.logging import DropQueryStrings, strip_query


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /can-bo/?q=nguyen+thi+thu+ha HTTP/1.1", "GET /can-bo/?… HTTP/1.1"),
        ("GET /can-bo/571/ HTTP/1.1", "GET /can-bo/571/ HTTP/1.1"),
        ('"GET /api/v1/people?q=tran&limit=5 HTTP/1.1" 200', '"GET /api/v1/people?… HTTP/1.1" 200'),
    ],
)
def test_request_lines_lose_their_query_string(line: str, expected: str) -> None:
    assert strip_query(line) == expected


def test_the_server_log_filter_rewrites_the_request_line_argument() -> None:
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s', ("GET /can-bo/?q=le+van+a HTTP/1.1", "200", "10"), None
    )
    assert DropQueryStrings().filter(record)
    assert "le+van" not in record.getMessage()
    assert record.getMessage() == '"GET /can-bo/?… HTTP/1.1" 200 10'
