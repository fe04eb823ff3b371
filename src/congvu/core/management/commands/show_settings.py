"""``congvu show_settings``: every environment setting with its help text and current value."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from congvu.config import AppSettings

SECRET_NAMES = {"CONGVU_SECRET_KEY", "DATABASE_URL"}


class Command(BaseCommand):
    help = "List the environment settings, what each is for, and the value in force (secrets hidden)."

    def handle(self, *args: Any, **options: Any) -> None:
        app: AppSettings = settings.APP
        values = {name: getattr(app, f) for (name, _), f in zip(AppSettings.describe(), app.__dataclass_fields__, strict=True)}
        for name, help_text in AppSettings.describe():
            value = "••••" if name in SECRET_NAMES else values[name]
            self.stdout.write(f"{name:32} {value!s:40} {help_text}")
