"""Summaries of evaluation results for any unit in scope, by month, quarter, half-year or year, with charts.

The numbers come from ``congvu.evaluation.summaries`` (set-based); this module only picks the unit and the
span from the query string and turns the numbers into bar geometry for inline SVG (no script, no library:
the bars are rectangles with percentage widths, so the text keeps its size on a phone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from congvu.access.access import NotFoundOrDenied, scope_for
from congvu.access.policy import Right
from congvu.core.types import AnyUser
from congvu.evaluation.access import access_unit_for, units_with
from congvu.evaluation.models import AnnualRun, Period, SheetStatus
from congvu.evaluation.summaries import LEVEL_ORDER, Span, Tally, UnitSummary, summarise
from congvu.org.models import OrgUnit
from congvu.web import tree
from congvu.web.formats import vn_number

MAX_UNIT_CHOICES = 400
UNIT_CHOICE_DEPTH = 2
ROW = 22  # px: one text line of a chart
BAR = 14  # px: the height of a bar
GAP = 10  # px: between two bars
KIND_CHOICES = [
    ("month", gettext_lazy("Tháng")), ("quarter", gettext_lazy("Quý")),
    ("half", gettext_lazy("6 tháng")), ("year", pgettext_lazy("span", "Năm")),
]


class SummaryForm(forms.Form):
    don_vi = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int, required=False, empty_value=None)
    loai = forms.ChoiceField(label=gettext_lazy("Tổng hợp theo"), choices=KIND_CHOICES, required=False)
    nam = forms.IntegerField(label=pgettext_lazy("span", "Năm"), min_value=2000, max_value=2100, required=False,
                             widget=forms.NumberInput(attrs={"class": "narrow"}))
    so = forms.IntegerField(label=gettext_lazy("Tháng, quý hoặc nửa năm số"), min_value=1, max_value=12, required=False,
                            widget=forms.NumberInput(attrs={"class": "narrow"}),
                            help_text=gettext_lazy("Tháng 1–12, quý 1–4, 6 tháng đầu năm 1, cuối năm 2; bỏ trống khi xem cả năm."))

    def __init__(self, data: Any, units: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["don_vi"].choices = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("loai") or "year", data.get("so") or 1
        limits = {"month": 12, "quarter": 4, "half": 2, "year": 1}
        if kind == "year":
            number = 1
        elif number > limits[kind]:
            self.add_error("so", _("Số không hợp lệ: tháng 1–12, quý 1–4, nửa năm 1–2."))
        data["loai"], data["so"] = kind, number
        return data


def unit_choices(user: AnyUser, selected: OrgUnit | None) -> list[tuple[int, str]]:
    units = units_with(user, Right.READ_EVALUATIONS)
    top = units.aggregate(depth=Min("depth"))["depth"] or 0
    rows = list(units.filter(depth__lte=top + UNIT_CHOICE_DEPTH).order_by("path")
                .values_list("pk", "name", "depth")[:MAX_UNIT_CHOICES])
    choices = [(pk, "\u2003" * (depth - top) + name) for pk, name, depth in rows]
    if selected is not None and selected.pk not in {pk for pk, _name in choices}:
        choices.append((selected.pk, selected.name))
    return choices


def chosen_unit(request: HttpRequest) -> OrgUnit:
    raw = request.GET.get("don_vi", "")
    if raw.isdigit():
        try:
            return access_unit_for(request.user, int(raw), Right.READ_EVALUATIONS)
        except NotFoundOrDenied as exc:
            raise Http404(str(exc)) from exc
    top = units_with(request.user, Right.READ_EVALUATIONS).order_by("depth", "path").first()
    if top is None:
        raise PermissionDenied(_("Bạn không có quyền xem kết quả đánh giá của đơn vị nào."))
    return top


def default_year(unit: OrgUnit, today: dt.date) -> int:
    """This year if the unit's periods reach it, else the latest year with periods."""
    years = Period.objects.filter(Q(agency__path__startswith=unit.path) | Q(agency_id__in=ancestor_ids(unit)))
    latest = years.aggregate(y=Max("year"))["y"]
    return today.year if latest is None or latest >= today.year else int(latest)


def ancestor_ids(unit: OrgUnit) -> list[int]:
    return [int(s) for s in unit.path.strip(".").split(".") if s]


# ---- charts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    pct: Decimal  # width in percent of the chart
    css: str
    label_y: int
    bar_y: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return len(self.bars) * (ROW + BAR + GAP)


def chart(key: str, title: str, items: list[tuple[str, str, Decimal, str]]) -> Chart:
    """Bars from (label, value as shown, width 0–100, css class), each a label line above its bar."""
    bars = []
    for i, (label, value, pct, css) in enumerate(items):
        top = i * (ROW + BAR + GAP)
        width = max(Decimal(0), min(Decimal(100), pct)).quantize(Decimal("0.1"))
        bars.append(Bar(label, value, width, css, top + ROW - 6, top + ROW))
    return Chart(key, title, bars)


def share(n: int, total: int) -> Decimal:
    return Decimal(100) * n / total if total else Decimal(0)


def level_chart(total: Tally) -> Chart:
    people = total.people_scored
    items = [
        (_(str(level.label)), f"{vn_number(total.levels[str(level)])} ({vn_number(share(total.levels[str(level)], people), 1)}%)",
         share(total.levels[str(level)], people), f"level-{level.value}")
        for level in LEVEL_ORDER
    ]
    return chart("levels", _("Phân bố mức xếp loại theo điểm bình quân"), items)


def unit_chart(summary: UnitSummary) -> Chart:
    items = []
    for row in summary.rows:
        name = row.unit.name if row.unit is not None else _("Trực tiếp tại %(unit)s") % {"unit": summary.unit.name}
        avg = row.tally.average
        items.append((name, vn_number(avg, 2) if avg is not None else "—", avg or Decimal(0), "avg"))
    return chart("units", _("Điểm bình quân theo đơn vị trực thuộc"), items)


def period_chart(summary: UnitSummary) -> Chart:
    items = [(p.label, vn_number(p.average, 2) if p.average is not None else "—", p.average or Decimal(0), "avg")
             for p in summary.periods]
    return chart("periods", _("Điểm bình quân theo kỳ"), items)


def status_chart(summary: UnitSummary) -> Chart:
    total = sum(summary.statuses.values())
    items = [(_(str(status.label)), vn_number(summary.statuses[str(status)]),
              share(summary.statuses[str(status)], total), f"status-{status.value}") for status in SheetStatus]
    return chart("statuses", _("Phiếu đánh giá theo trạng thái"), items)


def annual_links(unit: OrgUnit, year: int) -> list[tuple[AnnualRun, OrgUnit]]:
    """The current annual runs of the year that cover the unit or lie under it, with the unit to list."""
    runs = AnnualRun.objects.filter(is_current=True, year=year).select_related("agency").filter(
        Q(agency__path__startswith=unit.path) | Q(agency_id__in=ancestor_ids(unit)))
    return [(run, unit if unit.path.startswith(run.agency.path) else run.agency) for run in runs.order_by("agency__path")]


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user, Right.READ_EVALUATIONS).empty:
        raise PermissionDenied(_("Bạn không có quyền xem kết quả đánh giá của đơn vị nào."))
    unit = chosen_unit(request)
    today = dt.date.today()
    form = SummaryForm(request.GET or None, unit_choices(request.user, unit))
    valid = form.is_valid()
    status = 400 if form.is_bound and not valid else 200
    data = form.cleaned_data if valid else {}
    span = Span(data.get("loai") or "year", data.get("nam") or default_year(unit, today), data.get("so") or 1)
    if not form.is_bound:
        form = SummaryForm({"don_vi": unit.pk, "loai": span.kind, "nam": span.year, "so": ""},
                           unit_choices(request.user, unit))
    result = summarise(unit, span, today)
    charts = [level_chart(result.total), status_chart(result)]
    if len(result.rows) > 1:
        charts.insert(1, unit_chart(result))
    if len(result.periods) > 1:
        charts.insert(1, period_chart(result))
    context = {
        "form": form, "unit": unit, "span": span, "data": result, "charts": charts,
        "levels": [(str(level.value), _(str(level.label))) for level in LEVEL_ORDER],
        "breadcrumb": tree.breadcrumb(request.user, unit), "annual": annual_links(unit, span.year),
        "span_label": span_label(span),
    }
    return render(request, "web/evaluation/summary_unit.html", context, status=status)


def span_label(span: Span) -> str:
    if span.kind == "month":
        return _("Tháng %(n)02d/%(y)s") % {"n": span.number, "y": span.year}
    if span.kind == "quarter":
        return _("Quý %(n)s/%(y)s") % {"n": span.number, "y": span.year}
    if span.kind == "half":
        first = span.number == 1
        return (_("6 tháng đầu năm %(y)s") if first else _("6 tháng cuối năm %(y)s")) % {"y": span.year}
    return _("Năm %(y)s") % {"y": span.year}
