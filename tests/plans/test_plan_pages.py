"""The read-only plan pages: the plan list and the plan as its document reads.

The seed is loaded before any persona or factory row exists, because its rows carry
explicit primary keys.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services as plans_services
from plans.models import InspectionPlan
from reports.models import Footnote, IndicatorRule
from units.models import Unit

from .. import factories as f


@pytest.fixture
def seed(db):
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)
    return InspectionPlan.objects.get(year=2023)


def urls(plan):
    return [reverse("plans:plan-list"), reverse("plans:plan-detail", args=[plan.pk])]


def test_anonymous_is_sent_to_log_in(client, seed):
    for url in urls(seed):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["focal_a", "focal_b", "team_member", "outsider"])
def test_other_roles_are_refused(client, seed, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(seed):
        response = client.get(url)
        assert response.status_code == 403
        assert "Sở Giáo dục và Đào tạo" not in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_plan_page_reads_as_the_document(client, seed, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("plans:plan-detail", args=[seed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # Sections I–IV: the frame headings and the paragraphs from the fields.
    for text in [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. ĐỐI TƯỢNG VÀ HÌNH THỨC KIỂM TRA",
        "III. NỘI DUNG KIỂM TRA",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ",
        "Theo quyết định thành lập Đoàn kiểm tra.",
        "- Kịp thời khắc phục những tồn tại, hạn chế;",
        "- Lưu: VT; CCHC (02).",
        "Trần Quốc Huy",
        "UBND TỈNH THANH HÓA",
    ]:
        assert text in html, text
    # Phụ lục 1: groups numbered from their order, the period spanning its group.
    for numeral, title in [
        ("I", "Các Sở, ngành cấp tỉnh"),
        ("II", "Các cơ quan Trung ương đóng trên địa bàn tỉnh"),
        ("III", "UBND cấp huyện"),
    ]:
        assert f'<th scope="rowgroup" class="text-center">{numeral}</th>' in html
        assert title in html
    assert html.count("Quý II, quý III năm 2023") == 1
    assert 'rowspan="6">Quý II, quý III năm 2023' in html
    assert 'rowspan="2">Trong năm 2023' in html
    assert 'rowspan="10">Trong năm 2023' in html
    # Phụ lục 2: a dash item, the audience badges, a figure, a rule, the footnotes.
    assert "- Việc ban hành và tổ chức thực hiện kế hoạch tuyên truyền;" in html
    assert "Chỉ Sở Tài chính" in html
    assert "Chỉ UBND cấp huyện" in html
    assert "Tổng số hồ sơ TTHC đã tiếp nhận" in html
    assert "đồng/người/tháng" in html
    assert "Tổng số hồ sơ tiếp nhận phải bằng tổng hồ sơ trực tiếp, qua BCCI và trực tuyến." in html
    assert 'id="chu-thich-2"' in html and 'href="#chu-thich-2"' in html
    assert "Số liệu báo cáo (từ 01/01/2021 đến thời điểm báo cáo)" in html


def test_plan_list_shows_counts_and_status(client, seed, staff):
    f.InspectionFactory(plan=seed, unit=seed.entries.first().unit)
    client.force_login(staff)
    response = client.get(reverse("plans:plan-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kiểm tra công tác cải cách hành chính năm 2023" in html
    assert reverse("plans:plan-detail", args=[seed.pk]) in html
    assert "Dự thảo" in html
    row = html[html.index(reverse("plans:plan-detail", args=[seed.pk])) :]
    assert '<td class="text-end">18</td>' in row
    assert '<td class="text-end">1</td>' in row


def test_plan_without_outline_or_entries_still_opens(client, seed, staff, agency):
    bare = f.PlanFactory(agency=agency, year=2024)
    client.force_login(staff)
    response = client.get(reverse("plans:plan-detail", args=[bare.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phụ lục 1 chưa có cơ quan, đơn vị nào." in html
    assert "Kế hoạch chưa có đề cương báo cáo." in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_plan_page_queries_do_not_grow_with_the_plan(client, seed, world, staff):
    # The small plan gets a rule and a footnote too, so both take the same code paths.
    rule = IndicatorRule.objects.create(
        outline=world.outline,
        operator="le",
        target=world.indicator,
        message="Số liệu không được lớn hơn chính nó.",
    )
    rule.terms.add(world.indicator)
    Footnote.objects.create(outline=world.outline, number=1, text="Chú thích", item=world.heading)
    client.force_login(staff)
    small = count_queries(client, reverse("plans:plan-detail", args=[world.plan.pk]))
    large = count_queries(client, reverse("plans:plan-detail", args=[seed.pk]))
    assert small == large
    assert large <= 15


def test_plan_list_queries_do_not_grow_with_the_plans(client, seed, staff, agency):
    client.force_login(staff)
    one = count_queries(client, reverse("plans:plan-list"))
    for year in range(2015, 2022):
        plan = f.PlanFactory(agency=agency, year=year)
        f.PlanEntryFactory(group=f.PlanGroupFactory(plan=plan, order=1))
        f.InspectionFactory(plan=plan)
    many = count_queries(client, reverse("plans:plan-list"))
    assert one == many


def test_issued_plan_appendices_are_cached_and_follow_unit_renames(client, seed, staff, leader):
    """An issued plan's appendices are locked, so they are rendered once; the unit names in
    them are the one thing that can still change, and a rename shows on the next visit."""
    plans_services.plan_issue(plan=seed, actor=leader)
    url = reverse("plans:plan-detail", args=[seed.pk])
    client.force_login(staff)
    first = count_queries(client, url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(queries) < first
    assert not any("reports_outlineitem" in query["sql"] for query in queries.captured_queries)
    assert "Chỉ Sở Tài chính" in html and "Tổng số hồ sơ TTHC đã tiếp nhận" in html

    listed = seed.entries.select_related("unit").first().unit
    listed.name = "Sở Tư pháp (đổi tên)"
    listed.save()
    finance = Unit.objects.get(name="Sở Tài chính")
    finance.name = "Sở Tài chính và Kế hoạch"
    finance.save()
    html = client.get(url).content.decode()
    assert "Sở Tư pháp (đổi tên)" in html
    assert "Chỉ Sở Tài chính và Kế hoạch" in html


def test_draft_plan_appendices_show_each_edit_at_once(client, world, staff):
    client.force_login(staff)
    url = reverse("plans:plan-detail", args=[world.plan.pk])
    assert "Huyện Mới Lập" not in client.get(url).content.decode()
    f.PlanEntryFactory(
        plan=world.plan, group=world.group, unit=f.UnitFactory(name="Huyện Mới Lập"), order=5
    )
    f.IndicatorFactory(item=world.heading, label="Chỉ tiêu vừa thêm")
    html = client.get(url).content.decode()
    assert "Huyện Mới Lập" in html and "Chỉ tiêu vừa thêm" in html
