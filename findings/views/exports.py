"""The findings register and the remediation tracker as Excel, with the list's filters."""

from django.urls import path

from cchc_inspection.roles import staff_required
from cchc_inspection.spreadsheets import stamp

from ..access import visible_actions, visible_findings
from ..exports import write_findings, write_tracker
from ..filters import FindingFilter, RemediationFilter


@staff_required
def finding_export(request):
    findings = visible_findings(request.user).in_register_order()
    filterset = FindingFilter(request.GET or None, queryset=findings, request=request)
    return write_findings(filterset.qs).response(stamp("so-ket-qua-kiem-tra"))


@staff_required
def tracker_export(request):
    actions = visible_actions(request.user).current().with_overdue_flag().order_by("deadline", "pk")
    filterset = RemediationFilter(request.GET or None, queryset=actions, request=request)
    return write_tracker(filterset.qs).response(stamp("theo-doi-khac-phuc"))


urlpatterns = [
    path("ket-qua/xuat-excel/", finding_export, name="finding-export"),
    path("khac-phuc/xuat-excel/", tracker_export, name="tracker-export"),
]
