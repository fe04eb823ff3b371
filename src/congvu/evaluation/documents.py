"""The evaluation form (Mẫu số 01: phiếu đánh giá, xếp loại chất lượng công chức) as an A4 PDF.

Two forms share one layout: the form of one period's sheet, and the form of a person's year. The data is
gathered here (stored figures only: the form shows what was approved, the explanation pages show how it
was computed); the layout is the template ``web/evaluation/pdf_form.html``, drawn by WeasyPrint in the
Decree 30/2020 presentation: A4, Times New Roman (Liberation Serif, its metric twin, where Windows fonts
are absent), 13 pt, margins top and bottom 20 mm, left 30 mm, right 15 mm, the national motto at the top
right, the agency at the top left, and the place and date above the signatures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string

from congvu.evaluation import explanations
from congvu.evaluation.models import AnnualResult, AnnualRun, EvalRole, Frequency, Level, Sheet, TaskLine
from congvu.org.models import OrgUnit
from congvu.personnel.models import Employment, Person
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335

TEMPLATE = "web/evaluation/pdf_form.html"
TITLE = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC"
PLACE_PREFIXES = ("Thành phố ", "Tỉnh ", "TP. ")


@dataclass(frozen=True)
class PersonFacts:
    full_name: str
    title: str  # chức vụ
    position: str  # vị trí việc làm
    rank: str  # ngạch
    unit: str


@dataclass(frozen=True)
class GeneralRow:
    label: str
    max_points: Decimal
    self_points: Decimal | None
    manager_points: Decimal | None


@dataclass(frozen=True)
class TaskRow:
    label: str
    coefficient: Decimal
    quantity: Decimal
    completed: Decimal
    errors: int
    delays: int
    note: str


@dataclass(frozen=True)
class PeriodRow:
    label: str
    unit: str
    total: Decimal | None
    note: str


@dataclass
class FormDocument:
    """Everything the form prints. ``kind`` is "period" (one sheet) or "year" (the annual result)."""

    kind: str
    superior: str
    agency: str
    place: str
    subtitle: str
    person: PersonFacts
    role_label: str
    general: list[GeneralRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    figures: list[tuple[str, Decimal | None]] = field(default_factory=list)
    leader: list[tuple[str, Decimal | None]] = field(default_factory=list)
    periods: list[PeriodRow] = field(default_factory=list)
    total_label: str = ""
    total: Decimal | None = None
    level: str = ""
    notes: list[str] = field(default_factory=list)
    rule_set: str = ""
    status: str = ""

    @property
    def figure_list(self) -> list[tuple[str, Decimal | None]]:
        """The period's figures in the order of the decree: a, b, c, (d, đ, e for leaders), points."""
        return self.figures[:3] + self.leader + self.figures[3:]

    def context(self) -> dict[str, Any]:
        return {"doc": self, "title": TITLE}


def place_of(unit: OrgUnit) -> str:
    """The province (root of the tree) as written before ", ngày … tháng … năm …": "Hà Nội", "Huế"."""
    root_id = int(unit.path.strip(".").split(".")[0]) if unit.path else unit.pk
    name = OrgUnit.objects.filter(pk=root_id).values_list("name", flat=True).first() or unit.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def superior_of(agency: OrgUnit) -> str:
    return agency.parent.name if agency.parent_id and agency.parent is not None else ""


def person_facts(person: Person, unit: OrgUnit, day: dt.date) -> PersonFacts:
    """Name, post, job position and rank from the employment held on ``day`` (the last one before it if none)."""
    spells = Employment.objects.filter(person=person, start_date__lte=day).select_related("position", "rank")
    held = spells.filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).order_by("-start_date", "-id").first()
    held = held or spells.order_by("-start_date", "-id").first()
    return PersonFacts(
        full_name=person.full_name,
        title=held.title if held else "",
        position=held.position.name if held and held.position else "",
        rank=held.rank.name if held and held.rank else "",
        unit=unit.name,
    )


def level_of(total: Decimal | None, params: nd335.Parameters) -> str:
    return nd335.level_by_score(total, params).label_vi if total is not None else ""


def _subtitle(sheet: Sheet) -> str:
    period = sheet.period
    if period.kind == Frequency.MONTHLY:
        return f"Tháng {period.number:02d} năm {period.year}"
    return f"Quý {period.number} năm {period.year}"


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def sheet_form(sheet: Sheet) -> FormDocument:
    """The form of one period's sheet with its stored figures."""
    params = kpi_registry.rule_set(sheet.period.rule_set_id).params
    agency = OrgUnit.objects.select_related("parent").get(pk=sheet.period.agency_id)
    doc = FormDocument(
        kind="period", superior=superior_of(agency), agency=agency.name, place=place_of(agency),
        subtitle=_subtitle(sheet), person=person_facts(sheet.person, sheet.unit, sheet.period.end),
        role_label=EvalRole(sheet.role).label, rule_set=sheet.rule_set_id or sheet.period.rule_set_id,
        status=sheet.get_status_display(),
    )
    doc.general = [
        GeneralRow(g.label_vi, g.max_points, _decimal(sheet.self_general.get(g.code)),
                   _decimal(sheet.manager_general.get(g.code)))
        for g in params.general_groups
    ]
    lines = TaskLine.objects.filter(sheet=sheet, accepted=True).order_by("id")
    doc.tasks = [
        TaskRow(line.label, line.coefficient, line.quantity, line.completed, line.errors, line.delays,
                "Nguyên nhân khách quan: " + line.objective_reason if line.objective_cause else "")
        for line in lines
    ]
    doc.figures = [
        ("a. Số lượng (%)", sheet.quantity_pct),
        ("b. Chất lượng (%)", sheet.quality_pct),
        ("c. Tiến độ (%)", sheet.timeliness_pct),
    ]
    if sheet.role == EvalRole.LEADER:
        doc.leader = [
            ("d. Kết quả hoạt động của đơn vị (%)", sheet.unit_result),
            ("đ. Khả năng tổ chức triển khai (%)", sheet.organising),
            ("e. Năng lực tập hợp, đoàn kết nội bộ (%)", sheet.unity),
        ]
    doc.figures += [
        ("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)", sheet.task_points),
        ("Điểm tiêu chí chung (tối đa 30)", sheet.general_points),
    ]
    doc.total_label, doc.total = "Tổng điểm của kỳ", sheet.total
    doc.level = level_of(sheet.total, params)
    if not sheet.worked:
        doc.notes.append("Nghỉ theo chế độ cả kỳ: không đánh giá kỳ này.")
    elif sheet.no_work_reason:
        doc.notes.append(sheet.no_work_reason)
    return doc


def annual_form(run: AnnualRun, result: AnnualResult) -> FormDocument:
    """The form of a person's year: the periods counted, the annual score and the final level."""
    agency = OrgUnit.objects.select_related("parent").get(pk=run.agency_id)
    explanation = explanations.explain_result(run, result)
    doc = FormDocument(
        kind="year", superior=superior_of(agency), agency=agency.name, place=place_of(agency),
        subtitle=f"Năm {run.year}", person=person_facts(result.person, result.unit, dt.date(run.year, 12, 31)),
        role_label=EvalRole(result.role).label, rule_set=run.rule_set_id, status=run.get_status_display(),
    )
    doc.periods = [PeriodRow(p.period_label, p.unit_name, p.total, p.note) for p in explanation.periods]
    doc.figures = [("Số kỳ có điểm được tính", Decimal(result.periods_worked))]
    doc.total_label, doc.total = "Điểm năm (trung bình các kỳ có làm việc)", result.annual_score
    by_score = Level(result.level_by_score).label if result.level_by_score else ""
    if by_score:
        doc.notes.append(f"Mức xếp loại theo điểm: {by_score}.")
    if result.override:
        override = nd335.Override(result.override)
        doc.notes.append(f"Không hoàn thành nhiệm vụ do: {override.label_vi} ({override.article}).")
    if result.tie_promoted:
        doc.notes.append("Bằng điểm tại ngưỡng tỷ lệ xuất sắc: Thủ trưởng quyết định giữ mức xuất sắc.")
    elif result.quota_tie:
        doc.notes.append("Bằng điểm tại ngưỡng tỷ lệ xuất sắc: chờ Thủ trưởng quyết định.")
    elif result.quota_demoted:
        doc.notes.append("Vượt tỷ lệ xuất sắc của đơn vị, nhóm nhiệm vụ: xếp loại hoàn thành tốt nhiệm vụ "
                         "(Nghị định 335/2025, Điều 20 khoản 5).")
    doc.level = Level(result.level).label if result.level else ""
    return doc


def render_html(doc: FormDocument) -> str:
    return render_to_string(TEMPLATE, doc.context())


def render_pdf(doc: FormDocument, *, uncompressed: bool = False) -> bytes:
    """The form as PDF bytes. WeasyPrint is imported here: it is slow to load and only this needs it."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # ships no type information

    pdf: bytes = HTML(string=render_html(doc)).write_pdf(uncompressed_pdf=uncompressed)
    return pdf


def sheet_filename(sheet: Sheet) -> str:
    return f"phieu-danh-gia-{sheet.period.code}-{sheet.person_id}.pdf"


def annual_filename(run: AnnualRun, result: AnnualResult) -> str:
    return f"phieu-danh-gia-nam-{run.year}-{result.person_id}.pdf"
