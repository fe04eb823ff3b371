"""Pages. Each view is thin: access check (congvu.access.access) → service or query → render.

Objects out of the user's reach answer 404 whatever the reason, so a page never tells whether a record
exists. A record the user may read but not change answers 403 on its edit page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from congvu.access import access
from congvu.access.policy import Right
from congvu.core.models import AuditEntry
from congvu.org.models import JobPosition, OrgUnit, active_on
from congvu.personnel.models import Category, Employment, Person, Sex
from congvu.personnel.services import PersonInput, ServiceError, StaleVersion, update_person
from congvu.web import people as people_query
from congvu.web import transfer, tree
from congvu.web.choices import province_choices
from congvu.web.forms import AsOfForm, ImportForm, LoginForm, PeopleFilterForm, PersonForm
from congvu.web.history import history_rows

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 30


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page(request: HttpRequest, full: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only the part htmx asked for; caches must keep the two apart."""
    response = render(request, partial if is_htmx(request) else full, context)
    response["Vary"] = "HX-Request"
    return response


def person_or_404(request: HttpRequest, person_id: int, right: Right = Right.READ_PEOPLE) -> Person:
    try:
        return access.access_person(request.user, person_id, right)
    except access.NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc


def unit_or_404(request: HttpRequest, unit_id: int) -> OrgUnit:
    try:
        return access.access_unit(request.user, unit_id)
    except access.NotFoundOrDenied as exc:
        raise Http404(str(exc)) from exc


# ---- login --------------------------------------------------------------------------------------------


class CongvuLoginView(LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the login page with a clear message, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    form = LoginForm(request, data=None)
    context = {"form": form, "locked": True, "cooloff_minutes": minutes}
    return render(request, "web/login.html", context, status=429)


# ---- home ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    people = access.people_visible(user)
    by_category: Counter[str] = Counter()
    by_sex: Counter[str] = Counter()
    for category, sex, n in people.order_by().values_list("category", "sex").annotate(n=Count("id")):
        by_category[category] += n
        by_sex[sex] += n
    today = dt.date.today()
    units = access.units_visible(user).filter(active_on(today))
    audit_scope = access.scope_for(user, Right.READ_AUDIT)
    recent: list[AuditEntry] = []
    if not audit_scope.empty:
        recent = list(AuditEntry.objects.filter(tree.path_q(audit_scope, "org_path")).exclude(org_path="")[:8])
    context = {
        "people_total": sum(by_category.values()),
        "categories": [(_(label), by_category.get(value, 0)) for value, label in Category.choices],
        "sexes": [(_(label), by_sex.get(value, 0)) for value, label in Sex.choices],
        "units_total": units.count(),
        "positions": tree.position_totals_of_roots(user, today),
        "can_read": not access.scope_for(user, Right.READ_PEOPLE).empty,
        "can_write": not access.write_scope(user).empty,
        "recent": recent,
        "names": _names_of(user, {e.subject_person_id for e in recent if e.subject_person_id}),
        "today": today,
    }
    return render(request, "web/home.html", context)


# ---- organisation -------------------------------------------------------------------------------------


@login_required
@require_GET
def org_tree(request: HttpRequest) -> HttpResponse:
    as_of = AsOfForm(request.GET)
    day = as_of.day()
    roots = tree.roots_for(request.user, day)
    context = {"as_of": as_of, "day": day, "nodes": tree.nodes(roots, day, expand_first=roots.count() <= 3)}
    return render(request, "web/org_tree.html", context)


@login_required
@require_GET
def org_children(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    day = AsOfForm(request.GET).day()
    context = {"nodes": tree.nodes(tree.children_on(unit, day), day), "day": day}
    return render(request, "web/_org_nodes.html", context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_or_404(request, unit_id)
    as_of = AsOfForm(request.GET)
    day = as_of.day()
    positions = list(JobPosition.objects.filter(unit=unit).filter(active_on(day)).select_related("rank")
                     .with_filled(day).order_by("group", "name"))
    roster = (
        Employment.objects.filter(unit=unit, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .filter(person__in=access.people_visible(request.user))
        .select_related("person", "position", "rank")
        .order_by("person__sort_key", "person_id")
    )
    page = _paginate(request, roster, PAGE_SIZE)
    context = {
        "unit": unit,
        "as_of": as_of,
        "day": day,
        "breadcrumb": tree.breadcrumb(request.user, unit),
        "positions": positions,
        "totals": {
            "quota": sum(p.headcount_quota for p in positions),
            "filled": sum(p.filled for p in positions),  # type: ignore[attr-defined]
            "vacancies": sum(max(p.vacancies, 0) for p in positions),  # type: ignore[attr-defined]
        },
        "subunits": tree.nodes(tree.children_on(unit, day), day),
        "page": page,
    }
    return render(request, "web/unit_detail.html", context)


# ---- people -------------------------------------------------------------------------------------------


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None, unit_choices=people_query.unit_choices(request.user, request.GET.get("don_vi")))
    people = people_query.filter_people(request.user, form)
    page = _paginate(request, people.select_related("current_unit"), PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "sort": (form.cleaned_data.get("sap_xep") if form.is_valid() else "") or "ten",
        "htmx": is_htmx(request),
        "can_export": not access.write_scope(request.user).empty,
    }
    return render_page(request, "web/people_list.html", "web/_people_results.html", context)


PERSON_TABS = (
    ("thong-tin", gettext_noop("Thông tin chung")),
    ("cong-tac", gettext_noop("Quá trình công tác")),
    ("ky-luat", gettext_noop("Kỷ luật")),
    ("khen-thuong", gettext_noop("Khen thưởng")),
    ("nghi", gettext_noop("Nghỉ")),
    ("lich-su", gettext_noop("Lịch sử thay đổi")),
)


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    # Imported here: the consequence pages import the evaluation pages, which import this module.
    from congvu.web import consequences, consequences_person

    person = person_or_404(request, person_id)
    rights = access.person_rights(request.user, person)
    tabs = [(key, _(label)) for key, label in PERSON_TABS if key != "lich-su" or Right.READ_AUDIT in rights]
    tab = request.GET.get("tab", "thong-tin")
    if tab not in dict(tabs):
        raise Http404(_("Không có mục này."))
    context: dict[str, Any] = {
        "person": person,
        "tabs": tabs,
        "tab": tab,
        "tab_template": f"web/person/tab_{tab.replace('-', '_')}.html",
        "can_edit": Right.WRITE_PEOPLE in rights,
        "breadcrumb": tree.breadcrumb(request.user, person.current_unit) if person.current_unit else [],
        **_tab_context(request, person, tab, rights),
        # The consequence section sits outside the tabs, so htmx tab switches do not need it.
        "consequence_entries": [] if is_htmx(request) else consequences.person_entries(request.user, person),
        **({} if is_htmx(request) else consequences_person.person_facts(request.user, person)),
    }
    return render_page(request, "web/person_detail.html", "web/person/_body.html", context)


def _tab_context(request: HttpRequest, person: Person, tab: str, rights: frozenset[Right]) -> dict[str, Any]:
    if tab == "thong-tin":
        return {"shown": access.masked_fields(request.user, person)}
    if tab == "cong-tac":
        return {"rows": person.employments.select_related("unit", "position", "rank").order_by("-start_date")}
    if tab == "ky-luat":
        return {"rows": person.disciplines.order_by("-decided_on")}
    if tab == "khen-thuong":
        return {"rows": person.rewards.order_by("-decided_on")}
    if tab == "nghi":
        return {"rows": person.leaves.order_by("-start_date")}
    entries = AuditEntry.objects.filter(subject_person_id=person.pk).order_by("-at", "-id")
    page = _paginate(request, entries, HISTORY_PAGE_SIZE)
    return {"page": page, "rows": history_rows(page.object_list, rights)}


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    rights = access.person_rights(request.user, person)
    if Right.WRITE_PEOPLE not in rights:
        raise PermissionDenied(_("Bạn không có quyền sửa hồ sơ này."))
    hidden = _fields_hidden_from(rights)
    areas = province_choices(keep=(person.hometown_id, person.birthplace_id))
    if request.method == "POST":
        form = PersonForm(request.POST, hidden=hidden, area_choices=areas)
        if form.is_valid() and _save_person(request, person, form):
            messages.success(request, _("Đã lưu hồ sơ của %(name)s.") % {"name": person.full_name})
            return redirect("person_detail", person_id=person.pk)
    else:
        form = PersonForm(initial=_initial(person), hidden=hidden, area_choices=areas)
    context = {"person": person, "form": form,
               "breadcrumb": tree.breadcrumb(request.user, person.current_unit) if person.current_unit else []}
    return render(request, "web/person_edit.html", context, status=400 if form.errors else 200)


def _fields_hidden_from(rights: frozenset[Right]) -> tuple[str, ...]:
    hidden: tuple[str, ...] = ()
    if Right.READ_IDENTITY not in rights:
        hidden += PersonForm.IDENTITY
    if Right.READ_SENSITIVE not in rights:
        hidden += PersonForm.SENSITIVE
    return hidden


def _initial(person: Person) -> dict[str, Any]:
    areas = ("hometown", "birthplace")  # ids, not the related rows (no query for them)
    initial = {name: getattr(person, name) for name in PersonForm.base_fields
               if name not in areas and hasattr(person, name)}
    initial["party_member"] = "" if person.party_member is None else ("1" if person.party_member else "0")
    initial["reason"] = ""
    initial.update(hometown=person.hometown_id, birthplace=person.birthplace_id)
    return initial


def _save_person(request: HttpRequest, person: Person, form: PersonForm) -> bool:
    """Call the service; on refusal put its messages on the form fields and return False."""
    data = form.cleaned_data
    kept = {name: getattr(person, name) for name in PersonForm.IDENTITY + PersonForm.SENSITIVE if name not in form.fields}
    party = form.party_member_value() if "party_member" in form.fields else person.party_member
    values = {
        name: data[name] if name in form.fields else kept.get(name)
        for name in ("personal_id", "old_id", "birth_date", "ethnicity", "religion", "party_joined_on")
    }
    entry = PersonInput(
        family_name=data["family_name"], middle_name=data["middle_name"], given_name=data["given_name"],
        sex=data["sex"], birth_year=data["birth_year"], category=data["category"],
        education_level=data["education_level"], political_theory_level=data["political_theory_level"],
        insured_months=data["insured_months"], party_member=party,
        hometown_id=data["hometown"], birthplace_id=data["birthplace"],
        personal_id=values["personal_id"] or "", old_id=values["old_id"] or "", birth_date=values["birth_date"],
        ethnicity=values["ethnicity"] or "", religion=values["religion"] or "", party_joined_on=values["party_joined_on"],
    )
    try:
        update_person(request.user, access.write_scope(request.user), person.pk, entry,
                      expected_version=data["version"], reason=data["reason"])
    except StaleVersion:
        form.add_error(None, _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang để xem bản mới "
                               "nhất rồi nhập lại thay đổi của bạn."))
        return False
    except ServiceError as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return False
    return True


# ---- import and export --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    scope = access.write_scope(request.user)
    if scope.empty:
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu cán bộ."))
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = transfer.run_import(request.user, scope, form.cleaned_data["file"],
                                         dry_run=form.cleaned_data["dry_run"])
    else:
        form = ImportForm()
    status = 400 if form.errors or (report is not None and not report.ok) else 200
    context = {"form": form, "report": report, "error_rows": transfer.first_errors(report),
               "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["dry_run"]}
    return render(request, "web/import.html", context, status=status)


@login_required
@require_GET
def export_people(request: HttpRequest) -> FileResponse:
    scope = access.write_scope(request.user)
    if scope.empty:
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu cán bộ."))
    form = PeopleFilterForm(request.GET or None, unit_choices=people_query.unit_choices(request.user, request.GET.get("don_vi")))
    people = people_query.filter_people(request.user, form).filter(tree.path_q(scope, "org_path"))
    fmt = request.GET.get("dinh_dang", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404(_("Định dạng không hỗ trợ."))
    sensitive = access.scope_for(request.user, Right.READ_SENSITIVE)
    include_sensitive = sensitive.everything or all(sensitive.covers(path) for path in scope.paths)
    return transfer.export_response(people, fmt, include_sensitive=include_sensitive)


# ---- helpers ------------------------------------------------------------------------------------------


def _paginate(request: HttpRequest, rows: Any, size: int) -> Page[Any]:
    return Paginator(rows, size).get_page(request.GET.get("trang"))


def _names_of(user: Any, person_ids: set[int]) -> dict[int, str]:
    """Full names of the people among ``person_ids`` that ``user`` may see (others stay unnamed)."""
    rows = access.people_visible(user).filter(pk__in=person_ids).only("family_name", "middle_name", "given_name")
    return {p.pk: p.full_name for p in rows}
