"""Log filters that keep personal data out of logs.

Search terms are names (``/can-bo/?q=nguyen+thi+thu+ha``), so request lines are logged without their
query string.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


def strip_query(text: str) -> str:
    return _QUERY.sub("?…", text)


class DropQueryStrings(logging.Filter):
    """Remove query strings from request lines (Django's ``django.server`` and ``django.request`` logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        return True
