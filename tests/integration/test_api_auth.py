"""Token and session authentication, the create_token command, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from congvu.access.models import ApiToken
from congvu.access.tokens import create_token, revoke_token, user_for_token
from congvu.core.models import AuditEntry
from tests.integration.api_support import FAST_HASHERS, Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(settings: object) -> Api:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    return Api.for_new_world()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_request_without_credentials_gets_401(api: Api) -> None:
    response = api.get(None, "/people")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize(
    "header",
    ["Bearer cv_not-a-real-token", "Bearer ", "Token abc", "Basic dGNjYjp4", "Bearer not-even-our-prefix"],
)
def test_a_bad_token_gets_401(api: Api, header: str) -> None:
    response = Client().get("/api/v1/people", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_write_with_a_bad_token_gets_401_not_a_csrf_error(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/api/v1/units/{api.world.phong_ccvc.pk}/positions",
                           data={"name": "Chuyên viên", "group": "professional", "headcount_quota": 1},
                           content_type="application/json", headers=bearer("cv_wrong"))
    assert response.status_code == 401


def test_a_write_with_a_good_token_needs_no_csrf_token(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/api/v1/units/{api.world.phong_ccvc.pk}/positions",
                           data={"name": "Chuyên viên", "group": "professional", "headcount_quota": 1},
                           content_type="application/json", headers=bearer(api.tokens["hr"]))
    assert response.status_code == 201


def test_a_valid_token_authenticates_as_its_user(api: Api) -> None:
    response = Client().get("/api/v1/people", headers=bearer(api.tokens["hr"]))
    assert response.status_code == 200
    assert response.json()["total"] == 2


def test_a_revoked_token_gets_401(api: Api) -> None:
    issued = create_token(None, api.user("hr"))
    revoke_token(None, issued.record)
    assert Client().get("/api/v1/people", headers=bearer(issued.token)).status_code == 401


def test_an_expired_token_gets_401(api: Api) -> None:
    issued = create_token(None, api.user("hr"), expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/v1/people", headers=bearer(issued.token)).status_code == 401


def test_the_token_of_a_deactivated_user_gets_401(api: Api) -> None:
    hr = api.user("hr")
    hr.is_active = False
    hr.save()
    assert api.get("hr", "/people").status_code == 401


def test_only_the_sha256_of_a_token_is_stored(api: Api) -> None:
    issued = create_token(None, api.user("hr"), name="báo cáo")
    row = ApiToken.objects.values().get(pk=issued.record.pk)
    assert row["key_hash"] == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in {str(v) for v in row.values()}
    assert issued.token.startswith(row["prefix"])


def test_creating_a_token_is_audited_without_the_token(api: Api) -> None:
    issued = create_token(api.user("admin"), api.user("hr"))
    entry = AuditEntry.objects.get(object_type="apitoken", object_id=str(issued.record.pk))
    assert entry.action == "create"
    assert issued.token not in str(entry.after)


def test_using_a_token_records_when_it_was_last_used(api: Api) -> None:
    issued = create_token(None, api.user("hr"))
    assert user_for_token(issued.token) == api.user("hr")
    issued.record.refresh_from_db()
    assert issued.record.last_used_at is not None


def test_the_create_token_command_prints_a_token_that_works(api: Api) -> None:
    out, err = StringIO(), StringIO()
    call_command("create_token", "tccb", "--name", "tích hợp", "--days", "30", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert "chỉ hiển thị lần này" in err.getvalue()
    assert Client().get("/api/v1/people", headers=bearer(token)).status_code == 200
    record = ApiToken.objects.get(key_hash=hashlib.sha256(token.encode()).hexdigest())
    assert record.name == "tích hợp"
    assert record.expires_at is not None


def test_the_create_token_command_refuses_an_unknown_user(api: Api) -> None:
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("create_token", "khong-co-ai", stdout=StringIO(), stderr=StringIO())


def test_the_browser_session_can_read(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.user("hr"))
    response = client.get("/api/v1/people")
    assert response.status_code == 200
    assert response.json()["total"] == 2


def test_a_session_write_without_the_csrf_token_is_refused(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.user("hr"))
    response = client.post(f"/api/v1/units/{api.world.phong_ccvc.pk}/positions",
                           data={"name": "Chuyên viên", "group": "professional", "headcount_quota": 1},
                           content_type="application/json")
    assert response.status_code == 403


def test_a_session_write_with_the_csrf_token_is_accepted(api: Api) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api.user("hr"))
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(f"/api/v1/units/{api.world.phong_ccvc.pk}/positions",
                           data={"name": "Chuyên viên", "group": "professional", "headcount_quota": 1},
                           content_type="application/json", headers={"X-CSRFToken": secret})
    assert response.status_code == 201, response.content


ENDPOINTS = {
    ("/api/v1/units", "get"),
    ("/api/v1/units/{unit_id}", "get"),
    ("/api/v1/units/{unit_id}/positions", "get"),
    ("/api/v1/units/{unit_id}/positions", "post"),
    ("/api/v1/positions/{position_id}", "get"),
    ("/api/v1/positions/{position_id}", "patch"),
    ("/api/v1/people", "get"),
    ("/api/v1/people", "post"),
    ("/api/v1/people/{person_id}", "get"),
    ("/api/v1/people/{person_id}", "patch"),
    ("/api/v1/people/{person_id}/history", "get"),
}


def test_the_openapi_schema_lists_every_endpoint_with_its_security() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    listed = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert listed >= ENDPOINTS
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    person_get = schema["paths"]["/api/v1/people/{person_id}"]["get"]
    assert {"200", "401", "404"} <= set(person_get["responses"])
    patch = schema["paths"]["/api/v1/people/{person_id}"]["patch"]
    assert {"403", "409", "422"} <= set(patch["responses"])


def test_the_interactive_docs_page_is_served() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
