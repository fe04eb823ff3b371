from django.apps import AppConfig


class ConsequencesConfig(AppConfig):
    name = "congvu.consequences"
    label = "consequences"
    verbose_name = "Sử dụng kết quả đánh giá: vào, ra, lên, xuống"
