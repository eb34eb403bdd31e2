"""Issued plans, team decisions and conclusions, and submitted reports, cannot be changed
by any path — page, admin, import, service or plain ORM — except through their
documented correction (``cchc_inspection.integrity``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc_inspection.integrity import (
    ACTION_LOCKED,
    CONCLUSION_LOCKED,
    PLAN_LOCKED,
    REPORT_LOCKED,
    TEAM_LOCKED,
    LockedError,
)
from findings import services as findings_services
from findings.models import Conclusion, RemediationAction
from plans import services as plan_services
from plans.imports import import_appendix
from plans.models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup
from plans.resources import PlanEntryResource
from reports import services as report_services
from reports.models import Evidence, IndicatorValue, ItemAnswer, OutlineItem, UnitReport
from tests import factories as f
from tests.units.xlsx import make_xlsx

TODAY = timezone.localdate()


def refused(message, call, *args, **kwargs):
    """``call`` raises LockedError with ``message`` (or one of several, for a cascade)."""
    messages = {message} if isinstance(message, str) else set(message)
    with pytest.raises(LockedError) as error, transaction.atomic():
        call(*args, **kwargs)
    assert error.value.messages[0] in messages


# --- Issued plan ------------------------------------------------------------------------------


@pytest.fixture
def issued_plan(world, leader):
    return plan_services.plan_issue(plan=world.plan, actor=leader, issued_on=TODAY)


def test_orm_cannot_change_an_issued_plan_or_its_appendices(world, issued_plan):
    plan = InspectionPlan.objects.get(pk=world.plan.pk)
    plan.title = "Kế hoạch đã sửa"
    refused(PLAN_LOCKED, plan.save)
    plan = InspectionPlan.objects.get(pk=world.plan.pk)
    plan.status = InspectionPlan.Status.DRAFT  # back to a draft to edit it: no
    refused(PLAN_LOCKED, plan.save, update_fields=["status"])

    entry = PlanEntry.objects.get(pk=world.entry_a.pk)
    entry.note = "Thêm ghi chú"
    refused(PLAN_LOCKED, entry.save)
    refused(PLAN_LOCKED, entry.delete)
    refused(
        PLAN_LOCKED, PlanEntry.objects.create, plan=plan, group=world.group, unit=f.UnitFactory()
    )
    refused(PLAN_LOCKED, PlanGroup.objects.create, plan=plan, order=9, title="Nhóm mới")
    empty = PlanGroup.objects.get(pk=world.group.pk)
    empty.title = "Nhóm đổi tên"
    refused(PLAN_LOCKED, empty.save)
    item = OutlineItem.objects.get(pk=world.heading.pk)
    item.title = "Mục đã sửa"
    refused(PLAN_LOCKED, item.save)
    refused(PLAN_LOCKED, f.OutlineItemFactory, outline=world.outline, order=50)
    world.indicator.label = "Chỉ tiêu đã sửa"
    refused(PLAN_LOCKED, world.indicator.save)

    plan.refresh_from_db()
    assert plan.title != "Kế hoạch đã sửa" and plan.status == InspectionPlan.Status.ISSUED
    assert PlanEntry.objects.filter(plan=plan).count() == 2


def test_a_bare_plan_cannot_be_deleted_once_issued(agency, leader):
    plan = f.PlanFactory(agency=agency)
    group = f.PlanGroupFactory(plan=plan, order=1)
    f.PlanEntryFactory(plan=plan, group=group, unit=f.UnitFactory())
    plan_services.plan_issue(plan=plan, actor=leader, issued_on=TODAY)
    refused(PLAN_LOCKED, PlanEntry.objects.filter(plan=plan).delete)
    with f.unlocked():  # even with Phụ lục 1 gone (no PROTECT left in the way)
        PlanEntry.objects.filter(plan=plan).delete()
    refused(PLAN_LOCKED, plan.delete)
    refused(PLAN_LOCKED, InspectionPlan.objects.filter(pk=plan.pk).delete)
    assert InspectionPlan.objects.filter(pk=plan.pk).exists()


def test_the_life_cycle_still_moves_an_issued_plan(world, issued_plan, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Inspection.objects.update(status=Inspection.Status.CANCELLED)
    plan_services.plan_close(plan=issued_plan, actor=leader)
    issued_plan.refresh_from_db()
    assert issued_plan.status == InspectionPlan.Status.CLOSED
    # The PDF is stored once; replacing it is a change.
    issued_plan.pdf.save("kh.pdf", ContentFile(b"%PDF-1 a"), save=False)
    issued_plan.pdf_sha256 = "a" * 64
    issued_plan.save(update_fields=["pdf", "pdf_sha256"])
    issued_plan.pdf.save("kh2.pdf", ContentFile(b"%PDF-1 b"), save=False)
    refused(PLAN_LOCKED, issued_plan.save, update_fields=["pdf"])


def test_plan_pages_refuse_an_issued_plan(client, world, issued_plan, staff):
    client.force_login(staff)
    client.post(
        reverse("plans:entry-add", args=[world.plan.pk]),
        {"group": world.group.pk, "unit": f.UnitFactory().pk},
    )
    client.post(reverse("plans:group-add", args=[world.plan.pk]), {"title": "Nhóm mới"})
    client.post(reverse("plans:entry-delete", args=[world.entry_a.pk]))
    assert PlanEntry.objects.filter(plan=world.plan).count() == 2
    assert PlanGroup.objects.filter(plan=world.plan).count() == 1


def test_admin_shows_an_issued_plan_read_only(client, world, issued_plan, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:plans_inspectionplan_change", args=[world.plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert PLAN_LOCKED in page.content.decode()
    assert 'name="title"' not in page.content.decode()  # view-only
    assert client.post(url, {"title": "Đã sửa"}).status_code == 403
    entry_url = reverse("admin:plans_planentry_change", args=[world.entry_a.pk])
    assert client.post(entry_url, {"note": "sửa"}).status_code == 403
    delete_url = reverse("admin:plans_planentry_delete", args=[world.entry_a.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    # Adding a row for the issued plan is refused with the reason, nothing saved.
    response = client.post(
        reverse("admin:plans_planentry_add"),
        {
            "plan": world.plan.pk,
            "group": world.group.pk,
            "unit": f.UnitFactory().pk,
            "order": 5,
        },
    )
    assert response.status_code == 200
    assert PLAN_LOCKED in response.content.decode()
    assert PlanEntry.objects.filter(plan=world.plan).count() == 2
    world.plan.refresh_from_db()
    assert world.plan.title != "Đã sửa"


def test_imports_cannot_touch_an_issued_plan(world, issued_plan, staff, client):
    sheet = make_xlsx(
        [
            ["TT", "Các cơ quan, đơn vị", "Thời gian dự kiến", "Ghi chú"],
            ["I", "Nhóm", None, None],
            [1, "Sở Tư pháp", None, "Sửa ghi chú"],
        ]
    )
    outcome = import_appendix(issued_plan, sheet, user=staff)
    assert not outcome.ok
    result = PlanEntryResource(plan=issued_plan).import_data(
        _dataset(world), dry_run=False, raise_errors=False
    )
    assert result.has_errors() or result.has_validation_errors()
    assert PlanEntry.objects.get(pk=world.entry_a.pk).note == ""
    # The import page refuses an issued plan before reading anything.
    client.force_login(staff)
    response = client.get(reverse("plans:appendix-import", args=[world.plan.pk]))
    assert response.status_code in {302, 403}


def _dataset(world):
    import tablib

    return tablib.Dataset(
        [world.group.title, 1, "Sở Tư pháp", "", "Sửa ghi chú"],
        headers=[
            "Nhóm",
            "TT",
            "Các cơ quan, đơn vị",
            "Thời gian dự kiến",
            "Ghi chú",
        ],
    )


def test_the_correction_of_an_issued_plan_is_a_same_year_draft(world, issued_plan, staff):
    amended = report_services.plan_copy(plan=issued_plan, year=issued_plan.year, actor=staff)
    assert amended.status == InspectionPlan.Status.DRAFT and amended.based_on == issued_plan
    assert amended.entries.count() == 2 and amended.outline.items.count() == 2
    amended.title = "Kế hoạch (điều chỉnh)"
    plan_services.plan_save(plan=amended, actor=staff)
    issued_plan.refresh_from_db()
    assert issued_plan.status == InspectionPlan.Status.ISSUED
    assert issued_plan.title != amended.title


# --- Issued team decision ---------------------------------------------------------------------


@pytest.fixture
def issued_team(world, issued_plan, leader):
    return plan_services.team_decision_issue(team=world.team, actor=leader, issued_on=TODAY)


def test_orm_and_pages_cannot_change_an_issued_decision(client, world, issued_team, staff):
    team = InspectionTeam.objects.get(pk=world.team.pk)
    team.duties = "Nhiệm vụ khác"
    refused(TEAM_LOCKED, team.save)
    member = team.members.get()
    member.position = "Giám đốc"
    refused(TEAM_LOCKED, member.save)
    refused(TEAM_LOCKED, member.delete)
    refused(TEAM_LOCKED, f.TeamMemberFactory, team=team, full_name="Người mới", role="member")
    client.force_login(staff)
    client.post(
        reverse("plans:member-add", args=[team.pk]),
        {"full_name": "Người mới", "role": "member"},
    )
    assert team.members.count() == 1
    # The other team's decision is still a draft and may change.
    f.TeamMemberFactory(team=world.other_team, full_name="Người mới", role="member")


def test_admin_shows_an_issued_decision_read_only(client, world, issued_team, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:plans_inspectionteam_change", args=[world.team.pk])
    assert TEAM_LOCKED in client.get(url).content.decode()
    assert client.post(url, {"name": "Đoàn khác"}).status_code == 403
    member = world.team.members.get()
    member_url = reverse("admin:plans_teammember_change", args=[member.pk])
    assert client.post(member_url, {"full_name": "Khác"}).status_code == 403


# --- Issued conclusion ------------------------------------------------------------------------


@pytest.fixture
def issued(world, staff, leader):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(status=Inspection.Status.REVIEWED)
    conclusion = f.ConclusionFactory(inspection=world.inspection_a, created_by=staff)
    f.RemediationActionFactory(
        conclusion=conclusion, item=world.heading, deadline=TODAY + datetime.timedelta(days=30)
    )
    return findings_services.conclusion_issue(conclusion=conclusion, actor=leader, issued_on=TODAY)


def test_orm_cannot_change_an_issued_conclusion_or_its_requirements(issued, world):
    conclusion = Conclusion.objects.get(pk=issued.pk)
    conclusion.shortcomings = "Không còn tồn tại."
    refused(CONCLUSION_LOCKED, conclusion.save)
    refused({CONCLUSION_LOCKED, ACTION_LOCKED}, conclusion.delete)
    action = RemediationAction.objects.get(conclusion=issued)
    action.requirement = "Yêu cầu khác"
    refused(ACTION_LOCKED, action.save)
    action.refresh_from_db()
    action.deadline = action.deadline - datetime.timedelta(days=1)  # earlier: not an extension
    refused(ACTION_LOCKED, action.save)
    action.refresh_from_db()
    refused(ACTION_LOCKED, action.delete)
    refused(
        ACTION_LOCKED,
        RemediationAction.objects.create,
        conclusion=issued,
        item=world.heading,
        requirement="Thêm",
        responsible="Sở",
        deadline=TODAY,
    )


def test_progress_on_an_issued_conclusion_goes_through_the_services(issued, staff, focal_a):
    action = RemediationAction.objects.get(conclusion=issued)
    later = action.deadline + datetime.timedelta(days=10)
    findings_services.remediation_extend(
        action=action, new_deadline=later, reason="Chờ kinh phí", actor=staff
    )
    action.refresh_from_db()
    assert action.deadline == later
    RemediationAction.objects.filter(pk=action.pk).update(status=RemediationAction.Status.REPORTED)
    findings_services.remediation_verify(action=action, comment="Đạt", actor=staff)
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.VERIFIED


def test_pages_and_admin_refuse_an_issued_conclusion(client, issued, staff, admin_user):
    client.force_login(staff)
    response = client.post(
        reverse("findings:conclusion-update", args=[issued.pk]),
        {"strengths": "x", "shortcomings": "y"},
    )
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.strengths != "x"
    client.force_login(admin_user)
    url = reverse("admin:findings_conclusion_change", args=[issued.pk])
    assert CONCLUSION_LOCKED in client.get(url).content.decode()
    assert client.post(url, {"strengths": "x"}).status_code == 403
    action = issued.actions.get()
    action_url = reverse("admin:findings_remediationaction_change", args=[action.pk])
    assert client.post(action_url, {"requirement": "x"}).status_code == 403


def test_the_correction_of_a_conclusion_is_a_new_version(issued, staff):
    new = findings_services.conclusion_correct(conclusion=issued, actor=staff)
    new.shortcomings = "Nội dung đính chính."
    new.save()
    action = new.actions.get()
    action.requirement = "Yêu cầu đính chính"
    action.save()
    issued.refresh_from_db()
    assert issued.shortcomings != "Nội dung đính chính."
    assert issued.actions.get().requirement != "Yêu cầu đính chính"


# --- Submitted report -------------------------------------------------------------------------


@pytest.fixture
def submitted(world, focal_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status=Inspection.Status.REPORT_REQUESTED,
        report_deadline=TODAY + datetime.timedelta(days=5),
    )
    report = UnitReport.objects.create(inspection=world.inspection_a)
    ItemAnswer.objects.create(report=report, item=world.heading, text="Đã làm", updated_by=focal_a)
    IndicatorValue.objects.create(report=report, indicator=world.indicator, value=5)
    evidence = Evidence(
        report=report,
        original_name="a.pdf",
        size=8,
        sha256="b" * 64,
        content_type="application/pdf",
        uploaded_by=focal_a,
    )
    evidence.file.save("b" * 64, ContentFile(b"%PDF-1.4"), save=True)
    evidence.items.add(world.heading)
    return report_services.report_submit(report=report, actor=focal_a)


def test_orm_cannot_change_a_submitted_report(submitted, world, focal_a):
    answer = submitted.answers.get()
    answer.text = "Sửa sau khi nộp"
    refused(REPORT_LOCKED, answer.save)
    refused(REPORT_LOCKED, answer.delete)
    value = submitted.values.get()
    value.value = 999
    refused(REPORT_LOCKED, value.save)
    refused(
        REPORT_LOCKED,
        ItemAnswer.objects.create,
        report=submitted,
        item=world.section,
        text="Thêm",
    )
    evidence = submitted.evidence.get()
    refused(REPORT_LOCKED, evidence.delete)
    refused(REPORT_LOCKED, evidence.items.add, world.section)
    refused(REPORT_LOCKED, evidence.items.clear)
    refused(REPORT_LOCKED, world.section.evidence.add, evidence)
    report = UnitReport.objects.get(pk=submitted.pk)
    report.status = UnitReport.Status.DRAFT
    refused(REPORT_LOCKED, report.save)
    # Deleting the inspection would take the report with it.
    refused(REPORT_LOCKED, Inspection.objects.get(pk=world.inspection_a.pk).delete)
    assert submitted.answers.get().text == "Đã làm" and submitted.values.get().value == 5


def test_services_and_pages_refuse_a_submitted_report(client, submitted, world, focal_a):
    with pytest.raises(ValidationError):
        report_services.answer_save(
            report=submitted, item=world.heading, text="Sửa", version=1, actor=focal_a
        )
    client.force_login(focal_a)
    url = reverse("reports:answer-save", args=[world.inspection_a.pk, world.heading.pk])
    assert client.post(url, {"text": "Sửa", "version": 1}).status_code in {302, 403, 404}
    assert submitted.answers.get().text == "Đã làm"


def test_admin_shows_a_submitted_report_read_only(client, submitted, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:reports_unitreport_change", args=[submitted.pk])
    assert REPORT_LOCKED in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 403
    answer_url = reverse("admin:reports_itemanswer_change", args=[submitted.answers.get().pk])
    assert client.post(answer_url, {"text": "x"}).status_code == 403
    evidence_url = reverse("admin:reports_evidence_delete", args=[submitted.evidence.get().pk])
    assert client.post(evidence_url, {"post": "yes"}).status_code == 403


def test_returned_by_the_team_the_report_can_change_again(submitted, world, staff, focal_a):
    report_services.report_return(report=submitted, comments=[(None, "Bổ sung")], actor=staff)
    report_services.answer_save(
        report=submitted, item=world.heading, text="Đã bổ sung", version=1, actor=focal_a
    )
    assert submitted.answers.get().text == "Đã bổ sung"
