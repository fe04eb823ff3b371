"""Persistence for Decree 335/2025 evaluation. Data and constraints only: the rules live in congvu.rules.nd335_2025.

A period result (``Sheet``) is one person's evaluation for one month or quarter of an agency; published
sheets are never edited: reopening makes a new version. The annual classification (``AnnualRun`` with one
``AnnualResult`` per person) is versioned the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.models import Person


class Frequency(models.TextChoices):
    MONTHLY = "month", "Hằng tháng"
    QUARTERLY = "quarter", "Hằng quý"


class AgencyScheme(models.Model):
    """How an agency evaluates its subtree: monthly or quarterly, and its quota ratio (Decree 335 Art 20(5))."""

    agency = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="evaluation_scheme")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    excellent_ratio = models.DecimalField(max_digits=4, decimal_places=2, default=0.20)
    exception_decision = models.CharField(
        max_length=120, blank=True, help_text="approval of a higher excellent ratio (Art 20(5)(b)); required above 0.20"
    )
    self_days = models.PositiveSmallIntegerField(default=5, help_text="days after the period end for self-assessment")
    manager_days = models.PositiveSmallIntegerField(default=10, help_text="days after the period end for the manager")
    approve_days = models.PositiveSmallIntegerField(default=15, help_text="days after the period end for approval")
    quota_by_division = models.BooleanField(
        default=False,
        help_text="apply the excellent quota in each division and group (true) or across the agency in each group "
        "(false, default: Art 20(5) names the agency, organisation or unit that classifies)",
    )

    def __str__(self) -> str:
        return f"{self.agency} ({self.frequency})"


class ProductType(models.Model):
    """A product/work type of a unit's catalogue with its conversion coefficient to the standard product (Art 13)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        APPROVED = "approved", "Đã phê duyệt"

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="product_types")
    position = models.ForeignKey(
        JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="product_types"
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=255)
    measure = models.CharField(max_length=40, blank=True, help_text="đơn vị tính, e.g. văn bản, hồ sơ")
    coefficient = models.DecimalField(max_digits=8, decimal_places=4)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "valid_from"], name="product_type_unique_code_from"),
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="product_type_coefficient_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} (×{self.coefficient})"


class Period(models.Model):
    """A month or quarter of an agency, with the rule set in force on its first day and the step deadlines."""

    class State(models.TextChoices):
        OPEN = "open", "Đang mở"
        CLOSED = "closed", "Đã đóng"

    agency = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="evaluation_periods")
    kind = models.CharField(max_length=10, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="month 1–12 or quarter 1–4")
    start = models.DateField()
    end = models.DateField()
    self_due = models.DateField()
    manager_due = models.DateField()
    approve_due = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    rule_set_id = models.CharField(max_length=40)

    class Meta:
        ordering = ["agency_id", "year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "number"], name="period_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == Frequency.MONTHLY:
            return f"{self.number:02d}/{self.year}"
        return f"Quý {self.number}/{self.year}"

    @property
    def code(self) -> str:
        """ISO-like code used by the API and the calculators: 2026-03 or 2026-Q1."""
        return f"{self.year}-{self.number:02d}" if self.kind == Frequency.MONTHLY else f"{self.year}-Q{self.number}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "Đang thực hiện"
    SELF_ASSESSED = "self_assessed", "Đã tự đánh giá"
    MANAGER_SCORED = "manager_scored", "Lãnh đạo đã chấm"
    APPROVED = "approved", "Đã phê duyệt"
    PUBLISHED = "published", "Đã công khai"


class EvalRole(models.TextChoices):
    STAFF = "staff", "Công chức"
    LEADER = "leader", "Lãnh đạo, quản lý"


class Sheet(models.Model):
    """One person's result for one period; one current version per (period, person)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="sheets")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="evaluation_sheets")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=EvalRole.choices, default=EvalRole.STAFF)
    group = models.CharField(max_length=80, blank=True, help_text="group of similar tasks for the quota (Art 20(5))")
    status = models.CharField(max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    reopen_reason = models.TextField(blank=True)
    worked = models.BooleanField(default=True, help_text="false when the whole period was legitimate leave")
    self_general = models.JSONField(default=dict, blank=True, help_text="{group code: points} by the civil servant")
    manager_general = models.JSONField(default=dict, blank=True, help_text="{group code: points} by the manager")
    general_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    organising = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    unity = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    unit_result = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # exact sums of the task lines (Σk·q, Σk·c', quality, timeliness), kept so a score can be explained
    assigned = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    done = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    quality = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    timely = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    quantity_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    quality_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    timeliness_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    task_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    no_work_reason = models.CharField(max_length=200, blank=True)
    rule_set_id = models.CharField(max_length=40, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    manager_scored_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period_id", "person_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "person", "version"], name="sheet_unique_version"),
            models.UniqueConstraint(
                fields=["period", "person"], condition=Q(is_current=True), name="sheet_one_current"
            ),
        ]
        indexes = [models.Index(fields=["person", "is_current"]), models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.period_id} v{self.version}"

    @property
    def locked(self) -> bool:
        return self.status == SheetStatus.PUBLISHED or not self.is_current


class TaskLine(models.Model):
    """An assigned (or proposed) product/work with quantity, completion and the manager's findings (Arts 13–14)."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="lines")
    product_type = models.ForeignKey(ProductType, null=True, blank=True, on_delete=models.PROTECT)
    label = models.CharField(max_length=255)
    coefficient = models.DecimalField(max_digits=8, decimal_places=4)
    quantity = models.DecimalField(max_digits=10, decimal_places=2)
    due_date = models.DateField(null=True, blank=True)
    completed = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    completed_on = models.DateField(null=True, blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    errors = models.PositiveSmallIntegerField(default=0, help_text="major content-error findings")
    delays = models.PositiveSmallIntegerField(default=0)
    objective_cause = models.BooleanField(default=False)
    objective_reason = models.TextField(blank=True)
    findings_note = models.TextField(blank=True)
    proposed_by_staff = models.BooleanField(default=False)
    accepted = models.BooleanField(default=True)

    class Meta:
        ordering = ["sheet_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(coefficient__gt=0), name="task_line_coefficient_positive"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="task_line_quantity_not_negative"),
            models.CheckConstraint(condition=Q(completed__gte=0), name="task_line_completed_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ×{self.coefficient}: {self.completed}/{self.quantity}"


class ConductFinding(models.Model):
    """A conclusion that forces "not completed" (Art 20(4)(b) degradation, (d) leader's unit corruption/waste)."""

    class Kind(models.TextChoices):
        DEGRADATION = "degradation", "Suy thoái tư tưởng chính trị, đạo đức, lối sống"
        UNIT_CORRUPTION = "unit_corruption", "Đơn vị phụ trách để xảy ra tham ô, tham nhũng, lãng phí"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="conduct_findings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    concluded_on = models.DateField()
    decision_number = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["person_id", "concluded_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.concluded_on}"


class AnnualStatus(models.TextChoices):
    COMPUTED = "computed", "Đã tính"
    OVERRIDES = "overrides", "Đã áp dụng trường hợp không hoàn thành"
    QUOTA = "quota", "Đã áp dụng tỷ lệ"
    HEAD_APPROVED = "head_approved", "Thủ trưởng đã phê duyệt"
    PUBLISHED = "published", "Đã công khai"
    COMPLAINT_WINDOW = "complaint_window", "Đang nhận kiến nghị"
    FINAL = "final", "Chính thức"


class AnnualRun(models.Model):
    """The annual classification of an agency for a year (Art 20, Art 21); one current version."""

    agency = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="annual_runs")
    year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=AnnualStatus.choices, default=AnnualStatus.COMPUTED)
    excellent_ratio = models.DecimalField(max_digits=4, decimal_places=2)
    rule_set_id = models.CharField(max_length=40)
    reopen_reason = models.TextField(blank=True)
    computed_at = models.DateTimeField()
    head_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    complaint_until = models.DateField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agency_id", "year", "version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "version"], name="annual_run_unique_version"),
            models.UniqueConstraint(
                fields=["agency", "year"], condition=Q(is_current=True), name="annual_run_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} v{self.version} {self.status}"

    @property
    def locked(self) -> bool:
        return self.status in {AnnualStatus.PUBLISHED, AnnualStatus.COMPLAINT_WINDOW, AnnualStatus.FINAL}


class Level(models.TextChoices):
    EXCELLENT = "EXCELLENT", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "GOOD", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "COMPLETED", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "NOT_COMPLETED", "Không hoàn thành nhiệm vụ"


class AnnualResult(models.Model):
    """One person's annual score and level, with the inputs that produced it."""

    run = models.ForeignKey(AnnualRun, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="annual_results")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    quota_unit = models.ForeignKey(
        OrgUnit, null=True, on_delete=models.PROTECT, related_name="+",
        help_text="where the excellent quota was applied: the agency, or the division (AgencyScheme.quota_by_division)",
    )
    group = models.CharField(max_length=80, blank=True)
    role = models.CharField(max_length=10, choices=EvalRole.choices)
    periods_worked = models.PositiveSmallIntegerField(default=0)
    score_sum_cp = models.BigIntegerField(default=0, help_text="sum of period totals in hundredths of a point")
    annual_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level_by_score = models.CharField(max_length=15, choices=Level.choices, blank=True)
    override = models.CharField(max_length=20, blank=True)
    quota_demoted = models.BooleanField(default=False)
    quota_tie = models.BooleanField(default=False)
    tie_promoted = models.BooleanField(default=False, help_text="the head gave a tied person a free seat")
    level = models.CharField(max_length=15, choices=Level.choices, blank=True)

    class Meta:
        ordering = ["run_id", "unit_id", "person_id"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="annual_result_unique_person")]
        indexes = [models.Index(fields=["run", "unit", "group"]), models.Index(fields=["run", "quota_unit", "group"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.annual_score} {self.level}"
