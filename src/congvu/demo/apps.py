from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "congvu.demo"
    label = "demo"
    verbose_name = "Dữ liệu minh họa"
