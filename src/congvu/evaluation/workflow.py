"""Period workflow of a unit: approve, publish, reopen; and the overdue steps each role should see.

draft → self-assessed → manager-scored → approved → published. Approving scores the unit's subtree
set-based first, so the head approves the numbers the rule set produced. Published sheets are locked; the
head may reopen one with a reason, which creates a new version (the published one stays as it was).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from congvu.core import audit
from congvu.core.types import Actor
from congvu.evaluation import scoring
from congvu.evaluation.models import Period, Sheet, SheetStatus, TaskLine
from congvu.org.models import OrgUnit
from congvu.personnel.services import ServiceError


def unit_sheets(period: Period, unit: OrgUnit) -> QuerySet[Sheet]:
    return Sheet.objects.filter(period=period, is_current=True, unit__path__startswith=unit.path)


@transaction.atomic
def approve(actor: Actor, period: Period, unit: OrgUnit) -> int:
    """Score the subtree, then approve every manager-scored sheet in it (Art 16–17: the head concludes)."""
    summary = scoring.score_period(actor, period, unit)
    now = timezone.now()
    sheets = unit_sheets(period, unit).filter(status=SheetStatus.MANAGER_SCORED)
    count = sheets.update(status=SheetStatus.APPROVED, approved_at=now)
    # A whole period of legitimate leave has nothing to score (Art 21): it is approved as it stands.
    count += unit_sheets(period, unit).filter(worked=False).exclude(
        status__in=[SheetStatus.APPROVED, SheetStatus.PUBLISHED]
    ).update(status=SheetStatus.APPROVED, approved_at=now)
    audit.record(actor, "evaluation.approve", period, after={"unit": unit.pk, "approved": count,
                 "scoring": summary.as_dict()}, org_path=unit.path)
    return count


@transaction.atomic
def publish(actor: Actor, period: Period, unit: OrgUnit) -> int:
    """Publish the approved sheets of the subtree; from now on they are locked."""
    count = unit_sheets(period, unit).filter(status=SheetStatus.APPROVED).update(
        status=SheetStatus.PUBLISHED, published_at=timezone.now()
    )
    audit.record(actor, "evaluation.publish", period, after={"unit": unit.pk, "published": count}, org_path=unit.path)
    return count


@transaction.atomic
def reopen(actor: Actor, sheet: Sheet, reason: str) -> Sheet:
    """A new version of a published sheet, back at "self-assessed", with the same lines; the old one is kept."""
    if not reason.strip():
        raise ServiceError({"reason": ["Cần ghi lý do mở lại kết quả đã công khai."]})
    if not sheet.is_current or sheet.status != SheetStatus.PUBLISHED:
        raise ServiceError({"status": ["Chỉ mở lại được kết quả đã công khai, phiên bản hiện hành."]})
    old_id = sheet.pk
    lines = list(TaskLine.objects.filter(sheet_id=old_id))
    Sheet.objects.filter(pk=old_id).update(is_current=False)
    sheet = Sheet.objects.select_related("unit").get(pk=old_id)  # a fresh copy: the caller's object stays the old one
    sheet.pk = None
    sheet.version += 1
    sheet.is_current = True
    sheet.status = SheetStatus.SELF_ASSESSED
    sheet.reopen_reason = reason.strip()
    sheet.approved_at = sheet.published_at = None
    sheet.save(force_insert=True)
    for line in lines:
        line.pk = None
        line.sheet = sheet
    TaskLine.objects.bulk_create(lines)
    audit.record(actor, "evaluation.reopen", sheet, before={"sheet": old_id, "version": sheet.version - 1},
                 after={"sheet": sheet.pk, "version": sheet.version}, reason=reason,
                 subject_person_id=sheet.person_id, org_path=sheet.unit.path)
    return sheet


@dataclass(frozen=True)
class Overdue:
    step: str
    label: str
    due: dt.date
    count: int


def overdue(sheets: QuerySet[Sheet], today: dt.date) -> list[Overdue]:
    """Steps past their deadline, counted over the sheets given (already filtered by the caller's access)."""
    checks = [
        ("self", "Chưa tự đánh giá", "period__self_due", [SheetStatus.DRAFT]),
        ("manager", "Chưa được lãnh đạo chấm", "period__manager_due", [SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED]),
        ("approve", "Chưa được phê duyệt", "period__approve_due",
         [SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED, SheetStatus.MANAGER_SCORED]),
    ]
    out = []
    for step, label, due_field, statuses in checks:
        late = sheets.filter(is_current=True, worked=True, status__in=statuses, **{f"{due_field}__lt": today})
        found = late.aggregate(first_due=Min(due_field), count=Count("pk"))
        if found["count"]:
            out.append(Overdue(step, label, found["first_due"], found["count"]))
    return out
