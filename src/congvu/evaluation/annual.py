"""The annual classification of an agency (Decree 335/2025 Arts 20–21), computed in one set-based statement.

One ``INSERT … SELECT`` with window functions does, for every person the agency classifies:
the mean of the period totals actually worked (exact integer arithmetic in hundredths of a point, rounded
half up), the level read from the rounded score, the forced "not completed" overrides (Art 20(4)), and the
excellent quota in each unit and group of similar tasks (Art 20(5)) with the tie at the quota line flagged for
the head. ``congvu.rules.nd335_2025.classify`` is the reference; tests check both give the same result.

Who is classified by an agency: everyone whose last sheet of the year belongs to one of its periods; their
sheets from other agencies in the same year count too (a transfer carries the old unit's periods, Art 21).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from congvu.core import audit
from congvu.core.types import Actor
from congvu.evaluation.models import AnnualResult, AnnualRun, AnnualStatus, ConductFinding, Level, SheetStatus
from congvu.evaluation.periods import scheme_for
from congvu.org.models import OrgUnit
from congvu.personnel.models import Discipline
from congvu.personnel.services import ServiceError
from congvu.rules import kpi_registry
from congvu.rules import nd335_2025 as nd335

COUNTED_STATUSES = (SheetStatus.APPROVED, SheetStatus.PUBLISHED)
COMPLAINT_DAYS = 15

_CLASSIFY_SQL = """
WITH s AS (
    SELECT sh.person_id, sh.unit_id, sh."group" AS grp, sh.role, sh.total, p.agency_id, p."end" AS pend, sh.id AS sid
    FROM evaluation_sheet sh JOIN evaluation_period p ON p.id = sh.period_id
    WHERE p.year = %s AND sh.is_current = %s AND sh.status IN ({statuses})
      AND sh.person_id IN (SELECT ah.person_id FROM evaluation_sheet ah JOIN evaluation_period ap ON ap.id = ah.period_id
                           WHERE ap.agency_id = %s AND ap.year = %s)
),
last AS (
    SELECT person_id, unit_id, grp, role, agency_id,
           ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY pend DESC, sid DESC) AS rn
    FROM s
),
members AS (
    SELECT person_id, unit_id, CASE WHEN %s = 1 THEN unit_id ELSE agency_id END AS qunit, grp, role
    FROM last WHERE rn = 1 AND agency_id = %s
),
agg AS (
    SELECT s.person_id, COUNT(s.total) AS n, CAST(SUM(CAST(ROUND(s.total * 100) AS BIGINT)) AS BIGINT) AS sum_cp
    FROM s JOIN members m ON m.person_id = s.person_id
    WHERE s.total IS NOT NULL
    GROUP BY s.person_id
),
scored AS (
    SELECT m.person_id, m.unit_id, m.qunit, m.grp, m.role, COALESCE(a.n, 0) AS n, COALESCE(a.sum_cp, 0) AS sum_cp,
           CASE WHEN a.n > 0 THEN (2 * a.sum_cp + a.n) / (2 * a.n) END AS score_cp
    FROM members m LEFT JOIN agg a ON a.person_id = m.person_id
),
judged AS (
    SELECT x.*,
           CASE WHEN x.score_cp IS NULL THEN ''
                WHEN x.score_cp >= %s THEN 'EXCELLENT' WHEN x.score_cp >= %s THEN 'GOOD'
                WHEN x.score_cp >= %s THEN 'COMPLETED' ELSE 'NOT_COMPLETED' END AS by_score,
           CASE WHEN EXISTS (SELECT 1 FROM evaluation_conductfinding c WHERE c.person_id = x.person_id
                             AND c.kind = 'degradation' AND c.concluded_on BETWEEN %s AND %s) THEN 'degradation'
                WHEN EXISTS (SELECT 1 FROM personnel_discipline d WHERE d.person_id = x.person_id
                             AND d.form IN ({forms}) AND d.decided_on BETWEEN %s AND %s) THEN 'discipline'
                WHEN x.role = 'leader' AND EXISTS (SELECT 1 FROM evaluation_conductfinding c WHERE c.person_id = x.person_id
                             AND c.kind = 'unit_corruption' AND c.concluded_on BETWEEN %s AND %s) THEN 'unit_corruption'
                ELSE '' END AS override
    FROM scored x
),
leveled AS (
    SELECT j.*, CASE WHEN j.override <> '' THEN 'NOT_COMPLETED' ELSE j.by_score END AS level1
    FROM judged j
),
counted AS (
    SELECT l.*,
           SUM(CASE WHEN l.level1 = 'EXCELLENT' THEN 1 ELSE 0 END) OVER (PARTITION BY l.qunit, l.grp) AS e_count,
           SUM(CASE WHEN l.level1 = 'GOOD' THEN 1 ELSE 0 END) OVER (PARTITION BY l.qunit, l.grp) AS g_count,
           ROW_NUMBER() OVER (PARTITION BY l.qunit, l.grp, l.level1 ORDER BY l.score_cp DESC, l.person_id) AS rn
    FROM leveled l
),
quota AS (
    SELECT c.*,
           CASE WHEN c.e_count < (%s * (c.g_count + c.e_count)) / %s THEN c.e_count
                ELSE (%s * (c.g_count + c.e_count)) / %s END AS k
    FROM counted c
),
lined AS (
    SELECT q.*,
           MAX(CASE WHEN q.level1 = 'EXCELLENT' AND q.rn = q.k THEN q.score_cp END)
               OVER (PARTITION BY q.qunit, q.grp) AS kth,
           MAX(CASE WHEN q.level1 = 'EXCELLENT' AND q.rn = q.k + 1 THEN q.score_cp END)
               OVER (PARTITION BY q.qunit, q.grp) AS next_score
    FROM quota q
),
final AS (
    SELECT ln.*,
           CASE WHEN ln.level1 = 'EXCELLENT' AND ln.k >= 1 AND ln.k < ln.e_count AND ln.kth = ln.next_score
                     AND ln.score_cp = ln.kth THEN 1 ELSE 0 END AS tie
    FROM lined ln
)
INSERT INTO evaluation_annualresult
    (run_id, person_id, unit_id, quota_unit_id, "group", role, periods_worked, score_sum_cp, annual_score, level_by_score,
     override, quota_demoted, quota_tie, tie_promoted, level)
SELECT %s, f.person_id, f.unit_id, f.qunit, f.grp, f.role, f.n, f.sum_cp,
       CASE WHEN f.score_cp IS NOT NULL THEN f.score_cp / 100.0 END,
       f.by_score, f.override,
       CASE WHEN f.level1 = 'EXCELLENT' AND (f.rn > f.k OR f.tie = 1) THEN TRUE ELSE FALSE END,
       CASE WHEN f.tie = 1 THEN TRUE ELSE FALSE END,
       FALSE,
       CASE WHEN f.level1 = 'EXCELLENT' AND (f.rn > f.k OR f.tie = 1) THEN 'GOOD' ELSE f.level1 END
FROM final f
"""


def _ratio_parts(ratio: Decimal) -> tuple[int, int]:
    """k = ⌊r·(G+E)/(1+r)⌋ in integers: with r = a/b, k = ⌊a·(G+E)/(a+b)⌋."""
    a, b = ratio.as_integer_ratio()
    return a, a + b


def _classify_params(run: AnnualRun, params: nd335.Parameters, by_division: bool) -> list[Any]:
    year = run.year
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    statuses = [str(s) for s in COUNTED_STATUSES]
    forms = [str(f) for f in Discipline.Form]
    num, den = _ratio_parts(run.excellent_ratio)
    return [
        year, True, *statuses, run.agency_id, year, int(by_division), run.agency_id,
        int(params.excellent_from * 100), int(params.good_from * 100), int(params.completed_from * 100),
        first, last, *forms, first, last, first, last,
        num, den, num, den,
        run.pk,
    ]


def _sql() -> str:
    statuses = ", ".join(["%s"] * len(COUNTED_STATUSES))
    forms = ", ".join(["%s"] * len(Discipline.Form))
    return _CLASSIFY_SQL.format(statuses=statuses, forms=forms)


def _check_ratio(ratio: Decimal, exception_decision: str, params: nd335.Parameters) -> None:
    if ratio <= 0 or ratio > params.exception_ratio:
        raise ServiceError({"excellent_ratio": [f"Tỷ lệ phải lớn hơn 0 và không quá {params.exception_ratio}."]})
    if ratio > params.excellent_ratio and not exception_decision.strip():
        raise ServiceError({"exception_decision": [
            "Tỷ lệ cao hơn 20% chỉ áp dụng cho tổ chức có thành tích xuất sắc, nổi trội và cần quyết định phê duyệt "
            "của cấp có thẩm quyền (Nghị định 335/2025, Điều 20 khoản 5)."
        ]})


@transaction.atomic
def compute(actor: Actor, agency: OrgUnit, year: int, *, ratio: Decimal | None = None,
            exception_decision: str = "") -> AnnualRun:
    """Compute (or recompute, idempotently) the current annual classification of ``agency`` for ``year``."""
    rs = kpi_registry.rule_set_for(dt.date(year, 1, 1))
    scheme = scheme_for(agency)
    ratio = Decimal(ratio) if ratio is not None else scheme.excellent_ratio
    _check_ratio(ratio, exception_decision or scheme.exception_decision, rs.params)
    run = AnnualRun.objects.select_for_update().filter(agency=agency, year=year, is_current=True).first()
    if run is not None and (run.locked or run.status == AnnualStatus.HEAD_APPROVED):
        raise ServiceError({"status": ["Kết quả xếp loại đã được phê duyệt hoặc công khai; cần mở lại trước khi tính lại."]})
    if run is None:
        run = AnnualRun(agency=agency, year=year, version=1)
    run.excellent_ratio, run.rule_set_id, run.computed_at = ratio, rs.id, timezone.now()
    run.status = AnnualStatus.QUOTA
    run.save()
    AnnualResult.objects.filter(run=run).delete()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), _classify_params(run, rs.params, scheme.quota_by_division))
    counts = stage_counts(run)
    run.people = counts["people"]
    run.save(update_fields=["people"])
    for stage in ("computed", "overrides", "quota"):
        audit.record(actor, f"evaluation.annual_{stage}", run, after={"year": year, "ratio": str(ratio), **counts},
                     org_path=agency.path)
    return run


def stage_counts(run: AnnualRun) -> dict[str, int]:
    agg = AnnualResult.objects.filter(run=run).aggregate(
        people=Count("pk"),
        scored=Count("pk", filter=Q(annual_score__isnull=False)),
        overrides=Count("pk", filter=~Q(override="")),
        demoted=Count("pk", filter=Q(quota_demoted=True, tie_promoted=False)),
        ties=Count("pk", filter=Q(quota_tie=True)),
        excellent=Count("pk", filter=Q(level=Level.EXCELLENT)),
        good=Count("pk", filter=Q(level=Level.GOOD)),
        completed=Count("pk", filter=Q(level=Level.COMPLETED)),
        not_completed=Count("pk", filter=Q(level=Level.NOT_COMPLETED)),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def free_seats(run: AnnualRun, quota_unit_id: int | None, group: str) -> int:
    """Seats the head may still give to tied people in one quota group (k minus those kept excellent)."""
    rows = AnnualResult.objects.filter(run=run, quota_unit_id=quota_unit_id, group=group)
    kept = rows.filter(level=Level.EXCELLENT).count()
    excellent_before = kept + rows.filter(quota_demoted=True, tie_promoted=False).count()
    good_and_excellent = rows.filter(level__in=[Level.EXCELLENT, Level.GOOD]).count()
    k = nd335.quota_keep_count(excellent_before, good_and_excellent - excellent_before, run.excellent_ratio)
    return max(0, k - kept)


def _require(run: AnnualRun, allowed: set[str], what: str) -> None:
    if not run.is_current or run.status not in allowed:
        raise ServiceError({"status": [f"Không thể {what} khi kết quả ở trạng thái “{AnnualStatus(run.status).label}”."]})


@transaction.atomic
def promote_tied(actor: Actor, run: AnnualRun, person_id: int, reason: str) -> AnnualResult:
    """The head gives a free seat to one person tied at the quota line (Art 20(5): the head decides)."""
    _require(run, {AnnualStatus.QUOTA}, "quyết định trường hợp bằng điểm")
    result = AnnualResult.objects.select_for_update().get(run=run, person_id=person_id)
    if not result.quota_tie or result.level != Level.GOOD:
        raise ServiceError({"person": ["Người này không ở trường hợp bằng điểm tại ngưỡng tỷ lệ."]})
    if not reason.strip():
        raise ServiceError({"reason": ["Cần ghi lý do lựa chọn."]})
    if free_seats(run, result.quota_unit_id, result.group) < 1:
        raise ServiceError({"person": ["Đã hết chỉ tiêu “Hoàn thành xuất sắc” trong đơn vị, nhóm này."]})
    result.level, result.tie_promoted = Level.EXCELLENT, True
    result.save(update_fields=["level", "tie_promoted"])
    audit.record(actor, "evaluation.annual_tie_promote", result, before={"level": Level.GOOD},
                 after={"level": Level.EXCELLENT}, reason=reason, subject_person_id=person_id,
                 org_path=run.agency.path)
    return result


@transaction.atomic
def head_approve(actor: Actor, run: AnnualRun) -> AnnualRun:
    _require(run, {AnnualStatus.QUOTA}, "phê duyệt")
    run.status, run.head_approved_at = AnnualStatus.HEAD_APPROVED, timezone.now()
    run.save(update_fields=["status", "head_approved_at"])
    audit.record(actor, "evaluation.annual_approve", run, after={"status": run.status}, org_path=run.agency.path)
    return run


@transaction.atomic
def publish(actor: Actor, run: AnnualRun, today: dt.date, complaint_days: int = COMPLAINT_DAYS) -> AnnualRun:
    """Publish the results and open the complaint window (Art 24)."""
    _require(run, {AnnualStatus.HEAD_APPROVED}, "công khai")
    run.status, run.published_at = AnnualStatus.COMPLAINT_WINDOW, timezone.now()
    run.complaint_until = today + dt.timedelta(days=complaint_days)
    run.save(update_fields=["status", "published_at", "complaint_until"])
    audit.record(actor, "evaluation.annual_publish", run,
                 after={"status": run.status, "complaint_until": run.complaint_until.isoformat()},
                 org_path=run.agency.path)
    return run


@transaction.atomic
def finalise(actor: Actor, run: AnnualRun, today: dt.date) -> AnnualRun:
    _require(run, {AnnualStatus.COMPLAINT_WINDOW}, "chốt kết quả")
    if run.complaint_until is not None and today <= run.complaint_until:
        raise ServiceError({"status": [f"Thời hạn kiến nghị đến hết ngày {run.complaint_until:%d/%m/%Y}."]})
    run.status, run.finalised_at = AnnualStatus.FINAL, timezone.now()
    run.save(update_fields=["status", "finalised_at"])
    audit.record(actor, "evaluation.annual_final", run, after={"status": run.status}, org_path=run.agency.path)
    return run


@transaction.atomic
def reopen(actor: Actor, run: AnnualRun, reason: str) -> AnnualRun:
    """A new version of an approved or published classification; the old one is kept unchanged."""
    if not reason.strip():
        raise ServiceError({"reason": ["Cần ghi lý do mở lại."]})
    _require(run, {AnnualStatus.HEAD_APPROVED, AnnualStatus.COMPLAINT_WINDOW, AnnualStatus.FINAL}, "mở lại")
    AnnualRun.objects.filter(pk=run.pk).update(is_current=False)
    new = AnnualRun.objects.create(
        agency=run.agency, year=run.year, version=run.version + 1, status=AnnualStatus.COMPUTED,
        excellent_ratio=run.excellent_ratio, rule_set_id=run.rule_set_id, reopen_reason=reason.strip(),
        computed_at=timezone.now(),
    )
    audit.record(actor, "evaluation.annual_reopen", new, before={"run": run.pk, "version": run.version},
                 after={"run": new.pk, "version": new.version}, reason=reason, org_path=run.agency.path)
    return compute(actor, run.agency, run.year, ratio=run.excellent_ratio)


def record_finding(actor: Actor, person_id: int, kind: str, concluded_on: dt.date, decision_number: str,
                   note: str, org_path: str) -> ConductFinding:
    with transaction.atomic():
        finding = ConductFinding.objects.create(person_id=person_id, kind=kind, concluded_on=concluded_on,
                                                decision_number=decision_number.strip(), note=note.strip())
        audit.record(actor, "evaluation.conduct_finding", finding, after=audit.snapshot(finding),
                     subject_person_id=person_id, org_path=org_path)
    return finding
