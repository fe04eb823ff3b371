"""The whole pipeline on small hand-made files (tests/data/reconcile): every status, every difference kind.

``population.csv`` holds 40 citizens (QCVN 109 headers); ``personnel.csv`` 34 register records (Vietnamese
headers), each made to show one case. The prior share is kept fixed (``prior_iterations=0``): on a file
this small its estimate would swing with every record.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from congvu.matching.config import MatchConfig
from congvu.matching.pipeline import reconcile
from congvu.matching.readers import InputError
from congvu.matching.results import RESULT_COLUMNS

DATA = Path(__file__).resolve().parents[2] / "data" / "reconcile"
CONFIG = MatchConfig(prior_iterations=0, threads=1, memory_limit="1GB")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, Any]], Any, Path]:
    out = tmp_path_factory.mktemp("reconcile") / "out"
    summary = reconcile(DATA / "personnel.csv", DATA / "population.csv", out, config=CONFIG)
    rows = {r["record_id"]: r for r in pq.read_table(out / "results.parquet").to_pylist()}
    return rows, summary, out


def result(run: tuple[dict[str, dict[str, Any]], Any, Path], record_id: str) -> dict[str, Any]:
    return run[0][record_id]


@pytest.mark.parametrize(
    ("record_id", "status", "differences"),
    [
        ("HS001", "MATCHED", ""),
        ("HS020", "MATCHED", ""),  # the name typed in NFD
        ("HS021", "MATCHED", ""),  # "Thuỷ" for "Thủy": the other tone placement
        ("HS022", "MATCHED", ""),  # upper case, "NAM"
        ("HS024", "MATCHED", ""),  # an Excel serial day number
        ("HS025", "MATCHED", ""),  # "Ha Noi": the hometown without accents
        ("HS026", "MATCHED", ""),  # the hometown as a pre-2025 code
        ("HS002", "MATCHED_WITH_DIFFERENCES", "full_name:diacritics"),
        ("HS003", "MATCHED_WITH_DIFFERENCES", "full_name:typo"),
        ("HS009", "MATCHED_WITH_DIFFERENCES", "full_name:middle_name"),
        ("HS004", "MATCHED_WITH_DIFFERENCES", "birth_date:day_month_swapped"),
        ("HS005", "MATCHED_WITH_DIFFERENCES", "birth_date:year_only"),
        ("HS023", "MATCHED_WITH_DIFFERENCES", "birth_date:missing"),
        ("HS006", "MATCHED_WITH_DIFFERENCES", "sex:different"),
        ("HS007", "MATCHED_WITH_DIFFERENCES", "hometown:different"),
        ("HS008", "MATCHED_WITH_DIFFERENCES", "personal_id:format"),
        ("HS010", "MATCHED_BY_OLD_ID", "personal_id:missing"),
        ("HS011", "MATCHED_PROBABILISTIC", "personal_id:typo"),
        ("HS018", "MATCHED_PROBABILISTIC", "personal_id:typo"),
        ("HS014", "MATCHED_PROBABILISTIC", "personal_id:different"),  # somebody else's ID
        ("HS012", "PROBABLE", "personal_id:missing"),
        ("HS013", "NOT_FOUND", ""),
        ("HS019", "NOT_FOUND", ""),
    ],
)
def test_each_record_gets_the_status_and_differences_its_case_calls_for(run: Any, record_id: str, status: str,
                                                                         differences: str) -> None:
    row = result(run, record_id)
    assert (row["status"], row["differences"]) == (status, differences)


def test_a_match_names_the_population_record_and_shows_its_evidence(run: Any) -> None:
    row = result(run, "HS004")
    assert row["matched_personal_id"] == "036188000104"
    assert (row["pop_full_name"], row["pop_birth_date"], row["pop_sex"]) == ("Phạm Thu Hằng", "1988-11-03", "F")
    assert row["probability"] is None
    assert row["reason"] == "Khớp số định danh cá nhân, đúng người; khác: ngày sinh đảo ngày và tháng."
    assert result(run, "HS005")["pop_birth_date"] == "1975-06-30"


def test_an_old_id_match_proposes_the_right_personal_id(run: Any) -> None:
    row = result(run, "HS010")
    assert (row["matched_personal_id"], row["pop_old_id"], row["id_problem"]) == ("001070000110", "012345678",
                                                                                   "missing")
    assert row["reason"].startswith("Khớp qua số CMND cũ 012345678; số định danh cá nhân đúng là 001070000110")


def test_a_probabilistic_match_proposes_the_right_id_with_its_probability(run: Any) -> None:
    row = result(run, "HS011")
    assert row["matched_personal_id"] == "001187000111"
    assert row["probability"] > CONFIG.auto_accept
    assert row["id_problem"] == "not_in_population"
    assert "đề xuất số định danh 001187000111" in row["reason"]


def test_two_namesakes_born_the_same_day_go_to_review_with_both_counted(run: Any) -> None:
    row = result(run, "HS012")
    assert row["matched_personal_id"] in ("001180000112", "038180000113")
    assert 0.3 < row["probability"] < 0.6
    assert "có 2 người gần giống" in row["reason"]


def test_id_problems_name_what_is_wrong_with_the_register_id(run: Any) -> None:
    assert result(run, "HS008")["id_problem"] == "not_12_digits"
    assert result(run, "HS013")["id_problem"] == "missing"
    assert result(run, "HS018")["id_problem"] == "bad_province_prefix;not_in_population"
    assert result(run, "HS019")["id_problem"] == "sex_century_digit;birth_year_digits;not_in_population"
    assert result(run, "HS014")["id_problem"] == "sex_century_digit;birth_year_digits;belongs_to_other_person"
    # confirmed by the population: the ID is right, the register's sex is what is wrong
    assert result(run, "HS006")["id_problem"] == ""


def test_an_id_that_belongs_to_someone_else_is_not_a_match(run: Any) -> None:
    row = result(run, "HS014")
    assert row["matched_personal_id"] != "001158000115"  # the ID's owner, Tạ Thị Nga, is somebody else
    assert row["matched_personal_id"] == "001062000114"
    assert "Số định danh là của người khác" in row["reason"]


def test_duplicates_point_at_each_other(run: Any) -> None:
    assert (result(run, "HS016")["duplicate_of"], result(run, "HS017")["duplicate_of"]) == ("HS017", "HS016")
    # one ID on two different people
    assert (result(run, "HS014")["duplicate_of"], result(run, "HS015")["duplicate_of"]) == ("HS015", "HS014")
    assert result(run, "HS001")["duplicate_of"] == ""


def test_the_summary_counts_every_status_and_names_the_dataset(run: Any) -> None:
    rows, summary, out = run
    assert sum(summary.counts.values()) == len(rows) == 34
    assert summary.counts["NOT_FOUND"] == 2
    assert summary.match_rate == pytest.approx(sum(
        summary.counts[s] for s in ("MATCHED", "MATCHED_WITH_DIFFERENCES", "MATCHED_BY_OLD_ID",
                                    "MATCHED_PROBABILISTIC")) / 34, abs=1e-6)
    assert (summary.personnel_rows, summary.population_rows) == (34, 40)
    assert summary.dataset_version.startswith("population.csv (")
    assert summary.id_problems["missing"] == 3
    assert summary.duplicates == 4
    assert {"prepare", "exact", "probabilistic: scoring", "results", "write", "total"} <= set(summary.timings)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["counts"] == summary.counts


def test_the_csv_and_parquet_results_hold_the_same_rows_in_file_order(run: Any) -> None:
    rows, _, out = run
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert tuple(csv_rows[0]) == RESULT_COLUMNS
    assert [r["record_id"] for r in csv_rows] == sorted(rows)  # the file is in HS001 … HS034 order
    assert csv_rows[1]["differences"] == "full_name:diacritics"


def test_bad_input_writes_nothing_to_the_output_directory(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    shutil.copy(DATA / "personnel.csv", bad)
    with bad.open("a", encoding="utf-8") as fh:
        fh.write("HS099,,,Lê Văn Mới,32/01/1990,Nam,Hà Nội,Sở Nội vụ\r\n")
    out = tmp_path / "out"
    with pytest.raises(InputError, match="dòng 36, cột “Ngày sinh”: “32/01/1990”"):
        reconcile(bad, DATA / "population.csv", out, config=CONFIG)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]  # no work or staging directory left behind
