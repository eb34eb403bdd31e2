"""The "Lịch sử thay đổi" panel of an inspection page: the inspection, the unit's report with
its answers, figures and evidence, the minutes, findings, conclusions and remediation
actions in one list, newest first, a page at a time.

Used by the plans app's inspection page as ``{% load history_panels %}{% inspection_history
inspection %}``; shown to CCHC staff and leaders only, with a fixed number of queries.
"""

from django import template

from cchc_inspection import history
from cchc_inspection.roles import can_see_history

from ..history import inspection_sources

register = template.Library()


@register.inclusion_tag("components/history_panel.html", takes_context=True)
def inspection_history(context, inspection):
    request = context["request"]
    if not can_see_history(request.user):
        return {"history": None}
    return {"history": history.page(request, inspection_sources(inspection))}
