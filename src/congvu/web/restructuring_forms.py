"""Forms of the restructuring pages: parsing and field-level messages only. The event form turns its fields
into the ``spec`` of ``congvu.restructuring.services.add_event``; the services validate it (units exist, are
active the day before, lie in the plan's scope) and name the field when they refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.org.models import OrgUnit
from congvu.restructuring.models import OrgEvent, Proposal
from congvu.web.forms import vn_date_field

MAX_UNITS = 400
UNIT_KINDS = [(k.value, k.label) for k in OrgUnit.Kind]


def unit_choices(root: OrgUnit, day: dt.date) -> list[tuple[int, str]]:
    """The units of ``root``'s subtree existing on ``day``, indented by depth, in path order."""
    units = (OrgUnit.objects.filter(path__startswith=root.path).active_on(day).order_by("path")
             .values_list("pk", "name", "depth")[:MAX_UNITS])
    return [(pk, "\u2003" * (depth - root.depth) + name) for pk, name, depth in units]


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên phương án"), max_length=255)
    scope_unit = forms.TypedChoiceField(label=gettext_lazy("Phạm vi (tỉnh, bộ hoặc đơn vị)"), coerce=int)
    notes = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, scopes: list[OrgUnit], **kwargs: Any):
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].choices = [(u.pk, u.name) for u in scopes]  # type: ignore[attr-defined]


class EventForm(forms.Form):
    """One event of a plan. Which fields matter depends on the kind (the help texts say so)."""

    kind = forms.ChoiceField(label=gettext_lazy("Loại sự kiện"), choices=OrgEvent.Kind.choices)
    sources = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Đơn vị được sắp xếp"), coerce=int,
        help_text=gettext_lazy("Sáp nhập: chọn các đơn vị hợp nhất (giữ Ctrl để chọn nhiều). Các loại khác: một đơn vị."),
        widget=forms.SelectMultiple(attrs={"size": 8}))
    into_existing = forms.TypedChoiceField(
        label=gettext_lazy("Sáp nhập vào đơn vị có sẵn"), coerce=int, required=False, empty_value=None,
        help_text=gettext_lazy("Để trống để lập đơn vị mới theo tên, loại và đơn vị cấp trên dưới đây."))
    target_name = forms.CharField(
        label=gettext_lazy("Tên đơn vị sau sắp xếp"), required=False, max_length=255,
        help_text=gettext_lazy("Sáp nhập, đổi tên: một tên. Chia, tách: mỗi dòng một tên đơn vị mới."),
        widget=forms.Textarea(attrs={"rows": 2}))
    target_kind = forms.ChoiceField(label=gettext_lazy("Loại đơn vị sau sắp xếp"), choices=UNIT_KINDS, required=False)
    target_parent = forms.TypedChoiceField(
        label=gettext_lazy("Đơn vị cấp trên (giải thể: đơn vị tiếp nhận người)"), coerce=int, required=False,
        empty_value=None)
    effective_date = vn_date_field(gettext_lazy("Ngày có hiệu lực"), required=True)
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60,
                                      widget=forms.TextInput(attrs={"placeholder": "1234/QĐ-UBND"}))
    decision_date = vn_date_field(gettext_lazy("Ngày ký quyết định"), required=True)
    legal_basis = forms.CharField(label=gettext_lazy("Căn cứ pháp lý"), required=False, max_length=255,
                                  widget=forms.TextInput(attrs={"placeholder": "Nghị quyết 202/2025/QH15"}))

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any):
        kwargs.setdefault("auto_id", "event_%s")
        super().__init__(*args, **kwargs)
        self.fields["sources"].choices = units  # type: ignore[attr-defined]
        self.fields["into_existing"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["target_parent"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["target_kind"].choices = [("", "—"), *UNIT_KINDS]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, sources = data.get("kind"), data.get("sources") or []
        if kind and kind != OrgEvent.Kind.MERGE and len(sources) > 1:
            self.add_error("sources", _("Loại sự kiện này chỉ áp dụng cho một đơn vị."))
        if kind == OrgEvent.Kind.MERGE and len(sources) < 2 and not data.get("into_existing"):
            self.add_error("sources", _("Sáp nhập cần ít nhất hai đơn vị, hoặc một đơn vị sáp nhập vào đơn vị có sẵn."))
        return data

    def spec(self) -> dict[str, Any]:
        """The event's parameters in the shape the engine validates (``congvu.restructuring.spec``)."""
        d = self.cleaned_data
        kind, sources = d["kind"], d["sources"]
        names = [n.strip() for n in (d.get("target_name") or "").splitlines() if n.strip()]
        name, parent, unit_kind = (names[0] if names else ""), d.get("target_parent"), d.get("target_kind") or ""
        if kind == OrgEvent.Kind.MERGE:
            target: dict[str, Any] = ({"existing_id": d["into_existing"]} if d.get("into_existing")
                                      else {"name": name, "kind": unit_kind, "parent_id": parent})
            return {"sources": sources, "target": target}
        unit = sources[0] if sources else None
        if kind == OrgEvent.Kind.SPLIT:
            return {"source": unit, "targets": [{"name": n, "kind": unit_kind, "parent_id": parent} for n in names]}
        if kind == OrgEvent.Kind.DISSOLVE:
            return {"unit": unit, "receiving_unit_id": parent}
        if kind == OrgEvent.Kind.RENAME:
            return {"unit": unit, "name": name}
        if kind == OrgEvent.Kind.MOVE:
            return {"unit": unit, "parent_id": parent}
        return {"unit": unit, "kind": unit_kind, **({"parent_id": parent} if parent else {})}


class UndoForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do hủy bỏ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "undo_%s")
        super().__init__(*args, **kwargs)


class CommitForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi đã xem tác động và xác nhận quyết định phương án"),
        error_messages={"required": gettext_lazy("Hãy đánh dấu xác nhận trước khi quyết định phương án.")})

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "commit_%s")
        super().__init__(*args, **kwargs)


class RunForm(forms.Form):
    scope_unit = forms.TypedChoiceField(label=gettext_lazy("Phạm vi bố trí"), coerce=int)
    as_of = vn_date_field(gettext_lazy("Tính đến ngày"), required=True)
    plan = forms.TypedChoiceField(label=gettext_lazy("Theo phương án"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, scopes: list[OrgUnit], plans: list[tuple[int, str]], **kwargs: Any):
        kwargs.setdefault("auto_id", "run_%s")
        super().__init__(*args, **kwargs)
        self.fields["scope_unit"].choices = [(u.pk, u.name) for u in scopes]  # type: ignore[attr-defined]
        self.fields["plan"].choices = [("", "—"), *plans]  # type: ignore[attr-defined]


class ProposalFilterForm(forms.Form):
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False,
                                   choices=[("", gettext_lazy("Tất cả")), *Proposal.Status.choices])
    ket_qua = forms.ChoiceField(label=gettext_lazy("Đề xuất"), required=False, choices=[
        ("", gettext_lazy("Tất cả")), ("vi-tri", gettext_lazy("Bố trí vào vị trí")),
        ("tinh-gian", gettext_lazy("Tinh giản biên chế"))])
    ly_do = forms.ChoiceField(label=gettext_lazy("Lý do dôi dư"), required=False,
                              choices=[("", gettext_lazy("Tất cả")), *Proposal.Reason.choices])
    q = forms.CharField(label=gettext_lazy("Tìm theo họ tên"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60)
    effective_date = vn_date_field(gettext_lazy("Ngày có hiệu lực"), required=True)
    reason = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ChangeForm(DecisionForm):
    position = forms.TypedChoiceField(label=gettext_lazy("Vị trí việc làm khác"), coerce=int)
    reason = forms.CharField(label=gettext_lazy("Lý do chọn vị trí khác"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, options: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", _("— Chọn vị trí —")), *options]  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do không chấp nhận"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    don_vi = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int, required=False, empty_value=None)
    tu = vn_date_field(gettext_lazy("Hiệu lực từ ngày"))
    den = vn_date_field(gettext_lazy("đến ngày"))

    def __init__(self, data: Any, units: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["don_vi"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tu") and data.get("den") and data["tu"] > data["den"]:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
