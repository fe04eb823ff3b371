"""Persistence of the consequence lists ("có vào, có ra, có lên, có xuống") and of their decisions.

Business rules live in ``congvu.rules`` (tt08_2013, nd170_2025, nd154_2025, retirement_age, vacancies);
``lists.py`` gathers the facts and writes entries; ``decisions.py`` owns accept / reject / defer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.models import Person


class Circumstance(models.Model):
    """A dated fact about a person that the consequence rules need and the register does not otherwise hold
    (pregnancy, a child under 36 months, an investigation, a written recognition of outstanding achievement…).
    Recorded by HR through ``services.add_circumstance`` (audited)."""

    class Kind(models.TextChoices):
        PREGNANT = "pregnant", "Đang mang thai"
        CHILD_UNDER_36_MONTHS = "child_under_36m", "Nuôi con dưới 36 tháng tuổi"
        DISCIPLINARY_REVIEW = "disciplinary_review", "Đang bị xem xét kỷ luật"
        INVESTIGATION = "investigation", "Đang bị điều tra, truy tố, xét xử"
        REDUCED_RETIREMENT_AGE = "reduced_retirement_age", "Nghỉ hưu ở tuổi thấp hơn (Phụ lục II NĐ 135/2020)"
        BELOW_TRAINING_STANDARD = "below_training_standard", "Trình độ đào tạo chưa đạt chuẩn vị trí việc làm"
        REDUNDANT_RESTRUCTURING = "redundant_restructuring", "Dôi dư do sắp xếp tổ chức bộ máy"
        VOLUNTEER_STREAMLINING = "volunteer_streamlining", "Tự nguyện tinh giản biên chế"
        OUTSTANDING_ACHIEVEMENT = "outstanding_achievement", "Thành tích xuất sắc được công nhận bằng văn bản"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="circumstances")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    start_date = models.DateField(help_text="for a child under 36 months: the child's date of birth")
    end_date = models.DateField(null=True, blank=True, help_text="last day, inclusive; null while it lasts")
    decision_number = models.CharField(max_length=60, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["person_id", "-start_date"]
        indexes = [models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"


class PastRating(models.Model):
    """An annual rating from before the system (or from another system), imported by HR: the step-raise and
    streamlining rules look back several years. A published annual classification in the system wins."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="past_ratings")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=15)
    source = models.CharField(max_length=120, blank=True, help_text="decision or file the rating comes from")

    class Meta:
        ordering = ["person_id", "year"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="past_rating_one_per_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.level}"


class Kind(models.TextChoices):
    """The lists, by direction: vào (in), ra (out), lên (up), xuống (down)."""

    REVIEW = "review", "Xem xét bố trí vị trí thấp hơn hoặc cho thôi việc"
    HIGHER_POSITION = "higher_position", "Bố trí vị trí việc làm cao hơn"
    STEP_RAISE = "step_raise", "Nâng bậc lương thường xuyên"
    EARLY_RAISE = "early_raise", "Nâng bậc lương trước thời hạn"
    STREAMLINING = "streamlining", "Tinh giản biên chế"
    VACANCY = "vacancy", "Tuyển dụng vào vị trí còn thiếu"


DIRECTION = {
    Kind.VACANCY: "in",
    Kind.STREAMLINING: "out",
    Kind.HIGHER_POSITION: "up",
    Kind.STEP_RAISE: "up",
    Kind.EARLY_RAISE: "up",
    Kind.REVIEW: "down",
}


class Status(models.TextChoices):
    PENDING = "pending", "Chờ quyết định"
    ACCEPTED = "accepted", "Đã chấp nhận"
    REJECTED = "rejected", "Không chấp nhận"
    DEFERRED = "deferred", "Hoãn"


class ListRun(models.Model):
    """The consequence lists of one agency for one evaluation year (one row; re-running refreshes it)."""

    agency = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="consequence_runs")
    year = models.PositiveSmallIntegerField()
    annual_run = models.ForeignKey(
        "evaluation.AnnualRun", on_delete=models.PROTECT, related_name="+", help_text="the published classification"
    )
    as_of = models.DateField(help_text="day the streamlining estimates and retirement months are counted from")
    base_salary = models.PositiveIntegerField()
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    counts = models.JSONField(default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text="rule parameters used, for the record")

    class Meta:
        ordering = ["agency_id", "year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="consequence_run_one_per_year")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}"


class Entry(models.Model):
    """One line of one list, with the facts used and the rule applied (``evidence``)."""

    run = models.ForeignKey(ListRun, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=60, help_text="what makes the entry unique within its run and kind")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    in_quota = models.BooleanField(default=True, help_text="early raises: within the 10 % quota")
    rank = models.PositiveIntegerField(default=0, help_text="order within its list (or its vacancy)")
    due_date = models.DateField(null=True, blank=True, help_text="review deadline or raise date")
    effective_date = models.DateField(null=True, blank=True)
    new_step = models.PositiveSmallIntegerField(null=True, blank=True)
    new_coefficient = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(default=0, help_text="vacancies: seats to recruit for")
    monthly_cost = models.BigIntegerField(default=0, help_text="VND per month (raise) or monthly salary")
    year_cost = models.BigIntegerField(default=0, help_text="VND in the evaluation year's budget")
    benefit_vnd = models.BigIntegerField(default=0, help_text="streamlining: one-off benefit")
    summary = models.CharField(max_length=255, blank=True)
    evidence = models.JSONField(default=dict, help_text="facts, rule, article, explanation steps")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["run_id", "kind", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "kind", "key"], name="consequence_entry_unique")]
        indexes = [models.Index(fields=["run", "kind", "status"]), models.Index(fields=["person", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def direction(self) -> str:
        return DIRECTION[Kind(self.kind)]


class Decision(models.Model):
    """The decision drafted when an entry is accepted: numbered per agency and year, applied to the register
    once (``applied_at``) on or after its effective date."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="decision")
    agency = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=40, help_text="e.g. QĐ-SNV")
    signed_on = models.DateField()
    effective_date = models.DateField()
    title = models.CharField(max_length=255)
    content = models.JSONField(default=dict, help_text="the articles of the decision, as rendered")
    applied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="decision_number_unique"),
        ]
        indexes = [models.Index(fields=["applied_at", "effective_date"], condition=Q(applied_at__isnull=True), name="decision_to_apply")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.symbol}"
