"""``congvu import_people FILE --as USERNAME [--dry-run]``: import people, all or nothing."""

from congvu.personnel.io.importing import import_people
from congvu.personnel.management.commands._transfer import ImportCommand


class Command(ImportCommand):
    help = "Nhập danh sách cán bộ, công chức từ tệp .xlsx/.csv: có lỗi thì không ghi gì và liệt kê mọi ô sai."
    what = "người"
    importer = staticmethod(import_people)
