"""One error format for the whole API.

- 401 / 403 / 404: ``{"detail": "…"}``. 404 also means "exists but out of your subtree": the API never
  tells the two apart.
- 409 (stale version) and 422 (invalid input): ``{"errors": {field: [messages]}}``; ``__all__`` is the
  key for errors about the whole record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from congvu.access.access import NotFoundOrDenied
from congvu.api.schemas import ErrorOut, FieldErrorsOut
from congvu.consequences.decisions import DecisionError
from congvu.org.services import OrgError
from congvu.personnel.services import OutOfScope, ServiceError, StaleVersion

NOT_FOUND = "Không tìm thấy hoặc bạn không có quyền truy cập."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."


def responses(ok: dict[int, Any], *, write: bool = False, versioned: bool = False) -> dict[int, Any]:
    """The documented responses of an endpoint: its success shape plus the errors it can give."""
    out: dict[int, Any] = {**ok, 401: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut}
    if write:
        out[403] = ErrorOut
    if versioned:
        out[409] = FieldErrorsOut
    return out


class Forbidden(HttpError):
    """The caller can see the object but lacks the right for this operation."""

    def __init__(self, message: str = FORBIDDEN) -> None:
        super().__init__(403, message)


def require(allowed: bool, message: str = FORBIDDEN) -> None:
    if not allowed:
        raise Forbidden(message)


# Pydantic error types → Vietnamese messages; ``{…}`` fields come from the error's context.
MESSAGES_VI = {
    "missing": "Trường bắt buộc.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "string_too_long": "Dài tối đa {max_length} ký tự.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "decimal_type": "Phải là số.",
    "decimal_parsing": "Phải là số.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "date_type": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "date_from_datetime_inexact": "Ngày không hợp lệ (dạng YYYY-MM-DD).",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "enum": "Phải là một trong các giá trị: {expected}.",
    "literal_error": "Phải là một trong các giá trị: {expected}.",
    "extra_forbidden": "Trường không được hỗ trợ.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
}


def message_vi(error: dict[str, Any]) -> str:
    template = MESSAGES_VI.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "Giá trị không hợp lệ."))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(error.get("msg", "Giá trị không hợp lệ."))


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Pydantic's error list as {field: [messages]}; the location drops the source ("body", "query")
    and the parameter name, keeping nested names joined by dots (``employment.unit_id``)."""
    out: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in {"body", "query", "path", "header", "cookie", "form"}:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] in {"payload", "params", "filters"}:
            loc = loc[1:]
        out.setdefault(".".join(loc) or "__all__", []).append(message_vi(error))
    return out


def install(api: NinjaAPI) -> None:
    def errors(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"detail": NOT_FOUND}, 404)

    def on_permission(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"detail": str(exc) or FORBIDDEN}, 403)

    def on_out_of_scope(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"detail": str(exc) or FORBIDDEN}, 403)

    def on_stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"errors": exc.errors}, 409)

    def on_service_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"errors": exc.errors}, 422)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return errors(request, {"errors": field_errors(exc)}, 422)

    api.add_exception_handler(NotFoundOrDenied, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission)
    api.add_exception_handler(OutOfScope, on_out_of_scope)
    api.add_exception_handler(StaleVersion, on_stale)
    api.add_exception_handler(ServiceError, on_service_error)
    api.add_exception_handler(OrgError, on_service_error)
    api.add_exception_handler(DecisionError, on_service_error)
    api.add_exception_handler(ValidationError, on_validation)
