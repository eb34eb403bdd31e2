"""The world every URL is walked in (``test_access_walk``, ``test_agency_scope``): unit A's
inspection taken through the whole year, one signed-in browser per persona."""

import datetime
import types
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfWriter

from cchc_inspection.roles import Role
from findings import services as findings_services
from findings.models import Finding
from plans import services as plans_services
from plans.models import Inspection
from reports import services as reports_services
from reports.models import Footnote, IndicatorRule
from tests import factories as f


def pdf_file(name):
    out = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": name})
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/pdf")


@pytest.fixture
def office(db):
    return f.UserFactory(username="vanphong", roles=[Role.OFFICE])


@pytest.fixture
def personas(staff, leader, team_member, other_team_member, focal_a, focal_b, office, admin_user):
    return {
        "anonymous": None,
        "focal_a": focal_a,
        "focal_b": focal_b,
        "other_team": other_team_member,
        "team": team_member,
        "staff": staff,
        "leader": leader,
        "office": office,
        "admin": admin_user,
    }


@pytest.fixture
def rich(world, personas, settings, tmp_path, mailoutbox):
    """Unit A's inspection taken through the whole year by the services, as the pages do."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff, leader, focal = personas["staff"], personas["leader"], personas["focal_a"]
    team_member = personas["team"]
    today = timezone.localdate()
    # Rows the admin lists that the year below does not write (the outline freezes at issue).
    Footnote.objects.create(outline=world.outline, number=1, text="Chú thích", item=world.heading)
    IndicatorRule.objects.create(
        outline=world.outline, operator="le", target=world.indicator, message="Vượt quá."
    ).terms.add(world.indicator)
    plans_services.plan_issue(plan=world.plan, actor=leader)
    plans_services.team_decision_issue(team=world.team, actor=leader)
    start = today + datetime.timedelta(days=10)
    world.plan.refresh_from_db()
    inspection = plans_services.inspection_schedule(
        plan=world.plan,
        unit=world.inspection_a.unit,
        actor=staff,
        team=world.team,
        form=Inspection.Form.ON_SITE,
        start_date=start,
        end_date=start,
        place="Trụ sở Sở Tư pháp",
    )
    reports_services.report_request(inspection=inspection, actor=staff)
    report = Inspection.objects.get(pk=inspection.pk).report
    reports_services.answer_save(
        report=report, item=world.heading, text="Đã tuyên truyền CCHC.", version=0, actor=focal
    )
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(12), version=0, actor=focal
    )
    rows, _ = reports_services.evidence_add(
        report=report,
        files=[pdf_file("Kế hoạch tuyên truyền.pdf")],
        items=[world.heading],
        actor=focal,
    )
    reports_services.report_submit(report=report, actor=focal)
    reports_services.report_return(
        report=report, comments=[(world.heading, "Bổ sung số liệu năm 2022.")], actor=team_member
    )
    reports_services.report_submit(report=report, actor=focal)
    reports_services.report_accept(report=report, actor=staff)
    plans_services.inspection_review_done(inspection=inspection, actor=staff)
    minutes = findings_services.minutes_create(
        inspection=inspection,
        data={
            "held_on": start,
            "place": "Trụ sở Sở Tư pháp",
            "team_participants": "Lê Văn Đoàn, Trưởng đoàn",
            "unit_participants": "Nguyễn Văn A, Giám đốc",
            "checked": "Hồ sơ CCHC năm 2023.",
        },
        actor=team_member,
    )
    finding = findings_services.finding_create(
        inspection=inspection,
        data={
            "item": world.section,
            "kind": Finding.Kind.SHORTCOMING,
            "description": "Chưa ban hành kế hoạch tuyên truyền CCHC riêng.",
            "recommendation": "Ban hành kế hoạch tuyên truyền CCHC năm 2024.",
            "responsible": "Sở Tư pháp",
            "handling": Finding.Handling.UNIT_FIXES,
        },
        actor=team_member,
    )
    findings_services.finding_create(
        inspection=inspection,
        data={
            "item": world.section,
            "kind": Finding.Kind.STRENGTH,
            "description": "Ban hành kế hoạch CCHC năm kịp thời.",
        },
        actor=team_member,
    )
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(conclusion=conclusion, actor=leader, issued_on=today)
    action = conclusion.actions.get()
    findings_services.remediation_extend(
        action=action,
        new_deadline=action.deadline + datetime.timedelta(days=30),
        reason="Chờ hướng dẫn của Bộ Nội vụ.",
        actor=staff,
    )
    action.refresh_from_db()
    findings_services.remediation_report(
        action=action,
        text="Đã ban hành Kế hoạch số 15/KH-STP.",
        files=[pdf_file("Kế hoạch 15-KH-STP.pdf")],
        actor=focal,
    )
    return types.SimpleNamespace(
        plan=world.plan.pk,
        group=world.group.pk,
        entry=world.entry_a.pk,
        team=world.team.pk,
        member=world.team.members.get(user=team_member).pk,
        inspection=inspection.pk,
        item=world.heading.pk,
        indicator=world.indicator.pk,
        evidence=rows[0].pk,
        minutes=minutes.pk,
        finding=finding.pk,
        conclusion=conclusion.pk,
        action=action.pk,
        proof=action.proofs.get().pk,
    )


@pytest.fixture
def clients(personas):
    """One browser per persona, signed in once."""
    result = {}
    for persona, user in personas.items():
        result[persona] = Client()
        if user is not None:
            result[persona].force_login(user)
    return result
