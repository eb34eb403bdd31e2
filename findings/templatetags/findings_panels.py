"""The report, minutes, findings, conclusion and remediation panels of an inspection page.

Used by the plans app's inspection page as ``{% load findings_panels %}{% inspection_panels
inspection %}``; five queries whatever the inspection holds.
"""

from django import template

from cchc_inspection.roles import is_leader, is_staff_side
from plans.models import Inspection
from reports.models import UnitReport

from ..models import Finding, RemediationAction, SiteVisitMinutes
from ..services import WORK_STATUSES

register = template.Library()


@register.inclusion_tag("findings/_inspection_panels.html", takes_context=True)
def inspection_panels(context, inspection):
    user = context["request"].user
    report = UnitReport.objects.filter(inspection=inspection).first()
    if report is not None:
        report.inspection = inspection
    conclusions = list(inspection.conclusions.order_by("version"))
    work_open = inspection.status in WORK_STATUSES and not any(
        c.status == c.Status.ISSUED for c in conclusions
    )
    staff_side = is_staff_side(user)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "inspection": inspection,
        "report": report,
        "minutes": SiteVisitMinutes.objects.filter(inspection=inspection),
        "findings": Finding.objects.filter(inspection=inspection).select_related("item"),
        "conclusions": conclusions,
        "actions": RemediationAction.objects.current()
        .filter(conclusion__inspection=inspection)
        .with_overdue_flag()
        .select_related("item")
        .order_by("order", "pk"),
        "work_open": work_open,
        "can_request": staff_side
        and inspection.status == Inspection.Status.SCHEDULED
        and not inspection.is_unannounced,
        "can_minutes": work_open and inspection.form != Inspection.Form.DOCUMENTS,
        "can_draft": staff_side
        and inspection.status == Inspection.Status.REVIEWED
        and not conclusions,
        "is_staff_side": staff_side,
        "is_leader": is_leader(user),
    }
