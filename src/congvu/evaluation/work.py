"""The month's work on one sheet: task lines, completion, findings, self-assessment and the manager's score.

Each function is one user intent: it checks the sheet's state, writes in one transaction and records an
audit entry. Permission checks happen before (``congvu.evaluation.access``); the functions take the sheet
the caller was allowed to act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from congvu.core import audit
from congvu.core.types import Actor
from congvu.evaluation.models import EvalRole, ProductType, Sheet, SheetStatus, TaskLine
from congvu.personnel.services import ServiceError
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335

EDITABLE_WORK = {SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED}
MAX_QUANTITY = Decimal("100000")


def _fail(field: str, message: str) -> ServiceError:
    return ServiceError({field: [message]})


def _require_status(sheet: Sheet, allowed: set[SheetStatus], what: str) -> None:
    if not sheet.is_current:
        raise _fail("sheet", "Phiếu này là phiên bản cũ, không thể sửa.")
    if sheet.status not in allowed:
        label = SheetStatus(sheet.status).label
        raise _fail("status", f"Không thể {what} khi phiếu ở trạng thái “{label}”.")


def _decimal(value: Any, field: str, *, low: Decimal = Decimal(0), high: Decimal = MAX_QUANTITY) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise _fail(field, "Không phải là số.") from exc
    if not number.is_finite() or number < low or number > high:
        raise _fail(field, f"Phải nằm trong khoảng {low} đến {high}.")
    return number


def _line_audit(actor: Actor, action: str, line: TaskLine, before: dict[str, Any] | None, why: str = "") -> None:
    after = audit.snapshot(line, ["label", "coefficient", "quantity", "due_date", "completed", "completed_on",
                                  "evidence_link", "errors", "delays", "objective_cause", "objective_reason",
                                  "accepted"])
    b, a = audit.changed(before, after)
    audit.record(
        actor, action, line, before=b, after=a, reason=why,
        subject_person_id=line.sheet.person_id, org_path=line.sheet.unit.path,
    )


@dataclass(frozen=True)
class TaskInput:
    quantity: Decimal | str | int
    product_type_id: int | None = None
    label: str = ""
    coefficient: Decimal | str | int | None = None
    due_date: dt.date | None = None


def _resolve_type(sheet: Sheet, data: TaskInput) -> tuple[ProductType | None, str, Decimal]:
    if data.product_type_id is not None:
        ptype = ProductType.objects.filter(
            pk=data.product_type_id, status=ProductType.Status.APPROVED, unit__path__in=_ancestor_paths(sheet)
        ).first()
        if ptype is None:
            raise _fail("product_type", "Loại sản phẩm không có trong danh mục đã phê duyệt của đơn vị.")
        if not (ptype.valid_from <= sheet.period.end and (ptype.valid_to is None or ptype.valid_to >= sheet.period.start)):
            raise _fail("product_type", "Loại sản phẩm không còn hiệu lực trong kỳ đánh giá.")
        return ptype, ptype.name, ptype.coefficient
    label = (data.label or "").strip()
    if not label:
        raise _fail("label", "Cần chọn loại sản phẩm trong danh mục hoặc ghi tên công việc.")
    if data.coefficient is None:
        raise _fail("coefficient", "Công việc ngoài danh mục cần hệ số quy đổi.")
    return None, label, _decimal(data.coefficient, "coefficient", low=Decimal("0.0001"), high=Decimal(100))


def _ancestor_paths(sheet: Sheet) -> list[str]:
    segs = [s for s in sheet.unit.path.split(".") if s]
    return [".".join(segs[: i + 1]) + "." for i in range(len(segs))]


@transaction.atomic
def add_task(actor: Actor, sheet: Sheet, data: TaskInput, *, proposed_by_staff: bool = False) -> TaskLine:
    """The manager assigns a task line, or the civil servant proposes one for the manager to accept (Art 13)."""
    _require_status(sheet, EDITABLE_WORK, "thêm công việc")
    ptype, label, coefficient = _resolve_type(sheet, data)
    quantity = _decimal(data.quantity, "quantity")
    if data.due_date is not None and not sheet.period.start <= data.due_date <= sheet.period.end + dt.timedelta(days=31):
        raise _fail("due_date", "Hạn hoàn thành phải nằm trong kỳ đánh giá.")
    line = TaskLine.objects.create(
        sheet=sheet, product_type=ptype, label=label, coefficient=coefficient, quantity=quantity,
        due_date=data.due_date, proposed_by_staff=proposed_by_staff, accepted=not proposed_by_staff,
    )
    _line_audit(actor, "evaluation.task_propose" if proposed_by_staff else "evaluation.task_assign", line, None)
    return line


@transaction.atomic
def accept_proposal(actor: Actor, line: TaskLine) -> TaskLine:
    _require_status(line.sheet, EDITABLE_WORK, "duyệt công việc đề xuất")
    before = audit.snapshot(line, ["accepted"])
    line.accepted = True
    line.save(update_fields=["accepted"])
    _line_audit(actor, "evaluation.task_accept", line, before)
    return line


@transaction.atomic
def remove_task(actor: Actor, line: TaskLine, reason: str) -> None:
    _require_status(line.sheet, EDITABLE_WORK, "xoá công việc")
    before = audit.snapshot(line)
    audit.record(actor, "evaluation.task_remove", line, before=before, reason=reason,
                 subject_person_id=line.sheet.person_id, org_path=line.sheet.unit.path)
    line.delete()


@transaction.atomic
def report_completion(
    actor: Actor, line: TaskLine, *, completed: Decimal | str | int, completed_on: dt.date | None,
    evidence_link: str = "", evidence_file: UploadedFile | None = None,
) -> TaskLine:
    """The civil servant reports what was done, when, and the evidence (Art 14: quantity and progress)."""
    _require_status(line.sheet, EDITABLE_WORK, "báo cáo kết quả")
    before = audit.snapshot(line)
    done = _decimal(completed, "completed")
    if done > 0 and completed_on is None:
        raise _fail("completed_on", "Cần ghi ngày hoàn thành.")
    if completed_on is not None and completed_on > line.sheet.period.end + dt.timedelta(days=31):
        raise _fail("completed_on", "Ngày hoàn thành nằm ngoài kỳ đánh giá.")
    line.completed = done
    line.completed_on = completed_on
    line.evidence_link = evidence_link.strip()
    if evidence_file is not None:
        line.evidence_file = evidence_file
    line.save()
    _line_audit(actor, "evaluation.task_report", line, before)
    return line


@transaction.atomic
def record_findings(
    actor: Actor, line: TaskLine, *, errors: int, delays: int, objective_cause: bool = False,
    objective_reason: str = "", note: str = "",
) -> TaskLine:
    """The manager records major content errors and delays, or an objective cause that waives them (Art 14(b)(c))."""
    _require_status(line.sheet, EDITABLE_WORK | {SheetStatus.MANAGER_SCORED}, "ghi nhận lỗi, chậm tiến độ")
    if errors < 0 or delays < 0 or errors > 1000 or delays > 1000:
        raise _fail("errors" if errors < 0 or errors > 1000 else "delays", "Số lần phải từ 0 đến 1000.")
    if objective_cause and not objective_reason.strip():
        raise _fail("objective_reason", "Cần ghi lý do khách quan đã được cấp có thẩm quyền xác nhận.")
    before = audit.snapshot(line)
    line.errors, line.delays = errors, delays
    line.objective_cause, line.objective_reason = objective_cause, objective_reason.strip()
    line.findings_note = note.strip()
    line.save()
    _line_audit(actor, "evaluation.task_findings", line, before, why=objective_reason)
    return line


def _general_points(points: Mapping[str, Any], params: nd335.Parameters) -> dict[str, str]:
    groups = {g.code: g for g in params.general_groups}
    unknown = set(points) - set(groups)
    if unknown:
        raise _fail("general", f"Nhóm tiêu chí không có: {', '.join(sorted(unknown))}.")
    out: dict[str, str] = {}
    for code, group in groups.items():
        if code not in points or points[code] in (None, ""):
            raise _fail(f"general.{code}", f"Chưa chấm “{group.label_vi}”.")
        out[code] = str(_decimal(points[code], f"general.{code}", high=Decimal(group.max_points)))
    return out


def _sum_points(points: Mapping[str, str]) -> Decimal:
    return sum((Decimal(v) for v in points.values()), Decimal(0))


def params_for(sheet: Sheet) -> nd335.Parameters:
    return kpi_registry.rule_set(sheet.period.rule_set_id).params


@transaction.atomic
def self_assess(actor: Actor, sheet: Sheet, points: Mapping[str, Any]) -> Sheet:
    """The civil servant scores the general criteria (Art 12(2)) and sends the sheet to the manager."""
    _require_status(sheet, EDITABLE_WORK, "tự đánh giá")
    if sheet.lines.filter(accepted=False).exists():
        raise _fail("lines", "Còn công việc đề xuất chưa được lãnh đạo duyệt.")
    before = audit.snapshot(sheet, ["status", "self_general"])
    sheet.self_general = _general_points(points, params_for(sheet))
    sheet.status = SheetStatus.SELF_ASSESSED
    sheet.self_assessed_at = timezone.now()
    sheet.save(update_fields=["self_general", "status", "self_assessed_at"])
    _sheet_audit(actor, "evaluation.self_assess", sheet, before)
    return sheet


@transaction.atomic
def manager_score(
    actor: Actor, sheet: Sheet, points: Mapping[str, Any], *, organising: Any = None, unity: Any = None
) -> Sheet:
    """The manager (for a leader: the superior) scores the general criteria and, for leaders, criteria đ and e."""
    _require_status(sheet, {SheetStatus.SELF_ASSESSED, SheetStatus.MANAGER_SCORED}, "chấm điểm")
    params = params_for(sheet)
    before = audit.snapshot(sheet, ["status", "manager_general", "general_points", "organising", "unity", "total"])
    sheet.manager_general = _general_points(points, params)
    sheet.general_points = _sum_points(sheet.manager_general)
    if sheet.role == EvalRole.LEADER:
        if organising in (None, "") or unity in (None, ""):
            raise _fail("organising" if organising in (None, "") else "unity",
                        "Lãnh đạo, quản lý cần điểm khả năng tổ chức triển khai và năng lực đoàn kết nội bộ.")
        sheet.organising = _decimal(organising, "organising", high=params.leader_criterion_max)
        sheet.unity = _decimal(unity, "unity", high=params.leader_criterion_max)
    sheet.status = SheetStatus.MANAGER_SCORED
    sheet.manager_scored_at = timezone.now()
    sheet.save()
    score_sheet(sheet)
    _sheet_audit(actor, "evaluation.manager_score", sheet, before)
    return sheet


def _sheet_audit(actor: Actor, action: str, sheet: Sheet, before: dict[str, Any], why: str = "") -> None:
    after = audit.snapshot(sheet, list(before))
    b, a = audit.changed(before, after)
    audit.record(actor, action, sheet, before=b, after=a, reason=why,
                 subject_person_id=sheet.person_id, org_path=sheet.unit.path)


def rule_lines(sheet: Sheet) -> list[nd335.TaskLine]:
    return [
        nd335.TaskLine(
            coefficient=line.coefficient, quantity=line.quantity, completed=line.completed,
            errors=line.errors, delays=line.delays, objective_cause=line.objective_cause, label=line.label,
        )
        for line in sheet.lines.filter(accepted=True).order_by("id")
    ]


def leader_inputs(sheet: Sheet) -> nd335.LeaderInputs | None:
    if sheet.role != EvalRole.LEADER:
        return None
    if sheet.organising is None or sheet.unity is None:
        return None
    from congvu.evaluation.scoring import unit_result_for  # the batch module owns the subordinate rule

    return nd335.LeaderInputs(unit_result=unit_result_for(sheet), organising=sheet.organising, unity=sheet.unity)


def explain(sheet: Sheet) -> nd335.PeriodScore | None:
    """The score of a sheet recomputed from its lines by the rule set of its period, with every step."""
    if sheet.general_points is None:
        return None
    leader = leader_inputs(sheet)
    if sheet.role == EvalRole.LEADER and leader is None:
        return None
    rs = kpi_registry.rule_set(sheet.period.rule_set_id)
    return rs.score_lines(
        role=nd335.Role(sheet.role), general_points=sheet.general_points, lines=rule_lines(sheet),
        leader=leader,
    )


def score_sheet(sheet: Sheet) -> None:
    """Store the score of one sheet (the batch in ``scoring`` does the same for a whole unit, set-based)."""
    result = explain(sheet)
    if result is None:
        return
    sums = nd335.task_sums(rule_lines(sheet), params_for(sheet))
    sheet.assigned, sheet.done, sheet.quality, sheet.timely = sums.assigned, sums.done, sums.quality, sums.timely
    if sheet.role == EvalRole.LEADER:
        sheet.unit_result = next((Decimal(s.value) for s in result.steps if s.key == "unit_result"), sheet.unit_result)
    _store(sheet, result)
    sheet.save()


def _store(sheet: Sheet, result: nd335.PeriodScore) -> None:
    sheet.quantity_pct = result.quantity_pct
    sheet.quality_pct = result.quality_pct
    sheet.timeliness_pct = result.timeliness_pct
    sheet.task_points = result.task_points
    sheet.total = result.total
    sheet.no_work_reason = result.no_work_reason or ""
    sheet.rule_set_id = sheet.period.rule_set_id
    sheet.scored_at = timezone.now()
