"""One result row per personnel record: status, evidence, what is wrong with the ID, duplicates, a reason.

Statuses (:class:`Status`):

- ``MATCHED``: the ID is in the population and every field agrees (after NFC, case, spaces, tone placement);
- ``MATCHED_WITH_DIFFERENCES``: the ID's owner is the same person, some fields differ (``differences``);
- ``MATCHED_BY_OLD_ID``: found through the 9-digit CMND; ``matched_personal_id`` is the right ID;
- ``MATCHED_PROBABILISTIC``: no usable ID match; the best candidate's posterior is at least
  ``MatchConfig.auto_accept`` and its ID is proposed;
- ``PROBABLE``: a candidate worth a person's look (posterior at least ``review_floor``); among them the
  owner of the register's ID when only the name disagrees (a possible change of name);
- ``NOT_FOUND``: nobody close enough.

Text columns are never NULL (empty when there is nothing to say); ``probability`` is NULL unless the
probabilistic stage decided the record. See docs/reconciliation.md for every value.
"""

from __future__ import annotations

from enum import StrEnum

from congvu.matching.config import MatchConfig
from congvu.matching.duplicates import duplicate_of_sql
from congvu.matching.engine import Engine
from congvu.matching.exact import EVIDENCE_COLUMNS
from congvu.matching.validate import format_problem_sql, structure_problems_sql

__all__ = ["ACCEPTED", "RESULT_COLUMNS", "Status", "assemble_results"]


class Status(StrEnum):
    MATCHED = "MATCHED"
    MATCHED_WITH_DIFFERENCES = "MATCHED_WITH_DIFFERENCES"
    MATCHED_BY_OLD_ID = "MATCHED_BY_OLD_ID"
    MATCHED_PROBABILISTIC = "MATCHED_PROBABILISTIC"
    PROBABLE = "PROBABLE"
    NOT_FOUND = "NOT_FOUND"


#: Statuses that name the person without a human decision.
ACCEPTED = (Status.MATCHED, Status.MATCHED_WITH_DIFFERENCES, Status.MATCHED_BY_OLD_ID, Status.MATCHED_PROBABILISTIC)

RESULT_COLUMNS = (
    "record_id", "status", "personal_id", "matched_personal_id", "probability", "differences", "id_problem",
    "duplicate_of", "reason", "pop_full_name", "pop_birth_date", "pop_sex", "pop_old_id", "source_row",
    "full_name", "birth_date", "unit_id", "unit_name",
)  # fmt: skip

_PHRASES = {
    "pid": {"format": "số định danh viết sai định dạng", "missing": "thiếu số định danh",
                    "typo": "số định danh sai chữ số", "different": "số định danh khác"},
    "name": {"diacritics": "họ tên khác dấu", "typo": "họ tên sai chính tả", "middle_name": "khác chữ đệm",
             "different": "họ tên khác"},
    "dob": {"day_month_swapped": "ngày sinh đảo ngày và tháng", "year_only": "ngày sinh chỉ có năm",
            "typo": "ngày sinh sai một chữ số", "missing": "thiếu ngày sinh", "different": "ngày sinh khác"},
    "sex": {"different": "giới tính khác", "missing": "thiếu giới tính"},
    "home": {"different": "quê quán khác tỉnh"},
}  # fmt: skip


def _phrases_sql(prefix: str = "m.") -> str:
    parts = []
    for field, phrases in _PHRASES.items():
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in phrases.items())
        parts.append(f"CASE {prefix}{field}_kind {cases} END")
    return f"concat_ws(', ', {', '.join(parts)})"


def _percent(expr: str) -> str:
    """99.95 % → '99,9' (rounded down, so nothing under 1 reads as 100)."""
    return f"replace(CAST(floor({expr} * 1000) / 10 AS STRING), '.', ',')"


def _reason_sql() -> str:
    why = ("CASE WHEN r.format_problem = 'missing' THEN 'Không có số định danh' "
           "WHEN r.pid IS NULL THEN 'Số định danh không hợp lệ (không đủ 12 chữ số)' "
           "WHEN l.lookup_problem = 'not_in_population' THEN 'Số định danh không có trong CSDL dân cư' "
           "WHEN l.lookup_problem = 'belongs_to_other_person' THEN 'Số định danh là của người khác trong CSDL dân cư' "
           "ELSE 'Không khớp được theo số định danh' END")
    diffs = _phrases_sql()
    with_diffs = f"CASE WHEN {diffs} <> '' THEN '; khác: ' || {diffs} ELSE '' END"
    return f"""
      CASE m.status
        WHEN 'MATCHED' THEN 'Khớp số định danh cá nhân; họ tên, ngày sinh, giới tính, quê quán trùng với CSDL dân cư.'
        WHEN 'MATCHED_WITH_DIFFERENCES' THEN 'Khớp số định danh cá nhân, đúng người; khác: ' || {diffs} || '.'
        WHEN 'MATCHED_BY_OLD_ID' THEN 'Khớp qua số CMND cũ ' || m.pop_old_id || '; số định danh cá nhân đúng là '
          || m.matched_personal_id || {with_diffs} || '.'
        WHEN 'MATCHED_PROBABILISTIC' THEN {why} || '; khớp theo họ tên, ngày sinh, giới tính, quê quán với xác suất '
          || {_percent('m.probability')} || ' %; đề xuất số định danh ' || m.matched_personal_id || {with_diffs} || '.'
        WHEN 'PROBABLE' THEN {why} || '; có thể là người mang số định danh ' || m.matched_personal_id
          || ' (xác suất ' || {_percent('m.probability')} || ' %'
          || CASE WHEN m.close_candidates > 1
                  THEN '; có ' || CAST(m.close_candidates AS STRING) || ' người gần giống' ELSE '' END
          || '); cần cán bộ kiểm tra.'
        ELSE {why} || '; không có ai trong CSDL dân cư đủ giống về họ tên và ngày sinh.'
      END
    """


def assemble_results(engine: Engine, config: MatchConfig) -> dict[str, int]:
    """Build table ``results`` from ``reg``, ``accepted``, ``proposals`` and ``id_lookup``."""
    d = engine.dialect
    cols = ", ".join(EVIDENCE_COLUMNS)
    engine.create_table("chosen", f"""
      SELECT * FROM (
        SELECT c.*, row_number() OVER (PARTITION BY record_id ORDER BY priority) AS pick FROM (
          SELECT {cols}, CAST(NULL AS BIGINT) AS close_candidates, 1 AS priority FROM accepted
          UNION ALL
          SELECT {cols}, close_candidates, CASE WHEN probability >= {config.auto_accept} THEN 2 ELSE 3 END
          FROM proposals WHERE probability >= {config.review_floor}
        ) c
      ) x WHERE pick = 1
    """)
    status = f"""
      CASE WHEN m.stage = 'id' AND m.differences = '' THEN 'MATCHED'
           WHEN m.stage = 'id' THEN 'MATCHED_WITH_DIFFERENCES'
           WHEN m.stage = 'old_id' THEN 'MATCHED_BY_OLD_ID'
           WHEN m.stage = 'probabilistic' AND m.probability >= {config.auto_accept} THEN 'MATCHED_PROBABILISTIC'
           WHEN m.stage = 'probabilistic' THEN 'PROBABLE'
           ELSE 'NOT_FOUND' END
    """
    engine.create_table("decided", f"""
      SELECT r.record_id, r.pid AS register_pid, {status} AS status, m.stage, m.matched_personal_id,
        m.probability, m.differences, m.pop_full_name, m.pop_birth_date, m.pop_sex, m.pop_old_id,
        m.close_candidates, m.name_kind, m.dob_kind, m.sex_kind, m.home_kind, m.pid_kind
      FROM reg r LEFT JOIN chosen m ON m.record_id = r.record_id
    """)
    accepted = tuple(str(s) for s in ACCEPTED)
    engine.create_table("dups", duplicate_of_sql("decided", accepted))
    structure = structure_problems_sql(d, "r.pid_raw", "r.sex", "r.yob")
    id_problem = (
        "concat_ws(';', r.format_problem, "
        f"CASE WHEN m.stage = 'id' OR {structure} = '' THEN NULL ELSE {structure} END, l.lookup_problem)"
    )
    engine.create_table("results", f"""
      SELECT r.row_no, r.record_id, m.status, r.personal_id,
        coalesce(CASE WHEN m.status <> 'NOT_FOUND' THEN m.matched_personal_id END, '') AS matched_personal_id,
        CASE WHEN m.stage = 'probabilistic' THEN m.probability END AS probability,
        CASE WHEN m.status <> 'NOT_FOUND' THEN coalesce(m.differences, '') ELSE '' END AS differences,
        {id_problem} AS id_problem,
        dp.duplicate_of,
        {_reason_sql()} AS reason,
        coalesce(m.pop_full_name, '') AS pop_full_name, coalesce(m.pop_birth_date, '') AS pop_birth_date,
        coalesce(m.pop_sex, '') AS pop_sex, coalesce(m.pop_old_id, '') AS pop_old_id,
        r.row_no AS source_row, r.full_name, r.birth_date, r.unit_id, r.unit_name
      FROM (SELECT reg.*, {format_problem_sql(d, 'reg.pid_raw')} AS format_problem FROM reg) r
      JOIN decided m ON m.record_id = r.record_id
      JOIN id_lookup l ON l.record_id = r.record_id
      JOIN dups dp ON dp.record_id = r.record_id
    """)
    counts = {str(s): 0 for s in Status}
    for status_value, n in engine.rows("SELECT status, count(*) FROM results GROUP BY status"):
        counts[str(status_value)] = int(n)
    return counts


def id_problem_counts(engine: Engine) -> dict[str, int]:
    from congvu.matching.validate import ID_PROBLEMS

    selects = ", ".join(
        f"sum(CASE WHEN concat(';', id_problem, ';') LIKE '%;{p};%' THEN 1 ELSE 0 END)" for p in ID_PROBLEMS)
    row = engine.rows(f"SELECT {selects} FROM results")[0]
    return {p: int(v or 0) for p, v in zip(ID_PROBLEMS, row, strict=True)}
