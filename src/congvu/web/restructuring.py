"""The restructuring pages (issue 6): organisation events and their detail, plans with their events, impact
(the tree the day before beside the tree after, positions with quota and staff, who moves where), commit and
undo; two plans compared; redeployment runs with the surplus per unit and the proposals; one proposal with
why it was chosen and the accept / change / reject forms; the report with charts and its .xlsx.

Views are thin: the reach is READ_RESTRUCTURING (anything outside it is 404, see
``congvu.restructuring.access``), the actions need RESTRUCTURE at the plan's or run's scope unit; the work is
``congvu.restructuring.services`` (events), ``.redeploy`` (proposals) and ``.reports``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any, ParamSpec

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from congvu.access.access import NotFoundOrDenied, own_person_id
from congvu.access.policy import Right
from congvu.org.models import JobPosition, OrgUnit
from congvu.org.queries import tree_on
from congvu.personnel.models import Person
from congvu.restructuring import access, redeploy, reports, services, xlsx
from congvu.restructuring.models import (
    EmploymentMove,
    OrgEvent,
    Plan,
    PositionSuccession,
    Proposal,
    QuotaDecision,
    RedeploymentRun,
    UnitSuccession,
)
from congvu.text import fold
from congvu.web import restructuring_forms as rf
from congvu.web import tree
from congvu.web.evaluation_reports import Chart, chart
from congvu.web.formats import vn_number
from congvu.web.forms import vn_date_field

T = "web/restructuring/"
PAGE_SIZE = 25
MAX_TREE = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
P = ParamSpec("P")

# The model labels are Vietnamese (the source language): marked here so the catalogue carries them.
LABELS = (
    gettext_noop("Dự thảo"), gettext_noop("Đã quyết định"), gettext_noop("Đã hủy bỏ"), gettext_noop("Ghi nhận lịch sử"),
    gettext_noop("Sáp nhập, hợp nhất"), gettext_noop("Chia, tách"), gettext_noop("Giải thể"), gettext_noop("Đổi tên"),
    gettext_noop("Chuyển về đơn vị khác"), gettext_noop("Thay đổi cấp, loại đơn vị"),
    gettext_noop("Đơn vị giải thể"), gettext_noop("Vị trí việc làm không còn"),
    gettext_noop("Vượt biên chế của vị trí sau sắp xếp"), gettext_noop("Chờ xem xét"), gettext_noop("Chấp nhận"),
    gettext_noop("Chấp nhận với vị trí khác"), gettext_noop("Không chấp nhận"), gettext_noop("Đang xem xét"),
    gettext_noop("Đã đóng"), gettext_noop("Trung ương"), gettext_noop("Cấp tỉnh"), gettext_noop("Cấp huyện"),
    gettext_noop("Cấp xã"), gettext_noop("Tổng cộng"),
)


def found_or_404(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Objects out of reach raise NotFoundOrDenied in the access module: the pages answer 404."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFoundOrDenied as exc:
            raise Http404(str(exc)) from exc

    return wrapped


def reader(request: HttpRequest) -> None:
    if not access.may_read_any(request.user):
        raise PermissionDenied(_("Bạn không có quyền xem thông tin sắp xếp tổ chức."))


def writer_at(request: HttpRequest, unit: OrgUnit) -> None:
    if not access.may_restructure(request.user, unit):
        raise PermissionDenied(_("Chỉ bộ phận tổ chức cán bộ được sắp xếp tổ chức và bố trí lại."))


def refused(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """A service's {field: [messages]} on the form: on the field when the form has it, else on the form."""
    for field, problems in errors.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


# ---- events -------------------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    loai = forms.ChoiceField(label=gettext_lazy("Loại sự kiện"), required=False)
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False)
    tu = vn_date_field(gettext_lazy("Hiệu lực từ ngày"))
    den = vn_date_field(gettext_lazy("đến ngày"))

    def __init__(self, data: Any):
        super().__init__(data)
        self.fields["loai"].choices = [("", _("Tất cả")), *[(k.value, _(k.label)) for k in OrgEvent.Kind]]  # type: ignore[attr-defined]
        self.fields["trang_thai"].choices = [("", _("Tất cả")), *[(s.value, _(s.label)) for s in Plan.Status]]  # type: ignore[attr-defined]


def filtered_events(user: Any, data: dict[str, Any]) -> QuerySet[OrgEvent]:
    rows = access.events_visible(user).select_related("plan")
    if data.get("loai"):
        rows = rows.filter(kind=data["loai"])
    if data.get("trang_thai"):
        rows = rows.filter(plan__status=data["trang_thai"])
    if data.get("tu"):
        rows = rows.filter(effective_date__gte=data["tu"])
    if data.get("den"):
        rows = rows.filter(effective_date__lte=data["den"])
    return rows.annotate(moved=Count("moves", distinct=True)).order_by("-effective_date", "plan_id", "seq", "pk")


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    reader(request)
    form = EventFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filtered_events(request.user, data), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, T + "events.html", {"form": form, "page": page,
                                               "may_write": not access.write_scope(request.user).empty})


@dataclass(frozen=True)
class QuotaRow:
    position: str
    unit: str
    carried: int
    decided: int
    reason: str


def quota_row(q: QuotaDecision) -> QuotaRow:
    position = q.position or q.old_position
    return QuotaRow(position.name if position else "", position.unit.name if position else "", q.carried,
                    q.decided, q.reason)


@login_required
@require_GET
@found_or_404
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    units = (UnitSuccession.objects.filter(event=event).select_related("old_unit", "new_unit")
             .order_by("old_unit__path"))
    positions = (PositionSuccession.objects.filter(event=event)
                 .select_related("old_position__unit", "new_position__unit").order_by("old_position__unit__path", "pk"))
    quotas = [quota_row(q) for q in
              QuotaDecision.objects.filter(event=event).select_related("position__unit", "old_position__unit")]
    context = {
        "event": event, "plan": event.plan, "successions": units, "positions": positions[:MAX_TREE],
        "quotas": quotas, "moved": EmploymentMove.objects.filter(event=event).count(),
    }
    return render(request, T + "event.html", context)


# ---- plans ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    reader(request)
    scopes = access.top_units(request.user, Right.RESTRUCTURE)
    rows = (access.plans_visible(request.user).select_related("scope_unit", "created_by")
            .annotate(n_events=Count("events")).order_by("-created_at", "-pk"))
    return render(request, T + "plans.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang")),
        "form": rf.PlanForm(scopes=scopes) if scopes else None,
    })


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    scopes = access.top_units(request.user, Right.RESTRUCTURE)
    if not scopes:
        raise PermissionDenied(_("Chỉ bộ phận tổ chức cán bộ được sắp xếp tổ chức và bố trí lại."))
    form = rf.PlanForm(request.POST, scopes=scopes)
    if form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.create_plan(request.user, access.write_scope(request.user), name=d["name"],
                                        scope_unit_id=d["scope_unit"], notes=d["notes"])
        except services.RestructuringError as exc:
            refused(form, exc.errors)
        else:
            messages.success(request, _("Đã tạo phương án “%(name)s”.") % {"name": plan.name})
            return redirect("rs_plan", plan.pk)
    rows = access.plans_visible(request.user).select_related("scope_unit").annotate(n_events=Count("events"))
    return render(request, T + "plans.html", {"page": Paginator(rows, PAGE_SIZE).get_page(1), "form": form},
                  status=400)


def event_form(plan: Plan, data: Any = None) -> rf.EventForm:
    return rf.EventForm(data, units=rf.unit_choices(plan.scope_unit, dt.date.today()))


@dataclass(frozen=True)
class TreeRow:
    name: str
    kind: str
    depth: int
    note: str = ""
    css: str = ""


def before_tree(plan: Plan, impact: Any) -> tuple[dt.date | None, list[TreeRow]]:
    """The subtrees the plan touches, as they are the day before its first effective date."""
    dates = sorted(impact.effective_dates)
    if not dates:
        return None, []
    day = dates[0] - dt.timedelta(days=1)
    touched = {i for u in impact.units for i in u.old_unit_ids}
    roots = list(OrgUnit.objects.filter(pk__in=touched).values_list("path", flat=True))
    rows: list[TreeRow] = []
    top = min((p.count(".") for p in roots), default=0)
    for unit in tree_on(day, plan.scope_unit).only("pk", "name", "kind", "path")[: MAX_TREE * 10]:
        if any(unit.path.startswith(r) for r in roots) and len(rows) < MAX_TREE:
            rows.append(TreeRow(unit.name, unit.get_kind_display(), unit.path.count(".") - top,
                                css="touched" if unit.pk in touched else ""))
    return day, rows


def after_tree(impact: Any) -> list[TreeRow]:
    """The units the plan leaves, nested by their planned parents (a parent outside the plan is named)."""
    by_ref = {u.ref: u for u in impact.units}
    children: dict[str | None, list[Any]] = {}
    outside = {u.parent_id for u in impact.units if getattr(u, "parent_ref", None) not in by_ref and u.parent_id}
    names = dict(OrgUnit.objects.filter(pk__in=outside).values_list("pk", "name"))
    for u in impact.units:
        parent = u.parent_ref if getattr(u, "parent_ref", None) in by_ref else None
        children.setdefault(parent, []).append(u)
    rows: list[TreeRow] = []
    labels = dict(OrgUnit.Kind.choices)

    def walk(ref: str | None, depth: int) -> None:
        for u in children.get(ref, []):
            if len(rows) >= MAX_TREE:
                return
            note = _("thuộc %(parent)s") % {"parent": names[u.parent_id]} if depth == 0 and u.parent_id in names else ""
            rows.append(TreeRow(u.name, str(labels.get(u.kind, u.kind)), depth, note,
                                "kept" if u.existing_id else "new"))
            walk(u.ref, depth + 1)

    walk(None, 0)
    return rows


@dataclass(frozen=True)
class MoveRow:
    person_id: int
    name: str
    from_unit: str
    from_position: str
    to_unit: str
    to_position: str


def move_rows(user: Any, impact: Any, page_number: str | None) -> Any:
    """The moves of one page, with names read for that page only."""
    page = Paginator(access.readable_moves(user, list(impact.moves)), PAGE_SIZE).get_page(page_number)
    moves = list(page.object_list)
    people = {p.pk: p.full_name for p in Person.objects.filter(pk__in=[m.person_id for m in moves])
                  .only("pk", "family_name", "middle_name", "given_name")}
    units = dict(OrgUnit.objects.filter(pk__in=[m.from_unit_id for m in moves]).values_list("pk", "name"))
    positions = dict(JobPosition.objects.filter(pk__in=[m.from_position_id for m in moves if m.from_position_id])
                     .values_list("pk", "name"))
    unit_names = {u.ref: u.name for u in impact.units}
    position_names = {p.ref: p.name for p in impact.positions}
    page.object_list = [MoveRow(m.person_id, people.get(m.person_id, ""), units.get(m.from_unit_id, ""),
                                positions.get(m.from_position_id, "—") if m.from_position_id else "—",
                                unit_names.get(m.to_unit_ref, m.to_unit_ref),
                                position_names.get(m.to_position_ref, "—") if m.to_position_ref else "—")
                        for m in moves]
    return page


def plan_context(request: HttpRequest, plan: Plan, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    bound = bound or {}
    may_write = access.may_restructure(request.user, plan.scope_unit)
    impact = services.impact(plan) if plan.status != Plan.Status.UNDONE else None
    context: dict[str, Any] = {
        "plan": plan, "events": plan.events.annotate(moved=Count("moves")).order_by("seq", "pk"),
        "may_write": may_write, "draft": plan.status == Plan.Status.DRAFT, "impact": impact,
        "breadcrumb": tree.breadcrumb(request.user, plan.scope_unit),
        "others": access.plans_visible(request.user).exclude(pk=plan.pk).filter(
            status__in=[Plan.Status.DRAFT, Plan.Status.COMMITTED]).order_by("-created_at")[:50],
    }
    if impact is not None:
        day, before = before_tree(plan, impact)
        context.update(before_day=day, before=before, after=after_tree(impact),
                       positions=sorted(impact.positions, key=lambda p: (-p.surplus, -p.shortage, p.name)),
                       moves=move_rows(request.user, impact, request.GET.get("trang")))
    if may_write and plan.status == Plan.Status.DRAFT:
        context.update(event_form=bound.get("event") or event_form(plan),
                       commit_form=bound.get("commit") or rf.CommitForm())
    if may_write and plan.status == Plan.Status.COMMITTED:
        context["undo_form"] = bound.get("undo") or rf.UndoForm()
    return context


def render_plan(request: HttpRequest, plan: Plan, bound: dict[str, forms.Form] | None = None,
                status: int = 200) -> HttpResponse:
    return render(request, T + "plan.html", plan_context(request, plan, bound), status=status)


@login_required
@require_GET
@found_or_404
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render_plan(request, access.access_plan(request.user, plan_id))


def writing_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = access.access_plan(request.user, plan_id)
    writer_at(request, plan.scope_unit)
    return plan


@login_required
@require_POST
@found_or_404
def event_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = writing_plan(request, plan_id)
    form = event_form(plan, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_event(request.user, access.write_scope(request.user), plan.pk, kind=d["kind"],
                               effective_date=d["effective_date"], decision_number=d["decision_number"],
                               decision_date=d["decision_date"], legal_basis=d["legal_basis"], spec=form.spec())
        except services.RestructuringError as exc:
            refused(form, {spec_field(k): v for k, v in exc.errors.items()})
        else:
            messages.success(request, _("Đã thêm sự kiện vào phương án."))
            return redirect("rs_plan", plan.pk)
    return render_plan(request, plan, {"event": form}, status=400)


SPEC_FIELDS = {"sources": "sources", "source": "sources", "unit": "sources", "target": "target_name",
               "targets": "target_name", "name": "target_name", "kind": "target_kind", "parent_id": "target_parent",
               "receiving_unit_id": "target_parent", "existing_id": "into_existing"}


def spec_field(key: str) -> str:
    """The engine names spec fields (``spec.sources``, ``target.name``…): the form field that holds each."""
    last = key.split(".")[-1].split("[")[0]
    return SPEC_FIELDS.get(last, key if key in rf.EventForm.base_fields else "__all__")


@login_required
@require_POST
@found_or_404
def event_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    writer_at(request, event.plan.scope_unit)
    try:
        services.remove_event(request.user, access.write_scope(request.user), event.pk)
    except services.RestructuringError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Đã bỏ sự kiện khỏi phương án."))
    return redirect("rs_plan", event.plan_id)


@login_required
@require_POST
@found_or_404
def plan_commit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = writing_plan(request, plan_id)
    form = rf.CommitForm(request.POST)
    if form.is_valid():
        try:
            services.commit_plan(request.user, access.write_scope(request.user), plan.pk)
        except services.RestructuringError as exc:
            refused(form, exc.errors)
        else:
            messages.success(request, _("Đã quyết định phương án; các sự kiện được áp dụng theo ngày có hiệu lực."))
            return redirect("rs_plan", plan.pk)
    return render_plan(request, plan, {"commit": form}, status=400)


@login_required
@require_POST
@found_or_404
def plan_undo(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = writing_plan(request, plan_id)
    form = rf.UndoForm(request.POST)
    if form.is_valid():
        try:
            services.undo_plan(request.user, access.write_scope(request.user), plan.pk, reason=form.cleaned_data["reason"])
        except services.RestructuringError as exc:
            refused(form, exc.errors)
        else:
            messages.success(request, _("Đã hủy bỏ phương án; cơ cấu tổ chức và hồ sơ trở lại như trước."))
            return redirect("rs_plan", plan.pk)
    return render_plan(request, plan, {"undo": form}, status=400)


@dataclass(frozen=True)
class CompareRow:
    label: str
    a: int
    b: int

    @property
    def difference(self) -> int:
        return self.b - self.a


TOTAL_LABELS = {
    "positions_before": gettext_noop("Vị trí việc làm trước"), "positions_after": gettext_noop("Vị trí việc làm sau"),
    "quota_before": gettext_noop("Biên chế trước"), "quota_after": gettext_noop("Biên chế sau"),
    "headcount_before": gettext_noop("Số người trước"), "headcount_after": gettext_noop("Số người sau"),
    "surplus": gettext_noop("Dôi dư"), "shortage": gettext_noop("Còn thiếu"),
    "quota_decided_change": gettext_noop("Biên chế thay đổi theo quyết định"),
}


def totals_of(totals: Any) -> dict[str, int]:
    if isinstance(totals, dict):
        return {k: int(v) for k, v in totals.items() if isinstance(v, int)}
    return {k: int(getattr(totals, k)) for k in TOTAL_LABELS if isinstance(getattr(totals, k, None), int)}


@login_required
@require_GET
@found_or_404
def compare(request: HttpRequest) -> HttpResponse:
    reader(request)
    ids = [request.GET.get(k, "") for k in ("a", "b")]
    if not all(i.isdigit() for i in ids):
        raise Http404(_("Hãy chọn hai phương án để so sánh."))
    a, b = (access.access_plan(request.user, int(i)) for i in ids)
    result = services.compare(a, b)
    ta, tb = totals_of(result.a), totals_of(result.b)
    rows = [CompareRow(_(label), ta.get(key, 0), tb.get(key, 0)) for key, label in TOTAL_LABELS.items()
            if key in ta or key in tb]
    return render(request, T + "compare.html", {"a": a, "b": b, "rows": rows, "comparison": result})


# ---- redeployment runs and proposals -----------------------------------------------------------------------------


def run_form(request: HttpRequest, data: Any = None) -> rf.RunForm | None:
    scopes = access.top_units(request.user, Right.RESTRUCTURE)
    if not scopes:
        return None
    plans_ = access.plans_visible(request.user).filter(status=Plan.Status.COMMITTED).values_list("pk", "name")[:100]
    return rf.RunForm(data, scopes=scopes, plans=list(plans_), initial={"as_of": dt.date.today()})


@login_required
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    reader(request)
    rows = access.runs_visible(request.user).select_related("scope_unit", "plan", "created_by")
    return render(request, T + "runs.html", {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang")),
                                             "form": run_form(request)})


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    form = run_form(request, request.POST)
    if form is None:
        raise PermissionDenied(_("Chỉ bộ phận tổ chức cán bộ được sắp xếp tổ chức và bố trí lại."))
    if form.is_valid():
        d = form.cleaned_data
        try:
            run = redeploy.run_redeployment(request.user, access.write_scope(request.user),
                                            scope_unit_id=d["scope_unit"], as_of=d["as_of"], plan_id=d.get("plan"))
        except redeploy.RedeploymentError as exc:
            refused(form, exc.errors)
        else:
            messages.success(request, _("Đã lập đề xuất bố trí lại: %(n)s người dôi dư.") % {
                "n": vn_number(run.proposals.count())})
            return redirect("rs_run", run.pk)
    rows = access.runs_visible(request.user).select_related("scope_unit", "plan")
    return render(request, T + "runs.html", {"page": Paginator(rows, PAGE_SIZE).get_page(1), "form": form}, status=400)


def filtered_proposals(user: Any, run: RedeploymentRun, form: rf.ProposalFilterForm) -> QuerySet[Proposal]:
    rows = access.proposals_visible(user).filter(run=run)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("trang_thai"):
        rows = rows.filter(status=data["trang_thai"])
    if data.get("ket_qua") == "vi-tri":
        rows = rows.filter(to_position__isnull=False)
    elif data.get("ket_qua") == "tinh-gian":
        rows = rows.filter(to_position__isnull=True)
    if data.get("ly_do"):
        rows = rows.filter(reason=data["ly_do"])
    for word in fold(data.get("q") or "").split():
        rows = rows.filter(person__search_name__contains=word)
    return rows.select_related("person", "from_employment__unit__parent", "from_position", "to_position__unit__parent").order_by(
        "person__sort_key", "pk")


@login_required
@require_GET
@found_or_404
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.access_run(request.user, run_id)
    form = rf.ProposalFilterForm(request.GET)
    proposals = filtered_proposals(request.user, run, form)
    counts = dict(access.proposals_visible(request.user).filter(run=run).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    context = {
        "run": run, "form": form, "surplus": redeploy.surplus_by_unit(run), "counts": counts,
        "page": Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("trang")),
        "statuses": [(s.value, _(s.label), counts.get(s.value, 0)) for s in Proposal.Status],
        "breadcrumb": tree.breadcrumb(request.user, run.scope_unit),
    }
    return render(request, T + "run.html", context)


def proposal_context(request: HttpRequest, proposal: Proposal, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    deciding = access.may_restructure(user, proposal.run.scope_unit) and proposal.status == Proposal.Status.PENDING
    options = redeploy.feasible_positions(proposal) if deciding else []
    # The move starts the day after the run's day: the person's spell after the event starts on that day.
    initial = {"effective_date": proposal.run.as_of + dt.timedelta(days=1)}
    evidence = proposal.evidence or {}
    return {
        "proposal": proposal, "run": proposal.run, "person": proposal.person, "deciding": deciding,
        "own": proposal.person_id == own_person_id(user), "options": options,
        "parts": evidence.get("parts") or [],
        "constraints": evidence.get("constraints") or [],
        "alternatives": evidence.get("alternatives") or [],
        "evidence": evidence,
        "accept_form": bound.get("accept") or rf.DecisionForm(initial=initial, auto_id="accept_%s"),
        "change_form": bound.get("change") or rf.ChangeForm(
            initial=initial, auto_id="change_%s", options=[(o.position.pk, option_label(o)) for o in options]),
        "reject_form": bound.get("reject") or rf.RejectForm(auto_id="reject_%s"),
        "refusals": [e for f in bound.values() for e in f.non_field_errors()],
    }


def option_label(option: Any) -> str:
    p = option.position
    return _("%(position)s – %(unit)s (còn %(seats)s chỗ, %(fit)s điểm)") % {
        "position": p.name, "unit": p.unit.name, "seats": vn_number(option.seats_left),
        "fit": vn_number(option.fit.points)}


def render_proposal(request: HttpRequest, proposal: Proposal, bound: dict[str, forms.Form] | None = None,
                    status: int = 200) -> HttpResponse:
    return render(request, T + "proposal.html", proposal_context(request, proposal, bound or {}), status=status)


@login_required
@require_GET
@found_or_404
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return render_proposal(request, access.access_proposal(request.user, proposal_id))


def deciding_proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = access.access_proposal(request.user, proposal_id)
    writer_at(request, proposal.run.scope_unit)
    return proposal


def decide(request: HttpRequest, proposal_id: int, key: str, form_of: Callable[[Proposal], forms.Form],
           act: Callable[[Proposal, dict[str, Any]], Any], done: str) -> HttpResponse:
    """Accept, change or reject: parse the form, call the service, back to the proposal (or the form, refused)."""
    proposal = deciding_proposal(request, proposal_id)
    form = form_of(proposal)
    if form.is_valid():
        try:
            act(proposal, form.cleaned_data)
        except redeploy.RedeploymentError as exc:
            refused(form, {("position" if k in ("position_id", "to_position") else k): v for k, v in exc.errors.items()})
        else:
            messages.success(request, done)
            return redirect("rs_proposal", proposal.pk)
    return render_proposal(request, proposal, {key: form}, status=400)


@login_required
@require_POST
@found_or_404
def proposal_accept(request: HttpRequest, proposal_id: int) -> HttpResponse:
    scope = access.write_scope(request.user)
    return decide(request, proposal_id, "accept", lambda p: rf.DecisionForm(request.POST, auto_id="accept_%s"),
                  lambda p, d: redeploy.accept(request.user, scope, p.pk, decision_number=d["decision_number"],
                                               effective_date=d["effective_date"], reason=d["reason"]),
                  _("Đã chấp nhận đề xuất."))


@login_required
@require_POST
@found_or_404
def proposal_change(request: HttpRequest, proposal_id: int) -> HttpResponse:
    scope = access.write_scope(request.user)

    def form_of(p: Proposal) -> forms.Form:
        options = [(o.position.pk, option_label(o)) for o in redeploy.feasible_positions(p)]
        return rf.ChangeForm(request.POST, auto_id="change_%s", options=options)

    return decide(request, proposal_id, "change", form_of,
                  lambda p, d: redeploy.change(request.user, scope, p.pk, position_id=d["position"],
                                               decision_number=d["decision_number"],
                                               effective_date=d["effective_date"], reason=d["reason"]),
                  _("Đã chấp nhận với vị trí khác."))


@login_required
@require_POST
@found_or_404
def proposal_reject(request: HttpRequest, proposal_id: int) -> HttpResponse:
    scope = access.write_scope(request.user)
    return decide(request, proposal_id, "reject", lambda p: rf.RejectForm(request.POST, auto_id="reject_%s"),
                  lambda p, d: redeploy.reject(request.user, scope, p.pk, reason=d["reason"]),
                  _("Đã ghi nhận: không chấp nhận đề xuất."))


def person_proposals(user: Any, person: Person) -> list[Proposal]:
    """The proposals about ``person`` that ``user`` reads (their own, or READ_RESTRUCTURING in reach)."""
    rows = access.proposals_visible(user).filter(person=person).select_related(
        "run", "from_employment__unit", "to_position__unit", "decided_position__unit")
    return list(rows.order_by("-run__as_of", "-pk")[:20])


# ---- the report -------------------------------------------------------------------------------------------------


def report_units(user: Any) -> list[tuple[int, str]]:
    choices: list[tuple[int, str]] = []
    for top in access.top_units(user):
        choices += rf.unit_choices(top, dt.date.today())[:100]
    return choices


def report_of(request: HttpRequest) -> tuple[rf.ReportForm, reports.Report | None]:
    reader(request)
    units = report_units(request.user)
    today = dt.date.today()
    data = request.GET.copy()
    data.setdefault("don_vi", str(units[0][0]) if units else "")
    data.setdefault("tu", f"01/01/{today.year - 1}")  # last year and this one: a reform and its redeployment
    data.setdefault("den", f"31/12/{today.year}")
    form = rf.ReportForm(data, units)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    if d.get("don_vi") is None:
        return form, None
    unit = access.access_scope_unit(request.user, d["don_vi"])
    return form, reports.report(unit, d["tu"] or dt.date(today.year - 1, 1, 1), d["den"] or dt.date(today.year, 12, 31))


def share(value: int, top: int) -> Decimal:
    return Decimal(100) * value / top if top > 0 else Decimal(0)


def report_charts(r: reports.Report) -> list[Chart]:
    kinds = r.removed.by_kind
    top = max((row.net for row in kinds), default=0)
    staff_top = max((max(row.before.headcount, row.after.headcount) for row in r.staffing.rows), default=0)
    staff_items: list[tuple[str, str, Decimal, str]] = []
    for row in r.staffing.rows:
        staff_items.append((_("%(level)s, trước") % {"level": _(row.label)}, vn_number(row.before.headcount),
                            share(row.before.headcount, staff_top), "before"))
        staff_items.append((_("%(level)s, sau") % {"level": _(row.label)}, vn_number(row.after.headcount),
                            share(row.after.headcount, staff_top), "after"))
    surplus_top = max((row.total for row in r.surplus.rows), default=0)
    return [
        chart("removed", _("Số đơn vị giảm theo loại"),
              [(_(row.label), vn_number(row.net), share(row.net, top), "removed") for row in kinds]),
        chart("headcount", _("Số người trước và sau sắp xếp theo cấp"), staff_items),
        chart("surplus", _("Người dôi dư theo trạng thái đề xuất"),
              [(_(row.label), vn_number(row.total), share(row.total, surplus_top), f"proposal-{row.key}")
               for row in r.surplus.rows]),
    ]


@login_required
@require_GET
@found_or_404
def report(request: HttpRequest) -> HttpResponse:
    form, result = report_of(request)
    context = {"form": form, "r": result, "charts": report_charts(result) if result else []}
    return render(request, T + "report.html", context, status=200 if result or not form.errors else 400)


@login_required
@require_GET
@found_or_404
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, result = report_of(request)
    if result is None:
        raise Http404(_("Hãy chọn đơn vị và khoảng thời gian hợp lệ."))
    response = HttpResponse(xlsx.report_xlsx(result), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{xlsx.report_filename(result)}"'
    return response
