"""Bring an inspection of the seeded 2023 plan to a given stage through the services, the
way the pages would (journey 1 walks the same road in the browser). Used where a journey
or a screenshot needs the state, not the walk."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from findings import services as findings_services
from findings.models import Finding
from plans import services as plans_services
from plans.forms import team_initial
from plans.models import Inspection, InspectionPlan, InspectionTeam, TeamMember
from reports import figures
from reports import services as reports_services
from units.models import Unit

from .helpers import pdf_bytes, xlsx_bytes


def user(username):
    return get_user_model().objects.get(username=username)


def issued_plan_and_team():
    """The 2023 plan issued by the leader, with one team whose decision is issued."""
    plan = InspectionPlan.objects.get(year=2023)
    if plan.status == InspectionPlan.Status.DRAFT:
        plans_services.plan_issue(plan=plan, actor=user("lanhdao"))
        plan.refresh_from_db()
    team = plan.teams.first()
    if team is None:
        staff = user("cchc")
        team = plans_services.team_create(
            team=InspectionTeam(plan=plan, name="Đoàn kiểm tra số 1", **team_initial(plan)),
            actor=staff,
        )
        plans_services.member_save(
            member=TeamMember(
                team=team,
                user=user("doankiemtra"),
                position="Trưởng phòng Cải cách hành chính",
                agency_name="Sở Nội vụ",
                role=TeamMember.Role.LEADER,
            ),
            actor=staff,
        )
        plans_services.member_save(
            member=TeamMember(
                team=team,
                full_name="Lê Thị Hoa",
                position="Chuyên viên",
                agency_name="Sở Tài chính",
                role=TeamMember.Role.MEMBER,
            ),
            actor=staff,
        )
        plans_services.team_decision_issue(team=team, actor=user("lanhdao"))
        team.refresh_from_db()
    return plan, team


def requested(unit_name, *, days_ahead=9):
    """An on-site inspection of ``unit_name`` whose report has been requested."""
    plan, team = issued_plan_and_team()
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    inspection = plans_services.inspection_schedule(
        plan=plan,
        unit=Unit.objects.get(name=unit_name),
        actor=user("cchc"),
        team=team,
        form=Inspection.Form.ON_SITE,
        start_date=start,
        end_date=start,
        place=f"Trụ sở {unit_name}",
    )
    reports_services.report_request(inspection=inspection, actor=user("cchc"))
    inspection.refresh_from_db()
    return inspection


def answer(inspection, focal, texts, figures_by_label):
    """Save answers (``{item title start: text}``) and figures (``{label: "20"}``)."""
    report = inspection.report
    outline = inspection.plan.outline
    items = figures.visible_items(outline, inspection.unit)
    for start, text in texts.items():
        item = next(i for i in items if i.title.startswith(start))
        reports_services.answer_save(report=report, item=item, text=text, version=0, actor=focal)
    for indicator in figures.asked_indicators(outline, inspection.unit, items):
        if indicator.label in figures_by_label:
            value = figures.parse_figure(indicator, figures_by_label[indicator.label])
            reports_services.value_save(
                report=report, indicator=indicator, value=value, version=0, actor=focal
            )
    return report


PLAN_ITEM = "Xây dựng và tổ chức thực hiện kế hoạch CCHC"


def concluded(unit_name, focal_username):
    """An inspection of ``unit_name`` taken to an issued conclusion with two remediation
    actions: the first reported by the unit with a proof file, the second still open.
    Returns ``(inspection, evidence, conclusion, actions)``."""
    inspection = requested(unit_name)
    focal, staff, leader = user(focal_username), user("cchc"), user("lanhdao")
    report = answer(
        inspection,
        focal,
        {
            "Việc xây dựng và tổ chức": "Đơn vị ban hành đầy đủ văn bản chỉ đạo, điều hành CCHC.",
            PLAN_ITEM: "Kế hoạch CCHC năm 2023 đề ra 20 nhiệm vụ, đã hoàn thành 18 nhiệm vụ.",
        },
        {
            "Đã ban hành kế hoạch CCHC năm": "Có",
            "Số nhiệm vụ trong kế hoạch CCHC năm": "20",
            "Số nhiệm vụ trong kế hoạch CCHC năm đã hoàn thành": "18",
        },
    )
    items = figures.visible_items(inspection.plan.outline, inspection.unit)
    plan_item = next(i for i in items if i.title.startswith(PLAN_ITEM))
    rows, _ = reports_services.evidence_add(
        report=report,
        files=[
            SimpleUploadedFile("Ke hoach CCHC 2023.pdf", pdf_bytes(), "application/pdf"),
            SimpleUploadedFile(
                "Bang theo doi.xlsx",
                xlsx_bytes([["Nhiệm vụ", "Kết quả"], ["Rà soát TTHC", "Hoàn thành"]]),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ],
        items=[plan_item],
        description="Kế hoạch và bảng theo dõi nhiệm vụ",
        actor=focal,
    )
    reports_services.report_submit(report=report, actor=focal)
    reports_services.report_accept(report=report, actor=staff)
    plans_services.inspection_review_done(inspection=inspection, actor=staff)
    section = plan_item.parent
    while section.parent_id:
        section = section.parent
    for kind, description, recommendation in [
        (Finding.Kind.STRENGTH, "Ban hành kế hoạch CCHC năm 2023 kịp thời, đầy đủ.", ""),
        (
            Finding.Kind.SHORTCOMING,
            "Còn 02 nhiệm vụ trong kế hoạch CCHC năm chưa hoàn thành.",
            "Hoàn thành 02 nhiệm vụ còn lại của kế hoạch CCHC năm 2023.",
        ),
        (
            Finding.Kind.SHORTCOMING,
            "Chưa ban hành kế hoạch tuyên truyền CCHC riêng.",
            "Ban hành kế hoạch tuyên truyền CCHC năm 2024.",
        ),
    ]:
        findings_services.finding_create(
            inspection=inspection,
            data={
                "item": section,
                "kind": kind,
                "description": description,
                "cause": "",
                "recommendation": recommendation,
                "responsible": unit_name if recommendation else "",
                "handling": Finding.Handling.UNIT_FIXES if recommendation else "",
            },
            actor=staff,
        )
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(
        conclusion=conclusion, actor=leader, issued_on=timezone.localdate()
    )
    conclusion.refresh_from_db()
    actions = list(conclusion.actions.order_by("order", "pk"))
    findings_services.remediation_report(
        action=actions[0],
        text="Đã hoàn thành 02 nhiệm vụ còn lại, báo cáo số 15/BC-STP.",
        files=[SimpleUploadedFile("Bao cao 15-BC-STP.pdf", pdf_bytes(), "application/pdf")],
        actor=focal,
    )
    inspection.refresh_from_db()
    return inspection, rows, conclusion, actions
