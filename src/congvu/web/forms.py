"""Forms of the pages: parsing and field-level messages only; rules live in services and congvu.rules."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congvu.personnel.models import Category, EducationLevel, PoliticalTheoryLevel, Sex
from congvu.rules.personal_id import check_old_id, check_personal_id
from congvu.web.choice_labels import translated_choices
from congvu.web.formats import DATE_INPUT_FORMATS

if TYPE_CHECKING:  # django-stubs-ext is a dev-only dependency
    from django_stubs_ext import StrOrPromise

IMPORT_EXTENSIONS = (".xlsx", ".csv")


class VnDateInput(forms.DateInput):
    """A text box in dd/mm/yyyy: predictable in every browser and locale, unlike type=date."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def vn_date_field(label: StrOrPromise, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=VnDateInput(),
        error_messages={"invalid": _("Không phải ngày hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.")},
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đang bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


class AsOfForm(forms.Form):
    """The day a page shows the organisation as it was (default: today, shown in the box)."""

    ngay = vn_date_field(_("Tại ngày"))

    def __init__(self, data: Any = None):
        super().__init__(data if data and data.get("ngay") else None, initial={"ngay": dt.date.today()})

    def day(self) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("ngay"):
            value: dt.date = self.cleaned_data["ngay"]
            return value
        return dt.date.today()


SORTS: dict[str, tuple[str, ...]] = {
    "ten": ("sort_key", "id"),
    "-ten": ("-sort_key", "-id"),
    "nam_sinh": ("birth_year", "sort_key", "id"),
    "-nam_sinh": ("-birth_year", "sort_key", "id"),
    "don_vi": ("org_path", "sort_key", "id"),
    "-don_vi": ("-org_path", "sort_key", "id"),
}


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo họ tên"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ví dụ: nguyen thi thu ha"), "autocomplete": "off"}),
    )
    don_vi = forms.IntegerField(label=_("Đơn vị"), required=False, widget=forms.Select)
    loai = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả")), *translated_choices(Category.choices)])
    gioi_tinh = forms.ChoiceField(label=_("Giới tính"), required=False, choices=[("", _("Tất cả")), *translated_choices(Sex.choices)])
    sap_xep = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Any visible unit may be chosen (filter_people checks it); the drop-down offers the upper levels.
        self.fields["don_vi"].widget.choices = [("", _("Tất cả đơn vị trong phạm vi")), *unit_choices]

    def ordering(self) -> tuple[str, ...]:
        key = self.cleaned_data.get("sap_xep") if self.is_valid() else ""
        return SORTS.get(key or "ten", SORTS["ten"])


PARTY_CHOICES = [("", _("Chưa rõ")), ("1", _("Có")), ("0", _("Không"))]


class PersonForm(forms.Form):
    """The editable fields of a person's record, plus the version it was read at and the reason."""

    family_name = forms.CharField(label=_("Họ"), max_length=40)
    middle_name = forms.CharField(label=_("Chữ đệm"), max_length=80, required=False)
    given_name = forms.CharField(label=_("Tên"), max_length=40)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=translated_choices(Sex.choices))
    birth_date = vn_date_field(_("Ngày sinh"))
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900, max_value=2100)
    category = forms.ChoiceField(label=_("Loại"), choices=translated_choices(Category.choices))
    personal_id = forms.CharField(label=_("Số định danh cá nhân"), max_length=12,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    old_id = forms.CharField(label=_("Số CMND cũ"), max_length=12, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    ethnicity = forms.CharField(label=_("Dân tộc"), max_length=40, required=False)
    religion = forms.CharField(label=_("Tôn giáo"), max_length=40, required=False)
    party_member = forms.ChoiceField(label=_("Đảng viên"), choices=PARTY_CHOICES, required=False)
    party_joined_on = vn_date_field(_("Ngày vào Đảng"))
    education_level = forms.ChoiceField(label=_("Trình độ chuyên môn"), choices=translated_choices(EducationLevel.choices), required=False)
    political_theory_level = forms.ChoiceField(
        label=_("Lý luận chính trị"), choices=translated_choices(PoliticalTheoryLevel.choices), required=False
    )
    insured_months = forms.IntegerField(label=_("Số tháng đóng BHXH"), min_value=0, initial=0)
    # Provinces only (34 now, 63 before 01/07/2025): short enough for a select; the view fills the choices.
    hometown = forms.TypedChoiceField(label=_("Quê quán"), coerce=int, empty_value=None, required=False)
    birthplace = forms.TypedChoiceField(label=_("Nơi sinh"), coerce=int, empty_value=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do thay đổi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký thay đổi của hồ sơ."),
    )

    IDENTITY = ("personal_id", "old_id", "birth_date")
    SENSITIVE = ("ethnicity", "religion", "party_member", "party_joined_on")

    def __init__(self, *args: Any, hidden: tuple[str, ...] = (), area_choices: list[tuple[Any, Any]] | None = None,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in hidden:
            del self.fields[name]
        for name in ("hometown", "birthplace"):
            self.fields[name].choices = area_choices or [("", "—")]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("birth_date")
        if data.get("birth_year") is None:
            if born is not None:
                data["birth_year"] = born.year
            elif "birth_year" in self.fields and "birth_year" not in self.errors:
                self.add_error("birth_year", _("Cần năm sinh (hoặc ngày sinh)."))
        self._check_ids(data)
        return data

    def _check_ids(self, data: dict[str, Any]) -> None:
        """The ID rules up front, so a form with other mistakes still reports a bad ID in the same round
        (the service checks again when it saves)."""
        english = get_language() == "en"
        if data.get("personal_id") and "personal_id" not in self.errors:
            check = check_personal_id(data["personal_id"].strip(), sex=data.get("sex") or None,
                                      birth_year=data.get("birth_year"))
            for message in check.messages_en if english else check.messages_vi:
                self.add_error("personal_id", message)
        if data.get("old_id") and "old_id" not in self.errors:
            old = check_old_id(data["old_id"].strip())
            for message in old.messages_en if english else old.messages_vi:
                self.add_error("old_id", message)

    def party_member_value(self) -> bool | None:
        raw = self.cleaned_data.get("party_member", "")
        return None if raw in ("", None) else raw == "1"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp dữ liệu (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
        error_messages={"required": _("Hãy chọn một tệp .xlsx hoặc .csv."),
                        "empty": _("Tệp tải lên đang trống.")},
    )
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi vào hồ sơ"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv (tệp đã chọn: %(name)s)."),
                                        params={"name": upload.name})
        return upload


EXPORT_FORMATS = (("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)"))
