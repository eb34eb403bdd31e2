"""Journey 4: keyboard only. The focal person logs in and fills and submits the report
with Tab, Enter and typing, going from part to part of the report by its navigation;
every input of those pages has a label."""

import pytest
from playwright.sync_api import expect

from reports.models import UnitReport

from . import scenario
from .helpers import demo_password, expect_message

pytestmark = pytest.mark.e2e

UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden" && el.type !== "submit" && el.type !== "button")
  .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
  .filter((el) => {
    const byLabel = Array.from(el.labels || []).some((l) => l.textContent.trim());
    const aria = (el.getAttribute("aria-label") || "").trim();
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    const byIds = ids.some((id) => (document.getElementById(id)?.textContent || "").trim());
    return !(byLabel || aria || byIds);
  })
  .map((el) => el.outerHTML.slice(0, 160))"""

COUNT_CONTROLS = """() => document.querySelectorAll(
  "input:not([type=hidden]):not([type=submit]), select, textarea").length"""


def assert_every_input_labelled(page, at_least):
    assert page.evaluate(UNLABELLED) == [], page.url
    assert page.evaluate(COUNT_CONTROLS) >= at_least, page.url


def focused(page, locator):
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, limit=800):
    """Press Tab until ``locator`` has the focus (as a keyboard user does)."""
    for _ in range(limit):
        if focused(page, locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


@pytest.mark.django_db(transaction=True)
def test_log_in_and_report_with_the_keyboard_only(app, open_page):
    inspection = scenario.requested("Sở Tư pháp")
    page = open_page()

    page.goto("/dang-nhap/")
    assert_every_input_labelled(page, at_least=2)
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    page.keyboard.type("sotuphap")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mật khẩu")).to_be_focused()
    page.keyboard.type("sai-mat-khau")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
    tab_to(page, page.get_by_label("Mật khẩu"))
    page.keyboard.type(demo_password())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Đơn vị của tôi")).to_be_visible()

    # From the unit's home to its report, then the report itself, by keyboard.
    report_link = page.get_by_role("link", name="Soạn báo cáo")
    tab_to(page, report_link)
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Báo cáo công tác cải cách hành chính năm 2023")
    ).to_be_visible()
    assert_every_input_labelled(page, at_least=9)  # I.1: 4 answers, 5 figures

    first_form = page.locator("form.js-item-form").first
    first = first_form.get_by_label("Nội dung trả lời mục 1", exact=True)
    tab_to(page, first)
    page.keyboard.type("Sở ban hành đầy đủ văn bản chỉ đạo, điều hành công tác CCHC năm 2023.")
    tab_to(page, first_form.get_by_role("button", name="Lưu mục"))
    page.keyboard.press("Enter")
    expect(first_form.locator(".js-item-status")).to_have_text("Đã lưu")

    plan_form = page.locator("form.js-item-form").filter(has_text="Số nhiệm vụ trong kế hoạch")
    tab_to(page, plan_form.get_by_label("Nội dung trả lời"))
    page.keyboard.type("Kế hoạch CCHC năm 2023 có 20 nhiệm vụ, đã hoàn thành 18.")
    page.keyboard.press("Tab")
    expect(plan_form.get_by_label("Đã ban hành kế hoạch CCHC năm")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    page.keyboard.press("Tab")
    page.keyboard.type("18")
    tab_to(page, plan_form.get_by_role("button", name="Lưu mục"))
    page.keyboard.press("Enter")
    expect(plan_form.locator(".js-item-status")).to_have_text("Đã lưu")
    expect(plan_form.get_by_label("Đã ban hành kế hoạch CCHC năm")).to_have_value("1")

    # The longest page of the outline (the one-stop shop's figures), through the
    # navigation of the report's parts.
    parts = page.get_by_role("navigation", name="Các phần của báo cáo")
    tab_to(page, parts.get_by_role("link", name="2. Cải cách thủ tục hành chính"))
    page.keyboard.press("Enter")
    expect(parts.get_by_role("link", name="2. Cải cách thủ tục hành chính")).to_have_attribute(
        "aria-current", "page"
    )
    assert_every_input_labelled(page, at_least=25)

    tab_to(page, page.get_by_role("button", name="Nộp báo cáo", exact=True), limit=2000)
    page.keyboard.press("Enter")  # the confirmation is accepted (Enter on the dialog)
    expect_message(page, "Đã nộp báo cáo")

    report = UnitReport.objects.get(inspection=inspection)
    assert report.status == UnitReport.Status.SUBMITTED
    values = {v.indicator.label: v.value for v in report.values.select_related("indicator")}
    assert values["Số nhiệm vụ trong kế hoạch CCHC năm"] == 20
    assert values["Số nhiệm vụ trong kế hoạch CCHC năm đã hoàn thành"] == 18


@pytest.mark.django_db(transaction=True)
def test_upload_and_remediation_forms_label_every_input(app, open_page):
    inspection, _, _, actions = scenario.concluded("Sở Tư pháp", "sotuphap")
    page = open_page("sotuphap")
    page.goto(f"/kiem-tra/don-vi/khac-phuc/{actions[1].pk}/")
    expect(page.get_by_role("heading", name="Yêu cầu khắc phục", exact=True)).to_be_visible()
    assert_every_input_labelled(page, at_least=2)

    other = scenario.requested("Huyện Đông Sơn")
    page = open_page("dongson")
    page.goto(f"/bao-cao/kiem-tra/{other.pk}/bao-cao/tai-lieu/")
    expect(page.get_by_role("heading", name="Tải lên tài liệu kiểm chứng")).to_be_visible()
    assert_every_input_labelled(page, at_least=10)
    assert inspection.pk != other.pk
