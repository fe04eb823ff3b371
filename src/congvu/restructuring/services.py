"""Organisation events as plans: draft, see the impact, compare, commit, undo, apply on the day.

One function per user intent; each owns its transaction and writes its audit entry (one per plan action, with
counts; committing and undoing also write one entry per moved person, set-based). The caller passes the
scope ``access.scope_for(user, Right.RESTRUCTURE)``; a plan is in reach when the scope covers its scope
unit. Rules of the mapping (what closes, what opens, who moves where) are in :mod:`.engine`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.org.models import OrgUnit
from congvu.restructuring.engine import (
    Comparison,
    Impact,
    RestructuringError,
    check_disjoint,
    check_foreign_keys,
    compare_impacts,
    compile_event,
    compile_plan,
    impact_of,
    recorded_impact,
    switch_people,
    undo_blockers,
    undo_event,
)
from congvu.restructuring.engine import apply_event as _apply_event
from congvu.restructuring.engine import unit_on as _unit_on
from congvu.restructuring.models import OrgEvent, Plan
from congvu.text import nfc

__all__ = [
    "RestructuringError", "add_event", "apply_due", "commit_plan", "compare", "create_plan", "impact",
    "remove_event", "undo_plan", "unit_on",
]


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _label(actor: Actor) -> str:
    user = _user(actor)
    return user.get_username() if user is not None else "system"


def _require(scope: Scope, plan: Plan) -> None:
    if not scope.covers(plan.scope_unit.path):
        raise RestructuringError({"__all__": [
            f"Phương án thuộc «{plan.scope_unit.name}», nằm ngoài phạm vi quản lý của bạn."]})


def _plan_for_update(plan_id: int) -> Plan:
    plan = Plan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None:
        raise RestructuringError({"plan": [f"Không có phương án mã {plan_id}."]})
    return Plan.objects.select_related("scope_unit").get(pk=plan.pk)


def _require_draft(plan: Plan) -> None:
    if plan.status != Plan.Status.DRAFT:
        raise RestructuringError({"__all__": [
            f"Phương án «{plan.name}» đang ở trạng thái «{plan.get_status_display()}»: chỉ sửa được dự thảo."]})


@transaction.atomic
def create_plan(actor: Actor, scope: Scope, *, name: str, scope_unit_id: int, notes: str = "") -> Plan:
    unit = OrgUnit.objects.filter(pk=scope_unit_id).first()
    errors: dict[str, list[str]] = {}
    if unit is None:
        errors["scope_unit_id"] = [f"Không có đơn vị mã {scope_unit_id}."]
    elif not scope.covers(unit.path):
        errors["scope_unit_id"] = [f"Đơn vị «{unit.name}» nằm ngoài phạm vi quản lý của bạn."]
    if not nfc(name).strip():
        errors["name"] = ["Tên phương án không được để trống."]
    if errors:
        raise RestructuringError(errors)
    assert unit is not None
    plan = Plan.objects.create(name=nfc(name).strip()[:255], scope_unit=unit, notes=nfc(notes), created_by=_user(actor))
    audit.record(actor, "restructuring.plan_create", plan, after={"name": plan.name, "scope_unit_id": unit.pk},
                 org_path=unit.path)
    return plan


@transaction.atomic
def add_event(actor: Actor, scope: Scope, plan_id: int, *, kind: str, effective_date: dt.date, decision_number: str,
              decision_date: dt.date, legal_basis: str, spec: dict[str, Any]) -> OrgEvent:
    """Add an event to a draft: checked against the database and the plan's other events; writes nothing else."""
    plan = _plan_for_update(plan_id)
    _require(scope, plan)
    _require_draft(plan)
    errors: dict[str, list[str]] = {}
    if kind not in OrgEvent.Kind.values:
        errors["kind"] = [f"Loại sự kiện «{kind}» không hợp lệ."]
    if not nfc(decision_number).strip():
        errors["decision_number"] = ["Cần số quyết định (ví dụ 1234/QĐ-UBND)."]
    if decision_date > effective_date:
        errors["decision_date"] = ["Ngày quyết định phải trước hoặc bằng ngày hiệu lực."]
    if errors:
        raise RestructuringError(errors)
    seq = (plan.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    event = OrgEvent(plan=plan, seq=seq, kind=kind, effective_date=effective_date,
                     decision_number=nfc(decision_number).strip()[:60], decision_date=decision_date,
                     legal_basis=nfc(legal_basis).strip()[:255], spec=spec)
    compiled = compile_event(event, plan.scope_unit)
    others = [compile_event(e, plan.scope_unit) for e in plan.events.order_by("seq", "id")]
    check_disjoint([*others, compiled])
    event.summary = compiled.summary[:500]
    event.save()
    audit.record(actor, "restructuring.event_add", event, after={
        "plan_id": plan.pk, "kind": kind, "effective_date": effective_date.isoformat(),
        "decision_number": event.decision_number, "summary": event.summary,
        "units_closed": len(compiled.closed_kinds), "people": len(compiled.moves)}, org_path=plan.scope_unit.path)
    return event


@transaction.atomic
def remove_event(actor: Actor, scope: Scope, event_id: int) -> None:
    event = OrgEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise RestructuringError({"event": [f"Không có sự kiện mã {event_id}."]})
    plan = _plan_for_update(event.plan_id)
    _require(scope, plan)
    _require_draft(plan)
    audit.record(actor, "restructuring.event_remove", event, before={
        "plan_id": plan.pk, "kind": event.kind, "decision_number": event.decision_number, "summary": event.summary},
        org_path=plan.scope_unit.path)
    event.delete()


def impact(plan: Plan) -> Impact:
    """What the plan does (a draft: compiled now from the database; a committed plan: read from its records)."""
    if plan.status in (Plan.Status.COMMITTED, Plan.Status.RECORDED):
        return recorded_impact(plan)
    return impact_of(compile_plan(plan))


def compare(a: Plan, b: Plan) -> Comparison:
    return compare_impacts(impact(a), impact(b))


@transaction.atomic
def commit_plan(actor: Actor, scope: Scope, plan_id: int, *, today: dt.date | None = None) -> Plan:
    """Apply every event in order, in one transaction; people switch units now for events already in force."""
    today = today or timezone.localdate()
    plan = _plan_for_update(plan_id)
    _require(scope, plan)
    _require_draft(plan)
    events = list(plan.events.order_by("seq", "id"))
    if not events:
        raise RestructuringError({"__all__": ["Phương án chưa có sự kiện nào."]})
    # Every event is checked before anything is written. Events touch disjoint units, so applying one does not
    # change what the next compiles to: the mapping compiled here is the one applied (and the one ``impact`` shows).
    user = _user(actor)
    totals: dict[str, int] = {}
    switched = 0
    for event, compiled in zip(events, compile_plan(plan, events), strict=True):
        applied = _apply_event(event, compiled, actor_id=user.pk if user else None, actor_label=_label(actor))
        for key, value in applied.as_dict().items():
            totals[key] = totals.get(key, 0) + value
        if event.effective_date <= today:
            switched += switch_people(event)
            event.applied_at = timezone.now()
            event.save(update_fields=["applied_at"])
    plan.status, plan.committed_by, plan.committed_at = Plan.Status.COMMITTED, user, timezone.now()
    plan.save(update_fields=["status", "committed_by", "committed_at"])
    audit.record(actor, "restructuring.plan_commit", plan, after={**totals, "events": len(events),
                                                                 "people_switched_now": switched},
                 org_path=plan.scope_unit.path)
    return plan


@transaction.atomic
def undo_plan(actor: Actor, scope: Scope, plan_id: int, *, reason: str, today: dt.date | None = None) -> Plan:
    """Reverse a committed plan while all its effective dates are still to come and nothing points at its rows."""
    today = today or timezone.localdate()
    plan = _plan_for_update(plan_id)
    _require(scope, plan)
    if plan.status != Plan.Status.COMMITTED:
        raise RestructuringError({"__all__": [f"Chỉ hủy được phương án đã quyết định (đang: {plan.get_status_display()})."]})
    if not nfc(reason).strip():
        raise RestructuringError({"reason": ["Cần nêu lý do hủy bỏ."]})
    events = list(plan.events.order_by("-seq", "-id"))
    started = [e for e in events if e.effective_date <= today]
    if started:
        first = min(e.effective_date for e in started)
        raise RestructuringError({"__all__": [
            f"Không thể hủy: sự kiện đã có hiệu lực từ {first:%d/%m/%Y}. Sau ngày hiệu lực, hãy lập phương án "
            "sắp xếp mới."]})
    problems = [p for e in events for p in undo_blockers(e)]
    if problems:
        raise RestructuringError({"__all__": ["Không thể hủy vì đã có thay đổi sau khi sắp xếp:", *problems]})
    user = _user(actor)
    totals: dict[str, int] = {}
    for event in events:
        undone = undo_event(event, actor_id=user.pk if user else None, actor_label=_label(actor))
        for key, value in undone.as_dict().items():
            totals[key] = totals.get(key, 0) + value
        OrgEvent.objects.filter(pk=event.pk).update(applied_at=None)
    check_foreign_keys()
    plan.status, plan.undone_by, plan.undone_at = Plan.Status.UNDONE, user, timezone.now()
    plan.undo_reason = nfc(reason).strip()
    plan.save(update_fields=["status", "undone_by", "undone_at", "undo_reason"])
    audit.record(actor, "restructuring.plan_undo", plan, after=totals, reason=plan.undo_reason,
                 org_path=plan.scope_unit.path)
    return plan


def apply_due(today: dt.date) -> int:
    """Switch the people of committed events whose effective date has come (idempotent); the number of events."""
    due = OrgEvent.objects.filter(plan__status=Plan.Status.COMMITTED, effective_date__lte=today,
                                  applied_at__isnull=True).select_related("plan__scope_unit").order_by("effective_date", "seq")
    applied = 0
    for event in due:
        with transaction.atomic():
            if not OrgEvent.objects.select_for_update().filter(pk=event.pk, applied_at__isnull=True).exists():
                continue
            people = switch_people(event)
            OrgEvent.objects.filter(pk=event.pk).update(applied_at=timezone.now())
            audit.record(None, "restructuring.event_apply", event, after={"people_switched": people},
                         org_path=event.plan.scope_unit.path)
            applied += 1
    return applied


def unit_on(person_id: int, day: dt.date) -> OrgUnit | None:
    """The person's unit as of any day (from the employment spells, so history before an event is kept)."""
    return _unit_on(person_id, day)
