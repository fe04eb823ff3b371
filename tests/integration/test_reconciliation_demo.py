"""The demo's population extract: the register with realistic errors injected, people who are not officials,
deterministic by seed; its noise helpers do what their names say."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from congvu.demo.generate import BuildOptions, build_demo
from congvu.demo.population import RATES, other_tone, transposed, typo, write_population_extract
from congvu.personnel.models import Person
from congvu.rules.personal_id import check_personal_id
from congvu.text import fold

PEOPLE = 2000


def test_another_tone_changes_only_the_diacritics() -> None:
    rng = random.Random(1)
    for word in ("Hạ", "Hà", "Lan", "Thủy", "Nguyễn"):
        changed = other_tone(word, rng)
        assert changed != word
        assert fold(changed) == fold(word)
        assert unicodedata.is_normalized("NFC", changed)


def test_a_typo_changes_one_letter() -> None:
    rng = random.Random(2)
    for word in ("Bình", "Trung", "Minh"):
        changed = typo(word, rng)
        assert len(changed) == len(word)
        assert sum(a != b for a, b in zip(changed, word, strict=True)) == 1


def test_a_transposed_id_keeps_the_structure_and_avoids_ids_in_use() -> None:
    rng = random.Random(3)
    pid = "037185012345"
    right = transposed(pid, {pid}, rng)
    assert right != pid
    assert sorted(right) == sorted(pid)
    assert right[:6] == pid[:6]
    assert check_personal_id(right, sex="F", birth_year=1985).ok


@pytest.mark.django_db
def test_the_demo_extract_holds_every_error_kind_and_extra_people_and_is_deterministic(tmp_path: Path) -> None:
    build_demo(BuildOptions(people=PEOPLE, seed=3, evaluation=False))  # the evaluation year is not needed here
    first = write_population_extract(3, data_dir=tmp_path / "a")
    second = write_population_extract(3, data_dir=tmp_path / "b")
    assert pq.read_table(first.path).equals(pq.read_table(second.path))
    assert set(first.kinds) == {kind for kind, _rate in RATES} | {"exact"}
    table = pq.read_table(first.path).to_pylist()
    # one row per register person but the missing; one more for an ID's real owner and for a namesake
    expected = PEOPLE - first.kinds["missing"] + first.kinds["other_person"] + first.kinds["namesake"] + 2 * PEOPLE
    assert first.rows == len(table) == expected
    assert table[0].keys() == {"SoDinhDanh", "SoCMND", "Ho", "ChuDem", "Ten", "NgayThangNamSinh", "GioiTinh",
                               "QueQuan"}
    ids = [row["SoDinhDanh"] for row in table]
    assert len(set(ids)) == len(ids)  # one row per personal ID, as in the population database
    register = set(Person.objects.values_list("personal_id", flat=True))
    wrong_ids = ("missing", "old_id", "id_typo", "id_typo_and_tone", "namesake")
    assert len(register - set(ids)) == sum(first.kinds[kind] for kind in wrong_ids)
    assert {row["GioiTinh"] for row in table} == {"Nam", "Nữ"}
    assert any(len(row["NgayThangNamSinh"]) == 4 for row in table)
