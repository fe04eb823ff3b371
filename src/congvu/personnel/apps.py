from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "congvu.personnel"
    label = "personnel"
    verbose_name = "Hồ sơ cán bộ, công chức"
