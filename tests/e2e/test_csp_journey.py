"""Under the Content-Security-Policy a real browser refuses nothing the pages need: no
inline script or style is blocked on the main pages of staff and of a unit, the report
form saves through its script, and the conclusion form adds an action row."""

import pytest
from playwright.sync_api import expect

from findings import services as findings_services
from plans import services as plans_services

from . import scenario

pytestmark = pytest.mark.e2e


def watch_csp(page):
    """Collect the browser's CSP refusals on ``page`` (console and violation events)."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text[:90]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


@pytest.mark.django_db(transaction=True)
def test_pages_work_under_the_policy(app, open_page):
    inspection = scenario.requested("Sở Tư pháp")
    plan = inspection.plan

    page = open_page("cchc")
    refused = watch_csp(page)
    for path in [
        f"/ke-hoach/{plan.pk}/",
        f"/ke-hoach/{plan.pk}/phu-luc-1/",
        "/ke-hoach/cuoc-kiem-tra/",
        f"/ke-hoach/cuoc-kiem-tra/{inspection.pk}/",
        "/kiem-tra/ket-qua/",
        "/kiem-tra/khac-phuc/",
        "/kiem-tra/tong-quan/",
    ]:
        response = page.goto(path)
        assert response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    assert refused == []

    unit = open_page("sotuphap")
    refused_unit = watch_csp(unit)
    unit.goto(f"/bao-cao/kiem-tra/{inspection.pk}/bao-cao/")
    box = unit.locator("textarea").first
    box.fill("Đơn vị đã ban hành kế hoạch CCHC năm 2023.")
    unit.locator("form.js-item-form").first.get_by_role("button").first.click()
    expect(unit.get_by_text("Đã lưu").first).to_be_visible()
    assert refused_unit == []


@pytest.mark.django_db(transaction=True)
def test_conclusion_form_adds_an_action_under_the_policy(app, open_page):
    inspection = scenario.requested("Sở Tư pháp")
    staff = scenario.user("cchc")
    from plans.models import Inspection

    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.REVIEWED)
    inspection.refresh_from_db()
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    assert plans_services  # the plan and team were issued by the scenario

    page = open_page("cchc")
    refused = watch_csp(page)
    page.goto(f"/kiem-tra/ket-luan/{conclusion.pk}/sua/")
    before = page.locator("#action-forms > .card").count()
    page.get_by_role("button", name="Thêm yêu cầu").click()
    expect(page.locator("#action-forms > .card")).to_have_count(before + 1)
    assert refused == []

    admin = open_page("quantri")
    refused_admin = watch_csp(admin)
    admin.goto("/quan-tri/units/unit/export/")
    toggle = admin.locator("input.select-toggle")
    if toggle.count():
        toggle.uncheck()
        checked = admin.locator('.selectable-field-export-row input[type="checkbox"]:checked')
        expect(checked).to_have_count(0)
    assert [m for m in refused_admin if "script" in m] == []
