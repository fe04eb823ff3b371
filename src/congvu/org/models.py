"""Organisation units (a dated tree), administrative areas and job positions.

The tree is a materialised path: ``path`` is the parent's path plus this unit's id, zero-padded, and a
dot, so a subtree at any depth is one ``path LIKE 'prefix%'`` query on an index. Dates: ``valid_from``
is the first day a unit exists, ``valid_to`` the last day (inclusive); null means open-ended.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, F, Q, QuerySet

PATH_SEGMENT_WIDTH = 10


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}."


def active_on(day: dt.date, prefix: str = "") -> Q:
    """Rows valid on ``day`` (valid_from ≤ day ≤ valid_to, nulls open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class AdminArea(models.Model):
    """An administrative area (province or commune) for addresses: hometown, birthplace, ID prefix.

    Holds both the units in force since 01/07/2025 (2-digit province and 5-digit commune codes,
    Decision 19/2025/QĐ-TTg) and the 63 pre-2025 provinces (3-digit codes used in the personal ID).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh/thành phố"
        COMMUNE = "commune", "Xã/phường/đặc khu"

    code = models.CharField(max_length=5)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    division_type = models.CharField(max_length=40, help_text="tỉnh, thành phố trung ương, xã, phường, đặc khu")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=120, help_text="dataset and version the row came from")
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
        help_text="for a pre-2025 province: the 2025 province it was merged into (NQ 202/2025/QH15)",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="adminarea_level_code_unique")]
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrgUnitQuerySet(QuerySet["OrgUnit"]):
    def active_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(active_on(day))

    def subtree(self, path: str) -> OrgUnitQuerySet:
        return self.filter(path__startswith=path)


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        NATION = "nation", "Cấp quốc gia"
        MINISTRY = "ministry", "Bộ"
        MINISTERIAL_AGENCY = "ministerial_agency", "Cơ quan ngang bộ"
        GOVERNMENT_AGENCY = "government_agency", "Cơ quan thuộc Chính phủ"
        PROVINCE = "province", "Tỉnh/thành phố"
        PROVINCIAL_DEPARTMENT = "provincial_department", "Sở và tương đương"
        DEPARTMENT = "department", "Tổng cục/Cục/Vụ"
        SUB_DEPARTMENT = "sub_department", "Chi cục và tương đương"
        DIVISION = "division", "Phòng"
        DISTRICT = "district", "Huyện/quận/thị xã/thành phố thuộc tỉnh (đến 30/06/2025)"
        COMMUNE = "commune", "Xã/phường/đặc khu"
        PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp công lập"

    code = models.CharField(max_length=35, blank=True, help_text="official code: 2-digit province, 5-digit commune")
    agency_code = models.CharField(max_length=35, blank=True, help_text="electronic agency code per QĐ 20/2020/QĐ-TTg")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    area = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    legal_basis = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=120, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="orgunit_kind_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="orgunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def ancestors(self) -> QuerySet[OrgUnit]:
        ids = [int(s) for s in self.path.split(".") if s]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")


class JobPositionQuerySet(QuerySet["JobPosition"]):
    def with_filled(self, day: dt.date) -> JobPositionQuerySet:
        """Annotate ``filled`` (current employments on the day) and ``vacancies`` = quota − filled."""
        on_day = Q(employments__start_date__lte=day) & (
            Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=day)
        )
        return self.annotate(filled=Count("employments", filter=on_day)).annotate(
            vacancies=F("headcount_quota") - F("filled")
        )


class JobPosition(models.Model):
    """A job position (vị trí việc làm) in one unit with its staffing quota (biên chế)."""

    class Group(models.TextChoices):
        LEADERSHIP = "leadership", "Lãnh đạo, quản lý"
        PROFESSIONAL = "professional", "Chuyên môn, nghiệp vụ"
        SUPPORT = "support", "Hỗ trợ, phục vụ"

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=255)
    group = models.CharField(max_length=20, choices=Group.choices)
    rank = models.ForeignKey("Rank", null=True, blank=True, on_delete=models.PROTECT)
    headcount_quota = models.PositiveIntegerField(default=0)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    objects = JobPositionQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], condition=~Q(code=""), name="jobposition_unit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SalaryGroup(models.Model):
    """A salary table group of Decree 204/2004/NĐ-CP (A3.1 … C3), e.g. A1 for chuyên viên."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120)
    legal_basis = models.CharField(max_length=120, default="Nghị định 204/2004/NĐ-CP, Bảng 2")
    notes = models.TextField(blank=True, help_text="how sure we are of the figures, e.g. recalled, not re-verified")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SalaryStep(models.Model):
    """The coefficient of one step of a salary group, as dated data (tables change by decree)."""

    group = models.ForeignKey(SalaryGroup, on_delete=models.PROTECT, related_name="steps")
    step = models.PositiveSmallIntegerField()
    coefficient = models.DecimalField(max_digits=5, decimal_places=2)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "step", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["group", "step", "valid_from"], name="salarystep_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group.code} bậc {self.step}: {self.coefficient}"


class Rank(models.Model):
    """A civil-service rank (ngạch) or professional title (chức danh nghề nghiệp) with its salary group."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    salary_group = models.ForeignKey(SalaryGroup, on_delete=models.PROTECT, related_name="ranks")
    months_per_step = models.PositiveSmallIntegerField(
        default=36, help_text="holding period between regular step raises (Circular 08/2013 Art 2)"
    )
    legal_basis = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BaseSalary(models.Model):
    """Base salary (lương cơ sở) in VND per month from a date (e.g. 2,340,000 from 01/07/2024)."""

    amount = models.PositiveIntegerField()
    valid_from = models.DateField(unique=True)
    legal_basis = models.CharField(max_length=120)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.amount} từ {self.valid_from:%d/%m/%Y}"


class AllowanceType(models.Model):
    """A percentage allowance (phụ cấp theo %), e.g. công vụ 25 %, kept as reference data."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    default_pct = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    legal_basis = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True, help_text="what the percentage is applied to and how sure we are")

    def __str__(self) -> str:
        return self.name
