"""The matrix of figures (units × indicators) as Excel."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc_inspection.spreadsheets import COUNT_FORMAT, PERCENT_FORMAT
from plans.models import Inspection
from reports.models import Audience, Indicator, IndicatorValue
from tests import factories as f
from tests.units.xlsx import read_xlsx, row_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(world):
    received = world.indicator  # "Số văn bản đã ban hành", a count
    percent = f.IndicatorFactory(
        item=world.heading,
        label="Tỷ lệ hồ sơ đúng hạn",
        kind=Indicator.Kind.PERCENT,
        unit_of_measure="%",
    )
    district_only = f.IndicatorFactory(
        item=world.heading,
        label="Số xã đạt chuẩn",
        audience=Audience.DISTRICT,
        unit_of_measure="xã",
    )
    report_a = f.UnitReportFactory(inspection=world.inspection_a)
    report_b = f.UnitReportFactory(inspection=world.inspection_b, status="submitted")
    for report, indicator, value in [
        (report_a, received, "6882"),
        (report_a, percent, "84.38"),
        (report_b, received, "118"),
        (report_b, percent, "90"),
        (report_b, district_only, "12"),
    ]:
        with f.unlocked():
            IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))
    cancelled = f.InspectionFactory(
        plan=world.plan, unit=f.UnitFactory(name="Sở Hủy"), status=Inspection.Status.CANCELLED
    )
    return world, cancelled


def test_access(client, world, focal_a, team_member):
    url = reverse("reports:matrix-export", args=[world.plan.pk])
    assert client.get(url).status_code == 302
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_matrix_rows_columns_totals_and_formats(client, staff, matrix):
    world, _ = matrix
    client.force_login(staff)
    response = client.get(reverse("reports:matrix-export", args=[world.plan.pk]))
    assert response.status_code == 200
    sheet, rows = read_xlsx(response)
    assert rows[0][0] == "TỔNG HỢP SỐ LIỆU BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2023"
    assert rows[3] == (
        "TT",
        "Cơ quan, đơn vị",
        "Trạng thái báo cáo",
        "Số văn bản đã ban hành (văn bản)",
        "Tỷ lệ hồ sơ đúng hạn (%)",
        "Số xã đạt chuẩn (xã)",
    )
    unit_a = row_starting(rows, 1, "Sở Tư pháp")
    assert unit_a[2] == "Đang soạn"
    assert unit_a[3] == 6882
    assert unit_a[4] == pytest.approx(0.8438)
    assert unit_a[5] is None  # not asked of a department
    unit_b = row_starting(rows, 2, "Huyện Đông Sơn")
    assert unit_b[2:] == ("Đã nộp", 118, pytest.approx(0.9), 12)
    assert all(r[1] != "Sở Hủy" for r in rows)  # cancelled inspections are left out
    total = row_starting(rows, None, "Tổng cộng")
    assert total[3] == 7000 and total[5] == 12
    average = row_starting(rows, None, "Bình quân")
    assert average[4] == pytest.approx(0.8719)
    assert sheet.cell(row=5, column=4).number_format == COUNT_FORMAT
    assert sheet.cell(row=5, column=5).number_format == PERCENT_FORMAT
    assert sheet.freeze_panes == "D5"


def test_plan_without_outline_still_lists_units(client, staff, agency):
    plan = f.PlanFactory(agency=agency)
    f.InspectionFactory(plan=plan, unit=f.UnitFactory(name="Sở Y tế"))
    client.force_login(staff)
    _, rows = read_xlsx(client.get(reverse("reports:matrix-export", args=[plan.pk])))
    assert row_starting(rows, 1, "Sở Y tế")[2] == "Chưa yêu cầu báo cáo"
