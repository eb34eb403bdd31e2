"""Tổng quan: one plan's progress, reports due and late, remediation, findings by area.

The page makes the same queries whatever the size of the plan or of the database: the
plans (for the choice of plan); the chosen plan's Phụ lục 1 and inspections, one row each
(a plan lists a few hundred units at most), counted here by group and status and read for
the reports due; requirements in force counted by inspection and status, and findings by
outline area and kind, in SQL; the outline's areas. Those queries are ``PrecompiledQuery``s:
compiled by the ORM once per process (see there why). Every number
links to the list behind it with the GET parameters those lists read (``plan``, ``group``,
``status``, ``unit``, ``area``, ``kind``, ``overdue=1``, ``due_within=N``).
"""

import datetime
import functools
from collections import Counter, defaultdict

from django.db.models import Case, Count, F, Q, When
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from cchc_inspection.links import link
from cchc_inspection.queries import instance, precompiled
from cchc_inspection.roles import staff_required
from cchc_inspection.vn import number
from plans.access import PLAN_ROW, plan_rows
from plans.models import Inspection, InspectionPlan, PlanEntry
from reports.models import OutlineItem

from ..models import Finding, RemediationAction

REPORT_DAYS = 7
REMEDIATION_DAYS = 14
REPORT_ROWS = 15
PLAN_TITLE_CHARS = 60
S = Inspection.Status
STATUSES = [status.value for status in S]
KINDS = [kind.value for kind in Finding.Kind]


# Stand-ins no constant of a query can equal.
PLAN = -8_000_001
DAY, LAST_DAY = datetime.date(1901, 2, 3), datetime.date(1901, 4, 5)


class ListLinks:
    """Links to one list page of one plan, filtered: ``ListLinks("findings:tracker", plan)
    (unit=7, overdue=1)`` is ``/…/theo-doi/?plan=3&unit=7&overdue=1``; "" if the list is
    not installed.

    The dashboard links about a hundred numbers, and a ``reverse()`` plus ``urlencode()``
    for each cost several milliseconds. The list's URL is reversed once per page; the
    parameters are primary keys, small numbers and status or kind values (ASCII slugs),
    which need no quoting, so each link is a plain string join.
    """

    def __init__(self, name, plan):
        try:
            self.base = f"{reverse(name)}?plan={plan.pk}"
        except NoReverseMatch:
            self.base = ""

    def __call__(self, **params):
        if not self.base:
            return ""
        return self.base + "".join(f"&{key}={value}" for key, value in params.items())


GREY_ZERO = mark_safe('<span class="text-secondary">0</span>')


def _count_link(count, url, zero="0"):
    """A count as the tables show it: linked to the list behind it (if there is one), or
    ``zero``. Written here rather than in the template: the page shows about a hundred
    counts, and each such cell of the template cost some 30 µs (``format_html`` 13 µs; a
    formatted number needs no escaping)."""
    if not count:
        return zero
    if not url:
        return number(count)
    return mark_safe(f'<a href="{escape(url)}">{number(count)}</a>')


@precompiled(plan=PLAN)
def _plan_entries(plan):
    """Phụ lục 1, group by group: (unit, group, group title). The groups are the plan's
    own; saying so lets PostgreSQL read them by plan instead of hashing every plan's."""
    return (
        PlanEntry.objects.filter(plan_id=plan, group__plan_id=plan)
        .order_by("group__order")
        .values_list("unit_id", "group_id", "group__title")
    )


@precompiled(plan=PLAN)
def _plan_inspections(plan):
    """The plan's inspections by unit name: (pk, unit, unit name, status, report deadline)."""
    return (
        Inspection.objects.filter(plan_id=plan)
        .order_by("unit__name", "unit_id", "pk")
        .values_list("pk", "unit_id", "unit__name", "status", "report_deadline")
    )


@precompiled(plan=PLAN, today=DAY, last_day=LAST_DAY)
def _requirement_counts(plan, today, last_day):
    """Requirements in force by inspection and status: (inspection, status, how many, how
    many past their deadline, how many due from ``today`` to ``last_day``)."""
    return (
        RemediationAction.objects.current()
        .filter(conclusion__inspection__plan_id=plan)
        .values_list("conclusion__inspection_id", "status")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            soon=Count("pk", filter=Q(deadline__gte=today, deadline__lte=last_day)),
        )
        .order_by()
    )


def _findings_with_area(plan):
    """The plan's findings with their ``area``: a point or note counts for the heading above it."""
    area = Case(
        When(
            item__kind__in=[OutlineItem.Kind.POINT, OutlineItem.Kind.NOTE],
            item__parent__isnull=False,
            then=F("item__parent_id"),
        ),
        default=F("item_id"),
    )
    return Finding.objects.filter(inspection__plan_id=plan).annotate(area=area)


@precompiled(plan=PLAN)
def _finding_counts(plan):
    """Findings by area and kind: (area, kind, how many)."""
    return (
        _findings_with_area(plan).values_list("area", "kind").annotate(count=Count("pk")).order_by()
    )


AREA_COLUMNS = ("id", "label", "title", "order")


@precompiled(plan=PLAN)
def _areas(plan):
    """The items of the plan's outline that ``_findings_with_area`` can count a finding
    under (all but the points and notes under a heading): (pk, label, title, order). A
    handful of sections and headings, read by the outline rather than by the findings
    (which would read them again)."""
    return (
        OutlineItem.objects.filter(outline__plan_id=plan)
        .exclude(kind__in=[OutlineItem.Kind.POINT, OutlineItem.Kind.NOTE], parent__isnull=False)
        .order_by()
        .values_list(*AREA_COLUMNS)
    )


def _progress(plan, inspections):
    """Per group of Phụ lục 1: units listed, units without an inspection, inspections by status.

    A unit is listed once per plan and has at most one inspection that is not cancelled
    (constraints of PlanEntry and Inspection), so the units covered by an inspection are
    the inspections not cancelled; an inspection of a unit not listed counts nowhere."""
    groups = {}
    group_of = {}
    for unit_id, group_id, title in _plan_entries(plan=plan.pk):
        group_of[unit_id] = group_id
        groups.setdefault(group_id, {"group_id": group_id, "title": title, "units": 0})
        groups[group_id]["units"] += 1
    per_group = defaultdict(Counter)
    for _, unit_id, _, status, _ in inspections:
        if unit_id in group_of:
            per_group[group_of[unit_id]][status] += 1
    links = ListLinks("plans:inspection-list", plan)
    totals = {"units": 0, "unscheduled": 0, **{status: 0 for status in STATUSES}}
    for group_id, row in groups.items():
        counts = per_group[group_id]
        row["unscheduled"] = row["units"] - (counts.total() - counts[S.CANCELLED])
        row["all_link"] = links(group=group_id)
        row["cells"] = []
        for status in STATUSES:
            row[status] = counts[status]
            url = links(group=group_id, status=status)
            row["cells"].append(_count_link(counts[status], url, zero=GREY_ZERO))
            totals[status] += counts[status]
        totals["units"] += row["units"]
        totals["unscheduled"] += row["unscheduled"]
    totals["cells"] = [_count_link(totals[status], links(status=status)) for status in STATUSES]
    return list(groups.values()), totals


def _reports(plan, inspections, today):
    """Reports requested and not in yet whose deadline is within ``REPORT_DAYS`` or past
    (``report_due_within`` and ``report_late`` of ``InspectionQuerySet``)."""
    last_day = today + datetime.timedelta(days=REPORT_DAYS)
    waiting = sorted(
        (deadline, pk, unit)
        for pk, _, unit, status, deadline in inspections
        if status == S.REPORT_REQUESTED and deadline and deadline <= last_day
    )
    rows = [
        {
            "url": link("plans:inspection-detail", pk),
            "unit": unit,
            "deadline": deadline,
            "late": deadline < today,
        }
        for deadline, pk, unit in waiting
    ]
    late = sum(row["late"] for row in rows)
    links = ListLinks("plans:inspection-list", plan)
    return {
        "due": len(rows) - late,
        "late": late,
        "rows": rows[:REPORT_ROWS],
        "due_link": links(due_within=REPORT_DAYS),
        "late_link": links(overdue=1),
    }


def _remediation(plan, inspections, today):
    """Requirements in force, with how many are past their deadline or due within
    ``REMEDIATION_DAYS`` (verified ones count for neither) by unit: most overdue first,
    then the most due, then by name."""
    totals = Counter()
    open_ = defaultdict(Counter)  # by inspection
    last_day = today + datetime.timedelta(days=REMEDIATION_DAYS)
    for inspection, status, total, overdue, soon in _requirement_counts(
        plan=plan.pk, today=today, last_day=last_day
    ):
        totals["total"] += total
        if status == RemediationAction.Status.VERIFIED:
            totals["verified"] += total
        else:
            open_[inspection].update(overdue=overdue, soon=soon)
    units = {}
    for pk, unit_id, name, _, _ in inspections:  # by unit name
        if pk in open_:
            row = units.setdefault(unit_id, {"name": name, "overdue": 0, "soon": 0})
            row["overdue"] += open_[pk]["overdue"]
            row["soon"] += open_[pk]["soon"]
    tracker = ListLinks("findings:tracker", plan)
    by_unit = [
        {
            **row,
            "overdue_link": tracker(unit=unit_id, overdue=1),
            "soon_link": tracker(unit=unit_id, due_within=REMEDIATION_DAYS),
        }
        for unit_id, row in units.items()
        if row["overdue"] or row["soon"]
    ]
    by_unit.sort(key=lambda row: (-row["overdue"], -row["soon"]))  # stable: by name after
    return {
        "total": totals["total"],
        "verified": totals["verified"],
        "overdue": sum(row["overdue"] for row in by_unit),
        "soon": sum(row["soon"] for row in by_unit),
        "by_unit": by_unit,
        "days": REMEDIATION_DAYS,
        "all_link": tracker(),
        "verified_link": tracker(status="verified"),
        "overdue_link": tracker(overdue=1),
        "soon_link": tracker(due_within=REMEDIATION_DAYS),
    }


def _findings_by_area(plan):
    """Findings counted by outline area and kind, in the order of the outline."""
    per_area = defaultdict(Counter)
    for area, kind, count in _finding_counts(plan=plan.pk):
        per_area[area][kind] = count
    items = {row[0]: instance(OutlineItem, AREA_COLUMNS, row) for row in _areas(plan=plan.pk)}
    links = ListLinks("findings:finding-list", plan)
    rows = []
    for area, counts in per_area.items():
        row = {"area": area, "item": items.get(area), "total": counts.total()}
        row["link"] = links(area=area)
        row["cells"] = []
        for kind in KINDS:
            row[kind] = counts[kind]
            row["cells"].append(_count_link(counts[kind], links(area=area, kind=kind)))
        row["total_cell"] = _count_link(row["total"], row["link"])
        rows.append(row)
    rows.sort(key=lambda row: row["item"].order if row["item"] else 0)
    return rows


@functools.lru_cache(maxsize=1024)
def _plan_option(year, title):
    """ "Năm 2025 — <title cut at 60 characters>", escaped: what the plan ``<select>`` shows
    of a plan, cut the way ``truncatechars`` cuts. Remembered by year and title (it is a
    function of them alone): a database serving several provinces lists hundreds of plans
    on every dashboard, and ``Truncator`` costs some ten microseconds a title."""
    return escape(f"Năm {year} — {Truncator(title).chars(PLAN_TITLE_CHARS)}")


def _plan_choice(plans, chosen):
    """The ``<select>`` of plans, written out here rather than by a template loop or a
    widget, for the same reason."""
    options = "".join(
        f'<option value="{pk}"{" selected" if pk == chosen else ""}>{_plan_option(year, title)}'
        "</option>"
        for pk, year, title, _ in plans
    )
    return mark_safe(
        f'<select class="form-select form-select-sm" id="dashboard-plan" name="plan">{options}'
        "</select>"
    )


@staff_required
def dashboard(request):
    """Staff and leaders: the progress of one plan (the latest unless another is chosen)."""
    plans = plan_rows(request.user)
    chosen = request.GET.get("plan", "")
    row = next((row for row in plans if str(row[0]) == chosen), plans[0] if plans else None)
    plan = instance(InspectionPlan, PLAN_ROW, row) if row else None
    context = {"plans": plans, "plan": plan, "plan_choice": _plan_choice(plans, row and row[0])}
    if plan is not None:
        today = timezone.localdate()
        inspections = _plan_inspections(plan=plan.pk)
        progress, totals = _progress(plan, inspections)
        context.update(
            {
                "today": today,
                "statuses": S.labels,
                "progress": progress,
                "totals": totals,
                "appendix_link": link("plans:plan-appendix", plan.pk),
                "reports": _reports(plan, inspections, today),
                "remediation": _remediation(plan, inspections, today),
                "areas": _findings_by_area(plan),
                "kinds": Finding.Kind.labels,
                "report_days": REPORT_DAYS,
                "findings_link": ListLinks("findings:finding-list", plan)(),
            }
        )
    return render(request, "findings/dashboard.html", context)


urlpatterns = [path("tong-quan/", dashboard, name="dashboard")]
