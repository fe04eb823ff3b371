"""``congvu demo``: build a synthetic province with its people and demo logins, then serve the web app.

    congvu demo [--people 5000] [--seed 1] [--province 37] [--no-serve] [--port 8000] [--reset]

On an empty database it migrates, loads the reference data and builds; on a demo database built
before it only prints the logins and serves; ``--reset`` empties the database and builds again.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from congvu.demo.generate import BuildOptions, build_demo, demo_state, finish, last_build
from congvu.demo.population import reconcile_demo_line
from congvu.demo.users import create_demo_users, existing_logins, logins_table
from congvu.web.formats import vn_number


class Command(BaseCommand):
    help = "Tạo dữ liệu minh họa (một tỉnh, cán bộ, tài khoản theo vai trò) rồi chạy máy chủ web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=5000, help="số người (mặc định 5.000; tới 2.500.000)")
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu")
        parser.add_argument("--province", default="37", help="mã tỉnh mới (2 chữ số), mặc định 37 Ninh Bình")
        parser.add_argument("--no-serve", action="store_true", help="dựng xong thì dừng, không chạy máy chủ")
        parser.add_argument("--port", type=int, default=8000, help="cổng máy chủ web (127.0.0.1)")
        parser.add_argument("--reset", action="store_true", help="xóa toàn bộ CSDL demo và dựng lại")

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if not 1 <= people <= 2_500_000:
            raise CommandError("--people phải trong khoảng 1–2.500.000.")
        call_command("migrate", interactive=False, verbosity=0)
        state = demo_state()
        if options["reset"]:
            self._reset(state)
            state = "empty"
        if state == "partial":
            raise CommandError("Lần dựng dữ liệu minh họa trước chưa xong. Chạy lại với --reset.")
        if state == "foreign":
            raise CommandError("CSDL này đã có hồ sơ thật, không phải CSDL minh họa: hãy dùng một CSDL trống "
                               "(đặt DATABASE_URL hoặc CONGVU_DATA_DIR khác).")
        if state == "empty":
            logins = self._build(people, options["seed"], options["province"])
        else:
            job = last_build()
            seed = int(job.summary.get("seed", 1)) if job is not None else 1
            self.stdout.write(f"CSDL minh họa đã có sẵn (hạt giống {seed}); dùng --reset để dựng lại.")
            logins = existing_logins(seed)
        self.stdout.write("\n" + logins_table(logins) + "\n")
        if not options["no_serve"]:
            address = f"127.0.0.1:{options['port']}"
            self.stdout.write(f"Mở http://{address}/ và đăng nhập bằng một tài khoản ở trên. Ctrl+C để dừng.")
            call_command("runserver", address, use_reloader=False)

    def _reset(self, state: str) -> None:
        if settings.APP.env == "production":
            raise CommandError("Không được --reset trong môi trường production.")
        if state == "foreign":
            raise CommandError("CSDL này có hồ sơ thật, không phải CSDL minh họa: --reset sẽ không xóa nó.")
        self.stdout.write("Xóa dữ liệu cũ…")
        call_command("flush", interactive=False, verbosity=0)

    def _build(self, people: int, seed: int, province: str) -> list[Any]:
        started = time.perf_counter()
        self.stdout.write(f"Dựng dữ liệu minh họa: {vn_number(people)} người, tỉnh {province}, hạt giống {seed}…")
        with tqdm(total=people, unit=" người", disable=None, leave=False) as bar:
            result = build_demo(BuildOptions(people=people, seed=seed, provinces=(province,)), progress=bar.update)
        s = result.structure
        logins = create_demo_users(seed, s.demo_units, s.demo_positions)
        self.stdout.write(reconcile_demo_line(seed))  # population extract + a reconciliation run (issue 4)
        finish(result.job, {"users": [lg.username for lg in logins]})
        c = result.counts
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Xong trong {vn_number(elapsed, 1)} giây: {vn_number(c['units'])} đơn vị, "
            f"{vn_number(c['positions'])} vị trí việc làm, {vn_number(c.get('people', 0))} người, "
            f"{vn_number(c.get('employments', 0))} quá trình công tác, {vn_number(c.get('rewards', 0))} khen thưởng, "
            f"{vn_number(c.get('disciplines', 0))} kỷ luật, {vn_number(c.get('leaves', 0))} lần nghỉ."
        )
        evaluation = result.job.summary.get("evaluation")
        if evaluation:
            self.stdout.write(str(evaluation.get("note", "")))
        restructuring = result.job.summary.get("restructuring")
        if restructuring and "surplus" in restructuring:
            self.stdout.write(
                f"Sắp xếp tổ chức: sáp nhập 01/07/2025 đã ghi nhận, {restructuring.get('draft_plans', 0)} phương án "
                f"dự thảo; đề xuất bố trí lại {vn_number(restructuring['surplus'])} người dôi dư: "
                f"{vn_number(restructuring['placed'])} vào vị trí trống, {vn_number(restructuring['left_over'])} "
                f"thuộc diện tinh giản — chờ Phòng Tổ chức cán bộ xem xét tại /sap-xep/."
            )
        return logins
