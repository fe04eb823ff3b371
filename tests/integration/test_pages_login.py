"""Logging in (with throttling), logging out and switching the interface language."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(settings: object) -> World:
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]
    settings.AXES_FAILURE_LIMIT = 3  # type: ignore[attr-defined]
    return build_world()


def test_the_login_page_is_in_vietnamese(world: World) -> None:
    html = Client().get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert "Đăng nhập" in html


def test_a_wrong_password_says_so_in_vietnamese(world: World) -> None:
    response = Client().post("/dang-nhap/", {"username": "tccb", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_the_right_password_opens_the_home_page(world: World) -> None:
    client = Client()
    response = client.post("/dang-nhap/", {"username": "tccb", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Xin chào" in client.get("/").content.decode()


def test_too_many_failures_lock_the_login_with_a_clear_message(world: World) -> None:
    client = Client()
    for _ in range(2):
        client.post("/dang-nhap/", {"username": "tccb", "password": "sai-mat-khau"})
    locked = client.post("/dang-nhap/", {"username": "tccb", "password": "sai-mat-khau"})
    assert locked.status_code == 429
    assert "Tài khoản tạm thời bị khóa do đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert "15 phút" in locked.content.decode()
    still = client.post("/dang-nhap/", {"username": "tccb", "password": PASSWORD})  # even the right password
    assert still.status_code == 429


def test_logging_out_is_a_post_and_returns_to_the_login_page(world: World) -> None:
    client = Client()
    client.force_login(world.users["hr"])
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    assert client.get("/").status_code == 302


def test_the_interface_can_be_switched_to_english_and_back(world: World) -> None:
    client = Client()
    client.force_login(world.users["hr"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/can-bo/"})
    english = client.get("/can-bo/").content.decode()
    assert '<html lang="en">' in english
    assert "Search by name" in english
    assert "Log out" in english
    assert "Tiếng Việt" in english  # the way back
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Tìm theo họ tên" in client.get("/can-bo/").content.decode()
