"""The person page's facts for the consequence rules: past ratings and dated circumstances, and the page where
HR (``MANAGE_CONSEQUENCES``) records a circumstance (a child under 36 months, redundancy, an investigation…).
Thin: access check → form → ``consequences.services.add_circumstance`` (audited) → back to the person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congvu.access.access import own_person_id, rights_at
from congvu.access.policy import Right
from congvu.consequences import services
from congvu.consequences.models import Circumstance, PastRating
from congvu.core.types import AnyUser
from congvu.personnel.models import Person
from congvu.web.choice_labels import translated_choices
from congvu.web.forms import vn_date_field
from congvu.web.record_forms import reason_field
from congvu.web.records import render_form
from congvu.web.views import person_or_404


class CircumstanceForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=[
        ("", gettext_lazy("— Chọn loại —")), *translated_choices(Circumstance.Kind.choices)])
    start_date = vn_date_field(gettext_lazy("Từ ngày"), required=True)
    end_date = vn_date_field(gettext_lazy("Đến ngày"))
    decision_number = forms.CharField(label=gettext_lazy("Số quyết định, văn bản"), max_length=60, required=False)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=255, required=False)
    reason = reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].help_text = _("Nuôi con dưới 36 tháng: ngày sinh của con.")


def person_facts(user: AnyUser, person: Person) -> dict[str, Any]:
    """Past ratings and circumstances shown beside the entries, to the person and to readers of their unit."""
    reader = person.pk == own_person_id(user) or Right.READ_CONSEQUENCES in rights_at(user, person.org_path)
    if not reader:
        return {}
    return {
        "past_ratings": list(PastRating.objects.filter(person=person).order_by("-year")),
        "circumstances": list(Circumstance.objects.filter(person=person)),
        "may_manage_consequences": Right.MANAGE_CONSEQUENCES in rights_at(user, person.org_path),
    }


@login_required
@require_http_methods(["GET", "POST"])
def circumstance_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(request, person_id)
    if Right.MANAGE_CONSEQUENCES not in rights_at(request.user, person.org_path):
        raise PermissionDenied(_("Bạn không có quyền ghi hoàn cảnh của người này."))
    form = CircumstanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_circumstance(request.user, person.pk, services.CircumstanceInput(
                kind=data["kind"], start_date=data["start_date"], end_date=data["end_date"],
                decision_number=data["decision_number"], note=data["note"]), reason=data["reason"])
        except services.CircumstanceError as exc:
            for field, problems in exc.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Đã ghi hoàn cảnh của %(name)s.") % {"name": person.full_name})
            return redirect(reverse("person_detail", args=[person.pk]) + "#person-consequences")
    return render_form(request, "web/consequences/form_hoan_canh.html", person, form)
