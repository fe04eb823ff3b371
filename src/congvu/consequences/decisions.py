"""Accept, reject or defer an entry; accepting drafts a numbered decision and applies it to the register.

- Who: the right ``DECIDE_CONSEQUENCES`` at the entry's unit (HR by delegation, or the head).
- Accepting writes a ``Decision`` numbered per agency and signing year ("12/QĐ-SNV"); its PDF is rendered from
  the stored content (``documents.py``), so a reprint is identical.
- Applying changes the register through the personnel services (audited there) on or after the effective
  date: now if the date has come, else ``apply_due`` does it on the day. ``applied_at`` makes it happen once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congvu.access.access import NotFoundOrDenied, rights_at, scope_for
from congvu.access.policy import Right
from congvu.consequences.models import Decision, Entry, Kind, ListRun, Status
from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import Actor, AnyUser
from congvu.org.models import JobPosition, Rank, SalaryStep, active_on
from congvu.personnel import services as personnel
from congvu.personnel.models import Employment
from congvu.text import fold, nfc

SYSTEM = Scope(paths=(), everything=True)
NOT_FOUND = "Không tìm thấy mục trong danh sách hoặc bạn không có quyền."
OUTCOMES = ("terminate", "lower_position")


class DecisionError(Exception):
    """A refused decision; ``errors`` maps a field to messages (Vietnamese), like the personnel services."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


@dataclass(frozen=True)
class AcceptInput:
    reason: str = ""
    signed_on: dt.date | None = None
    effective_date: dt.date | None = None
    outcome: str = ""  # reviews only: terminate | lower_position
    target_position_id: int | None = None  # reviews with lower_position


def entry_for_decision(user: AnyUser, entry_id: int) -> Entry:
    entry = Entry.objects.select_related("run__agency", "unit", "person", "position").filter(pk=entry_id).first()
    if entry is None or Right.DECIDE_CONSEQUENCES not in rights_at(user, entry.unit.path):
        raise NotFoundOrDenied(NOT_FOUND)
    return entry


def agency_symbol(agency_name: str) -> str:
    """"QĐ-" and the initials of the agency's name without diacritics: "Sở Nội vụ" → "QĐ-SNV"."""
    initials = "".join(word[0] for word in fold(agency_name).upper().split() if word[:1].isalpha())
    return f"QĐ-{initials or 'CQ'}"


def _next_number(run: ListRun, year: int) -> int:
    ListRun.objects.select_for_update().filter(pk=run.pk).first()  # serialises numbering within the agency
    last = Decision.objects.filter(agency_id=run.agency_id, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def _require_reason(reason: str) -> str:
    text = nfc(reason).strip()
    if not text:
        raise DecisionError({"reason": ["Ghi rõ lý do."]})
    return text


def _check_open(entry: Entry) -> None:
    if entry.status not in (Status.PENDING, Status.DEFERRED):
        raise DecisionError({"__all__": [f"Mục này đã được quyết định ({entry.get_status_display()})."]})


def _check_acceptable(entry: Entry, data: AcceptInput) -> None:
    if entry.kind == Kind.STREAMLINING and not entry.in_quota:
        raise DecisionError({"__all__": ["Người này thuộc trường hợp chưa xem xét tinh giản biên chế (loại trừ)."]})
    if entry.kind == Kind.EARLY_RAISE and not entry.in_quota:
        raise DecisionError({"__all__": ["Ngoài chỉ tiêu 10 % nâng bậc lương trước thời hạn của năm."]})
    if entry.kind == Kind.HIGHER_POSITION:
        seats = Entry.objects.filter(run=entry.run, kind=Kind.VACANCY, position=entry.position).values_list(
            "count", flat=True
        ).first() or 0
        taken = Entry.objects.filter(
            run=entry.run, kind=Kind.HIGHER_POSITION, position=entry.position, status=Status.ACCEPTED
        ).count()
        if taken >= seats:
            raise DecisionError({"__all__": [f"Vị trí «{entry.position}» đã đủ {seats} người được chấp nhận."]})
    if entry.kind == Kind.REVIEW:
        if data.outcome not in OUTCOMES:
            raise DecisionError({"outcome": ["Chọn: cho thôi việc hoặc bố trí vị trí việc làm thấp hơn."]})
        if data.outcome == "lower_position" and not data.target_position_id:
            raise DecisionError({"target_position": ["Chọn vị trí việc làm thấp hơn."]})


def _decided(actor: Actor, entry: Entry, status: str, reason: str, extra: dict[str, Any] | None = None) -> Entry:
    before = audit.snapshot(entry, ["status", "reason"])
    entry.status, entry.reason, entry.decided_at = status, reason, timezone.now()
    entry.decided_by = actor if actor is not None and actor.is_authenticated else None
    entry.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    audit.record(
        actor, "update", entry, before=before, after=audit.snapshot(entry, ["status", "reason"]) | (extra or {}),
        reason=reason, subject_person_id=entry.person_id, org_path=entry.unit.path,
    )
    return entry


@transaction.atomic
def reject(actor: AnyUser, entry_id: int, reason: str) -> Entry:
    entry = entry_for_decision(actor, entry_id)
    _check_open(entry)
    return _decided(actor, entry, Status.REJECTED, _require_reason(reason))


@transaction.atomic
def defer(actor: AnyUser, entry_id: int, reason: str) -> Entry:
    entry = entry_for_decision(actor, entry_id)
    if entry.status != Status.PENDING:
        raise DecisionError({"__all__": [f"Chỉ hoãn được mục đang chờ ({entry.get_status_display()})."]})
    return _decided(actor, entry, Status.DEFERRED, _require_reason(reason))


def _effective(entry: Entry, data: AcceptInput, signed_on: dt.date) -> dt.date:
    if data.effective_date is not None:
        return data.effective_date
    if entry.kind in (Kind.STEP_RAISE, Kind.EARLY_RAISE) and entry.effective_date:
        return entry.effective_date
    if entry.kind == Kind.STREAMLINING and entry.effective_date and entry.effective_date > signed_on:
        return entry.effective_date
    return signed_on


@transaction.atomic
def accept(actor: AnyUser, entry_id: int, data: AcceptInput) -> Decision:
    entry = entry_for_decision(actor, entry_id)
    _check_open(entry)
    _check_acceptable(entry, data)
    signed_on = data.signed_on or timezone.localdate()
    effective = _effective(entry, data, signed_on)
    from congvu.consequences.documents import decision_content  # the document text is its own module

    content = decision_content(entry, data, signed_on=signed_on, effective=effective)
    decision = Decision.objects.create(
        entry=entry, agency=entry.run.agency, year=signed_on.year, number=_next_number(entry.run, signed_on.year),
        symbol=agency_symbol(entry.run.agency.name), signed_on=signed_on, effective_date=effective,
        title=content["title"], content=content,
    )
    reason = nfc(data.reason).strip() or "Chấp nhận đề xuất trong danh sách"
    _decided(actor, entry, Status.ACCEPTED, reason, {"decision": decision.reference})
    audit.record(
        actor, "create", decision, after=audit.snapshot(decision, ["number", "symbol", "signed_on", "effective_date", "title"]),
        reason=reason, subject_person_id=entry.person_id, org_path=entry.unit.path,
    )
    if effective <= timezone.localdate():
        apply(actor, decision)
    return decision


# --- applying to the register -------------------------------------------------------------------------------


def _current(entry: Entry) -> Employment:
    current = Employment.objects.filter(person_id=entry.person_id or 0, end_date__isnull=True).first()
    if current is None:
        raise DecisionError({"__all__": ["Người này không còn quá trình công tác hiện tại: không thể áp dụng."]})
    return current


def _carry(current: Employment, **changes: Any) -> personnel.EmploymentInput:
    values: dict[str, Any] = {
        "unit_id": current.unit_id, "position_id": current.position_id, "title": current.title,
        "rank_id": current.rank_id, "salary_step": current.salary_step, "step_since": current.step_since,
        "position_allowance": current.position_allowance, "seniority_pct": current.seniority_pct,
        "percent_allowances": current.percent_allowances,
    }
    return personnel.EmploymentInput(**(values | changes))


def placement_step(rank: Rank, coefficient_now: Decimal, day: dt.date) -> int:
    """The first step of the new rank whose coefficient is at least the current one (placing on a higher
    rank keeps the pay: Circular 02/2007/TT-BNV, [R]); the last step if none is."""
    steps = list(
        SalaryStep.objects.filter(active_on(day), group_id=rank.salary_group_id).order_by("step").values_list(
            "step", "coefficient"
        )
    )
    for step, coefficient in steps:
        if coefficient >= coefficient_now:
            return int(step)
    return int(steps[-1][0]) if steps else 1


def _coefficient(current: Employment, day: dt.date) -> Decimal:
    if current.rank_id is None or current.salary_step is None:
        return Decimal(0)
    row = SalaryStep.objects.filter(
        active_on(day), group__ranks=current.rank_id, step=current.salary_step
    ).values_list("coefficient", flat=True).first()
    return row or Decimal(0)


def _move(actor: Actor, scope: Any, entry: Entry, decision: Decision, position: JobPosition, why: str) -> None:
    current = _current(entry)
    day = decision.effective_date
    changes: dict[str, Any] = {"unit_id": position.unit_id, "position_id": position.pk, "start_date": day,
                               "decision_number": decision.reference}
    if position.rank_id and position.rank_id != current.rank_id:
        rank = Rank.objects.get(pk=position.rank_id)
        changes |= {"rank_id": rank.pk, "salary_step": placement_step(rank, _coefficient(current, day), day),
                    "step_since": day}
    personnel.change_employment(actor, scope, entry.person_id or 0, _carry(current, **changes), end_reason=why, reason=why)


def _apply_entry(actor: Actor, entry: Entry, decision: Decision) -> None:
    # The daily job (no actor) applies what an authorised person accepted earlier.
    scope = SYSTEM if actor is None else scope_for(actor, Right.DECIDE_CONSEQUENCES)
    day, ref = decision.effective_date, decision.reference
    if entry.kind in (Kind.STEP_RAISE, Kind.EARLY_RAISE):
        current = _current(entry)
        data = _carry(current, salary_step=entry.new_step, step_since=day, start_date=day, decision_number=ref)
        why = f"Nâng bậc lương theo Quyết định {ref}"
        personnel.change_employment(actor, scope, entry.person_id or 0, data, end_reason=why, reason=why)
    elif entry.kind == Kind.HIGHER_POSITION and entry.position is not None:
        _move(actor, scope, entry, decision, entry.position, f"Bố trí vị trí việc làm cao hơn theo Quyết định {ref}")
    elif entry.kind == Kind.STREAMLINING or (entry.kind == Kind.REVIEW and decision.content.get("outcome") == "terminate"):
        label = "Tinh giản biên chế" if entry.kind == Kind.STREAMLINING else "Cho thôi việc"
        personnel.end_employment(
            actor, scope, entry.person_id or 0, day - dt.timedelta(days=1),
            end_reason=f"{label} theo Quyết định {ref}", reason=f"{label} theo Quyết định {ref}",
        )
    elif entry.kind == Kind.REVIEW:
        position = JobPosition.objects.get(pk=decision.content["target_position_id"])
        _move(actor, scope, entry, decision, position, f"Bố trí vị trí việc làm thấp hơn theo Quyết định {ref}")
    # A vacancy's decision approves recruitment: nothing in the register changes until someone is recruited.


@transaction.atomic
def apply(actor: Actor, decision: Decision, *, today: dt.date | None = None) -> bool:
    """Apply once: returns False if it already was (or the effective date has not come)."""
    locked = Decision.objects.select_for_update(of=("self",)).select_related("entry__unit", "entry__run", "entry__position").get(
        pk=decision.pk
    )
    if locked.applied_at is not None or locked.effective_date > (today or timezone.localdate()):
        return False
    try:
        _apply_entry(actor, locked.entry, locked)
    except personnel.ServiceError as exc:
        raise DecisionError(exc.errors) from exc
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at"])
    audit.record(actor, "update", locked, after={"applied_at": audit.jsonable(locked.applied_at)},
                 reason=f"Áp dụng Quyết định {locked.reference}", subject_person_id=locked.entry.person_id,
                 org_path=locked.entry.unit.path)
    decision.applied_at = locked.applied_at
    return True


def apply_due(actor: Actor, day: dt.date | None = None) -> dict[str, int]:
    """Apply every accepted decision whose effective date has come (a daily job; idempotent)."""
    day = day or timezone.localdate()
    applied = failed = 0
    for decision in Decision.objects.filter(applied_at__isnull=True, effective_date__lte=day).order_by("effective_date", "pk"):
        try:
            applied += apply(actor, decision, today=day)
        except DecisionError:
            failed += 1
    return {"applied": applied, "failed": failed}
