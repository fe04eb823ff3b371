"""Records added to a person (HR): a new employment spell, a discipline, a reward, a leave.

Same conventions as the rest of /api/v1/: 404 when the person is out of the caller's reach (or missing),
403 when the caller may read the person but not write, 422 ``{"errors": {field: [...]}}`` when the
input is refused, and then nothing is written. Each write goes through ``congvu.personnel.services``,
which records the audit entry.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from congvu.access.access import access_person, person_rights, write_scope
from congvu.access.policy import Right
from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.people import employment_row
from congvu.api.schemas import (
    DisciplineIn,
    DisciplineOut,
    EmploymentChange,
    EmploymentOut,
    LeaveIn,
    LeaveOut,
    RewardIn,
    RewardOut,
)
from congvu.org.models import OrgUnit
from congvu.personnel import services
from congvu.personnel.models import Employment

router = Router(tags=["people"])

# The services name the employment's references by model field; the request body names them by id.
EMPLOYMENT_FIELDS = {"unit": "unit_id", "position": "position_id", "rank": "rank_id"}


def writable(request: HttpRequest, person_id: int) -> User:
    """The caller, after the checks: 404 out of reach, 403 without the right to write people."""
    user = caller(request)
    person = access_person(user, person_id)
    require(Right.WRITE_PEOPLE in person_rights(user, person))
    return user


def renamed(errors: dict[str, list[str]], names: dict[str, str]) -> dict[str, list[str]]:
    return {names.get(key, key): messages for key, messages in errors.items()}


@router.post("/people/{person_id}/employments", response=responses({201: EmploymentOut}, write=True),
             summary="Transfer, appointment or step change (HR): the current spell ends the day before")
def add_employment(request: HttpRequest, person_id: int, payload: EmploymentChange) -> Status[EmploymentOut]:
    user = writable(request, person_id)
    scope = write_scope(user)
    unit = OrgUnit.objects.filter(pk=payload.unit_id).first()
    if unit is None or not scope.covers(unit.path):
        # The same answer whether the unit is missing or outside the caller's reach.
        raise services.ServiceError(
            {"unit_id": ["Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."]})
    data = payload.model_dump(exclude={"end_reason", "reason"})
    try:
        emp = services.change_employment(user, scope, person_id, services.EmploymentInput(**data),
                                         end_reason=payload.end_reason, reason=payload.reason)
    except services.ServiceError as exc:
        raise type(exc)(renamed(exc.errors, EMPLOYMENT_FIELDS)) from exc
    emp = Employment.objects.select_related("unit", "position", "rank").get(pk=emp.pk)
    return Status(201, employment_row(emp))


@router.post("/people/{person_id}/disciplines", response=responses({201: DisciplineOut}, write=True),
             summary="Record a discipline decision (HR); its date may not be in the future")
def add_discipline(request: HttpRequest, person_id: int, payload: DisciplineIn) -> Status[DisciplineOut]:
    user = writable(request, person_id)
    row = services.add_discipline(user, write_scope(user), person_id, **payload.model_dump())
    return Status(201, DisciplineOut.model_validate(row, from_attributes=True))


@router.post("/people/{person_id}/rewards", response=responses({201: RewardOut}, write=True),
             summary="Record a commendation (HR); its date may not be in the future")
def add_reward(request: HttpRequest, person_id: int, payload: RewardIn) -> Status[RewardOut]:
    user = writable(request, person_id)
    row = services.add_reward(user, write_scope(user), person_id, **payload.model_dump())
    return Status(201, RewardOut.model_validate(row, from_attributes=True))


@router.post("/people/{person_id}/leaves", response=responses({201: LeaveOut}, write=True),
             summary="Record a leave (HR); it may not overlap another leave of the person")
def add_leave(request: HttpRequest, person_id: int, payload: LeaveIn) -> Status[LeaveOut]:
    user = writable(request, person_id)
    row = services.add_leave(user, write_scope(user), person_id, **payload.model_dump())
    return Status(201, LeaveOut.model_validate(row, from_attributes=True))
