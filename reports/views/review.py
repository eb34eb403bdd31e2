"""Staff side of the unit's report: request it, review it beside the outline, return or accept.

The review page is open to CCHC staff, leaders and the members of the inspection's team;
requesting the report is the staff's job.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_POST

from cchc_inspection import vn
from cchc_inspection.links import link
from cchc_inspection.roles import Role, role_required, staff_required
from cchc_inspection.templatetags.vn import lines
from plans.access import get_inspection, visible_inspections

from .. import figures
from ..models import Evidence, ItemAnswer, OutlineItem, ReviewComment, UnitReport
from ..services import report_accept, report_request, report_return

review_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER)
LOCKED = {UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED}

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


def _review_inspection(user, pk):
    """The inspection (404 if the user may not see it) with its unit, plan, outline and
    report read in the same query: the review page needs them all."""
    inspection = get_object_or_404(
        visible_inspections(user).select_related("unit", "plan__outline", "report__submitted_by"),
        pk=pk,
    )
    try:
        report = inspection.report
    except UnitReport.DoesNotExist:
        return inspection, None
    report.inspection = inspection
    return inspection, report


def _heading(item):
    """ "1. Title", "- Title" or "Title", as the outline numbers the item."""
    if not item.label:
        return item.title
    return f"{item.label}{'' if item.label == '-' else '.'} {item.title}"


@dataclass(frozen=True)
class Document:
    """A piece of evidence as the review page lists it."""

    pk: int
    original_name: str
    description: str

    @property
    def url(self):
        return link("reports:evidence-download", self.pk)


def _evidence_by_item(report):
    """``{item id: [Document]}`` of the report's current evidence, in upload order; one
    query through the evidence–item links, reading only what the page shows."""
    links = (
        Evidence.items.through.objects.filter(
            evidence__report=report, evidence__replaced_by__isnull=True
        )
        .order_by("evidence__uploaded_at", "evidence__pk")
        .values_list(
            "outlineitem_id", "evidence_id", "evidence__original_name", "evidence__description"
        )
    )
    documents, result = {}, defaultdict(list)
    for item_id, pk, name, description in links:
        if pk not in documents:
            documents[pk] = Document(pk, name, description)
        result[item_id].append(documents[pk])
    return result


def comments_by_item(report):
    """The reviewers' earlier comments, ``{item id or None (general): [comment]}``."""
    result = defaultdict(list)
    for comment in ReviewComment.objects.filter(report=report).select_related("author"):
        result[comment.item_id].append(comment)
    return result


def review_rows(inspection, report, comments):
    """The outline items asked of the unit (``reports.figures``), each with the unit's
    answer, its figures with their check messages, the evidence and the reviewers'
    earlier comments (``comments_by_item``); a fixed number of queries whatever the size
    of the report.

    A report lists every item of the outline, so what each row shows is prepared here
    rather than looked up piece by piece in the template."""
    check = figures.check_report(report, inspection.unit)
    indicators = defaultdict(list)
    for indicator in check.indicators:
        indicators[indicator.item_id].append(indicator)
    answers = dict(ItemAnswer.objects.filter(report=report).values_list("item_id", "text"))
    evidence = _evidence_by_item(report)
    rows = []
    for item in check.items:
        paragraphs = lines(answers.get(item.pk, ""))
        rows.append(
            {
                "item": item,
                "id": str(item.pk),
                "css": ROW_CLASS.get(item.kind, ""),
                "heading": _heading(item),
                "guidance": item.guidance,
                "answerable": item.answerable,
                "comment_label": item.label if item.label and item.label != "-" else "này",
                "paragraphs": paragraphs,
                "answered": bool(paragraphs),
                "figures": [
                    _figure_row(ind, inspection.unit, check) for ind in indicators[item.pk]
                ],
                "evidence": evidence[item.pk],
                "comments": comments.get(item.pk, []),
            }
        )
    return rows


def _figure_row(indicator, unit, check):
    value = check.values.get(indicator.pk)
    return {
        "indicator": indicator,
        "label": figures.figure_label(indicator, unit, check.commune_items),
        "value": value,
        "filled": value is not None,
        "text": figures.display(indicator, value),
        "messages": check.messages.get(indicator.pk, []),
    }


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


def review_part(inspection, report, comments, entered):
    """The rows of the review page as HTML, with the completeness summary.

    Rendering one row per outline item is most of the page's cost. While the report is
    submitted or accepted, its answers, figures and evidence are locked at the model level
    (``cchc_inspection.integrity``), and so is the outline of its issued plan: the rows are
    rendered once and kept in the cache, under a key naming everything else they show
    (``_part_key``). Every status move saves the report, so returning or accepting it
    changes the key. A report still being written, and a page showing what the reviewer
    typed, are rendered afresh.
    """
    key = None if any(entered.values()) else _part_key(inspection, report, comments)
    part = cache.get(key) if key else None
    if part is None:
        rows = review_rows(inspection, report, comments)
        for row in rows:
            row["entered"] = entered.get(row["item"].pk, "")
        can_decide = report.status == UnitReport.Status.SUBMITTED
        part = {
            "html": render_to_string(
                "reports/_review_rows.html", {"rows": rows, "can_decide": can_decide}
            ),
            "summary": completeness(rows),
        }
        if key:
            cache.set(key, part, None)
    return part


def _part_key(inspection, report, comments):
    """The cache key of a locked report's rows (None while the report may change): the
    report as last saved and its status, whether its unit is a district (its figures then
    include the communes), and the earlier comments with their authors' names."""
    if report.status not in LOCKED or inspection.plan.status == inspection.plan.Status.DRAFT:
        return None
    said = [
        (c.pk, c.item_id, c.round, c.text, vn.person(c.author), c.created_at.isoformat())
        for item_comments in comments.values()
        for c in item_comments
    ]
    digest = hashlib.sha256(repr((inspection.unit.is_district, said)).encode()).hexdigest()
    return f"reports:review:{report.pk}:{report.status}:{report.updated_at.isoformat()}:{digest}"


def _render_review(request, inspection, report, entered=None, error=None, status=200):
    entered = entered or {}
    context = {
        "inspection": inspection,
        "report": report,
        "entered_general": entered.get(None, ""),
        "error": error,
        "can_decide": report is not None and report.status == UnitReport.Status.SUBMITTED,
    }
    if report is not None:
        comments = comments_by_item(report)
        part = review_part(inspection, report, comments, entered)
        context.update(
            rows_html=part["html"], summary=part["summary"], general_comments=comments[None]
        )
    return render(request, "reports/review.html", context, status=status)


@review_required
def report_review(request, pk):
    return _render_review(request, *_review_inspection(request.user, pk))


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
