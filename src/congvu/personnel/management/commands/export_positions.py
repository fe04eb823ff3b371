"""``congvu export_positions OUT.xlsx --as USERNAME [--unit CODE]``: job positions of the units the user may see."""

from pathlib import Path

from django.contrib.auth.models import User

from congvu.access.access import units_visible
from congvu.org.models import JobPosition
from congvu.personnel.io.exporting import export_positions
from congvu.personnel.management.commands._transfer import ExportCommand, unit_path


class Command(ExportCommand):
    help = "Xuất danh mục vị trí việc làm và biên chế (đúng mẫu nhập lại được)."
    what = "vị trí việc làm"

    def export(self, user: User, out: Path, fmt: str, unit: str) -> int:
        units = units_visible(user)
        if unit:
            units = units.filter(path__startswith=unit_path(user, unit))
        return export_positions(JobPosition.objects.filter(unit__in=units), out, fmt)
