"""``congvu reconcile`` and the register extract it reads when no personnel file is given."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.org.models import AdminArea
from congvu.personnel.models import Person
from congvu.reconciliation.extract import COLUMNS, write_register_extract
from tests.factories import build_world

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "reconcile"
POPULATION_HEADER = ["SoDinhDanh", "SoCMND", "Ho", "ChuDem", "Ten", "NgayThangNamSinh", "GioiTinh", "QueQuan"]


def population_of(people: list[Person], path: Path, *, rename: dict[int, str] | None = None) -> Path:
    """A population extract holding ``people`` as the register has them (``rename``: pk → another given name)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(POPULATION_HEADER)
        for p in people:
            given = (rename or {}).get(p.pk, p.given_name)
            born = p.birth_date.isoformat() if p.birth_date else str(p.birth_year)
            writer.writerow([p.personal_id, p.old_id, p.family_name, p.middle_name, given, born,
                             "1" if p.sex == "M" else "2", ""])
    return path


def test_the_register_extract_has_one_row_per_person_in_the_engine_format(tmp_path: Path) -> None:
    w = build_world()
    area = AdminArea.objects.create(code="036", name="Nam Định", level=AdminArea.Level.PROVINCE,
                                    division_type="tỉnh", source="test")
    Person.objects.filter(pk=w.binh.pk).update(birth_date=None, birth_year=1979, hometown=area, old_id="012345678")
    rows = write_register_extract(tmp_path / "register.parquet", Person.objects.all())
    table = pq.read_table(tmp_path / "register.parquet")
    assert rows == table.num_rows == Person.objects.count()
    assert tuple(table.column_names) == COLUMNS
    by_id = {r["record_id"]: r for r in table.to_pylist()}
    ha = by_id[str(w.ha.pk)]
    assert (ha["full_name"], ha["birth_date"], ha["sex"], ha["personal_id"]) == (
        "Nguyễn Thị Thu Hà", w.ha.birth_date.isoformat(), "F", w.ha.personal_id)
    assert (ha["unit_id"], ha["unit_name"]) == (str(w.phong_ccvc.pk), "Phòng Công chức, viên chức")
    binh = by_id[str(w.binh.pk)]
    assert (binh["birth_date"], binh["hometown"], binh["old_id"]) == ("1979", "036", "012345678")


def test_without_a_personnel_file_the_command_reconciles_the_whole_register(tmp_path: Path) -> None:
    w = build_world()
    people = list(Person.objects.all())
    population = population_of(people, tmp_path / "dan-cu.csv", rename={w.binh.pk: "Bính"})
    out, err = io.StringIO(), io.StringIO()
    call_command("reconcile", "--population", str(population), "--out", str(tmp_path / "kq"), "--threads", "1",
                 "--memory-limit", "1GB", stdout=out, stderr=err)
    summary = json.loads(out.getvalue())
    assert summary["personnel_rows"] == len(people)
    assert summary["counts"]["MATCHED"] == len(people) - 1
    assert summary["counts"]["MATCHED_WITH_DIFFERENCES"] == 1
    results = {r["record_id"]: r for r in pq.read_table(tmp_path / "kq" / "results.parquet").to_pylist()}
    assert results[str(w.binh.pk)]["differences"] == "full_name:diacritics"
    assert results[str(w.ha.pk)]["status"] == "MATCHED"
    assert (tmp_path / "kq" / "results.csv").exists()
    assert (tmp_path / "kq" / "summary.json").exists()


def test_a_personnel_file_is_reconciled_and_the_summary_printed_as_json(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("reconcile", "--personnel", str(DATA / "personnel.csv"), "--population",
                 str(DATA / "population.csv"), "--out", str(tmp_path / "kq"), "--no-progress", stdout=out)
    summary = json.loads(out.getvalue())
    assert sum(summary["counts"].values()) == 34
    assert set(summary["counts"]) == {"MATCHED", "MATCHED_WITH_DIFFERENCES", "MATCHED_BY_OLD_ID",
                                      "MATCHED_PROBABILISTIC", "PROBABLE", "NOT_FOUND"}
    assert summary["dataset_version"].startswith("population.csv")
    assert "exact" in summary["timings"]


def test_bad_input_names_the_file_row_and_column_and_writes_nothing(tmp_path: Path) -> None:
    personnel = tmp_path / "ds.csv"
    personnel.write_text("Mã hồ sơ,Họ và tên,Ngày sinh,Giới tính\nHS1,Lê An,30/02/1990,Nam\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 lỗi; không ghi kết quả nào"):
        call_command("reconcile", "--personnel", str(personnel), "--population", str(DATA / "population.csv"),
                     "--out", str(tmp_path / "kq"), "--no-progress", stderr=err)
    assert "ds.csv, dòng 2, cột “Ngày sinh”: “30/02/1990” không đọc được ngày sinh" in err.getvalue()
    assert not (tmp_path / "kq").exists()


def test_a_missing_population_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không thấy tệp dân cư"):
        call_command("reconcile", "--population", str(tmp_path / "none.parquet"), "--out", str(tmp_path / "kq"))


def test_the_extract_of_an_empty_register_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="chưa có hồ sơ nào"):
        call_command("reconcile", "--population", str(DATA / "population.csv"), "--out", str(tmp_path / "kq"))
    assert not (tmp_path / "kq").exists()
