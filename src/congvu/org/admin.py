"""Django admin for reference data and the org tree: read-only.

Reference tables are loaded by ``congvu load_reference`` and org units change through the services (which
write the audit entry), so the admin only lets a superuser look things up.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congvu.org.models import (
    AdminArea,
    AllowanceType,
    BaseSalary,
    JobPosition,
    OrgUnit,
    Rank,
    SalaryGroup,
    SalaryStep,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdminArea)
class AdminAreaAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "division_type", "parent", "successor", "valid_from", "valid_to")
    list_filter = ("level", "division_type")
    search_fields = ("code", "name")
    list_select_related = ("parent", "successor")
    list_per_page = 50


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "code", "agency_code", "depth", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code", "agency_code")
    list_per_page = 50


@admin.register(JobPosition)
class JobPositionAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "group", "rank", "headcount_quota", "valid_from", "valid_to")
    list_filter = ("group",)
    search_fields = ("name", "code", "unit__name")
    list_select_related = ("unit", "rank")


class SalaryStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SalaryStep
    extra = 0
    can_delete = False
    fields = ("step", "coefficient", "valid_from", "valid_to")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SalaryGroup)
class SalaryGroupAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "legal_basis")
    inlines = (SalaryStepInline,)


@admin.register(Rank)
class RankAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "salary_group", "months_per_step", "legal_basis")
    list_select_related = ("salary_group",)


@admin.register(BaseSalary)
class BaseSalaryAdmin(ReadOnlyAdmin):
    list_display = ("valid_from", "amount", "legal_basis")


@admin.register(AllowanceType)
class AllowanceTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "default_pct", "legal_basis")
