"""``congvu import_past_ratings FILE --as USERNAME [--dry-run]``: all or nothing, every bad cell reported."""

from congvu.consequences.importing import import_past_ratings, manage_scope
from congvu.personnel.management.commands._transfer import ImportCommand


class Command(ImportCommand):
    help = "Nhập kết quả xếp loại các năm trước (Số định danh cá nhân, Năm, Xếp loại, Căn cứ) từ .xlsx/.csv: có lỗi thì không ghi gì."
    what = "kết quả xếp loại"
    importer = staticmethod(import_past_ratings)
    scope_of = staticmethod(manage_scope)
