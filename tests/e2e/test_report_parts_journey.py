"""The list of the report's parts on a phone: folded under a button that says which part is
open, unfolded and used with the keyboard, still unfolded after a save renews its progress;
on a desktop it is simply there. Nothing of it is refused by the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from . import scenario
from .conftest import DESKTOP, PHONE
from .test_csp_journey import RECORD, refusals
from .test_keyboard_journey import tab_to

pytestmark = pytest.mark.e2e

PART = "2. Cải cách thủ tục hành chính"


@pytest.mark.django_db(transaction=True)
def test_the_parts_fold_on_a_phone_and_open_with_the_keyboard(app, open_page):
    inspection = scenario.requested("Sở Tư pháp")
    page = open_page("sotuphap", viewport=PHONE)
    page.add_init_script(RECORD)
    page.goto(f"/bao-cao/kiem-tra/{inspection.pk}/bao-cao/")
    parts = page.get_by_role("navigation", name="Các phần của báo cáo")
    toggle = parts.get_by_role("button", name="Các phần của báo cáo")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("Đang xem: I.1. Việc xây dựng")
    expect(parts.get_by_role("link", name=PART)).to_be_hidden()
    box = parts.bounding_box()
    assert box["height"] < 120, box  # the form starts on the first screen

    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(parts.get_by_role("link", name=PART)).to_be_visible()

    # A save renews the progress of every part: the list stays open.
    form = page.locator("form.js-item-form").first
    form.locator("textarea").first.fill("Sở ban hành đầy đủ văn bản chỉ đạo, điều hành.")
    form.get_by_role("button", name="Lưu mục").click()
    expect(form.locator(".js-item-status")).to_have_text("Đã lưu")
    expect(parts).to_contain_text("Đã trả lời 1/")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(parts.get_by_role("link", name=PART)).to_be_visible()

    tab_to(page, parts.get_by_role("link", name=PART))
    page.keyboard.press("Enter")
    expect(toggle).to_contain_text("Đang xem: II.2. Cải cách thủ tục hành chính")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(parts.get_by_role("link", name=PART)).to_be_hidden()
    assert refusals(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_parts_are_listed_without_a_button_on_a_desktop(app, open_page):
    inspection = scenario.requested("Sở Tư pháp")
    page = open_page("sotuphap", viewport=DESKTOP)
    page.goto(f"/bao-cao/kiem-tra/{inspection.pk}/bao-cao/")
    parts = page.get_by_role("navigation", name="Các phần của báo cáo")
    expect(parts.get_by_role("button")).to_be_hidden()
    expect(parts.get_by_role("link", name=PART)).to_be_visible()
