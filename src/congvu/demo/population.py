"""A synthetic population extract for the demo, made from the demo register, and a reconciliation run on it.

The population database is the truth; the register carries the errors HR offices really find (rates per
10,000 register records, deterministic by seed):

=====================  ====  ==========================================================================
kind                   rate  what the population holds for that person                 → expected status
=====================  ====  ==========================================================================
tone                    200  the given name with another tone mark                     → MATCHED_WITH_DIFFERENCES
typo                     70  one letter of the given name changed                      → MATCHED_WITH_DIFFERENCES
swapped                 100  day and month of birth swapped (day ≤ 12)                 → MATCHED_WITH_DIFFERENCES
year_only                40  only the year of birth (agrees with the register's date)  → MATCHED
old_id                   60  the right personal ID (the register's has two digits
                             transposed) and the register's old ID card number          → MATCHED_BY_OLD_ID
id_typo                  80  the right personal ID, no old ID                          → MATCHED_PROBABILISTIC
id_typo_and_tone         50  the right personal ID and another tone on the name        → MATCHED_PROBABILISTIC
namesake                 40  another ID altogether, only the year of birth, and a
                             namesake of the same sex and year born elsewhere          → PROBABLE
other_person             30  the right personal ID; the register's ID is someone
                             else's (an extra population person holds it)              → *, belongs_to_other_person
missing                  60  nothing: the person is not in the extract                 → NOT_FOUND
=====================  ====  ==========================================================================

Everyone else is copied as is (MATCHED). Twice as many people who are not in the register are added, so
the extract is not just the register. Fields use the QCVN 109 names (``SoDinhDanh``, ``SoCMND``, ``Ho``,
``ChuDem``, ``Ten``, ``NgayThangNamSinh``, ``GioiTinh``, ``QueQuan``).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.conf import settings

from congvu.core.scope import Scope
from congvu.demo.names import NameGenerator
from congvu.personnel.models import Person
from congvu.reconciliation.models import ReconciliationRun
from congvu.reconciliation.queries import Rate, rates_of_runs
from congvu.reconciliation.services import run_reconciliation
from congvu.rules.personal_id import PRE_2025_PROVINCES, make_personal_id
from congvu.text import nfc
from congvu.web.formats import vn_number

#: Error kinds and their rate per 10,000 register records (see the module docstring).
RATES: tuple[tuple[str, int], ...] = (
    ("tone", 200), ("typo", 70), ("swapped", 100), ("year_only", 40), ("old_id", 60), ("id_typo", 80),
    ("id_typo_and_tone", 50), ("namesake", 40), ("other_person", 30), ("missing", 60),
)
EXTRA_PEOPLE_FACTOR = 2
MAX_EXTRA_PEOPLE = 500_000
BATCH = 20_000
FILE_NAME = "dan-cu-minh-hoa-{seed}.parquet"
SCHEMA = pa.schema([(name, pa.string()) for name in
                    ("SoDinhDanh", "SoCMND", "Ho", "ChuDem", "Ten", "NgayThangNamSinh", "GioiTinh", "QueQuan")])
SEX_TEXT = {"M": "Nam", "F": "Nữ"}
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền, sắc, hỏi, ngã, nặng
VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def population_path(seed: int, data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.APP.data_dir) / "population" / FILE_NAME.format(seed=seed)


@dataclass
class ExtractSummary:
    path: Path
    rows: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


# ---- the noise ------------------------------------------------------------------------------------------


def other_tone(word: str, rng: random.Random) -> str:
    """``Hằng`` → ``Hàng`` or ``Hẳng``…: the same letters with another tone mark (a diacritics-only difference)."""
    letters = list(unicodedata.normalize("NFD", word))
    marks = [i for i, ch in enumerate(letters) if ch in TONES]
    if marks:
        i = marks[0]
        letters[i] = rng.choice([t for t in TONES if t != letters[i]])
    else:  # no tone yet: put one on the last vowel
        vowels = [i for i, ch in enumerate(letters) if ch in VOWELS]
        if not vowels:
            return word
        letters.insert(vowels[-1] + 1, rng.choice(TONES))
    return nfc("".join(letters))


def typo(word: str, rng: random.Random) -> str:
    """One letter replaced by a neighbour on the keyboard-ish list, keeping the word's case."""
    if len(word) < 3:
        return word + "h"
    i = rng.randrange(1, len(word))
    replacement = {"n": "m", "m": "n", "h": "g", "g": "h", "t": "r", "r": "t", "u": "i", "i": "u", "o": "u"}
    letter = word[i]
    return word[:i] + replacement.get(letter.lower(), "n") + word[i + 1:]


def other_serial(pid: str, taken: set[str], rng: random.Random) -> str:
    """Another ID with the same province, sex/century and year digits (6 random digits): not in use."""
    while True:
        candidate = f"{pid[:6]}{rng.randrange(1_000_000):06d}"
        if candidate not in taken:
            return candidate


def transposed(pid: str, taken: set[str], rng: random.Random) -> str:
    """The register's ID with two adjacent digits of the serial (digits 7–12) swapped: a typing slip that the
    structural checks cannot see. Returns the *right* ID (the population's), not already in use."""
    for _ in range(20):
        i = rng.randrange(6, 11)
        if pid[i] != pid[i + 1]:
            candidate = pid[:i] + pid[i + 1] + pid[i] + pid[i + 2:]
            if candidate not in taken:
                return candidate
    return other_serial(pid, taken, rng)


@dataclass(frozen=True)
class RegisterRow:
    personal_id: str
    old_id: str
    family: str
    middle: str
    given: str
    birth_date: dt.date | None
    birth_year: int
    sex: str
    hometown: str

    def population_row(self) -> dict[str, str]:
        born = self.birth_date.isoformat() if self.birth_date else str(self.birth_year)
        return {"SoDinhDanh": self.personal_id, "SoCMND": self.old_id, "Ho": self.family, "ChuDem": self.middle,
                "Ten": self.given, "NgayThangNamSinh": born, "GioiTinh": SEX_TEXT[self.sex], "QueQuan": self.hometown}


def _elsewhere(code: str, rng: random.Random) -> str:
    return rng.choice([c for c in ("001", "031", "036", "037", "038", "040") if c != code])


def draw_kind(rng: random.Random) -> str:
    roll = rng.randrange(10_000)
    for kind, rate in RATES:
        if roll < rate:
            return kind
        roll -= rate
    return "exact"


def noisy_rows(row: RegisterRow, kind: str, taken: set[str], names: NameGenerator,
               rng: random.Random) -> list[dict[str, str]]:
    """What the population holds for one register person with error ``kind`` (zero, one or two rows)."""
    truth = row.population_row()
    if kind == "missing":
        return []
    if kind in ("tone", "id_typo_and_tone"):
        truth["Ten"] = other_tone(row.given, rng)
    if kind == "typo":
        truth["Ten"] = typo(row.given, rng)
    if kind == "swapped" and row.birth_date and row.birth_date.day <= 12 and row.birth_date.day != row.birth_date.month:
        truth["NgayThangNamSinh"] = row.birth_date.replace(day=row.birth_date.month, month=row.birth_date.day).isoformat()
    if kind == "year_only":
        truth["NgayThangNamSinh"] = str(row.birth_year)
    if kind == "namesake":  # a wrong ID nothing like the right one; only the year of birth; a namesake
        truth["NgayThangNamSinh"] = str(row.birth_year)
    if kind in ("old_id", "id_typo", "id_typo_and_tone", "other_person", "namesake"):
        slip = other_serial if kind == "namesake" else transposed
        right = slip(row.personal_id, taken, rng)
        taken.add(right)
        truth["SoDinhDanh"] = right
        if kind != "old_id":
            truth["SoCMND"] = ""
        elif not row.old_id:  # the register has no old ID: the slip is found probabilistically instead
            kind = "id_typo"
    rows = [truth]
    if kind == "namesake":  # same name, sex and year of birth, born elsewhere: only a person can tell them apart
        twin = other_serial(row.personal_id, taken, rng)
        taken.add(twin)
        rows.append({**truth, "SoDinhDanh": twin, "SoCMND": "", "QueQuan": _elsewhere(row.hometown, rng)})
    if kind == "other_person":  # the ID the register holds belongs to someone else entirely
        other_sex = row.sex
        other_year = row.birth_year
        name = names.name(other_sex, other_year)
        born = dt.date(other_year, rng.randint(1, 12), rng.randint(1, 28))
        rows.append({"SoDinhDanh": row.personal_id, "SoCMND": "", "Ho": name.family, "ChuDem": name.middle,
                     "Ten": name.given, "NgayThangNamSinh": born.isoformat(), "GioiTinh": SEX_TEXT[other_sex],
                     "QueQuan": row.hometown})
    return rows


def extra_people(count: int, taken: set[str], names: NameGenerator, rng: random.Random,
                 prefixes: list[str]) -> Iterator[dict[str, str]]:
    """People of the province who are not officials: they make the extract bigger than the register."""
    for _ in range(count):
        sex = rng.choice("MF")
        year = rng.randint(1950, 2008)
        prefix = rng.choice(prefixes)
        while (pid := make_personal_id(prefix, sex, year, rng.randrange(1_000_000))) in taken:
            pass
        taken.add(pid)
        name = names.name(sex, year)
        born = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        yield {"SoDinhDanh": pid, "SoCMND": "", "Ho": name.family, "ChuDem": name.middle, "Ten": name.given,
               "NgayThangNamSinh": born.isoformat(), "GioiTinh": SEX_TEXT[sex], "QueQuan": prefix}


# ---- writing --------------------------------------------------------------------------------------------


def register_rows() -> Iterator[RegisterRow]:
    people = (Person.objects.order_by("pk").values_list(
        "personal_id", "old_id", "family_name", "middle_name", "given_name", "birth_date", "birth_year", "sex",
        "hometown__code").iterator(chunk_size=BATCH))
    for pid, old_id, family, middle, given, born, year, sex, hometown in people:
        yield RegisterRow(pid, old_id, family, middle, given, born, year, sex, hometown or "")


def write_population_extract(seed: int, *, data_dir: Path | None = None) -> ExtractSummary:
    """Write the demo's population extract (Parquet) from the register now in the database."""
    rng = random.Random(f"congvu-population-{seed}")
    names = NameGenerator(rng)
    path = population_path(seed, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = ExtractSummary(path)
    taken = set(Person.objects.values_list("personal_id", flat=True).iterator(chunk_size=BATCH))
    prefixes = sorted({pid[:3] for pid in taken if pid[:3] in PRE_2025_PROVINCES}) or ["037"]
    buffer: list[dict[str, str]] = []
    people = 0
    schema = SCHEMA.with_metadata({"dataset_version": f"Dữ liệu dân cư minh họa, hạt giống {seed}"})
    with pq.ParquetWriter(path, schema) as writer:
        for row in register_rows():
            people += 1
            kind = draw_kind(rng)
            summary.kinds[kind] = summary.kinds.get(kind, 0) + 1
            buffer += noisy_rows(row, kind, taken, names, rng)
            buffer = _flush(writer, buffer, summary)
        extra = min(MAX_EXTRA_PEOPLE, EXTRA_PEOPLE_FACTOR * people)
        for extra_row in extra_people(extra, taken, names, rng, prefixes):
            buffer.append(extra_row)
            buffer = _flush(writer, buffer, summary)
        _flush(writer, buffer, summary, force=True)
    return summary


def _flush(writer: Any, buffer: list[dict[str, str]], summary: ExtractSummary, *,
           force: bool = False) -> list[dict[str, str]]:
    if buffer and (force or len(buffer) >= BATCH):
        writer.write_table(pa.Table.from_pylist(buffer, schema=writer.schema))
        summary.rows += len(buffer)
        return []
    return buffer


def reconcile_demo(seed: int, *, data_dir: Path | None = None) -> tuple[ExtractSummary, ReconciliationRun]:
    """Make the demo's population extract and reconcile the whole demo register with it (as the system)."""
    extract = write_population_extract(seed, data_dir=data_dir)
    run = run_reconciliation(None, extract.path, Scope(paths=(), everything=True),
                             population_name=extract.path.name)
    return extract, run


def reconcile_demo_line(seed: int) -> str:
    """Run :func:`reconcile_demo` and say in one line what it left to clean (printed by ``congvu demo``)."""
    extract, run = reconcile_demo(seed)
    rate = rates_of_runs([run], Scope(paths=(), everything=True)).get(run.pk, Rate())
    return (f"Đối soát với dữ liệu dân cư minh họa ({vn_number(extract.rows)} bản ghi, {extract.path.name}): "
            f"khớp ngay {vn_number(rate.matched)}/{vn_number(rate.total)} hồ sơ "
            f"({vn_number(rate.initial_percent, 1)} %), {vn_number(rate.pending)} hồ sơ cần làm sạch "
            "(mục «Đối soát dân cư»).")
