import datetime as dt

import pytest

from congvu.org.services import create_position
from congvu.personnel.models import Employment
from congvu.personnel.services import add_discipline
from tests.factories import EVERYTHING, PASSWORD, build_world, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def login(page, base, who):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(who)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")

def test_shots(page, screenshot, live_server, settings, browser):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    p1 = create_position(None, EVERYTHING, unit=w.phong_ccvc, name="Chuyên viên về công chức", group="professional", headcount_quota=3)
    create_position(None, EVERYTHING, unit=w.phong_tccb, name="Trưởng phòng", group="leadership", headcount_quota=1)
    Employment.objects.filter(person=w.ha).update(position=p1, title="Chuyên viên")
    for i, n in enumerate(["An", "Bảo", "Cường"]):
        person(("Ngô", "Văn", n), w.phong_tccb, sex="M", birth_year=1980 + i)
    add_discipline(None, EVERYTHING, w.binh.pk, form="reprimand", decided_on=dt.date(2024, 5, 2), effective_from=dt.date(2024, 5, 2), decision_number="12/QĐ-SNV", reason="Chậm nộp báo cáo")
    base = live_server.url
    login(page, base, "tccb")
    page.goto(f"{base}/to-chuc/")
    screenshot("x-org")
    page.locator(f"button[aria-controls='children-{w.phong_ccvc.pk}']").count()
    page.goto(f"{base}/don-vi/{w.phong_tccb.pk}/")
    screenshot("x-unit")
    page.goto(f"{base}/can-bo/{w.binh.pk}/")
    screenshot("x-person")
    page.goto(f"{base}/can-bo/{w.binh.pk}/?tab=ky-luat")
    screenshot("x-discipline")
    page.goto(f"{base}/can-bo/{w.binh.pk}/sua/")
    page.locator("#id_family_name").fill("")
    page.get_by_label("Ngày sinh").fill("31/02/1979")
    page.get_by_label("Số định danh cá nhân").fill("12345")
    page.get_by_role("button", name="Lưu thay đổi").click()
    screenshot("x-edit-errors")
    page.get_by_role("button", name="English").click()
    page.goto(f"{base}/can-bo/")
    screenshot("x-english")
    ctx = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    m = ctx.new_page()
    login(m, base, "truongphong")
    m.goto(f"{base}/can-bo/{w.ha.pk}/")
    m.screenshot(path="var/test-artifacts/x-phone-person.png", full_page=True)
    m.goto(f"{base}/can-bo/")
    m.screenshot(path="var/test-artifacts/x-phone-list.png", full_page=True)
    m.goto(f"{base}/to-chuc/")
    m.screenshot(path="var/test-artifacts/x-phone-org.png", full_page=True)
    ctx.close()
    c2 = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    p2 = c2.new_page()
    for _ in range(6):
        p2.goto(f"{base}/dang-nhap/")
        p2.get_by_label("Tên đăng nhập").fill("giamdoc")
        p2.get_by_label("Mật khẩu").fill("sai")
        p2.get_by_role("button", name="Đăng nhập").click()
    p2.screenshot(path="var/test-artifacts/x-locked.png", full_page=True)
    c2.close()
