"""Minutes, the conclusion notice and the year's summary report, as downloaded PDFs."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse

from cchc_inspection.roles import Role
from findings.documents import summary_context
from findings.models import Conclusion, Finding, RemediationAction, SiteVisitMinutes
from plans.models import Inspection
from reports.models import Indicator, IndicatorValue, OutlineItem, UnitReport
from tests import factories as f
from tests.core.test_documents import (
    assert_common_layout,
    assert_in_order,
    assert_page_numbers,
    issue,
    pdf_text,
    read_pdf,
    seed_world,
    text_runs,
    y_of,
)
from units.models import Unit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def download(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def status_of(client, user, name, pk):
    client.force_login(user)
    return client.get(reverse(name, args=[pk])).status_code


# ---------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------


def test_minutes_with_the_two_signature_blocks_side_by_side(client, staff):
    world = seed_world()
    issue(world.team, on=datetime.date(2023, 5, 20))
    data = download(client, staff, "findings:minutes-pdf", world.minutes.pk)

    assert_common_layout(data)
    text = pdf_text(data)
    assert_in_order(
        text,
        [
            "Số:",
            "/BB-SNV",
            "Thanh Hóa, ngày 15 tháng 6 năm 2023",
            "BIÊN BẢN",
            "Kiểm tra công tác cải cách hành chính tại Sở Tư pháp",
            "Thực hiện Quyết định số 01/QĐ-SNV ngày 20/5/2023 của Giám đốc Sở Nội vụ về việc "
            "thành lập Đoàn kiểm tra số 1, hôm nay, ngày 15 tháng 6 năm 2023, tại Trụ sở Sở "
            "Tư pháp, Đoàn kiểm tra số 1 tiến hành kiểm tra",
            "I. THÀNH PHẦN",
            "1. Đoàn kiểm tra",
            "- Ông Nguyễn Văn Trưởng, Trưởng đoàn",
            "- Bà Lê Thị Phó, Phó Trưởng đoàn",
            "2. Đơn vị được kiểm tra",
            "- Ông Đỗ Văn Đơn, Phó Giám đốc Sở Tư pháp",
            "II. NỘI DUNG KIỂM TRA",
            "Đoàn đã kiểm tra Bộ phận Một cửa.",
            "III. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA",
            "Đơn vị thống nhất với kết quả kiểm tra.",
            "thống nhất ký tên dưới đây./.",
            "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA",
        ],
    )
    assert re.search(r"Số: +/BB-SNV", text)
    page = read_pdf(data).pages[-1]
    assert abs(y_of(page, "ĐẠI DIỆN ĐƠN VỊ") - y_of(page, "TRƯỞNG ĐOÀN KIỂM TRA")) < 1
    assert abs(y_of(page, "Đỗ Văn Đơn") - y_of(page, "Nguyễn Văn Trưởng")) < 1
    unit_x = next(x for t, x, _ in text_runs(page) if t.startswith("ĐẠI DIỆN"))
    leader_x = next(x for t, x, _ in text_runs(page) if t.startswith("TRƯỞNG ĐOÀN"))
    assert unit_x < leader_x


@pytest.fixture
def paperwork(world, staff):
    def minutes(inspection):
        return SiteVisitMinutes.objects.create(
            inspection=inspection,
            held_on=datetime.date(2023, 6, 15),
            place="Trụ sở",
            team_participants="Ông A",
            unit_participants="Ông B",
            checked="Hồ sơ CCHC.",
            created_by=staff,
        )

    world.minutes_a = minutes(world.inspection_a)
    world.minutes_b = minutes(world.inspection_b)
    world.conclusion_a = f.ConclusionFactory(inspection=world.inspection_a, created_by=staff)
    world.conclusion_b = f.ConclusionFactory(inspection=world.inspection_b, created_by=staff)
    return world


@pytest.mark.parametrize("persona", ["staff", "leader", "team_member"])
def test_minutes_for_staff_and_the_team(client, paperwork, persona, request):
    user = request.getfixturevalue(persona)
    download(client, user, "findings:minutes-pdf", paperwork.minutes_a.pk)


def test_minutes_of_another_team_is_404(client, paperwork, team_member):
    assert status_of(client, team_member, "findings:minutes-pdf", paperwork.minutes_b.pk) == 404


@pytest.mark.parametrize("persona", ["focal_a", "outsider"])
def test_minutes_refused_to_units_and_outsiders(client, paperwork, persona, request):
    user = request.getfixturevalue(persona)
    assert status_of(client, user, "findings:minutes-pdf", paperwork.minutes_a.pk) == 403


# ---------------------------------------------------------------------------------------
# Conclusion notice
# ---------------------------------------------------------------------------------------

CONCLUSION_PARTS = [
    "THÔNG BÁO",
    "Kết luận kiểm tra công tác cải cách hành chính tại Sở Tư pháp",
    "từ ngày 15/6/2023 đến ngày 16/6/2023, Đoàn kiểm tra số 1 đã tiến hành kiểm tra",
    "Sở Nội vụ thông báo kết luận kiểm tra như sau:",
    "I. ƯU ĐIỂM",
    "Đơn vị ban hành đầy đủ kế hoạch CCHC năm 2023.",
    "II. TỒN TẠI, HẠN CHẾ",
    "Chưa ban hành kế hoạch tuyên truyền CCHC.",
    "Còn hồ sơ TTHC trễ hẹn.",
    "III. YÊU CẦU KHẮC PHỤC",
    "Giám đốc Sở Tư pháp chỉ đạo khắc phục các tồn tại, hạn chế.",
    "TT Nội dung yêu cầu khắc phục Thời hạn Đơn vị, cá nhân thực hiện",
    "1 Ban hành kế hoạch tuyên truyền CCHC năm 2023. 30/9/2023 Văn phòng Sở Tư pháp",
    "2 Thực hiện xin lỗi tổ chức, cá nhân khi trễ hẹn. 31/12/2023 Bộ phận Một cửa",
    "Sở Nội vụ thông báo để Sở Tư pháp biết, thực hiện./.",
    "Nơi nhận:",
    "- Sở Tư pháp;",
    "- Thành viên Đoàn kiểm tra số 1;",
    "- Lưu: VT, CCHC (02).",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Nguyễn Văn Phó",
]


def test_draft_conclusion_has_no_number_and_the_draft_mark(client, staff):
    world = seed_world()
    data = download(client, staff, "findings:conclusion-pdf", world.conclusion.pk)

    assert_common_layout(data)
    text = pdf_text(data)
    assert_in_order(text, CONCLUSION_PARTS)
    assert re.search(r"Số: +/TB-SNV", text)
    assert "DỰ THẢO" in text
    world.conclusion.refresh_from_db()
    assert not world.conclusion.pdf


def test_issued_conclusion_is_stored_once_and_served_as_stored(client, staff, media):
    # The seed's fixed keys must come before any factory unit, so the focal person of the
    # seed's Sở Tư pháp is made here rather than by the ``focal_a`` fixture.
    world = seed_world()
    focal_a = f.UserFactory(username="daumoi-stp", roles=[Role.FOCAL])
    f.MembershipFactory(user=focal_a, unit=world.unit)
    issue(world.conclusion, on=datetime.date(2023, 7, 3))
    first = download(client, staff, "findings:conclusion-pdf", world.conclusion.pk)

    text = pdf_text(first)
    assert_in_order(
        text, ["Số: 01/TB-SNV", "Thanh Hóa, ngày 03 tháng 7 năm 2023", *CONCLUSION_PARTS]
    )
    assert "DỰ THẢO" not in text
    world.conclusion.refresh_from_db()
    assert world.conclusion.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert (media / world.conclusion.pdf.name).read_bytes() == first

    # A later extension of a deadline does not touch the notice as issued.
    RemediationAction.objects.filter(conclusion=world.conclusion).update(
        deadline=datetime.date(2024, 3, 31)
    )
    assert download(client, focal_a, "findings:conclusion-pdf", world.conclusion.pk) == first


@pytest.mark.parametrize("persona", ["staff", "leader", "team_member"])
def test_draft_conclusion_for_staff_and_the_team(client, paperwork, persona, request):
    user = request.getfixturevalue(persona)
    download(client, user, "findings:conclusion-pdf", paperwork.conclusion_a.pk)


def test_unit_sees_its_conclusion_only_once_issued(client, paperwork, focal_a, focal_b):
    pk = paperwork.conclusion_a.pk
    assert status_of(client, focal_a, "findings:conclusion-pdf", pk) == 404
    issue(paperwork.conclusion_a, on=datetime.date(2023, 7, 3))
    download(client, focal_a, "findings:conclusion-pdf", pk)
    assert status_of(client, focal_b, "findings:conclusion-pdf", pk) == 404


def test_conclusion_of_another_team_is_404(client, paperwork, team_member):
    pk = paperwork.conclusion_b.pk
    assert status_of(client, team_member, "findings:conclusion-pdf", pk) == 404


def test_conclusion_refused_to_outsiders_and_anonymous(client, paperwork, outsider):
    url = reverse("findings:conclusion-pdf", args=[paperwork.conclusion_a.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 403


# ---------------------------------------------------------------------------------------
# The year's summary report
# ---------------------------------------------------------------------------------------


@pytest.fixture
def year(db):
    """Two units inspected: both fell short on I.2, one also on II.2; one action verified."""
    world = seed_world()
    Inspection.objects.filter(pk=world.inspection.pk).update(status=Inspection.Status.REMEDIATING)
    issue(world.conclusion, on=datetime.date(2023, 7, 3))
    RemediationAction.objects.filter(conclusion=world.conclusion, order=2).update(
        status=RemediationAction.Status.VERIFIED
    )
    district = Unit.objects.get(name="Huyện Đông Sơn")
    second = f.InspectionFactory(
        plan=world.plan, unit=district, team=world.team, status=Inspection.Status.REVIEWED
    )
    propaganda = OutlineItem.objects.get(outline__plan=world.plan, order=8)
    f.FindingFactory(inspection=second, item=propaganda, created_by=world.author)
    tasks = Indicator.objects.get(outline__plan=world.plan, code="nhiem-vu-cchc")
    satisfied = Indicator.objects.get(outline__plan=world.plan, code="ty-le-hai-long")
    with f.unlocked():
        accepted = UnitReport.objects.create(inspection=second, status=UnitReport.Status.ACCEPTED)
        IndicatorValue.objects.create(report=accepted, indicator=tasks, value=118)
        IndicatorValue.objects.create(report=accepted, indicator=satisfied, value=90)
        IndicatorValue.objects.create(report=world.report, indicator=satisfied, value=80)
    # A draft report's figures are not totalled.
    third = f.InspectionFactory(
        plan=world.plan, unit=Unit.objects.get(name="Huyện Vĩnh Lộc"), team=world.team
    )
    draft = UnitReport.objects.create(inspection=third)
    IndicatorValue.objects.create(report=draft, indicator=tasks, value=100000)
    return world


def test_summary_report_reads_in_order(client, staff, year):
    data = download(client, staff, "findings:summary-pdf", year.plan.pk)

    assert_common_layout(data)
    assert_page_numbers(data)
    text = pdf_text(data)
    assert_in_order(
        text,
        [
            "Số:",
            "/BC-SNV",
            "BÁO CÁO",
            "Kết quả kiểm tra công tác cải cách hành chính năm 2023",
            "Sở Nội vụ báo cáo UBND tỉnh Thanh Hóa và Bộ Nội vụ",
            "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH KIỂM TRA",
            "Kế hoạch dự kiến kiểm tra 18 cơ quan, đơn vị, địa phương",
            "đã hoàn thành kiểm tra 2 cơ quan, đơn vị, địa phương",
            "đạt 11,11% kế hoạch",
            "I Các Sở, ngành cấp tỉnh 6 1 16,67%",
            "III UBND cấp huyện 10 1 10,00%",
            "Tổng cộng 18 2 11,11%",
            "II. KẾT QUẢ KIỂM TRA THEO LĨNH VỰC",
            "I.2 Công tác tuyên truyền cải cách hành chính. 1 2 0 2",
            "II.2 Cải cách thủ tục hành chính",
            "III. NHỮNG TỒN TẠI, HẠN CHẾ PHỔ BIẾN",
            "1. Mục I.2 “Công tác tuyên truyền cải cách hành chính”: 2/2 cơ quan, đơn vị",
            "(Huyện Đông Sơn, Sở Tư pháp)",
            "2. Mục II.2",
            "IV. TÌNH HÌNH KHẮC PHỤC SAU KIỂM TRA",
            "Đã ban hành 1 thông báo kết luận kiểm tra với 2 yêu cầu khắc phục",
            "1 yêu cầu đang khắc phục",
            "1 yêu cầu đã xác nhận hoàn thành",
            "1 yêu cầu đã quá thời hạn khắc phục",
            "V. TỔNG HỢP SỐ LIỆU BÁO CÁO CỦA CÁC ĐƠN VỊ",
            "Tổng hợp từ 2 báo cáo",
            "Số nhiệm vụ trong kế hoạch CCHC năm nhiệm vụ 7.000 2",
            "Tỷ lệ hài lòng qua khảo sát mức độ hài lòng % 85,00% (bình quân) 2",
            "Nơi nhận:",
            "- Bộ Nội vụ (để b/c);",
            "- UBND tỉnh Thanh Hóa (để b/c);",
            "- Lưu: VT, CCHC (02).",
            "GIÁM ĐỐC",
            "Trần Quốc Huy",
        ],
    )
    assert "100.000" not in text


def test_summary_query_count_does_not_grow_with_the_year(year, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        context = summary_context(year.plan)
    assert context["remediation"]["overdue"] == 1
    assert [row["count"] for row in context["common"]] == [2, 1]
    for _ in range(5):
        extra = f.InspectionFactory(
            plan=year.plan,
            unit=f.UnitFactory(),
            team=year.team,
            status=Inspection.Status.REVIEWED,
        )
        f.FindingFactory(
            inspection=extra,
            item=OutlineItem.objects.get(outline__plan=year.plan, order=24),
            kind=Finding.Kind.VIOLATION,
            created_by=year.author,
        )
    with django_assert_max_num_queries(20):
        context = summary_context(year.plan)
    assert [row["count"] for row in context["common"]] == [6, 2]


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_summary_for_the_staff_side(client, world, persona, request):
    download(client, request.getfixturevalue(persona), "findings:summary-pdf", world.plan.pk)


@pytest.mark.parametrize("persona", ["team_member", "focal_a", "outsider"])
def test_summary_refused_to_others(client, world, persona, request):
    user = request.getfixturevalue(persona)
    assert status_of(client, user, "findings:summary-pdf", world.plan.pk) == 403


def test_summary_anonymous_is_sent_to_log_in(client, world):
    response = client.get(reverse("findings:summary-pdf", args=[world.plan.pk]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_issued_conclusions_only_are_counted(year):
    Conclusion.objects.filter(pk=year.conclusion.pk).update(status=Conclusion.Status.DRAFT)
    context = summary_context(year.plan)
    assert context["remediation"]["total"] == 0
