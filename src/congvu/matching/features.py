"""Comparable features of both sides, and how two records differ field by field.

Every engine builds the same feature columns (SQL from :mod:`congvu.matching.sql`):

=========  ==========================================================================================
column     meaning
=========  ==========================================================================================
name_c     canonical name (:func:`~congvu.matching.normalise.canon_name`)
name_f     folded name (no diacritics); ``fam`` / ``mid`` / ``giv`` its first, middle and last words
dob        date of birth as ISO text (NULL when only the year is known); ``yob`` the year
md, dm     month-day of the date ("03-12"), and the month-day the date would have with day and month
           swapped (only when the day is 12 or less), to recognise a swap with one equality
sex        'M' / 'F' / NULL
home       2025 province code of the hometown (:mod:`congvu.matching.provinces`)
pid, oid   12-digit personal ID, 9-digit CMND
=========  ==========================================================================================

:func:`kind_sql` says how a register value differs from a population value (``same``, ``diacritics``,
``typo``, ``middle_name``, ``day_month_swapped``, ``year_only``, ``missing``, ``format``, ``different``);
:func:`accepts_sql` is the rule for "this ID's owner is the register's person": the names agree up to
diacritics, a typo of at most two letters or a different middle name, **and** the dates agree up to a
swap, a year-only date, a one-digit typo or a year off by one (or the register has no date). Anything else
is somebody else, whoever owns the ID.
"""

from __future__ import annotations

from congvu.matching.sql import Dialect

__all__ = [
    "ACCEPTED_DOB_KINDS",
    "ACCEPTED_NAME_KINDS",
    "accepts_sql",
    "differences_sql",
    "kind_sql",
    "population_features_sql",
    "register_features_sql",
]

ACCEPTED_NAME_KINDS = ("same", "diacritics", "typo", "middle_name")
ACCEPTED_DOB_KINDS = ("same", "missing", "year_only", "day_month_swapped", "typo")


def _date_parts(d: Dialect, dob: str) -> dict[str, str]:
    day = f"lpad(CAST(day({dob}) AS STRING), 2, '0')"
    month = f"lpad(CAST(month({dob}) AS STRING), 2, '0')"
    return {
        "md": f"{month} || '-' || {day}",
        "dm": f"CASE WHEN day({dob}) <= 12 THEN {day} || '-' || {month} END",
    }


def _name_parts(d: Dialect, name_f: str) -> str:
    return f"{d.family(name_f)} AS fam, {d.middle(name_f)} AS mid, {d.given(name_f)} AS giv"


def register_features_sql(d: Dialect, source: str) -> str:
    """Features of the canonical personnel rows in ``source`` (plus the columns the results need)."""
    return f"""
    SELECT s.*, {_name_parts(d, 's.name_f')},
      {_date_parts(d, 's.dob_d')['md']} AS md, {_date_parts(d, 's.dob_d')['dm']} AS dm,
      CAST(s.dob_d AS STRING) AS dob
    FROM (
      SELECT record_id, source_row AS row_no, personal_id, old_id, full_name, birth_date, hometown, unit_id, unit_name,
        {d.collapse_ws("coalesce(personal_id, '')")} AS pid_raw,
        {d.personal_id_key(d.digits('personal_id'))} AS pid,
        coalesce({d.old_id_key(d.digits('old_id'))}, {d.old_id_key(d.digits('personal_id'))}) AS oid,
        NULLIF({d.canon('full_name')}, '') AS name_c,
        NULLIF({d.fold('full_name')}, '') AS name_f,
        dob AS dob_d, yob, sex_code AS sex,
        lk.new AS home
      FROM {source} src
      LEFT JOIN province_lookup lk ON lk.key = {d.place_key('src.hometown')}
    ) s
    """


def population_features_sql(d: Dialect, source: str, *, parts: bool) -> str:
    """Features of population rows in ``source`` (columns as in ``readers.POPULATION_HEADERS``).

    ``parts``: the extract gives Ho / ChuDem / Ten (else only a full name).
    """
    full = "concat_ws(' ', NULLIF(trim(ho), ''), NULLIF(trim(chudem), ''), NULLIF(trim(ten), ''))" if parts \
        else "full_name"
    sex = d.sex("sex_raw")
    return f"""
    SELECT s.*, {_name_parts(d, 's.name_f')},
      {_date_parts(d, 's.dob_d')['md']} AS md, {_date_parts(d, 's.dob_d')['dm']} AS dm,
      CAST(s.dob_d AS STRING) AS dob
    FROM (
      SELECT t.*, {d.birth_year('t.dob_t', 't.dob_d')} AS yob
      FROM (
        SELECT src.*, {full} AS pop_full_name,
          NULLIF({d.canon(full)}, '') AS name_c,
          NULLIF({d.fold(full)}, '') AS name_f,
          trim(coalesce(dob_raw, '')) AS dob_t,
          {d.birth_date("trim(coalesce(dob_raw, ''))")} AS dob_d,
          CASE WHEN {sex} IN ('M', 'F') THEN {sex} END AS sex,
          lk.new AS home
        FROM {source} src
        LEFT JOIN province_lookup lk ON lk.key = {d.place_key('src.home_raw')}
      ) t
    ) s
    """


def kind_sql(d: Dialect, field: str, r: str = "r", p: str = "p") -> str:
    """How the register value (alias ``r``) differs from the population value (alias ``p``)."""
    if field == "full_name":
        return (
            f"CASE WHEN {r}.name_c = {p}.name_c THEN 'same' "
            f"WHEN {r}.name_f = {p}.name_f THEN 'diacritics' "
            f"WHEN {r}.fam = {p}.fam AND {r}.giv = {p}.giv THEN 'middle_name' "
            f"WHEN levenshtein({r}.name_f, {p}.name_f) <= 2 THEN 'typo' "
            f"ELSE 'different' END"
        )
    if field == "birth_date":
        return (
            f"CASE WHEN {p}.yob IS NULL THEN 'same' "
            f"WHEN {r}.yob IS NULL THEN 'missing' "
            f"WHEN {r}.dob = {p}.dob THEN 'same' "
            f"WHEN {p}.dob IS NULL AND {r}.yob = {p}.yob THEN 'same' "
            f"WHEN {r}.dob IS NULL AND {r}.yob = {p}.yob THEN 'year_only' "
            f"WHEN {r}.yob = {p}.yob AND {r}.md = {p}.dm THEN 'day_month_swapped' "
            f"WHEN levenshtein({r}.dob, {p}.dob) = 1 OR ({r}.md = {p}.md AND abs({r}.yob - {p}.yob) = 1) THEN 'typo' "
            f"ELSE 'different' END"
        )
    if field == "sex":
        return (
            f"CASE WHEN {p}.sex IS NULL OR {r}.sex = {p}.sex THEN 'same' "
            f"WHEN {r}.sex IS NULL THEN 'missing' ELSE 'different' END"
        )
    if field == "hometown":
        return f"CASE WHEN {r}.home IS NULL OR {p}.home IS NULL OR {r}.home = {p}.home THEN 'same' ELSE 'different' END"
    if field == "personal_id":
        return (
            f"CASE WHEN {r}.pid_raw = {p}.pid THEN 'same' "
            f"WHEN {r}.pid = {p}.pid THEN 'format' "
            f"WHEN {r}.pid_raw = '' THEN 'missing' "
            f"WHEN levenshtein(coalesce({r}.pid, {d.digits(f'{r}.pid_raw')}), {p}.pid) <= 2 THEN 'typo' "
            f"ELSE 'different' END"
        )
    raise ValueError(field)


def accepts_sql(name_kind: str, dob_kind: str) -> str:
    names = ", ".join(f"'{k}'" for k in ACCEPTED_NAME_KINDS)
    dobs = ", ".join(f"'{k}'" for k in ACCEPTED_DOB_KINDS)
    return f"({name_kind} IN ({names}) AND {dob_kind} IN ({dobs}))"


FIELDS = ("personal_id", "full_name", "birth_date", "sex", "hometown")


def differences_sql(kinds: dict[str, str]) -> str:
    """``field:kind;field:kind`` for the fields whose kind is not ``same`` (``kinds``: field → SQL)."""
    parts = ", ".join(f"CASE WHEN {kinds[f]} <> 'same' THEN '{f}:' || {kinds[f]} END" for f in FIELDS if f in kinds)
    return f"concat_ws(';', {parts})"
