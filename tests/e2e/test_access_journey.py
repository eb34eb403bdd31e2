"""Journey 2: the focal person of Huyện Đông Sơn pastes the addresses of Sở Tư pháp's
report, evidence, conclusion and remediation into the address bar and is refused every
time, with a page in Vietnamese; Sở Tư pháp's own focal person opens the same addresses."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from . import scenario

pytestmark = pytest.mark.e2e

REFUSALS = {
    404: "Không tìm thấy trang",
    403: "Không có quyền truy cập",
}


def other_units_urls(inspection, evidence, conclusion, actions):
    proof = actions[0].proofs.get()
    return {
        "báo cáo": reverse("reports:report-edit", args=[inspection.pk]),
        "tài liệu kiểm chứng (PDF)": reverse("reports:evidence-download", args=[evidence[0].pk]),
        "tài liệu kiểm chứng (Excel)": reverse("reports:evidence-download", args=[evidence[1].pk]),
        "thông báo kết luận (PDF)": reverse("findings:conclusion-pdf", args=[conclusion.pk]),
        "thông báo kết luận": reverse("findings:conclusion-detail", args=[conclusion.pk]),
        "yêu cầu khắc phục": reverse("findings:action-report", args=[actions[0].pk]),
        "tài liệu chứng minh khắc phục": reverse("findings:proof-download", args=[proof.pk]),
        "trang xem xét báo cáo": reverse("reports:report-review", args=[inspection.pk]),
        "cuộc kiểm tra": reverse("plans:inspection-detail", args=[inspection.pk]),
    }


@pytest.mark.django_db(transaction=True)
def test_other_units_focal_person_is_refused_everywhere(app, open_page):
    urls = other_units_urls(*scenario.concluded("Sở Tư pháp", "sotuphap"))

    owner = open_page("sotuphap")
    for what in ["báo cáo", "thông báo kết luận (PDF)", "yêu cầu khắc phục"]:
        response = owner.request.get(urls[what])
        assert response.status == 200, what
    for what in ["tài liệu kiểm chứng (PDF)", "tài liệu chứng minh khắc phục"]:
        response = owner.request.get(urls[what])
        assert response.status == 200, what
        assert response.body().startswith(b"%PDF"), what

    stranger = open_page("dongson")
    expect(stranger.get_by_role("heading", name="Đơn vị của tôi")).to_be_visible()
    expect(stranger.locator("main")).to_contain_text("Huyện Đông Sơn")
    expect(stranger.locator("main")).not_to_contain_text("Sở Tư pháp")
    for what, url in urls.items():
        response = stranger.goto(url)
        assert response.status in REFUSALS, f"{what}: {response.status}"
        heading = stranger.get_by_role("heading", level=1)
        expect(heading).to_have_text(REFUSALS[response.status])
        expect(stranger.locator("html")).to_have_attribute("lang", "vi")
        body = stranger.locator("main").inner_text()
        assert "Sở Tư pháp" not in body, what
        assert "Ke hoach CCHC" not in body, what
        stranger.get_by_role("link", name="Về trang chủ").click()
        expect(stranger.get_by_role("heading", name="Đơn vị của tôi")).to_be_visible()
