"""Tổng quan: one plan's progress, reports due and late, remediation, findings by area.

Every count is computed in SQL (one aggregate per panel), so the page makes the same
number of queries whatever the size of the plan; every number links to the list behind it
with the GET parameters those lists read (``plan``, ``group``, ``status``, ``unit``,
``area``, ``kind``, ``overdue=1``, ``due_within=N``).
"""

from urllib.parse import urlencode

from django.db.models import Case, Count, F, Q, When
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone

from cchc_inspection.roles import staff_required
from plans.models import Inspection, InspectionPlan, PlanEntry
from reports.models import OutlineItem

from ..models import Finding, RemediationAction

REPORT_DAYS = 7
REMEDIATION_DAYS = 14
S = Inspection.Status


def link(name, **params):
    """The URL of list ``name`` with ``params`` as its query, or "" if the list is absent."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def _progress(plan):
    """Per group of Phụ lục 1: units listed, units without an inspection, inspections by status."""
    this_plan = Q(unit__inspections__plan=plan)
    per_status = {
        status.value: Count(
            "unit__inspections", filter=this_plan & Q(unit__inspections__status=status)
        )
        for status in S
    }
    active = this_plan & ~Q(unit__inspections__status=S.CANCELLED)
    rows = list(
        PlanEntry.objects.filter(plan=plan)
        .values("group_id", "group__title", "group__order")
        .annotate(
            units=Count("pk", distinct=True),
            covered=Count("unit", distinct=True, filter=active),
            **per_status,
        )
        .order_by("group__order")
    )
    base = reverse("plans:inspection-list")
    totals = {"units": 0, "unscheduled": 0, "cells": [0] * len(S)}
    for row in rows:
        row["unscheduled"] = row["units"] - row["covered"]
        row["cells"] = [
            (
                row[status.value],
                f"{base}?{urlencode({'plan': plan.pk, 'group': row['group_id'], 'status': status.value})}",
            )
            for status in S
        ]
        row["all_link"] = f"{base}?{urlencode({'plan': plan.pk, 'group': row['group_id']})}"
        totals["units"] += row["units"]
        totals["unscheduled"] += row["unscheduled"]
        for i, status in enumerate(S):
            totals["cells"][i] += row[status.value]
    totals["cells"] = [
        (n, f"{base}?{urlencode({'plan': plan.pk, 'status': status.value})}")
        for n, status in zip(totals["cells"], S, strict=True)
    ]
    return rows, totals


def _reports(plan, today):
    inspections = Inspection.objects.filter(plan=plan)
    due = inspections.report_due_within(REPORT_DAYS, today=today)
    late = inspections.report_late(today=today)
    rows = list((due | late).select_related("unit", "team").order_by("report_deadline", "pk")[:15])
    return {
        "due": due.count(),
        "late": late.count(),
        "rows": rows,
        "due_link": link("plans:inspection-list", plan=plan.pk, due_within=REPORT_DAYS),
        "late_link": link("plans:inspection-list", plan=plan.pk, overdue=1),
    }


def _remediation(plan, today):
    actions = RemediationAction.objects.current().filter(conclusion__inspection__plan=plan)
    open_ = ~Q(status=RemediationAction.Status.VERIFIED)
    overdue = open_ & Q(deadline__lt=today)
    soon = open_ & Q(
        deadline__gte=today, deadline__lte=today + timezone.timedelta(days=REMEDIATION_DAYS)
    )
    totals = actions.aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=~open_),
        overdue=Count("pk", filter=overdue),
        soon=Count("pk", filter=soon),
    )
    unit = "conclusion__inspection__unit"
    by_unit = list(
        actions.values(unit, f"{unit}__name")
        .annotate(overdue=Count("pk", filter=overdue), soon=Count("pk", filter=soon))
        .filter(Q(overdue__gt=0) | Q(soon__gt=0))
        .order_by("-overdue", "-soon", f"{unit}__name")
    )
    for row in by_unit:
        row["name"] = row[f"{unit}__name"]
        row["overdue_link"] = link("findings:tracker", plan=plan.pk, unit=row[unit], overdue=1)
        row["soon_link"] = link(
            "findings:tracker", plan=plan.pk, unit=row[unit], due_within=REMEDIATION_DAYS
        )
    return {
        **totals,
        "by_unit": by_unit,
        "days": REMEDIATION_DAYS,
        "all_link": link("findings:tracker", plan=plan.pk),
        "verified_link": link("findings:tracker", plan=plan.pk, status="verified"),
        "overdue_link": link("findings:tracker", plan=plan.pk, overdue=1),
        "soon_link": link("findings:tracker", plan=plan.pk, due_within=REMEDIATION_DAYS),
    }


def _findings_by_area(plan):
    """Findings counted by outline area: a point or note counts for the heading above it."""
    area = Case(
        When(
            item__kind__in=[OutlineItem.Kind.POINT, OutlineItem.Kind.NOTE],
            item__parent__isnull=False,
            then=F("item__parent_id"),
        ),
        default=F("item_id"),
    )
    kinds = {kind.value: Count("pk", filter=Q(kind=kind)) for kind in Finding.Kind}
    rows = list(
        Finding.objects.filter(inspection__plan=plan)
        .annotate(area=area)
        .values("area")
        .annotate(total=Count("pk"), **kinds)
        .order_by()
    )
    items = OutlineItem.objects.in_bulk([row["area"] for row in rows])
    for row in rows:
        row["item"] = items.get(row["area"])
        row["link"] = link("findings:finding-list", plan=plan.pk, area=row["area"])
        row["cells"] = [
            (
                row[kind.value],
                link("findings:finding-list", plan=plan.pk, area=row["area"], kind=kind.value),
            )
            for kind in Finding.Kind
        ]
    rows.sort(key=lambda row: row["item"].order if row["item"] else 0)
    return rows


@staff_required
def dashboard(request):
    """Staff and leaders: the progress of one plan (the latest unless another is chosen)."""
    plans = list(
        InspectionPlan.objects.order_by("-year", "-pk").only("pk", "year", "title", "status")
    )
    chosen = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.pk) == chosen), plans[0] if plans else None)
    context = {"plans": plans, "plan": plan}
    if plan is not None:
        today = timezone.localdate()
        progress, totals = _progress(plan)
        context.update(
            {
                "today": today,
                "statuses": list(S),
                "progress": progress,
                "totals": totals,
                "reports": _reports(plan, today),
                "remediation": _remediation(plan, today),
                "areas": _findings_by_area(plan),
                "kinds": list(Finding.Kind),
                "report_days": REPORT_DAYS,
                "findings_link": link("findings:finding-list", plan=plan.pk),
            }
        )
    return render(request, "findings/dashboard.html", context)


urlpatterns = [path("tong-quan/", dashboard, name="dashboard")]
