"""The findings register and the remediation tracker as Excel, with the list filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc_inspection.spreadsheets import OVERDUE_FILL
from findings.exports import write_findings
from findings.models import Conclusion, Finding, RemediationAction
from tests import factories as f
from tests.units.xlsx import read_xlsx, row_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(world, staff):
    item = world.heading
    a = f.FindingFactory(
        inspection=world.inspection_a,
        item=item,
        kind=Finding.Kind.SHORTCOMING,
        description="=Chưa ban hành kế hoạch tuyên truyền",
        recommendation="Ban hành kế hoạch",
        handling=Finding.Handling.UNIT_FIXES,
        created_by=staff,
    )
    b = f.FindingFactory(
        inspection=world.inspection_b,
        item=item,
        kind=Finding.Kind.VIOLATION,
        description="Giải quyết hồ sơ quá hạn",
        created_by=staff,
    )
    return a, b


@pytest.fixture
def actions(world, staff):
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a,
        status=Conclusion.Status.ISSUED,
        number=7,
        created_by=staff,
    )
    today = timezone.localdate()
    late = f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        requirement="+Bổ sung quy chế",
        deadline=today - datetime.timedelta(days=12),
    )
    on_time = f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        requirement="Niêm yết thủ tục hành chính",
        deadline=today + datetime.timedelta(days=30),
    )
    done = f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        requirement="Cập nhật cổng dịch vụ công",
        deadline=today - datetime.timedelta(days=3),
        status=RemediationAction.Status.VERIFIED,
    )
    return late, on_time, done


def save_and_read(writer):
    import openpyxl

    handle = writer.save()
    sheet = openpyxl.load_workbook(handle).worksheets[0]
    return sheet, [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_register_writer_headers_and_rows(findings):
    sheet, rows = save_and_read(write_findings(Finding.objects.order_by("pk")))
    assert rows[0][0] == "SỔ THEO DÕI KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
    assert rows[2][:7] == (
        "TT",
        "Năm",
        "Cơ quan, đơn vị",
        "Nhóm đơn vị",
        "Lĩnh vực",
        "Loại",
        "Nội dung",
    )
    first = row_starting(rows, 1, 2023, "Sở Tư pháp")
    assert first[3:7] == (
        "Sở, ngành cấp tỉnh",
        "1. Công tác tuyên truyền",
        "Tồn tại, hạn chế",
        "=Chưa ban hành kế hoạch tuyên truyền",
    )
    assert first[8] == "Ban hành kế hoạch"
    assert first[10] == "Đơn vị tự khắc phục"
    # The description typed with a leading "=" stays text, never a formula.
    assert sheet.cell(row=4, column=7).data_type == "s"
    assert row_starting(rows, 2, 2023, "Huyện Đông Sơn")[5] == "Vi phạm"
    assert sheet.freeze_panes == "D4"


def test_register_export_access(client, focal_a, team_member):
    url = reverse("findings:finding-export")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_register_export_applies_the_register_filters(client, staff, findings):
    client.force_login(staff)
    response = client.get(reverse("findings:finding-export"), {"kind": "violation"})
    assert response.status_code == 200
    assert "so-ket-qua-kiem-tra-" in response["Content-Disposition"]
    _, rows = read_xlsx(response)
    data = rows[3:]
    assert [r[2] for r in data] == ["Huyện Đông Sơn"]
    response = client.get(reverse("findings:finding-export"), {"q": "to tu phap"})
    assert len(read_xlsx(response)[1]) == 3  # nothing matches: header only
    response = client.get(reverse("findings:finding-export"), {"q": "SO TU PHAP"})
    assert [r[2] for r in read_xlsx(response)[1][3:]] == ["Sở Tư pháp"]


def test_tracker_export_marks_overdue_rows(client, staff, actions):
    client.force_login(staff)
    response = client.get(reverse("findings:tracker-export"))
    assert response.status_code == 200
    sheet, rows = read_xlsx(response)
    assert rows[2][:5] == (
        "TT",
        "Cơ quan, đơn vị",
        "Thông báo kết luận",
        "Lĩnh vực",
        "Yêu cầu khắc phục",
    )
    late = row_starting(rows, 1, "Sở Tư pháp")
    assert late[2] == "07/TB-SNV"
    assert late[4] == "+Bổ sung quy chế"
    assert late[8] == "Đang khắc phục"
    assert late[9] == "Quá hạn 12 ngày"
    assert sheet.cell(row=4, column=5).data_type == "s"
    assert sheet.cell(row=4, column=2).fill.fgColor.rgb.endswith(OVERDUE_FILL.fgColor.rgb[-6:])
    verified = row_starting(rows, 2, "Sở Tư pháp")
    assert verified[4] == "Cập nhật cổng dịch vụ công" and verified[9] is None
    assert (
        sheet.cell(row=5, column=2).fill.fgColor.rgb != sheet.cell(row=4, column=2).fill.fgColor.rgb
    )
    on_time = row_starting(rows, 3, "Sở Tư pháp")
    assert on_time[9] is None


def test_tracker_export_applies_the_tracker_filters(client, staff, actions):
    client.force_login(staff)
    response = client.get(reverse("findings:tracker-export"), {"overdue": "1"})
    _, rows = read_xlsx(response)
    assert [r[4] for r in rows[3:]] == ["+Bổ sung quy chế"]


def test_tracker_export_access(client, focal_a, team_member):
    url = reverse("findings:tracker-export")
    assert client.get(url).status_code == 302
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403
