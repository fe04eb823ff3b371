"""One function per user intent on personnel records. Each owns its transaction and writes the audit entry.

Callers (views, API, CLI, importers) have already passed the ``congvu.access`` checks for the records
they name; services re-check that target units are inside the caller's write scope.

Dates of decisions (our interpretation; the sources in domain/regulations.md say nothing more precise):
- a discipline or reward records a decision already signed, so its decision date may not be in the future;
- a discipline takes effect on or after the day it is decided (no retroactive discipline), and may end later;
- leave may be planned ahead (maternity leave), but two leaves of one person may not overlap;
- a new employment spell starts after the current one started and after any earlier spell ended, in a
  job position that exists on that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from congvu.core import audit
from congvu.core.scope import Scope
from congvu.core.types import Actor
from congvu.org.models import JobPosition, OrgUnit, Rank
from congvu.personnel.models import Category, Discipline, Employment, Leave, Person, Reward, Sex
from congvu.rules.personal_id import check_old_id, check_personal_id
from congvu.text import fold, nfc, person_sort_key

PERSON_FIELDS = (
    "personal_id",
    "old_id",
    "family_name",
    "middle_name",
    "given_name",
    "birth_date",
    "birth_year",
    "sex",
    "ethnicity",
    "religion",
    "party_member",
    "party_joined_on",
    "hometown_id",
    "birthplace_id",
    "education_level",
    "political_theory_level",
    "category",
    "insured_months",
)


class ServiceError(Exception):
    """A request that cannot be carried out; ``errors`` maps field names to Vietnamese messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


class OutOfScope(ServiceError):
    pass


class StaleVersion(ServiceError):
    """Someone else saved the record after this user opened it (no lost update)."""


@dataclass
class PersonInput:
    personal_id: str
    family_name: str
    given_name: str
    sex: str
    birth_year: int
    category: str
    middle_name: str = ""
    birth_date: dt.date | None = None
    old_id: str = ""
    ethnicity: str = ""
    religion: str = ""
    party_member: bool | None = None
    party_joined_on: dt.date | None = None
    hometown_id: int | None = None
    birthplace_id: int | None = None
    education_level: str = ""
    political_theory_level: str = ""
    insured_months: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def normalised(self) -> PersonInput:
        """The same input with text in NFC and IDs trimmed (text is stored NFC)."""
        return replace(
            self,
            family_name=nfc(self.family_name),
            middle_name=nfc(self.middle_name),
            given_name=nfc(self.given_name),
            ethnicity=nfc(self.ethnicity),
            religion=nfc(self.religion),
            personal_id=self.personal_id.strip(),
            old_id=self.old_id.strip(),
        )


def validate_person(data: PersonInput) -> dict[str, list[str]]:
    """Field errors in Vietnamese; empty when the record may be saved."""
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.family_name:
        err("family_name", "Họ không được để trống.")
    if not data.given_name:
        err("given_name", "Tên không được để trống.")
    if data.sex not in Sex.values:
        err("sex", "Giới tính phải là Nam hoặc Nữ.")
    if data.category not in Category.values:
        err("category", "Loại cán bộ không hợp lệ.")
    if data.birth_date is not None and data.birth_date.year != data.birth_year:
        err("birth_date", "Năm sinh không khớp với ngày sinh.")
    if not 1900 <= data.birth_year <= 2100:
        err("birth_year", "Năm sinh phải trong khoảng 1900–2100.")
    check = check_personal_id(
        data.personal_id, sex=data.sex if data.sex in Sex.values else None, birth_year=data.birth_year
    )
    for message in check.messages_vi:
        err("personal_id", message)
    if data.old_id:
        old = check_old_id(data.old_id)
        if not old.ok:
            for message in old.messages_vi:
                err("old_id", message)
    return errors


def _person_values(data: PersonInput) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in PERSON_FIELDS}
    values["search_name"] = fold(
        " ".join(p for p in (data.family_name, data.middle_name, data.given_name) if p)
    )
    values["sort_key"] = person_sort_key(data.family_name, data.middle_name, data.given_name)
    return values


def _require_scope(scope: Scope, unit: OrgUnit) -> None:
    if not scope.covers(unit.path):
        raise OutOfScope({"unit": [f"Đơn vị «{unit.name}» nằm ngoài phạm vi quản lý của bạn."]})


@dataclass
class EmploymentInput:
    unit_id: int
    start_date: dt.date
    position_id: int | None = None
    title: str = ""
    rank_id: int | None = None
    salary_step: int | None = None
    step_since: dt.date | None = None
    position_allowance: Decimal = Decimal("0")
    seniority_pct: Decimal = Decimal("0")
    percent_allowances: Decimal = Decimal("0")
    decision_number: str = ""


def _validate_employment(data: EmploymentInput) -> tuple[OrgUnit, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    unit = OrgUnit.objects.filter(pk=data.unit_id).first()
    if unit is None:
        raise ServiceError({"unit": ["Đơn vị không tồn tại."]})
    if not unit.is_active_on(data.start_date):
        errors.setdefault("unit", []).append("Đơn vị không còn hoạt động vào ngày bắt đầu.")
    if data.position_id is not None:
        position = JobPosition.objects.filter(pk=data.position_id, unit=unit).first()
        if position is None:
            errors.setdefault("position", []).append("Vị trí việc làm không thuộc đơn vị này.")
        elif not _active(position.valid_from, position.valid_to, data.start_date):
            errors.setdefault("position", []).append("Vị trí việc làm không có hiệu lực vào ngày bắt đầu.")
    _check_rank_and_step(data, errors)
    _check_allowances(data, errors)
    return unit, errors


def _active(valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def _check_rank_and_step(data: EmploymentInput, errors: dict[str, list[str]]) -> None:
    """The rank must exist; a salary step only means something within a rank's salary group."""
    if data.rank_id is None:
        if data.salary_step is not None:
            errors.setdefault("rank", []).append("Chọn ngạch để xác định bậc lương.")
        return
    rank = Rank.objects.select_related("salary_group").filter(pk=data.rank_id).first()
    if rank is None:
        errors.setdefault("rank", []).append("Ngạch không tồn tại.")
    elif data.salary_step is not None and not rank.salary_group.steps.filter(step=data.salary_step).exists():
        errors.setdefault("salary_step", []).append(
            f"Bậc {data.salary_step} không có trong nhóm lương {rank.salary_group.code}."
        )


# Allowance columns: (largest value the column holds, label); none may be negative.
ALLOWANCE_LIMITS = {
    "position_allowance": (Decimal("99.99"), "Hệ số phụ cấp chức vụ"),
    "seniority_pct": (Decimal("999.99"), "Phụ cấp vượt khung"),
    "percent_allowances": (Decimal("999.99"), "Phụ cấp theo %"),
}


def _check_allowances(data: EmploymentInput, errors: dict[str, list[str]]) -> None:
    for name, (largest, label) in ALLOWANCE_LIMITS.items():
        value: Decimal = getattr(data, name)
        if value < 0:
            errors.setdefault(name, []).append(f"{label} không được âm.")
        elif value > largest or value != value.quantize(Decimal("0.01")):
            shown = str(largest).replace(".", ",")  # 99,99: the UI writes decimals with a comma
            errors.setdefault(name, []).append(f"{label} tối đa {shown} (2 chữ số thập phân).")


@transaction.atomic
def create_person(
    actor: Actor,
    scope: Scope,
    data: PersonInput,
    employment: EmploymentInput,
    *,
    reason: str = "",
) -> Person:
    """Register a new official with their first employment (Decree 27/2026 Art 18: dossier on recruitment)."""
    data = data.normalised()
    errors = validate_person(data)
    unit, emp_errors = _validate_employment(employment)
    errors.update(emp_errors)
    if Person.objects.filter(personal_id=data.personal_id).exists():
        errors.setdefault("personal_id", []).append("Số định danh đã có trong hồ sơ của người khác.")
    if errors:
        raise ServiceError(errors)
    _require_scope(scope, unit)
    person = Person.objects.create(**_person_values(data), current_unit=unit, org_path=unit.path)
    audit.record(
        actor,
        "create",
        person,
        after=audit.snapshot(person),
        reason=reason,
        subject_person_id=person.pk,
        org_path=unit.path,
    )
    _open_employment(actor, person, unit, employment, reason=reason)
    return person


@transaction.atomic
def update_person(
    actor: Actor, scope: Scope, person_id: int, data: PersonInput, *, expected_version: int, reason: str = ""
) -> Person:
    """Save edits to a person's record; refuses if someone saved it since ``expected_version``."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if not scope.covers(person.org_path):
        raise OutOfScope({"__all__": ["Hồ sơ nằm ngoài phạm vi quản lý của bạn."]})
    data = data.normalised()
    errors = validate_person(data)
    if Person.objects.filter(personal_id=data.personal_id).exclude(pk=person.pk).exists():
        errors.setdefault("personal_id", []).append("Số định danh đã có trong hồ sơ của người khác.")
    if errors:
        raise ServiceError(errors)
    if person.version != expected_version:
        raise StaleVersion(
            {"__all__": ["Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại thay đổi."]}
        )
    before = audit.snapshot(person)
    for name, value in _person_values(data).items():
        setattr(person, name, value)
    person.version = F("version") + 1
    person.save()
    person.refresh_from_db()
    old, new = audit.changed(before, audit.snapshot(person))
    (
        old.pop("version", None),
        new.pop("version", None),
        old.pop("updated_at", None),
        new.pop("updated_at", None),
    )
    if new:
        audit.record(
            actor,
            "update",
            person,
            before=old,
            after=new,
            reason=reason,
            subject_person_id=person.pk,
            org_path=person.org_path,
        )
    return person


def _open_employment(
    actor: Actor, person: Person, unit: OrgUnit, data: EmploymentInput, *, reason: str
) -> Employment:
    emp = Employment.objects.create(
        person=person,
        unit=unit,
        position_id=data.position_id,
        title=nfc(data.title),
        rank_id=data.rank_id,
        salary_step=data.salary_step,
        step_since=data.step_since,
        position_allowance=data.position_allowance,
        seniority_pct=data.seniority_pct,
        percent_allowances=data.percent_allowances,
        start_date=data.start_date,
        decision_number=nfc(data.decision_number),
    )
    audit.record(
        actor,
        "create",
        emp,
        after=audit.snapshot(emp),
        reason=reason,
        subject_person_id=person.pk,
        org_path=unit.path,
    )
    return emp


@transaction.atomic
def change_employment(
    actor: Actor,
    scope: Scope,
    person_id: int,
    data: EmploymentInput,
    *,
    end_reason: str = "",
    reason: str = "",
) -> Employment:
    """Transfer, appointment or step change: end the current spell the day before and open a new one."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if not scope.covers(person.org_path):
        raise OutOfScope({"__all__": ["Hồ sơ nằm ngoài phạm vi quản lý của bạn."]})
    unit, errors = _validate_employment(data)
    current = Employment.objects.filter(person=person, end_date__isnull=True).select_related("unit").first()
    errors.update(_start_date_errors(person, current, data.start_date))
    if errors:
        raise ServiceError(errors)
    _require_scope(scope, unit)
    if current is not None:
        before = audit.snapshot(current, ["end_date", "end_reason"])
        current.end_date = data.start_date - dt.timedelta(days=1)
        current.end_reason = nfc(end_reason)
        current.save(update_fields=["end_date", "end_reason"])
        audit.record(
            actor,
            "update",
            current,
            before=before,
            after=audit.snapshot(current, ["end_date", "end_reason"]),
            reason=reason,
            subject_person_id=person.pk,
            org_path=current.unit.path,
        )
    emp = _open_employment(actor, person, unit, data, reason=reason)
    Person.objects.filter(pk=person.pk).update(
        current_unit=unit, org_path=unit.path, version=F("version") + 1
    )
    return emp


@transaction.atomic
def end_employment(
    actor: Actor, scope: Scope, person_id: int, end_date: dt.date, *, end_reason: str, reason: str = ""
) -> Employment:
    """End the current spell on ``end_date`` (termination, streamlining, retirement): the person then has no
    current unit; the history keeps where they were."""
    person = Person.objects.select_for_update().get(pk=person_id)
    if not scope.covers(person.org_path):
        raise OutOfScope({"__all__": ["Hồ sơ nằm ngoài phạm vi quản lý của bạn."]})
    current = Employment.objects.filter(person=person, end_date__isnull=True).select_related("unit").first()
    if current is None:
        raise ServiceError({"__all__": ["Người này không có quá trình công tác hiện tại để kết thúc."]})
    if end_date < current.start_date:
        raise ServiceError({"end_date": [
            f"Ngày kết thúc phải từ ngày bắt đầu quá trình công tác hiện tại ({current.start_date:%d/%m/%Y})."
        ]})
    before = audit.snapshot(current, ["end_date", "end_reason"])
    current.end_date, current.end_reason = end_date, nfc(end_reason)
    current.save(update_fields=["end_date", "end_reason"])
    audit.record(
        actor, "update", current, before=before, after=audit.snapshot(current, ["end_date", "end_reason"]),
        reason=reason, subject_person_id=person.pk, org_path=current.unit.path,
    )
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1)
    return current


def _start_date_errors(person: Person, current: Employment | None, start: dt.date) -> dict[str, list[str]]:
    """A new spell starts after the current one started and after every earlier spell ended, so the
    history stays one line without overlaps."""
    if current is not None and start <= current.start_date:
        return {"start_date": [
            f"Ngày bắt đầu phải sau ngày bắt đầu của quá trình công tác hiện tại ({current.start_date:%d/%m/%Y})."
        ]}
    last_end = (
        Employment.objects.filter(person=person, end_date__isnull=False)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if last_end is not None and start <= last_end:
        return {"start_date": [
            f"Ngày bắt đầu phải sau ngày kết thúc quá trình công tác trước ({last_end:%d/%m/%Y})."
        ]}
    return {}


def _not_in_future(day: dt.date, field: str, label: str) -> dict[str, list[str]]:
    if day > timezone.localdate():
        return {field: [f"{label} không được sau ngày hôm nay: chỉ ghi quyết định đã ký."]}
    return {}


@transaction.atomic
def add_discipline(
    actor: Actor,
    scope: Scope,
    person_id: int,
    *,
    form: str,
    decided_on: dt.date,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    decision_number: str = "",
    reason: str = "",
) -> Discipline:
    """Record a discipline decision already signed (its date may not be in the future). It takes effect on or
    after the day it is decided: we allow no retroactive discipline."""
    person = _person_in_scope(scope, person_id)
    errors = _not_in_future(decided_on, "decided_on", "Ngày quyết định")
    if form not in Discipline.Form.values:
        errors["form"] = ["Hình thức kỷ luật không hợp lệ."]
    if effective_from < decided_on:
        errors["effective_from"] = ["Ngày có hiệu lực không được trước ngày quyết định."]
    if effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]
    if errors:
        raise ServiceError(errors)
    row = Discipline.objects.create(
        person=person,
        form=form,
        decided_on=decided_on,
        effective_from=effective_from,
        effective_to=effective_to,
        decision_number=nfc(decision_number),
        reason=nfc(reason),
    )
    audit.record(
        actor,
        "create",
        row,
        after=audit.snapshot(row),
        reason=reason,
        subject_person_id=person.pk,
        org_path=person.org_path,
    )
    return row


@transaction.atomic
def add_reward(
    actor: Actor,
    scope: Scope,
    person_id: int,
    *,
    title: str,
    decided_on: dt.date,
    level: str = "",
    decision_number: str = "",
) -> Reward:
    """Record a commendation already decided (its date may not be in the future)."""
    person = _person_in_scope(scope, person_id)
    errors = _not_in_future(decided_on, "decided_on", "Ngày quyết định")
    if not title.strip():
        errors["title"] = ["Danh hiệu, hình thức khen thưởng không được để trống."]
    if errors:
        raise ServiceError(errors)
    row = Reward.objects.create(
        person=person,
        title=nfc(title),
        level=nfc(level),
        decided_on=decided_on,
        decision_number=nfc(decision_number),
    )
    audit.record(
        actor, "create", row, after=audit.snapshot(row), subject_person_id=person.pk, org_path=person.org_path
    )
    return row


@transaction.atomic
def add_leave(
    actor: Actor,
    scope: Scope,
    person_id: int,
    *,
    kind: str,
    start_date: dt.date,
    end_date: dt.date,
    note: str = "",
) -> Leave:
    """Record a leave (it may be planned ahead); it may not overlap another leave of the same person."""
    person = _person_in_scope(scope, person_id)
    if kind not in Leave.Kind.values:
        raise ServiceError({"kind": ["Loại nghỉ không hợp lệ."]})
    if end_date < start_date:
        raise ServiceError({"end_date": ["Ngày kết thúc phải sau ngày bắt đầu."]})
    clash = Leave.objects.filter(person=person, start_date__lte=end_date, end_date__gte=start_date).first()
    if clash is not None:
        raise ServiceError({"start_date": [
            f"Trùng với thời gian nghỉ đã ghi ({clash.start_date:%d/%m/%Y} – {clash.end_date:%d/%m/%Y})."
        ]})
    row = Leave.objects.create(
        person=person, kind=kind, start_date=start_date, end_date=end_date, note=nfc(note)
    )
    audit.record(
        actor, "create", row, after=audit.snapshot(row), subject_person_id=person.pk, org_path=person.org_path
    )
    return row


def _person_in_scope(scope: Scope, person_id: int) -> Person:
    person = Person.objects.select_for_update().get(pk=person_id)
    if not scope.covers(person.org_path):
        raise OutOfScope({"__all__": ["Hồ sơ nằm ngoài phạm vi quản lý của bạn."]})
    return person
