"""Who changed what and when: the "Lịch sử thay đổi" panels (django-simple-history).

The panel lists, newest first, who saved which record and each field that changed from →
to under its Vietnamese name; it is shown to CCHC staff and leaders only, and the
inspection page's combined list costs the same number of queries whatever it holds.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings import services as findings_services
from findings.models import Finding, RemediationAction
from plans import services as plans_services
from plans.models import Inspection, InspectionPlan, TeamMember
from reports import services as reports_services
from tests import factories as f

PANEL = "Lịch sử thay đổi"


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def named(staff, leader, focal_a, team_member):
    """Distinct names, so that the panel's "who" can be told apart."""
    for user, (last, first) in {
        staff: ("Nguyễn", "Thị Hương"),
        leader: ("Lê", "Văn Minh"),
        focal_a: ("Hoàng", "Thị Lan"),
        team_member: ("Phạm", "Văn Đức"),
    }.items():
        user.last_name, user.first_name = last, first
        user.save()


@pytest.fixture
def requested(world, staff, leader, named, mailoutbox):
    """Unit A's inspection scheduled (plan issued) with its report requested."""
    plans_services.plan_issue(plan=world.plan, actor=leader)
    world.plan.refresh_from_db()
    start = timezone.localdate() + datetime.timedelta(days=10)
    inspection = plans_services.inspection_schedule(
        plan=world.plan,
        unit=world.inspection_a.unit,
        actor=staff,
        team=world.team,
        form=Inspection.Form.ON_SITE,
        start_date=start,
        end_date=start,
    )
    reports_services.report_request(inspection=inspection, actor=staff)
    return Inspection.objects.get(pk=inspection.pk)


def save_value(client, inspection, indicator, value, version):
    url = reverse("reports:value-save", args=[inspection.pk, indicator.pk])
    response = client.post(url, {"value": value, "version": version}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200, response.content
    return response.json()["version"]


def test_inspection_page_shows_who_changed_what(
    client, requested, world, staff, focal_a, team_member
):
    client.force_login(staff)
    url = reverse("plans:inspection-logistics", args=[requested.pk])
    assert client.post(url, {"logistics_notes": "Xe 29A-123.45"}).status_code == 302
    client.force_login(focal_a)
    version = save_value(client, requested, world.indicator, "12", 0)
    save_value(client, requested, world.indicator, "15", version)

    client.force_login(staff)
    body = text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))
    assert PANEL in body
    assert "Ghi chú hậu cần (phương tiện, kinh phí)" in body and "Xe 29A-123.45" in body
    assert "Số liệu: Số văn bản đã ban hành" in body
    assert re.search(r">12</span> <span aria-hidden=\"true\">→</span>.*? 15</dd>", body)
    assert "Hoàng Thị Lan" in body and "Nguyễn Thị Hương" in body
    # The newest change comes first.
    panel = body[body.index(PANEL) :]
    assert panel.index("Số liệu: Số văn bản") < panel.index("Xe 29A-123.45")

    client.force_login(team_member)
    assert PANEL not in text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))


def test_focal_pages_carry_no_history(client, requested, world, focal_a):
    client.force_login(focal_a)
    save_value(client, requested, world.indicator, "3", 0)
    assert PANEL not in text(client.get(reverse("reports:report-edit", args=[requested.pk])))
    assert PANEL not in text(client.get(reverse("findings:unit-home")))


def test_finding_edit_through_the_version_check_is_recorded(
    client, requested, world, staff, team_member
):
    finding = findings_services.finding_create(
        inspection=requested,
        data={"item": world.section, "kind": Finding.Kind.SHORTCOMING, "description": "Cũ."},
        actor=team_member,
    )
    client.force_login(staff)
    response = client.post(
        reverse("findings:finding-update", args=[finding.pk]),
        {"item": world.section.pk, "kind": "violation", "description": "Mới.", "version": 1},
    )
    assert response.status_code == 302
    latest = finding.history.first()
    assert latest.history_type == "~" and latest.history_user == staff
    assert latest.description == "Mới." and finding.history.count() == 2
    body = text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))
    assert "Kết quả kiểm tra: Mới." in body
    assert 'Tồn tại, hạn chế</span> <span aria-hidden="true">→</span>' in body


def _conclude(inspection, world, staff, leader, team_member):
    for kind, text_ in [("strength", "Làm tốt."), ("shortcoming", "Chưa làm.")]:
        findings_services.finding_create(
            inspection=inspection,
            data={"item": world.section, "kind": kind, "description": text_},
            actor=team_member,
        )
    report = inspection.report
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(1), version=0, actor=staff
    )
    reports_services.report_submit(report=report, actor=staff)
    reports_services.report_accept(report=report, actor=staff)
    plans_services.inspection_review_done(inspection=inspection, actor=staff)
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(
        conclusion=conclusion, actor=leader, issued_on=timezone.localdate()
    )
    return conclusion


def test_conclusion_and_action_pages_show_their_history(
    client, requested, world, staff, leader, team_member
):
    conclusion = _conclude(requested, world, staff, leader, team_member)
    action = conclusion.actions.get()
    # Drafted in bulk, the actions still have their "created" rows, by whoever drafted.
    assert RemediationAction.history.filter(id=action.pk, history_type="+").get().history_user
    client.force_login(staff)
    extend = reverse("findings:action-extend", args=[action.pk])
    new_deadline = action.deadline + datetime.timedelta(days=20)
    response = client.post(extend, {"new_deadline": new_deadline, "reason": "Chờ hướng dẫn."})
    assert response.status_code == 302
    body = text(client.get(extend))
    assert PANEL in body and "Thời hạn khắc phục" in body
    assert f"{new_deadline.day:02d}/" in body
    body = text(client.get(reverse("findings:conclusion-detail", args=[conclusion.pk])))
    assert PANEL in body and "Thông báo kết luận số 01/TB-SNV" in body
    assert (
        'Dự thảo</span> <span aria-hidden="true">→</span><span class="visually-hidden">thành</span> Đã ban hành'
        in body
    )


def test_plan_and_team_pages_show_their_history(client, world, staff, leader, named):
    client.force_login(staff)
    member_url = reverse("plans:member-add", args=[world.team.pk])
    response = client.post(
        member_url, {"full_name": "Trần Văn Bình", "role": TeamMember.Role.MEMBER, "order": 2}
    )
    assert response.status_code == 302, response.content
    plans_services.plan_issue(plan=InspectionPlan.objects.get(pk=world.plan.pk), actor=leader)
    body = text(client.get(reverse("plans:team-detail", args=[world.team.pk])))
    assert PANEL in body and "Thành viên đoàn: Trần Văn Bình" in body
    body = text(client.get(reverse("plans:plan-detail", args=[world.plan.pk])))
    assert PANEL in body and "Đã ban hành" in body


def _page_queries(client, inspection):
    url = reverse("plans:inspection-detail", args=[inspection.pk])
    with CaptureQueriesContext(connection) as queries:
        body = text(client.get(url))
    return len(queries), body


def test_inspection_history_costs_the_same_queries_and_pages(
    client, requested, world, staff, focal_a, team_member
):
    report = requested.report
    version = 0
    finding = findings_services.finding_create(
        inspection=requested,
        data={"item": world.section, "kind": "shortcoming", "description": "Lần 0"},
        actor=team_member,
    )
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(0), version=0, actor=focal_a
    )
    client.force_login(staff)
    small, body = _page_queries(client, requested)
    assert "Trang 1/" not in body
    version = report.values.get().version
    for n in range(1, 30):
        row = reports_services.value_save(
            report=report,
            indicator=world.indicator,
            value=Decimal(n),
            version=version,
            actor=focal_a,
        )
        version = row.version
        finding = findings_services.finding_update(
            finding=finding,
            data={"description": f"Lần {n}"},
            version=finding.version,
            actor=team_member,
        )
    f.UserFactory()  # an unrelated row changes nothing
    large, body = _page_queries(client, requested)
    assert small == large
    assert "Trang 1/" in body and "lich-su=2" in body
    older = text(client.get(reverse("plans:inspection-detail", args=[requested.pk]) + "?lich-su=2"))
    assert "Trang 2/" in older
