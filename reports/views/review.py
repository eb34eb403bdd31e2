"""Staff side of the unit's report: request it, review it beside the outline, return or accept.

The review page is open to CCHC staff, leaders and the members of the inspection's team;
requesting the report is the staff's job.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from cchc_inspection.roles import Role, role_required, staff_required
from plans.access import get_inspection

from .. import figures
from ..models import Evidence, ItemAnswer, OutlineItem, ReviewComment, UnitReport
from ..services import report_accept, report_request, report_return

review_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER)

ROW_CLASS = {
    OutlineItem.Kind.SECTION: "outline-section",
    OutlineItem.Kind.HEADING: "outline-heading",
    OutlineItem.Kind.POINT: "outline-point",
    OutlineItem.Kind.NOTE: "",
}


def _report_of(inspection):
    report = UnitReport.objects.filter(inspection=inspection).select_related("submitted_by").first()
    if report is not None:
        report.inspection = inspection
    return report


def review_rows(inspection, report):
    """The outline items asked of the unit (``reports.figures``), each with the unit's
    answer, its figures with their check messages, the evidence and the reviewers'
    earlier comments; a fixed number of queries whatever the size of the report."""
    check = figures.check_report(report, inspection.unit)
    indicators = defaultdict(list)
    for indicator in check.indicators:
        indicators[indicator.item_id].append(indicator)
    answers = {a.item_id: a for a in ItemAnswer.objects.filter(report=report)}
    evidence, comments = defaultdict(list), defaultdict(list)
    for doc in Evidence.objects.current().filter(report=report).prefetch_related("items"):
        for item in doc.items.all():
            evidence[item.pk].append(doc)
    for comment in ReviewComment.objects.filter(report=report).select_related("author"):
        comments[comment.item_id].append(comment)
    rows = []
    for item in check.items:
        answer = answers.get(item.pk)
        figure_rows = [
            {
                "indicator": ind,
                "label": figures.figure_label(ind, inspection.unit, check.commune_items),
                "value": check.values.get(ind.pk),
                "text": figures.display(ind, check.values.get(ind.pk)),
                "messages": check.messages.get(ind.pk, []),
            }
            for ind in indicators[item.pk]
        ]
        rows.append(
            {
                "item": item,
                "css": ROW_CLASS.get(item.kind, ""),
                "answer": answer.text if answer else "",
                "answered": bool(answer and answer.text.strip()),
                "figures": figure_rows,
                "evidence": evidence[item.pk],
                "comments": comments[item.pk],
            }
        )
    return rows, comments[None]


def completeness(rows):
    answerable = [r for r in rows if r["item"].answerable]
    figures = [f for r in rows for f in r["figures"]]
    return {
        "items_total": len(answerable),
        "items_answered": sum(1 for r in answerable if r["answered"]),
        "figures_total": len(figures),
        "figures_filled": sum(1 for f in figures if f["value"] is not None),
        "items_with_evidence": sum(1 for r in answerable if r["evidence"]),
        "evidence_total": len({doc.pk for r in rows for doc in r["evidence"]}),
    }


def _render_review(request, inspection, report, entered=None, error=None, status=200):
    rows, general_comments = review_rows(inspection, report) if report else ([], [])
    entered = entered or {}
    for row in rows:
        row["entered"] = entered.get(row["item"].pk, "")
    context = {
        "inspection": inspection,
        "report": report,
        "rows": rows,
        "general_comments": general_comments,
        "summary": completeness(rows),
        "entered_general": entered.get(None, ""),
        "error": error,
        "can_decide": report is not None and report.status == UnitReport.Status.SUBMITTED,
    }
    return render(request, "reports/review.html", context, status=status)


@review_required
def report_review(request, pk):
    inspection = get_inspection(request.user, pk)
    return _render_review(request, inspection, _report_of(inspection))


def _comments_from(post, rows_items):
    """(item, text) pairs from the fields "comment-<item pk>" and "comment-general"."""
    items = {item.pk: item for item in rows_items}
    entered = {None: post.get("comment-general", "")}
    for pk in items:
        entered[pk] = post.get(f"comment-{pk}", "")
    pairs = [(items.get(pk), text) for pk, text in entered.items()]
    return pairs, entered


@require_POST
@review_required
def report_return_view(request, pk):
    inspection = get_inspection(request.user, pk)
    report = _report_of(inspection)
    if report is None:
        messages.error(request, "Đơn vị chưa có báo cáo.")
        return redirect("reports:report-review", pk=inspection.pk)
    items = OutlineItem.objects.filter(outline__plan_id=inspection.plan_id)
    comments, entered = _comments_from(request.POST, items)
    try:
        report_return(report=report, comments=comments, actor=request.user)
    except ValidationError as error:
        return _render_review(
            request, inspection, report, entered=entered, error=" ".join(error.messages)
        )
    messages.success(request, "Đã trả lại báo cáo để đơn vị bổ sung; đơn vị đã được thông báo.")
    return redirect("reports:report-review", pk=inspection.pk)


@require_POST
@review_required
def report_accept_view(request, pk):
    inspection = get_inspection(request.user, pk)
    report = _report_of(inspection)
    if report is None:
        messages.error(request, "Đơn vị chưa có báo cáo.")
        return redirect("reports:report-review", pk=inspection.pk)
    try:
        report_accept(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã chấp nhận báo cáo của đơn vị.")
    return redirect("reports:report-review", pk=inspection.pk)


@require_POST
@staff_required
def report_request_view(request, pk):
    inspection = get_inspection(request.user, pk)
    try:
        report_request(inspection=inspection, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if inspection.unit.memberships.active().exists():
            messages.success(
                request,
                "Đã yêu cầu đơn vị gửi báo cáo; đầu mối CCHC của đơn vị đã được thông báo.",
            )
        else:
            messages.warning(
                request,
                "Đã yêu cầu báo cáo, nhưng đơn vị chưa có đầu mối CCHC trên hệ thống nên chưa "
                "ai nhận được thông báo.",
            )
    return redirect("plans:inspection-detail", pk=inspection.pk)


urlpatterns = [
    path("xem-xet/<int:pk>/", report_review, name="report-review"),
    path("xem-xet/<int:pk>/yeu-cau/", report_request_view, name="report-request"),
    path("xem-xet/<int:pk>/tra-lai/", report_return_view, name="report-return"),
    path("xem-xet/<int:pk>/chap-nhan/", report_accept_view, name="report-accept"),
]
