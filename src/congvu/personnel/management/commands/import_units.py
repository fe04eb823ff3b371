"""``congvu import_units FILE --as USERNAME [--dry-run]``: import units, all or nothing."""

from congvu.personnel.io.importing import import_units
from congvu.personnel.management.commands._transfer import ImportCommand, org_write_scope


class Command(ImportCommand):
    help = "Nhập danh sách cơ quan, đơn vị từ tệp .xlsx/.csv: có lỗi thì không ghi gì và liệt kê mọi ô sai."
    what = "đơn vị"
    importer = staticmethod(import_units)
    scope_of = staticmethod(org_write_scope)
