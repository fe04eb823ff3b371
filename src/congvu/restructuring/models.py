"""Persistence of restructuring: plans of dated organisation events, what applying them changed (so the
change can be undone before its effective date), and the redeployment of the surplus.

The tree keeps its history by never editing a unit's place in it: an event closes the units it touches
(``valid_to`` = the day before the effective date) and opens successors (``valid_from`` = the effective
date), so the tree as of any earlier day is exactly what it was (decision record 0009). Rules live in
``congvu.rules.redeployment``; ``engine.py`` compiles and applies events, ``redeploy.py`` proposes and
decides redeployments.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from congvu.core.models import JobRun
from congvu.org.models import AdminArea, JobPosition, OrgUnit
from congvu.personnel.models import Employment, Person


class Plan(models.Model):
    """A batch of organisation events drafted together (phương án sắp xếp), e.g. a whole province.

    A draft changes nothing. Committing applies every event in one transaction. A committed plan can be
    undone, as a whole, while all its effective dates are still in the future. A ``recorded`` plan holds
    history entered as data (a reform applied before the system existed): it links old and new units for
    the reports and the lineage, and is never applied or undone.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        COMMITTED = "committed", "Đã quyết định"
        UNDONE = "undone", "Đã hủy bỏ"
        RECORDED = "recorded", "Ghi nhận lịch sử"

    name = models.CharField(max_length=255)
    scope_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+",
        help_text="the province or ministry whose HR office owns the plan; every unit it touches is inside",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class OrgEvent(models.Model):
    """One organisation event with its effective date and legal basis. ``spec`` holds the event's
    parameters as validated by ``congvu.restructuring.spec`` (sources, targets, mapping, quota decisions)."""

    class Kind(models.TextChoices):
        MERGE = "merge", "Sáp nhập, hợp nhất"
        SPLIT = "split", "Chia, tách"
        DISSOLVE = "dissolve", "Giải thể"
        RENAME = "rename", "Đổi tên"
        MOVE = "move", "Chuyển về đơn vị khác"
        LEVEL_CHANGE = "level_change", "Thay đổi cấp, loại đơn vị"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveSmallIntegerField(default=1, help_text="order of application within the plan")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    effective_date = models.DateField()
    decision_number = models.CharField(max_length=60, help_text="e.g. 1234/QĐ-UBND")
    decision_date = models.DateField()
    legal_basis = models.CharField(max_length=255, blank=True, help_text="e.g. Nghị quyết 202/2025/QH15")
    spec = models.JSONField(default=dict)
    summary = models.CharField(max_length=500, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "seq", "id"]
        indexes = [models.Index(fields=["effective_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y} ({self.decision_number})"


class UnitSuccession(models.Model):
    """Old unit → its successor under an event (many to one for a merger, one to many for a split).
    ``created``: the successor was opened by this event (undo deletes it); otherwise it existed before
    (a merger into an existing unit). ``old_valid_to`` is the old unit's ``valid_to`` before the event."""

    event = models.ForeignKey(OrgEvent, on_delete=models.CASCADE, related_name="unit_successions")
    old_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successions")
    new_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="predecessions", help_text="null: dissolved without successor")
    created = models.BooleanField(default=True)
    old_valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "old_unit", "new_unit"], name="unit_succession_unique")]

    def __str__(self) -> str:
        return f"{self.old_unit_id} → {self.new_unit_id or '—'}"


class PositionSuccession(models.Model):
    """Old job position → its successor, with the quota it carries. A new position's quota is the sum of
    what its predecessors carry unless a ``QuotaDecision`` of the same event says otherwise."""

    event = models.ForeignKey(OrgEvent, on_delete=models.CASCADE, related_name="position_successions")
    old_position = models.ForeignKey(JobPosition, on_delete=models.PROTECT, related_name="successions")
    new_position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="predecessions", help_text="null: the position is abolished")
    created = models.BooleanField(default=True)
    quota_carried = models.PositiveIntegerField(default=0)
    old_valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.old_position_id} → {self.new_position_id or '—'} ({self.quota_carried})"


class QuotaDecision(models.Model):
    """A quota the event sets differently from the sum carried over (or a position abolished with its
    quota): the only way quota may be gained or lost, always with a reason."""

    event = models.ForeignKey(OrgEvent, on_delete=models.CASCADE, related_name="quota_decisions")
    position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    carried = models.PositiveIntegerField()
    decided = models.PositiveIntegerField()
    reason = models.CharField(max_length=255)

    def __str__(self) -> str:
        return f"{self.carried} → {self.decided}: {self.reason}"


class EmploymentMove(models.Model):
    """A person moved by an event: the spell it ended and the spell it opened (same rank, step and
    allowances). ``old_end_date``/``old_end_reason`` are the ended spell's values before, for undo."""

    event = models.ForeignKey(OrgEvent, on_delete=models.CASCADE, related_name="moves")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    old_employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="+")
    new_employment = models.ForeignKey(Employment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_end_date = models.DateField(null=True, blank=True)
    old_end_reason = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_employment_id} → {self.new_employment_id or '—'}"


class AreaNeighbour(models.Model):
    """Two communes that share a border (symmetric: stored both ways). Loaded as reference data; the
    redeployment fit gives points for a neighbouring commune only where this table knows."""

    area = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "neighbour"], name="area_neighbour_unique")]

    def __str__(self) -> str:
        return f"{self.area_id} ~ {self.neighbour_id}"


class Preference(models.Model):
    """A person's stated wish to be redeployed to a unit (1 = first choice), recorded by HR."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redeployment_preferences")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(default=1)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["person_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["person", "unit"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.unit_id} ({self.rank})"


class RedeploymentRun(models.Model):
    """One optimisation of the surplus against the vacancies within a scope, as of a day."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang xem xét"
        CLOSED = "closed", "Đã đóng"

    scope_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    params = models.JSONField(default=dict, help_text="fit weights and solver settings used")
    figures = models.JSONField(default=dict, help_text="surplus, seats, feasible pairs, placed, left over, "
                                                       "objective, seconds")
    job = models.ForeignKey(JobRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scope_unit_id} {self.as_of:%d/%m/%Y}"


class Proposal(models.Model):
    """One surplus person and what the run proposes: a vacant position (``to_position``) or, when none
    fits, streamlining under Decree 154 (``to_position`` null, ``case_letter`` a/d/e, benefit in
    ``streamlining``). ``evidence`` holds why: the fit's parts with points, the constraints checked, the
    alternatives considered."""

    class Reason(models.TextChoices):
        UNIT_DISSOLVED = "unit_dissolved", "Đơn vị giải thể"
        POSITION_ABOLISHED = "position_abolished", "Vị trí việc làm không còn"
        OVER_QUOTA = "over_quota", "Vượt biên chế của vị trí sau sắp xếp"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xem xét"
        ACCEPTED = "accepted", "Chấp nhận"
        CHANGED = "changed", "Chấp nhận với vị trí khác"
        REJECTED = "rejected", "Không chấp nhận"

    run = models.ForeignKey(RedeploymentRun, on_delete=models.CASCADE, related_name="proposals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="redeployment_proposals")
    from_employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="+")
    from_position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    to_position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fit = models.IntegerField(default=0)
    case_letter = models.CharField(max_length=1, blank=True, help_text="Decree 154 Art 2(1) case for a leftover")
    streamlining = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_position = models.ForeignKey(JobPosition, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decision_number = models.CharField(max_length=60, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    new_employment = models.ForeignKey(Employment, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    class Meta:
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="proposal_one_per_person_and_run")]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_position_id or 'tinh giản'}"
