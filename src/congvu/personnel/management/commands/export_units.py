"""``congvu export_units OUT.xlsx --as USERNAME [--unit CODE]``: the units the user may see."""

from pathlib import Path

from django.contrib.auth.models import User

from congvu.access.access import units_visible
from congvu.personnel.io.exporting import export_units
from congvu.personnel.management.commands._transfer import ExportCommand, unit_path


class Command(ExportCommand):
    help = "Xuất danh sách cơ quan, đơn vị (đúng mẫu nhập lại được)."
    what = "đơn vị"

    def export(self, user: User, out: Path, fmt: str, unit: str) -> int:
        units = units_visible(user)
        if unit:
            units = units.filter(path__startswith=unit_path(user, unit))
        return export_units(units, out, fmt)
