"""The unit's report form: access per persona, saving drafts, conflicts, submission."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from cchc_inspection.models import StatusLog
from cchc_inspection.roles import Role
from plans.models import Inspection
from reports.models import (
    Audience,
    Footnote,
    IndicatorRule,
    IndicatorValue,
    ItemAnswer,
    ReviewComment,
    UnitReport,
)
from tests import factories as f
from units.models import Unit

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def request_report(inspection, deadline=None):
    """Put an inspection where the unit answers: report requested, with a draft report."""
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=10)
    Inspection.objects.filter(pk=inspection.pk).update(
        status=Inspection.Status.REPORT_REQUESTED,
        report_deadline=deadline,
        report_requested_at=timezone.now(),
    )
    inspection.refresh_from_db()
    return UnitReport.objects.create(inspection=inspection)


@pytest.fixture
def report_a(world):
    return request_report(world.inspection_a)


@pytest.fixture
def report_b(world):
    return request_report(world.inspection_b)


def edit_url(inspection):
    return reverse("reports:report-edit", args=[inspection.pk])


def save_url(inspection, item):
    return reverse("reports:answer-save", args=[inspection.pk, item.pk])


def item_post(world, text="", figure="", text_version=0, figure_version=0):
    return {
        "text": text,
        "text_version": text_version,
        f"v{world.indicator.pk}": figure,
        f"ver{world.indicator.pk}": figure_version,
    }


# --- Who reaches the report page -------------------------------------------------------------


def test_anonymous_goes_to_login(client, world, report_a):
    response = client.get(edit_url(world.inspection_a))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["staff", "leader", "team_member", "outsider"])
def test_non_focal_personas_are_refused(client, world, report_a, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(world.inspection_a)).status_code == 403


def test_focal_person_opens_own_report(client, world, report_a, focal_a):
    client.force_login(focal_a)
    response = client.get(edit_url(world.inspection_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Báo cáo công tác cải cách hành chính năm 2023" in body
    assert world.indicator.label in body
    assert "Còn 10 ngày" in body
    assert "beforeunload" not in body  # the script is a static file, linked
    assert "js/report-form.js" in body


def test_inactive_membership_gives_404(client, world, report_a, focal_a):
    focal_a.memberships.update(is_active=False)
    client.force_login(focal_a)
    assert client.get(edit_url(world.inspection_a)).status_code == 404


def test_unit_a_gets_404_for_every_page_of_unit_b(client, world, report_a, report_b, focal_a):
    client.force_login(focal_a)
    b = world.inspection_b
    assert client.get(edit_url(b)).status_code == 404
    assert client.post(save_url(b, world.heading), item_post(world, "x")).status_code == 404
    value_url = reverse("reports:value-save", args=[b.pk, world.indicator.pk])
    assert client.post(value_url, {"value": "1", "version": 0}).status_code == 404
    assert client.post(reverse("reports:report-submit", args=[b.pk])).status_code == 404
    assert client.get(reverse("reports:evidence-upload", args=[b.pk])).status_code == 404
    assert not ItemAnswer.objects.filter(report=report_b).exists()
    assert not IndicatorValue.objects.filter(report=report_b).exists()
    report_b.refresh_from_db()
    assert report_b.status == UnitReport.Status.DRAFT


def test_page_before_the_request_says_so(client, world, focal_a):
    client.force_login(focal_a)
    response = client.get(edit_url(world.inspection_a))
    assert response.status_code == 200
    assert "chưa đề nghị đơn vị gửi báo cáo" in response.content.decode()
    assert not UnitReport.objects.exists()


# --- Saving drafts ---------------------------------------------------------------------------


def test_draft_survives_a_reload(client, world, report_a, focal_a):
    client.force_login(focal_a)
    response = client.post(
        save_url(world.inspection_a, world.heading),
        item_post(world, "Đã ban hành Kế hoạch tuyên truyền CCHC năm 2023.", "6.882"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{world.heading.pk}")
    answer = ItemAnswer.objects.get(report=report_a, item=world.heading)
    assert answer.version == 1 and answer.updated_by == focal_a
    assert IndicatorValue.objects.get(report=report_a).value == 6882
    body = client.get(edit_url(world.inspection_a)).content.decode()
    assert "Đã ban hành Kế hoạch tuyên truyền CCHC năm 2023." in body
    assert 'value="6.882"' in body
    assert "Mục đã trả lời" in body


def test_fetch_save_returns_the_item_fragment(client, world, report_a, focal_a):
    client.force_login(focal_a)
    response = client.post(
        save_url(world.inspection_a, world.heading), item_post(world, "Nội dung", "-3"), **FETCH
    )
    assert response.status_code == 200
    data = response.json()
    assert f'id="item-{world.heading.pk}"' in data["html"]
    # A negative count is kept in the draft, with its message beside the field.
    assert IndicatorValue.objects.get(report=report_a).value == -3
    assert data["messages"][str(world.indicator.pk)][0]["text"] == "Số lượng không được âm."
    assert "Số liệu đã nhập" in data["completeness"]


def test_unreadable_figure_is_refused_and_nothing_of_the_item_saved(
    client, world, report_a, focal_a
):
    client.force_login(focal_a)
    response = client.post(
        save_url(world.inspection_a, world.heading), item_post(world, "Nội dung mới", "mười")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "“mười” không phải là một số." in body
    assert "Nội dung mới" in body  # what was typed is still on the page
    assert not ItemAnswer.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_value_save_alone(client, world, report_a, focal_a):
    client.force_login(focal_a)
    url = reverse("reports:value-save", args=[world.inspection_a.pk, world.indicator.pk])
    response = client.post(url, {"value": "12", "version": 0}, **FETCH)
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["value"] == "12"
    response = client.post(url, {"value": "1,5", "version": 1}, **FETCH)
    messages = response.json()["messages"][str(world.indicator.pk)]
    assert messages[0]["text"] == "Số lượng phải là số nguyên."
    response = client.post(url, {"value": "abc", "version": 2}, **FETCH)
    assert response.status_code == 400
    assert IndicatorValue.objects.get().value == 1.5


def test_a_submitted_report_cannot_be_saved(client, world, report_a, focal_a):
    UnitReport.objects.filter(pk=report_a.pk).update(status=UnitReport.Status.SUBMITTED)
    client.force_login(focal_a)
    response = client.post(save_url(world.inspection_a, world.heading), item_post(world, "x"))
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "không thể sửa" in follow
    assert "Báo cáo đã nộp và được khóa" in follow
    assert not ItemAnswer.objects.exists()


# --- Two people of one unit ------------------------------------------------------------------


@pytest.fixture
def colleague(unit_a):
    """A second focal person of unit A."""
    user = f.UserFactory(
        username="dongnghiep", first_name="Thị B", last_name="Trần", roles=[Role.FOCAL]
    )
    f.MembershipFactory(user=user, unit=unit_a)
    return user


def test_concurrent_edit_is_refused_and_both_texts_shown(
    client, world, report_a, focal_a, colleague
):
    url = save_url(world.inspection_a, world.heading)
    client.force_login(focal_a)
    client.post(url, item_post(world, "Bản đầu tiên", "5"))
    # Both open version 1; the colleague saves first.
    client.force_login(colleague)
    assert client.post(url, item_post(world, "Bản của đồng nghiệp", "5", 1, 1)).status_code == 302
    client.force_login(focal_a)
    response = client.post(url, item_post(world, "Bản của tôi", "7", 1, 1))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Bản của đồng nghiệp" in body  # theirs
    assert "Bản của tôi" in body  # yours, still in the box
    assert f"{colleague.last_name} {colleague.first_name}" in body
    answer = ItemAnswer.objects.get()
    assert answer.text == "Bản của đồng nghiệp" and answer.version == 2
    # Nothing of the item was saved: the figure (no conflict by itself) stayed as it was.
    assert IndicatorValue.objects.get().value == 5
    # Having seen both, saving again with their version keeps mine.
    assert 'name="text_version" value="2"' in body
    assert client.post(url, item_post(world, "Bản của tôi", "7", 2, 1)).status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Bản của tôi" and answer.version == 3
    assert IndicatorValue.objects.get().value == 7


def test_concurrent_figure_save_through_fetch(client, world, report_a, focal_a, colleague):
    url = reverse("reports:value-save", args=[world.inspection_a.pk, world.indicator.pk])
    client.force_login(colleague)
    client.post(url, {"value": "10", "version": 0}, **FETCH)
    client.force_login(focal_a)
    response = client.post(url, {"value": "11", "version": 0}, **FETCH)
    assert response.status_code == 409
    assert response.json()["conflict"]["theirs"] == "10"
    assert response.json()["conflict"]["version"] == 1
    # The same value as saved is not a conflict.
    assert client.post(url, {"value": "10", "version": 0}, **FETCH).status_code == 200


# --- What the unit is asked ------------------------------------------------------------------


def test_items_that_do_not_apply_are_hidden(client, world, report_a, focal_a, unit_b):
    finance = f.UnitFactory(name="Sở Tài chính")
    finance_item = f.OutlineItemFactory(
        outline=world.outline,
        parent=world.section,
        kind="note",
        label="",
        title="Đối với Sở Tài chính: đánh giá cải cách tài chính công toàn tỉnh.",
        audience=Audience.NAMED_UNIT,
        audience_unit=finance,
        order=3,
    )
    district_item = f.OutlineItemFactory(
        outline=world.outline,
        parent=world.section,
        title="Số lượng cán bộ, công chức cấp xã",
        audience=Audience.DISTRICT,
        order=4,
    )
    child = f.OutlineItemFactory(
        outline=world.outline,
        parent=district_item,
        kind="point",
        title="Con của mục cấp huyện",
        order=5,
    )
    f.IndicatorFactory(
        item=world.heading, label="Chỉ tiêu chỉ cấp huyện", audience=Audience.DISTRICT
    )
    client.force_login(focal_a)
    body = client.get(edit_url(world.inspection_a)).content.decode()
    assert finance_item.title not in body
    assert district_item.title not in body
    assert child.title not in body
    assert "Chỉ tiêu chỉ cấp huyện" not in body
    # Saving an item that does not apply is refused.
    response = client.post(save_url(world.inspection_a, district_item), {"text": "x"})
    assert response.status_code == 404


def test_district_figures_include_communes(client, world, report_b, focal_b):
    Footnote.objects.create(
        outline=world.outline,
        number=2,
        text="Đối với các đơn vị cấp huyện thực hiện báo cáo kết quả của UBND cấp xã.",
        item=world.heading,
        covers_communes=True,
    )
    client.force_login(focal_b)
    body = client.get(edit_url(world.inspection_b)).content.decode()
    assert f"{world.indicator.label} (gồm cả cấp xã)" in body
    assert "tổng của UBND huyện và các xã thuộc huyện" in body


def test_district_focal_reads_a_commune_report_but_cannot_change_it(client, world, focal_b, unit_b):
    commune = f.UnitFactory(name="Xã Đông Hòa", category=Unit.Category.COMMUNE, parent=unit_b)
    inspection = f.InspectionFactory(plan=world.plan, unit=commune)
    report = request_report(inspection)
    ItemAnswer.objects.create(report=report, item=world.heading, text="Trả lời của xã")
    client.force_login(focal_b)
    response = client.get(edit_url(inspection))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trả lời của xã" in body
    assert "Chỉ xem" in body
    assert "js-item-form" not in body
    assert client.post(save_url(inspection, world.heading), {"text": "sửa"}).status_code == 404
    assert client.post(reverse("reports:report-submit", args=[inspection.pk])).status_code == 404


def test_previous_year_figure_is_shown_beside_the_input(client, world, report_a, focal_a, agency):
    old_plan = f.PlanFactory(agency=agency, year=2022)
    old_outline = f.OutlineFactory(plan=old_plan)
    old_item = f.OutlineItemFactory(outline=old_outline, order=1)
    old_indicator = f.IndicatorFactory(item=old_item, code=world.indicator.code)
    old_inspection = f.InspectionFactory(plan=old_plan, unit=world.inspection_a.unit)
    old_report = UnitReport.objects.create(
        inspection=old_inspection, status=UnitReport.Status.ACCEPTED
    )
    with f.unlocked():
        IndicatorValue.objects.create(report=old_report, indicator=old_indicator, value=1234)
    client.force_login(focal_a)
    body = client.get(edit_url(world.inspection_a)).content.decode()
    assert "Báo cáo năm 2022: 1.234 văn bản" in body


# --- Submission ------------------------------------------------------------------------------


def submit(client, inspection):
    return client.post(reverse("reports:report-submit", args=[inspection.pk]))


def test_submit_refused_when_nothing_is_answered(client, world, report_a, focal_a):
    client.force_login(focal_a)
    response = submit(client, world.inspection_a)
    assert response.status_code == 400
    assert "Báo cáo chưa có nội dung trả lời hay số liệu nào." in response.content.decode()
    report_a.refresh_from_db()
    assert report_a.status == UnitReport.Status.DRAFT


def test_submit_refused_while_a_rule_is_broken(client, world, report_a, focal_a):
    total = f.IndicatorFactory(item=world.heading, label="Tổng số hồ sơ tiếp nhận")
    rule = IndicatorRule.objects.create(
        outline=world.outline,
        operator=IndicatorRule.Operator.EQUAL,
        target=total,
        message="Tổng số hồ sơ tiếp nhận phải bằng tổng các hình thức tiếp nhận",
    )
    rule.terms.set([world.indicator])
    IndicatorValue.objects.create(report=report_a, indicator=world.indicator, value=10)
    IndicatorValue.objects.create(report=report_a, indicator=total, value=12)
    client.force_login(focal_a)
    response = submit(client, world.inspection_a)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tổng số hồ sơ tiếp nhận phải bằng tổng các hình thức tiếp nhận (10 ≠ 12)." in body
    assert UnitReport.objects.get().status == UnitReport.Status.DRAFT
    # A warning does not block.
    rule.severity = IndicatorRule.Severity.WARNING
    rule.save()
    assert submit(client, world.inspection_a).status_code == 302
    assert UnitReport.objects.get().status == UnitReport.Status.SUBMITTED


def test_submit_locks_the_report_and_moves_the_inspection(client, world, report_a, focal_a):
    ItemAnswer.objects.create(report=report_a, item=world.heading, text="Nội dung")
    client.force_login(focal_a)
    response = submit(client, world.inspection_a)
    assert response.status_code == 302
    report_a.refresh_from_db()
    assert report_a.status == UnitReport.Status.SUBMITTED
    assert report_a.submitted_by == focal_a and not report_a.is_late
    inspection = Inspection.objects.get(pk=world.inspection_a.pk)
    assert inspection.status == Inspection.Status.REPORT_SUBMITTED
    log = StatusLog.objects.get(
        content_type=ContentType.objects.get_for_model(UnitReport), object_id=report_a.pk
    )
    assert (log.from_status, log.to_status, log.actor) == ("draft", "submitted", focal_a)
    assert StatusLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection),
        to_status=Inspection.Status.REPORT_SUBMITTED,
    ).exists()
    body = client.get(edit_url(world.inspection_a)).content.decode()
    assert "js-item-form" not in body and "Nộp báo cáo" not in body
    # Submitting twice is an illegal move, with its message.
    again = submit(client, world.inspection_a)
    follow = client.get(again["Location"]).content.decode()
    assert "Không thể nộp báo cáo đang ở trạng thái “Đã nộp”." in follow


def test_late_submission_is_taken_and_marked(client, world, focal_a):
    report = request_report(
        world.inspection_a, deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    ItemAnswer.objects.create(report=report, item=world.heading, text="Nội dung")
    client.force_login(focal_a)
    assert "Quá hạn 2 ngày" in client.get(edit_url(world.inspection_a)).content.decode()
    response = submit(client, world.inspection_a)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED and report.is_late
    assert StatusLog.objects.filter(object_id=report.pk, note__startswith="Nộp sau hạn").exists()
    assert "Nộp sau hạn" in client.get(response["Location"]).content.decode()


def test_returned_report_reopens_with_comments_at_items(client, world, report_a, focal_a, staff):
    ItemAnswer.objects.create(report=report_a, item=world.heading, text="Nội dung cũ")
    UnitReport.objects.filter(pk=report_a.pk).update(status=UnitReport.Status.RETURNED)
    ReviewComment.objects.create(
        report=report_a, item=world.heading, text="Bổ sung số liệu tuyên truyền.", author=staff
    )
    ReviewComment.objects.create(report=report_a, text="Nhận xét chung của Đoàn.", author=staff)
    client.force_login(focal_a)
    body = client.get(edit_url(world.inspection_a)).content.decode()
    assert "Đoàn kiểm tra trả lại báo cáo để bổ sung" in body
    assert "Nhận xét chung của Đoàn." in body
    item_html = body[body.index(f'id="item-{world.heading.pk}"') :]
    assert "Bổ sung số liệu tuyên truyền." in item_html[:3000]
    assert "Nộp lại báo cáo" in body
    # The returned report is edited and submitted again.
    client.post(
        save_url(world.inspection_a, world.heading), item_post(world, "Nội dung mới", "", 1)
    )
    assert submit(client, world.inspection_a).status_code == 302
    report_a.refresh_from_db()
    assert report_a.status == UnitReport.Status.SUBMITTED


def test_report_page_queries_do_not_grow_with_the_outline(client, world, report_a, focal_a, media):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(focal_a)
    url = edit_url(world.inspection_a)
    upload = reverse("reports:evidence-upload", args=[world.inspection_a.pk])
    client.post(save_url(world.inspection_a, world.heading), item_post(world, "Một", "1"))
    client.post(
        upload, {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1")], "items": [world.heading.pk]}
    )
    ReviewComment.objects.create(
        report=report_a, item=world.heading, text="Nhận xét", author=focal_a
    )
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(5):
        item = f.OutlineItemFactory(outline=world.outline, parent=world.section, order=10 + n)
        indicator = f.IndicatorFactory(item=item)
        ItemAnswer.objects.create(report=report_a, item=item, text=f"Trả lời {n}")
        IndicatorValue.objects.create(report=report_a, indicator=indicator, value=n)
        ReviewComment.objects.create(report=report_a, item=item, text="Nhận xét", author=focal_a)
        client.post(
            upload,
            {
                "files": [SimpleUploadedFile(f"{n}.pdf", b"%PDF-" + bytes([65 + n]))],
                "items": [item.pk],
            },
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Trả lời 4" in response.content.decode()
    assert len(large) == len(small)
