"""Runs with the real engine (congvu.matching, DuckDB + Splink): a hand-made population file, a file the engine
refuses, the command, and the demo's extract, which leaves open records of every status that HR can clean."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from congvu.access.access import scope_for
from congvu.access.policy import Right
from congvu.core.models import JobRun
from congvu.core.scope import Scope
from congvu.demo.generate import BuildOptions, build_demo
from congvu.demo.population import reconcile_demo
from congvu.personnel.models import Person
from congvu.personnel.services import ServiceError
from congvu.reconciliation import queries, services
from congvu.reconciliation.models import QueueState, ReconciliationRun, Status
from tests.factories import build_world

pytestmark = pytest.mark.django_db
HEADER = ("SoDinhDanh", "SoCMND", "Ho", "ChuDem", "Ten", "NgayThangNamSinh", "GioiTinh", "QueQuan")


def population_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def row_of(person: Person, **changes: str) -> tuple[str, ...]:
    values = {"SoDinhDanh": person.personal_id, "SoCMND": person.old_id, "Ho": person.family_name,
              "ChuDem": person.middle_name, "Ten": person.given_name,
              "NgayThangNamSinh": person.birth_date.isoformat() if person.birth_date else str(person.birth_year),
              "GioiTinh": "Nam" if person.sex == "M" else "Nữ", "QueQuan": ""}
    values.update(changes)
    return tuple(values[h] for h in HEADER)


def test_hr_runs_the_engine_over_its_subtree_and_the_queue_holds_what_differs(tmp_path: Path) -> None:
    world = build_world()
    path = population_csv(tmp_path / "dan-cu.csv", [
        row_of(world.ha, Ten="Hạ"),
        row_of(world.binh),
        row_of(world.outsider),
    ])
    hr = world.users["hr"]
    run = services.run_reconciliation(hr, path, scope_for(hr, Right.RECONCILE))
    assert (run.scope_unit, run.personnel_rows, run.population_file, run.started_by) == (world.so_noi_vu, 2,
                                                                                       "dan-cu.csv", hr)
    assert run.population_rows == 3
    assert run.summary["counts"]["MATCHED"] == 1
    record = run.records.get()
    assert (record.person, record.status, record.differences) == (world.ha, Status.MATCHED_WITH_DIFFERENCES,
                                                                   "full_name:diacritics")
    assert record.pop_full_name == "Nguyễn Thị Thu Hạ"
    job = JobRun.objects.get(job="reconciliation")
    assert (job.status, job.summary["run"], job.summary["queued"]) == (JobRun.Status.DONE, run.pk, 1)
    services.accept_correction(hr, scope_for(hr, Right.RECONCILE), record.pk, reason="Đã đối chiếu")
    assert Person.objects.get(pk=world.ha.pk).given_name == "Hạ"
    assert queries.rate_of(run, queries.read_scope(hr), world.so_noi_vu.path).percent == 100


def test_a_population_file_the_engine_cannot_use_is_refused_with_its_name_and_nothing_is_loaded(tmp_path: Path) -> None:
    world = build_world()
    path = tmp_path / "thieu-cot.csv"
    path.write_text("Ho,Ten\nNguyễn,Hà\n", encoding="utf-8")
    with pytest.raises(ServiceError) as refused:
        services.run_reconciliation(None, path, Scope(paths=(), everything=True))
    message = " ".join(refused.value.errors["population"])
    assert "thieu-cot.csv" in message
    assert "SoDinhDanh" in message
    assert not ReconciliationRun.objects.exists()
    job = JobRun.objects.get(job="reconciliation")
    assert job.status == JobRun.Status.FAILED
    assert "thieu-cot.csv" in job.summary["error"]
    assert world.ha.pk  # the register is untouched


def test_the_command_reconciles_a_unit_and_prints_a_summary(tmp_path: Path) -> None:
    world = build_world()
    path = population_csv(tmp_path / "dan-cu.csv", [row_of(world.ha), row_of(world.binh, Ten="Binh")])
    out = StringIO()
    call_command("reconcile_register", population=path, unit=world.so_noi_vu.pk, json=True, stdout=out)
    result = json.loads(out.getvalue())
    assert (result["checked"], result["matched"], result["queued"], result["match_rate"]) == (2, 1, 1, 50.0)
    out = StringIO()
    call_command("reconcile_register", population=path, stdout=out)
    assert "3 hồ sơ, khớp ngay 1 (33,3 %); 2 hồ sơ vào hàng đợi" in out.getvalue()
    with pytest.raises(CommandError, match="không có quyền đối soát"):
        call_command("reconcile_register", population=path, username="nhanvien")


def test_the_demo_extract_leaves_open_records_of_every_status_and_hr_can_clean_them(tmp_path: Path) -> None:
    build_demo(BuildOptions(people=2000, seed=5, evaluation=False))
    extract, run = reconcile_demo(5, data_dir=tmp_path)
    assert run.dataset_version == "Dữ liệu dân cư minh họa, hạt giống 5"
    assert run.population_rows == extract.rows
    counts = dict(run.records.values_list("status").annotate(n=Count("id")))
    assert set(counts) == set(Status.values) - {Status.MATCHED}
    problems = set(run.records.exclude(id_problem="").values_list("id_problem", flat=True))
    assert {"belongs_to_other_person", "not_in_population"} <= problems
    everything = Scope(paths=(), everything=True)
    before = queries.rate_of(run, everything, "")
    for status in (Status.MATCHED_WITH_DIFFERENCES, Status.MATCHED_BY_OLD_ID, Status.MATCHED_PROBABILISTIC,
                   Status.PROBABLE):
        record = run.records.filter(status=status).order_by("pk").first()
        assert record is not None
        services.accept_correction(None, everything, record.pk, reason=f"Kiểm tra {status}")
        person = Person.objects.get(pk=record.person_id)
        assert person.personal_id == (record.matched_personal_id or record.personal_id)
        assert services.proposed_correction(record, person).values == {}
    after = queries.rate_of(run, everything, "")
    assert (after.accepted, after.clean) == (4, before.clean + 4)
    assert run.records.filter(state=QueueState.ACCEPTED).count() == 4
