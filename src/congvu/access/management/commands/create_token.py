"""``congvu create_token USERNAME [--name TEXT] [--days N]``: issue an API token and print it once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from congvu.access.tokens import create_token


class Command(BaseCommand):
    help = "Tạo mã truy cập API (Bearer) cho một người dùng. Mã chỉ hiển thị một lần."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="mục đích của mã, ví dụ 'báo cáo tháng'")
        parser.add_argument("--days", type=int, default=None, help="số ngày hiệu lực (mặc định: không hết hạn)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{options['username']}».")
        if not user.is_active:
            raise CommandError(f"Người dùng «{options['username']}» đang bị khóa.")
        days: int | None = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days phải là số nguyên dương.")
        expires = timezone.now() + dt.timedelta(days=days) if days is not None else None
        issued = create_token(None, user, name=options["name"], expires_at=expires)
        self.stderr.write("Mã truy cập (chỉ hiển thị lần này, hãy lưu lại ngay):")
        self.stdout.write(issued.token)
