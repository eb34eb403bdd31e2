"""Screenshots of the main pages at a desktop width (1366×900) and a phone width (390×844),
saved to var/screenshots/ for people to look at. The test also checks what a machine can:
each page answers 200 in Vietnamese, and nothing is wider than the phone's screen (only
wide tables scroll, inside their own box)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from . import scenario
from .conftest import DESKTOP, PHONE, SCREENSHOTS, clear_screenshots

pytestmark = pytest.mark.e2e

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.closest(".table-responsive, pre, .visually-hidden, .visually-hidden-focusable")) continue;
    if (box.right > width + 1) wide.push(el.tagName + "." + el.className + " → " + Math.round(box.right));
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def pages(concluded, requested_other):
    inspection, _, _, _ = concluded
    return [
        ("dashboard", "cchc", reverse("findings:dashboard"), "Tổng quan"),
        ("plan", "cchc", reverse("plans:plan-detail", args=[inspection.plan_id]), "Kế hoạch"),
        ("team", "cchc", reverse("plans:team-detail", args=[inspection.team_id]), "Đoàn kiểm tra"),
        (
            "inspection",
            "cchc",
            reverse("plans:inspection-detail", args=[inspection.pk]),
            "Sở Tư pháp",
        ),
        ("review", "cchc", reverse("reports:report-review", args=[inspection.pk]), "Sở Tư pháp"),
        (
            "report-form",
            "dongson",
            reverse("reports:report-edit", args=[requested_other.pk]),
            "Báo cáo công tác cải cách hành chính năm 2023",
        ),
        ("remediation-tracker", "cchc", reverse("findings:tracker"), "Theo dõi khắc phục"),
        ("unit-home", "sotuphap", reverse("findings:unit-home"), "Đơn vị của tôi"),
    ]


@pytest.mark.django_db(transaction=True)
def test_main_pages_at_desktop_and_phone_width(app, open_page):
    clear_screenshots()
    concluded = scenario.concluded("Sở Tư pháp", "sotuphap")
    other = scenario.requested("Huyện Đông Sơn", days_ahead=20)
    scenario.answer(
        other,
        scenario.user("dongson"),
        {scenario.PLAN_ITEM: "Kế hoạch CCHC năm 2023 của huyện có 25 nhiệm vụ."},
        {
            "Đã ban hành kế hoạch CCHC năm": "Có",
            "Số nhiệm vụ trong kế hoạch CCHC năm": "25",
            "Số nhiệm vụ trong kế hoạch CCHC năm đã hoàn thành": "27",
        },
    )
    sessions = {}
    problems = []
    for name, username, url, heading in pages(concluded, other):
        for width_name, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
            key = (username, width_name)
            if key not in sessions:
                sessions[key] = open_page(username, viewport=viewport)
            page = sessions[key]
            response = page.goto(url)
            assert response.status == 200, (name, response.status)
            expect(page.locator("main h1").first).to_contain_text(heading)
            page.wait_for_load_state("networkidle")
            path = SCREENSHOTS / f"{name}-{width_name}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000, path
            layout = page.evaluate(OVERFLOW)
            if layout["scroll"] > layout["width"] or layout["wide"]:
                problems.append((name, width_name, layout))
    assert not problems, problems
