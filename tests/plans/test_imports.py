"""Importing Phụ lục 1 from Excel in the appendix's own layout: all or nothing."""

import unicodedata

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plans.imports import import_appendix
from plans.models import InspectionPlan, PlanEntry, PlanGroup
from tests import factories as f
from tests.units.xlsx import make_xlsx, upload

pytestmark = pytest.mark.django_db

UNITS = [
    ("Sở Giáo dục và Đào tạo", "department"),
    ("Sở Tư pháp", "department"),
    ("Bảo hiểm xã hội tỉnh", "central"),
    ("Thành phố Thanh Hóa", "district"),
    ("Huyện Đông Sơn", "district"),
]


@pytest.fixture
def roster(db):
    return {name: f.UnitFactory(name=name, category=category) for name, category in UNITS}


@pytest.fixture
def plan(agency):
    return f.PlanFactory(agency=agency)


def seed_like_sheet(*, extra_rows=()):
    """Phụ lục 1 as provinces keep it: two title rows, the header, group rows with Roman
    numerals (the seed numbers its third group "II" again), the period merged down each
    group, a blank line, trailing spaces, NFD text and the other tone-mark placement."""
    rows = [
        ["Phụ lục 1", None, None, None],
        ["Danh sách cơ quan, đơn vị dự kiến thực hiện kiểm tra", None, None, None],
        ["TT", "Các cơ quan, đơn vị", "Thời gian dự kiến", "Ghi chú"],
        ["I", "Các Sở, ngành cấp tỉnh", None, None],  # row 4
        [1, "Sở Giáo dục và Đào tạo ", "Quý II, quý III năm 2023", None],  # row 5
        [2, unicodedata.normalize("NFD", "Sở Tư pháp"), None, "=Kiểm tra trực tiếp"],  # 6
        [None, None, None, None],  # row 7: blank
        ["II", "Các cơ quan Trung ương đóng trên địa bàn tỉnh", None, None],  # row 8
        [1, "Bảo hiểm xã hội tỉnh", "Trong năm 2023", None],  # row 9
        ["II", "UBND cấp huyện", None, None],  # row 10
        [1, "Thành phố Thanh Hoá", "Trong năm 2023", None],  # row 11
        [2, "huyện đông sơn", None, None],  # row 12
        *extra_rows,
    ]
    merges = ["A1:D1", "A2:D2", "C5:C7", "C11:C12"]
    return make_xlsx(rows, merges)


def test_appendix_layout_imports_groups_periods_and_units(plan, roster):
    outcome = import_appendix(plan, seed_like_sheet())
    assert outcome.ok, outcome.problems
    assert outcome.created == 5
    groups = list(plan.groups.order_by("order").values_list("title", "expected_period"))
    assert groups == [
        ("Các Sở, ngành cấp tỉnh", "Quý II, quý III năm 2023"),
        ("Các cơ quan Trung ương đóng trên địa bàn tỉnh", "Trong năm 2023"),
        ("UBND cấp huyện", "Trong năm 2023"),
    ]
    sotuphap = PlanEntry.objects.get(plan=plan, unit=roster["Sở Tư pháp"])
    assert sotuphap.group.title == "Các Sở, ngành cấp tỉnh"
    assert sotuphap.period == "Quý II, quý III năm 2023"  # from the merged cell
    assert sotuphap.note == "=Kiểm tra trực tiếp"
    city = PlanEntry.objects.get(plan=plan, unit=roster["Thành phố Thanh Hóa"])
    assert city.group.title == "UBND cấp huyện"
    assert PlanEntry.objects.filter(plan=plan, unit=roster["Huyện Đông Sơn"]).exists()


def test_existing_groups_are_reused_and_reimport_adds_nothing(plan, roster):
    group = f.PlanGroupFactory(plan=plan, order=1, title="Các sở, ngành cấp tỉnh")
    assert import_appendix(plan, seed_like_sheet()).ok
    assert PlanEntry.objects.get(unit=roster["Sở Tư pháp"]).group == group
    outcome = import_appendix(plan, seed_like_sheet())
    assert (outcome.created, outcome.updated) == (0, 0)
    assert PlanEntry.objects.filter(plan=plan).count() == 5


def test_one_bad_row_imports_nothing_and_names_the_row(plan, roster):
    data = seed_like_sheet(extra_rows=[[3, "Huyện Không Có Thật", None, None]])
    outcome = import_appendix(plan, data)
    assert not outcome.ok
    assert [(p.row, p.message) for p in outcome.problems] == [
        (
            13,
            "Các cơ quan, đơn vị: Không tìm thấy cơ quan, đơn vị “Huyện Không Có Thật” "
            "trong danh mục.",
        )
    ]
    assert not PlanEntry.objects.exists()
    assert not PlanGroup.objects.exists()  # groups added for the file were rolled back


def test_unit_listed_twice_is_refused(plan, roster):
    data = seed_like_sheet(extra_rows=[[3, "Thành phố Thanh Hóa", None, None]])
    outcome = import_appendix(plan, data)
    assert [(p.row, p.message) for p in outcome.problems] == [
        (13, "Các cơ quan, đơn vị: Đơn vị này đã có ở dòng 11 của tệp.")
    ]
    assert not PlanEntry.objects.exists()


def test_unit_no_longer_in_force_in_the_plan_year_is_not_matched(plan, roster):
    import datetime

    roster["Huyện Đông Sơn"].valid_to = datetime.date(2022, 12, 31)
    roster["Huyện Đông Sơn"].save()
    outcome = import_appendix(plan, seed_like_sheet())
    assert [p.row for p in outcome.problems] == [12]


def test_issued_plan_refuses_import(plan, roster):
    InspectionPlan.objects.filter(pk=plan.pk).update(status=InspectionPlan.Status.ISSUED)
    plan.refresh_from_db()
    outcome = import_appendix(plan, seed_like_sheet())
    assert outcome.problems[0].row is None
    assert "đã ban hành" in outcome.problems[0].message
    assert not PlanEntry.objects.exists()


# --- the staff page --------------------------------------------------------------------


def test_import_page_access(client, plan, focal_a, team_member):
    url = reverse("plans:appendix-import", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_import_page_imports_a_clean_file(client, staff, plan, roster):
    client.force_login(staff)
    url = reverse("plans:appendix-import", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(seed_like_sheet())})
    assert response.status_code == 302
    assert response.url == reverse("plans:plan-appendix", args=[plan.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Đã nhập Phụ lục 1: thêm mới 5, cập nhật 0, không đổi 0 đơn vị."
    assert plan.entries.count() == 5


def test_import_page_lists_bad_rows(client, staff, plan, roster):
    client.force_login(staff)
    data = seed_like_sheet(extra_rows=[[3, "Huyện Không Có Thật", None, None]])
    response = client.post(reverse("plans:appendix-import", args=[plan.pk]), {"file": upload(data)})
    assert response.status_code == 200
    content = response.content.decode()
    assert '<td class="text-nowrap">13</td>' in content
    assert "Không tìm thấy cơ quan, đơn vị “Huyện Không Có Thật”" in content
    assert not plan.entries.exists()


def test_import_page_of_issued_plan_redirects_with_message(client, staff, plan, roster):
    InspectionPlan.objects.filter(pk=plan.pk).update(status=InspectionPlan.Status.ISSUED)
    client.force_login(staff)
    url = reverse("plans:appendix-import", args=[plan.pk])
    response = client.post(url, {"file": upload(seed_like_sheet())}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:plan-detail", args=[plan.pk])
    assert "đã ban hành" in response.content.decode()
    assert not plan.entries.exists()
