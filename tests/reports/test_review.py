"""Staff side of the unit's report: request, review page, return for changes, accept."""

import datetime
import hashlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc_inspection.models import StatusLog
from cchc_inspection.workflow import TransitionError
from plans import services as plans_services
from plans.models import Inspection
from reports.models import Evidence, ReviewComment, UnitReport
from reports.services import (
    answer_save,
    report_accept,
    report_request,
    report_return,
    report_submit,
    value_save,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
S = Inspection.Status


def set_status(inspection, status, **fields):
    Inspection.objects.filter(pk=inspection.pk).update(status=status, **fields)
    inspection.refresh_from_db()
    return inspection


def last_log(obj):
    return StatusLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).last()


@pytest.fixture
def scheduled(world):
    return set_status(world.inspection_a, S.SCHEDULED, report_deadline=datetime.date(2030, 6, 12))


@pytest.fixture
def submitted(world, scheduled, staff, focal_a, django_capture_on_commit_callbacks):
    """Unit A's report entered and submitted the way its focal person does it."""
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(inspection=scheduled, actor=staff)
    answer_save(
        report=report,
        item=world.heading,
        text="Đã ban hành Kế hoạch tuyên truyền CCHC năm 2023.",
        version=0,
        actor=focal_a,
    )
    value_save(report=report, indicator=world.indicator, value=6882, version=0, actor=focal_a)
    report_submit(report=report, actor=focal_a)
    report.refresh_from_db()
    mail.outbox.clear()
    return report


# --- report_request ------------------------------------------------------------------------


def test_request_moves_creates_draft_and_emails_focal_person(
    scheduled, staff, focal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(inspection=scheduled, actor=staff)

    scheduled.refresh_from_db()
    assert scheduled.status == S.REPORT_REQUESTED
    assert scheduled.report_requested_at is not None
    assert report.status == UnitReport.Status.DRAFT
    log = last_log(scheduled)
    assert (log.from_status, log.to_status, log.actor) == (S.SCHEDULED, S.REPORT_REQUESTED, staff)
    assert [m.to for m in mail.outbox] == [[focal_a.email]]
    assert "ngày 12 tháng 6 năm 2030" in mail.outbox[0].body


def test_request_refused_for_unannounced(scheduled, staff):
    scheduled.form = Inspection.Form.UNANNOUNCED
    with pytest.raises(TransitionError, match="đột xuất không yêu cầu"):
        report_request(inspection=scheduled, actor=staff)
    assert not UnitReport.objects.exists()


def test_request_refused_from_planned(world, staff):
    inspection = set_status(
        world.inspection_a, S.PLANNED, report_deadline=datetime.date(2030, 6, 1)
    )
    with pytest.raises(TransitionError, match="từ trạng thái “Dự kiến”"):
        report_request(inspection=inspection, actor=staff)
    assert not UnitReport.objects.exists()
    assert last_log(inspection) is None


# --- report_return / report_accept ---------------------------------------------------------


def test_return_needs_a_comment(submitted, staff, world):
    with pytest.raises(ValidationError, match="ít nhất một nhận xét"):
        report_return(report=submitted, comments=[(world.heading, "  ")], actor=staff)
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.SUBMITTED


def test_return_records_comments_moves_both_and_emails(
    submitted, staff, world, focal_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_return(
            report=submitted,
            comments=[(world.heading, "Bổ sung số liệu văn bản."), (None, "Nộp lại sớm.")],
            actor=staff,
        )
    submitted.refresh_from_db()
    inspection = submitted.inspection
    inspection.refresh_from_db()
    assert submitted.status == UnitReport.Status.RETURNED
    assert inspection.status == S.REPORT_REQUESTED
    assert last_log(submitted).to_status == UnitReport.Status.RETURNED
    assert last_log(inspection).from_status == S.REPORT_SUBMITTED
    comments = ReviewComment.objects.filter(report=submitted)
    assert {(c.item_id, c.round) for c in comments} == {(world.heading.pk, 1), (None, 1)}
    assert "Bổ sung số liệu văn bản." in mail.outbox[0].body


def test_return_refused_from_draft(scheduled, staff, world):
    report = report_request(inspection=scheduled, actor=staff)
    with pytest.raises(TransitionError, match="“Đang soạn” sang “Trả lại để bổ sung”"):
        report_return(report=report, comments=[(world.heading, "Thiếu")], actor=staff)
    assert not ReviewComment.objects.exists()


def test_accept_on_site_keeps_inspection_for_the_visit(submitted, staff):
    report_accept(report=submitted, actor=staff)
    submitted.refresh_from_db()
    submitted.inspection.refresh_from_db()
    assert submitted.status == UnitReport.Status.ACCEPTED
    assert submitted.inspection.status == S.REPORT_SUBMITTED
    assert last_log(submitted).to_status == UnitReport.Status.ACCEPTED


def test_accept_document_review_completes_inspection(submitted, staff):
    Inspection.objects.filter(pk=submitted.inspection_id).update(form=Inspection.Form.DOCUMENTS)
    report_accept(report=submitted, actor=staff)
    inspection = Inspection.objects.get(pk=submitted.inspection_id)
    assert inspection.status == S.REVIEWED
    assert last_log(inspection).to_status == S.REVIEWED


def test_accept_refused_twice(submitted, staff):
    report_accept(report=submitted, actor=staff)
    with pytest.raises(TransitionError, match="“Đã chấp nhận” sang “Đã chấp nhận”"):
        report_accept(report=submitted, actor=staff)


# --- Views ---------------------------------------------------------------------------------


def review_url(inspection):
    return reverse("reports:report-review", args=[inspection.pk])


def test_review_page_personas(
    client, submitted, staff, leader, team_member, focal_a, other_team_member
):
    url = review_url(submitted.inspection)
    assert client.get(url).status_code == 302
    client.force_login(focal_a)
    assert client.get(url).status_code == 403
    client.force_login(other_team_member)
    assert client.get(url).status_code == 404
    for user in (staff, leader, team_member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Đã ban hành Kế hoạch tuyên truyền CCHC năm 2023." in page
        assert "6.882" in page
        assert "1/1" in page  # items answered, figures filled


def test_review_marks_late_submission(client, submitted, staff):
    UnitReport.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2030, 6, 14, 9, tzinfo=datetime.UTC)
    )
    client.force_login(staff)
    assert "Nộp muộn so với hạn" in client.get(review_url(submitted.inspection)).content.decode()


def test_return_view_without_comment_shows_message(client, submitted, staff, world):
    client.force_login(staff)
    response = client.post(
        reverse("reports:report-return", args=[submitted.inspection_id]),
        {f"comment-{world.heading.pk}": "", "comment-general": ""},
    )
    assert response.status_code == 200
    assert "ít nhất một nhận xét" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.SUBMITTED


def test_return_view_by_team_member(client, submitted, team_member, world):
    client.force_login(team_member)
    response = client.post(
        reverse("reports:report-return", args=[submitted.inspection_id]),
        {f"comment-{world.heading.pk}": "Thiếu tài liệu kiểm chứng."},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.RETURNED
    assert submitted.comments.get().item == world.heading


def test_return_and_accept_refused_to_others(client, submitted, focal_a, other_team_member, world):
    for user, code in ((focal_a, 403), (other_team_member, 404)):
        client.force_login(user)
        url = reverse("reports:report-accept", args=[submitted.inspection_id])
        assert client.post(url).status_code == code
        url = reverse("reports:report-return", args=[submitted.inspection_id])
        assert client.post(url, {f"comment-{world.heading.pk}": "x"}).status_code == code
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.SUBMITTED


def test_accept_view(client, submitted, staff):
    client.force_login(staff)
    response = client.post(
        reverse("reports:report-accept", args=[submitted.inspection_id]), follow=True
    )
    assert "Đã chấp nhận báo cáo" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.ACCEPTED


def test_request_view(client, scheduled, staff, team_member, focal_a):
    url = reverse("reports:report-request", args=[scheduled.pk])
    assert client.post(url).status_code == 302 and not UnitReport.objects.exists()
    for user in (team_member, focal_a):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.force_login(staff)
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("plans:inspection-detail", args=[scheduled.pk])
    scheduled.refresh_from_db()
    assert scheduled.status == S.REPORT_REQUESTED


def test_request_view_refused_shows_message(client, scheduled, staff):
    Inspection.objects.filter(pk=scheduled.pk).update(form=Inspection.Form.UNANNOUNCED)
    client.force_login(staff)
    response = client.post(reverse("reports:report-request", args=[scheduled.pk]))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("đột xuất" in m for m in messages)
    assert not UnitReport.objects.exists()


def grow_outline(world, submitted, count, uploader):
    """Add ``count`` answered items, each with a figure and a piece of evidence."""
    with f.unlocked():
        _grow_outline(world, submitted, count, uploader)


def _grow_outline(world, submitted, count, uploader):
    for n in range(count):
        item = f.OutlineItemFactory(
            outline=world.outline, parent=world.section, order=100 + n + 1000 * count
        )
        indicator = f.IndicatorFactory(item=item, outline=world.outline)
        submitted.answers.create(item=item, text=f"Trả lời {n}")
        submitted.values.create(indicator=indicator, value=n)
        content = f"tài liệu {n} {count}".encode()
        evidence = Evidence(
            report=submitted,
            original_name=f"Tài liệu {n}.pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content_type="application/pdf",
            uploaded_by=uploader,
        )
        evidence.file.save("x.pdf", ContentFile(content), save=True)
        evidence.items.add(item)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_review_page_query_count_does_not_grow(
    client, world, submitted, staff, focal_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    url = review_url(submitted.inspection)
    grow_outline(world, submitted, 3, focal_a)
    small = count_queries(client, url)
    grow_outline(world, submitted, 30, focal_a)
    assert count_queries(client, url) == small


@pytest.fixture
def issued(world, leader):
    """The plan issued first, as in real use: its outline is then locked, and so is a
    submitted report of it."""
    plans_services.plan_issue(plan=world.plan, actor=leader)


def page_and_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return page, [query["sql"] for query in ctx.captured_queries]


def test_locked_report_rows_are_rendered_once(client, issued, submitted, staff):
    client.force_login(staff)
    url = review_url(submitted.inspection)
    first, first_queries = page_and_queries(client, url)
    again, queries = page_and_queries(client, url)
    assert again == first
    assert len(queries) < len(first_queries)
    assert not any("reports_itemanswer" in sql for sql in queries)
    assert "Đã ban hành Kế hoạch tuyên truyền CCHC năm 2023." in again and "6.882" in again


def test_returned_and_resubmitted_report_shows_what_changed(
    client, issued, submitted, staff, focal_a, world
):
    client.force_login(staff)
    url = review_url(submitted.inspection)
    client.get(url)
    report_return(report=submitted, comments=[(world.heading, "Bổ sung số liệu.")], actor=staff)
    page = client.get(url).content.decode()
    assert "Nhận xét lần 1" in page and "Bổ sung số liệu." in page
    assert 'name="comment-' not in page  # returned: nothing to decide until resubmitted
    value_save(report=submitted, indicator=world.indicator, value=7001, version=1, actor=focal_a)
    report_submit(report=submitted, actor=focal_a)
    page = client.get(url).content.decode()
    assert "7.001" in page and "6.882" not in page
    assert f'name="comment-{world.heading.pk}"' in page


def test_accepted_report_loses_the_comment_fields(client, issued, submitted, staff):
    client.force_login(staff)
    url = review_url(submitted.inspection)
    assert 'name="comment-' in client.get(url).content.decode()
    report_accept(report=submitted, actor=staff)
    page = client.get(url).content.decode()
    assert 'name="comment-' not in page and "Đã chấp nhận" in page


def test_comment_author_renamed_shows_the_new_name(
    client, issued, submitted, staff, leader, focal_a, world
):
    report_return(report=submitted, comments=[(world.heading, "Thiếu căn cứ.")], actor=leader)
    report_submit(report=submitted, actor=focal_a)
    client.force_login(staff)
    url = review_url(submitted.inspection)
    assert "Thiếu căn cứ." in client.get(url).content.decode()
    leader.last_name, leader.first_name = "Đỗ", "Thu Trang"
    leader.save()
    assert "Đỗ Thu Trang" in client.get(url).content.decode()


def test_return_refused_keeps_what_the_reviewer_typed(client, issued, submitted, staff, world):
    client.force_login(staff)
    client.get(review_url(submitted.inspection))  # the rows are now cached
    UnitReport.objects.filter(pk=submitted.pk).update(status=UnitReport.Status.SUBMITTED)
    response = client.post(
        reverse("reports:report-return", args=[submitted.inspection_id]),
        {f"comment-{world.heading.pk}": "   ", "comment-general": ""},
    )
    assert "ít nhất một nhận xét" in response.content.decode()
    assert "   </textarea>" in response.content.decode()
