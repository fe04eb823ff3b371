from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "congvu.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, xếp loại (Nghị định 335/2025)"
