"""Pages that add a record to a person: a new employment spell (transfer, appointment, step change), a
discipline, a reward, a leave. Each is thin: access check → form → service → back to the tab.

Who may: users holding WRITE_PEOPLE where the person works (HR, admins). Someone who can read the person
but not write gets 403; someone who cannot even read them gets 404, as on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from congvu.access import access
from congvu.access.policy import Right
from congvu.core.scope import Scope
from congvu.personnel import services
from congvu.personnel.models import Employment, Person
from congvu.web import choices, tree
from congvu.web.formats import parse_vn_date, vn_date
from congvu.web.record_forms import DisciplineForm, EmploymentForm, LeaveForm, RewardForm
from congvu.web.views import person_or_404


def writable_person(request: HttpRequest, person_id: int) -> Person:
    person = person_or_404(request, person_id)
    if Right.WRITE_PEOPLE not in access.person_rights(request.user, person):
        raise PermissionDenied(_("Bạn không có quyền sửa hồ sơ này."))
    return person


def tab_url(person: Person, tab: str) -> str:
    return f"{reverse('person_detail', args=[person.pk])}?tab={tab}"


def saved(form: forms.Form, write: Callable[[], Any]) -> bool:
    """Call the service; on refusal put its messages on the form's fields and return False."""
    try:
        write()
    except services.ServiceError as exc:
        for field, problems in exc.errors.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return False
    return True


def render_form(request: HttpRequest, template: str, person: Person, form: forms.Form, **extra: Any) -> HttpResponse:
    context = {
        "person": person, "form": form,
        "breadcrumb": tree.breadcrumb(request.user, person.current_unit) if person.current_unit else [],
        **extra,
    }
    return render(request, template, context, status=400 if form.errors else 200)


# ---- employment ---------------------------------------------------------------------------------------


def current_spell(person: Person) -> Employment | None:
    return (person.employments.filter(end_date__isnull=True)
            .select_related("unit", "position", "rank").first())


def employment_initial(spell: Employment | None, scope: Scope) -> dict[str, Any]:
    """The new spell starts as a copy of the current one: a step change or a new title edits one field."""
    if spell is None:
        return {}
    return {
        "unit": spell.unit_id if scope.covers(spell.unit.path) else None,
        "position": spell.position_id, "title": spell.title, "rank": spell.rank_id,
        "salary_step": spell.salary_step, "step_since": spell.step_since,
        "position_allowance": spell.position_allowance, "seniority_pct": spell.seniority_pct,
        "percent_allowances": spell.percent_allowances,
    }


def chosen_day(form: EmploymentForm) -> dt.date:
    """The start date typed so far (the unit and position lists depend on it), else today."""
    raw = form["start_date"].value()
    if isinstance(raw, dt.date):
        return raw
    return (parse_vn_date(raw) if isinstance(raw, str) and raw else None) or dt.date.today()


def chosen_id(form: EmploymentForm, name: str) -> int | None:
    raw = form[name].value()
    if isinstance(raw, int):
        return raw
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


def offer_choices(person: Person, form: EmploymentForm, scope: Scope) -> None:
    day = chosen_day(form)
    form.offer(units=choices.unit_choices(scope, day),
               positions=choices.position_choices(chosen_id(form, "unit"), day),
               ranks=choices.rank_choices())
    # htmx: a new start date reloads the units (and positions) in force on it; a new unit, its positions.
    form.fields["start_date"].widget.attrs.update({
        "hx-get": reverse("employment_units", args=[person.pk]), "hx-trigger": "change",
        "hx-target": "#id_unit", "hx-swap": "outerHTML", "hx-include": "#id_unit, #id_position",
    })
    form.fields["unit"].widget.attrs.update({
        "hx-get": reverse("employment_positions", args=[person.pk]), "hx-trigger": "change",
        "hx-target": "#id_position", "hx-swap": "outerHTML", "hx-include": "#id_start_date, #id_position",
    })


def employment_input(data: dict[str, Any]) -> services.EmploymentInput:
    return services.EmploymentInput(
        unit_id=data["unit"], start_date=data["start_date"], position_id=data["position"], title=data["title"],
        rank_id=data["rank"], salary_step=data["salary_step"], step_since=data["step_since"],
        position_allowance=data["position_allowance"], seniority_pct=data["seniority_pct"],
        percent_allowances=data["percent_allowances"], decision_number=data["decision_number"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def employment_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = writable_person(request, person_id)
    scope = access.write_scope(request.user)
    spell = current_spell(person)
    units = choices.writable_units(scope)
    if request.method == "POST":
        form = EmploymentForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            if saved(form, lambda: services.change_employment(
                request.user, scope, person.pk, employment_input(data),
                end_reason=data["end_reason"], reason=data["reason"],
            )):
                unit = units.get(pk=data["unit"])
                messages.success(request, _("Đã thêm quá trình công tác của %(name)s: %(unit)s từ %(day)s.") % {
                    "name": person.full_name, "unit": unit.name, "day": vn_date(data["start_date"])})
                return redirect(tab_url(person, "cong-tac"))
    else:
        form = EmploymentForm(initial=employment_initial(spell, scope), units=units)
    offer_choices(person, form, scope)
    return render_form(request, "web/person/form_cong_tac.html", person, form, spell=spell)


def _fragment_form(request: HttpRequest, person_id: int) -> tuple[Person, EmploymentForm]:
    """An unbound form holding the values htmx sent, to render one of its selects again."""
    person = writable_person(request, person_id)
    scope = access.write_scope(request.user)
    initial = {name: request.GET.get(name, "") for name in ("start_date", "unit", "position")}
    form = EmploymentForm(initial=initial, units=choices.writable_units(scope))
    offer_choices(person, form, scope)
    return person, form


@login_required
@require_GET
def employment_positions(request: HttpRequest, person_id: int) -> HttpResponse:
    """htmx: the position select for the unit just chosen."""
    _person, form = _fragment_form(request, person_id)
    return render(request, "web/person/_employment_select.html", {"field": form["position"]})


@login_required
@require_GET
def employment_units(request: HttpRequest, person_id: int) -> HttpResponse:
    """htmx: the unit select for the start date just typed, and the position select out of band."""
    _person, form = _fragment_form(request, person_id)
    form.fields["position"].widget.attrs["hx-swap-oob"] = "true"
    context = {"field": form["unit"], "oob": form["position"]}
    return render(request, "web/person/_employment_select.html", context)


# ---- discipline, reward, leave ------------------------------------------------------------------------


def add_record(
    request: HttpRequest,
    person_id: int,
    form_class: type[forms.Form],
    write: Callable[..., Any],
    *,
    done: str,
    tab: str,
    template: str,
) -> HttpResponse:
    """GET: the empty form; POST: validate, call ``write`` with the form's fields (named as the service's
    keyword arguments), then back to the person's tab with ``done``; on refusal, the form with the errors."""
    person = writable_person(request, person_id)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = access.write_scope(request.user)
        if saved(form, lambda: write(request.user, scope, person.pk, **form.cleaned_data)):
            messages.success(request, done % {"name": person.full_name})
            return redirect(tab_url(person, tab))
    return render_form(request, template, person, form)


@login_required
@require_http_methods(["GET", "POST"])
def discipline_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return add_record(request, person_id, DisciplineForm, services.add_discipline,
                      done=_("Đã thêm quyết định kỷ luật của %(name)s."), tab="ky-luat",
                      template="web/person/form_ky_luat.html")


@login_required
@require_http_methods(["GET", "POST"])
def reward_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return add_record(request, person_id, RewardForm, services.add_reward,
                      done=_("Đã thêm khen thưởng của %(name)s."), tab="khen-thuong",
                      template="web/person/form_khen_thuong.html")


@login_required
@require_http_methods(["GET", "POST"])
def leave_add(request: HttpRequest, person_id: int) -> HttpResponse:
    return add_record(request, person_id, LeaveForm, services.add_leave,
                      done=_("Đã thêm thời gian nghỉ của %(name)s."), tab="nghi",
                      template="web/person/form_nghi.html")
