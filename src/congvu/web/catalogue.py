"""The product/work catalogue of a unit (Decree 335/2025 Art 13): list, add a type, import a spreadsheet, and
the head's approval of the drafts. Who: anyone who reads the unit's evaluations sees it; HR adds and imports;
the head approves. Writes go through ``congvu.evaluation.catalogue`` (audited, all-or-nothing imports).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congvu.access.access import NotFoundOrDenied, rights_at, scope_for
from congvu.access.policy import Right
from congvu.core.types import AnyUser
from congvu.evaluation import catalogue
from congvu.evaluation.access import access_unit_for, units_with
from congvu.evaluation.models import ProductType
from congvu.org.models import JobPosition, OrgUnit
from congvu.personnel.services import ServiceError
from congvu.text import fold
from congvu.web import tree
from congvu.web.forms import vn_date_field

T = "web/evaluation/"
PAGE_SIZE = 25
MAX_UNIT_CHOICES = 400
UNIT_CHOICE_DEPTH = 2
MAX_ERRORS_SHOWN = 500
XLSX = ".xlsx"
LABELS = (gettext_noop("Dự thảo"), gettext_noop("Đã phê duyệt"))


class ProductTypeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã sản phẩm"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Tên sản phẩm, công việc"), max_length=255)
    measure = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=40, required=False,
                              help_text=gettext_lazy("Ví dụ: văn bản, hồ sơ, báo cáo."))
    coefficient = forms.CharField(label=gettext_lazy("Hệ số quy đổi"), max_length=12,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "8"}),
                                  help_text=gettext_lazy("So với sản phẩm chuẩn của đơn vị (hệ số 1), ví dụ 1,5."))
    position = forms.TypedChoiceField(label=gettext_lazy("Vị trí việc làm"), coerce=int, empty_value=None, required=False)
    valid_from = vn_date_field(gettext_lazy("Hiệu lực từ ngày"), required=True)
    valid_to = vn_date_field(gettext_lazy("Hiệu lực đến ngày"))

    def __init__(self, *args: Any, positions: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", _("Mọi vị trí trong đơn vị")), *positions]  # type: ignore[attr-defined]

    def clean_coefficient(self) -> Decimal:
        raw = self.cleaned_data["coefficient"].strip().replace(" ", "")
        raw = raw.replace(".", "").replace(",", ".") if "," in raw else raw
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Không phải là số: ví dụ 1,5.")) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Không phải là số: ví dụ 1,5."))
        return value


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp danh mục (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": XLSX}),
                           error_messages={"required": gettext_lazy("Hãy chọn một tệp .xlsx."),
                                           "empty": gettext_lazy("Tệp tải lên đang trống.")})
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa ghi vào danh mục"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() != XLSX:
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx (tệp đã chọn: %(name)s)."), params={"name": upload.name})
        return upload


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm theo mã, tên"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False, choices=[
        ("", gettext_lazy("Tất cả")), (ProductType.Status.DRAFT, gettext_lazy("Dự thảo")),
        (ProductType.Status.APPROVED, gettext_lazy("Đã phê duyệt")),
    ])


# ---- picking the unit -----------------------------------------------------------------------------------------


def unit_or_404(request: HttpRequest, unit_id: int) -> OrgUnit:
    try:
        return access_unit_for(request.user, unit_id, Right.READ_EVALUATIONS)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc


def unit_choices(user: AnyUser, selected: OrgUnit) -> list[tuple[int, str]]:
    units = units_with(user, Right.READ_EVALUATIONS)
    top = units.aggregate(depth=Min("depth"))["depth"] or 0
    rows = list(units.filter(depth__lte=top + UNIT_CHOICE_DEPTH).order_by("path")
                .values_list("pk", "name", "depth")[:MAX_UNIT_CHOICES])
    choices = [(pk, "\u2003" * (depth - top) + name) for pk, name, depth in rows]
    if selected.pk not in {pk for pk, _name in choices}:
        choices.append((selected.pk, selected.name))
    return choices


@login_required
@require_GET
def catalogue_index(request: HttpRequest) -> HttpResponse:
    """The catalogue of the unit chosen in ``?don_vi`` (the user's top unit by default)."""
    if scope_for(request.user, Right.READ_EVALUATIONS).empty:
        raise PermissionDenied(_("Bạn không có quyền xem danh mục sản phẩm của đơn vị nào."))
    raw = request.GET.get("don_vi", "")
    if raw.isdigit():
        return redirect("catalogue_list", unit_id=unit_or_404(request, int(raw)).pk)
    top = units_with(request.user, Right.READ_EVALUATIONS).order_by("depth", "path").first()
    if top is None:
        raise PermissionDenied(_("Bạn không có quyền xem danh mục sản phẩm của đơn vị nào."))
    return redirect("catalogue_list", unit_id=top.pk)


# ---- the list -------------------------------------------------------------------------------------------------


def filtered_types(unit: OrgUnit, form: CatalogueFilterForm) -> QuerySet[ProductType]:
    rows = ProductType.objects.filter(unit=unit).select_related("position")
    if form.is_valid():
        query = fold(form.cleaned_data.get("q") or "")
        if query:
            # Codes and names are short lists per unit: fold them in Python, keep the order of the database.
            ids = [pk for pk, code, name in rows.values_list("pk", "code", "name") if query in fold(f"{code} {name}")]
            rows = rows.filter(pk__in=ids)
        if form.cleaned_data.get("trang_thai"):
            rows = rows.filter(status=form.cleaned_data["trang_thai"])
    return rows.order_by("code", "valid_from")


def inherited_counts(unit: OrgUnit, day: dt.date) -> list[tuple[OrgUnit, int]]:
    """Approved types of the units above, usable here too (``catalogue.catalogue_on``), per unit."""
    ancestors = [int(s) for s in unit.path.strip(".").split(".") if s and int(s) != unit.pk]
    rows = (ProductType.objects.filter(unit_id__in=ancestors, status=ProductType.Status.APPROVED, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .values("unit_id").annotate(n=Count("pk")))
    units = OrgUnit.objects.in_bulk([r["unit_id"] for r in rows])
    return [(units[r["unit_id"]], r["n"]) for r in rows]


def positions_of(unit: OrgUnit) -> list[tuple[int, str]]:
    return list(JobPosition.objects.filter(unit=unit).order_by("name").values_list("pk", "name"))


def list_context(request: HttpRequest, unit: OrgUnit, **forms_: Any) -> dict[str, Any]:
    user = request.user
    rights = rights_at(user, unit.path)
    filters = CatalogueFilterForm(request.GET or None)
    page = Paginator(filtered_types(unit, filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    return {
        "unit": unit, "filters": filters, "page": page, "breadcrumb": tree.breadcrumb(user, unit),
        "unit_choices": unit_choices(user, unit),
        "can_manage": Right.MANAGE_EVALUATION in rights, "can_approve": Right.APPROVE_EVALUATION in rights,
        "drafts": ProductType.objects.filter(unit=unit, status=ProductType.Status.DRAFT).count(),
        "inherited": inherited_counts(unit, dt.date.today()),
        "add_form": forms_.get("add_form") or ProductTypeForm(positions=positions_of(unit)),
        "import_form": forms_.get("import_form") or CatalogueImportForm(),
        "report": forms_.get("report"), "error_rows": forms_.get("error_rows", []),
        "dry_run": forms_.get("dry_run", False),
    }


@login_required
@require_GET
def catalogue_list(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    return render(request, T + "catalogue_list.html", list_context(request, unit))


def require(request: HttpRequest, unit: OrgUnit, right: Right, message: str) -> None:
    if right not in rights_at(request.user, unit.path):
        raise PermissionDenied(message)


@login_required
@require_POST
def catalogue_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    require(request, unit, Right.MANAGE_EVALUATION, _("Chỉ bộ phận tổ chức cán bộ được thêm sản phẩm vào danh mục."))
    form = ProductTypeForm(request.POST, positions=positions_of(unit))
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = catalogue.create_product_type(request.user, unit, catalogue.ProductTypeInput(
                code=data["code"], name=data["name"], coefficient=data["coefficient"], valid_from=data["valid_from"],
                measure=data["measure"], position_id=data["position"], valid_to=data["valid_to"]))
        except ServiceError as exc:
            for field, problems in exc.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Đã thêm “%(name)s” vào danh mục (dự thảo, chờ Thủ trưởng phê duyệt).")
                             % {"name": created.name})
            return redirect("catalogue_list", unit_id=unit.pk)
    return render(request, T + "catalogue_list.html", list_context(request, unit, add_form=form), status=400)


@login_required
@require_http_methods(["POST"])
def catalogue_import(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    require(request, unit, Right.MANAGE_EVALUATION, _("Chỉ bộ phận tổ chức cán bộ được nhập danh mục."))
    form = CatalogueImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, T + "catalogue_list.html", list_context(request, unit, import_form=form), status=400)
    upload = form.cleaned_data["file"]
    dry_run = form.cleaned_data["dry_run"]
    upload.seek(0)
    report = catalogue.import_catalogue(upload, filename=upload.name or "", actor=request.user, unit=unit,
                                        dry_run=dry_run)
    if report.ok and not dry_run:
        messages.success(request, _("Đã nhập %(n)s sản phẩm vào danh mục (dự thảo).") % {"n": report.created})
        return redirect("catalogue_list", unit_id=unit.pk)
    context = list_context(request, unit, import_form=form, report=report,
                           error_rows=list(report.errors[:MAX_ERRORS_SHOWN]), dry_run=dry_run)
    return render(request, T + "catalogue_list.html", context, status=200 if report.ok else 400)


@login_required
@require_POST
def catalogue_approve(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    require(request, unit, Right.APPROVE_EVALUATION, _("Chỉ Thủ trưởng được phê duyệt danh mục."))
    chosen = [int(v) for v in request.POST.getlist("chon") if v.isdigit()]
    if request.POST.get("tat_ca") != "1" and not chosen:
        messages.error(request, _("Hãy chọn ít nhất một sản phẩm dự thảo để phê duyệt."))
        return redirect("catalogue_list", unit_id=unit.pk)
    count = catalogue.approve_catalogue(request.user, unit, None if request.POST.get("tat_ca") == "1" else chosen)
    messages.success(request, _("Đã phê duyệt %(n)s sản phẩm.") % {"n": count})
    return redirect("catalogue_list", unit_id=unit.pk)
