"""``congvu import_circumstances FILE --as USERNAME [--dry-run]``: all or nothing, every bad cell reported."""

from congvu.consequences.importing import import_circumstances, manage_scope
from congvu.personnel.management.commands._transfer import ImportCommand


class Command(ImportCommand):
    help = "Nhập hoàn cảnh, sự kiện (nuôi con dưới 36 tháng, dôi dư, tự nguyện…) từ .xlsx/.csv: có lỗi thì không ghi gì."
    what = "hoàn cảnh"
    importer = staticmethod(import_circumstances)
    scope_of = staticmethod(manage_scope)
