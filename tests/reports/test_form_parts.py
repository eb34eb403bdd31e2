"""The unit's report form, one part of the outline at a time: the navigation with each
part's progress, the way back to an item after a save or a refused submission, the list
of evidence files, and the issued outline kept in memory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import InspectionPlan
from reports import figures
from reports.models import (
    IndicatorRule,
    IndicatorValue,
    ItemAnswer,
    ReviewComment,
    UnitReport,
)
from reports.views.unit_page import PART_MAX_ITEMS
from tests import factories as f
from units.models import Unit

from .test_portal import FETCH, edit_url, item_post, request_report, save_url


@pytest.fixture
def report_a(world):
    return request_report(world.inspection_a)


@pytest.fixture
def part_two(world):
    """Phần II of the outline: a section, one heading, one point with a figure."""
    section = f.OutlineItemFactory(
        outline=world.outline,
        kind="section",
        label="II",
        title="KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
        answerable=False,
        order=10,
    )
    heading = f.OutlineItemFactory(
        outline=world.outline, parent=section, label="1", title="Cải cách thể chế", order=11
    )
    indicator = f.IndicatorFactory(item=heading, label="Số văn bản QPPL đã ban hành")
    return section, heading, indicator


def page(client, inspection, part=""):
    url = edit_url(inspection) + (f"?phan={part}" if part != "" else "")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_first_part_opens_with_every_part_in_the_navigation(
    client, world, report_a, focal_a, part_two
):
    section, heading, indicator = part_two
    ItemAnswer.objects.create(report=report_a, item=world.heading, text="Đã trả lời")
    client.force_login(focal_a)
    body = page(client, world.inspection_a)
    assert f'id="item-{world.heading.pk}"' in body
    assert f'id="item-{heading.pk}"' not in body and indicator.label not in body
    nav = body[body.index('aria-label="Các phần của báo cáo"') :]
    first = f'href="{edit_url(world.inspection_a)}?phan={world.section.pk}" aria-current="page"'
    assert first in nav
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in nav
    assert "Đã trả lời 1/2 mục; đã nhập 0/1 số liệu" in nav
    assert "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH" in nav
    assert "Tài liệu kiểm chứng" in nav
    assert "Phần sau: II. KẾT QUẢ THỰC HIỆN" in body
    # The overall progress still counts the whole report.
    assert "Số liệu đã nhập" in body


def test_a_part_is_opened_by_any_of_its_items(client, world, report_a, focal_a, part_two):
    section, heading, indicator = part_two
    client.force_login(focal_a)
    for key in (section.pk, heading.pk):
        body = page(client, world.inspection_a, key)
        assert indicator.label in body and f'id="item-{heading.pk}"' in body
        assert f'id="item-{world.heading.pk}"' not in body
        assert "Phần trước: I. CÔNG TÁC CHỈ ĐẠO" in body


@pytest.mark.parametrize("key", ["999999", "abc", "-1"])
def test_an_unknown_part_is_404(client, world, report_a, focal_a, key):
    client.force_login(focal_a)
    assert client.get(f"{edit_url(world.inspection_a)}?phan={key}").status_code == 404


def test_an_item_the_unit_is_not_asked_is_no_part(client, world, report_a, focal_a):
    hidden = f.OutlineItemFactory(
        outline=world.outline, title="Chỉ cấp huyện", audience="district", order=20
    )
    client.force_login(focal_a)
    assert client.get(f"{edit_url(world.inspection_a)}?phan={hidden.pk}").status_code == 404


@pytest.fixture
def long_part(world):
    """A part with more items than a page shows: two headings of many points each."""
    section = f.OutlineItemFactory(
        outline=world.outline, kind="section", label="II", title="KẾT QUẢ", order=100
    )
    headings = []
    for n in (1, 2):
        heading = f.OutlineItemFactory(
            outline=world.outline,
            parent=section,
            label=str(n),
            title=f"Lĩnh vực số {n}",
            order=100 + n * 50,
        )
        for p in range(PART_MAX_ITEMS // 2 + 1):
            f.OutlineItemFactory(
                outline=world.outline,
                parent=heading,
                kind="point",
                label="-",
                title=f"Điểm {n}.{p}",
                order=100 + n * 50 + p + 1,
            )
        headings.append(heading)
    return section, headings


def test_a_long_part_is_shown_one_heading_at_a_time(client, world, report_a, focal_a, long_part):
    section, (first, second) = long_part
    client.force_login(focal_a)
    body = page(client, world.inspection_a, first.pk)
    # The section's own row opens its first heading's page.
    assert f'id="item-{section.pk}"' in body and f'id="item-{first.pk}"' in body
    assert "Điểm 1.0" in body and "Điểm 2.0" not in body
    nav = body[body.index('aria-label="Các phần của báo cáo"') :]
    assert '<div class="list-group-item fw-semibold">II. KẾT QUẢ</div>' in nav
    assert f'?phan={first.pk}" aria-current="page"' in nav
    assert f'?phan={second.pk}"' in nav and "2. Lĩnh vực số 2" in nav
    assert "Phần sau: II.2. Lĩnh vực số 2" in body

    body = page(client, world.inspection_a, second.pk)
    assert "Điểm 2.0" in body and "Điểm 1.0" not in body
    assert f'id="item-{section.pk}"' not in body
    assert '<h2 class="h5 outline-section mt-4 mb-2">II. KẾT QUẢ</h2>' in body
    assert "Phần trước: II.1. Lĩnh vực số 1" in body
    # The section itself leads to its first page.
    assert "Điểm 1.0" in page(client, world.inspection_a, section.pk)


def test_a_long_part_without_headings_stays_one_page(client, world, report_a, focal_a):
    section = f.OutlineItemFactory(
        outline=world.outline, kind="section", label="V", title="PHƯƠNG HƯỚNG", order=100
    )
    for p in range(PART_MAX_ITEMS + 1):
        f.OutlineItemFactory(
            outline=world.outline,
            parent=section,
            kind="point",
            label="-",
            title=f"Nhiệm vụ số {p}",
            order=101 + p,
        )
    client.force_login(focal_a)
    body = page(client, world.inspection_a, section.pk)
    assert "Nhiệm vụ số 0" in body and f"Nhiệm vụ số {PART_MAX_ITEMS}" in body


def test_saving_without_the_script_returns_to_the_items_part(
    client, world, report_a, focal_a, part_two
):
    section, heading, indicator = part_two
    client.force_login(focal_a)
    data = {"text": "Đã ban hành 3 văn bản", "text_version": 0, f"v{indicator.pk}": "3"}
    response = client.post(save_url(world.inspection_a, heading), data)
    back = f"{edit_url(world.inspection_a)}?phan={heading.pk}#item-{heading.pk}"
    assert response.status_code == 302 and response["Location"] == back
    value_url = reverse("reports:value-save", args=[world.inspection_a.pk, indicator.pk])
    response = client.post(value_url, {"value": "4", "version": 1})
    assert response.status_code == 302 and response["Location"] == back
    assert IndicatorValue.objects.get(indicator=indicator).value == 4


def test_a_refused_save_shows_the_items_part_with_what_was_typed(
    client, world, report_a, focal_a, part_two
):
    section, heading, indicator = part_two
    client.force_login(focal_a)
    data = {"text": "Nội dung chưa lưu", "text_version": 0, f"v{indicator.pk}": "ba"}
    response = client.post(save_url(world.inspection_a, heading), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nội dung chưa lưu" in body and 'value="ba"' in body
    assert f'id="item-{world.heading.pk}"' not in body  # the other part
    # The error is tied to its input for a screen reader.
    input_id = f"id_item{heading.pk}_v{indicator.pk}"
    assert f'aria-invalid="true" aria-describedby="{input_id}_error"' in body
    assert f'<div id="{input_id}_error"><div class="small text-danger">“ba” không phải' in body


def test_a_refused_submission_links_each_problem_to_its_item(
    client, world, report_a, focal_a, part_two
):
    section, heading, indicator = part_two
    total = f.IndicatorFactory(item=heading, label="Tổng số văn bản")
    rule = IndicatorRule.objects.create(
        outline=world.outline,
        operator=IndicatorRule.Operator.AT_MOST,
        target=total,
        message="Số văn bản QPPL không được lớn hơn tổng số văn bản",
    )
    rule.terms.set([indicator])
    IndicatorValue.objects.create(report=report_a, indicator=indicator, value=5)
    IndicatorValue.objects.create(report=report_a, indicator=total, value=2)
    IndicatorValue.objects.create(report=report_a, indicator=world.indicator, value=-1)
    client.force_login(focal_a)
    submit = reverse("reports:report-submit", args=[world.inspection_a.pk])
    response = client.post(submit, {"phan": str(world.section.pk)})
    assert response.status_code == 400
    body = response.content.decode()
    box = body[body.index('id="submit-problems"') : body.index("Các thông báo cũng hiển thị")]
    at_rule = f"{edit_url(world.inspection_a)}?phan={heading.pk}#item-{heading.pk}"
    at_own = f"{edit_url(world.inspection_a)}?phan={world.heading.pk}#item-{world.heading.pk}"
    assert f'<a class="alert-link" href="{at_rule}">Số văn bản QPPL không được lớn hơn' in box
    assert f'<a class="alert-link" href="{at_own}">{world.indicator.label}: Số lượng' in box
    # The page the person submitted from comes back, with the submit form naming it.
    assert f'id="item-{world.heading.pk}"' in body
    assert f'name="phan" value="{world.section.pk}"' in body
    assert UnitReport.objects.get().status == UnitReport.Status.DRAFT


def test_the_form_script_gets_the_navigation_with_the_progress(
    client, world, report_a, focal_a, part_two
):
    client.force_login(focal_a)
    response = client.post(
        save_url(world.inspection_a, world.heading), item_post(world, "Nội dung", "7"), **FETCH
    )
    assert response.status_code == 200
    completeness = response.json()["completeness"]
    assert "Đã trả lời 1/2 mục; đã nhập 1/1 số liệu" in completeness
    assert f'?phan={world.section.pk}" aria-current="page"' in completeness


def test_the_parts_with_the_reviewers_comments_are_marked(
    client, world, report_a, focal_a, staff, part_two
):
    section, heading, indicator = part_two
    UnitReport.objects.filter(pk=report_a.pk).update(status=UnitReport.Status.RETURNED)
    ReviewComment.objects.create(
        report=report_a, item=heading, text="Nêu rõ số văn bản QPPL.", author=staff
    )
    client.force_login(focal_a)
    body = page(client, world.inspection_a)
    assert "Nêu rõ số văn bản QPPL." not in body  # at its item, in the other part
    nav = body[body.index('aria-label="Các phần của báo cáo"') :]
    entry = nav[nav.index(f"?phan={section.pk}") :]
    entry = entry[: entry.index("</a>")]
    assert "Có nhận xét" in entry
    first = nav[nav.index(f"?phan={world.section.pk}") :]
    assert "Có nhận xét" not in first[: first.index("</a>")]
    body = page(client, world.inspection_a, heading.pk)
    assert "Nêu rõ số văn bản QPPL." in body


def test_the_district_reads_a_commune_report_part_by_part(client, world, focal_b, unit_b, part_two):
    section, heading, indicator = part_two
    commune = f.UnitFactory(name="Xã Đông Hòa", category=Unit.Category.COMMUNE, parent=unit_b)
    inspection = f.InspectionFactory(plan=world.plan, unit=commune)
    report = request_report(inspection)
    IndicatorValue.objects.create(report=report, indicator=indicator, value=1234)
    client.force_login(focal_b)
    body = page(client, inspection, heading.pk)
    assert "Chỉ xem" in body and "js-item-form" not in body
    assert "1.234 văn bản" in body
    assert 'aria-label="Các phần của báo cáo"' in body


def test_the_evidence_list_is_a_page_of_its_own(client, world, report_a, focal_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(focal_a)
    upload = reverse("reports:evidence-upload", args=[world.inspection_a.pk])
    client.post(
        upload, {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1")], "items": [world.heading.pk]}
    )
    body = page(client, world.inspection_a)
    assert "a.pdf" in body  # beside its item
    assert "1 tệp" in body and "SHA-256" not in body
    body = page(client, world.inspection_a, "tai-lieu")
    assert '<section id="evidence"' in body and "SHA-256" in body
    assert "js-item-form" not in body
    assert '?phan=tai-lieu" aria-current="page"' in body


@pytest.mark.parametrize("part", ["", "II", "tai-lieu"])
def test_each_page_has_the_same_queries_whatever_the_size(
    client, world, report_a, focal_a, part_two, agency, part
):
    section, heading, indicator = part_two
    old_plan = f.PlanFactory(agency=agency, year=2022)
    old_indicator = f.IndicatorFactory(
        item=f.OutlineItemFactory(outline=f.OutlineFactory(plan=old_plan)), code=indicator.code
    )
    old_report = UnitReport.objects.create(
        inspection=f.InspectionFactory(plan=old_plan, unit=world.inspection_a.unit),
        status=UnitReport.Status.ACCEPTED,
    )
    with f.unlocked():
        IndicatorValue.objects.create(report=old_report, indicator=old_indicator, value=9)
    key = str(heading.pk) if part == "II" else part
    client.force_login(focal_a)
    page(client, world.inspection_a, key)
    with CaptureQueriesContext(connection) as small:
        body = page(client, world.inspection_a, key)
    if part == "II":
        assert "Báo cáo năm 2022: 9 văn bản" in body
    for n in range(4):
        point = f.OutlineItemFactory(outline=world.outline, parent=heading, order=20 + n)
        more = f.IndicatorFactory(item=point)
        ItemAnswer.objects.create(report=report_a, item=point, text=f"Trả lời {n}")
        IndicatorValue.objects.create(report=report_a, indicator=more, value=n)
    with CaptureQueriesContext(connection) as large:
        body = page(client, world.inspection_a, key)
    if part == "II":
        assert "Trả lời 3" in body
    assert len(large) == len(small)


# --- The issued outline, kept in memory --------------------------------------------------------


def issued_outline(world):
    InspectionPlan.objects.filter(pk=world.plan.pk).update(status=InspectionPlan.Status.ISSUED)
    return type(world.outline).objects.select_related("plan").get(pk=world.outline.pk)


def test_an_issued_outline_is_read_once_per_process(world, django_assert_num_queries):
    figures.outline_parts(issued_outline(world))
    outline = issued_outline(world)  # the next request's copy of the outline
    with django_assert_num_queries(0):
        parts = figures.outline_parts(outline)
    assert [item.pk for item in parts.items] == [world.section.pk, world.heading.pk]
    assert [item.depth for item in parts.items] == [0, 1]


def test_a_correction_to_an_issued_outline_is_seen_at_once(world):
    figures.outline_parts(issued_outline(world))
    with f.unlocked():  # an administrator's correction; the application refuses it
        world.heading.title = "Công tác tuyên truyền (đã sửa)"
        world.heading.save()
    parts = figures.outline_parts(issued_outline(world))
    assert parts.items[1].title == "Công tác tuyên truyền (đã sửa)"


def test_a_draft_outline_is_read_at_every_request(world):
    outline = type(world.outline).objects.select_related("plan").get(pk=world.outline.pk)
    figures.outline_parts(outline)
    again = type(world.outline).objects.select_related("plan").get(pk=world.outline.pk)
    with CaptureQueriesContext(connection) as queries:
        figures.outline_parts(again)
    assert len(queries) >= 4  # items, indicators, rules, footnotes
