"""Forms of the month's evaluation pages: parsing and field-level messages only.

Whether a sheet may still be changed, a product type is approved and valid in the period, the points stay
within each group's maximum… is decided by ``congvu.evaluation.work`` and ``workflow``; the views put their
messages on these fields. Field names are the services' error keys (``general.a`` becomes ``g_a``), so every
message lands on its field. Numbers accept the decimal comma (``0,25``) as well as the dot.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congvu.evaluation.models import ProductType, SheetStatus
from congvu.rules import nd335_2025 as nd335
from congvu.web.choice_labels import translated_choices
from congvu.web.formats import vn_number
from congvu.web.forms import vn_date_field
from congvu.web.record_forms import VnDecimalField, reason_field

if TYPE_CHECKING:  # django-stubs-ext is a dev-only dependency
    from django_stubs_ext import StrOrPromise

EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".zip")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAX_QUANTITY = Decimal(100000)
LEADER_CRITERION_MAX = Decimal(100)


def number_field(
    label: StrOrPromise, *, high: Decimal, required: bool = True, places: int = 2, help_text: StrOrPromise = ""
) -> VnDecimalField:
    """A number from 0 to ``high`` typed as 1,5 or 1.5, with messages that say what to type."""
    return VnDecimalField(
        label=label, required=required, min_value=Decimal(0), max_value=high, max_digits=12, decimal_places=places,
        help_text=help_text,
        error_messages={
            "required": _("Hãy nhập một số."),
            "invalid": _("Không phải số: hãy nhập dạng 1,5."),
            "min_value": _("Không được âm."),
            "max_value": _("Tối đa %(limit_value)s."),
            "max_decimal_places": _("Tối đa %(max)s chữ số sau dấu phẩy."),
            "max_digits": _("Số quá dài."),
            "max_whole_digits": _("Số quá lớn."),
        },
    )


def count_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=1000, initial=0, help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": "5"}),
        error_messages={"required": _("Hãy nhập số lần (0 nếu không có)."), "invalid": _("Hãy nhập số nguyên."),
                        "min_value": _("Không được âm."), "max_value": _("Tối đa 1000 lần.")},
    )


def product_label(ptype: ProductType) -> str:
    measure = f" ({ptype.measure})" if ptype.measure else ""
    return f"{ptype.code} – {ptype.name}{measure} × {vn_number(ptype.coefficient)}"


class TaskForm(forms.Form):
    """A task line: a type from the approved catalogue, or free text with its own coefficient."""

    product_type = forms.TypedChoiceField(
        label=_("Sản phẩm, công việc trong danh mục"), coerce=int, empty_value=None, required=False,
        error_messages={"invalid_choice": _("Sản phẩm này không có trong danh mục đã phê duyệt của đơn vị.")},
    )
    label = forms.CharField(label=_("Hoặc tên công việc ngoài danh mục"), max_length=255, required=False)
    coefficient = number_field(_("Hệ số quy đổi (công việc ngoài danh mục)"), high=Decimal(100), required=False,
                               places=4, help_text=_("Ví dụ: 1,5 nghĩa là một sản phẩm bằng 1,5 sản phẩm chuẩn."))
    quantity = number_field(_("Số lượng giao"), high=MAX_QUANTITY)
    due_date = vn_date_field(_("Hạn hoàn thành"))

    def __init__(self, *args: Any, catalogue: Sequence[ProductType] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["product_type"]
        field.choices = [("", _("— Ngoài danh mục: ghi tên và hệ số bên dưới —")),  # type: ignore[attr-defined]
                         *((p.pk, product_label(p)) for p in catalogue)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("product_type") is None and "product_type" not in self.errors:
            if not (data.get("label") or "").strip() and "label" not in self.errors:
                self.add_error("label", _("Chọn một sản phẩm trong danh mục, hoặc ghi tên công việc."))
            elif data.get("coefficient") is None and "coefficient" not in self.errors:
                self.add_error("coefficient", _("Công việc ngoài danh mục cần hệ số quy đổi."))
        return data


class ReportForm(forms.Form):
    """What the civil servant reports on a line: how many were done, when, and the evidence."""

    completed = number_field(_("Số lượng đã hoàn thành"), high=MAX_QUANTITY)
    completed_on = vn_date_field(_("Ngày hoàn thành"))
    evidence_link = forms.URLField(
        label=_("Đường dẫn minh chứng"), max_length=500, required=False, assume_scheme="https",
        help_text=_("Ví dụ: đường dẫn tới văn bản trên hệ thống quản lý văn bản."),
        error_messages={"invalid": _("Không phải đường dẫn hợp lệ: hãy nhập dạng https://…")},
    )
    evidence_file = forms.FileField(
        label=_("Hoặc tệp minh chứng"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_EXTENSIONS)}),
        help_text=_("PDF, ảnh, Word, Excel hoặc ZIP; tối đa 10 MB."),
        error_messages={"empty": _("Tệp tải lên đang trống.")},
    )

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        if PurePath(upload.name).suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(_("Không nhận loại tệp này (%(name)s): chỉ nhận PDF, ảnh, Word, Excel, ZIP."),
                                        params={"name": upload.name})
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        return upload


class FindingsForm(forms.Form):
    """The manager's findings on a line: major errors, delays, or an objective cause that waives both."""

    # Not "errors"/"delays": a form's ``errors`` is its error dict (the view maps the service's keys).
    error_count = count_field(_("Số lần sai sót lớn về nội dung"), _("Mỗi lần trừ một phần tư (25 %) sản phẩm ở điểm chất lượng."))
    delay_count = count_field(_("Số lần chậm tiến độ"), _("Mỗi lần trừ một phần tư (25 %) sản phẩm ở điểm tiến độ."))
    objective_cause = forms.BooleanField(label=_("Có nguyên nhân khách quan đã được xác nhận (không trừ điểm)"),
                                         required=False)
    objective_reason = forms.CharField(label=_("Lý do khách quan"), max_length=1000, required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Ghi chú về sai sót, chậm trễ"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Hiện trên trang giải trình điểm của công chức."))


def group_field_name(code: str) -> str:
    return f"g_{code}"


class GeneralForm(forms.Form):
    """The general criteria, one field per group with its maximum; for a leader's sheet scored by the superior,
    also organising capacity and internal unity (0–100)."""

    def __init__(self, *args: Any, groups: Sequence[nd335.GeneralGroup], leader: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        english = get_language() == "en"
        for group in groups:
            self.fields[group_field_name(group.code)] = number_field(
                f"{group.code}. {group.label_en if english else group.label_vi}", high=group.max_points,
                help_text=_("Tối đa %(max)s điểm.") % {"max": vn_number(group.max_points)},
            )
        if leader:
            self.fields["organising"] = number_field(
                _("đ. Khả năng tổ chức triển khai thực hiện nhiệm vụ (%)"), high=LEADER_CRITERION_MAX,
                help_text=_("Từ 0 đến 100, do cấp trên trực tiếp chấm."))
            self.fields["unity"] = number_field(
                _("e. Năng lực tập hợp, đoàn kết nội bộ (%)"), high=LEADER_CRITERION_MAX,
                help_text=_("Từ 0 đến 100, do cấp trên trực tiếp chấm."))
        self.group_codes = [g.code for g in groups]

    def points(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[group_field_name(code)] for code in self.group_codes}

    @property
    def group_fields(self) -> list[forms.BoundField]:
        return [self[group_field_name(code)] for code in self.group_codes]

    @property
    def leader_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("organising", "unity") if name in self.fields]


class ReasonForm(forms.Form):
    """Why a line is removed or a published sheet reopened (kept in the audit trail)."""

    reason = reason_field(help_text=_("Ghi vào nhật ký thay đổi."))


STATUS_FILTER = [("", _("Tất cả trạng thái")), *translated_choices(SheetStatus.choices)]
BOARD_SORTS = ("ten", "-ten", "don_vi", "-don_vi", "trang_thai", "-trang_thai", "tong", "-tong")


class BoardFilterForm(forms.Form):
    """The team board's filters; the period and the unit are read by the view (their choices depend on both)."""

    q = forms.CharField(label=_("Tìm theo họ tên"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATUS_FILTER)
    qua_han = forms.BooleanField(label=_("Chỉ phiếu quá hạn"), required=False)
    sap_xep = forms.ChoiceField(required=False, choices=[(k, k) for k in BOARD_SORTS])
