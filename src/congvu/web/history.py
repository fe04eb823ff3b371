"""The history tab: audit entries about one person as rows a person can read (who, when, what, before → after, why).

Values of identity and sensitive fields are masked unless the reader holds the right to see them, so the
history never shows more than the record itself would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from congvu.access.access import IDENTITY_FIELDS, MASK, SENSITIVE_FIELDS
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, JobPosition, OrgUnit, Rank
from congvu.personnel.models import (
    Category,
    Discipline,
    EducationLevel,
    Leave,
    PoliticalTheoryLevel,
    Sex,
)
from congvu.reconciliation.models import QueueState
from congvu.web.formats import EMPTY, vn_date, vn_number

# Technical columns that mean nothing to a reader of the history.
HIDDEN_FIELDS = {"id", "search_name", "sort_key", "version", "created_at", "updated_at", "org_path", "person_id"}

FIELD_LABELS: dict[str, str] = {
    "state": gettext_noop("Trạng thái xử lý"),
    "personal_id": gettext_noop("Số định danh cá nhân"),
    "old_id": gettext_noop("Số CMND cũ"),
    "family_name": gettext_noop("Họ"),
    "middle_name": gettext_noop("Chữ đệm"),
    "given_name": gettext_noop("Tên"),
    "birth_date": gettext_noop("Ngày sinh"),
    "birth_year": gettext_noop("Năm sinh"),
    "sex": gettext_noop("Giới tính"),
    "ethnicity": gettext_noop("Dân tộc"),
    "religion": gettext_noop("Tôn giáo"),
    "party_member": gettext_noop("Đảng viên"),
    "party_joined_on": gettext_noop("Ngày vào Đảng"),
    "hometown_id": gettext_noop("Quê quán"),
    "birthplace_id": gettext_noop("Nơi sinh"),
    "education_level": gettext_noop("Trình độ chuyên môn"),
    "political_theory_level": gettext_noop("Lý luận chính trị"),
    "category": gettext_noop("Loại"),
    "current_unit_id": gettext_noop("Đơn vị hiện tại"),
    "insured_months": gettext_noop("Số tháng đóng BHXH"),
    "user_id": gettext_noop("Tài khoản"),
    "unit_id": gettext_noop("Đơn vị"),
    "position_id": gettext_noop("Vị trí việc làm"),
    "title": gettext_noop("Chức vụ"),
    "rank_id": gettext_noop("Ngạch"),
    "salary_step": gettext_noop("Bậc lương"),
    "step_since": gettext_noop("Hưởng bậc từ"),
    "position_allowance": gettext_noop("Phụ cấp chức vụ"),
    "seniority_pct": gettext_noop("Vượt khung (%)"),
    "percent_allowances": gettext_noop("Phụ cấp theo %"),
    "start_date": gettext_noop("Từ ngày"),
    "end_date": gettext_noop("Đến ngày"),
    "decision_number": gettext_noop("Số quyết định"),
    "end_reason": gettext_noop("Lý do kết thúc"),
    "form": gettext_noop("Hình thức"),
    "decided_on": gettext_noop("Ngày quyết định"),
    "effective_from": gettext_noop("Hiệu lực từ"),
    "effective_to": gettext_noop("Hiệu lực đến"),
    "reason": gettext_noop("Lý do"),
    "level": gettext_noop("Cấp khen thưởng"),
    "kind": gettext_noop("Loại nghỉ"),
    "note": gettext_noop("Ghi chú"),
}

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "sex": dict(Sex.choices),
    "category": dict(Category.choices),
    "education_level": dict(EducationLevel.choices),
    "political_theory_level": dict(PoliticalTheoryLevel.choices),
    "form": dict(Discipline.Form.choices),
    "kind": dict(Leave.Kind.choices),
    "state": dict(QueueState.choices),
}

DATE_FIELDS = {"birth_date", "party_joined_on", "step_since", "start_date", "end_date", "decided_on",
               "effective_from", "effective_to"}
NUMBER_FIELDS = {"position_allowance", "seniority_pct", "percent_allowances", "insured_months"}
UNIT_FIELDS = {"unit_id", "current_unit_id"}
AREA_FIELDS = {"hometown_id", "birthplace_id"}

ACTION_LABELS = {
    "grant": gettext_noop("Giao vai trò"),
    "revoke": gettext_noop("Thu hồi vai trò"),
    "create": gettext_noop("Tạo mới"),
    "update": gettext_noop("Cập nhật"),
    "delete": gettext_noop("Xóa"),
    "import": gettext_noop("Nhập từ tệp"),
    "reconcile": gettext_noop("Đối soát với CSDL dân cư"),
    "reconciliation.accept": gettext_noop("Chấp nhận sửa theo CSDL dân cư"),
    "reconciliation.reject": gettext_noop("Không chấp nhận đề xuất đối soát"),
    "reconciliation.send_to_unit": gettext_noop("Chuyển đơn vị xử lý"),
    "reconciliation.mark_fixed": gettext_noop("Đơn vị đã sửa hồ sơ"),
    "evaluation.open_year": gettext_noop("Mở các kỳ đánh giá của năm"),
    "evaluation.ensure_sheets": gettext_noop("Tạo phiếu đánh giá của kỳ"),
    "evaluation.task_assign": gettext_noop("Giao công việc"),
    "evaluation.task_propose": gettext_noop("Đề xuất công việc"),
    "evaluation.task_accept": gettext_noop("Duyệt công việc đề xuất"),
    "evaluation.task_remove": gettext_noop("Bỏ công việc"),
    "evaluation.task_report": gettext_noop("Báo cáo kết quả công việc"),
    "evaluation.task_findings": gettext_noop("Ghi nhận lỗi, chậm tiến độ"),
    "evaluation.self_assess": gettext_noop("Tự đánh giá"),
    "evaluation.manager_score": gettext_noop("Lãnh đạo chấm điểm"),
    "evaluation.score_period": gettext_noop("Tính điểm kỳ"),
    "evaluation.approve": gettext_noop("Phê duyệt kết quả kỳ"),
    "evaluation.publish": gettext_noop("Công khai kết quả kỳ"),
    "evaluation.reopen": gettext_noop("Mở lại kết quả đã công khai"),
    "evaluation.catalogue_add": gettext_noop("Thêm sản phẩm vào danh mục"),
    "evaluation.catalogue_approve": gettext_noop("Phê duyệt danh mục sản phẩm"),
    "evaluation.conduct_finding": gettext_noop("Ghi nhận kết luận buộc không hoàn thành"),
    "evaluation.annual_computed": gettext_noop("Tính điểm năm"),
    "evaluation.annual_overrides": gettext_noop("Áp dụng trường hợp không hoàn thành"),
    "evaluation.annual_quota": gettext_noop("Áp dụng tỷ lệ hoàn thành xuất sắc"),
    "evaluation.annual_tie_promote": gettext_noop("Chọn người bằng điểm tại ngưỡng tỷ lệ"),
    "evaluation.annual_approve": gettext_noop("Phê duyệt xếp loại năm"),
    "evaluation.annual_publish": gettext_noop("Công khai xếp loại năm"),
    "evaluation.annual_final": gettext_noop("Chốt kết quả xếp loại năm"),
    "evaluation.annual_reopen": gettext_noop("Mở lại xếp loại năm"),
    "restructuring.move": gettext_noop("Sắp xếp tổ chức"),
    "restructuring.undo": gettext_noop("Hủy sắp xếp tổ chức"),
    "restructuring.plan_create": gettext_noop("Lập phương án sắp xếp"),
    "restructuring.event_add": gettext_noop("Thêm sự kiện vào phương án"),
    "restructuring.event_remove": gettext_noop("Bỏ sự kiện khỏi phương án"),
    "restructuring.plan_commit": gettext_noop("Quyết định phương án sắp xếp"),
    "restructuring.plan_undo": gettext_noop("Hủy bỏ phương án sắp xếp"),
    "restructuring.event_apply": gettext_noop("Áp dụng sự kiện tổ chức"),
}
OBJECT_LABELS = {
    "roleassignment": gettext_noop("Phân quyền"),
    "orgunit": gettext_noop("Đơn vị"),
    "jobposition": gettext_noop("Vị trí việc làm"),
    "person": gettext_noop("Hồ sơ"),
    "employment": gettext_noop("Quá trình công tác"),
    "discipline": gettext_noop("Kỷ luật"),
    "reward": gettext_noop("Khen thưởng"),
    "leave": gettext_noop("Nghỉ"),
    "sheet": gettext_noop("Phiếu đánh giá"),
    "taskline": gettext_noop("Công việc trong kỳ"),
    "period": gettext_noop("Kỳ đánh giá"),
    "producttype": gettext_noop("Danh mục sản phẩm"),
    "annualrun": gettext_noop("Xếp loại năm"),
    "annualresult": gettext_noop("Kết quả xếp loại năm"),
    "conductfinding": gettext_noop("Kết luận về phẩm chất"),
    "reconciliationrun": gettext_noop("Lượt đối soát"),
    "reconciliationrecord": gettext_noop("Bản ghi đối soát"),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    who: str
    action: str
    what: str
    changes: list[Change]
    reason: str


def history_rows(entries: Iterable[AuditEntry], rights: frozenset[Right]) -> list[HistoryRow]:
    flat = [(entry, _flatten(entry.before), _flatten(entry.after)) for entry in entries]
    names = _reference_names([side for _e, before, after in flat for side in (before, after)])
    hidden = _masked_fields(rights)
    rows = []
    for entry, before, after in flat:
        changes = [
            Change(_label(key), _show(key, before.get(key), hidden, names), _show(key, after.get(key), hidden, names))
            for key in _keys(before, after, created=entry.before is None)
        ]
        rows.append(HistoryRow(
            at=entry.at,
            who=_("Hệ thống") if entry.actor_label == "system" else entry.actor_label,
            action=_(ACTION_LABELS.get(entry.action, entry.action)),
            what=_(OBJECT_LABELS.get(entry.object_type, entry.object_type)),
            changes=changes,
            reason=entry.reason,
        ))
    return rows


def _flatten(side: dict[str, Any] | None) -> dict[str, Any]:
    """Nested parts (an import records the employment inside the person's entry) become ``part.field``."""
    out: dict[str, Any] = {}
    for key, value in (side or {}).items():
        if isinstance(value, dict):
            out.update({f"{key}.{sub}": inner for sub, inner in value.items()})
        else:
            out[key] = value
    return out


def _field(key: str) -> str:
    return key.rpartition(".")[2]


def _label(key: str) -> str:
    part, _dot, field = key.rpartition(".")
    label = _(FIELD_LABELS.get(field, field))
    return f"{_(OBJECT_LABELS.get(part, part))} – {label}" if part else label


def _masked_fields(rights: frozenset[Right]) -> set[str]:
    hidden: set[str] = set()
    if Right.READ_SENSITIVE not in rights:
        hidden |= set(SENSITIVE_FIELDS)
    if Right.READ_IDENTITY not in rights:
        hidden |= set(IDENTITY_FIELDS)
    return hidden


def _keys(before: dict[str, Any], after: dict[str, Any], *, created: bool) -> list[str]:
    keys = [k for k in after if _field(k) not in HIDDEN_FIELDS]
    keys += [k for k in before if k not in after and _field(k) not in HIDDEN_FIELDS]
    if created:  # a creation: list only the fields that were filled in
        keys = [k for k in keys if after.get(k) not in (None, "", 0, "0", "0.00")]
    order = list(FIELD_LABELS)

    def position(key: str) -> tuple[int, int]:
        field = _field(key)
        return ("." in key, order.index(field) if field in order else len(order))

    return sorted(keys, key=position)


def _reference_names(sides: list[dict[str, Any]]) -> dict[str, dict[Any, str]]:
    """Names for the ids that audit entries hold (units, positions, ranks), fetched in one query each."""
    wanted: dict[str, set[Any]] = {"unit": set(), "area": set(), "position_id": set(), "rank_id": set()}
    for side in sides:
        for key, value in side.items():
            field = _field(key)
            if value is None:
                continue
            if field in UNIT_FIELDS:
                wanted["unit"].add(value)
            elif field in AREA_FIELDS:
                wanted["area"].add(value)
            elif field in ("position_id", "rank_id"):
                wanted[field].add(value)
    return {
        "unit": dict(OrgUnit.objects.filter(pk__in=wanted["unit"]).values_list("pk", "name")),
        "area": {a.pk: str(a) for a in AdminArea.objects.filter(pk__in=wanted["area"])} if wanted["area"] else {},
        "position_id": dict(JobPosition.objects.filter(pk__in=wanted["position_id"]).values_list("pk", "name")),
        "rank_id": dict(Rank.objects.filter(pk__in=wanted["rank_id"]).values_list("pk", "name")),
    }


def _show(key: str, value: Any, hidden: set[str], names: dict[str, dict[Any, str]]) -> str:
    key = _field(key)
    if value is None or value == "":
        return EMPTY
    if key in hidden:
        return MASK
    if key in CHOICE_LABELS:
        return _(CHOICE_LABELS[key].get(value, str(value)))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key in DATE_FIELDS:
        return vn_date(value)
    if key in NUMBER_FIELDS:
        return vn_number(value)
    if key in UNIT_FIELDS:
        return names["unit"].get(value, f"#{value}")
    if key in AREA_FIELDS:
        return names["area"].get(value, f"#{value}")
    if key in ("position_id", "rank_id"):
        return names[key].get(value, f"#{value}")
    return str(value)
