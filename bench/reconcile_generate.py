"""Synthetic population extract and personnel file with known truth, for ``bench/reconcile.py``.

``python -m bench.reconcile_generate --population 100000000 --personnel 2000000 --seed 7``
writes to ``--out`` (default ``/work/bench-data/reconcile-<population>-<personnel>-s<seed>``):

- ``population.parquet``: QCVN 109 field names (``SoDinhDanh``, ``SoCMND``, ``Ho``, ``ChuDem``, ``Ten``,
  ``NgayThangNamSinh`` yyyy-mm-dd or yyyy, ``GioiTinh`` 1 nam / 2 nữ, ``QueQuan`` a 2025 commune code),
  with the dataset version in the Parquet key-value metadata;
- ``personnel.parquet``: an HR file with Vietnamese headers ("Mã hồ sơ", "Số định danh cá nhân", "Số
  CMND", "Họ và tên", "Ngày sinh", "Giới tính", "Quê quán", "Đơn vị") and errors injected;
- ``truth.parquet``: per record, the true personal ID (NULL for people not in the population) and the
  errors injected; ``meta.json``: parameters, rates, counts, timings.

Everything is SQL in DuckDB, straight to Parquet: the 100 M population rows never become Python objects.
Randomness is a hash of (row, seed, tag), so the same seed gives the same data (with the same DuckDB).

The population: ``(province, sex, year)`` buckets sized by census and age-pyramid weights (see
``bench/reconcile_pools.py``); the personal ID is province + sex/century digit + year + a serial that is a
bijection of the row's index in its bucket (``(j * 7919 + offset) mod 10^6``), so IDs are unique and
structurally valid. 70 % of people born before 2000 have a 9-digit CMND (a bijection of the row number).
The hometown is the birth province 70 % of the time.

The personnel file draws working-age people (born 1960–2003). Error rates (per record; :data:`RATES`)
follow the measured baseline in ``shared/domain/anchors-linkage.md`` §2.1 where it gives them, plus the
kinds the issue lists. Each duplicate record gets its own independent errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from bench import reconcile_pools as pools
from congvu.matching.normalise import TONE_MOVES
from congvu.matching.provinces import PRE_2025_SUCCESSOR, _commune_provinces

DEFAULT_ROOT = Path("/work/bench-data")
SLOTS = 1 << 16

#: Share of personnel records given each error. ID errors exclude one another, in this order; so do the
#: date-of-birth errors, the sex errors and the hometown errors; name errors are independent.
RATES: dict[str, float] = {
    "id_missing": 0.020,
    "id_old_only": 0.020,  # only the 9-digit CMND is given (if the person has one)
    "id_typo": 0.015,  # one digit mistyped
    "id_transposed": 0.005,  # two adjacent digits swapped
    "id_leading_zero_lost": 0.010,  # Excel stored it as a number
    "id_spaces": 0.010,  # "001 085 012345", "001.085.012345"
    "id_other_person": 0.003,  # someone else's ID (half: another record's, half: a relative's)
    "name_no_diacritics": 0.030,
    "name_nfd": 0.020,
    "name_new_tone_placement": 0.020,  # hoà / thuỷ instead of hòa / thủy
    "name_upper": 0.030,
    "name_extra_spaces": 0.010,
    "name_wrong_tone": 0.010,  # on the given name
    "name_typo": 0.010,  # one letter of the given name
    "name_middle_dropped": 0.005,
    "dob_day_month_swapped": 0.010,  # when the day is 12 or less and differs from the month
    "dob_year_off_by_one": 0.003,
    "dob_year_only": 0.003,
    "dob_missing": 0.002,
    "dob_day_typo": 0.003,
    "sex_flipped": 0.003,
    "sex_missing": 0.003,
    "home_missing": 0.010,
    "home_other_province": 0.020,
    "duplicate_person": 0.010,  # a second record (a second employment) of the same person
    "not_in_population": 0.005,  # "ghosts"
    "old_id_column_filled": 0.25,  # of the people with a CMND, the file also gives it in "Số CMND"
}


def _slots(dist: dict[str, float]) -> list[str]:
    """Expand a weighted distribution to :data:`SLOTS` entries (every value keeps at least one)."""
    total = sum(dist.values())
    out: list[str] = []
    for value, weight in dist.items():
        out.extend([value] * max(1, round(weight / total * SLOTS)))
    out = out[:SLOTS]
    while len(out) < SLOTS:
        out.append(next(iter(dist)))
    return out


def _strip_diacritics(s: str) -> str:
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in d if not unicodedata.combining(c))


_NEW_STYLE = {dst: src for src, dst in TONE_MOVES}
_TONES = ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
_VOWELS = set("aăâeêioôơuưy")


def _new_tone_placement(s: str) -> str:
    words = []
    for w in s.split(" "):
        lower = w.lower()
        for canon, new in _NEW_STYLE.items():
            if lower.endswith(canon) and not lower.endswith("q" + canon[1:]):
                w = w[: -len(canon)] + (new if w[-len(canon):].islower() else new.capitalize())
                break
        words.append(w)
    return " ".join(words)


def _wrong_tone(s: str) -> str:
    d = list(unicodedata.normalize("NFD", s))
    for i, c in enumerate(d):
        if c in _TONES:
            d[i] = _TONES[(_TONES.index(c) + 1) % len(_TONES)]
            return unicodedata.normalize("NFC", "".join(d))
    base = [i for i, c in enumerate(d) if c.lower() in _VOWELS]
    if not base:
        return s
    d.insert(base[-1] + 1, "\u0301")
    return unicodedata.normalize("NFC", "".join(d))


def _variants(values: set[str]) -> pa.Table:
    rows = sorted(values)
    return pa.table({
        "v": rows,
        "nfd": [unicodedata.normalize("NFD", v) for v in rows],
        "nodia": [_strip_diacritics(v) for v in rows],
        "newtone": [_new_tone_placement(v) for v in rows],
        "wrongtone": [_wrong_tone(v) for v in rows],
    })


def _lookup_tables(con: duckdb.DuckDBPyConnection) -> None:
    family = _slots(pools.FAMILY)
    con.register("t_family", pa.table({"slot": range(SLOTS), "v": family}))
    middle: dict[str, list[Any]] = {"sex": [], "cohort": [], "slot": [], "v": []}
    given: dict[str, list[Any]] = {"sex": [], "slot": [], "v": []}
    values = set(family)
    for sex in ("M", "F"):
        g = _slots(pools.given_names(sex))
        values.update(g)
        given["sex"] += [sex] * SLOTS
        given["slot"] += list(range(SLOTS))
        given["v"] += g
        for cohort in (0, 1, 2):
            m = _slots(pools.middle_names(sex, cohort))
            values.update(m)
            middle["sex"] += [sex] * SLOTS
            middle["cohort"] += [cohort] * SLOTS
            middle["slot"] += list(range(SLOTS))
            middle["v"] += m
    con.register("t_middle", pa.table(middle))
    con.register("t_given", pa.table(given))
    con.register("t_variants", _variants(values))
    provinces = _slots({k: float(v) for k, v in pools.PROVINCE_POPULATION.items()})
    con.register("t_province", pa.table({"slot": range(SLOTS), "code3": provinces}))
    con.register("t_successor", pa.table({"code3": list(PRE_2025_SUCCESSOR), "new": list(PRE_2025_SUCCESSOR.values())}))
    by_province: dict[str, list[str]] = {}
    for commune, province in sorted(_commune_provinces().items()):
        by_province.setdefault(province, []).append(commune)
    con.register("t_commune", pa.table({
        "new": [p for p, cs in by_province.items() for _ in cs],
        "idx": [i for cs in by_province.values() for i in range(len(cs))],
        "commune": [c for cs in by_province.values() for c in cs],
    }))
    con.register("t_commune_count", pa.table({"new": list(by_province), "n": [len(c) for c in by_province.values()]}))
    con.register("t_old_name", pa.table({
        "code3": list(pools.PROVINCE_POPULATION),
        "name": [_old_name(c) for c in pools.PROVINCE_POPULATION],
    }))
    for name in ("t_family", "t_middle", "t_given", "t_variants", "t_province", "t_successor", "t_commune",
                 "t_commune_count", "t_old_name"):
        con.execute(f"CREATE TABLE {name[2:]} AS SELECT * FROM {name}")


def _old_name(code3: str) -> str:
    from congvu.rules.personal_id import PRE_2025_PROVINCES

    return PRE_2025_PROVINCES[code3].replace("TP. ", "")


def _buckets(n: int, seed: int) -> pa.Table:
    """(province, sex, year) buckets with exact row counts summing to ``n`` and each bucket's serial offset."""
    weights = []
    for code3, pop in pools.PROVINCE_POPULATION.items():
        for sex in ("M", "F"):
            for year in range(1935, 2025):
                weights.append((code3, sex, year, pop * pools.year_weight(year)))
    total = sum(w for *_, w in weights)
    cols: dict[str, list[Any]] = {"bucket": [], "code3": [], "sex": [], "year": [], "start": [], "cnt": []}
    cumulative = 0.0
    previous = 0
    for i, (code3, sex, year, w) in enumerate(weights):
        cumulative += w
        upto = round(n * cumulative / total)
        cols["bucket"].append(i)
        cols["code3"].append(code3)
        cols["sex"].append(sex)
        cols["year"].append(year)
        cols["start"].append(previous)
        cols["cnt"].append(upto - previous)
        previous = upto
    if max(cols["cnt"]) >= 1_000_000 // 2:
        raise SystemExit("population too large for 6-digit serials in one bucket")
    return pa.table(cols)


def _h(key: str, seed: int, tag: int) -> str:
    """A 64-bit pseudo-random number from an integer row key.

    One argument to ``hash``: with several (``hash(g, seed, tag)``) DuckDB's low bits hardly change with
    the last one, so draws for different tags taken modulo a small number would be correlated.
    """
    return f"hash(({key}) * 1048576 + {(seed % 4096) * 256 + tag})"


def _hs(key: str, seed: int, tag: int) -> str:
    """:func:`_h` for a text key."""
    return f"hash({key} || '#{seed}#{tag}')"


def _u(key: str, seed: int, tag: int) -> str:
    """A uniform number in [0, 1) from the row key."""
    return f"(({_h(key, seed, tag)} % 1000000) / 1000000.0)"


def _set_lists(con: duckdb.DuckDBPyConnection) -> None:
    """The lookup tables as constant lists in variables: a lookup is then ``list[i]`` on each row, never a
    join (DuckDB cannot estimate the lateral ``range`` and would build its hash tables on the 100 M side)."""
    con.execute("SET VARIABLE family = (SELECT list(v ORDER BY slot) FROM family)")
    for sex in ("M", "F"):
        con.execute(f"SET VARIABLE given_{sex} = (SELECT list(v ORDER BY slot) FROM given WHERE sex = '{sex}')")
        for cohort in (0, 1, 2):
            con.execute(f"SET VARIABLE middle_{sex}{cohort} = (SELECT list(v ORDER BY slot) FROM middle "
                        f"WHERE sex = '{sex}' AND cohort = {cohort})")
    con.execute("SET VARIABLE province = (SELECT list(code3 ORDER BY slot) FROM province)")
    # old province code (as a number) → index of its 2025 province; communes of all 2025 provinces in one list
    con.execute("""SET VARIABLE new_index = (
      SELECT list(coalesce(i, 0) ORDER BY n) FROM range(0, 100) r(n)
      LEFT JOIN (SELECT CAST(s.code3 AS INT) AS code, c.i FROM successor s
                 JOIN (SELECT new, row_number() OVER (ORDER BY new) AS i FROM commune_count) c ON c.new = s.new) x
        ON x.code = r.n)""")
    con.execute("SET VARIABLE commune_start = (SELECT list(s ORDER BY new) FROM "
                "(SELECT new, sum(n) OVER (ORDER BY new) - n AS s FROM commune_count))")
    con.execute("SET VARIABLE commune_n = (SELECT list(n ORDER BY new) FROM commune_count)")
    con.execute("SET VARIABLE communes = (SELECT list(commune ORDER BY new, idx) FROM commune)")


def generate_population(con: duckdb.DuckDBPyConnection, out: Path, n: int, seed: int) -> None:
    con.register("t_buckets", _buckets(n, seed))
    con.execute(
        f"CREATE TABLE buckets AS SELECT *, CAST({_h('bucket', seed, 99)} % 1000000 AS BIGINT) AS off FROM t_buckets"
    )
    _set_lists(con)
    version = f"synthetic-s{seed}-n{n} {dt.date.today().isoformat()}"
    g = "r.g"

    def pick(variable: str, tag: int) -> str:
        return f"getvariable('{variable}')[1 + CAST({_h(g, seed, tag)} % {SLOTS} AS INT)]"

    middle = " ".join(f"WHEN r.sex = '{sex}' AND r.cohort = {c} THEN {pick(f'middle_{sex}{c}', 5)}"
                      for sex in ("M", "F") for c in (0, 1, 2))
    con.execute(f"""
    COPY (
      WITH r AS (
        SELECT b.code3, b.sex, b.year, b.off, b.start + t.j AS g, t.j,
               CASE WHEN b.year < 1970 THEN 0 WHEN b.year < 1990 THEN 1 ELSE 2 END AS cohort
        FROM buckets b, range(b.cnt) t(j)
      ), h AS (
        SELECT r.*, getvariable('new_index')[1 + CAST(
          CASE WHEN {_u(g, seed, 7)} < 0.7 THEN r.code3 ELSE {pick('province', 8)} END AS INT)] AS ni
        FROM r
      )
      SELECT
        r.code3 || CASE WHEN r.year < 2000 THEN (CASE r.sex WHEN 'M' THEN '0' ELSE '1' END)
                        ELSE (CASE r.sex WHEN 'M' THEN '2' ELSE '3' END) END
          || lpad(CAST(r.year % 100 AS VARCHAR), 2, '0')
          || lpad(CAST((r.j * 7919 + r.off) % 1000000 AS VARCHAR), 6, '0') AS SoDinhDanh,
        CASE WHEN r.year < 2000 AND {_u(g, seed, 10)} < 0.7
             THEN lpad(CAST((r.g * 48271 + {seed * 7 + 13}) % 1000000000 AS VARCHAR), 9, '0') END AS SoCMND,
        {pick('family', 4)} AS Ho,
        CASE {middle} END AS ChuDem,
        CASE r.sex WHEN 'M' THEN {pick('given_M', 6)} ELSE {pick('given_F', 6)} END AS Ten,
        CASE WHEN r.year < 1960 AND {_u(g, seed, 11)} < 0.005 THEN CAST(r.year AS VARCHAR)
             ELSE strftime(make_date(r.year, 1, 1)
                  + CAST({_h(g, seed, 3)} % (CASE WHEN r.year % 4 = 0 THEN 366 ELSE 365 END) AS INT), '%Y-%m-%d')
        END AS NgayThangNamSinh,
        CASE r.sex WHEN 'M' THEN '1' ELSE '2' END AS GioiTinh,
        getvariable('communes')[1 + CAST(getvariable('commune_start')[r.ni]
          + {_h(g, seed, 9)} % getvariable('commune_n')[r.ni] AS INT)] AS QueQuan
      FROM h AS r
    ) TO '{out / "population.parquet"}'
      (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000, KV_METADATA {{dataset_version: '{version}'}})
    """)


def _with_errors_sql(seed: int) -> str:
    """SQL turning ``truth_people`` (clean attributes) into the personnel file and the truth table."""
    rid = "rn"

    def u(tag: int) -> str:
        return _u(rid, seed, tag)

    rates = RATES
    cut = 0.0
    id_cases = []
    for kind in ("id_missing", "id_old_only", "id_typo", "id_transposed", "id_leading_zero_lost", "id_spaces",
                 "id_other_person"):
        cut += rates[kind]
        id_cases.append((kind, cut))
    dob_cut = 0.0
    dob_cases = []
    for kind in ("dob_day_month_swapped", "dob_year_off_by_one", "dob_year_only", "dob_missing", "dob_day_typo"):
        dob_cut += rates[kind]
        dob_cases.append((kind, dob_cut))
    id_kind = "CASE " + " ".join(f"WHEN {u(1)} < {c} THEN '{k}'" for k, c in id_cases) + " ELSE '' END"
    dob_kind = "CASE " + " ".join(f"WHEN {u(2)} < {c} THEN '{k}'" for k, c in dob_cases) + " ELSE '' END"
    s1, s2 = rates["sex_flipped"], rates["sex_flipped"] + rates["sex_missing"]
    h1, h2 = rates["home_missing"], rates["home_missing"] + rates["home_other_province"]
    return f"""
    WITH k AS (
      SELECT r.*,
        {id_kind} AS id_kind,
        {dob_kind} AS dob_kind,
        CASE WHEN {u(3)} < {s1} THEN 'sex_flipped' WHEN {u(3)} < {s2} THEN 'sex_missing' ELSE '' END AS sex_kind,
        CASE WHEN {u(4)} < {h1} THEN 'home_missing' WHEN {u(4)} < {h2} THEN 'home_other_province' ELSE '' END
          AS home_kind,
        {u(5)} < {rates["name_no_diacritics"]} AS n_nodia,
        {u(6)} < {rates["name_nfd"]} AS n_nfd,
        {u(7)} < {rates["name_new_tone_placement"]} AS n_newtone,
        {u(8)} < {rates["name_upper"]} AS n_upper,
        {u(9)} < {rates["name_extra_spaces"]} AS n_spaces,
        {u(10)} < {rates["name_wrong_tone"]} AS n_wrongtone,
        {u(11)} < {rates["name_typo"]} AS n_typo,
        {u(12)} < {rates["name_middle_dropped"]} AS n_dropmid,
        1 + CAST({_h(rid, seed, 13)} % 12 AS INT) AS id_pos,
        1 + CAST({_h(rid, seed, 14)} % 11 AS INT) AS tr_pos,
        1 + CAST({_h(rid, seed, 20)} % greatest(length(r.ten), 1) AS INT) AS typo_pos,
        lead(r.true_pid, 1009) OVER (ORDER BY r.rn) AS next_pid
      FROM truth_people r
    ), ids AS (
      SELECT k.*,
        CASE
          WHEN id_kind = 'id_missing' THEN ''
          WHEN id_kind = 'id_old_only' AND cmnd IS NOT NULL THEN (CASE WHEN {u(15)} < 0.5 THEN cmnd ELSE '' END)
          WHEN id_kind = 'id_typo' THEN substr(pid, 1, id_pos - 1)
               || CAST((CAST(substr(pid, id_pos, 1) AS INT) + 1 + {_h(rid, seed, 16)} % 9) % 10 AS VARCHAR)
               || substr(pid, id_pos + 1)
          WHEN id_kind = 'id_transposed' THEN substr(pid, 1, tr_pos - 1) || substr(pid, tr_pos + 1, 1)
               || substr(pid, tr_pos, 1) || substr(pid, tr_pos + 2)
          WHEN id_kind = 'id_leading_zero_lost' THEN ltrim(pid, '0')
          WHEN id_kind = 'id_spaces' THEN (CASE WHEN {u(17)} < 0.5
               THEN substr(pid, 1, 3) || ' ' || substr(pid, 4, 3) || ' ' || substr(pid, 7)
               ELSE substr(pid, 1, 3) || '.' || substr(pid, 4, 3) || '.' || substr(pid, 7) END)
          WHEN id_kind = 'id_other_person' THEN (CASE WHEN {u(18)} < 0.5 AND next_pid IS NOT NULL THEN next_pid
               ELSE other_pid END)
          ELSE pid
        END AS id_out,
        CASE WHEN id_kind = 'id_old_only' AND cmnd IS NOT NULL AND {u(15)} >= 0.5 THEN cmnd
             WHEN cmnd IS NOT NULL AND {u(19)} < {rates["old_id_column_filled"]} THEN cmnd ELSE '' END AS old_out
      FROM k
    ), names AS (
      SELECT ids.*,
        CASE WHEN n_typo AND length(ten) > 1 THEN
          substr(ten, 1, typo_pos - 1)
          || substr('abcdeghiklmnopqrstuvxy', CAST(1 + {_h(rid, seed, 21)} % 22 AS INT), 1)
          || substr(ten, typo_pos + 1)
          WHEN n_wrongtone THEN vt.wrongtone ELSE ten END AS ten1,
        CASE WHEN n_dropmid THEN '' ELSE dem END AS dem1
      FROM ids JOIN variants vt ON vt.v = ids.ten
    ), styled AS (
      SELECT n.*,
        concat_ws(CASE WHEN n_spaces THEN '  ' ELSE ' ' END,
          CASE WHEN n_nodia THEN vh.nodia WHEN n_nfd THEN vh.nfd WHEN n_newtone THEN vh.newtone ELSE ho END,
          NULLIF(CASE WHEN n_nodia THEN coalesce(vd.nodia, dem1) WHEN n_nfd THEN coalesce(vd.nfd, dem1)
                      WHEN n_newtone THEN coalesce(vd.newtone, dem1) ELSE dem1 END, ''),
          CASE WHEN n_nodia THEN coalesce(vg.nodia, ten1) WHEN n_nfd THEN coalesce(vg.nfd, ten1)
               WHEN n_newtone THEN coalesce(vg.newtone, ten1) ELSE ten1 END) AS name0
      FROM names n
      JOIN variants vh ON vh.v = n.ho
      LEFT JOIN variants vd ON vd.v = n.dem1
      LEFT JOIN variants vg ON vg.v = n.ten1
    ), dobs AS (
      SELECT s.*,
        CASE
          WHEN dob_kind = 'dob_day_month_swapped' AND day(dob) <= 12 AND day(dob) <> month(dob)
            THEN make_date(year(dob), day(dob), month(dob))
          WHEN dob_kind = 'dob_year_off_by_one' AND NOT (month(dob) = 2 AND day(dob) = 29)
            THEN make_date(year(dob) + (CASE WHEN {u(22)} < 0.5 THEN 1 ELSE -1 END), month(dob), day(dob))
          WHEN dob_kind = 'dob_day_typo' THEN make_date(year(dob), month(dob),
            CASE WHEN day(dob) <= 18 THEN day(dob) + 10 ELSE day(dob) - 10 END)
          ELSE dob END AS dob1
      FROM styled s
    )
    SELECT
      record_id,
      id_out AS personal_id, old_out AS old_id,
      CASE WHEN n_upper THEN upper(name0) WHEN n_spaces THEN ' ' || name0 || ' ' ELSE name0 END AS full_name,
      CASE
        WHEN dob IS NULL AND dob_year IS NOT NULL THEN CAST(dob_year AS VARCHAR)
        WHEN dob_kind = 'dob_missing' THEN ''
        WHEN dob_kind = 'dob_year_only' THEN CAST(year(dob1) AS VARCHAR)
        WHEN {u(23)} < 0.85 THEN strftime(dob1, '%d/%m/%Y')
        WHEN {u(23)} < 0.92 THEN CAST(day(dob1) AS VARCHAR) || '/' || CAST(month(dob1) AS VARCHAR) || '/'
                                || CAST(year(dob1) AS VARCHAR)
        WHEN {u(23)} < 0.97 THEN strftime(dob1, '%Y-%m-%d')
        ELSE CAST(dob1 - DATE '1899-12-30' AS VARCHAR)
      END AS birth_date,
      CASE
        WHEN sex_kind = 'sex_missing' THEN ''
        WHEN (sex = 'M') <> (sex_kind = 'sex_flipped') THEN
          (CASE WHEN {u(24)} < 0.90 THEN 'Nam' WHEN {u(24)} < 0.94 THEN 'NAM' WHEN {u(24)} < 0.97 THEN 'nam' ELSE 'M' END)
        ELSE (CASE WHEN {u(24)} < 0.90 THEN 'Nữ' WHEN {u(24)} < 0.94 THEN 'NỮ' WHEN {u(24)} < 0.97 THEN 'nu' ELSE 'F' END)
      END AS sex,
      CASE
        WHEN home_kind = 'home_missing' THEN ''
        WHEN home_kind = 'home_other_province' THEN other_home_name
        WHEN {u(25)} < 0.55 THEN home_name
        WHEN {u(25)} < 0.65 THEN (CASE WHEN home3 IN ('001', '031', '048', '079', '092') THEN 'Thành phố ' ELSE 'Tỉnh ' END)
                                 || home_name
        WHEN {u(25)} < 0.75 THEN home_new_name
        WHEN {u(25)} < 0.83 THEN strip_accents(replace(replace(home_name, 'đ', 'd'), 'Đ', 'D'))
        ELSE home3
      END AS hometown,
      'DV' || lpad(CAST({_hs('true_pid_or_ghost', seed, 26)} % 5000 AS VARCHAR), 4, '0') AS unit_id,
      -- truth
      true_pid, ghost, duplicate, id_kind, dob_kind, sex_kind, home_kind,
      concat_ws(';', CASE WHEN n_nodia THEN 'no_diacritics' END, CASE WHEN n_nfd THEN 'nfd' END,
        CASE WHEN n_newtone THEN 'new_tone_placement' END, CASE WHEN n_upper THEN 'upper' END,
        CASE WHEN n_spaces THEN 'extra_spaces' END, CASE WHEN n_wrongtone THEN 'wrong_tone' END,
        CASE WHEN n_typo THEN 'typo' END, CASE WHEN n_dropmid THEN 'middle_dropped' END) AS name_kinds
    FROM dobs
    """


def generate_personnel(con: duckdb.DuckDBPyConnection, out: Path, m: int, seed: int) -> dict[str, int]:
    n_ghost = round(m * RATES["not_in_population"])
    n_people = round((m - n_ghost) / (1 + RATES["duplicate_person"]))
    n_dup = m - n_ghost - n_people
    n_other = round(m * RATES["id_other_person"]) + 10
    pop = out / "population.parquet"
    eligible = f"""
    SELECT SoDinhDanh AS pid, SoCMND AS cmnd, Ho AS ho, ChuDem AS dem, Ten AS ten,
           TRY_CAST(NgayThangNamSinh AS DATE) AS dob, CAST(substr(NgayThangNamSinh, 1, 4) AS INT) AS dob_year,
           CASE GioiTinh WHEN '1' THEN 'M' ELSE 'F' END AS sex, QueQuan AS home
    FROM read_parquet('{pop}')
    WHERE CAST(substr(NgayThangNamSinh, 1, 4) AS INT) BETWEEN 1960 AND 2003
    """
    con.execute(f"CREATE TABLE chosen AS SELECT * FROM ({eligible}) ORDER BY {_hs('pid', seed, 30)} LIMIT {n_people}")
    # Templates for ghosts and for "someone else's ID": real people who are not (usually) in the file.
    con.execute(f"""
    CREATE TABLE templates AS SELECT *, row_number() OVER (ORDER BY {_hs('pid', seed, 31)}) AS tn FROM (
      SELECT * FROM ({eligible}) ORDER BY {_hs('pid', seed, 31)} LIMIT {n_ghost + n_other})
    """)
    con.execute(f"""
    CREATE TABLE ghosts AS
    WITH t AS (
      SELECT t.*, substr(pid, 1, 3) AS code3,
        row_number() OVER (PARTITION BY substr(pid, 1, 3), sex, dob_year ORDER BY tn) - 1 AS k,
        CASE WHEN dob_year < 1970 THEN 0 WHEN dob_year < 1990 THEN 1 ELSE 2 END AS cohort
      FROM templates t WHERE tn <= {n_ghost}
    )
    SELECT substr(t.pid, 1, 6) || lpad(CAST(((b.cnt + t.k) * 7919 + b.off) % 1000000 AS VARCHAR), 6, '0') AS pid,
           NULL::VARCHAR AS cmnd, f.v AS ho, mm.v AS dem, gv.v AS ten,
           make_date(t.dob_year, 1, 1) + CAST({_h('t.tn', seed, 32)} % 365 AS INT) AS dob, t.dob_year,
           t.sex, c.commune AS home
    FROM t
    JOIN buckets b ON b.code3 = t.code3 AND b.sex = t.sex AND b.year = t.dob_year
    JOIN family f ON f.slot = {_h('t.tn', seed, 33)} % {SLOTS}
    JOIN middle mm ON mm.sex = t.sex AND mm.cohort = t.cohort AND mm.slot = {_h('t.tn', seed, 34)} % {SLOTS}
    JOIN given gv ON gv.sex = t.sex AND gv.slot = {_h('t.tn', seed, 35)} % {SLOTS}
    JOIN province p ON p.slot = {_h('t.tn', seed, 41)} % {SLOTS}
    JOIN successor s ON s.code3 = p.code3
    JOIN commune_count cc ON cc.new = s.new
    JOIN commune c ON c.new = s.new AND c.idx = {_h('t.tn', seed, 42)} % cc.n
    """)
    con.execute(f"""
    CREATE TABLE truth_people AS
    WITH everyone AS (
      SELECT pid, cmnd, ho, dem, ten, dob, dob_year, sex, home, FALSE AS ghost, FALSE AS duplicate FROM chosen
      UNION ALL
      SELECT pid, cmnd, ho, dem, ten, dob, dob_year, sex, home, FALSE, TRUE FROM
        (SELECT * FROM chosen ORDER BY {_hs('pid', seed, 36)} LIMIT {n_dup})
      UNION ALL
      SELECT pid, cmnd, ho, dem, ten, dob, dob_year, sex, home, TRUE, FALSE FROM ghosts
    ), numbered AS (
      SELECT e.*, row_number() OVER (ORDER BY {_hs("pid || CAST(duplicate AS VARCHAR)", seed, 38)}) AS rn FROM everyone e
    )
    SELECT n.rn, 'NS' || lpad(CAST(n.rn AS VARCHAR), 8, '0') AS record_id,
      n.pid, n.cmnd, n.ho, n.dem, n.ten, n.dob, n.dob_year, n.sex, n.ghost, n.duplicate,
      CASE WHEN n.ghost THEN NULL ELSE n.pid END AS true_pid,
      n.pid AS true_pid_or_ghost,
      o.pid AS other_pid,
      cp.new AS home_new,
      hp.code3 AS home3,
      nm.name AS home_name, nn.name AS home_new_name, oth.name AS other_home_name
    FROM numbered n
    LEFT JOIN templates o ON o.tn = {n_ghost} + 1 + n.rn % {n_other - 1}
    LEFT JOIN (SELECT commune, new FROM commune) cp ON cp.commune = n.home
    LEFT JOIN (SELECT new, code3, row_number() OVER (PARTITION BY new ORDER BY code3) - 1 AS i,
                      count(*) OVER (PARTITION BY new) AS cnt FROM successor) hp
      ON hp.new = cp.new AND hp.i = {_h('n.rn', seed, 39)} % hp.cnt
    LEFT JOIN old_name nm ON nm.code3 = hp.code3
    LEFT JOIN new_name nn ON nn.new = cp.new
    LEFT JOIN province op ON op.slot = {_h('n.rn', seed, 40)} % {SLOTS}
    LEFT JOIN old_name oth ON oth.code3 = op.code3
    """)
    con.execute(f"CREATE TABLE personnel_all AS {_with_errors_sql(seed)}")
    con.execute(f"""
    COPY (SELECT record_id AS "Mã hồ sơ", personal_id AS "Số định danh cá nhân", old_id AS "Số CMND",
                 full_name AS "Họ và tên", birth_date AS "Ngày sinh", sex AS "Giới tính",
                 hometown AS "Quê quán", unit_id AS "Đơn vị"
          FROM personnel_all ORDER BY record_id)
    TO '{out / "personnel.parquet"}' (FORMAT parquet, COMPRESSION zstd)
    """)
    con.execute(f"""
    COPY (SELECT record_id, true_pid, ghost, duplicate, id_kind, name_kinds, dob_kind, sex_kind, home_kind,
                 personal_id AS given_personal_id
          FROM personnel_all ORDER BY record_id)
    TO '{out / "truth.parquet"}' (FORMAT parquet)
    """)
    return {"people": n_people, "duplicates": n_dup, "ghosts": n_ghost}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--population", type=int, default=100_000_000)
    parser.add_argument("--personnel", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GB")
    args = parser.parse_args(argv)
    out: Path = args.out or DEFAULT_ROOT / f"reconcile-{args.population}-{args.personnel}-s{args.seed}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tmp").mkdir(exist_ok=True)
    (out / "tmp" / "generate.duckdb").unlink(missing_ok=True)
    con = duckdb.connect(str(out / "tmp" / "generate.duckdb"))
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET memory_limit = '{args.memory_limit}'")
    con.execute(f"SET temp_directory = '{out / 'tmp'}'")
    con.execute("SET preserve_insertion_order = false")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    _lookup_tables(con)
    con.register("t_new_name", pa.table({"new": list(_new_names()), "name": list(_new_names().values())}))
    con.execute("CREATE TABLE new_name AS SELECT * FROM t_new_name")
    generate_population(con, out, args.population, args.seed)
    timings["population"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    counts = generate_personnel(con, out, args.personnel, args.seed)
    timings["personnel"] = round(time.perf_counter() - started, 1)
    con.close()
    shutil.rmtree(out / "tmp", ignore_errors=True)
    meta = {"population": args.population, "personnel": args.personnel, "seed": args.seed, "rates": RATES,
            "counts": counts, "seconds": timings, "duckdb": duckdb.__version__}
    (out / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False))


def _new_names() -> dict[str, str]:
    from congvu.matching.provinces import NEW_PROVINCES

    return NEW_PROVINCES


if __name__ == "__main__":
    main()
