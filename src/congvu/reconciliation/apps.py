from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "congvu.reconciliation"
    label = "reconciliation"
    verbose_name = "Đối soát với Cơ sở dữ liệu quốc gia về dân cư"
