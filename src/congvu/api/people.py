"""Personnel records: search, read (sensitive fields masked by role), create, edit with optimistic
locking, and the audit history."""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from congvu.access.access import (
    IDENTITY_FIELDS,
    MASK,
    SENSITIVE_FIELDS,
    access_person,
    access_unit,
    masked_fields,
    people_visible,
    person_rights,
    rights_at,
    write_scope,
)
from congvu.access.policy import Right
from congvu.api.auth import caller
from congvu.api.errors import require, responses
from congvu.api.pagination import page_of
from congvu.api.schemas import (
    AreaRef,
    AuditOut,
    AuditPage,
    DisciplineOut,
    EmploymentOut,
    LeaveOut,
    PageQuery,
    PeoplePage,
    PeopleQuery,
    PersonCreate,
    PersonDetail,
    PersonFields,
    PersonListItem,
    PersonPatch,
    RankRef,
    Ref,
    RewardOut,
    UnitRef,
)
from congvu.core.models import AuditEntry
from congvu.org.models import AdminArea, OrgUnit
from congvu.personnel import services
from congvu.personnel.models import Employment, Person
from congvu.text import fold

router = Router(tags=["people"])

ORDERS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "birth_year": ("birth_year", "sort_key", "id"),
    "-birth_year": ("-birth_year", "sort_key", "id"),
}
# PersonInput fields that may be null; the others must keep a value when a PATCH sends them.
NULLABLE_FIELDS = {"birth_date", "party_member", "party_joined_on", "hometown_id", "birthplace_id"}


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def unit_ref(unit: OrgUnit | None) -> UnitRef | None:
    return UnitRef(id=unit.pk, name=unit.name, kind=unit.kind) if unit is not None else None


def area_ref(area: AdminArea | None) -> AreaRef | None:
    return AreaRef(id=area.pk, code=area.code, name=area.name) if area is not None else None


def hidden_fields(rights: frozenset[Right]) -> list[str]:
    hidden: list[str] = []
    if Right.READ_SENSITIVE not in rights:
        hidden += SENSITIVE_FIELDS
    if Right.READ_IDENTITY not in rights:
        hidden += IDENTITY_FIELDS
    return hidden


# ---- serialisation ------------------------------------------------------------------------------------


def list_item(user: User, person: Person) -> PersonListItem:
    return PersonListItem(
        id=person.pk, full_name=person.full_name, family_name=person.family_name,
        middle_name=person.middle_name, given_name=person.given_name, sex=person.sex,
        birth_year=person.birth_year, category=person.category,
        personal_id=masked_fields(user, person)["personal_id"], current_unit=unit_ref(person.current_unit),
    )


def employment_row(emp: Employment) -> EmploymentOut:
    return EmploymentOut(
        id=emp.pk, unit=UnitRef(id=emp.unit.pk, name=emp.unit.name, kind=emp.unit.kind),
        position=Ref(id=emp.position.pk, name=emp.position.name) if emp.position is not None else None,
        title=emp.title,
        rank=RankRef(id=emp.rank.pk, code=emp.rank.code, name=emp.rank.name) if emp.rank is not None else None,
        salary_step=emp.salary_step, step_since=emp.step_since, position_allowance=emp.position_allowance,
        seniority_pct=emp.seniority_pct, percent_allowances=emp.percent_allowances, start_date=emp.start_date,
        end_date=emp.end_date, decision_number=emp.decision_number, end_reason=emp.end_reason,
    )


def person_detail(user: User, person_id: int) -> PersonDetail:
    """The record as ``user`` may see it: identity and sensitive fields come from ``masked_fields``."""
    person = Person.objects.select_related("current_unit", "hometown", "birthplace").get(pk=person_id)
    employments = person.employments.select_related("unit", "position", "rank").order_by("-start_date", "-id")
    return PersonDetail(
        id=person.pk, version=person.version, full_name=person.full_name, family_name=person.family_name,
        middle_name=person.middle_name, given_name=person.given_name, sex=person.sex,
        birth_year=person.birth_year, category=person.category, education_level=person.education_level,
        political_theory_level=person.political_theory_level, insured_months=person.insured_months,
        current_unit=unit_ref(person.current_unit), hometown=area_ref(person.hometown),
        birthplace=area_ref(person.birthplace),
        **masked_fields(user, person),
        masked=hidden_fields(person_rights(user, person)),
        employments=[employment_row(e) for e in employments],
        disciplines=[DisciplineOut.model_validate(d, from_attributes=True) for d in person.disciplines.all()],
        rewards=[RewardOut.model_validate(r, from_attributes=True) for r in person.rewards.all()],
        leaves=[LeaveOut.model_validate(lv, from_attributes=True) for lv in person.leaves.all()],
    )


def audit_row(entry: AuditEntry, hidden: list[str]) -> AuditOut:
    def mask(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        return {k: (MASK if k in hidden and v not in (None, "") else v) for k, v in values.items()}

    return AuditOut(
        id=entry.pk, at=entry.at, actor=entry.actor_label, action=entry.action, object_type=entry.object_type,
        object_id=entry.object_id, before=mask(entry.before), after=mask(entry.after), reason=entry.reason,
    )


# ---- input --------------------------------------------------------------------------------------------


def person_input(fields: dict[str, Any]) -> services.PersonInput:
    return services.PersonInput(**{k: plain(v) for k, v in fields.items()})


def merged_input(person: Person, sent: dict[str, Any]) -> services.PersonInput:
    """The person's current values with the fields the PATCH sent laid over them."""
    cleared = {k: ["Trường này không được để trống."] for k, v in sent.items() if v is None and k not in NULLABLE_FIELDS}
    if cleared:
        raise services.ServiceError(cleared)
    current = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    return person_input({**current, **sent})


# ---- endpoints ----------------------------------------------------------------------------------------


@router.get("/people", response=responses({200: PeoplePage}), summary="Search people in the caller's subtree")
def list_people(request: HttpRequest, filters: Query[PeopleQuery]) -> dict[str, Any]:
    user = caller(request)
    qs = people_visible(user).select_related("current_unit")
    for word in fold(filters.q).split():
        qs = qs.filter(search_name__contains=word)  # search_name is folded to lower case; LIKE can use the trigram index
    if filters.unit is not None:
        unit = OrgUnit.objects.filter(pk=filters.unit).first()
        qs = qs.filter(org_path__startswith=unit.path) if unit is not None else qs.none()
    if filters.category is not None:
        qs = qs.filter(category=plain(filters.category))
    if filters.sex is not None:
        qs = qs.filter(sex=plain(filters.sex))
    rows, envelope = page_of(qs.order_by(*ORDERS[filters.order]), filters)
    return {**envelope, "items": [list_item(user, p) for p in rows]}


@router.get("/people/{person_id}", response=responses({200: PersonDetail}),
            summary="One person with employments, disciplines, rewards and leaves")
def get_person(request: HttpRequest, person_id: int) -> PersonDetail:
    user = caller(request)
    access_person(user, person_id)
    return person_detail(user, person_id)


@router.post("/people", response=responses({201: PersonDetail}, write=True),
             summary="Register a person with their first employment (HR)")
def create_person(request: HttpRequest, payload: PersonCreate) -> Status[PersonDetail]:
    user = caller(request)
    unit = access_unit(user, payload.employment.unit_id)
    require(Right.WRITE_PEOPLE in rights_at(user, unit.path))
    person = services.create_person(
        user,
        write_scope(user),
        person_input(payload.model_dump(include=set(PersonFields.model_fields))),
        services.EmploymentInput(**payload.employment.model_dump()),
        reason=payload.reason,
    )
    return Status(201, person_detail(user, person.pk))


@router.patch("/people/{person_id}", response=responses({200: PersonDetail}, write=True, versioned=True),
              summary="Edit a person (HR); send the version you read, a stale one gets 409")
def patch_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> PersonDetail:
    user = caller(request)
    person = access_person(user, person_id)
    require(Right.WRITE_PEOPLE in person_rights(user, person))
    sent = payload.model_dump(exclude_unset=True)
    version, reason = sent.pop("version"), sent.pop("reason", "")
    services.update_person(
        user, write_scope(user), person_id, merged_input(person, sent), expected_version=version, reason=reason
    )
    return person_detail(user, person_id)


@router.get("/people/{person_id}/history", response=responses({200: AuditPage}, write=True),
            summary="Audit entries about a person, newest first (needs the audit right)")
def person_history(request: HttpRequest, person_id: int, filters: Query[PageQuery]) -> dict[str, Any]:
    user = caller(request)
    person = access_person(user, person_id)
    rights = person_rights(user, person)
    require(Right.READ_AUDIT in rights)
    rows, envelope = page_of(AuditEntry.objects.filter(subject_person_id=person.pk).order_by("-at", "-id"), filters)
    hidden = hidden_fields(rights)
    return {**envelope, "items": [audit_row(e, hidden) for e in rows]}
