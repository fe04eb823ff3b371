"""``congvu reconcile_register --population FILE [--unit ID] [--as USERNAME] [--json]``: reconcile the register
with a population extract and load the cleaning queue (as the web page does, without a browser).

Without ``--as`` it runs as the system over the whole register (or ``--unit``'s subtree): an operator's
command. With ``--as`` it runs with that account's RECONCILE scope, as if the person had started it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.org.models import OrgUnit
from congvu.personnel.services import ServiceError
from congvu.reconciliation import queries
from congvu.reconciliation.services import run_reconciliation


def grouped(n: int) -> str:
    """12345 → 12.345 (Vietnamese digit grouping)."""
    return f"{n:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Đối soát CSDL cán bộ với tệp trích xuất CSDL dân cư rồi nạp hàng đợi làm sạch dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--population", type=Path, required=True,
                            help="tệp dữ liệu dân cư: .parquet, .csv hoặc .xml (QCVN 109)")
        parser.add_argument("--unit", type=int, help="chỉ đối soát đơn vị này và các đơn vị trực thuộc (mã số)")
        parser.add_argument("--as", dest="username", help="tài khoản thực hiện (mặc định: hệ thống, toàn bộ CSDL)")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["population"]
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        actor, scope = self._actor(options["username"])
        unit = None
        if options["unit"] is not None:
            unit = OrgUnit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã số {options['unit']}.")
        try:
            run = run_reconciliation(actor, path, scope, unit=unit, population_name=path.name)
        except ServiceError as exc:
            raise CommandError("; ".join(m for messages in exc.errors.values() for m in messages)) from exc
        rate = queries.rates_of_runs([run], Scope(paths=(), everything=True)).get(run.pk, queries.Rate())
        result = {"run": run.pk, "population_file": run.population_file, "dataset_version": run.dataset_version,
                  "checked": rate.total, "matched": rate.matched, "queued": rate.pending,
                  "match_rate": float(rate.initial_percent) if rate.initial_percent is not None else None,
                  "summary": run.summary}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return
        shown = "—" if rate.initial_percent is None else f"{rate.initial_percent}".replace(".", ",") + " %"
        self.stdout.write(f"Lần đối soát số {run.pk}: {grouped(rate.total)} hồ sơ, khớp ngay {grouped(rate.matched)} "
                          f"({shown}); {grouped(rate.pending)} hồ sơ vào hàng đợi làm sạch.")

    def _actor(self, username: str | None) -> tuple[User | None, Scope]:
        if not username:
            return None, Scope(paths=(), everything=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
        scope = scope_for(user, Right.RECONCILE)
        if scope.empty:
            raise CommandError(f"Tài khoản «{username}» không có quyền đối soát ở đơn vị nào.")
        return user, scope
