"""The streamlining calculator as a person or a program uses it: ``congvu streamlining estimate`` and
``POST /api/v1/streamlining/estimate`` (same input, output and errors), plus the JSON Schemas in docs/."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from congvu.access.tokens import create_token
from congvu.cli import main
from congvu.consequences.calculator import SCHEMAS, schema_text
from tests.factories import World, build_world

ROOT = Path(__file__).resolve().parents[2]
CONGVU = Path(sys.executable).parent / "congvu"

PERSON_1814: dict[str, Any] = {
    "id": "BNV-1814", "birth_date": "1966-12-15", "sex": "M", "salary_coefficient": 4.65,
    "position_allowance": 0.6, "seniority_pct": 0, "percent_allowances": 25, "insured_months": 264,
    "reduced_retirement_age": False, "rating_previous_year": "NOT_COMPLETED", "rating_current_year": None,
    "sick_days_previous_year": 0, "sick_days_current_year": 0, "redundant_by_restructuring": False,
    "below_training_standard": False, "pregnant_or_child_under_36_months": False,
    "under_discipline_or_investigation": False, "volunteer": False,
}
INPUT: dict[str, Any] = {
    "as_of": "2026-07-01",
    "base_salary": 2340000,
    "people": [
        PERSON_1814,
        {"id": "Nữ-2", "birth_date": "1975-05-20", "sex": "F", "salary_coefficient": "3.33",
         "percent_allowances": 25, "insured_months": 150, "redundant_by_restructuring": True},
        {"id": "C3", "birth_date": "1970-01-01", "sex": "F", "salary_coefficient": 2.34, "insured_months": 200,
         "pregnant_or_child_under_36_months": True, "redundant_by_restructuring": True},
    ],
}
RESULT_1814 = {
    "id": "BNV-1814", "eligible": True, "cases": ["g"], "excluded": None, "excluded_label": None,
    "retirement_date": "2029-01-01", "months_to_retirement": 30, "path": "early_retirement",
    "path_reason": "24_to_60_months_insured_15_years",
    "path_reason_label": "Còn từ 24 đến 60 tháng đến tuổi nghỉ hưu và có từ 15 năm đóng BHXH",
    "monthly_salary": 15356250, "benefit_months": 18.5, "benefit_vnd": 284090625,
}


def run_cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """``congvu streamlining …`` through the console script's ``main``: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin or ""), out, err
    try:
        main(["streamlining", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def copy() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(INPUT))
    return result


# ---- CLI ------------------------------------------------------------------------------------------------------


def test_streamlining_estimate_prints_each_person_and_the_totals(tmp_path: Path) -> None:
    code, out, err = run_cli("estimate", str(write(tmp_path, INPUT)))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert (result["rule_set"], result["as_of"], result["base_salary"]) == ("nd154_2025.v1", "2026-07-01", 2340000)
    first = result["results"][0]
    assert {k: v for k, v in first.items() if k != "breakdown"} == RESULT_1814
    benefit = next(s for s in first["breakdown"] if s["key"] == "benefit_months")
    assert benefit == {"key": "benefit_months", "label_vi": "Số tháng trợ cấp", "label_en": "Benefit months",
                       "formula": "5 × 2.5 + 5 + 0.5 × (22 − 20) = 18.5", "value": "18.5",
                       "article": benefit["article"]}
    assert "154/2025" in benefit["article"]
    woman = result["results"][1]  # 60 years from 05/1975: retires 01/06/2035, 107 months; 12.5 insured years
    assert (woman["id"], woman["retirement_date"], woman["months_to_retirement"]) == ("Nữ-2", "2035-06-01", 107)
    assert (woman["path"], woman["path_reason"], woman["benefit_months"]) == (
        "quit", "over_60_months_to_retirement", 21.75)
    assert (woman["monthly_salary"], woman["benefit_vnd"]) == (9740250, 211850438)
    excluded = result["results"][2]
    assert (excluded["eligible"], excluded["excluded"], excluded["path"], excluded["benefit_vnd"]) == (
        False, "pregnant_or_child_under_36_months", None, 0)
    assert excluded["excluded_label"].startswith("Đang mang thai")
    assert result["totals"] == {"people": 3, "eligible": 2, "benefit_vnd": 284090625 + 211850438}


def test_streamlining_estimate_reads_stdin_on_one_line() -> None:
    code, out, _ = run_cli("estimate", "-", "--indent", "0", stdin=json.dumps(INPUT))
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out)["totals"]["people"] == 3


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (lambda d: d["people"][1].update(sex="X"), 'people[1] (id "Nữ-2").sex', "phải là một trong: 'M' hoặc 'F'"),
        (lambda d: d["people"][0].update(birth_date="15/12/1966"), 'people[0] (id "BNV-1814").birth_date',
         "YYYY-MM-DD"),
        (lambda d: d["people"][0].update(salary_coefficient=-1), 'people[0] (id "BNV-1814").salary_coefficient',
         "phải ≥ 0"),
        (lambda d: d["people"][2].update(insured_months=12.5), 'people[2] (id "C3").insured_months',
         "phải là số nguyên"),
        (lambda d: d["people"][0].update(rating_current_year="BAD"),
         'people[0] (id "BNV-1814").rating_current_year', "NOT_COMPLETED"),
        (lambda d: d["people"][2].update(id="BNV-1814"), 'people[2] (id "BNV-1814").id', "trùng"),
        (lambda d: d["people"][1].update(bonus=1), 'people[1] (id "Nữ-2").bonus', "trường không được hỗ trợ"),
        (lambda d: d["people"][1].update(birth_date="2027-01-01"), 'people[1] (id "Nữ-2").birth_date',
         "phải trước ngày tính as_of (01/07/2026)"),
        (lambda d: d.update(as_of="2026-02-30"), "as_of", "YYYY-MM-DD"),
        (lambda d: d.update(base_salary=0), "base_salary", "phải > 0"),
        (lambda d: d["people"][0].pop("sex"), 'people[0] (id "BNV-1814").sex', "bắt buộc"),
    ],
)
def test_invalid_input_names_the_person_and_field_exits_2_and_prints_nothing(
    tmp_path: Path, change: Any, loc: str, message: str
) -> None:
    data = copy()
    change(data)
    code, out, err = run_cli("estimate", str(write(tmp_path, data)))
    assert (code, out) == (2, "")
    assert err.startswith("Dữ liệu vào không hợp lệ (1 lỗi), chưa tính gì:")
    assert f"  {loc}: " in err
    assert message in err


def test_invalid_json_and_a_missing_file_exit_2(tmp_path: Path) -> None:
    code, out, err = run_cli("estimate", str(write(tmp_path, '{"as_of":\n')))
    assert (code, out) == (2, "")
    assert "in.json: JSON không hợp lệ ở dòng 2, cột 1" in err
    code, out, err = run_cli("estimate", str(tmp_path / "missing.json"))
    assert (code, out) == (2, "")
    assert "Không đọc được tệp" in err


def test_the_installed_congvu_command_writes_json_or_errors_with_exit_code_2(tmp_path: Path) -> None:
    ok = subprocess.run([str(CONGVU), "streamlining", "estimate", str(write(tmp_path, INPUT))],
                        capture_output=True, text=True, check=False, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["results"][0]["benefit_vnd"] == 284090625
    bad = subprocess.run([str(CONGVU), "streamlining", "estimate", "-"], capture_output=True, text=True,
                         check=False, cwd=ROOT,
                         input='{"as_of": "2026-07-01", "base_salary": 2340000, "people": [{"id": "X"}]}')
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert 'people[0] (id "X").birth_date: bắt buộc phải có' in bad.stderr
    assert 'people[0] (id "X").sex: bắt buộc phải có' in bad.stderr


# ---- API ------------------------------------------------------------------------------------------------------


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def post(client: Client, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/streamlining/estimate", data=data, content_type="application/json",
                       headers=headers)


@pytest.mark.django_db
def test_the_api_estimates_for_a_logged_in_user_exactly_like_the_cli(world: World, tmp_path: Path) -> None:
    client = Client()
    client.force_login(world.users["hr"])
    response = post(client, INPUT)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    _, cli, _ = run_cli("estimate", str(write(tmp_path, INPUT)))
    assert response.json() == json.loads(cli)


@pytest.mark.django_db
def test_the_api_estimates_with_a_bearer_token(world: World) -> None:
    token = create_token(None, world.users["staff"]).token
    response = post(Client(), INPUT, Authorization=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response.json()["totals"]["eligible"] == 2


@pytest.mark.django_db
def test_the_calculator_needs_a_caller(world: World) -> None:
    assert post(Client(), INPUT).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "loc", "message_en"),
    [
        (lambda d: d["people"][1].update(sex="female"), 'people[1] (id "Nữ-2").sex', "must be one of: 'M' or 'F'"),
        (lambda d: d["people"][0].update(sick_days_current_year=-3),
         'people[0] (id "BNV-1814").sick_days_current_year', "must be ≥ 0"),
        (lambda d: d["people"][2].update(id="Nữ-2"), 'people[2] (id "Nữ-2").id', "duplicate id"),
        (lambda d: d["people"][0].update(volunteer="yes"), 'people[0] (id "BNV-1814").volunteer',
         "must be true or false"),
        (lambda d: d.update(as_of=20260701), "as_of", "must be a date YYYY-MM-DD"),
    ],
)
def test_the_api_answers_422_with_the_same_errors_as_the_cli(
    world: World, tmp_path: Path, change: Any, loc: str, message_en: str
) -> None:
    data = copy()
    change(data)
    client = Client()
    client.force_login(world.users["staff"])
    response = post(client, data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [loc]
    assert message_en in errors[0]["message_en"]
    code, out, err = run_cli("estimate", str(write(tmp_path, data)))
    assert (code, out) == (2, "")
    assert f"  {loc}: {errors[0]['message']}" in err


@pytest.mark.django_db
def test_the_openapi_document_describes_the_calculator(world: World) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/streamlining/estimate"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["people"]["items"]["properties"]["sex"]["enum"] == ["M", "F"]
    assert "$ref" not in json.dumps(body)
    assert set(operation["responses"]) >= {"200", "401", "422"}


# ---- schemas ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_json_schema_in_docs_matches_the_models(name: str) -> None:
    path = ROOT / "docs" / "schemas" / name
    assert path.read_text(encoding="utf-8") == schema_text(name), (
        f"{path} is out of date: run `.venv/bin/python -m congvu.consequences.calculator docs/schemas`")
