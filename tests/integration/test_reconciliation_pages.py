"""The reconciliation pages: who sees them, the per-unit queue with filters, the record page and its decisions,
the .xlsx list of a unit's open records."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from congvu.core.models import AuditEntry
from congvu.personnel.models import Person
from congvu.reconciliation import queries
from congvu.reconciliation.models import QueueState, ReconciliationRecord, Status
from tests.factories import build_world, person
from tests.integration.reconciliation_support import load_results, queue_world, result

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def setup() -> tuple[Any, Any]:
    world = build_world()
    return world, load_results(list(queue_world(world).values()))


def record_of(run: Any, who: Person) -> ReconciliationRecord:
    return ReconciliationRecord.objects.get(run=run, record_id=str(who.pk))


@pytest.mark.usefixtures("fast_hasher")
def test_hr_sees_the_navigation_link_and_the_runs_with_their_rates() -> None:
    _world, run = setup()
    page = client_for("tccb").get("/doi-soat/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="/doi-soat/" aria-current="page">Đối soát dân cư</a>' in html
    assert f'href="/doi-soat/lan/{run.pk}/"' in html
    assert "dan-cu-thu-nghiem.parquet" in html
    assert 'id="start-run"' in html  # HR may start a run
    assert '<svg class="chart"' in html


@pytest.mark.usefixtures("fast_hasher")
def test_staff_and_managers_get_no_link_and_403() -> None:
    setup()
    for username in ("nhanvien", "truongphong"):
        client = client_for(username)
        assert "Đối soát dân cư" not in client.get("/").content.decode()
        assert client.get("/doi-soat/").status_code == 403


@pytest.mark.usefixtures("fast_hasher")
def test_an_inspector_reads_the_queue_but_cannot_start_runs_or_decide() -> None:
    world, run = setup()
    client = client_for("thanhtra")
    assert 'id="start-run"' not in client.get("/doi-soat/").content.decode()
    record = record_of(run, world.ha)
    page = client.get(f"/doi-soat/ho-so/{record.pk}/")
    assert page.status_code == 200
    assert 'id="decide"' not in page.content.decode()
    assert client.post(f"/doi-soat/ho-so/{record.pk}/", {"hanh_dong": "chap_nhan", "ly_do": "x"}).status_code == 403
    assert client.post("/doi-soat/", {"don_vi": world.so_noi_vu.pk, "nguon": "x"}).status_code == 403


@pytest.mark.usefixtures("fast_hasher")
def test_the_unit_queue_lists_the_subtree_records_filters_by_status_and_hides_other_provinces() -> None:
    world, run = setup()
    client = client_for("tccb")
    url = f"/doi-soat/lan/{run.pk}/don-vi/{world.so_noi_vu.pk}/"
    html = client.get(url).content.decode()
    assert "Nguyễn Thị Thu Hà" in html
    assert "Trần Văn Bình" in html
    assert "Lê Minh Châu" not in html
    assert "Họ và tên: khác dấu" in html
    assert "là số của người khác trong CSDL dân cư" in html
    assert 'id="unit-rate">0,0 %' in html
    filtered = client.get(url, {"ket_qua": "PROBABLE"}, headers={"HX-Request": "true"}).content.decode()
    assert "Trần Văn Bình" in filtered
    assert "Nguyễn Thị Thu Hà" not in filtered
    assert "<html" not in filtered  # htmx gets only the results
    assert client.get(f"/doi-soat/lan/{run.pk}/don-vi/{world.hue.pk}/").status_code == 404


@pytest.mark.usefixtures("fast_hasher")
def test_the_record_page_shows_register_and_population_side_by_side_with_the_differences_marked() -> None:
    world, run = setup()
    html = client_for("tccb").get(f"/doi-soat/ho-so/{record_of(run, world.ha).pk}/").content.decode()
    assert '<td data-label="CSDL cán bộ (hiện nay)" class="differs">Nguyễn Thị Thu Hà</td>' in html
    assert "Nguyễn Thị Thu Hạ" in html
    assert '<span class="kind">khác dấu</span>' in html
    assert 'value="chap_nhan"' in html
    assert "15/03/1985" in html


@pytest.mark.usefixtures("fast_hasher")
def test_accepting_on_the_record_page_corrects_the_person_and_raises_the_unit_rate() -> None:
    world, run = setup()
    client = client_for("tccb")
    record = record_of(run, world.ha)
    queue_url = f"/doi-soat/lan/{run.pk}/don-vi/{world.phong_ccvc.pk}/"
    response = client.post(f"/doi-soat/ho-so/{record.pk}/",
                           {"hanh_dong": "chap_nhan", "ly_do": "Đã đối chiếu căn cước", "tiep": queue_url})
    assert response.status_code == 302
    assert response["Location"] == queue_url
    assert Person.objects.get(pk=world.ha.pk).given_name == "Hạ"
    assert AuditEntry.objects.filter(subject_person_id=world.ha.pk, action="update").exists()
    html = client.get(queue_url).content.decode()
    assert "Đã sửa hồ sơ Nguyễn Thị Thu Hạ theo CSDL dân cư." in html
    assert 'id="unit-rate">100,0 %' in html


@pytest.mark.usefixtures("fast_hasher")
def test_a_decision_without_a_reason_is_refused_inline() -> None:
    world, run = setup()
    record = record_of(run, world.binh)
    response = client_for("tccb").post(f"/doi-soat/ho-so/{record.pk}/", {"hanh_dong": "khong_chap_nhan", "ly_do": ""})
    assert response.status_code == 400
    assert "Ghi lý do không chấp nhận đề xuất." in response.content.decode()
    assert ReconciliationRecord.objects.get(pk=record.pk).state == QueueState.OPEN


@pytest.mark.usefixtures("fast_hasher")
def test_a_record_outside_the_subtree_answers_404() -> None:
    world, run = setup()
    assert client_for("tccb").get(f"/doi-soat/ho-so/{record_of(run, world.outsider).pk}/").status_code == 404


@pytest.mark.usefixtures("fast_hasher")
def test_the_unit_downloads_its_open_records_as_xlsx_with_vietnamese_headers() -> None:
    world, run = setup()
    client = client_for("tccb")
    record = record_of(run, world.binh)
    client.post(f"/doi-soat/ho-so/{record.pk}/", {"hanh_dong": "chuyen_don_vi", "ly_do": "Kiểm tra căn cước"})
    response = client.get(f"/doi-soat/lan/{run.pk}/don-vi/{world.so_noi_vu.pk}/excel/")
    assert response.status_code == 200
    assert f'filename="doi-soat-{run.pk}-so-noi-vu.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert "SỞ NỘI VỤ" in sheet["A1"].value
    assert sheet["C5"].value == "Họ và tên (CSDL cán bộ)"
    rows = {sheet.cell(row=r, column=3).value: r for r in range(6, sheet.max_row + 1)}
    assert set(rows) == {"Nguyễn Thị Thu Hà", "Trần Văn Bình"}
    binh = rows["Trần Văn Bình"]
    assert sheet.cell(row=binh, column=16).value == "Đã chuyển đơn vị xử lý"
    assert sheet.cell(row=binh, column=17).value == "Kiểm tra căn cước"
    assert sheet.cell(row=binh, column=15).number_format == "0.0%"
    assert sheet.cell(row=binh, column=13).number_format == "DD/MM/YYYY"


@pytest.mark.usefixtures("fast_hasher")
def test_the_run_page_counts_each_status_and_links_the_units() -> None:
    world, run = setup()
    html = client_for("tccb").get(f"/doi-soat/lan/{run.pk}/").content.decode()
    assert "Khớp số định danh, khác thông tin" in html
    assert f'href="/doi-soat/lan/{run.pk}/don-vi/{world.so_noi_vu.pk}/"' in html
    assert "Sở Tài chính" not in html


@pytest.mark.usefixtures("fast_hasher")
def test_the_pages_speak_english_too_and_every_label_has_a_translation() -> None:
    world, run = setup()
    client = client_for("tccb")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/doi-soat/ho-so/{record_of(run, world.ha).pk}/").content.decode()
    assert "Personnel register compared with the population database" in html
    assert '<span class="kind">diacritics differ</span>' in html
    assert "ID matched, details differ" in html
    assert ">Population reconciliation</a>" in html
    with translation.override("en"):
        labels = [label for _v, label in (*Status.choices, *QueueState.choices)]
        labels += [*queries.FIELD_LABELS.values(), *queries.DIFFERENCE_LABELS.values(),
                   *queries.ID_PROBLEM_LABELS.values()]
        assert [label for label in labels if translation.gettext(label) == label] == []


@pytest.mark.usefixtures("fast_hasher")
def test_starting_a_run_needs_a_population_file_of_a_supported_kind() -> None:
    world, _run = setup()
    client = client_for("tccb")
    empty = client.post("/doi-soat/", {"don_vi": world.so_noi_vu.pk, "nguon": ""})
    assert empty.status_code == 400
    assert "Chọn một tệp dữ liệu dân cư có sẵn hoặc tải lên một tệp." in empty.content.decode()
    wrong = client.post("/doi-soat/", {"don_vi": world.so_noi_vu.pk,
                                       "tep": SimpleUploadedFile("dan-cu.txt", b"SoDinhDanh\n")})
    assert wrong.status_code == 400
    assert "Tệp «dan-cu.txt» không được hỗ trợ" in wrong.content.decode()
    outside = client.post("/doi-soat/", {"don_vi": world.hue.pk, "nguon": ""})
    assert outside.status_code == 400  # Huế is not among the units offered


@pytest.mark.usefixtures("fast_hasher")
def test_the_queue_page_costs_the_same_queries_for_2_or_12_records() -> None:
    world = build_world()
    client = client_for("tccb")

    def queries_for(extra: int) -> int:
        people = [person(("Phạm", "Văn", f"Số {i}"), world.phong_ccvc, sex="M", birth_year=1990) for i in range(extra)]
        rows = [*queue_world(world).values(), *(result(p, "NOT_FOUND") for p in people)]
        run = load_results(rows)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/doi-soat/lan/{run.pk}/don-vi/{world.so_noi_vu.pk}/").status_code == 200
        return len(captured.captured_queries)

    assert queries_for(0) == queries_for(10)
