"""``congvu load_reference``: load (or refresh) the reference data; safe to run any number of times."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from congvu.org.reference import dataset_version, load_all

LABELS = {
    "provinces": "Tỉnh/thành phố (từ 01/07/2025)",
    "communes": "Xã/phường/đặc khu",
    "pre_2025_provinces": "Tỉnh/thành phố trước 01/07/2025",
    "central_agencies": "Bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
    "salary_groups": "Nhóm ngạch lương",
    "salary_steps": "Bậc lương",
    "ranks": "Ngạch công chức",
    "base_salaries": "Mức lương cơ sở",
    "allowance_types": "Loại phụ cấp theo %",
    "created": "Dòng tạo mới lần này",
    "updated": "Dòng cập nhật lần này",
}


class Command(BaseCommand):
    help = "Nạp dữ liệu danh mục: đơn vị hành chính, cơ quan trung ương, bảng lương, lương cơ sở, phụ cấp."

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        result = load_all(verbosity, out=self.stdout)
        self.stdout.write(f"Đơn vị hành chính: {dataset_version()}")
        for key, value in result.items():
            number = f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
            self.stdout.write(f"{LABELS.get(key, key):48} {number:>7}")
