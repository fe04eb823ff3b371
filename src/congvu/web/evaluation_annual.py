"""The annual classification pages (Decree 335/2025 Arts 20–21, 24): HR computes it with the quota ratio,
the head sees the quota line of every unit and group (who stays excellent, who is moved to good, who is
tied), gives free seats to tied people with a reason, approves, publishes (the complaint window opens),
finalises or reopens with a reason. Each person's page explains their level with the numbers filled in.

Views are thin: the reach comes from ``congvu.evaluation.annual_access`` (404 outside it), the rights for
each action from ``rights_at`` on the agency, the writes from ``congvu.evaluation.annual``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congvu.access.access import NotFoundOrDenied, own_person_id, rights_at, scope_for
from congvu.access.policy import Right
from congvu.consequences import jobs as consequence_jobs
from congvu.consequences.lists import ListsError
from congvu.core.types import AnyUser
from congvu.evaluation import annual, documents, explanations, spreadsheets
from congvu.evaluation.annual_access import PUBLISHED, RunAccess, access_result, access_run_or_own
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus, Level, Period
from congvu.evaluation.periods import scheme_for
from congvu.org.models import OrgUnit
from congvu.org.salary import ReferenceDataMissing
from congvu.personnel.services import ServiceError
from congvu.rules import nd335_2025 as nd335
from congvu.text import fold
from congvu.web import tree
from congvu.web.evaluation import vn_formula

T = "web/evaluation/"
PAGE_SIZE = 25
GROUPS_PER_PAGE = 10
MAX_LISTED = 200
OPEN_STATUSES = (AnnualStatus.COMPUTED, AnnualStatus.OVERRIDES, AnnualStatus.QUOTA)
REOPENABLE = (AnnualStatus.HEAD_APPROVED, AnnualStatus.COMPLAINT_WINDOW, AnnualStatus.FINAL)

# Choice labels shown through the `tr` filter (the model labels are Vietnamese, the source language).
LABELS = (
    gettext_noop("Hoàn thành xuất sắc nhiệm vụ"), gettext_noop("Hoàn thành tốt nhiệm vụ"),
    gettext_noop("Hoàn thành nhiệm vụ"), gettext_noop("Không hoàn thành nhiệm vụ"),
    gettext_noop("Đã tính"), gettext_noop("Đã áp dụng trường hợp không hoàn thành"), gettext_noop("Đã áp dụng tỷ lệ"),
    gettext_noop("Thủ trưởng đã phê duyệt"), gettext_noop("Đã công khai"), gettext_noop("Đang nhận kiến nghị"),
    gettext_noop("Chính thức"),
    gettext_noop("Suy thoái tư tưởng chính trị, đạo đức, lối sống"),
    gettext_noop("Đơn vị phụ trách để xảy ra tham ô, tham nhũng, lãng phí"),
)


# ---- forms ----------------------------------------------------------------------------------------------------


class ComputeForm(forms.Form):
    ratio = forms.CharField(
        label=gettext_lazy("Tỷ lệ xuất sắc tối đa (phần trăm số hoàn thành tốt)"), max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "6"}),
        help_text=gettext_lazy("20% theo Điều 20 khoản 5; cao hơn (tối đa 25%) chỉ khi có quyết định phê duyệt."),
    )
    exception_decision = forms.CharField(
        label=gettext_lazy("Quyết định phê duyệt tỷ lệ cao hơn"), max_length=120, required=False,
        help_text=gettext_lazy("Số, ngày quyết định; chỉ cần khi tỷ lệ trên 20%."),
    )

    def clean_ratio(self) -> Decimal:
        raw = self.cleaned_data["ratio"].strip().rstrip("%").strip().replace(",", ".")
        try:
            percent = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Không phải là số: hãy nhập số phần trăm, ví dụ 20.")) from None
        if not percent.is_finite() or not 0 < percent <= 100:
            raise forms.ValidationError(_("Tỷ lệ phải lớn hơn 0 và không quá 25%."))
        return percent / 100


class PromoteForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Lý do lựa chọn"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("Cần ghi lý do lựa chọn.")})


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("Tôi đã xem danh sách và xác nhận"),
                                 error_messages={"required": gettext_lazy("Hãy đánh dấu xác nhận trước khi tiếp tục.")})


class PublishForm(ConfirmForm):
    complaint_days = forms.IntegerField(label=gettext_lazy("Số ngày nhận kiến nghị"), min_value=1, max_value=60,
                                        initial=annual.COMPLAINT_DAYS)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do mở lại"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy("Cần ghi lý do mở lại.")})


class ResultFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm theo họ tên"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    don_vi = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), required=False, coerce=int, empty_value=None)
    muc = forms.ChoiceField(label=gettext_lazy("Xếp loại"), required=False)
    sap_xep = forms.ChoiceField(label=gettext_lazy("Sắp xếp"), required=False, choices=[
        ("ten", gettext_lazy("Theo tên")), ("-diem", gettext_lazy("Điểm cao trước")), ("diem", gettext_lazy("Điểm thấp trước")),
    ])

    def __init__(self, data: Any, units: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["don_vi"].choices = [("", _("Tất cả")), *units]  # type: ignore[attr-defined]
        self.fields["muc"].choices = [("", _("Tất cả")), *[(lv.value, _(lv.label)) for lv in Level]]  # type: ignore[attr-defined]


RESULT_ORDERS = {
    "ten": ("unit__path", "person__sort_key", "person_id"),
    "-diem": ("-annual_score", "person__sort_key", "person_id"),
    "diem": ("annual_score", "person__sort_key", "person_id"),
}


# ---- reading the reach ------------------------------------------------------------------------------------------


def reach_or_404(request: HttpRequest, run_id: int) -> RunAccess:
    try:
        return access_run_or_own(request.user, run_id)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc


def agency_or_404(request: HttpRequest, agency_id: int) -> OrgUnit:
    """An agency with evaluation periods that the user reads (wholly, or a unit inside it), or 404."""
    agency = OrgUnit.objects.filter(pk=agency_id, evaluation_periods__isnull=False).distinct().first()
    if agency is None:
        raise Http404(_("Không tìm thấy cơ quan hoặc bạn không có quyền truy cập."))
    scope = scope_for(request.user, Right.READ_EVALUATIONS)
    inside = any(p.startswith(agency.path) for p in scope.paths)
    if not (scope.covers(agency.path) or inside):
        raise Http404(_("Không tìm thấy cơ quan hoặc bạn không có quyền truy cập."))
    return agency


@dataclass(frozen=True)
class Powers:
    """What the user may do on this agency's annual classification."""

    manage: bool  # HR: compute
    approve: bool  # head: promote tied people, approve, publish, finalise, reopen
    whole: bool  # sees every unit of the agency


def powers(user: AnyUser, agency: OrgUnit) -> Powers:
    rights = rights_at(user, agency.path)
    return Powers(Right.MANAGE_EVALUATION in rights, Right.APPROVE_EVALUATION in rights,
                  Right.READ_EVALUATIONS in rights)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---- the index -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyYear:
    agency: OrgUnit
    year: int
    run: AnnualRun | None


def agency_years(user: AnyUser) -> list[AgencyYear]:
    """(agency, year) pairs with periods the user may read, newest year first, with their current run."""
    scope = scope_for(user, Right.READ_EVALUATIONS)
    if scope.empty:
        return []
    periods = Period.objects.all()
    if not scope.everything:
        ancestors = {int(s) for p in scope.paths for s in p.strip(".").split(".") if s}
        q = Q(agency_id__in=ancestors)
        for p in scope.paths:
            q |= Q(agency__path__startswith=p)
        periods = periods.filter(q)
    pairs = list(periods.order_by().values_list("agency_id", "year").distinct()[:MAX_LISTED])
    agencies = OrgUnit.objects.in_bulk({a for a, _y in pairs})
    runs = {(r.agency_id, r.year): r for r in AnnualRun.objects.filter(is_current=True, agency_id__in=agencies)}
    rows = [AgencyYear(agencies[a], y, runs.get((a, y))) for a, y in pairs]
    return sorted(rows, key=lambda r: (-r.year, r.agency.path))


def has_own_result(user: AnyUser) -> bool:
    """Whether the user has a published annual result of their own (the navigation then offers the page)."""
    own = own_person_id(user)
    return own is not None and AnnualResult.objects.filter(
        person_id=own, run__is_current=True, run__status__in=PUBLISHED).exists()


@login_required
@require_GET
def annual_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    own = own_person_id(user)
    mine = []
    if own is not None:
        mine = list(AnnualResult.objects.filter(person_id=own, run__is_current=True, run__status__in=PUBLISHED)
                    .select_related("run", "run__agency").order_by("-run__year"))
    rows = agency_years(user)
    if not rows and not mine:
        raise PermissionDenied(_("Bạn chưa có kết quả xếp loại nào để xem."))
    return render(request, T + "annual_index.html", {"rows": rows, "mine": mine})


# ---- the run page ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone excellent by score (after the overrides) in a quota group, and what the quota did."""

    result: AnnualResult
    state: str  # in | promoted | tied | out


@dataclass(frozen=True)
class QuotaGroup:
    unit_id: int
    unit_name: str
    group: str
    excellent_before: int
    good_before: int
    keep: int  # k: how many may stay excellent
    kept: int  # excellent now
    ties: int
    free: int  # seats the head may still give to tied people
    candidates: list[Candidate]
    line_after: int  # index in candidates after which the quota line is drawn

    @property
    def open_ties(self) -> bool:
        return any(c.state == "tied" for c in self.candidates)


def quota_rows(results: QuerySet[AnnualResult]) -> QuerySet[Any]:
    """Per (unit, group) counts of the results, only where someone is excellent by score: one grouped query."""
    return (
        results.order_by().values("quota_unit_id", "quota_unit__name", "quota_unit__path", "group")
        .annotate(
            excellent=Count("pk", filter=Q(level=Level.EXCELLENT)),
            good=Count("pk", filter=Q(level=Level.GOOD)),
            demoted_open=Count("pk", filter=Q(quota_demoted=True, tie_promoted=False)),
            ties=Count("pk", filter=Q(quota_tie=True, tie_promoted=False)),
        )
        .filter(Q(excellent__gt=0) | Q(demoted_open__gt=0))
        .order_by("-ties", "quota_unit__path", "group")
    )


def _state(r: AnnualResult, deciding: bool) -> str:
    """in | promoted | tied (the head may still decide) | tied_good (decided: stays good) | out."""
    if r.tie_promoted:
        return "promoted"
    if r.quota_tie:
        return "tied" if deciding else "tied_good"
    return "out" if r.quota_demoted else "in"


def quota_groups(run: AnnualRun, results: QuerySet[AnnualResult], page: Page[Any]) -> list[QuotaGroup]:
    rows = list(page.object_list)
    if not rows:
        return []
    q = Q(pk__in=[])
    for row in rows:
        q |= Q(quota_unit_id=row["quota_unit_id"], group=row["group"])
    members = (results.filter(q).filter(Q(level=Level.EXCELLENT) | Q(quota_demoted=True)).select_related("person")
               .order_by("-annual_score", "person__sort_key"))
    by_group: dict[tuple[int | None, str], list[AnnualResult]] = {}
    for m in members:
        by_group.setdefault((m.quota_unit_id, m.group), []).append(m)
    out = []
    for row in rows:
        e_before = row["excellent"] + row["demoted_open"]
        g_before = row["excellent"] + row["good"] - e_before
        keep = nd335.quota_keep_count(e_before, g_before, run.excellent_ratio)
        deciding = run.is_current and run.status == AnnualStatus.QUOTA
        people = [Candidate(m, _state(m, deciding)) for m in by_group.get((row["quota_unit_id"], row["group"]), [])]
        order = {"in": 0, "promoted": 1, "tied": 2, "tied_good": 3, "out": 4}
        people.sort(key=lambda c: order[c.state])
        line_after = sum(1 for c in people if c.state in ("in", "promoted"))
        out.append(QuotaGroup(row["quota_unit_id"], row["quota_unit__name"], row["group"], e_before, g_before, keep,
                              row["excellent"], row["ties"], max(0, keep - row["excellent"]), people, line_after))
    return out


def result_units(results: QuerySet[AnnualResult]) -> list[tuple[int, str]]:
    rows = results.order_by("unit__path").values_list("unit_id", "unit__name").distinct()[:MAX_LISTED]
    return list(rows)


def filtered_results(results: QuerySet[AnnualResult], form: ResultFilterForm) -> QuerySet[AnnualResult]:
    rows = results.select_related("person", "unit")
    if not form.is_valid():
        return rows.order_by(*RESULT_ORDERS["ten"])
    data = form.cleaned_data
    for word in fold(data.get("q") or "").split():
        rows = rows.filter(person__search_name__contains=word)
    if data.get("don_vi"):
        rows = rows.filter(unit_id=data["don_vi"])
    if data.get("muc"):
        rows = rows.filter(level=data["muc"])
    return rows.order_by(*RESULT_ORDERS.get(data.get("sap_xep") or "ten", RESULT_ORDERS["ten"]))


def paginate(request: HttpRequest, rows: Any, size: int, param: str = "trang") -> Page[Any]:
    return Paginator(rows, size).get_page(request.GET.get(param))


def current_run(agency: OrgUnit, year: int, version: str | None) -> AnnualRun | None:
    runs = AnnualRun.objects.filter(agency=agency, year=year).select_related("agency")
    if version and version.isdigit():
        return runs.filter(version=int(version)).first()
    return runs.filter(is_current=True).first()


def run_context(request: HttpRequest, agency: OrgUnit, year: int, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    can = powers(user, agency)
    run = current_run(agency, year, request.GET.get("phien_ban"))
    scheme = scheme_for(agency)
    context: dict[str, Any] = {
        "agency": agency, "year": year, "run": run, "can": can,
        "versions": AnnualRun.objects.filter(agency=agency, year=year).order_by("-version"),
        "breadcrumb": tree.breadcrumb(user, agency),
        "compute_form": bound.get("compute") or ComputeForm(initial={
            "ratio": f"{(run.excellent_ratio if run else scheme.excellent_ratio) * 100:.0f}",
            "exception_decision": scheme.exception_decision}),
        "approve_form": bound.get("approve") or ConfirmForm(auto_id="approve_%s"),
        "publish_form": bound.get("publish") or PublishForm(auto_id="publish_%s"),
        "reopen_form": bound.get("reopen") or ReopenForm(auto_id="reopen_%s"),
        "promote_form": bound.get("promote"),
        "may_compute": can.manage and (run is None or (run.is_current and run.status in OPEN_STATUSES)),
    }
    if run is None:
        return context
    reach = access_run_or_own(user, run.pk)
    results = reach.results()
    group_page = paginate(request, quota_rows(results), GROUPS_PER_PAGE, "nhom")
    form = ResultFilterForm(request.GET or None, result_units(results))
    context.update(
        reach=reach, counts=stage_counts(run) if reach.whole else None,
        window_over=run.complaint_until is not None and dt.date.today() > run.complaint_until,
        group_page=group_page, groups=quota_groups(run, results, group_page),
        open_ties=results.filter(quota_tie=True, tie_promoted=False).count(),
        overrides=list(results.exclude(override="").select_related("person", "unit")
                       .order_by("unit__path", "person__sort_key")[:MAX_LISTED]),
        filter_form=form, page=paginate(request, filtered_results(results, form), PAGE_SIZE),
        ratio_percent=run.excellent_ratio * 100, override_texts=override_texts(),
        may_promote=can.approve and run.is_current and run.status == AnnualStatus.QUOTA,
        xlsx_units=xlsx_units(reach),
    )
    return context


@dataclass(frozen=True)
class OverrideText:
    label: str
    article: str


def override_texts() -> dict[str, OverrideText]:
    english = get_language() == "en"
    return {o.value: OverrideText(o.label_en if english else o.label_vi, o.article) for o in nd335.Override}


def stage_counts(run: AnnualRun) -> dict[str, int]:
    """The service's counts per stage, with the head's tie decisions taken out of "moved down" and "tied"."""
    counts = annual.stage_counts(run)
    promoted = AnnualResult.objects.filter(run=run, tie_promoted=True).count()
    counts["moved_down"] = counts["demoted"] - promoted
    counts["ties_open"] = counts["ties"] - promoted
    counts["promoted"] = promoted
    return counts


def xlsx_units(reach: RunAccess) -> list[OrgUnit]:
    if reach.whole:
        return [reach.run.agency]
    return list(OrgUnit.objects.filter(path__in=reach.paths).order_by("path"))


def render_run(request: HttpRequest, agency: OrgUnit, year: int, bound: dict[str, forms.Form] | None = None,
               status: int = 200) -> HttpResponse:
    return render(request, T + "annual_run.html", run_context(request, agency, year, bound or {}), status=status)


@login_required
@require_GET
def annual_run(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_or_404(request, agency_id)
    if not Period.objects.filter(agency=agency, year=year).exists():
        raise Http404(_("Cơ quan chưa mở kỳ đánh giá nào trong năm này."))
    return render_run(request, agency, year)


def back(run: AnnualRun) -> HttpResponse:
    return redirect("annual_run", agency_id=run.agency_id, year=run.year)


@login_required
@require_POST
def annual_compute(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_or_404(request, agency_id)
    require(powers(request.user, agency).manage, _("Chỉ bộ phận tổ chức cán bộ được tính xếp loại năm."))
    form = ComputeForm(request.POST)
    if not form.is_valid():
        return render_run(request, agency, year, {"compute": form}, status=400)
    try:
        run = annual.compute(request.user, agency, year, ratio=form.cleaned_data["ratio"],
                             exception_decision=form.cleaned_data["exception_decision"])
    except ServiceError as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error("ratio" if field == "excellent_ratio" else
                               field if field in form.fields else None, problem)
        return render_run(request, agency, year, {"compute": form}, status=400)
    messages.success(request, _("Đã tính xếp loại năm %(year)s: %(n)s người.") % {"year": year, "n": run.people})
    return back(run)


def current_run_for_action(request: HttpRequest, run_id: int) -> AnnualRun:
    reach = reach_or_404(request, run_id)
    require(reach.whole and powers(request.user, reach.run.agency).approve,
            _("Chỉ Thủ trưởng cơ quan được quyết định kết quả xếp loại năm."))
    return reach.run


def act(request: HttpRequest, run: AnnualRun, do: Any, done: str, key: str, form: forms.Form) -> HttpResponse:
    """Run one of the head's actions; on refusal show the page again with the reason next to the form."""
    try:
        do()
    except ServiceError as exc:
        for problems in exc.errors.values():
            for problem in problems:
                form.add_error(None, problem)
        return render_run(request, run.agency, run.year, {key: form}, status=400)
    messages.success(request, done)
    return back(run)


@login_required
@require_POST
def annual_promote(request: HttpRequest, run_id: int) -> HttpResponse:
    run = current_run_for_action(request, run_id)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return render_run(request, run.agency, run.year, {"promote": form}, status=400)
    person_id = form.cleaned_data["person"]
    name = AnnualResult.objects.filter(run=run, person_id=person_id).select_related("person").first()
    return act(request, run, lambda: annual.promote_tied(request.user, run, person_id, form.cleaned_data["reason"]),
               _("Đã chọn %(name)s vào suất “Hoàn thành xuất sắc nhiệm vụ”.") % {"name": name.person.full_name if name else ""},
               "promote", form)


@login_required
@require_POST
def annual_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    run = current_run_for_action(request, run_id)
    form = ConfirmForm(request.POST, auto_id="approve_%s")
    if not form.is_valid():
        return render_run(request, run.agency, run.year, {"approve": form}, status=400)
    return act(request, run, lambda: annual.head_approve(request.user, run),
               _("Đã phê duyệt kết quả xếp loại năm %(year)s.") % {"year": run.year}, "approve", form)


@login_required
@require_POST
def annual_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = current_run_for_action(request, run_id)
    form = PublishForm(request.POST, auto_id="publish_%s")
    if not form.is_valid():
        return render_run(request, run.agency, run.year, {"publish": form}, status=400)
    days = form.cleaned_data["complaint_days"]
    response = act(request, run, lambda: annual.publish(request.user, run, dt.date.today(), days),
                   _("Đã công khai kết quả; nhận kiến nghị trong %(days)s ngày.") % {"days": days}, "publish", form)
    if response.status_code < 400:
        make_consequence_lists(request, run)
    return response


def make_consequence_lists(request: HttpRequest, run: AnnualRun) -> None:
    """Publishing the classification produces the agency's consequence lists (issue 5); a failure there
    does not undo the publication: HR can run the lists again from *Sử dụng kết quả*."""
    try:
        consequence_jobs.make_lists(request.user, run.agency, run.year)
    except (ListsError, ReferenceDataMissing) as exc:
        messages.warning(request, _("Chưa lập được danh sách sử dụng kết quả: %(why)s") % {"why": exc})
        return
    messages.info(request, _("Đã lập danh sách sử dụng kết quả đánh giá năm %(year)s (mục «Sử dụng kết quả»).")
                  % {"year": run.year})


@login_required
@require_POST
def annual_finalise(request: HttpRequest, run_id: int) -> HttpResponse:
    run = current_run_for_action(request, run_id)
    return act(request, run, lambda: annual.finalise(request.user, run, dt.date.today()),
               _("Kết quả xếp loại năm %(year)s đã chính thức.") % {"year": run.year}, "approve", ConfirmForm(auto_id="approve_%s"))


@login_required
@require_POST
def annual_reopen(request: HttpRequest, run_id: int) -> HttpResponse:
    run = current_run_for_action(request, run_id)
    form = ReopenForm(request.POST, auto_id="reopen_%s")
    if not form.is_valid():
        return render_run(request, run.agency, run.year, {"reopen": form}, status=400)
    return act(request, run, lambda: annual.reopen(request.user, run, form.cleaned_data["reason"]),
               _("Đã mở lại và tính lại kết quả (phiên bản mới)."), "reopen", form)


# ---- one person's explanation, the form and the list ---------------------------------------------------------------


@dataclass(frozen=True)
class StepLine:
    key: str
    label: str
    formula: str
    article: str


NUMERIC_STEPS = {"annual_score", "level_by_score", "quota"}  # formulas with numbers; the others are plain text


def step_lines(steps: list[nd335.Step], english: bool) -> list[StepLine]:
    return [
        StepLine(s.key, s.label_en if english else s.label_vi,
                 vn_formula(s.formula) if s.key in NUMERIC_STEPS else s.formula, s.article)
        for s in steps
    ]


@login_required
@require_GET
def annual_person(request: HttpRequest, run_id: int, person_id: int) -> HttpResponse:
    try:
        reach, result = access_result(request.user, run_id, person_id)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc
    why = explanations.explain_result(reach.run, result)
    english = get_language() == "en"
    override = nd335.Override(result.override) if result.override else None
    context = {
        "run": reach.run, "result": result, "why": why, "steps": step_lines(why.steps, english),
        "own": result.person_id == own_person_id(request.user),
        "override": override, "override_label": (override.label_en if english else override.label_vi) if override else "",
        "breadcrumb": tree.breadcrumb(request.user, result.unit),
        "back": reverse("annual_run", args=[reach.run.agency_id, reach.run.year]) if reach.whole or reach.paths else
        reverse("annual_index"),
    }
    return render(request, T + "annual_person.html", context)


@login_required
@require_GET
def annual_pdf(request: HttpRequest, run_id: int, person_id: int) -> HttpResponse:
    try:
        reach, result = access_result(request.user, run_id, person_id)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc
    pdf = documents.render_pdf(documents.annual_form(reach.run, result))
    return pdf_response(pdf, documents.annual_filename(reach.run, result))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def sheet_pdf(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Mẫu số 01 of one period's sheet: for whoever may read the sheet (the person, managers, head, HR)."""
    from congvu.evaluation.access import Act, access_sheet

    try:
        sheet = access_sheet(request.user, sheet_id, Act.READ)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc
    return pdf_response(documents.render_pdf(documents.sheet_form(sheet)), documents.sheet_filename(sheet))


@login_required
@require_http_methods(["GET"])
def annual_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    """The annual summary list of a unit (``?don_vi``, default the agency) as .xlsx."""
    reach = reach_or_404(request, run_id)
    raw = request.GET.get("don_vi", "")
    unit = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else reach.run.agency
    allowed = unit is not None and unit.path.startswith(reach.run.agency.path) and (
        reach.whole or any(unit.path.startswith(p) for p in reach.paths))
    if not allowed or unit is None:
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền truy cập."))
    data = spreadsheets.annual_summary_xlsx(reach.run, unit)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{spreadsheets.filename_for(reach.run, unit)}"'
    return response

