"""The letter asking a unit for its report, with its deadline, as a downloaded PDF."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Inspection
from tests.core.test_documents import (
    assert_common_layout,
    assert_in_order,
    issue,
    pdf_text,
    seed_world,
)

REQUEST_PARTS = [
    "UBND TỈNH THANH HÓA",
    "SỞ NỘI VỤ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Số:",
    "/SNV-CCHC",
    "V/v báo cáo phục vụ kiểm tra công tác cải cách hành chính năm 2023",
    "Thanh Hóa, ngày",
    "Kính gửi: Sở Tư pháp.",
    "Thực hiện Kế hoạch số 01/KH-SNV ngày 05/3/2023 của Sở Nội vụ về kiểm tra công tác "
    "cải cách hành chính năm 2023; Quyết định số 01/QĐ-SNV ngày 20/5/2023 của Giám đốc "
    "Sở Nội vụ về việc thành lập Đoàn kiểm tra số 1",
    "1. Thời gian kiểm tra: từ ngày 15/6/2023 đến ngày 16/6/2023.",
    "2. Hình thức kiểm tra: kiểm tra trực tiếp tại đơn vị.",
    "3. Địa điểm: Trụ sở Sở Tư pháp.",
    "4. Thành phần: Đoàn kiểm tra số 1 do ông (bà) Nguyễn Văn Trưởng, Phó Giám đốc làm "
    "Trưởng đoàn.",
    "Đề nghị Sở Tư pháp xây dựng báo cáo",
    "theo Đề cương báo cáo kèm theo Kế hoạch số 01/KH-SNV",
    "tài liệu kiểm chứng",
    "chậm nhất ngày 12/6/2023.",
    "Sở Nội vụ đề nghị Sở Tư pháp quan tâm, phối hợp thực hiện./.",
    "Nơi nhận:",
    "- Như trên;",
    "- Thành viên Đoàn kiểm tra số 1;",
    "- Lưu: VT, CCHC (02).",
    "GIÁM ĐỐC",
    "Trần Quốc Huy",
]


@pytest.fixture
def requested_world(db):
    world = seed_world()
    issue(world.team, on=datetime.date(2023, 5, 20))
    return world


def download(client, user, pk):
    client.force_login(user)
    response = client.get(reverse("reports:request-pdf", args=[pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def test_request_before_it_is_sent_is_a_draft(client, staff, requested_world):
    data = download(client, staff, requested_world.inspection.pk)

    assert_common_layout(data)
    text = pdf_text(data)
    assert_in_order(text, REQUEST_PARTS)
    assert re.search(r"Số: +/SNV-CCHC", text)
    assert "DỰ THẢO" in text


def test_request_once_sent_carries_its_date_and_no_draft_mark(client, staff, requested_world):
    inspection = requested_world.inspection
    sent = timezone.make_aware(datetime.datetime(2023, 6, 1, 9, 30))
    Inspection.objects.filter(pk=inspection.pk).update(
        status=Inspection.Status.REPORT_REQUESTED, report_requested_at=sent
    )
    data = download(client, staff, inspection.pk)

    text = pdf_text(data)
    assert_in_order(text, ["/SNV-CCHC", "Thanh Hóa, ngày 01 tháng 6 năm 2023", "Kính gửi:"])
    assert "DỰ THẢO" not in text


def test_request_without_a_deadline_states_the_plans_rule(client, staff, requested_world):
    Inspection.objects.filter(pk=requested_world.inspection.pk).update(report_deadline=None)
    text = pdf_text(download(client, staff, requested_world.inspection.pk))
    assert "trước thời gian kiểm tra ít nhất 03 ngày." in text


# ---------------------------------------------------------------------------------------
# Who may download
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "leader", "team_member", "focal_a"])
def test_request_for_staff_the_team_and_the_unit(client, world, persona, request):
    download(client, request.getfixturevalue(persona), world.inspection_a.pk)


@pytest.mark.parametrize("persona", ["team_member", "focal_a", "other_team_member", "focal_b"])
def test_request_of_another_units_inspection_is_404(client, world, persona, request):
    user = request.getfixturevalue(persona)
    mine = world.inspection_a if persona in {"team_member", "focal_a"} else world.inspection_b
    other = world.inspection_b if mine == world.inspection_a else world.inspection_a
    client.force_login(user)
    assert client.get(reverse("reports:request-pdf", args=[other.pk])).status_code == 404


def test_request_refused_to_outsiders_and_anonymous(client, world, outsider):
    url = reverse("reports:request-pdf", args=[world.inspection_a.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_inactive_focal_person_no_longer_sees_the_request(client, world, focal_a):
    focal_a.memberships.update(is_active=False)
    client.force_login(focal_a)
    url = reverse("reports:request-pdf", args=[world.inspection_a.pk])
    assert client.get(url).status_code == 404
