"""The parameters of an organisation event (``OrgEvent.spec``), validated per kind with pydantic.

Only the shape is checked here (types, required fields, at least one source…); whether the ids name units and
positions that exist, are active the day before the effective date and lie inside the plan's scope is the
engine's business (:mod:`congvu.restructuring.engine`), because it needs the database.

Every problem becomes ``{"spec.<path>": [Vietnamese message]}``, e.g. ``spec.target.name``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from congvu.text import nfc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuotaDecisionSpec(_Strict):
    """The successor of ``old_position_id`` gets ``quota`` instead of the quota carried over."""

    old_position_id: int
    quota: int = Field(ge=0)
    reason: str = ""

    @field_validator("reason")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class AbolishSpec(_Strict):
    """The position ends without a successor; its staff move into the successor unit without a position."""

    old_position_id: int
    reason: str = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class _EventSpec(_Strict):
    quota_decisions: list[QuotaDecisionSpec] = []
    abolish_positions: list[AbolishSpec] = []


class NewUnitSpec(_Strict):
    name: str = Field(min_length=1, max_length=255)
    kind: str
    parent_id: int
    code: str = Field(default="", max_length=35)

    @field_validator("name", "code")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class TargetSpec(_Strict):
    """Either an existing unit (``existing_id``) or a new one (``name``, ``kind``, ``parent_id``, ``code``)."""

    existing_id: int | None = None
    name: str = Field(default="", max_length=255)
    kind: str = ""
    parent_id: int | None = None
    code: str = Field(default="", max_length=35)

    @field_validator("name", "code")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @model_validator(mode="after")
    def _one_or_the_other(self) -> TargetSpec:
        if self.existing_id is not None:
            if self.name or self.kind or self.parent_id is not None or self.code:
                raise ValueError("existing_or_new")
        elif not self.name or not self.kind or self.parent_id is None:
            raise ValueError("new_needs_name_kind_parent")
        return self


class MergeSpec(_EventSpec):
    sources: list[int] = Field(min_length=1)
    target: TargetSpec
    child_names: dict[int, str] = {}

    @field_validator("child_names")
    @classmethod
    def _nfc(cls, value: dict[int, str]) -> dict[int, str]:
        return {k: nfc(v) for k, v in value.items()}


class SplitSpec(_EventSpec):
    source: int
    targets: list[NewUnitSpec] = Field(min_length=2)
    children: dict[int, int] = {}
    positions: dict[int, int] = {}


class DissolveSpec(_EventSpec):
    unit: int
    receiving_unit_id: int


class RenameSpec(_EventSpec):
    unit: int
    name: str = Field(min_length=1, max_length=255)

    @field_validator("name")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class MoveSpec(_EventSpec):
    unit: int
    parent_id: int


class LevelChangeSpec(_EventSpec):
    unit: int
    kind: str
    parent_id: int | None = None


AnySpec = MergeSpec | SplitSpec | DissolveSpec | RenameSpec | MoveSpec | LevelChangeSpec

SPEC_OF_KIND: dict[str, type[_EventSpec]] = {
    "merge": MergeSpec,
    "split": SplitSpec,
    "dissolve": DissolveSpec,
    "rename": RenameSpec,
    "move": MoveSpec,
    "level_change": LevelChangeSpec,
}

_MESSAGES = {
    "missing": "Thiếu thông tin bắt buộc.",
    "extra_forbidden": "Trường này không được hỗ trợ.",
    "int_type": "Phải là số nguyên (mã đơn vị / vị trí).",
    "int_parsing": "Phải là số nguyên (mã đơn vị / vị trí).",
    "int_from_float": "Phải là số nguyên.",
    "string_type": "Phải là chuỗi ký tự.",
    "list_type": "Phải là danh sách.",
    "dict_type": "Phải là bảng ánh xạ {mã: giá trị}.",
    "model_type": "Phải là một đối tượng {…}.",
    "model_attributes_type": "Phải là một đối tượng {…}.",
    "greater_than_equal": "Không được âm.",
}
_CUSTOM = {
    "existing_or_new": "Chọn đơn vị có sẵn (existing_id) hoặc tạo đơn vị mới (name, kind, parent_id), không cả hai.",
    "new_needs_name_kind_parent": "Đơn vị mới cần tên, loại và đơn vị cấp trên (hoặc chọn đơn vị có sẵn).",
}


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        text = str(error.get("ctx", {}).get("error", ""))
        return _CUSTOM.get(text, "Giá trị không hợp lệ.")
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length", 1)
        return "Không được để trống." if minimum == 1 and error["input"] in ("", None) else (
            f"Cần ít nhất {minimum} phần tử." if not isinstance(error["input"], str) else "Không được để trống.")
    if kind == "too_long":
        return f"Dài quá {error.get('ctx', {}).get('max_length')} ký tự."
    return _MESSAGES.get(kind, "Giá trị không hợp lệ.")


def parse_spec(kind: str, data: Any) -> AnySpec:
    """The validated spec of an event of ``kind``; ``SpecError`` with every problem otherwise."""
    model = SPEC_OF_KIND.get(kind)
    if model is None:
        raise SpecError({"kind": [f"Loại sự kiện «{kind}» không hợp lệ."]})
    if not isinstance(data, dict):
        raise SpecError({"spec": ["Tham số của sự kiện phải là một đối tượng {…}."]})
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            key = ".".join(["spec", *(str(part) for part in error["loc"])])
            errors.setdefault(key, []).append(_message(error))
        raise SpecError(errors) from None


class SpecError(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
