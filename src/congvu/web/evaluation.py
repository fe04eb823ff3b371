"""Pages of the period evaluation (Decree 335/2025): "my month" for the civil servant, the team board and a
sheet's page for managers, the approval page for heads, the explanation of a score, and the overdue steps on
the home page.

Every view is thin: access check (``congvu.evaluation.access``) → service (``work``, ``workflow``) → render.
A sheet out of the user's reach answers 404 whatever the reason; a sheet the user may read but not act on in
the way asked answers 403 (a manager scoring their own sheet, an inspector assigning work). The services
decide whether the sheet's state allows the step; their messages land on the form's fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congvu.access.access import NotFoundOrDenied, own_person_id, path_filter, rights_at, scope_for
from congvu.access.policy import Right
from congvu.core.types import AnyUser
from congvu.evaluation import catalogue, periods, work, workflow
from congvu.evaluation.access import Act, access_sheet, access_unit_for, sheet_acts, units_with
from congvu.evaluation.models import EvalRole, Frequency, Period, Sheet, SheetStatus, TaskLine
from congvu.org.models import OrgUnit
from congvu.personnel.services import ServiceError
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335
from congvu.text import fold
from congvu.web.evaluation_forms import (
    BoardFilterForm,
    FindingsForm,
    GeneralForm,
    ReasonForm,
    ReportForm,
    TaskForm,
    group_field_name,
)
from congvu.web.formats import vn_number
from congvu.web.views import render_page

PAGE_SIZE = 25
MAX_UNIT_CHOICES = 400
UNIT_CHOICE_DEPTH = 2  # levels below the user's top units offered in the unit drop-down
# The home page counts overdue steps of the periods that ended in the last year; older ones show on the boards.
OVERDUE_HORIZON = dt.timedelta(days=366)
T = "web/evaluation/"

# Labels that come from the models and services in Vietnamese, marked here for the English catalogue.
SERVICE_LABELS = (
    gettext_noop("Đang thực hiện"), gettext_noop("Đã tự đánh giá"), gettext_noop("Lãnh đạo đã chấm"),
    gettext_noop("Đã phê duyệt"), gettext_noop("Đã công khai"),
    # the reasons the rule set and the batch scoring store on a sheet without a task score
    gettext_noop("Không có công việc được giao trong kỳ"),
    gettext_noop("Nghỉ theo chế độ cả kỳ: không tính vào điểm bình quân năm (Nghị định 335/2025, Điều 21)."),
)
LATE_STEPS = (  # (due field of the period, statuses still waiting for that step, label when late)
    ("self_due", {SheetStatus.DRAFT}, gettext_noop("Chưa tự đánh giá")),
    ("manager_due", {SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED}, gettext_noop("Chưa được lãnh đạo chấm")),
    ("approve_due", {SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED, SheetStatus.MANAGER_SCORED},
     gettext_noop("Chưa được phê duyệt")),
)
STEP_LABELS = {
    "self_due": gettext_noop("Tự đánh giá"),
    "manager_due": gettext_noop("Lãnh đạo trực tiếp chấm điểm"),
    "approve_due": gettext_noop("Thủ trưởng phê duyệt"),
}


def today() -> dt.date:
    return timezone.localdate()


def english() -> bool:
    return get_language() == "en"


def period_label(period: Period) -> str:
    if period.kind == Frequency.MONTHLY:
        return f"{period.number:02d}/{period.year}"
    return _("Quý %(number)s/%(year)s") % {"number": period.number, "year": period.year}


# ---- access ---------------------------------------------------------------------------------------------


def sheet_for(request: HttpRequest, sheet_id: int, act: Act = Act.READ) -> tuple[Sheet, frozenset[Act]]:
    """The sheet and what the user may do with it: 404 when out of reach, 403 when readable but not ``act``."""
    try:
        sheet = access_sheet(request.user, sheet_id, Act.READ)
    except NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc
    acts = sheet_acts(request.user, sheet)
    if act not in acts:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này trên phiếu đánh giá này."))
    return sheet, acts


def line_for(request: HttpRequest, line_id: int, allowed: set[Act]) -> tuple[TaskLine, frozenset[Act]]:
    line = TaskLine.objects.select_related("product_type").filter(pk=line_id).first()
    if line is None:
        raise Http404(_("Không tìm thấy dòng công việc."))
    sheet, acts = sheet_for(request, line.sheet_id)
    if not acts & allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này trên phiếu đánh giá này."))
    line.sheet = sheet
    return line, acts


def is_own(request: HttpRequest, sheet: Sheet) -> bool:
    return own_person_id(request.user) == sheet.person_id


def back_to(request: HttpRequest, sheet: Sheet) -> str:
    """Where a form goes after saving: the civil servant's own month, or the sheet's page."""
    if is_own(request, sheet):
        return f"{reverse('eval_my')}?ky={sheet.period_id}"
    return reverse("eval_sheet", args=[sheet.pk])


def saved(form: forms.Form, write: Callable[[], Any], rename: Mapping[str, str] | None = None) -> bool:
    """Call the service; on refusal put its messages on the form's fields (others on top) and return False."""
    try:
        write()
    except ServiceError as exc:
        for key, problems in exc.errors.items():
            field = (rename or {}).get(key, key)
            if key.startswith("general."):
                field = group_field_name(key.split(".", 1)[1])
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return False
    return True


# ---- one sheet: what it shows and offers -------------------------------------------------------------------


@dataclass(frozen=True)
class Offers:
    """The forms a sheet page shows: what the user may do (acts) and the sheet's state allows."""

    propose: bool
    assign: bool
    report: bool
    findings: bool
    self_assess: bool
    score: bool
    reopen: bool

    @classmethod
    def of(cls, sheet: Sheet, acts: frozenset[Act]) -> Offers:
        current = sheet.is_current
        work_open = current and sheet.status in work.EDITABLE_WORK
        manage = Act.MANAGE in acts
        return cls(
            propose=work_open and Act.SELF in acts and not manage,
            assign=work_open and manage,
            report=work_open and bool(acts & {Act.SELF, Act.MANAGE}),
            findings=manage and current and sheet.status in work.EDITABLE_WORK | {SheetStatus.MANAGER_SCORED},
            self_assess=work_open and Act.SELF in acts and not manage,
            score=manage and current and sheet.status in {SheetStatus.SELF_ASSESSED, SheetStatus.MANAGER_SCORED},
            reopen=Act.APPROVE in acts and current and sheet.status == SheetStatus.PUBLISHED,
        )


@dataclass(frozen=True)
class LineRow:
    number: int
    line: TaskLine
    coefficient: str  # k, every decimal it has
    weight: str  # k·q, exact
    evidence_name: str


@dataclass(frozen=True)
class GroupRow:
    code: str
    label: str
    max_points: Decimal
    self_points: str | None
    manager_points: str | None


@dataclass(frozen=True)
class Deadline:
    label: str
    due: dt.date
    late: bool


def line_rows(sheet: Sheet) -> list[LineRow]:
    lines = sheet.lines.select_related("product_type").order_by("id")
    return [
        LineRow(i, line, exact_number(line.coefficient), exact_number(line.coefficient * line.quantity),
                PurePath(line.evidence_file.name).name if line.evidence_file else "")
        for i, line in enumerate(lines, start=1)
    ]


def group_rows(sheet: Sheet) -> list[GroupRow]:
    return [
        GroupRow(g.code, g.label_en if english() else g.label_vi, g.max_points,
                 sheet.self_general.get(g.code), sheet.manager_general.get(g.code))
        for g in work.params_for(sheet).general_groups
    ]


def deadlines(sheet: Sheet, day: dt.date) -> list[Deadline]:
    period = sheet.period
    return [
        Deadline(_(STEP_LABELS[due]), getattr(period, due), sheet.worked and sheet.is_current
                 and sheet.status in waiting and getattr(period, due) < day)
        for due, waiting, _label in LATE_STEPS
    ]


def late_labels(sheet: Sheet, period: Period, day: dt.date) -> list[str]:
    if not sheet.worked:
        return []
    return [_(label) for due, waiting, label in LATE_STEPS if sheet.status in waiting and getattr(period, due) < day]


def catalogue_day(period: Period) -> dt.date:
    """The catalogue offered for a period: as it stands today, or on the period's last day once it is over."""
    return min(max(today(), period.start), period.end)


def general_initial(sheet: Sheet, manager: bool) -> dict[str, Any]:
    points = (sheet.manager_general or sheet.self_general) if manager else sheet.self_general
    initial: dict[str, Any] = {group_field_name(code): Decimal(str(value)) for code, value in points.items()}
    if manager:
        initial.update(organising=sheet.organising, unity=sheet.unity)
    return initial


def sheet_context(request: HttpRequest, sheet: Sheet, acts: frozenset[Act], **bound: forms.Form) -> dict[str, Any]:
    offers = Offers.of(sheet, acts)
    groups = work.params_for(sheet).general_groups
    leader = sheet.role == EvalRole.LEADER
    context: dict[str, Any] = {
        "sheet": sheet, "offers": offers, "own": is_own(request, sheet), "can_manage": Act.MANAGE in acts,
        "period_text": period_label(sheet.period), "lines": line_rows(sheet), "groups": group_rows(sheet),
        "deadlines": deadlines(sheet, today()), "leader": leader,
        "versions": Sheet.objects.filter(period_id=sheet.period_id, person_id=sheet.person_id)
        .exclude(pk=sheet.pk).order_by("-version"),
        "current_version": None if sheet.is_current else Sheet.objects.filter(
            period_id=sheet.period_id, person_id=sheet.person_id, is_current=True).first(),
    }
    if offers.propose or offers.assign:
        context["task_form"] = TaskForm(catalogue=catalogue.catalogue_on(sheet.unit, catalogue_day(sheet.period)))
    if offers.score:
        context["general_form"] = GeneralForm(initial=general_initial(sheet, True), groups=groups, leader=leader)
    elif offers.self_assess:
        context["general_form"] = GeneralForm(initial=general_initial(sheet, False), groups=groups)
    if offers.reopen:
        context["reopen_form"] = ReasonForm()
    context.update(bound)  # a refused form shows with its errors even if the sheet moved on meanwhile
    return context


def render_sheet(request: HttpRequest, sheet: Sheet, acts: frozenset[Act], status: int = 200,
                 **bound: forms.Form) -> HttpResponse:
    """The sheet in its page: the civil servant's own month, or the sheet page for everyone else."""
    context = sheet_context(request, sheet, acts, **bound)
    if context["own"]:
        context["sheets"] = [(s, period_label(s.period)) for s in own_sheets(sheet.person_id)]
        return render(request, T + "month_my.html", context, status=status)
    return render(request, T + "sheet_detail.html", context, status=status)


def own_sheets(person_id: int) -> list[Sheet]:
    return list(Sheet.objects.filter(person_id=person_id, is_current=True).select_related("period", "unit")
                .order_by("-period__start", "-pk"))


def chosen_sheet(sheets: list[Sheet], period_id: str | None) -> Sheet | None:
    """The period asked for; else the one running today; else the latest that has started; else the first."""
    if period_id:
        found = next((s for s in sheets if str(s.period_id) == period_id), None)
        if found is None:
            raise Http404(_("Không có phiếu đánh giá của bạn trong kỳ này."))
        return found
    day = today()
    running = [s for s in sheets if s.period.start <= day <= s.period.end]
    started = [s for s in sheets if s.period.start <= day]
    candidates = running or started or sheets
    return candidates[0] if candidates else None


# ---- my month, one sheet ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_month(request: HttpRequest) -> HttpResponse:
    own = own_person_id(request.user)
    sheets = own_sheets(own) if own is not None else []
    chosen = chosen_sheet(sheets, request.GET.get("ky"))
    if chosen is None:
        return render(request, T + "month_my.html", {"sheets": [], "has_person": own is not None})
    sheet, acts = sheet_for(request, chosen.pk)
    return render_sheet(request, sheet, acts)


@login_required
@require_GET
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet, acts = sheet_for(request, sheet_id)
    return render_sheet(request, sheet, acts)


def _add_task(request: HttpRequest, sheet_id: int, act: Act) -> HttpResponse:
    sheet, acts = sheet_for(request, sheet_id, act)
    form = TaskForm(request.POST, catalogue=catalogue.catalogue_on(sheet.unit, catalogue_day(sheet.period)))
    proposed = act == Act.SELF
    if form.is_valid():
        data = form.cleaned_data
        entry = work.TaskInput(quantity=data["quantity"], product_type_id=data["product_type"],
                               label=data["label"], coefficient=data["coefficient"], due_date=data["due_date"])
        if saved(form, lambda: work.add_task(request.user, sheet, entry, proposed_by_staff=proposed)):
            messages.success(request, _("Đã gửi đề xuất công việc; chờ lãnh đạo duyệt.") if proposed
                             else _("Đã giao công việc."))
            return redirect(back_to(request, sheet))
    return render_sheet(request, sheet, acts, status=400, task_form=form)


@login_required
@require_POST
def task_propose(request: HttpRequest, sheet_id: int) -> HttpResponse:
    return _add_task(request, sheet_id, Act.SELF)


@login_required
@require_POST
def task_assign(request: HttpRequest, sheet_id: int) -> HttpResponse:
    return _add_task(request, sheet_id, Act.MANAGE)


@login_required
@require_POST
def sheet_self_assess(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet, acts = sheet_for(request, sheet_id, Act.SELF)
    form = GeneralForm(request.POST, groups=work.params_for(sheet).general_groups)
    if form.is_valid() and saved(form, lambda: work.self_assess(request.user, sheet, form.points())):
        messages.success(request, _("Đã gửi bản tự đánh giá cho lãnh đạo."))
        return redirect(back_to(request, sheet))
    return render_sheet(request, sheet, acts, status=400, general_form=form)


@login_required
@require_POST
def sheet_score(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet, acts = sheet_for(request, sheet_id, Act.MANAGE)
    leader = sheet.role == EvalRole.LEADER
    form = GeneralForm(request.POST, groups=work.params_for(sheet).general_groups, leader=leader)
    if form.is_valid():
        extra = {"organising": form.cleaned_data.get("organising"), "unity": form.cleaned_data.get("unity")}
        if saved(form, lambda: work.manager_score(request.user, sheet, form.points(), **extra)):
            messages.success(request, _("Đã chấm điểm phiếu của %(name)s.") % {"name": sheet.person.full_name})
            return redirect(back_to(request, sheet))
        sheet.refresh_from_db()  # the service may have set fields on the object before it refused
    return render_sheet(request, sheet, acts, status=400, general_form=form)


@login_required
@require_POST
def sheet_reopen(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet, acts = sheet_for(request, sheet_id, Act.APPROVE)
    form = ReasonForm(request.POST)
    holder: list[Sheet] = []
    if form.is_valid() and saved(form, lambda: holder.append(
            workflow.reopen(request.user, sheet, form.cleaned_data["reason"]))):
        messages.success(request, _("Đã mở lại kết quả: phiên bản %(version)s.") % {"version": holder[0].version})
        return redirect("eval_sheet", sheet_id=holder[0].pk)
    return render_sheet(request, sheet, acts, status=400, reopen_form=form)


# ---- one task line ------------------------------------------------------------------------------------------


def line_page(request: HttpRequest, template: str, line: TaskLine, form: forms.Form, **extra: Any) -> HttpResponse:
    context = {"line": line, "sheet": line.sheet, "form": form, "period_text": period_label(line.sheet.period),
               "back": back_to(request, line.sheet),
               "evidence_name": PurePath(line.evidence_file.name).name if line.evidence_file else "",
               "coefficient": exact_number(line.coefficient), **extra}
    return render(request, T + template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def line_report(request: HttpRequest, line_id: int) -> HttpResponse:
    line, _acts = line_for(request, line_id, {Act.SELF, Act.MANAGE})
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: work.report_completion(
                request.user, line, completed=data["completed"], completed_on=data["completed_on"],
                evidence_link=data["evidence_link"], evidence_file=data["evidence_file"],
            )):
                messages.success(request, _("Đã báo cáo kết quả: %(label)s.") % {"label": line.label})
                return redirect(back_to(request, line.sheet))
    else:
        day = min(today(), line.sheet.period.end + dt.timedelta(days=31))
        form = ReportForm(initial={"completed": line.completed or line.quantity,
                                   "completed_on": line.completed_on or day, "evidence_link": line.evidence_link})
    return line_page(request, "sheet_line_report.html", line, form)


@login_required
@require_http_methods(["GET", "POST"])
def line_findings(request: HttpRequest, line_id: int) -> HttpResponse:
    line, _acts = line_for(request, line_id, {Act.MANAGE})
    if request.method == "POST":
        form = FindingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: work.record_findings(
                request.user, line, errors=data["error_count"], delays=data["delay_count"],
                objective_cause=data["objective_cause"], objective_reason=data["objective_reason"], note=data["note"],
            ), rename={"errors": "error_count", "delays": "delay_count"}):
                messages.success(request, _("Đã ghi nhận sai sót, chậm trễ: %(label)s.") % {"label": line.label})
                return redirect(back_to(request, line.sheet))
    else:
        form = FindingsForm(initial={"error_count": line.errors, "delay_count": line.delays,
                                     "objective_cause": line.objective_cause,
                                     "objective_reason": line.objective_reason, "note": line.findings_note})
    return line_page(request, "sheet_line_findings.html", line, form)


@login_required
@require_http_methods(["GET", "POST"])
def line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    line, _acts = line_for(request, line_id, {Act.MANAGE})
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sheet = line.sheet
        if saved(form, lambda: work.remove_task(request.user, line, form.cleaned_data["reason"])):
            messages.success(request, _("Đã xoá công việc: %(label)s.") % {"label": line.label})
            return redirect(back_to(request, sheet))
    return line_page(request, "sheet_line_remove.html", line, form)


@login_required
@require_POST
def line_accept(request: HttpRequest, line_id: int) -> HttpResponse:
    line, _acts = line_for(request, line_id, {Act.MANAGE})
    try:
        work.accept_proposal(request.user, line)
    except ServiceError as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("Đã duyệt công việc đề xuất: %(label)s.") % {"label": line.label})
    return redirect(back_to(request, line.sheet))


@login_required
@require_GET
def line_evidence(request: HttpRequest, line_id: int) -> FileResponse:
    line, _acts = line_for(request, line_id, {Act.READ})
    if not line.evidence_file:
        raise Http404(_("Dòng công việc này không có tệp minh chứng."))
    try:
        handle = line.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Không tìm thấy tệp minh chứng.")) from exc
    return FileResponse(handle, as_attachment=True, filename=PurePath(line.evidence_file.name).name)


# ---- the explanation of a score ------------------------------------------------------------------------------


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def vn_formula(text: str) -> str:
    """A rule-set formula as the UI writes numbers: ``1.5 × min(4, 4)`` → ``1,5 × min(4; 4)``; no rounding
    (the formula shows exact values), thousands grouped with a dot."""
    def number(match: re.Match[str]) -> str:
        whole, _dot, fraction = match.group().partition(".")
        grouped = f"{int(whole):,}".replace(",", ".")
        return f"{grouped},{fraction}" if fraction else grouped

    return _NUMBER.sub(number, text.replace(", ", "; "))


def exact_number(value: Decimal) -> str:
    """A stored decimal with every significant place it has (a coefficient of 1,2345 stays 1,2345)."""
    return vn_formula(format(value.normalize(), "f"))


@dataclass(frozen=True)
class StepRow:
    key: str
    label: str
    formula: list[str]  # the parts of the formula, one per line
    value: str
    article: str


@dataclass(frozen=True)
class ExplainedLine:
    """One counted task line with its converted figures, as exact numbers written the UI's way."""

    number: int
    line: TaskLine
    k: str
    q: str
    weight: str  # k·q
    c: str
    done: str  # k·min(c, q)
    quality: str  # max(0, k·c' − rate·k·e)
    timely: str
    quality_cut: str  # rate·k·e, "" when nothing is deducted
    timely_cut: str
    waived: bool  # an objective cause waived the errors and delays


def step_rows(score: nd335.PeriodScore) -> list[StepRow]:
    return [
        StepRow(s.key, s.label_en if english() else s.label_vi, [vn_formula(p) for p in s.formula.split("; ")],
                vn_formula(s.value), s.article)
        for s in score.steps
    ]


def explained_lines(sheet: Sheet, params: nd335.Parameters) -> list[ExplainedLine]:
    """The counted (accepted) lines in the order the rule set numbers them, with the rule set's own sums."""
    rows = []
    lines = sheet.lines.filter(accepted=True).order_by("id")
    for number, (line, rule) in enumerate(zip(lines, work.rule_lines(sheet), strict=True), start=1):
        sums = nd335.line_sums(rule, params)
        cut = params.deduction_rate * line.coefficient
        waived = line.objective_cause
        rows.append(ExplainedLine(
            number, line, exact_number(line.coefficient), exact_number(line.quantity), exact_number(sums.assigned),
            exact_number(line.completed), exact_number(sums.done), exact_number(sums.quality),
            exact_number(sums.timely),
            exact_number(cut * line.errors) if line.errors and not waived else "",
            exact_number(cut * line.delays) if line.delays and not waived else "",
            waived and bool(line.errors or line.delays),
        ))
    return rows


FIGURES = ("quantity_pct", "quality_pct", "timeliness_pct", "task_points", "general_points", "total")


@login_required
@require_GET
def sheet_explain(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet, _acts = sheet_for(request, sheet_id)
    params = work.params_for(sheet)
    score = work.explain(sheet)
    stored = {name: getattr(sheet, name) for name in FIGURES}
    recomputed = {name: getattr(score, name) for name in FIGURES} if score else {}
    rule_set_id = sheet.rule_set_id or sheet.period.rule_set_id
    context = {
        "sheet": sheet, "period_text": period_label(sheet.period), "score": score,
        "steps": step_rows(score) if score else [], "lines": explained_lines(sheet, params),
        "pending": sheet.lines.filter(accepted=False).count(),
        "stored": stored, "differs": bool(score) and sheet.scored_at is not None and stored != recomputed,
        "rule_set": kpi_registry.rule_set(rule_set_id), "rate_pct": params.deduction_rate * 100,
        "back": back_to(request, sheet), "groups": group_rows(sheet),
    }
    return render(request, T + "sheet_explain.html", context)


# ---- the team board and the approval page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """The unit and the period a board shows, with the choices offered."""

    unit: OrgUnit
    period: Period | None
    unit_choices: list[tuple[int, str]]
    period_choices: list[tuple[int, str]]


def unit_choices(user: AnyUser, right: Right, selected: OrgUnit) -> list[tuple[int, str]]:
    """The top of the user's reach for ``right`` and a few levels below, indented; the chosen unit too."""
    units = units_with(user, right)
    top = units.aggregate(depth=Min("depth"))["depth"] or 0
    rows = list(units.filter(depth__lte=top + UNIT_CHOICE_DEPTH).order_by("path")
                .values_list("pk", "name", "depth")[:MAX_UNIT_CHOICES])
    choices = [(pk, "\u2003" * (depth - top) + name) for pk, name, depth in rows]
    if selected.pk not in {pk for pk, _name in choices}:
        choices.append((selected.pk, selected.name))
    return choices


def unit_periods(unit: OrgUnit) -> QuerySet[Period]:
    """The periods whose sheets the unit's subtree holds: its agency's, or those of agencies below it."""
    agency = periods.agency_of(unit)
    return (Period.objects.filter(Q(agency=agency) | Q(agency__path__startswith=unit.path))
            .annotate(has_sheets=Exists(Sheet.objects.filter(period=OuterRef("pk"))))
            .select_related("agency").order_by("-start", "agency__path"))


def default_period(candidates: list[Period], day: dt.date) -> Period | None:
    """The latest period that has started and has sheets (the running one once its sheets exist)."""
    started = [p for p in candidates if p.start <= day]
    with_sheets = [p for p in started if getattr(p, "has_sheets", True)]
    chosen = with_sheets or started or candidates[-1:]
    return chosen[0] if chosen else None


def pick(request: HttpRequest, right: Right, *, strict: bool = False) -> Pick:
    """Unit from ``?don_vi`` (default: the user's top unit), period from ``?ky`` (default: the running one).
    With ``strict`` a period that is not the unit's answers 404 instead of falling back to the default."""
    user = request.user
    if scope_for(user, right).empty:
        raise PermissionDenied(_("Bạn không có quyền xem kết quả đánh giá của đơn vị nào."))
    raw_unit = request.GET.get("don_vi", "")
    if raw_unit.isdigit():
        try:
            unit = access_unit_for(user, int(raw_unit), right)
        except NotFoundOrDenied as exc:
            raise Http404(str(exc)) from exc
    else:
        found = units_with(user, right).order_by("depth", "path").first()
        if found is None:
            raise PermissionDenied(_("Bạn không có quyền xem kết quả đánh giá của đơn vị nào."))
        unit = found
    candidates = list(unit_periods(unit))
    raw_period = request.GET.get("ky", "")
    period = next((p for p in candidates if str(p.pk) == raw_period), None)
    if period is None:
        if strict:
            raise Http404(_("Không có kỳ đánh giá này trong đơn vị đã chọn."))
        period = default_period(candidates, today())
    several = len({p.agency_id for p in candidates}) > 1
    labels = [(p.pk, f"{period_label(p)} – {p.agency.name}" if several else period_label(p)) for p in candidates]
    return Pick(unit, period, unit_choices(user, right, unit), labels)


STATUS_RANK = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(SheetStatus.values)),
                   output_field=IntegerField())
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "ten": ("person__sort_key", "pk"),
    "-ten": ("-person__sort_key", "-pk"),
    "don_vi": ("unit__path", "person__sort_key", "pk"),
    "-don_vi": ("-unit__path", "person__sort_key", "pk"),
    "trang_thai": (STATUS_RANK.asc(), "person__sort_key", "pk"),
    "-trang_thai": (STATUS_RANK.desc(), "person__sort_key", "pk"),
    "tong": (F("total").asc(nulls_last=True), "person__sort_key", "pk"),
    "-tong": (F("total").desc(nulls_last=True), "person__sort_key", "pk"),
}


def late_statuses(period: Period, day: dt.date) -> set[str]:
    out: set[str] = set()
    for due, waiting, _label in LATE_STEPS:
        if getattr(period, due) < day:
            out |= {str(s) for s in waiting}
    return out


def filtered_sheets(period: Period, unit: OrgUnit, form: BoardFilterForm, default_sort: str) -> QuerySet[Sheet]:
    sheets = workflow.unit_sheets(period, unit).select_related("person", "unit")
    data = form.cleaned_data if form.is_valid() else {}
    for word in fold(data.get("q") or "").split():
        sheets = sheets.filter(person__search_name__contains=word)
    if data.get("trang_thai"):
        sheets = sheets.filter(status=data["trang_thai"])
    if data.get("qua_han"):
        sheets = sheets.filter(worked=True, status__in=late_statuses(period, today()))
    return sheets.order_by(*ORDERINGS[data.get("sap_xep") or default_sort])


@dataclass(frozen=True)
class BoardRow:
    sheet: Sheet
    late: list[str]


def board_rows(page: Page[Sheet], period: Period) -> list[BoardRow]:
    day = today()
    return [BoardRow(s, late_labels(s, period, day)) for s in page.object_list]


def status_counts(sheets: QuerySet[Sheet]) -> list[tuple[str, str, int]]:
    counts = dict(sheets.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [(value, _(label), counts.get(value, 0)) for value, label in SheetStatus.choices]


def board_context(request: HttpRequest, right: Right, default_sort: str) -> dict[str, Any]:
    chosen = pick(request, right)
    form = BoardFilterForm(request.GET)
    context: dict[str, Any] = {"pick": chosen, "form": form, "htmx": request.headers.get("HX-Request") == "true",
                               "sort": (form.cleaned_data.get("sap_xep") if form.is_valid() else "") or default_sort}
    if chosen.period is None:
        return context
    everyone = workflow.unit_sheets(chosen.period, chosen.unit)
    page = Paginator(filtered_sheets(chosen.period, chosen.unit, form, default_sort), PAGE_SIZE).get_page(
        request.GET.get("trang"))
    context.update(
        period=chosen.period, period_text=period_label(chosen.period), page=page,
        rows=board_rows(page, chosen.period), counts=status_counts(everyone),
        overdue=workflow.overdue(everyone, today()), total_sheets=everyone.count(),
    )
    return context


@login_required
@require_GET
def team_board(request: HttpRequest) -> HttpResponse:
    context = board_context(request, Right.READ_EVALUATIONS, "ten")
    context["can_approve"] = Right.APPROVE_EVALUATION in rights_at(request.user, context["pick"].unit.path)
    return render_page(request, T + "team_board.html", T + "team_part_results.html", context)


def scored_summary(sheets: QuerySet[Sheet]) -> dict[str, Any]:
    scored = sheets.filter(total__isnull=False)
    return scored.aggregate(
        n=Count("id"), mean=Avg("total"), low=Min("total"), high=Max("total"),
        excellent=Count("id", filter=Q(total__gte=90)), good=Count("id", filter=Q(total__gte=70, total__lt=90)),
        completed=Count("id", filter=Q(total__gte=50, total__lt=70)), failing=Count("id", filter=Q(total__lt=50)),
    )


@login_required
@require_GET
def approve_board(request: HttpRequest) -> HttpResponse:
    context = board_context(request, Right.APPROVE_EVALUATION, "-tong")
    period = context.get("period")
    if period is not None:
        everyone = workflow.unit_sheets(period, context["pick"].unit)
        context["summary"] = scored_summary(everyone)
        counts = {value: n for value, _label, n in context["counts"]}
        context["to_approve"] = counts[SheetStatus.MANAGER_SCORED]
        context["to_publish"] = counts[SheetStatus.APPROVED]
    return render_page(request, T + "approve_board.html", T + "team_part_results.html", context)


APPROVE_ACTIONS = {
    "duyet": (gettext_noop("Phê duyệt kết quả"), SheetStatus.MANAGER_SCORED),
    "cong-khai": (gettext_noop("Công khai kết quả"), SheetStatus.APPROVED),
}


@login_required
@require_http_methods(["GET", "POST"])
def approve_confirm(request: HttpRequest) -> HttpResponse:
    """Approve or publish a unit's period, after a confirmation page that says how many sheets it touches."""
    action = request.GET.get("thao_tac", "")
    if action not in APPROVE_ACTIONS:
        raise Http404(_("Không có thao tác này."))
    chosen = pick(request, Right.APPROVE_EVALUATION, strict=True)
    period = chosen.period
    if period is None:  # strict: a period was found or 404 was raised
        raise Http404(_("Không có kỳ đánh giá này trong đơn vị đã chọn."))
    board = f"{reverse('eval_approve')}?ky={period.pk}&don_vi={chosen.unit.pk}"
    if request.method == "POST":
        if action == "duyet":
            n = workflow.approve(request.user, period, chosen.unit)
            text = ngettext("Đã phê duyệt %(n)s phiếu.", "Đã phê duyệt %(n)s phiếu.", n)
        else:
            n = workflow.publish(request.user, period, chosen.unit)
            text = ngettext("Đã công khai %(n)s phiếu.", "Đã công khai %(n)s phiếu.", n)
        messages.success(request, text % {"n": vn_number(n)})
        return redirect(board)
    title, status = APPROVE_ACTIONS[action]
    everyone = workflow.unit_sheets(period, chosen.unit)
    context = {
        "action": action, "title": _(title), "unit": chosen.unit, "period": period,
        "period_text": period_label(period), "board": board, "affected": everyone.filter(status=status).count(),
        "waiting": everyone.filter(worked=True, status__in=[SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED]).count(),
    }
    return render(request, T + "approve_confirm.html", context)


# ---- overdue steps on the home page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueBlock:
    title: str
    url: str
    items: list[workflow.Overdue]


def overdue_blocks(user: AnyUser, day: dt.date) -> list[OverdueBlock]:
    """The user's own overdue steps, and those of the sheets they may read in their units."""
    recent = Sheet.objects.filter(period__end__gte=day - OVERDUE_HORIZON)
    own = own_person_id(user)
    blocks = []
    if own is not None:
        mine = workflow.overdue(recent.filter(person_id=own), day)
        if mine:
            blocks.append(OverdueBlock(_("Phiếu đánh giá của bạn"), reverse("eval_my"), mine))
    scope = scope_for(user, Right.READ_EVALUATIONS)
    if not scope.empty:
        team = recent.filter(path_filter(scope, "unit__path"))
        if own is not None:
            team = team.exclude(person_id=own)
        items = workflow.overdue(team, day)
        if items:
            blocks.append(OverdueBlock(_("Các đơn vị bạn phụ trách"), reverse("eval_team"), items))
    return blocks


@login_required
@require_GET
def overdue_fragment(request: HttpRequest) -> HttpResponse:
    """htmx: the overdue block of the home page, loaded after the page so the home page stays fast."""
    context = {"overdue_loaded": True, "overdue_blocks": overdue_blocks(request.user, today())}
    return render(request, T + "_overdue.html", context)


def has_own_sheet(user: AnyUser) -> bool:
    own = own_person_id(user)
    return own is not None and Sheet.objects.filter(person_id=own, is_current=True).exists()
