from django.apps import AppConfig


class RestructuringConfig(AppConfig):
    name = "congvu.restructuring"
    label = "restructuring"
    verbose_name = "Sắp xếp tổ chức bộ máy và bố trí lại biên chế"
