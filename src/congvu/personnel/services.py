"""One function per user intent on personnel records. Each owns its transaction and writes the audit entry.

Callers (views, API, CLI, importers) have already passed the ``congvu.access`` checks for the records
they name; services re-check that target units are inside the caller's write scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

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
    if (
        data.position_id is not None
        and not JobPosition.objects.filter(pk=data.position_id, unit=unit).exists()
    ):
        errors.setdefault("position", []).append("Vị trí việc làm không thuộc đơn vị này.")
    if data.rank_id is not None and data.salary_step is not None:
        rank = Rank.objects.select_related("salary_group").filter(pk=data.rank_id).first()
        if rank is None:
            errors.setdefault("rank", []).append("Ngạch không tồn tại.")
        elif not rank.salary_group.steps.filter(step=data.salary_step).exists():
            errors.setdefault("salary_step", []).append(
                f"Bậc {data.salary_step} không có trong nhóm lương {rank.salary_group.code}."
            )
    return unit, errors


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
    if errors:
        raise ServiceError(errors)
    _require_scope(scope, unit)
    current = Employment.objects.filter(person=person, end_date__isnull=True).first()
    if current is not None:
        if data.start_date <= current.start_date:
            raise ServiceError(
                {"start_date": ["Ngày bắt đầu phải sau ngày bắt đầu của quá trình công tác hiện tại."]}
            )
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
    person = _person_in_scope(scope, person_id)
    if form not in Discipline.Form.values:
        raise ServiceError({"form": ["Hình thức kỷ luật không hợp lệ."]})
    if effective_to is not None and effective_to < effective_from:
        raise ServiceError({"effective_to": ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]})
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
    person = _person_in_scope(scope, person_id)
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
    person = _person_in_scope(scope, person_id)
    if kind not in Leave.Kind.values:
        raise ServiceError({"kind": ["Loại nghỉ không hợp lệ."]})
    if end_date < start_date:
        raise ServiceError({"end_date": ["Ngày kết thúc phải sau ngày bắt đầu."]})
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
