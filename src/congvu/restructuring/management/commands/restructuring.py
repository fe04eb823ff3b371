"""``congvu restructuring …``: organisation events from the command line.

    congvu restructuring apply-due [--today YYYY-MM-DD]     switch the people of events whose date has come
    congvu restructuring commit PLAN_ID --actor USERNAME    commit a draft plan (the user's RESTRUCTURE scope)
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.restructuring import services


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: «{text}» không phải ngày dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Sắp xếp tổ chức: áp dụng các sự kiện đã đến ngày hiệu lực, quyết định một phương án."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{apply-due,commit}")
        due = actions.add_parser("apply-due", help="Chuyển đơn vị hiện tại của người được sắp xếp khi đến ngày hiệu lực.")
        due.add_argument("--today", help="ngày xét (mặc định hôm nay)")
        commit = actions.add_parser("commit", help="Quyết định (áp dụng) một phương án dự thảo.")
        commit.add_argument("plan_id", type=int)
        commit.add_argument("--actor", required=True, help="tên đăng nhập của người quyết định (cần quyền sắp xếp)")
        commit.add_argument("--today", help="ngày xét (mặc định hôm nay)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        today = _iso_date(options["today"]) if options.get("today") else timezone.localdate()
        if options["action"] == "apply-due":
            out: dict[str, Any] = {"events_applied": services.apply_due(today)}
        else:
            out = self._commit(options["plan_id"], options["actor"], today)
        out["seconds"] = round(time.perf_counter() - started, 2)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _commit(self, plan_id: int, username: str, today: dt.date) -> dict[str, Any]:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--actor: không có người dùng «{username}».")
        try:
            plan = services.commit_plan(user, scope_for(user, Right.RESTRUCTURE), plan_id, today=today)
        except services.RestructuringError as exc:
            raise CommandError("\n".join(f"{k}: {m}" for k, ms in exc.errors.items() for m in ms)) from None
        return {"plan": plan.pk, "status": plan.status, "events": plan.events.count()}
