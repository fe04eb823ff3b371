"""HR's own writes in this area: circumstances and past ratings (each audited), and running the lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from congvu.access.access import NotFoundOrDenied, rights_at
from congvu.access.policy import Right
from congvu.consequences.models import Circumstance, PastRating
from congvu.core import audit
from congvu.core.types import AnyUser
from congvu.personnel.models import Person
from congvu.rules.nd335_2025 import Level
from congvu.text import nfc


class CircumstanceError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


@dataclass(frozen=True)
class CircumstanceInput:
    kind: str
    start_date: dt.date
    end_date: dt.date | None = None
    decision_number: str = ""
    note: str = ""


def _person_for_manage(actor: AnyUser, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None or Right.MANAGE_CONSEQUENCES not in rights_at(actor, person.org_path):
        raise NotFoundOrDenied("Không tìm thấy hồ sơ hoặc bạn không có quyền.")
    return person


def _validate(data: CircumstanceInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.kind not in Circumstance.Kind.values:
        errors["kind"] = [f"Loại «{data.kind}» không có trong danh mục."]
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = ["Ngày kết thúc phải từ ngày bắt đầu."]
    return errors


@transaction.atomic
def add_circumstance(actor: AnyUser, person_id: int, data: CircumstanceInput, *, reason: str = "") -> Circumstance:
    person = _person_for_manage(actor, person_id)
    errors = _validate(data)
    if errors:
        raise CircumstanceError(errors)
    row = Circumstance.objects.create(
        person=person, kind=data.kind, start_date=data.start_date, end_date=data.end_date,
        decision_number=nfc(data.decision_number), note=nfc(data.note),
    )
    audit.record(actor, "create", row, after=audit.snapshot(row), reason=reason,
                 subject_person_id=person.pk, org_path=person.org_path)
    return row


@transaction.atomic
def set_past_rating(actor: AnyUser, person_id: int, year: int, level: str, *, source: str) -> PastRating:
    person = _person_for_manage(actor, person_id)
    if level not in {lv.value for lv in Level}:
        raise CircumstanceError({"level": [f"Mức xếp loại «{level}» không hợp lệ."]})
    row, created = PastRating.objects.get_or_create(person=person, year=year, defaults={"level": level, "source": nfc(source)})
    before = None if created else audit.snapshot(row, ["level", "source"])
    if not created:
        row.level, row.source = level, nfc(source)
        row.save(update_fields=["level", "source"])
    audit.record(actor, "create" if created else "update", row, before=before,
                 after=audit.snapshot(row, ["level", "source"]), subject_person_id=person.pk, org_path=person.org_path)
    return row
