"""Django admin for reference data and the org tree.

Org units, areas and positions change through the services (which write the audit entry), so they are
read-only here. Dated pay tables (base salary, salary steps, ranks, allowances) change by decree: a
superuser may add or correct rows here, never delete them, and every save writes an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from congvu.core import audit
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


class AuditedReferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Add and change allowed for superusers (a new base salary, a corrected coefficient); no delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        old, new = audit.changed(before, audit.snapshot(obj))
        audit.record(request.user, "update" if change else "create", obj, before=old or None, after=new,
                     reason="Django admin")


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

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(SalaryGroup)
class SalaryGroupAdmin(AuditedReferenceAdmin):
    list_display = ("code", "name", "legal_basis")
    inlines = (SalaryStepInline,)


@admin.register(Rank)
class RankAdmin(AuditedReferenceAdmin):
    list_display = ("code", "name", "salary_group", "months_per_step", "legal_basis")
    list_select_related = ("salary_group",)


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedReferenceAdmin):
    list_display = ("valid_from", "amount", "legal_basis")


@admin.register(AllowanceType)
class AllowanceTypeAdmin(AuditedReferenceAdmin):
    list_display = ("code", "name", "default_pct", "legal_basis")
