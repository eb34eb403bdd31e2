"""The unit portal: the focal person's home, remediation reports with proof, documents."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.models import StatusLog
from findings import access
from findings.models import Conclusion, DeadlineExtension, RemediationAction, RemediationProof
from plans.models import Inspection
from reports.models import ReviewComment, UnitReport
from tests import factories as f

PDF = b"%PDF-1.4\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 40
HOME = "findings:unit-home"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def today():
    return timezone.localdate()


def conclude(inspection, staff, *, deadline, number=5):
    """An issued conclusion with one requirement; the inspection is remediating."""
    Inspection.objects.filter(pk=inspection.pk).update(status=Inspection.Status.REMEDIATING)
    conclusion = f.ConclusionFactory(
        inspection=inspection,
        status=Conclusion.Status.ISSUED,
        number=number,
        issued_on=today() - datetime.timedelta(days=30),
        created_by=staff,
    )
    item = inspection.plan.outline.items.order_by("order").last()
    return f.RemediationActionFactory(conclusion=conclusion, item=item, deadline=deadline)


@pytest.fixture
def action_a(world, staff):
    return conclude(world.inspection_a, staff, deadline=today() + datetime.timedelta(days=20))


@pytest.fixture
def action_b(world, staff):
    return conclude(
        world.inspection_b, staff, deadline=today() + datetime.timedelta(days=20), number=6
    )


def action_url(action):
    return reverse("findings:action-report", args=[action.pk])


def report_post(action, text="Đã ban hành Kế hoạch tuyên truyền CCHC số 12/KH-STP.", files=()):
    return {"text": text, "version": action.version, "files": list(files)}


# --- Home ----------------------------------------------------------------------------------


def test_home_personas(client, world, focal_a, staff, team_member):
    url = reverse(HOME)
    assert client.get(url).status_code == 302
    for user in (staff, team_member):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(focal_a)
    assert client.get(url).status_code == 200
    client.force_login(focal_a)
    assert client.get(reverse("home"))["Location"] == url


def request_report(inspection, deadline):
    Inspection.objects.filter(pk=inspection.pk).update(
        status=Inspection.Status.REPORT_REQUESTED,
        report_deadline=deadline,
        report_requested_at=timezone.now(),
    )
    return UnitReport.objects.create(inspection=inspection)


def test_home_shows_only_own_unit_with_deadlines(client, world, focal_a):
    request_report(world.inspection_a, today() + datetime.timedelta(days=4))
    request_report(world.inspection_b, today() + datetime.timedelta(days=9))
    client.force_login(focal_a)
    body = client.get(reverse(HOME)).content.decode()
    assert "Sở Tư pháp" in body
    assert "Huyện Đông Sơn" not in body
    assert "Còn 4 ngày" in body and "Còn 9 ngày" not in body
    assert reverse("reports:report-edit", args=[world.inspection_a.pk]) in body
    assert reverse("reports:report-edit", args=[world.inspection_b.pk]) not in body


def test_home_shows_late_reports_and_returned_comments(client, world, focal_a, staff):
    report = request_report(world.inspection_a, today() - datetime.timedelta(days=3))
    UnitReport.objects.filter(pk=report.pk).update(status=UnitReport.Status.RETURNED)
    ReviewComment.objects.create(
        report=report, item=world.heading, text="Bổ sung kế hoạch tuyên truyền.", author=staff
    )
    client.force_login(focal_a)
    body = client.get(reverse(HOME)).content.decode()
    assert "Quá hạn 3 ngày" in body
    assert "Được trả lại để bổ sung" in body
    assert "Bổ sung kế hoạch tuyên truyền." in body


def test_home_lists_remediation_due_and_documents(
    client, world, focal_a, staff, action_a, action_b
):
    overdue = f.RemediationActionFactory(
        conclusion=action_a.conclusion,
        item=action_a.item,
        requirement="Công khai TTHC tại Bộ phận Một cửa.",
        deadline=today() - datetime.timedelta(days=1),
    )
    client.force_login(focal_a)
    body = client.get(reverse(HOME)).content.decode()
    assert action_a.requirement in body
    assert overdue.requirement in body
    assert "Quá hạn" in body
    assert action_url(action_b) not in body
    assert "Thông báo kết luận kiểm tra số 05/TB-SNV" in body
    assert "Thông báo kết luận kiểm tra số 06/TB-SNV" not in body
    try:
        pdf = reverse("findings:conclusion-pdf", args=[action_a.conclusion.pk])
    except NoReverseMatch:  # documents not installed: the entry shows without a link
        pdf = None
    if pdf:
        assert pdf in body


def test_home_lists_the_requirements_in_force_with_rejection_and_extension(
    client, world, focal_a, staff, action_a
):
    original = action_a.deadline
    RemediationAction.objects.filter(pk=action_a.pk).update(
        deadline=original + datetime.timedelta(days=15),
        review_comment="Thiếu văn bản ban hành kèm theo.",
    )
    client.force_login(focal_a)
    body = client.get(reverse(HOME)).content.decode()
    assert "Sở Nội vụ chưa xác nhận: Thiếu văn bản ban hành kèm theo." in body
    assert f"Đã gia hạn (thời hạn ban đầu {vn.short_date(original)})" in body

    # An issued correction replaces the conclusion's requirements with its own; both
    # documents stay listed, and a verified requirement is not to do any more.
    correction = f.ConclusionFactory(
        inspection=world.inspection_a,
        status=Conclusion.Status.ISSUED,
        number=7,
        version=2,
        supersedes=action_a.conclusion,
        issued_on=today(),
        created_by=staff,
    )
    in_force = f.RemediationActionFactory(
        conclusion=correction, item=action_a.item, deadline=today() + datetime.timedelta(days=9)
    )
    done = f.RemediationActionFactory(
        conclusion=correction, item=action_a.item, status=RemediationAction.Status.VERIFIED
    )
    body = client.get(reverse(HOME)).content.decode()
    assert action_url(in_force) in body
    assert action_url(action_a) not in body and action_url(done) not in body
    assert "Sở Nội vụ chưa xác nhận" not in body
    assert "số 05/TB-SNV" in body and "số 07/TB-SNV" in body
    # The same requirements as the action pages let the unit open.
    to_do = access.unit_actions(focal_a).exclude(status=RemediationAction.Status.VERIFIED)
    assert [action.pk for action in to_do] == [in_force.pk]


def test_home_of_a_focal_person_without_a_unit(client, world, focal_a):
    focal_a.memberships.update(is_active=False)
    client.force_login(focal_a)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse(HOME)).content.decode()
    assert "Tài khoản của bạn chưa được gắn với cơ quan, đơn vị nào." in body
    assert "Đơn vị chưa có cuộc kiểm tra nào." in body
    assert "Sở Tư pháp" not in body
    # The session, the user with their roles, the memberships: nothing else to read.
    assert len(queries) == 3


def test_home_queries_do_not_grow(client, world, focal_a, staff, action_a):
    def returned_report(inspection):
        report = request_report(inspection, today())
        UnitReport.objects.filter(pk=report.pk).update(status=UnitReport.Status.RETURNED)
        ReviewComment.objects.create(report=report, text="Nhận xét", author=staff)

    returned_report(world.inspection_a)
    client.force_login(focal_a)
    client.get(reverse(HOME))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(HOME))
    for year in (2024, 2025, 2026):
        plan = f.PlanFactory(agency=world.plan.agency, year=year)
        returned_report(f.InspectionFactory(plan=plan, unit=world.inspection_a.unit))
        f.RemediationActionFactory(
            conclusion=action_a.conclusion, item=action_a.item, deadline=today()
        )
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse(HOME))
    assert response.content.decode().count("Nhận xét") >= 4
    assert len(large) == len(small)


def test_district_home_lists_its_communes(client, world, focal_b, unit_b):
    commune = f.UnitFactory(name="Xã Đông Hòa", category="commune", parent=unit_b)
    inspection = f.InspectionFactory(plan=world.plan, unit=commune)
    request_report(inspection, today())
    client.force_login(focal_b)
    body = client.get(reverse(HOME)).content.decode()
    assert "Các xã thuộc huyện được kiểm tra" in body
    assert "Xã Đông Hòa" in body


def test_district_home_shows_each_commune_inspection_with_its_report(
    client, world, focal_b, unit_b
):
    hoa = f.UnitFactory(name="Xã Đông Hòa", category="commune", parent=unit_b)
    thinh = f.UnitFactory(name="Xã Đông Thịnh", category="commune", parent=unit_b)
    with_report = f.InspectionFactory(plan=world.plan, unit=hoa)
    UnitReport.objects.filter(pk=request_report(with_report, today()).pk).update(
        status=UnitReport.Status.SUBMITTED
    )
    f.InspectionFactory(plan=world.plan, unit=thinh)
    cancelled = f.InspectionFactory(plan=world.plan, unit=thinh, status="cancelled")
    client.force_login(focal_b)
    body = client.get(reverse(HOME)).content.decode()
    edit = reverse("reports:report-edit", args=[with_report.pk])
    assert f'Xã Đông Hòa (2023): <a href="{edit}">Xem báo cáo</a> — đã nộp' in body
    assert "Xã Đông Thịnh (2023): chưa yêu cầu báo cáo" in body
    assert body.count("Xã Đông Thịnh") == 1  # the cancelled inspection is not listed
    assert reverse("reports:report-edit", args=[cancelled.pk]) not in body


def test_home_links_the_request_letter_and_the_report(client, world, focal_a):
    request_report(world.inspection_a, today() + datetime.timedelta(days=4))
    client.force_login(focal_a)
    body = client.get(reverse(HOME)).content.decode()
    letter = reverse("reports:request-pdf", args=[world.inspection_a.pk])
    assert f'<a href="{letter}">Công văn đề nghị báo cáo công tác CCHC năm 2023</a>' in body
    edit = reverse("reports:report-edit", args=[world.inspection_a.pk])
    assert f'href="{edit}">Soạn báo cáo</a>' in body


def test_district_home_queries_do_not_grow_with_its_communes(client, world, focal_b, unit_b):
    def communes(count):
        for i in range(count):
            unit = f.UnitFactory(category="commune", parent=unit_b)
            inspection = f.InspectionFactory(plan=world.plan, unit=unit)
            if i % 2:
                request_report(inspection, today())

    communes(1)
    client.force_login(focal_b)
    client.get(reverse(HOME))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(HOME))
    communes(12)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse(HOME)).content.decode()
    assert body.count("Xem báo cáo") == 6
    assert len(many) == len(few)


# --- Remediation -----------------------------------------------------------------------------


def test_action_page_personas(client, world, focal_a, focal_b, staff, action_a):
    url = action_url(action_a)
    assert client.get(url).status_code == 302
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(focal_b)
    assert client.get(url).status_code == 404
    client.force_login(focal_a)
    response = client.get(url)
    assert response.status_code == 200
    assert action_a.requirement in response.content.decode()


def test_draft_conclusion_actions_are_not_shown(client, world, focal_a, staff, action_a):
    Conclusion.objects.filter(pk=action_a.conclusion_id).update(status=Conclusion.Status.DRAFT)
    client.force_login(focal_a)
    assert client.get(action_url(action_a)).status_code == 404


def test_unit_reports_remediation_with_proof(client, world, focal_a, action_a, media):
    client.force_login(focal_a)
    response = client.post(
        action_url(action_a),
        report_post(action_a, files=[SimpleUploadedFile("Kế hoạch tuyên truyền.pdf", PDF)]),
    )
    assert response.status_code == 302
    action_a.refresh_from_db()
    assert action_a.status == RemediationAction.Status.REPORTED
    assert action_a.unit_report.startswith("Đã ban hành")
    assert action_a.reported_at is not None
    proof = RemediationProof.objects.get()
    assert proof.original_name == "Kế hoạch tuyên truyền.pdf" and proof.uploaded_by == focal_a
    assert len(stored_files(media)) == 1
    log = StatusLog.objects.get(
        content_type=ContentType.objects.get_for_model(RemediationAction), object_id=action_a.pk
    )
    assert (log.from_status, log.to_status, log.actor) == ("open", "reported", focal_a)
    body = client.get(response["Location"]).content.decode()
    assert "Đã gửi báo cáo kết quả khắc phục" in body
    assert "Gửi báo cáo khắc phục" not in body  # no second report while it is reviewed
    # Reporting again is an illegal move.
    action_a.refresh_from_db()
    response = client.post(
        action_url(action_a), report_post(action_a, files=[SimpleUploadedFile("b.pdf", PDF)])
    )
    follow = client.get(response["Location"]).content.decode()
    assert "không ở trạng thái chờ đơn vị báo cáo kết quả khắc phục" in follow
    assert RemediationProof.objects.count() == 1


def test_remediation_report_needs_text_and_proof(client, world, focal_a, action_a, media):
    client.force_login(focal_a)
    response = client.post(action_url(action_a), report_post(action_a, text=""))
    assert response.status_code == 400
    assert "This field is required" not in response.content.decode()
    response = client.post(action_url(action_a), report_post(action_a))
    assert response.status_code == 400
    assert "Cần gửi kèm ít nhất một tài liệu chứng minh." in response.content.decode()
    action_a.refresh_from_db()
    assert action_a.status == RemediationAction.Status.OPEN


def test_refused_proof_stores_nothing(client, world, focal_a, action_a, media):
    client.force_login(focal_a)
    response = client.post(
        action_url(action_a),
        report_post(
            action_a,
            files=[SimpleUploadedFile("tot.pdf", PDF), SimpleUploadedFile("virus.pdf", EXE)],
        ),
    )
    assert response.status_code == 400
    assert "virus.pdf" in response.content.decode()
    assert RemediationProof.objects.count() == 0 and stored_files(media) == []
    action_a.refresh_from_db()
    assert action_a.status == RemediationAction.Status.OPEN


def test_stale_page_is_refused(client, world, focal_a, action_a):
    client.force_login(focal_a)
    data = report_post(action_a, files=[SimpleUploadedFile("a.pdf", PDF)])
    RemediationAction.objects.filter(pk=action_a.pk).update(version=action_a.version + 1)
    response = client.post(action_url(action_a), data)
    assert response.status_code == 400
    assert "Yêu cầu vừa được cập nhật" in response.content.decode()
    assert RemediationProof.objects.count() == 0


def test_unit_sees_rejection_and_extension(client, world, focal_a, staff, action_a):
    original = action_a.deadline
    new_deadline = original + datetime.timedelta(days=15)
    DeadlineExtension.objects.create(
        action=action_a,
        old_deadline=original,
        new_deadline=new_deadline,
        reason="Chờ UBND tỉnh phê duyệt đề án.",
        actor=staff,
    )
    RemediationAction.objects.filter(pk=action_a.pk).update(
        deadline=new_deadline, review_comment="Thiếu văn bản ban hành kèm theo."
    )
    client.force_login(focal_a)
    body = client.get(action_url(action_a)).content.decode()
    assert "Chờ UBND tỉnh phê duyệt đề án." in body
    assert "thời hạn ban đầu" in body
    from cchc_inspection import vn

    assert vn.short_date(original) in body and vn.short_date(new_deadline) in body
    assert "Thiếu văn bản ban hành kèm theo." in body
    RemediationAction.objects.filter(pk=action_a.pk).update(
        status=RemediationAction.Status.VERIFIED, review_comment="Đã khắc phục đầy đủ."
    )
    body = client.get(action_url(action_a)).content.decode()
    assert "Sở Nội vụ đã xác nhận hoàn thành" in body and "Đã khắc phục đầy đủ." in body


@pytest.fixture
def proof(client, world, focal_a, action_a):
    client.force_login(focal_a)
    client.post(
        action_url(action_a), report_post(action_a, files=[SimpleUploadedFile("Biên bản.pdf", PDF)])
    )
    client.logout()
    return RemediationProof.objects.get()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("focal_a", 200),
        ("staff", 200),
        ("leader", 200),
        ("team_member", 200),
        ("other_team_member", 404),
        ("focal_b", 404),
        ("outsider", 404),
    ],
)
def test_proof_download_checks_who_asks(client, proof, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("findings:proof-download", args=[proof.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


# --- Unit A gets 404 for everything of unit B ---------------------------------------------------


def test_unit_a_gets_404_for_unit_b_remediation_and_documents(
    client, world, focal_a, focal_b, action_b
):
    client.force_login(focal_b)
    client.post(
        action_url(action_b), report_post(action_b, files=[SimpleUploadedFile("b.pdf", PDF)])
    )
    proof_b = RemediationProof.objects.get()
    Inspection.objects.filter(pk=world.inspection_b.pk).update(report_requested_at=timezone.now())
    client.force_login(focal_a)
    urls = [
        action_url(action_b),
        reverse("findings:proof-download", args=[proof_b.pk]),
    ]
    for name, pk in [
        ("reports:request-pdf", world.inspection_b.pk),
        ("findings:conclusion-pdf", action_b.conclusion_id),
    ]:
        try:
            urls.append(reverse(name, args=[pk]))
        except NoReverseMatch:  # pragma: no cover - documents not installed
            continue
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(action_url(action_b), report_post(action_b)).status_code == 404
