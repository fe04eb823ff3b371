from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "congvu.access"
    label = "access"
    verbose_name = "Phân quyền"
