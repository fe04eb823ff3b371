"""``congvu consequences …``: the consequence lists and the daily application of decisions.

    congvu consequences lists --agency ID --year 2026     the lists of one agency (classification published)
    congvu consequences lists --all --year 2026           every agency whose classification is published
    congvu consequences apply-due                         apply accepted decisions whose effective date has come
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.consequences import jobs
from congvu.consequences.lists import ListsError
from congvu.org.models import OrgUnit


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: «{text}» không phải ngày dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Danh sách sử dụng kết quả đánh giá (nâng lương, vị trí việc làm, tinh giản biên chế, tuyển dụng)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{lists,apply-due}")
        sub = actions.add_parser("lists", help="Lập (hoặc làm mới) các danh sách của năm.")
        which = sub.add_mutually_exclusive_group(required=True)
        which.add_argument("--agency", type=int, help="mã (id) đơn vị của cơ quan")
        which.add_argument("--all", action="store_true", help="mọi cơ quan đã công bố kết quả xếp loại năm")
        sub.add_argument("--year", type=int, required=True)
        sub.add_argument("--as-of", help="ngày tính tinh giản biên chế (mặc định 01/01 năm sau)")
        sub.add_argument("--workers", type=int, default=1,
                         help="với --all: số tiến trình song song (mặc định 1; bằng số nhân CPU là hợp lý)")
        actions.add_parser("apply-due", help="Áp dụng các quyết định đã đến ngày có hiệu lực.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        records = [jobs.apply_due(None)] if options["action"] == "apply-due" else self._lists(options)
        out = {"jobs": [r if isinstance(r, dict) else {"job": r.job, "scope": r.scope, "status": r.status, **r.summary}
                        for r in records],
               "seconds": round(time.perf_counter() - started, 2)}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _lists(self, options: dict[str, Any]) -> list[Any]:
        year, as_of = options["year"], _iso_date(options["as_of"]) if options.get("as_of") else None
        if options["all"]:
            if not jobs.agencies_published(year):
                raise CommandError(f"--year: chưa có cơ quan nào công bố kết quả xếp loại năm {year}.")
            made = jobs.make_all_lists(year, workers=max(1, options["workers"]), as_of=as_of)
            return [{"job": "consequences.lists", "scope": f"{s.pop('agency')}:{year}", "status": "done", **s}
                    for s in made]
        agency = OrgUnit.objects.filter(pk=options["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: không có đơn vị {options['agency']}.")
        try:
            return [jobs.make_lists(None, agency, year, as_of=as_of)]
        except ListsError as exc:
            raise CommandError(str(exc)) from None
