"""The KPI calculators as a person or a program uses them: ``congvu kpi score|classify`` and
``POST /api/v1/kpi/score|classify`` (same input, output and errors), plus the JSON Schemas in docs/."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from congvu.access.tokens import create_token
from congvu.evaluation.calculator import SCHEMAS, schema_text
from tests.factories import World, build_world

ROOT = Path(__file__).resolve().parents[2]
CONGVU = Path(sys.executable).parent / "congvu"

SCORE_INPUT: dict[str, Any] = {
    "period": "2026-03",
    "people": [
        {"id": "A1", "role": "staff", "general_points": 27,
         "tasks": [{"type": "Báo cáo", "quantity": 4, "coefficient": 1.5, "completed": 4, "errors": 1,
                    "delays": 0, "objective_cause": False}]},
        {"id": "L1", "role": "leader", "general_points": 28, "tasks": [{"quantity": 10, "coefficient": 1,
                                                                       "completed": 10}],
         "unit_result": 50, "organising": 90, "unity": 100},
        {"id": "N1", "role": "staff", "general_points": 25, "tasks": []},
    ],
}
SCORE_RESULTS = [
    {"id": "A1", "role": "staff", "quantity_pct": 100.0, "quality_pct": 93.75, "timeliness_pct": 100.0,
     "task_points": 68.54, "general_points": 27.0, "total": 95.54, "no_work_reason": None},
    {"id": "L1", "role": "leader", "quantity_pct": 100.0, "quality_pct": 100.0, "timeliness_pct": 100.0,
     "task_points": 63.0, "general_points": 28.0, "total": 91.0, "no_work_reason": None},
    {"id": "N1", "role": "staff", "quantity_pct": None, "quality_pct": None, "timeliness_pct": None,
     "task_points": None, "general_points": 25.0, "total": None,
     "no_work_reason": "Không có công việc được giao trong kỳ"},
]

CLASSIFY_INPUT: dict[str, Any] = {
    "year": 2026,
    "excellent_ratio": 0.2,
    "people": [
        {"id": "T1", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff", "period_totals": [95, None]},
        {"id": "T2", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff", "period_totals": [93]},
        {"id": "T3", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff", "period_totals": [92, 94]},
        {"id": "K1", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "leader", "period_totals": [99],
         "unit_corruption": True},
        {"id": "D1", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff", "period_totals": [85],
         "discipline": "reprimand"},
        *({"id": f"G{i}", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff",
           "period_totals": [80, 80.5]} for i in range(10)),
    ],
}


def run_cli(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("kpi", *args, stdout=out, stderr=err, stdin=io.StringIO(stdin) if stdin is not None else None)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---- CLI ------------------------------------------------------------------------------------------------------


def test_kpi_score_prints_the_period_scores_as_json(tmp_path: Path) -> None:
    out, _ = run_cli("score", str(write(tmp_path, SCORE_INPUT)))
    assert json.loads(out) == {"rule_set": "nd335_2025.v1", "period": "2026-03", "results": SCORE_RESULTS}


def test_kpi_classify_reads_stdin_and_applies_overrides_and_the_quota() -> None:
    out, _ = run_cli("classify", "-", stdin=json.dumps(CLASSIFY_INPUT, ensure_ascii=False))
    result = json.loads(out)
    by_id = {r["id"]: r for r in result["results"]}
    # after the overrides E = 3 (95, 93, 93), G = 10 → k = ⌊0.2·13/1.2⌋ = 2; 93 and 93 tie for the 2nd seat
    assert by_id["T1"] == {
        "id": "T1", "unit": "Phòng Nội vụ", "group": "chuyên môn", "role": "staff", "annual_score": 95.0,
        "level_by_score": "EXCELLENT", "override": None, "override_reason": None, "level": "EXCELLENT",
        "quota_demoted": False, "quota_tie": False, "tie_seats": 0}
    for tied in ("T2", "T3"):
        assert (by_id[tied]["level"], by_id[tied]["quota_tie"], by_id[tied]["tie_seats"]) == ("GOOD", True, 1)
    assert (by_id["K1"]["level"], by_id["K1"]["override"]) == ("NOT_COMPLETED", "unit_corruption")
    assert (by_id["D1"]["level"], by_id["D1"]["override"]) == ("NOT_COMPLETED", "discipline")
    assert by_id["G0"]["annual_score"] == 80.25
    assert result["groups"] == [{"unit": "Phòng Nội vụ", "group": "chuyên môn", "excellent": 1, "good": 12,
                                 "completed": 0, "not_completed": 2, "unclassified": 0, "tied": 2, "tie_seats": 1}]


def test_explain_adds_the_steps_with_formulas_and_articles(tmp_path: Path) -> None:
    out, _ = run_cli("score", str(write(tmp_path, {**SCORE_INPUT, "explain": True})))
    steps = json.loads(out)["results"][0]["steps"]
    task = next(s for s in steps if s["key"] == "task_points")
    assert task["formula"] == "70 × (100 + 93.75 + 100) / 300 = 68.541666…"
    assert task["value"] == "68.54"
    assert "Nghị định 335/2025" in task["article"]


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (lambda d: d["people"][1].pop("general_points"), 'people[1] (id "L1").general_points', "bắt buộc"),
        (lambda d: d["people"][0]["tasks"][0].update(quantity=-1), 'people[0] (id "A1").tasks[0].quantity',
         "phải ≥ 0"),
        (lambda d: d["people"][2].update(general_points=31), 'people[2] (id "N1").general_points', "phải ≤ 30"),
        (lambda d: d["people"][1].update(organising=100.5), 'people[1] (id "L1").organising', "phải ≤ 100"),
        (lambda d: d["people"][0].update(role="boss"), 'people[0] (id "A1").role', "staff"),
        (lambda d: d["people"][1].pop("unity"), 'people[1] (id "L1").unity', "bắt buộc với lãnh đạo"),
        (lambda d: d["people"][2].update(id="A1"), 'people[2] (id "A1").id', "trùng"),
        (lambda d: d.update(period="2025-12"), "period", "01/12/2025"),
    ],
)
def test_invalid_input_names_the_person_and_field_exits_2_and_prints_nothing(
    tmp_path: Path, change: Any, loc: str, message: str
) -> None:
    data = json.loads(json.dumps(SCORE_INPUT))
    change(data)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("kpi", "score", str(write(tmp_path, data)), stdout=out)
    assert raised.value.returncode == 2
    assert f"{loc}: " in str(raised.value)
    assert message in str(raised.value)
    assert out.getvalue() == ""


def test_one_bad_person_means_no_result_for_anyone(tmp_path: Path) -> None:
    data = json.loads(json.dumps(CLASSIFY_INPUT))
    data["people"][7]["period_totals"] = [80, 100.01]
    out = io.StringIO()
    with pytest.raises(CommandError, match=r'people\[7\] \(id "G2"\)\.period_totals\[1\]: phải ≤ 100'):
        call_command("kpi", "classify", str(write(tmp_path, data)), stdout=out)
    assert out.getvalue() == ""


def test_invalid_json_is_reported_with_its_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"in\.json: JSON không hợp lệ ở dòng 2, cột 1"):
        run_cli("score", str(write(tmp_path, '{"period":\n')))


def test_the_installed_congvu_command_writes_json_or_errors_with_exit_code_2(tmp_path: Path) -> None:
    ok = subprocess.run([str(CONGVU), "kpi", "score", str(write(tmp_path, SCORE_INPUT))],
                        capture_output=True, text=True, check=False, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["results"] == SCORE_RESULTS
    bad = subprocess.run([str(CONGVU), "kpi", "classify", "-"], input='{"year": 2026, "people": [{"id": "X"}]}',
                         capture_output=True, text=True, check=False, cwd=ROOT)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert 'people[0] (id "X").unit: bắt buộc phải có' in bad.stderr
    assert 'people[0] (id "X").period_totals: bắt buộc phải có' in bad.stderr


# ---- API ------------------------------------------------------------------------------------------------------


@pytest.fixture
def world(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def post(client: Client, path: str, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/api/v1{path}", data=data, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_the_api_scores_for_a_logged_in_user_exactly_like_the_cli(world: World, tmp_path: Path) -> None:
    client = Client()
    client.force_login(world.users["staff"])
    body = {**SCORE_INPUT, "explain": True}
    response = post(client, "/kpi/score", body)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    cli, _ = run_cli("score", str(write(tmp_path, body)))
    assert response.json() == json.loads(cli)


@pytest.mark.django_db
def test_the_api_classifies_with_a_bearer_token_exactly_like_the_cli(world: World) -> None:
    token = create_token(None, world.users["manager"]).token
    response = post(Client(), "/kpi/classify", CLASSIFY_INPUT, Authorization=f"Bearer {token}")
    assert response.status_code == 200, response.content
    cli, _ = run_cli("classify", "-", stdin=json.dumps(CLASSIFY_INPUT))
    assert response.json() == json.loads(cli)
    assert "steps" not in response.json()["results"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/kpi/score", "/kpi/classify"])
def test_the_calculators_need_a_caller(world: World, path: str) -> None:
    assert post(Client(), path, SCORE_INPUT).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "change", "loc", "message_en"),
    [
        ("/kpi/score", lambda d: d["people"][0].pop("tasks"), 'people[0] (id "A1").tasks', "required"),
        ("/kpi/score", lambda d: d["people"][0]["tasks"][0].update(quantity=-2),
         'people[0] (id "A1").tasks[0].quantity', "must be ≥ 0"),
        ("/kpi/score", lambda d: d["people"][1].update(unit_result=101), 'people[1] (id "L1").unit_result',
         "must be ≤ 100"),
        ("/kpi/score", lambda d: d["people"][2].update(role="manager"), 'people[2] (id "N1").role',
         "must be one of: 'staff' or 'leader'"),
        ("/kpi/classify", lambda d: d["people"][3].update(role="chief"), 'people[3] (id "K1").role',
         "must be one of"),
        ("/kpi/classify", lambda d: d["people"][0].update(period_totals=[-1]),
         'people[0] (id "T1").period_totals[0]', "must be ≥ 0"),
        ("/kpi/classify", lambda d: d["people"][4].update(discipline="scolding"), 'people[4] (id "D1").discipline',
         "must be one of"),
        ("/kpi/classify", lambda d: d.update(excellent_ratio=0.3), "excellent_ratio", "must be ≤ 0.25"),
        ("/kpi/classify", lambda d: d["people"][0].update(bonus=1), 'people[0] (id "T1").bonus', "unknown field"),
    ],
)
def test_the_api_answers_422_with_the_error_list_naming_person_and_field(
    world: World, path: str, change: Any, loc: str, message_en: str
) -> None:
    data = json.loads(json.dumps(SCORE_INPUT if path == "/kpi/score" else CLASSIFY_INPUT))
    change(data)
    client = Client()
    client.force_login(world.users["staff"])
    response = post(client, path, data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [loc]
    assert message_en in errors[0]["message_en"]
    assert errors[0]["message"]


@pytest.mark.django_db
def test_the_api_reports_a_body_that_is_not_json(world: World) -> None:
    client = Client()
    client.force_login(world.users["staff"])
    response = post(client, "/kpi/score", "{not json")
    assert response.status_code == 422
    assert "JSON" in response.json()["errors"][0]["message"]


@pytest.mark.django_db
def test_the_openapi_document_describes_the_calculators_request_and_answers(world: World) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    score = doc["paths"]["/api/v1/kpi/score"]["post"]
    body = score["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["people"]["items"]["properties"]["role"]["enum"] == ["staff", "leader"]
    assert "$ref" not in json.dumps(body)
    assert set(score["responses"]) >= {"200", "401", "422"}
    assert "/api/v1/kpi/classify" in doc["paths"]


# ---- schemas ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_json_schema_in_docs_matches_the_input_models(name: str) -> None:
    path = ROOT / "docs" / "schemas" / name
    assert path.read_text(encoding="utf-8") == schema_text(name), (
        f"{path} is out of date: run `.venv/bin/python -m congvu.evaluation.calculator docs/schemas`")
