"""Role assignments: a user holds a role over one org subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from congvu.org.models import OrgUnit


class Role(models.TextChoices):
    STAFF = "staff", "Công chức"
    MANAGER = "manager", "Lãnh đạo phòng"
    HEAD = "head", "Thủ trưởng"
    HR = "hr", "Tổ chức cán bộ"
    INSPECTOR = "inspector", "Thanh tra (chỉ xem)"
    ADMIN = "admin", "Quản trị"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="roleassignment_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.unit_id}"
