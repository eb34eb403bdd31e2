"""The report, minutes, findings, conclusion and remediation panels of an inspection page.

Used by the plans app's inspection page as ``{% load findings_panels %}{% inspection_panels
inspection %}``: at most four queries whatever the inspection holds (the unit's report
comes with the page's inspection, ``select_related("report")``; one more reads it otherwise).
They read only the columns the panels show, and are ``PrecompiledQuery``s: compiled by the
ORM once per process (``cchc_inspection.queries``), as the page is opened many times a day.
"""

from django import template

from cchc_inspection.queries import instance, precompiled
from cchc_inspection.roles import is_staff_side
from plans.models import Inspection
from reports.models import OutlineItem

from ..models import Conclusion, Finding, RemediationAction, SiteVisitMinutes
from ..services import WORK_STATUSES

register = template.Library()
ISSUED = Conclusion.Status.ISSUED

# Stand-ins no key of a query can equal.
INSPECTION, CONCLUSION = -8_200_001, -8_200_101
CONCLUSION_COLUMNS = ("id", "version", "status", "supersedes_id", "number", "symbol", "issued_on")
MINUTES_COLUMNS = ("id", "held_on", "place")
FINDING_COLUMNS = ("id", "kind", "description", "recommendation", "item_id")
ITEM_COLUMNS = ("label", "title")
ACTION_COLUMNS = ("id", "conclusion_id", "order", "requirement", "deadline", "status")
# The labels the panels print, looked up once (``get_FOO_display()`` rebuilds its dict on
# each call, and the panels print one per row).
KIND_LABELS = dict(Finding.Kind.choices)
CONCLUSION_LABELS = dict(Conclusion.Status.choices)
ACTION_LABELS = dict(RemediationAction.Status.choices)


@precompiled(inspection=INSPECTION)
def _conclusions(inspection):
    return (
        Conclusion.objects.filter(inspection_id=inspection)
        .order_by("version")
        .values_list(*CONCLUSION_COLUMNS)
    )


@precompiled(inspection=INSPECTION)
def _minutes(inspection):
    return (
        SiteVisitMinutes.objects.filter(inspection_id=inspection)
        .order_by("held_on", "pk")
        .values_list(*MINUTES_COLUMNS)
    )


@precompiled(inspection=INSPECTION)
def _finding_rows(inspection):
    # Ordered here: the model's ordering starts with the inspection's own, a join to sort
    # the rows of one inspection.
    items = [f"item__{name}" for name in ITEM_COLUMNS]
    return (
        Finding.objects.filter(inspection_id=inspection)
        .order_by("item__order", "pk")
        .values_list(*FINDING_COLUMNS, *items)
    )


@precompiled(conclusions=CONCLUSION)
def _actions(conclusions):
    return (
        RemediationAction.objects.filter(conclusion_id__in=conclusions)
        .order_by("order", "pk")
        .values_list(*ACTION_COLUMNS)
    )


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
    actions = [
        instance(RemediationAction, ACTION_COLUMNS, row) for row in _actions(conclusions=in_force)
    ]
    for action in actions:
        action.status_label = ACTION_LABELS.get(action.status, action.status)
    return actions


def _findings(inspection):
    """The findings with the outline item each is recorded under (``{{ f.item }}``)."""
    size = len(FINDING_COLUMNS)
    findings = []
    for row in _finding_rows(inspection=inspection.pk):
        finding = instance(Finding, FINDING_COLUMNS, row[:size])
        item = instance(OutlineItem, ("id", *ITEM_COLUMNS), (finding.item_id, *row[size:]))
        Finding.item.field.set_cached_value(finding, item)
        finding.kind_label = KIND_LABELS.get(finding.kind, finding.kind)
        findings.append(finding)
    return findings


@register.inclusion_tag("findings/_inspection_panels.html", takes_context=True)
def inspection_panels(context, inspection):
    staff_side = is_staff_side(context["request"].user)
    conclusions = [
        instance(Conclusion, CONCLUSION_COLUMNS, row)
        for row in _conclusions(inspection=inspection.pk)
    ]
    for conclusion in conclusions:
        conclusion.status_label = CONCLUSION_LABELS.get(conclusion.status, conclusion.status)
    work_open = inspection.status in WORK_STATUSES and not any(
        c.status == ISSUED for c in conclusions
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "inspection": inspection,
        "report": getattr(inspection, "report", None),  # None until the report is requested
        "minutes": [
            instance(SiteVisitMinutes, MINUTES_COLUMNS, row)
            for row in _minutes(inspection=inspection.pk)
        ],
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
