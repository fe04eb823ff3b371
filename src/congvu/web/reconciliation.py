"""Pages of the reconciliation with the population database: runs, the per-unit queue and match rates,
one record side by side with the population evidence, the unit's open records as .xlsx.

Thin views: access check (``congvu.reconciliation.queries`` scopes, built on ``congvu.access``) → service or
query → render. Readers: RECONCILE or READ_AUDIT holders; only RECONCILE holders start runs and decide.
Objects out of reach answer 404, as on every page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from congvu.access import access
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.org.models import OrgUnit, active_on
from congvu.personnel.models import Person, Sex
from congvu.personnel.services import ServiceError
from congvu.reconciliation import queries, services, xlsx
from congvu.reconciliation.models import (
    PENDING_STATES,
    QueueState,
    ReconciliationRecord,
    ReconciliationRun,
    Status,
)
from congvu.web.formats import vn_date, vn_number

# Labels of the reconciliation models and of the engine's codes (congvu.reconciliation.queries), marked here so
# that the web catalogue (makemessages runs in this app) carries them; templates translate them at display time.
LABELS = (
    gettext_noop("Khớp hoàn toàn"), gettext_noop("Khớp số định danh, khác thông tin"),
    gettext_noop("Khớp qua số CMND cũ"), gettext_noop("Khớp theo xác suất (tự động)"),
    gettext_noop("Có thể khớp (cần xem xét)"), gettext_noop("Không tìm thấy"), gettext_noop("Chưa xử lý"),
    gettext_noop("Đã sửa theo CSDL dân cư"), gettext_noop("Không chấp nhận đề xuất"),
    gettext_noop("Đã chuyển đơn vị xử lý"), gettext_noop("Đơn vị đã sửa"),
    gettext_noop("Số định danh cá nhân"), gettext_noop("Số CMND cũ"), gettext_noop("Họ và tên"),
    gettext_noop("Ngày sinh"), gettext_noop("Giới tính"), gettext_noop("Quê quán"), gettext_noop("khác dấu"),
    gettext_noop("sai chính tả, gõ nhầm"), gettext_noop("nhầm ngày với tháng"),
    gettext_noop("chỉ có năm sinh"), gettext_noop("khác hẳn"), gettext_noop("khác giới tính"),
    gettext_noop("không đủ 12 chữ số"), gettext_noop("mã tỉnh (3 số đầu) không hợp lệ"),
    gettext_noop("số thứ 4 không khớp giới tính, thế kỷ sinh"), gettext_noop("số thứ 5–6 không khớp năm sinh"),
    gettext_noop("là số của người khác trong CSDL dân cư"), gettext_noop("khác chữ đệm"),
    gettext_noop("thiếu trong CSDL cán bộ"), gettext_noop("viết sai định dạng"), gettext_noop("để trống"),
    gettext_noop("không có trong CSDL dân cư"),
)
PAGE_SIZE = 25
POPULATION_SUFFIXES = (".parquet", ".csv", ".xml")
MAX_UNIT_CHOICES = 400


def population_dir() -> Path:
    """Population extracts on the server (the demo writes its extract here; uploads go to ``uploads/``)."""
    return Path(settings.APP.data_dir) / "population"


def _read_scope_or_403(request: HttpRequest) -> Scope:
    scope = queries.read_scope(request.user)
    if scope.empty:
        raise PermissionDenied(_("Bạn không có quyền xem kết quả đối soát dữ liệu dân cư."))
    return scope


def _run_or_404(request: HttpRequest, run_id: int) -> ReconciliationRun:
    run = queries.runs_visible(request.user).filter(pk=run_id).first()
    if run is None:
        raise Http404(_("Không tìm thấy lần đối soát hoặc bạn không có quyền xem."))
    return run


def _unit_or_404(request: HttpRequest, scope: Scope, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None or not scope.covers(unit.path):
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem."))
    return unit


# ---- the chart ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the point's date and value, for the tooltip and the table
    point: queries.RatePoint


@dataclass(frozen=True)
class Chart:
    """An inline SVG line chart of the match rate: geometry computed here, drawn by the template."""

    width: int
    height: int
    points: list[ChartPoint]
    gridlines: list[tuple[float, str]]  # (y, label)
    target_y: float
    left: int
    right: int

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def rate_chart(points: list[queries.RatePoint], *, width: int = 640, height: int = 220) -> Chart | None:
    """Points evenly spaced in time order; the y axis starts at a round value below the lowest rate so that
    progress in the high nineties stays visible, and always ends at the 100 % target."""
    if not points:
        return None
    left, right, top, bottom = 48, width - 16, 16, height - 28
    low = min(float(p.percent) for p in points)
    floor = max(0, min(90, int(low // 10) * 10 - (10 if low % 10 < 2 else 0)))
    span = 100 - floor

    def y_of(value: float) -> float:
        return bottom - (value - floor) / span * (bottom - top)

    step = (right - left) / max(1, len(points) - 1)
    placed = [
        ChartPoint(left + (i * step if len(points) > 1 else (right - left) / 2), y_of(float(p.percent)),
                   f"{vn_date(p.at)}: {vn_number(p.percent, 1)} %", p)
        for i, p in enumerate(points)
    ]
    grid = [(y_of(v), f"{v} %") for v in range(floor, 101, max(5, span // 4 // 5 * 5 or 5))]
    return Chart(width, height, placed, grid, y_of(100), left, right)


# ---- runs -----------------------------------------------------------------------------------------------


class StartRunForm(forms.Form):
    don_vi = forms.TypedChoiceField(label=gettext_lazy("Đơn vị đối soát"), coerce=int)
    nguon = forms.ChoiceField(label=gettext_lazy("Dữ liệu dân cư có sẵn trên máy chủ"), required=False)
    tep = forms.FileField(
        label=gettext_lazy("Hoặc tải lên tệp trích xuất dữ liệu dân cư"), required=False,
        help_text=gettext_lazy("CSV, Parquet hoặc XML theo QCVN 109 (các trường SoDinhDanh, SoCMND, Ho, ChuDem, "
                               "Ten, NgayThangNamSinh, GioiTinh, QueQuan)."),
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], files_on_server: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["don_vi"]).choices = units
        cast(forms.ChoiceField, self.fields["nguon"]).choices = [
            ("", _("— Không chọn —")), *((name, name) for name in files_on_server)]
        if files_on_server:
            self.fields["nguon"].initial = files_on_server[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload: UploadedFile | None = data.get("tep")
        if upload is None and not data.get("nguon"):
            raise forms.ValidationError(_("Chọn một tệp dữ liệu dân cư có sẵn hoặc tải lên một tệp."))
        if upload is not None and not (upload.name or "").lower().endswith(POPULATION_SUFFIXES):
            self.add_error("tep", _("Tệp «%(name)s» không được hỗ trợ: chỉ nhận .csv, .parquet hoặc .xml.")
                           % {"name": upload.name})
        return data


def server_files() -> list[str]:
    folder = population_dir()
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in POPULATION_SUFFIXES),
                  reverse=True)


def run_unit_choices(scope: Scope) -> list[tuple[int, str]]:
    """The units a run may cover: the top of each subtree in reach and the units one level below."""
    units = OrgUnit.objects.filter(active_on(dt.date.today())).filter(queries.path_q(scope, "path"))
    top = units.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return []
    rows = units.filter(depth__lte=top + 1).order_by("path")[:MAX_UNIT_CHOICES]
    return [(u.pk, ("— " * (u.depth - top)) + u.name) for u in rows]


def _saved_upload(upload: UploadedFile) -> Path:
    folder = population_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(upload.name or "dan-cu").name)[-100:]
    target = folder / f"{timezone.now():%Y%m%d-%H%M%S}-{stem}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    scope = _read_scope_or_403(request)
    run_scope = queries.reconcile_scope(request.user)
    form = None
    if not run_scope.empty:
        form = StartRunForm(request.POST or None, request.FILES or None, units=run_unit_choices(run_scope),
                            files_on_server=server_files())
        if request.method == "POST" and form.is_valid():
            run = _start_run(request, run_scope, form)
            if run is not None:
                return redirect("recon_run", run_id=run.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Bạn không có quyền chạy đối soát."))
    page = Paginator(queries.runs_visible(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    rates = queries.rates_of_runs(list(page.object_list), scope)
    points = queries.rate_over_time(request.user, "")
    context = {
        "form": form, "page": page, "rows": [(run, rates.get(run.pk)) for run in page.object_list],
        "chart": rate_chart(points), "latest": rates.get(page.object_list[0].pk) if page.object_list else None,
    }
    return render(request, "web/reconciliation/runs.html", context, status=400 if form and form.errors else 200)


def _start_run(request: HttpRequest, scope: Scope, form: StartRunForm) -> ReconciliationRun | None:
    data = form.cleaned_data
    unit = OrgUnit.objects.filter(pk=data["don_vi"]).first()
    if data.get("tep") is not None:
        path, name = _saved_upload(data["tep"]), data["tep"].name
    else:
        name = data["nguon"]
        if name not in server_files():
            form.add_error("nguon", _("Không tìm thấy tệp này trên máy chủ."))
            return None
        path = population_dir() / name
    try:
        run = services.run_reconciliation(request.user, path, scope, unit=unit, population_name=name)
    except ServiceError as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(_FORM_FIELDS.get(field), problem)
        return None
    messages.success(request, _("Đã đối soát %(n)s hồ sơ với tệp %(file)s.")
                     % {"n": vn_number(run.personnel_rows), "file": run.population_file})
    return run


_FORM_FIELDS = {"unit": "don_vi", "population": None}


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    scope = _read_scope_or_403(request)
    run = _run_or_404(request, run_id)
    entries = queries.entry_units(request.user, run)
    rows = [queries.UnitRate(u, u.path, queries.rate_of(run, scope, u.path)) for u in entries]
    total = queries.Rate()
    for row in rows:
        total.add(row.rate)
    counts = queries.status_counts(request.user, run)
    context = {
        "run": run, "rows": rows, "total": total,
        "status_counts": [(Status(value).label, value, n) for value, n in counts.items()],
        "timings": _timings(run.summary),
    }
    return render(request, "web/reconciliation/run.html", context)


def _timings(summary: dict[str, Any]) -> list[tuple[str, float]]:
    """The engine's time per stage, grouped as a reader thinks of it: the exact stage, the probabilistic one
    (several steps), the whole run."""
    found = services.find_value(summary, "timings")
    if not isinstance(found, dict):
        return []
    seconds = {k: float(v) for k, v in found.items() if isinstance(v, int | float)}
    probabilistic = sum(v for k, v in seconds.items() if k.startswith("probabilistic"))
    rows = [(_("Khớp theo số định danh"), seconds.get("exact")), (_("Khớp theo xác suất"), probabilistic or None),
            (_("Cả lần đối soát"), seconds.get("total"))]
    return [(label, value) for label, value in rows if value is not None]


# ---- the unit: rate, breakdown, queue --------------------------------------------------------------------


class QueueForm(forms.Form):
    ket_qua = forms.ChoiceField(label=gettext_lazy("Kết quả đối soát"), required=False)
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái xử lý"), required=False)
    sap_xep = forms.ChoiceField(required=False, choices=[(k, k) for k in queries.QUEUE_ORDERS])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        statuses = [(v, _(label)) for v, label in Status.choices if v != Status.MATCHED]
        cast(forms.ChoiceField, self.fields["ket_qua"]).choices = [("", _("Tất cả")), *statuses]
        states = [(v, _(label)) for v, label in QueueState.choices]
        cast(forms.ChoiceField, self.fields["trang_thai"]).choices = [("can_xu_ly", _("Cần xử lý (chưa xử lý, đã chuyển đơn vị)")),
                                             *states, ("tat_ca", _("Tất cả"))]

    def queue_filter(self) -> queries.QueueFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return queries.QueueFilter(status=data.get("ket_qua") or "", state=data.get("trang_thai") or "can_xu_ly",
                                   order=data.get("sap_xep") or "ten")


@login_required
@require_GET
def unit_queue(request: HttpRequest, run_id: int, unit_id: int) -> HttpResponse:
    scope = _read_scope_or_403(request)
    run = _run_or_404(request, run_id)
    unit = _unit_or_404(request, scope, unit_id)
    form = QueueForm(request.GET or None)
    flt = form.queue_filter()
    page = Paginator(queries.queue(request.user, run, unit, flt), PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "run": run, "unit": unit, "form": form, "page": page, "sort": flt.order,
        "rate": queries.rate_of(run, scope, unit.path),
        **_breakdown(request, run, scope, unit),
        "chart": rate_chart(queries.rate_over_time(request.user, unit.path)),
        "crumbs": _crumbs(request, run, unit),
        "show_identity": Right.READ_IDENTITY in access.rights_at(request.user, unit.path),
        "htmx": request.headers.get("HX-Request") == "true",
    }
    template = "web/reconciliation/_queue.html" if context["htmx"] else "web/reconciliation/unit.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


BREAKDOWN_SHOWN = 15


def _breakdown(request: HttpRequest, run: ReconciliationRun, scope: Scope, unit: OrgUnit) -> dict[str, Any]:
    """The units below, lowest rate first (where the work is); the first few unless all were asked for."""
    rows = [row for row in queries.breakdown(run, scope, unit) if not row.direct or row.rate.total]
    rows.sort(key=lambda r: (r.rate.percent if r.rate.percent is not None else Decimal(101), -r.rate.pending,
                             r.unit.name if r.unit else ""))
    show_all = request.GET.get("moi_don_vi") == "1"
    return {"breakdown": rows if show_all else rows[:BREAKDOWN_SHOWN], "breakdown_total": len(rows),
            "breakdown_all": show_all}


def _crumbs(request: HttpRequest, run: ReconciliationRun, unit: OrgUnit) -> list[tuple[OrgUnit, bool]]:
    """The unit's ancestors inside what the reader sees of the run, each linked to its own queue."""
    scope = queries.read_scope(request.user)
    return [(u, scope.covers(u.path)) for u in unit.ancestors() if u.path.startswith(run.scope_path)
            and scope.covers(u.path)]


@login_required
@require_GET
def unit_xlsx(request: HttpRequest, run_id: int, unit_id: int) -> HttpResponse:
    scope = _read_scope_or_403(request)
    run = _run_or_404(request, run_id)
    unit = _unit_or_404(request, scope, unit_id)
    records = queries.unit_open_records(request.user, run, unit)
    body = xlsx.unit_workbook(run, unit, records.iterator(chunk_size=2000))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{xlsx.file_name(run, unit)}"'
    return response


# ---- one record -----------------------------------------------------------------------------------------

Decide = Callable[..., ReconciliationRecord]
ACTIONS: dict[str, tuple[Decide, str, Promise]] = {
    "chap_nhan": (services.accept_correction, "reason", gettext_lazy("Đã sửa hồ sơ %(name)s theo CSDL dân cư.")),
    "khong_chap_nhan": (services.reject, "reason", gettext_lazy("Đã ghi nhận không chấp nhận đề xuất cho %(name)s.")),
    "chuyen_don_vi": (services.send_to_unit, "note", gettext_lazy("Đã chuyển hồ sơ %(name)s cho đơn vị xử lý.")),
    "da_sua": (services.mark_fixed, "note", gettext_lazy("Đã ghi nhận đơn vị sửa xong hồ sơ %(name)s.")),
}


class DecisionForm(forms.Form):
    hanh_dong = forms.ChoiceField(choices=[(k, k) for k in ACTIONS])
    ly_do = forms.CharField(label=gettext_lazy("Lý do, ghi chú"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    tiep = forms.CharField(required=False, widget=forms.HiddenInput)


@dataclass(frozen=True)
class Side:
    label: str
    register: str
    population: str
    differs: bool
    kind: str  # the engine's difference kind(s), in words


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    scope = _read_scope_or_403(request)
    record = (queries.records_visible(request.user).select_related("run", "person", "unit")
              .filter(pk=record_id).first())
    if record is None:
        raise Http404(_("Không tìm thấy hồ sơ đối soát hoặc bạn không có quyền xem."))
    can_decide = queries.reconcile_scope(request.user).covers(record.org_path) and record.state in PENDING_STATES
    form = DecisionForm(request.POST or None, initial={"tiep": request.GET.get("tiep", "")})
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(_("Bạn không có quyền xử lý hồ sơ này, hoặc hồ sơ đã được xử lý."))
        if form.is_valid() and _decided(request, record, form):
            return redirect(_next_url(request, form.cleaned_data.get("tiep") or "", record))
    person = record.person
    correction = services.proposed_correction(record, person) if person else services.Correction({})
    context = {
        "record": record, "person": person, "form": form, "can_decide": can_decide, "scope": scope,
        "correction": correction, "sides": _sides(request, record, person, correction),
        "changes": _changes(person, correction) if person else [],
        "has_evidence": services.has_evidence(record),
        "changed_since": person is not None and person.version != record.person_version,
        "id_problems": [queries.ID_PROBLEM_LABELS.get(p, p) for p in record.id_problems],
        "queue_url": _queue_url(record),
    }
    return render(request, "web/reconciliation/record.html", context, status=400 if form.errors else 200)


def _decided(request: HttpRequest, record: ReconciliationRecord, form: DecisionForm) -> bool:
    action, text_arg, done = ACTIONS[form.cleaned_data["hanh_dong"]]
    scope = queries.reconcile_scope(request.user)
    try:
        action(request.user, scope, record.pk, **{text_arg: form.cleaned_data["ly_do"]})
    except ServiceError as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error("ly_do" if field in ("reason", "note") else None, problem)
        return False
    name = record.person.full_name if record.person else record.record_id
    if record.person is not None:
        record.person.refresh_from_db()
        name = record.person.full_name
    messages.success(request, str(done) % {"name": name})
    return True


def _queue_url(record: ReconciliationRecord) -> str:
    if record.unit_id is None:
        return reverse("recon_run", args=[record.run_id])
    return reverse("recon_unit", args=[record.run_id, record.unit_id])


def _next_url(request: HttpRequest, wanted: str, record: ReconciliationRecord) -> str:
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return _queue_url(record)


def _sides(request: HttpRequest, record: ReconciliationRecord, person: Person | None,
           correction: services.Correction) -> list[Side]:
    """Register (now) and population evidence field by field; a field differs when accepting would change
    it or the engine named it."""
    named: dict[str, list[str]] = {}
    for field, kind in record.difference_items:
        named.setdefault(field, []).append(_(queries.DIFFERENCE_LABELS.get(kind, kind)))
    shown = access.masked_fields(request.user, person) if person else {}
    changes = correction.fields
    rows = [
        ("personal_id", shown.get("personal_id", record.personal_id), record.matched_personal_id, {"personal_id"}),
        ("old_id", shown.get("old_id", ""), record.pop_old_id, {"old_id"}),
        ("full_name", person.full_name if person else "", record.pop_full_name,
         {"family_name", "middle_name", "given_name"}),
        ("birth_date", _register_birth(person, shown), _population_birth(record.pop_birth_date),
         {"birth_date", "birth_year"}),
        ("sex", _(person.get_sex_display()) if person else "", _sex_label(record.pop_sex),
         {"sex"}),
    ]
    sides = []
    for key, register, population, fields in rows:
        kinds = named.get(key, [])
        sides.append(Side(_(queries.FIELD_LABELS[key]), str(register or ""), str(population or ""),
                          bool(fields & changes) or bool(kinds), ", ".join(kinds)))
    if "hometown" in named:
        hometown = str(person.hometown) if person and person.hometown_id else ""
        sides.append(Side(_(queries.FIELD_LABELS["hometown"]), hometown, "", True, ", ".join(named["hometown"])))
    return sides


CORRECTION_LABELS = {
    "personal_id": gettext_noop("Số định danh cá nhân"), "old_id": gettext_noop("Số CMND cũ"),
    "family_name": gettext_noop("Họ"), "middle_name": gettext_noop("Chữ đệm"), "given_name": gettext_noop("Tên"),
    "birth_date": gettext_noop("Ngày sinh"), "birth_year": gettext_noop("Năm sinh"), "sex": gettext_noop("Giới tính"),
}


def _changes(person: Person, correction: services.Correction) -> list[tuple[str, str, str]]:
    """What accepting writes: (field, now, after), in the order of the form."""
    def shown(name: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, dt.date):
            return vn_date(value)
        return _sex_label(value) if name == "sex" else str(value)

    return [(_(label), shown(name, getattr(person, name)), shown(name, correction.values[name]))
            for name, label in CORRECTION_LABELS.items() if name in correction.values]


def _sex_label(code: str) -> str:
    label = dict(Sex.choices).get(code)
    return _(label) if label else ""


def _register_birth(person: Person | None, shown: dict[str, Any]) -> str:
    if person is None:
        return ""
    day = shown.get("birth_date")
    if isinstance(day, dt.date):
        return vn_date(day)
    return str(person.birth_year)


def _population_birth(value: str) -> str:
    return vn_date(value) if len(value) == 10 else value
