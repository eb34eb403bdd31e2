"""The request for a report sent to a unit (công văn đề nghị báo cáo), as a PDF.

The letter is unnumbered in the app: the clerk registers it when it is sent, so it prints
"Số:     /SNV-CCHC". Until the report has been requested it is marked DỰ THẢO.
"""

from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.documents import (
    Frame,
    Signer,
    blank_number,
    is_issued,
    lower_first,
    pdf_response,
    recipients,
    render_pdf,
)
from cchc_inspection.roles import Role, role_required
from plans.documents import plan_reference, team_reference
from plans.models import Inspection

from . import access

DIVISION_NAME = "Phòng Cải cách hành chính"
NOT_YET_REQUESTED = {Inspection.Status.PLANNED, Inspection.Status.SCHEDULED}


def inspection_dates(inspection):
    """ "ngày 15/6/2023" or "từ ngày 15/6/2023 đến ngày 16/6/2023"."""
    start, end = inspection.start_date, inspection.end_date
    if not start:
        return ""
    if not end or end == start:
        return f"ngày {vn.short_date(start)}"
    return f"từ ngày {vn.short_date(start)} đến ngày {vn.short_date(end)}"


def request_context(inspection):
    plan, unit, team = inspection.plan, inspection.unit, inspection.team
    agency = plan.agency
    agency_name = plan.agency.short_name
    basis = plan_reference(plan)
    if team is not None and is_issued(team):
        basis += f"; {team_reference(team)}"
    points = []
    dates = inspection_dates(inspection)
    if dates:
        points.append(f"Thời gian kiểm tra: {dates}.")
    points.append(f"Hình thức kiểm tra: {lower_first(inspection.get_form_display())}.")
    if inspection.place:
        points.append(f"Địa điểm: {inspection.place}.")
    if team is not None:
        leader = team.leader
        line = f"Thành phần: {team.name}"
        if leader is not None:
            position = f", {leader.position}" if leader.position else ""
            line += f" do ông (bà) {leader.full_name}{position} làm Trưởng đoàn"
        points.append(line + ".")
    if inspection.report_deadline:
        deadline = f"chậm nhất ngày {vn.short_date(inspection.report_deadline)}"
    else:
        deadline = f"trước thời gian kiểm tra ít nhất {plan.report_lead_days:02d} ngày"
    requested = inspection.report_requested_at
    lines = ["Như trên"] + ([f"Thành viên {team.name}"] if team is not None else [])
    return {
        "frame": Frame(
            agency=agency,
            kind="",
            letter=True,
            subject=f"báo cáo phục vụ kiểm tra công tác cải cách hành chính năm {plan.year}",
            number=blank_number(f"{agency.code}-{agency.division_code}"),
            issued_on=timezone.localdate(requested) if requested else None,
            draft=requested is None and inspection.status in NOT_YET_REQUESTED,
            signer=Signer.head_of(agency),
            recipients=recipients(lines, agency.division_code),
            title=f"Đề nghị báo cáo — {unit.name}",
        ),
        "unit": unit,
        "intro": (
            f"Thực hiện {basis}, {agency_name} thông báo kế hoạch kiểm tra công tác "
            f"cải cách hành chính tại {unit.name} như sau:"
        ),
        "points": points,
        "request": (
            f"Đề nghị {unit.name} xây dựng báo cáo tình hình, kết quả công tác cải cách hành "
            f"chính theo Đề cương báo cáo kèm theo Kế hoạch số {plan.number_display}; chuẩn bị "
            "đầy đủ các văn bản, tài liệu kiểm chứng; cập nhật báo cáo và tài liệu kiểm chứng "
            f"trên phần mềm kiểm tra công tác cải cách hành chính, gửi {agency_name} "
            f"(qua {DIVISION_NAME}) {deadline}."
        ),
        "contact": (
            f"Thông tin chi tiết, đề nghị liên hệ {DIVISION_NAME}, {agency_name}"
            + (f", thư điện tử: {agency.email}." if agency.email else ".")
        ),
        "closing": f"{agency_name} đề nghị {unit.name} quan tâm, phối hợp thực hiện./.",
    }


def render_request(inspection):
    return render_pdf("documents/report_request.html", request_context(inspection))


@role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER, Role.FOCAL)
def request_pdf(request, pk):
    inspection = access.get_request_inspection(request.user, pk)
    name = f"Đề nghị báo cáo kiểm tra CCHC năm {inspection.plan.year} - {inspection.unit.name}"
    return pdf_response(render_request(inspection), name)
