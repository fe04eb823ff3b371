"""``congvu import_positions FILE --as USERNAME [--dry-run]``: import job positions, all or nothing."""

from congvu.personnel.io.importing import import_positions
from congvu.personnel.management.commands._transfer import ImportCommand, org_write_scope


class Command(ImportCommand):
    help = "Nhập danh mục vị trí việc làm và biên chế từ tệp .xlsx/.csv: có lỗi thì không ghi gì."
    what = "vị trí việc làm"
    importer = staticmethod(import_positions)
    scope_of = staticmethod(org_write_scope)
