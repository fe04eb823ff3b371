"""Request and response shapes of /api/v1/. Dates are ISO 8601; text comes in and goes out as NFC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.models import Category, Discipline, Leave, Sex
from congvu.text import nfc

# ---- common -------------------------------------------------------------------------------------------

MAX_LIMIT = 500


class InputSchema(Schema):
    """Every text field of a request body is normalised to NFC before a handler sees it."""

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(
        ..., description="field name → messages (Vietnamese); '__all__' for the record as a whole"
    )


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"rows per page (1–{MAX_LIMIT})")
    offset: int = Field(0, ge=0, description="rows to skip")


class Page(Schema):
    total: int = Field(..., description="rows matching the filters, over all pages")
    limit: int
    offset: int


class Ref(Schema):
    id: int
    name: str


# ---- units --------------------------------------------------------------------------------------------


class UnitRef(Ref):
    kind: str


class UnitOut(Schema):
    id: int
    code: str
    agency_code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None


class Staffing(Schema):
    quota: int = Field(..., description="sum of the headcount quotas (biên chế) of the job positions")
    staff: int = Field(..., description="people employed on the day")
    vacancies: int = Field(..., description="quota − staff (negative when over quota)")


class UnitDetail(UnitOut):
    as_of: dt.date
    ancestors: list[UnitRef] = Field(..., description="from the root down to the parent")
    staffing: Staffing = Field(..., description="this unit alone")
    staffing_subtree: Staffing = Field(..., description="this unit and every unit below it")


class UnitQuery(PageQuery):
    as_of: dt.date | None = Field(None, description="units in force on this day (default: today)")
    parent: int | None = Field(None, description="only the direct children of this unit")
    kind: OrgUnit.Kind | None = None
    order: Literal["path", "name", "-name", "code"] = Field(
        "path", description="path = tree order; name = Vietnamese alphabetical order"
    )


class UnitPage(Page):
    items: list[UnitOut]


# ---- positions ----------------------------------------------------------------------------------------


class RankRef(Schema):
    id: int
    code: str
    name: str


class PositionOut(Schema):
    id: int
    unit: UnitRef
    code: str
    name: str
    group: str
    rank: RankRef | None
    headcount_quota: int
    filled: int = Field(..., description="people employed in the position on the day")
    vacancies: int = Field(..., description="headcount_quota − filled")
    valid_from: dt.date | None
    valid_to: dt.date | None


class PositionQuery(PageQuery):
    as_of: dt.date | None = Field(None, description="positions in force and staff counted on this day (default: today)")
    order: Literal["name", "-name", "quota", "-quota", "vacancies", "-vacancies"] = "name"


class PositionPage(Page):
    items: list[PositionOut]


class PositionCreate(InputSchema):
    name: str = Field(..., min_length=1, max_length=255)
    group: JobPosition.Group
    headcount_quota: int = Field(..., ge=0)
    code: str = Field("", max_length=40)
    rank_id: int | None = None
    valid_from: dt.date | None = None


class PositionQuotaPatch(InputSchema):
    headcount_quota: int = Field(..., ge=0)
    reason: str = Field("", max_length=1000, description="why the quota changes (kept in the audit trail)")


# ---- people -------------------------------------------------------------------------------------------


class AreaRef(Schema):
    id: int
    code: str
    name: str


class PersonListItem(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str
    birth_year: int
    category: str
    personal_id: str = Field(..., description="masked unless the caller may see identity fields")
    current_unit: UnitRef | None


class PeopleQuery(PageQuery):
    q: str = Field("", max_length=200, description="name search, accent-insensitive: every word must occur in the name")
    unit: int | None = Field(None, description="people in this unit and every unit below it")
    category: Category | None = None
    sex: Sex | None = None
    order: Literal["name", "-name", "birth_year", "-birth_year"] = Field(
        "name", description="name = Vietnamese order (tên, chữ đệm, họ)"
    )


class PeoplePage(Page):
    items: list[PersonListItem]


class EmploymentOut(Schema):
    id: int
    unit: UnitRef
    position: Ref | None
    title: str
    rank: RankRef | None
    salary_step: int | None
    step_since: dt.date | None
    position_allowance: Decimal
    seniority_pct: Decimal
    percent_allowances: Decimal
    start_date: dt.date
    end_date: dt.date | None
    decision_number: str
    end_reason: str


class DisciplineOut(Schema):
    id: int
    form: str
    decided_on: dt.date
    effective_from: dt.date
    effective_to: dt.date | None
    decision_number: str
    reason: str


class RewardOut(Schema):
    id: int
    title: str
    level: str
    decided_on: dt.date
    decision_number: str


class LeaveOut(Schema):
    id: int
    kind: str
    start_date: dt.date
    end_date: dt.date
    note: str


class PersonDetail(Schema):
    id: int
    version: int = Field(..., description="send it back in PATCH: a stale version gets 409")
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str
    birth_year: int
    category: str
    education_level: str
    political_theory_level: str
    insured_months: int
    current_unit: UnitRef | None
    hometown: AreaRef | None
    birthplace: AreaRef | None
    personal_id: str
    old_id: str
    birth_date: dt.date | None
    ethnicity: str
    religion: str
    party_member: bool | str | None
    party_joined_on: dt.date | str | None
    masked: list[str] = Field(..., description="fields hidden from this caller (value replaced by a mask)")
    employments: list[EmploymentOut]
    disciplines: list[DisciplineOut]
    rewards: list[RewardOut]
    leaves: list[LeaveOut]


class PersonFields(InputSchema):
    """The editable fields of a personnel record (names as in ``PersonInput``)."""

    personal_id: str = Field(..., description="12-digit personal ID (số định danh cá nhân)")
    family_name: str = Field(..., max_length=40)
    middle_name: str = Field("", max_length=80)
    given_name: str = Field(..., max_length=40)
    sex: Sex
    birth_year: int
    birth_date: dt.date | None = None
    category: Category
    old_id: str = Field("", max_length=12)
    ethnicity: str = Field("", max_length=40)
    religion: str = Field("", max_length=40)
    party_member: bool | None = None
    party_joined_on: dt.date | None = None
    hometown_id: int | None = None
    birthplace_id: int | None = None
    education_level: str = ""
    political_theory_level: str = ""
    insured_months: int = Field(0, ge=0)


class EmploymentIn(InputSchema):
    unit_id: int
    start_date: dt.date
    position_id: int | None = None
    title: str = Field("", max_length=120)
    rank_id: int | None = None
    salary_step: int | None = Field(None, ge=1)
    step_since: dt.date | None = None
    position_allowance: Decimal = Decimal("0")
    seniority_pct: Decimal = Decimal("0")
    percent_allowances: Decimal = Decimal("0")
    decision_number: str = Field("", max_length=60)


def not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "Không được để trống.")
    return value


class EmploymentChange(EmploymentIn):
    """A transfer, appointment or step change: the current spell ends the day before ``start_date``."""

    end_reason: str = Field("", max_length=120, description="why the current spell ends (kept on that spell)")
    reason: str = Field(..., max_length=1000, description="why (kept in the audit trail); required")

    _reason = field_validator("reason")(not_blank)


class DisciplineIn(InputSchema):
    form: Discipline.Form
    decided_on: dt.date = Field(..., description="date the decision was signed; not in the future")
    effective_from: dt.date = Field(..., description="on or after decided_on")
    effective_to: dt.date | None = None
    decision_number: str = Field("", max_length=60)
    reason: str = Field(..., max_length=1000, description="the violation; also kept in the audit trail; required")

    _reason = field_validator("reason")(not_blank)


class RewardIn(InputSchema):
    title: str = Field(..., max_length=200, description="title or form of the commendation")
    level: str = Field("", max_length=80)
    decided_on: dt.date = Field(..., description="not in the future")
    decision_number: str = Field("", max_length=60)

    _title = field_validator("title")(not_blank)


class LeaveIn(InputSchema):
    kind: Leave.Kind
    start_date: dt.date
    end_date: dt.date = Field(..., description="last day, inclusive; may not overlap another leave")
    note: str = Field("", max_length=200)


class PersonCreate(PersonFields):
    employment: EmploymentIn
    reason: str = Field("", max_length=1000)


class PersonPatch(InputSchema):
    """Only the fields sent are changed; ``version`` is the one the client read."""

    version: int
    reason: str = Field("", max_length=1000)
    personal_id: str | None = None
    family_name: str | None = Field(None, max_length=40)
    middle_name: str | None = Field(None, max_length=80)
    given_name: str | None = Field(None, max_length=40)
    sex: Sex | None = None
    birth_year: int | None = None
    birth_date: dt.date | None = None
    category: Category | None = None
    old_id: str | None = Field(None, max_length=12)
    ethnicity: str | None = Field(None, max_length=40)
    religion: str | None = Field(None, max_length=40)
    party_member: bool | None = None
    party_joined_on: dt.date | None = None
    hometown_id: int | None = None
    birthplace_id: int | None = None
    education_level: str | None = None
    political_theory_level: str | None = None
    insured_months: int | None = Field(None, ge=0)


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


class AuditPage(Page):
    items: list[AuditOut]
