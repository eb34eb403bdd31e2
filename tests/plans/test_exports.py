"""Phụ lục 1 as Excel, in the appendix's own layout."""

import datetime

import pytest
from django.urls import reverse

from plans.imports import import_appendix
from plans.models import InspectionPlan
from tests import factories as f
from tests.units.xlsx import read_xlsx, row_starting

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agency):
    plan = f.PlanFactory(agency=agency)
    departments = f.PlanGroupFactory(
        plan=plan,
        order=1,
        title="Các Sở, ngành cấp tỉnh",
        expected_period="Quý II, quý III năm 2023",
    )
    districts = f.PlanGroupFactory(
        plan=plan, order=2, title="UBND cấp huyện", expected_period="Trong năm 2023"
    )
    for order, name in enumerate(["Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Sở Y tế"]):
        unit = f.UnitFactory(name=name)
        f.PlanEntryFactory(plan=plan, group=departments, unit=unit, order=order)
    city = f.UnitFactory(name="Thành phố Thanh Hóa", category="district")
    f.PlanEntryFactory(plan=plan, group=districts, unit=city, note="@Kiểm tra trực tiếp")
    return plan


def export(client, user, plan):
    client.force_login(user)
    return client.get(reverse("plans:appendix-export", args=[plan.pk]))


def test_access(client, plan, focal_a, team_member):
    url = reverse("plans:appendix-export", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_appendix_layout(client, staff, plan):
    response = export(client, staff, plan)
    assert response.status_code == 200
    assert 'filename="phu-luc-1-ke-hoach-2023.xlsx"' in response["Content-Disposition"]
    sheet, rows = read_xlsx(response)
    assert rows[0][0] == "Phụ lục 1"
    assert rows[1][0] == "Danh sách cơ quan, đơn vị dự kiến thực hiện kiểm tra"
    assert rows[2][0].startswith("(Kèm theo Kế hoạch số")
    assert rows[4] == ("TT", "Các cơ quan, đơn vị", "Thời gian dự kiến", "Ghi chú")
    assert rows[5][:2] == ("I", "Các Sở, ngành cấp tỉnh")
    assert rows[6] == (1, "Sở Giáo dục và Đào tạo", "Quý II, quý III năm 2023", None)
    assert rows[8][:2] == (3, "Sở Y tế")
    assert rows[9][:2] == ("II", "UBND cấp huyện")
    city = row_starting(rows, 1, "Thành phố Thanh Hóa")
    assert city[2] == "Trong năm 2023"
    # The period spans its group's rows; titles span the table.
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "C7:C9" in merged
    assert "A1:D1" in merged
    # A note typed with a leading @ stays text.
    note = sheet.cell(row=11, column=4)
    assert note.value == "@Kiểm tra trực tiếp" and note.data_type == "s"
    assert sheet.freeze_panes == "A6"


def test_issued_plan_shows_its_number(client, staff, plan):
    InspectionPlan.objects.filter(pk=plan.pk).update(number=5, issued_on=datetime.date(2023, 3, 5))
    plan.refresh_from_db()
    _, rows = read_xlsx(export(client, staff, plan))
    assert rows[2][0] == "(Kèm theo Kế hoạch số 05/KH-SNV ngày 05/3/2023)"


def test_export_reads_back_through_the_import(client, staff, plan, agency):
    content = b"".join(export(client, staff, plan).streaming_content)
    copy = f.PlanFactory(agency=agency, year=2023, title="Bản sao")
    outcome = import_appendix(copy, content)
    assert outcome.ok, outcome.problems

    def layout(p):
        return [
            (e.group.order, e.group.title, e.unit.name, e.period, e.note)
            for e in p.entries.select_related("group", "unit").order_by("group__order", "order")
        ]

    assert layout(copy) == layout(plan)
