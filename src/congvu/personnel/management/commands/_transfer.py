"""What the six import/export commands share: who is acting, in which scope, how a report is printed."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import reduce
from operator import or_
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from congvu.access.access import scope_for, write_scope
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.personnel.io.report import ImportReport

Importer = Callable[..., ImportReport]


def acting_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Không có tài khoản đang hoạt động tên «{username}».")
    return user


def org_write_scope(user: User) -> Scope:
    return scope_for(user, Right.WRITE_ORG)


class ImportCommand(BaseCommand):
    """``congvu import_… FILE --as USERNAME [--dry-run] [--json]``; exits non-zero when the file has errors."""

    what = ""
    importer: Importer
    scope_of: Callable[[User], Scope] = staticmethod(write_scope)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
        parser.add_argument("--as", dest="username", required=True, help="tài khoản thực hiện (quyền theo tài khoản)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        parser.add_argument("--max-errors", type=int, default=200, help="số lỗi tối đa in ra (mặc định 200)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        user = acting_user(options["username"])
        scope = type(self).scope_of(user)
        if scope.empty:
            raise CommandError(f"Tài khoản «{user.username}» không có quyền ghi dữ liệu này ở đơn vị nào.")
        report = type(self).importer(path, filename=path.name, actor=user, scope=scope, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            print_report(self.stdout, report, self.what, options["max_errors"])
        if not report.ok:
            raise CommandError(f"{len(report.errors)} lỗi: không có gì được ghi.")


def print_report(out: IO[str] | Any, report: ImportReport, what: str, max_errors: int) -> None:
    if report.ok:
        verb = "Kiểm tra xong (chưa ghi)" if report.dry_run else "Đã nhập"
        out.write(f"{verb} {report.filename}: {report.rows} dòng {what}; tạo mới {report.created}, "
                  f"cập nhật {report.updated}, không đổi {report.unchanged}.")
    else:
        out.write(f"{report.filename}: {len(report.errors)} lỗi, không có gì được ghi.")
        out.write(f"{'Dòng':>6}  {'Cột':<32}  {'Giá trị':<24}  Lý do")
        for error in report.errors[:max_errors]:
            out.write(f"{error.row:>6}  {error.column[:32]:<32}  {error.value[:24]:<24}  {error.reason}")
        if len(report.errors) > max_errors:
            out.write(f"… và {len(report.errors) - max_errors} lỗi khác (dùng --max-errors hoặc --json để xem hết).")
    if report.decoded_legacy:
        cells = ", ".join(f"dòng {r} cột {c} ({enc.upper()})" for r, c, enc in report.decoded_legacy[:20])
        more = f" và {len(report.decoded_legacy) - 20} ô khác" if len(report.decoded_legacy) > 20 else ""
        out.write(f"Đã chuyển mã {len(report.decoded_legacy)} ô gõ bằng phông TCVN3/VNI: {cells}{more}.")
    if report.padded_ids:
        out.write(f"Đã thêm số 0 bị Excel bỏ ở đầu {len(report.padded_ids)} ô số định danh/mã.")
    for warning in report.warnings[:20]:
        out.write(f"Lưu ý dòng {warning.row} cột {warning.column}: {warning.reason}")
    if report.skipped_rows:
        out.write(f"Bỏ qua {len(report.skipped_rows)} dòng không phải dữ liệu (chữ ký, ghi chú): "
                  + ", ".join(map(str, report.skipped_rows[:20])) + ".")


class ExportCommand(BaseCommand):
    """``congvu export_… OUT.xlsx|OUT.csv --as USERNAME [--unit CODE]``."""

    what = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="tệp kết quả .xlsx hoặc .csv")
        parser.add_argument("--as", dest="username", required=True, help="tài khoản thực hiện (chỉ xuất dữ liệu được xem)")
        parser.add_argument("--unit", default="", help="chỉ đơn vị này và các đơn vị trực thuộc (mã hoặc tên)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError("Tệp kết quả phải có đuôi .xlsx hoặc .csv.")
        user = acting_user(options["username"])
        count = self.export(user, out, fmt, options["unit"])
        self.stdout.write(f"Đã xuất {count} {self.what} vào {out}.")

    def export(self, user: User, out: Path, fmt: str, unit: str) -> int:
        raise NotImplementedError


def unit_path(user: User, ref: str) -> str:
    """The subtree prefix of the unit named ``ref`` (code, name or "Cấp trên > Tên") that the user can see."""
    from congvu.access.access import units_visible
    from congvu.personnel.io.refs import UnitIndex

    visible = set(units_visible(user).values_list("id", flat=True))
    found = [u for u in UnitIndex.load().candidates(ref) if u.id in visible]
    if len(found) != 1:
        problem = "tên trùng nhau, hãy dùng mã đơn vị" if found else "không có trong phạm vi bạn được xem"
        raise CommandError(f"Đơn vị «{ref}»: {problem}.")
    return found[0].path


def in_scope(scope: Scope, field: str) -> Q:
    """Rows whose ``field`` (a materialised path) lies in ``scope``."""
    if scope.everything:
        return Q()
    if not scope.paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in scope.paths))
