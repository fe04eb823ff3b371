"""Reconciliation runs against the national population database and the work queue they leave.

Persistence only: the engine is ``congvu.matching`` (no Django), the writes are in
``congvu.reconciliation.services``, the reads in ``congvu.reconciliation.queries``.

A run keeps one :class:`ReconciliationRecord` per register record that did not come out ``MATCHED``
(the queue) and one :class:`ReconciliationTally` per unit (how many records the run checked there and
how many matched at once). A national run checks ~2.5 million records of which ~95 % match at once, so
the matched ones are counted, not stored: the match rate of a unit is
``(matched + records resolved since) / total``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from congvu.core.models import JobRun
from congvu.org.models import OrgUnit
from congvu.personnel.models import Person


class Status(models.TextChoices):
    """The engine's verdict on one register record (contract of ``congvu.matching.pipeline``)."""

    MATCHED = "MATCHED", "Khớp hoàn toàn"
    MATCHED_WITH_DIFFERENCES = "MATCHED_WITH_DIFFERENCES", "Khớp số định danh, khác thông tin"
    MATCHED_BY_OLD_ID = "MATCHED_BY_OLD_ID", "Khớp qua số CMND cũ"
    MATCHED_PROBABILISTIC = "MATCHED_PROBABILISTIC", "Khớp theo xác suất (tự động)"
    PROBABLE = "PROBABLE", "Có thể khớp (cần xem xét)"
    NOT_FOUND = "NOT_FOUND", "Không tìm thấy"


class QueueState(models.TextChoices):
    """Where a record stands in the cleaning work."""

    OPEN = "open", "Chưa xử lý"
    ACCEPTED = "accepted", "Đã sửa theo CSDL dân cư"
    REJECTED = "rejected", "Không chấp nhận đề xuất"
    SENT_TO_UNIT = "sent_to_unit", "Đã chuyển đơn vị xử lý"
    FIXED = "fixed", "Đơn vị đã sửa"


#: States in which a record counts as clean for the match rate.
CLEAN_STATES = (QueueState.ACCEPTED, QueueState.FIXED)
#: States in which a record still needs work (the queue a unit receives).
PENDING_STATES = (QueueState.OPEN, QueueState.SENT_TO_UNIT)


class ReconciliationRun(models.Model):
    """One comparison of (a subtree of) the register with a population extract."""

    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    population_file = models.CharField(max_length=255, help_text="file name of the population extract (no folder)")
    dataset_version = models.CharField(max_length=120, blank=True, help_text="version of the population extract")
    population_rows = models.BigIntegerField(default=0)
    personnel_rows = models.PositiveIntegerField(default=0)
    scope_path = models.CharField(max_length=255, blank=True, db_index=True,
                                  help_text="org subtree checked (materialised path); empty: the whole register")
    scope_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(default=dict, blank=True, help_text="the engine's JSON summary")
    job = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"reconciliation#{self.pk} {self.started_at:%Y-%m-%d} {self.population_file}"


class ReconciliationRecord(models.Model):
    """A register record that did not match at once: the engine's evidence and the queue state."""

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="records")
    record_id = models.CharField(max_length=40, help_text="the engine's record id (Person.pk as text)")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person_version = models.PositiveIntegerField(default=0, help_text="Person.version when the run read it")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="the person's unit when the run read the register")
    org_path = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices)
    personal_id = models.CharField(max_length=20, blank=True, help_text="as in the register")
    matched_personal_id = models.CharField(max_length=20, blank=True, help_text="found or proposed by the engine")
    probability = models.FloatField(null=True, blank=True)
    differences = models.CharField(max_length=255, blank=True, help_text="field:kind;… (see docs/reconciliation.md)")
    id_problem = models.CharField(max_length=255, blank=True)
    duplicate_of = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True, help_text="the engine's explanation (Vietnamese)")
    pop_full_name = models.CharField(max_length=200, blank=True)
    pop_birth_date = models.CharField(max_length=10, blank=True, help_text="ISO date, or yyyy when only the year")
    pop_sex = models.CharField(max_length=1, blank=True)
    pop_old_id = models.CharField(max_length=12, blank=True)
    state = models.CharField(max_length=15, choices=QueueState.choices, default=QueueState.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="why it was accepted, rejected or sent to the unit")

    class Meta:
        ordering = ["run_id", "org_path", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "record_id"], name="reconrecord_run_record_unique")]
        indexes = [
            models.Index(fields=["run", "org_path"], name="reconrecord_run_path"),
            models.Index(fields=["run", "state", "org_path"], name="reconrecord_run_state_path"),
            models.Index(fields=["person"], name="reconrecord_person"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.record_id} {self.status} {self.state}"

    @property
    def difference_items(self) -> list[tuple[str, str]]:
        """``full_name:diacritics;birth_date:typo`` → ``[("full_name", "diacritics"), ("birth_date", "typo")]``."""
        items = []
        for part in self.differences.split(";"):
            name, _, kind = part.strip().partition(":")
            if name:
                items.append((name, kind))
        return items

    @property
    def id_problems(self) -> list[str]:
        return [p.strip() for p in self.id_problem.split(";") if p.strip()]


class ReconciliationTally(models.Model):
    """Per run and unit: records checked and records that matched at once (for the match rate)."""

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="tallies")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    org_path = models.CharField(max_length=255, blank=True)
    total = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run_id", "org_path"]
        indexes = [models.Index(fields=["run", "org_path"], name="recontally_run_path")]

    def __str__(self) -> str:
        return f"{self.run_id}@{self.unit_id}: {self.matched}/{self.total}"
