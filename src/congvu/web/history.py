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
from django.utils.translation import gettext_noop as N_

from congvu.access.access import IDENTITY_FIELDS, MASK, SENSITIVE_FIELDS
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition, OrgUnit, Rank
from congvu.personnel.models import (
    Category,
    Discipline,
    EducationLevel,
    Leave,
    PoliticalTheoryLevel,
    Sex,
)
from congvu.web.formats import EMPTY, vn_date, vn_number

# Technical columns that mean nothing to a reader of the history.
HIDDEN_FIELDS = {"id", "search_name", "sort_key", "version", "created_at", "updated_at", "org_path", "person_id"}

FIELD_LABELS: dict[str, str] = {
    "personal_id": N_("Số định danh cá nhân"),
    "old_id": N_("Số CMND cũ"),
    "family_name": N_("Họ"),
    "middle_name": N_("Chữ đệm"),
    "given_name": N_("Tên"),
    "birth_date": N_("Ngày sinh"),
    "birth_year": N_("Năm sinh"),
    "sex": N_("Giới tính"),
    "ethnicity": N_("Dân tộc"),
    "religion": N_("Tôn giáo"),
    "party_member": N_("Đảng viên"),
    "party_joined_on": N_("Ngày vào Đảng"),
    "hometown_id": N_("Quê quán"),
    "birthplace_id": N_("Nơi sinh"),
    "education_level": N_("Trình độ chuyên môn"),
    "political_theory_level": N_("Lý luận chính trị"),
    "category": N_("Loại"),
    "current_unit_id": N_("Đơn vị hiện tại"),
    "insured_months": N_("Số tháng đóng BHXH"),
    "user_id": N_("Tài khoản"),
    "unit_id": N_("Đơn vị"),
    "position_id": N_("Vị trí việc làm"),
    "title": N_("Chức vụ"),
    "rank_id": N_("Ngạch"),
    "salary_step": N_("Bậc lương"),
    "step_since": N_("Hưởng bậc từ"),
    "position_allowance": N_("Phụ cấp chức vụ"),
    "seniority_pct": N_("Vượt khung (%)"),
    "percent_allowances": N_("Phụ cấp theo %"),
    "start_date": N_("Từ ngày"),
    "end_date": N_("Đến ngày"),
    "decision_number": N_("Số quyết định"),
    "end_reason": N_("Lý do kết thúc"),
    "form": N_("Hình thức"),
    "decided_on": N_("Ngày quyết định"),
    "effective_from": N_("Hiệu lực từ"),
    "effective_to": N_("Hiệu lực đến"),
    "reason": N_("Lý do"),
    "level": N_("Cấp khen thưởng"),
    "kind": N_("Loại nghỉ"),
    "note": N_("Ghi chú"),
}

CHOICE_LABELS: dict[str, dict[str, str]] = {
    "sex": dict(Sex.choices),
    "category": dict(Category.choices),
    "education_level": dict(EducationLevel.choices),
    "political_theory_level": dict(PoliticalTheoryLevel.choices),
    "form": dict(Discipline.Form.choices),
    "kind": dict(Leave.Kind.choices),
}

DATE_FIELDS = {"birth_date", "party_joined_on", "step_since", "start_date", "end_date", "decided_on",
               "effective_from", "effective_to"}
NUMBER_FIELDS = {"position_allowance", "seniority_pct", "percent_allowances", "insured_months"}
UNIT_FIELDS = {"unit_id", "current_unit_id"}

ACTION_LABELS = {
    "create": N_("Tạo mới"),
    "update": N_("Cập nhật"),
    "delete": N_("Xóa"),
    "import": N_("Nhập từ tệp"),
}
OBJECT_LABELS = {
    "person": N_("Hồ sơ"),
    "employment": N_("Quá trình công tác"),
    "discipline": N_("Kỷ luật"),
    "reward": N_("Khen thưởng"),
    "leave": N_("Nghỉ"),
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
    entries = list(entries)
    names = _reference_names(entries)
    hidden = _masked_fields(rights)
    rows = []
    for entry in entries:
        changes = [
            Change(_(FIELD_LABELS.get(key, key)), _show(key, (entry.before or {}).get(key), hidden, names),
                   _show(key, (entry.after or {}).get(key), hidden, names))
            for key in _keys(entry)
        ]
        rows.append(HistoryRow(
            at=entry.at,
            who=entry.actor_label,
            action=_(ACTION_LABELS.get(entry.action, entry.action)),
            what=_(OBJECT_LABELS.get(entry.object_type, entry.object_type)),
            changes=changes,
            reason=entry.reason,
        ))
    return rows


def _masked_fields(rights: frozenset[Right]) -> set[str]:
    hidden: set[str] = set()
    if Right.READ_SENSITIVE not in rights:
        hidden |= set(SENSITIVE_FIELDS)
    if Right.READ_IDENTITY not in rights:
        hidden |= set(IDENTITY_FIELDS)
    return hidden


def _keys(entry: AuditEntry) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    keys = [k for k in after if k not in HIDDEN_FIELDS] + [k for k in before if k not in after and k not in HIDDEN_FIELDS]
    if entry.before is None:  # a creation: list only the fields that were filled in
        keys = [k for k in keys if after.get(k) not in (None, "", 0, "0", "0.00")]
    order = list(FIELD_LABELS)
    return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))


def _reference_names(entries: list[AuditEntry]) -> dict[str, dict[Any, str]]:
    """Names for the ids that audit entries hold (units, positions, ranks), fetched in one query each."""
    wanted: dict[str, set[Any]] = {"unit": set(), "position_id": set(), "rank_id": set()}
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key, value in side.items():
                if value is None:
                    continue
                if key in UNIT_FIELDS:
                    wanted["unit"].add(value)
                elif key in ("position_id", "rank_id"):
                    wanted[key].add(value)
    return {
        "unit": dict(OrgUnit.objects.filter(pk__in=wanted["unit"]).values_list("pk", "name")),
        "position_id": dict(JobPosition.objects.filter(pk__in=wanted["position_id"]).values_list("pk", "name")),
        "rank_id": dict(Rank.objects.filter(pk__in=wanted["rank_id"]).values_list("pk", "name")),
    }


def _show(key: str, value: Any, hidden: set[str], names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return EMPTY
    if key in hidden:
        return MASK
    if key in CHOICE_LABELS:
        return CHOICE_LABELS[key].get(value, str(value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key in DATE_FIELDS:
        return vn_date(value)
    if key in NUMBER_FIELDS:
        return vn_number(value)
    if key in UNIT_FIELDS:
        return names["unit"].get(value, f"#{value}")
    if key in ("position_id", "rank_id"):
        return names[key].get(value, f"#{value}")
    return str(value)
