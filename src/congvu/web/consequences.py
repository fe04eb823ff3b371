"""The consequence pages ("có vào, có ra, có lên, có xuống", issue 5): the agencies and years in reach, the HR
board of an agency's year in four tabs, one entry with its facts, rule and explanation and the three decisions,
the decision PDF, the cost page, the .xlsx exports, and the section on a person's page.

Views are thin: the reach is READ_CONSEQUENCES on the entries' units (404 outside it; the person an entry is
about reads it too), the actions need MANAGE_CONSEQUENCES (make the lists) or DECIDE_CONSEQUENCES (accept,
reject, defer) at the agency or the entry's unit; the work is ``congvu.consequences.jobs`` and ``.decisions``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import OrderBy
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congvu.access.access import own_person_id, path_filter, person_rights, rights_at, scope_for
from congvu.access.policy import Right
from congvu.consequences import decisions, documents, jobs
from congvu.consequences.facts import PUBLISHED
from congvu.consequences.lists import ListsError
from congvu.consequences.models import DIRECTION, Decision, Entry, Kind, ListRun, Status
from congvu.core.models import AuditEntry
from congvu.core.scope import Scope
from congvu.core.types import AnyUser
from congvu.evaluation.models import AnnualRun
from congvu.org.models import JobPosition, OrgUnit, active_on
from congvu.personnel.models import Person
from congvu.rules import nd154_2025
from congvu.rules.nd335_2025 import Level
from congvu.text import fold
from congvu.web import consequences_xlsx, tree
from congvu.web.evaluation_annual import pdf_response
from congvu.web.evaluation_reports import Chart, chart
from congvu.web.formats import EMPTY, vn_date, vn_number
from congvu.web.forms import vn_date_field

T = "web/consequences/"
PAGE_SIZE = 25
MAX_LISTED = 200
MAX_UNITS = 400
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The model labels are Vietnamese (the source language): marked here so the catalogue carries them.
LABELS = (
    gettext_noop("Xem xét bố trí vị trí thấp hơn hoặc cho thôi việc"), gettext_noop("Bố trí vị trí việc làm cao hơn"),
    gettext_noop("Nâng bậc lương thường xuyên"), gettext_noop("Nâng bậc lương trước thời hạn"),
    gettext_noop("Tinh giản biên chế"), gettext_noop("Tuyển dụng vào vị trí còn thiếu"),
    gettext_noop("Chờ quyết định"), gettext_noop("Đã chấp nhận"), gettext_noop("Không chấp nhận"), gettext_noop("Hoãn"),
)


@dataclass(frozen=True)
class Tab:
    key: str  # in the URL
    direction: str  # models.DIRECTION value
    label: str
    hint: str


TABS = (
    Tab("vao", "in", gettext_noop("Vào"), gettext_noop("Tuyển dụng vào vị trí việc làm còn thiếu")),
    Tab("ra", "out", gettext_noop("Ra"), gettext_noop("Tinh giản biên chế")),
    Tab("len", "up", gettext_noop("Lên"), gettext_noop("Nâng bậc lương, bố trí vị trí việc làm cao hơn")),
    Tab("xuong", "down", gettext_noop("Xuống"), gettext_noop("Xem xét bố trí vị trí thấp hơn hoặc cho thôi việc")),
)
TAB_BY_KEY = {t.key: t for t in TABS}
KIND_ORDER = [Kind.VACANCY, Kind.STREAMLINING, Kind.STEP_RAISE, Kind.EARLY_RAISE, Kind.HIGHER_POSITION, Kind.REVIEW]


def kinds_of(tab: Tab) -> list[Kind]:
    return [k for k in KIND_ORDER if DIRECTION[k] == tab.direction]


# ---- reach --------------------------------------------------------------------------------------------------


def read_scope(user: AnyUser) -> Scope:
    return scope_for(user, Right.READ_CONSEQUENCES)


def reaches(scope: Scope, agency: OrgUnit) -> bool:
    """The whole agency, or a unit inside it."""
    return scope.covers(agency.path) or any(p.startswith(agency.path) for p in scope.paths)


def agency_or_404(request: HttpRequest, agency_id: int) -> tuple[OrgUnit, Scope]:
    scope = read_scope(request.user)
    agency = OrgUnit.objects.filter(pk=agency_id).first()
    if agency is None or scope.empty or not reaches(scope, agency):
        raise Http404(_("Không tìm thấy cơ quan hoặc bạn không có quyền truy cập."))
    return agency, scope


def visible_entries(run: ListRun, scope: Scope) -> QuerySet[Entry]:
    return Entry.objects.filter(run=run).filter(path_filter(scope, "unit__path"))


def may(user: AnyUser, unit: OrgUnit, right: Right) -> bool:
    return right in rights_at(user, unit.path)


def entry_or_404(request: HttpRequest, entry_id: int) -> Entry:
    """An entry the user reads: READ_CONSEQUENCES on its unit, or the person it concerns."""
    entry = (Entry.objects.select_related("run__agency", "unit", "person", "position", "decided_by")
             .filter(pk=entry_id).first())
    if entry is not None and may(request.user, entry.unit, Right.READ_CONSEQUENCES):
        return entry
    if entry is not None and entry.person_id is not None and entry.person_id == own_person_id(request.user):
        return entry
    raise Http404(_("Không tìm thấy mục trong danh sách hoặc bạn không có quyền truy cập."))


# ---- the index ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyYear:
    agency: OrgUnit
    year: int
    annual: AnnualRun | None
    lists: ListRun | None
    manage: bool

    @property
    def published(self) -> bool:
        return self.annual is not None and self.annual.status in PUBLISHED

    @property
    def total(self) -> int:
        counts = self.lists.counts if self.lists else {}
        return sum(int(n) for k, n in counts.items() if k in Kind.values)

    @property
    def by_tab(self) -> list[tuple[str, int]]:
        """(tab label, entries) from the run's counts, in the board's order."""
        counts = self.lists.counts if self.lists else {}
        return [(_(t.label), sum(int(n) for k, n in counts.items() if k in Kind.values and DIRECTION[Kind(k)] == t.direction))
                for t in TABS]


def agency_years(user: AnyUser) -> list[AgencyYear]:
    scope = read_scope(user)
    if scope.empty:
        return []
    runs = AnnualRun.objects.filter(is_current=True)
    lists_q = ListRun.objects.all()
    if not scope.everything:
        ancestors = {int(s) for p in scope.paths for s in p.strip(".").split(".") if s}
        inside = path_filter(scope, "agency__path")
        runs = runs.filter(inside | Q(agency_id__in=ancestors))
        lists_q = lists_q.filter(inside | Q(agency_id__in=ancestors))
    annual = {(r.agency_id, r.year): r for r in runs.select_related("agency").order_by("-year")[:MAX_LISTED]}
    made = {(r.agency_id, r.year): r for r in lists_q.select_related("agency").order_by("-year")[:MAX_LISTED]}
    agencies = {a: r.agency for (a, _y), r in annual.items()} | {a: r.agency for (a, _y), r in made.items()}
    rows = [
        AgencyYear(agencies[a], y, annual.get((a, y)), made.get((a, y)),
                   may(user, agencies[a], Right.MANAGE_CONSEQUENCES))
        for a, y in set(annual) | set(made)
    ]
    return sorted(rows, key=lambda r: (-r.year, r.agency.path))


def may_read_any(user: AnyUser) -> bool:
    """For the navigation: READ_CONSEQUENCES anywhere."""
    return not read_scope(user).empty


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if read_scope(request.user).empty:
        raise PermissionDenied(_("Bạn không có quyền xem danh sách sử dụng kết quả đánh giá."))
    return render(request, T + "index.html", {"rows": agency_years(request.user)})


@login_required
@require_POST
def make_lists(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, _scope = agency_or_404(request, agency_id)
    if not may(request.user, agency, Right.MANAGE_CONSEQUENCES):
        raise PermissionDenied(_("Chỉ bộ phận tổ chức cán bộ được lập danh sách."))
    try:
        job = jobs.make_lists(request.user, agency, year)
    except ListsError as exc:
        messages.error(request, str(exc))
        return redirect("cq_board", agency.pk, year) if request.POST.get("tiep") == "bang" else redirect("cq_index")
    total = sum(int(n) for k, n in job.summary.items() if k in Kind.values)
    messages.success(request, _("Đã lập danh sách năm %(year)s: %(n)s mục.") % {"year": year, "n": vn_number(total)})
    return redirect("cq_board", agency.pk, year)


# ---- the board ----------------------------------------------------------------------------------------------


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm theo họ tên"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    don_vi = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), required=False, coerce=int, empty_value=None)
    loai = forms.ChoiceField(label=gettext_lazy("Loại"), required=False)
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False)
    sap_xep = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, tab: Tab, units: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["don_vi"].choices = [("", _("Tất cả")), *units]  # type: ignore[attr-defined]
        self.fields["loai"].choices = [("", _("Tất cả")), *[(k.value, _(k.label)) for k in kinds_of(tab)]]  # type: ignore[attr-defined]
        self.fields["trang_thai"].choices = [("", _("Tất cả")), *[(s.value, _(s.label)) for s in Status]]  # type: ignore[attr-defined]


def _kind_rank() -> Case:
    return Case(*[When(kind=k, then=Value(i)) for i, k in enumerate(KIND_ORDER)], output_field=IntegerField())


def _nulls_last(field: str, descending: bool) -> OrderBy:
    return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


SORTS = ("mac-dinh", "ten", "don-vi", "ngay", "chi-phi", "tro-cap", "trang-thai")


def ordering(sort: str) -> list[Any]:
    """The board's orders; "mac-dinh" keeps each kind together and the higher-position candidates under their
    vacancy in the list's own order."""
    key, descending = sort.lstrip("-"), sort.startswith("-")
    default = [_kind_rank(), "position__name", "rank", _nulls_last("due_date", False), "unit__path",
               "person__sort_key", "pk"]
    columns = {
        "ten": [_nulls_last("person__sort_key", descending), "pk"],
        "don-vi": [F("unit__path").desc() if descending else F("unit__path").asc(), "person__sort_key", "pk"],
        "ngay": [_nulls_last("due_date", descending), "person__sort_key", "pk"],
        "chi-phi": [F("monthly_cost").desc() if descending else F("monthly_cost").asc(), "pk"],
        "tro-cap": [F("benefit_vnd").desc() if descending else F("benefit_vnd").asc(), "pk"],
        "trang-thai": [F("status").desc() if descending else F("status").asc(), "person__sort_key", "pk"],
    }
    return columns.get(key, default)


def unit_choices(agency: OrgUnit, scope: Scope) -> list[tuple[int, str]]:
    units = (OrgUnit.objects.filter(path__startswith=agency.path).filter(path_filter(scope, "path"))
             .order_by("path").values_list("pk", "name", "path")[:MAX_UNITS])
    depth = agency.path.count(".")
    return [(pk, "\u00a0\u00a0" * (path.count(".") - depth) + name) for pk, name, path in units]


def filtered(rows: QuerySet[Entry], tab: Tab, form: BoardFilterForm) -> tuple[QuerySet[Entry], str]:
    rows = rows.filter(kind__in=kinds_of(tab))
    data = form.cleaned_data if form.is_valid() else {}
    for word in fold(data.get("q") or "").split():
        rows = rows.filter(person__search_name__contains=word)
    if data.get("don_vi"):
        unit = OrgUnit.objects.filter(pk=data["don_vi"]).values_list("path", flat=True).first()
        rows = rows.filter(unit__path__startswith=unit) if unit else rows.none()
    if data.get("loai"):
        rows = rows.filter(kind=data["loai"])
    if data.get("trang_thai"):
        rows = rows.filter(status=data["trang_thai"])
    sort = data.get("sap_xep") or "mac-dinh"
    if sort.lstrip("-") not in SORTS:
        sort = "mac-dinh"
    return rows.order_by(*ordering(sort)), sort


def tab_counts(rows: QuerySet[Entry]) -> dict[str, int]:
    counts = {t.direction: 0 for t in TABS}
    for kind, n in rows.order_by().values_list("kind").annotate(n=Count("pk")):
        counts[DIRECTION[Kind(kind)]] += n
    return counts


@dataclass(frozen=True)
class TabLink:
    tab: Tab
    count: int
    active: bool


def board_rows(request: HttpRequest, agency: OrgUnit, scope: Scope, run: ListRun) -> tuple[Tab, BoardFilterForm, QuerySet[Entry], str]:
    tab = TAB_BY_KEY.get(request.GET.get("huong", ""), TABS[0])
    form = BoardFilterForm(request.GET, tab, unit_choices(agency, scope))
    rows, sort = filtered(visible_entries(run, scope), tab, form)
    return tab, form, rows, sort


def seats_by_position(run: ListRun) -> dict[int, int]:
    return dict(Entry.objects.filter(run=run, kind=Kind.VACANCY).values_list("position_id", "count"))


@login_required
@require_GET
def board(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, scope = agency_or_404(request, agency_id)
    run = ListRun.objects.filter(agency=agency, year=year).select_related("computed_by").first()
    annual = AnnualRun.objects.filter(agency=agency, year=year, is_current=True).first()
    context: dict[str, Any] = {
        "agency": agency, "year": year, "run": run, "annual": annual,
        "published": annual is not None and annual.status in PUBLISHED,
        "may_manage": may(request.user, agency, Right.MANAGE_CONSEQUENCES),
        "breadcrumb": tree.breadcrumb(request.user, agency),
    }
    if run is not None:
        tab, form, rows, sort = board_rows(request, agency, scope, run)
        counts = tab_counts(visible_entries(run, scope))
        context.update(
            tab=tab, form=form, sort=sort, seats=seats_by_position(run),
            tabs=[TabLink(t, counts[t.direction], t is tab) for t in TABS],
            page=Paginator(rows.select_related("person", "unit", "position"), PAGE_SIZE).get_page(request.GET.get("trang")),
            whole=scope.covers(agency.path),
        )
    return render(request, T + "board.html", context)


def run_or_404(agency: OrgUnit, year: int) -> ListRun:
    run = ListRun.objects.filter(agency=agency, year=year).first()
    if run is None:
        raise Http404(_("Chưa lập danh sách cho cơ quan và năm này."))
    return run


@login_required
@require_GET
def board_xlsx(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, scope = agency_or_404(request, agency_id)
    run = run_or_404(agency, year)
    tab, _form, rows, _sort = board_rows(request, agency, scope, run)
    data = consequences_xlsx.board_xlsx(run, tab.direction, rows.select_related("person", "unit", "position"))
    return xlsx_response(data, consequences_xlsx.board_filename(run, tab.key))


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- one entry: facts, rule, explanation, history, decisions --------------------------------------------------


FACT_LABELS = {
    "level": gettext_noop("Xếp loại năm"), "year": gettext_noop("Năm đánh giá"),
    "published_on": gettext_noop("Ngày công khai kết quả"), "rating_source": gettext_noop("Nguồn kết quả xếp loại"),
    "rank": gettext_noop("Mã ngạch"), "rank_name": gettext_noop("Ngạch"), "salary_group": gettext_noop("Nhóm lương"),
    "step": gettext_noop("Bậc hiện hưởng"), "last_step": gettext_noop("Bậc cuối của ngạch"),
    "step_since": gettext_noop("Hưởng bậc từ ngày"), "interval_months": gettext_noop("Thời gian giữ bậc (tháng)"),
    "coefficient_now": gettext_noop("Hệ số lương hiện hưởng"), "coefficient_next": gettext_noop("Hệ số bậc kế tiếp"),
    "ratings": gettext_noop("Xếp loại các năm"), "rating_sources": gettext_noop("Nguồn xếp loại các năm"),
    "disciplines": gettext_noop("Kỷ luật"), "monthly_salary_now": gettext_noop("Thu nhập tháng hiện hưởng"),
    "monthly_salary_new": gettext_noop("Thu nhập tháng sau khi nâng bậc"),
    "achievement": gettext_noop("Thành tích được công nhận"), "quota": gettext_noop("Chỉ tiêu nâng trước thời hạn"),
    "payroll": gettext_noop("Số người trong danh sách trả lương"), "annual_score": gettext_noop("Điểm năm"),
    "birth_date": gettext_noop("Ngày sinh"), "sex": gettext_noop("Giới tính"),
    "salary_coefficient": gettext_noop("Hệ số lương"), "position_allowance": gettext_noop("Hệ số phụ cấp chức vụ"),
    "seniority_pct": gettext_noop("Phụ cấp thâm niên vượt khung (%)"),
    "percent_allowances": gettext_noop("Phụ cấp theo % (công vụ…)"), "insured_months": gettext_noop("Số tháng đóng BHXH"),
    "reduced_retirement_age": gettext_noop("Nghỉ hưu ở tuổi thấp hơn (Phụ lục II)"),
    "rating_previous_year": gettext_noop("Xếp loại năm trước liền kề"), "rating_current_year": gettext_noop("Xếp loại năm xem xét"),
    "sick_days_previous_year": gettext_noop("Ngày nghỉ ốm năm trước liền kề"),
    "sick_days_current_year": gettext_noop("Ngày nghỉ ốm năm xem xét"),
    "redundant_by_restructuring": gettext_noop("Dôi dư do sắp xếp tổ chức bộ máy"),
    "below_training_standard": gettext_noop("Trình độ đào tạo chưa đạt chuẩn"),
    "pregnant_or_child_under_36_months": gettext_noop("Mang thai hoặc nuôi con dưới 36 tháng tuổi"),
    "under_discipline_or_investigation": gettext_noop("Đang bị xem xét kỷ luật hoặc điều tra"),
    "volunteer": gettext_noop("Tự nguyện tinh giản biên chế"), "as_of": gettext_noop("Tính đến ngày"),
    "base_salary": gettext_noop("Lương cơ sở"), "cases": gettext_noop("Trường hợp (khoản 1 Điều 2)"),
    "excluded": gettext_noop("Trường hợp chưa xem xét"), "path": gettext_noop("Hình thức"),
    "path_reason": gettext_noop("Lý do chọn hình thức"), "retirement_date": gettext_noop("Ngày nghỉ hưu"),
    "months_to_retirement": gettext_noop("Số tháng đến tuổi nghỉ hưu"), "monthly_salary": gettext_noop("Tiền lương tháng hiện hưởng"),
    "benefit_months": gettext_noop("Số tháng trợ cấp"), "benefit_vnd": gettext_noop("Tổng trợ cấp"),
    "position": gettext_noop("Vị trí việc làm"), "position_rank": gettext_noop("Ngạch của vị trí"),
    "current_rank": gettext_noop("Ngạch hiện giữ"), "rating": gettext_noop("Xếp loại năm"),
    "seats": gettext_noop("Số chỗ trống"), "order": gettext_noop("Thứ tự ứng viên"),
    "filled": gettext_noop("Số đang làm"), "incoming": gettext_noop("Số sắp đến"),
}
MONEY_FACTS = {"monthly_salary_now", "monthly_salary_new", "base_salary", "monthly_salary", "benefit_vnd"}
MONEY_STEPS = {"monthly_salary_now", "monthly_salary_new", "monthly_increase", "cost_in_year", "monthly_salary",
               "benefit_vnd", "benefit", "salary"}
IDENTITY_FACTS = {"birth_date"}
RAW_FACTS = {"rank", "position_rank", "current_rank", "salary_group", "rank_name", "position"}  # codes, names
TWO_PLACES = {"coefficient_now", "coefficient_next", "salary_coefficient", "position_allowance", "annual_score"}
CODE_LABELS = {
    "ok": gettext_noop("Đạt"), "due": gettext_noop("Đến hạn"), "overdue": gettext_noop("Quá hạn"),
    "required": gettext_noop("Phải xem xét"), "to_be_checked": gettext_noop("Hội đồng kiểm tra"),
    "not_due_in_year": gettext_noop("Chưa đến hạn trong năm"), "M": gettext_noop("Nam"), "F": gettext_noop("Nữ"),
}
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKENS = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}|\d+(?:\.\d+)?")
_LEVEL_CODES = re.compile(r"\b(" + "|".join(lv.value for lv in Level) + r")\b")


def money(amount: int | Decimal | str | None) -> str:
    """``1234567`` → ``1.234.567 ₫``."""
    if amount is None or amount == "":
        return EMPTY
    return f"{vn_number(Decimal(str(amount)), 0)} ₫"


LEVELS = {lv.value for lv in Level}


def level_label(code: str) -> str:
    return _(Level(code).label_vi) if code in LEVELS else code


def cq_formula(text: str) -> str:
    """A rule module's formula as the UI writes it: ``3.00 × 2340000`` → ``3,00 × 2.340.000``; dates stay
    dd/mm/yyyy (ISO ones are turned so), years and small whole numbers stay as they are, level codes read as
    their Vietnamese labels."""
    def token(match: re.Match[str]) -> str:
        text = match.group()
        if "-" in text:
            return vn_date(text)
        if "/" in text:
            return text
        if "." in text:
            whole, fraction = text.split(".")
            return f"{int(whole):,}".replace(",", ".") + "," + fraction
        return f"{int(text):,}".replace(",", ".") if len(text) >= 5 else text

    return _LEVEL_CODES.sub(lambda m: level_label(m.group()), _TOKENS.sub(token, text))


RULE_CODES: dict[str, nd154_2025.Exclusion | nd154_2025.Path | nd154_2025.PathReason] = {
    m.value: m for enum in (nd154_2025.Exclusion, nd154_2025.Path, nd154_2025.PathReason) for m in enum
}


def _label_of_code(code: str) -> str:
    member = RULE_CODES.get(code)
    if member is not None:
        return member.label_en if get_language() == "en" else member.label_vi
    if code in LEVELS:
        return level_label(code)
    if code in CODE_LABELS:
        return _(CODE_LABELS[code])
    return code


def fact_value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fact_value(key, v)}" for k, v in value.items()) or EMPTY
    if isinstance(value, list):
        return "; ".join(fact_value(key, v) if not isinstance(v, list) else ", ".join(fact_value(key, x) for x in v)
                         for v in value) or EMPTY
    if key in MONEY_FACTS:
        return money(value)
    if key in RAW_FACTS:
        return str(value)
    if key in TWO_PLACES:
        return vn_number(Decimal(str(value)), 2)
    if isinstance(value, int):
        return str(value) if key == "year" else vn_number(value)
    text = str(value)
    if text.startswith("AnnualRun#"):
        return _("kết quả xếp loại năm của hệ thống")
    if _ISO.match(text):
        return vn_date(text)
    try:
        return vn_number(Decimal(text)) if re.fullmatch(r"-?\d+(\.\d+)?", text) else _label_of_code(text)
    except InvalidOperation:
        return text


@dataclass(frozen=True)
class FactRow:
    key: str
    label: str
    value: str


def fact_rows(entry: Entry, show_identity: bool) -> list[FactRow]:
    rows = []
    for key, value in (entry.evidence.get("facts") or {}).items():
        shown = fact_value(key, value) if show_identity or key not in IDENTITY_FACTS else "••••"
        rows.append(FactRow(key, _(FACT_LABELS[key]) if key in FACT_LABELS else key, shown))
    return rows


@dataclass(frozen=True)
class StepRow:
    key: str
    label: str
    formula: str
    value: str
    article: str


def step_value(key: str, value: str) -> str:
    if _ISO.match(value or ""):
        return vn_date(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", value or ""):
        return money(Decimal(value)) if key in MONEY_STEPS else vn_number(Decimal(value))
    return _label_of_code(value) if value else EMPTY


def step_rows(entry: Entry) -> list[StepRow]:
    english = get_language() == "en"
    return [
        StepRow(s.get("key", ""), s.get("label_en" if english else "label_vi", ""), cq_formula(s.get("formula", "")),
                step_value(s.get("key", ""), str(s.get("value", ""))), s.get("article", ""))
        for s in entry.evidence.get("steps") or []
    ]


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    who: str
    what: str
    reason: str


def history(entry: Entry, decision: Decision | None) -> list[HistoryRow]:
    rows = [HistoryRow(entry.run.computed_at, entry.run.computed_by.get_full_name() or entry.run.computed_by.get_username()
                       if entry.run.computed_by else _("hệ thống"), _("Lập danh sách"), "")]
    q = Q(object_type="entry", object_id=str(entry.pk))
    if decision is not None:
        q |= Q(object_type="decision", object_id=str(decision.pk))
    for a in AuditEntry.objects.filter(q).select_related("actor").order_by("at", "id"):
        rows.append(HistoryRow(a.at, (a.actor.get_full_name() or a.actor_label) if a.actor else a.actor_label,
                               audit_text(a), a.reason))
    return rows


def audit_text(a: AuditEntry) -> str:
    after = a.after or {}
    if a.object_type == "decision" and a.action == "create":
        return _("Ban hành quyết định số %(ref)s") % {"ref": f"{after.get('number')}/{after.get('symbol')}"}
    if a.object_type == "decision":
        return _("Áp dụng vào hồ sơ")
    status = after.get("status", "")
    label = _(Status(status).label) if status in Status.values else status
    return _("Chuyển trạng thái: %(status)s") % {"status": label}


class AcceptForm(forms.Form):
    signed_on = vn_date_field(gettext_lazy("Ngày ký quyết định"))
    signed_on.help_text = gettext_lazy("Để trống: ngày hôm nay.")
    effective_date = vn_date_field(gettext_lazy("Ngày có hiệu lực"))
    outcome = forms.ChoiceField(label=gettext_lazy("Hình thức xử lý"), required=False, widget=forms.RadioSelect,
                                choices=[("terminate", gettext_lazy("Cho thôi việc")),
                                         ("lower_position", gettext_lazy("Bố trí vị trí việc làm thấp hơn"))])
    target_position = forms.TypedChoiceField(label=gettext_lazy("Vị trí việc làm thấp hơn"), required=False, coerce=int,
                                             empty_value=None)
    reason = forms.CharField(label=gettext_lazy("Ghi chú (không bắt buộc)"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=gettext_lazy("Tôi đã xem căn cứ và xác nhận chấp nhận"),
                                 error_messages={"required": gettext_lazy("Hãy đánh dấu xác nhận trước khi chấp nhận.")})

    def __init__(self, *args: Any, entry: Entry, **kwargs: Any):
        kwargs.setdefault("auto_id", "accept_%s")
        super().__init__(*args, **kwargs)
        if entry.kind != Kind.REVIEW:
            del self.fields["outcome"], self.fields["target_position"]
            return
        positions = (JobPosition.objects.filter(active_on(dt.date.today()), unit__path__startswith=entry.run.agency.path)
                     .select_related("unit").order_by("unit__path", "name")[:MAX_UNITS])
        self.fields["target_position"].choices = [  # type: ignore[attr-defined]
            ("", _("— Chọn vị trí —")), *[(p.pk, f"{p.name} ({p.unit.name})") for p in positions]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


def entry_context(request: HttpRequest, entry: Entry, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    decision = Decision.objects.filter(entry=entry).first()
    reader = may(user, entry.unit, Right.READ_CONSEQUENCES)
    person = entry.person
    show_identity = person is None or Right.READ_IDENTITY in person_rights(user, person)
    deciding = may(user, entry.unit, Right.DECIDE_CONSEQUENCES) and entry.status in (Status.PENDING, Status.DEFERRED)
    return {
        "entry": entry, "run": entry.run, "decision": decision, "reader": reader,
        "own": person is not None and person.pk == own_person_id(user),
        "person_link": person is not None and Right.READ_PEOPLE in person_rights(user, person),
        "facts": fact_rows(entry, show_identity), "steps": step_rows(entry), "history": history(entry, decision),
        "deciding": deciding, "may_defer": deciding and entry.status == Status.PENDING,
        "accept_form": bound.get("accept") or AcceptForm(entry=entry, initial={"effective_date": entry.effective_date}),
        "reject_form": bound.get("reject") or ReasonForm(auto_id="reject_%s"),
        "defer_form": bound.get("defer") or ReasonForm(auto_id="defer_%s"),
        "seats": seats_by_position(entry.run).get(entry.position_id or 0) if entry.kind == Kind.HIGHER_POSITION else None,
        "today": dt.date.today(),
        "refusals": [] if deciding else [e for f in bound.values() for e in f.non_field_errors()],
        "breadcrumb": tree.breadcrumb(user, entry.unit) if reader else [],
    }


def render_entry(request: HttpRequest, entry: Entry, bound: dict[str, forms.Form] | None = None,
                 status: int = 200) -> HttpResponse:
    return render(request, T + "entry.html", entry_context(request, entry, bound or {}), status=status)


@login_required
@require_GET
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    return render_entry(request, entry_or_404(request, entry_id))


def deciding_entry(request: HttpRequest, entry_id: int) -> Entry:
    entry = entry_or_404(request, entry_id)
    if not may(request.user, entry.unit, Right.DECIDE_CONSEQUENCES):
        raise PermissionDenied(_("Bạn không có quyền quyết định mục này."))
    return entry


def refused(request: HttpRequest, entry: Entry, key: str, form: forms.Form, exc: decisions.DecisionError) -> HttpResponse:
    for field, problems in exc.errors.items():
        name = "target_position" if field == "target_position" else field
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    return render_entry(request, entry, {key: form}, status=400)


@login_required
@require_POST
def accept(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = deciding_entry(request, entry_id)
    form = AcceptForm(request.POST, entry=entry)
    if not form.is_valid():
        return render_entry(request, entry, {"accept": form}, status=400)
    data = form.cleaned_data
    try:
        decision = decisions.accept(request.user, entry.pk, decisions.AcceptInput(
            reason=data["reason"], signed_on=data["signed_on"], effective_date=data["effective_date"],
            outcome=data.get("outcome") or "", target_position_id=data.get("target_position")))
    except decisions.DecisionError as exc:
        return refused(request, entry, "accept", form, exc)
    messages.success(request, _("Đã chấp nhận và ban hành Quyết định số %(ref)s.") % {"ref": decision.reference})
    return redirect("cq_entry", entry.pk)


def with_reason(request: HttpRequest, entry_id: int, key: str, decide: Any, done: str) -> HttpResponse:
    """Reject or defer: both take only a reason (required by the service) and go back to the entry."""
    entry = deciding_entry(request, entry_id)
    form = ReasonForm(request.POST, auto_id=f"{key}_%s")
    form.is_valid()
    try:
        decide(request.user, entry.pk, form.cleaned_data.get("reason", ""))
    except decisions.DecisionError as exc:
        return refused(request, entry, key, form, exc)
    messages.success(request, done)
    return redirect("cq_entry", entry.pk)


@login_required
@require_POST
def reject(request: HttpRequest, entry_id: int) -> HttpResponse:
    return with_reason(request, entry_id, "reject", decisions.reject, _("Đã ghi nhận: không chấp nhận."))


@login_required
@require_POST
def defer(request: HttpRequest, entry_id: int) -> HttpResponse:
    return with_reason(request, entry_id, "defer", decisions.defer, _("Đã hoãn quyết định."))


@login_required
@require_GET
def decision_pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = Decision.objects.filter(pk=decision_id).select_related("entry").first()
    if decision is None:
        raise Http404(_("Không tìm thấy quyết định hoặc bạn không có quyền truy cập."))
    entry_or_404(request, decision.entry_id)
    return pdf_response(documents.render_pdf(decision), documents.filename(decision))


# ---- cost ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostRow:
    unit_id: int | None
    unit_name: str
    eligible: int
    streamlined: int
    benefit_eligible: int
    benefit_accepted: int
    saved_monthly: int
    raises_due: int
    raises_accepted: int
    raise_monthly: int
    raise_year: int
    raise_year_accepted: int

    @property
    def raise_full_year(self) -> int:
        return self.raise_monthly * 12


ACCEPTED = Q(status=Status.ACCEPTED)
STREAMLINE = Q(kind=Kind.STREAMLINING, in_quota=True)
RAISE = Q(kind=Kind.STEP_RAISE) | Q(kind=Kind.EARLY_RAISE, in_quota=True)
COST_FIELDS = {
    "eligible": Count("pk", filter=STREAMLINE), "streamlined": Count("pk", filter=STREAMLINE & ACCEPTED),
    "benefit_eligible": Sum("benefit_vnd", filter=STREAMLINE, default=0),
    "benefit_accepted": Sum("benefit_vnd", filter=STREAMLINE & ACCEPTED, default=0),
    "saved_monthly": Sum("monthly_cost", filter=STREAMLINE & ACCEPTED, default=0),
    "raises_due": Count("pk", filter=RAISE), "raises_accepted": Count("pk", filter=RAISE & ACCEPTED),
    "raise_monthly": Sum("monthly_cost", filter=RAISE, default=0),
    "raise_year": Sum("year_cost", filter=RAISE, default=0),
    "raise_year_accepted": Sum("year_cost", filter=RAISE & ACCEPTED, default=0),
}


def cost_rows(entries: QuerySet[Entry]) -> tuple[list[CostRow], CostRow]:
    """Per unit (one GROUP BY query) and the total (one aggregate query)."""
    relevant = entries.filter(STREAMLINE | RAISE).order_by()
    grouped = relevant.values("unit_id", "unit__name", "unit__path").annotate(**COST_FIELDS).order_by("unit__path")
    rows = [CostRow(g["unit_id"], g["unit__name"], *(int(g[k]) for k in COST_FIELDS)) for g in grouped]
    total = relevant.aggregate(**COST_FIELDS)
    return rows, CostRow(None, _("Tổng cộng"), *(int(total[k] or 0) for k in COST_FIELDS))


def share(value: int, top: int) -> Decimal:
    return Decimal(100) * value / top if top else Decimal(0)


def cost_charts(rows: list[CostRow]) -> list[Chart]:
    top_benefit = max((r.benefit_eligible for r in rows), default=0)
    top_raise = max((r.raise_year for r in rows), default=0)
    return [
        chart("benefit", _("Trợ cấp tinh giản biên chế theo đơn vị (người đủ điều kiện)"),
              [(r.unit_name, money(r.benefit_eligible), share(r.benefit_eligible, top_benefit), "benefit") for r in rows]),
        chart("raise", _("Chi phí nâng bậc lương trong năm theo đơn vị"),
              [(r.unit_name, money(r.raise_year), share(r.raise_year, top_raise), "raise") for r in rows]),
    ]


@login_required
@require_GET
def cost(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, scope = agency_or_404(request, agency_id)
    run = run_or_404(agency, year)
    rows, total = cost_rows(visible_entries(run, scope))
    context = {"agency": agency, "year": year, "run": run, "rows": rows, "total": total, "charts": cost_charts(rows),
               "breadcrumb": tree.breadcrumb(request.user, agency)}
    return render(request, T + "cost.html", context)


@login_required
@require_GET
def cost_xlsx(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, scope = agency_or_404(request, agency_id)
    run = run_or_404(agency, year)
    rows, total = cost_rows(visible_entries(run, scope))
    return xlsx_response(consequences_xlsx.cost_xlsx(run, rows, total), consequences_xlsx.cost_filename(run))


# ---- the section on a person's page ---------------------------------------------------------------------------------


def person_entries(user: AnyUser, person: Person) -> list[Entry]:
    """The entries about ``person`` (any run) that ``user`` reads: their own, or READ_CONSEQUENCES on the unit."""
    rows = Entry.objects.filter(person=person).select_related("run__agency", "unit", "position").order_by("-run__year", "kind")
    if person.pk != own_person_id(user):
        rows = rows.filter(path_filter(read_scope(user), "unit__path"))
    return list(rows[:MAX_LISTED])
