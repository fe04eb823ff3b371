"""``congvu evaluation …``: the evaluation jobs for operators (each recorded in JobRun, each idempotent).

    congvu evaluation open-year --agency ID --year 2026      periods of the year + sheets of every period
    congvu evaluation score --agency ID --period 2026-03     score the period set-based (manager-scored sheets)
    congvu evaluation close-year --agency ID --year 2026     annual classification (mean, overrides, quota)
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.evaluation import jobs
from congvu.evaluation.models import Frequency, Period
from congvu.org.models import OrgUnit
from congvu.personnel.services import ServiceError

PERIOD_CODE = re.compile(r"^(\d{4})-(?:(\d{2})|Q([1-4]))$")


class Command(BaseCommand):
    help = "Các tác vụ đánh giá theo Nghị định 335/2025: mở năm, chấm điểm kỳ, xếp loại năm."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{open-year,score,close-year}")
        for name, text in (("open-year", "Mở các kỳ của năm và tạo phiếu cho mọi người trong cơ quan."),
                           ("score", "Tính điểm một kỳ cho cả cơ quan (theo tập hợp, một giao dịch)."),
                           ("close-year", "Xếp loại năm: điểm bình quân, trường hợp không hoàn thành, tỷ lệ xuất sắc.")):
            sub = actions.add_parser(name, help=text, description=text)
            sub.add_argument("--agency", type=int, required=True, help="mã (id) đơn vị của cơ quan đánh giá")
            if name == "score":
                sub.add_argument("--period", required=True, help="kỳ: 2026-03 (tháng) hoặc 2026-Q1 (quý)")
            else:
                sub.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = OrgUnit.objects.filter(pk=options["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: không có đơn vị {options['agency']}.")
        started = time.perf_counter()
        try:
            records = self._dispatch(options["action"], agency, options)
        except ServiceError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())) from None
        out = {"jobs": [{"job": r.job, "scope": r.scope, "status": r.status, **r.summary} for r in records],
               "seconds": round(time.perf_counter() - started, 2)}
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _dispatch(self, action: str, agency: OrgUnit, options: dict[str, Any]) -> list[Any]:
        if action == "open-year":
            first = jobs.open_year(None, agency, options["year"])
            periods = Period.objects.filter(agency=agency, year=options["year"]).order_by("number")
            return [first, *(jobs.prepare_period(None, p) for p in periods)]
        if action == "score":
            return [jobs.score_period(None, _period(agency, options["period"]))]
        return [jobs.close_year(None, agency, options["year"])]


def _period(agency: OrgUnit, code: str) -> Period:
    match = PERIOD_CODE.match(code)
    if match is None:
        raise CommandError("--period: dạng 2026-03 (tháng) hoặc 2026-Q1 (quý).")
    year, month, quarter = match.groups()
    kind, number = (Frequency.MONTHLY, int(month)) if month else (Frequency.QUARTERLY, int(quarter))
    period = Period.objects.filter(agency=agency, year=int(year), kind=kind, number=number).first()
    if period is None:
        raise CommandError(f"--period: cơ quan chưa có kỳ {code}; chạy «congvu evaluation open-year» trước.")
    return period
