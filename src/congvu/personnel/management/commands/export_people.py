"""``congvu export_people OUT.xlsx --as USERNAME [--unit CODE]``: people the user may read, with IDs."""

from pathlib import Path

from django.contrib.auth.models import User

from congvu.access.access import people_visible, scope_for
from congvu.access.policy import Right
from congvu.personnel.io.exporting import export_people
from congvu.personnel.management.commands._transfer import ExportCommand, in_scope, unit_path


class Command(ExportCommand):
    help = ("Xuất danh sách cán bộ (đúng mẫu nhập lại được). Chỉ gồm người mà tài khoản được xem số định danh; "
            "các cột nhạy cảm chỉ có khi tài khoản được xem chúng ở mọi đơn vị xuất.")
    what = "người"

    def export(self, user: User, out: Path, fmt: str, unit: str) -> int:
        identity = scope_for(user, Right.READ_IDENTITY)
        people = people_visible(user).filter(in_scope(identity, "org_path"))
        if unit:
            people = people.filter(org_path__startswith=unit_path(user, unit))
        sensitive = scope_for(user, Right.READ_SENSITIVE)
        include = sensitive.everything or (not identity.everything and all(sensitive.covers(p) for p in identity.paths))
        return export_people(people, out, fmt, include_sensitive=include)
