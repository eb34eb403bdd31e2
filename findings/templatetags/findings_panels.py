"""The report, minutes, findings, conclusion and remediation panels of an inspection page.

Used by the plans app's inspection page as ``{% load findings_panels %}{% inspection_panels
inspection %}``: at most four queries whatever the inspection holds (the unit's report
comes with the page's inspection, ``select_related("report")``; one more reads it otherwise).
"""

from django import template

from cchc_inspection.roles import is_staff_side
from plans.models import Inspection

from ..models import Conclusion, Finding, RemediationAction, SiteVisitMinutes
from ..services import WORK_STATUSES

register = template.Library()
ISSUED = Conclusion.Status.ISSUED


def current_actions(conclusions):
    """The remediation actions in force, given all of one inspection's conclusions: those
    of the issued conclusions that no issued correction replaced.

    The rule of ``RemediationAction.objects.current()`` applied to the conclusions the page
    already holds (a correction belongs to the inspection it corrects): the query is then a
    plain one on their keys, and there is none while nothing is issued.
    """
    replaced = {c.supersedes_id for c in conclusions if c.status == ISSUED}
    in_force = [c.pk for c in conclusions if c.status == ISSUED and c.pk not in replaced]
    if not in_force:
        return []
    return list(RemediationAction.objects.filter(conclusion__in=in_force).order_by("order", "pk"))


def _findings(inspection):
    # Ordered here: the model's ordering starts with the inspection's own, a join to sort
    # the rows of one inspection.
    rows = Finding.objects.filter(inspection=inspection).select_related("item")
    return list(rows.order_by("item__order", "pk"))


@register.inclusion_tag("findings/_inspection_panels.html", takes_context=True)
def inspection_panels(context, inspection):
    staff_side = is_staff_side(context["request"].user)
    conclusions = list(inspection.conclusions.order_by("version"))
    work_open = inspection.status in WORK_STATUSES and not any(
        c.status == ISSUED for c in conclusions
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "inspection": inspection,
        "report": getattr(inspection, "report", None),  # None until the report is requested
        "minutes": list(SiteVisitMinutes.objects.filter(inspection=inspection)),
        "findings": _findings(inspection),
        "conclusions": conclusions,
        "actions": current_actions(conclusions),
        "work_open": work_open,
        "can_request": staff_side
        and inspection.status == Inspection.Status.SCHEDULED
        and not inspection.is_unannounced,
        "can_minutes": work_open and inspection.form != Inspection.Form.DOCUMENTS,
        "can_draft": staff_side
        and inspection.status == Inspection.Status.REVIEWED
        and not conclusions,
    }
