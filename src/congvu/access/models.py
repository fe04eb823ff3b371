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


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 hash of the token is stored; the token itself is
    shown once, when it is created (see ``congvu.access.tokens``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="what the token is for, e.g. 'báo cáo tháng'")
    key_hash = models.CharField(max_length=64, unique=True, help_text="hex SHA-256 of the token")
    prefix = models.CharField(max_length=12, help_text="first characters of the token, to tell tokens apart")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
