"""Forms that add a record to a person: an employment spell, a discipline, a reward, a leave.

Parsing and field-level messages only: whether a unit is active on the day, a step exists in the rank's
salary group, dates are in order… is decided by ``congvu.personnel.services`` and its messages are put on
the fields by the views. Field names are the services' error keys, so every message lands on its field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congvu.org.models import OrgUnit
from congvu.personnel.models import Discipline, Leave
from congvu.web.choice_labels import translated_choices
from congvu.web.choices import Choices
from congvu.web.formats import vn_number
from congvu.web.forms import vn_date_field

if TYPE_CHECKING:  # django-stubs-ext is a dev-only dependency
    from django_stubs_ext import StrOrPromise

REASON_LABEL = _("Lý do")
REASON_HELP = _("Ghi vào nhật ký thay đổi của hồ sơ.")


class VnDecimalInput(forms.TextInput):
    """A number shown as 0,25 (Vietnamese decimal comma)."""

    def __init__(self) -> None:
        super().__init__(attrs={"inputmode": "decimal", "autocomplete": "off", "size": "8"})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal | int | float):
            return vn_number(value)
        return super().format_value(value)


class VnDecimalField(forms.DecimalField):
    """Accepts 0,25 as well as 0.25: HR staff type the decimal comma they read everywhere else."""

    widget = VnDecimalInput

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs type it as IntegerField's
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def vn_decimal_field(label: StrOrPromise, help_text: StrOrPromise = "") -> VnDecimalField:
    return VnDecimalField(
        label=label, required=False, initial=Decimal("0"), help_text=help_text,
        error_messages={"invalid": _("Không phải số: hãy nhập dạng 0,25.")},
    )


def reason_field(label: StrOrPromise = REASON_LABEL, help_text: StrOrPromise = REASON_HELP) -> forms.CharField:
    return forms.CharField(label=label, max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text)


def choice_id_field(label: StrOrPromise, *, required: bool = False) -> forms.IntegerField:
    """An id picked from a drop-down whose options the view fills in (they depend on the user and the day)."""
    return forms.IntegerField(label=label, required=required, widget=forms.Select)


def offer(field: forms.Field, choices: Choices, empty: StrOrPromise) -> None:
    field.widget.choices = [("", empty), *choices]


class EmploymentForm(forms.Form):
    """A transfer, appointment or step change: a new employment spell from ``start_date``."""

    start_date = vn_date_field(_("Ngày bắt đầu"), required=True)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    end_reason = forms.CharField(
        label=_("Lý do kết thúc quá trình hiện tại"), max_length=120, required=False,
        help_text=_("Ví dụ: Điều động, Bổ nhiệm, Nâng bậc lương."),
    )
    unit = choice_id_field(_("Đơn vị"), required=True)
    position = choice_id_field(_("Vị trí việc làm"))
    title = forms.CharField(label=_("Chức vụ"), max_length=120, required=False,
                            help_text=_("Ví dụ: Trưởng phòng. Để trống nếu không giữ chức vụ."))
    rank = choice_id_field(_("Ngạch"))
    salary_step = forms.IntegerField(label=_("Bậc lương"), required=False, min_value=1, max_value=99,
                                     help_text=_("Bậc phải có trong nhóm lương của ngạch."))
    step_since = vn_date_field(_("Hưởng bậc từ ngày"))
    position_allowance = vn_decimal_field(_("Hệ số phụ cấp chức vụ"), _("Ví dụ: 0,3"))
    seniority_pct = vn_decimal_field(_("Phụ cấp thâm niên vượt khung (%)"))
    percent_allowances = vn_decimal_field(_("Phụ cấp khác theo % (tổng)"), _("Ví dụ: 25 (phụ cấp công vụ)"))
    reason = reason_field()

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.units = units  # the units this user may place people in (any date)

    def offer(self, *, units: Choices, positions: Choices, ranks: Choices) -> None:
        offer(self.fields["unit"], units, _("— Chọn đơn vị —"))
        offer(self.fields["position"], positions, _("— Không gắn vị trí việc làm —"))
        offer(self.fields["rank"], ranks, _("— Chưa xếp ngạch —"))

    def clean_unit(self) -> int:
        unit_id: int = self.cleaned_data["unit"]
        if not self.units.filter(pk=unit_id).exists():
            # Same words whether the unit does not exist or lies outside the user's reach.
            raise forms.ValidationError(_("Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn."))
        return unit_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("position_allowance", "seniority_pct", "percent_allowances"):
            if data.get(name) is None and name not in self.errors:
                data[name] = Decimal("0")
        return data


class DisciplineForm(forms.Form):
    form = forms.ChoiceField(label=_("Hình thức kỷ luật"),
                             choices=[("", _("— Chọn hình thức —")), *translated_choices(Discipline.Form.choices)])
    decided_on = vn_date_field(_("Ngày quyết định"), required=True)
    effective_from = vn_date_field(_("Có hiệu lực từ ngày"), required=True)
    effective_to = vn_date_field(_("Hết hiệu lực ngày"))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    reason = reason_field(help_text=_("Hành vi vi phạm, theo quyết định. Ghi cả vào nhật ký thay đổi của hồ sơ."))


class RewardForm(forms.Form):
    title = forms.CharField(label=_("Danh hiệu, hình thức khen thưởng"), max_length=200,
                            help_text=_("Ví dụ: Chiến sĩ thi đua cơ sở; Bằng khen của Chủ tịch UBND tỉnh."))
    level = forms.CharField(label=_("Cấp khen thưởng"), max_length=80, required=False,
                            help_text=_("Ví dụ: cơ sở, tỉnh, bộ, nhà nước."))
    decided_on = vn_date_field(_("Ngày quyết định"), required=True)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại nghỉ"),
                             choices=[("", _("— Chọn loại nghỉ —")), *translated_choices(Leave.Kind.choices)])
    start_date = vn_date_field(_("Từ ngày"), required=True)
    end_date = vn_date_field(_("Đến ngày"), required=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)
