from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from cchc_inspection import history
from cchc_inspection.roles import can_see_history, staff_required
from reports.models import Footnote, Indicator, IndicatorRule, OutlineItem

from .access import visible_plans
from .history import plan_sources
from .models import Inspection, PlanEntry

PAGE_SIZE = 20


@staff_required
def plan_list(request):
    """Every plan the user may see, newest year first, with its Phụ lục 1 and inspection counts."""
    entries = PlanEntry.objects.filter(plan=OuterRef("pk")).values("plan")
    inspections = Inspection.objects.filter(plan=OuterRef("pk")).values("plan")
    plans = (
        visible_plans(request.user)
        .select_related("agency")
        .annotate(
            entry_count=Coalesce(Subquery(entries.annotate(n=Count("pk")).values("n")), 0),
            inspection_count=Coalesce(Subquery(inspections.annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by("-year", "-pk")
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/inspectionplan_list.html", {"plans": page, "page": page})


@staff_required
def plan_detail(request, pk):
    """The plan as the document reads: sections I–IV, Phụ lục 1, Phụ lục 2 with its figures.

    The number of queries is fixed: the tree, figures, footnotes and rules are each read
    once and shaped in Python.
    """
    plan = get_object_or_404(visible_plans(request.user).select_related("agency", "outline"), pk=pk)
    groups = list(
        plan.groups.prefetch_related(
            Prefetch(
                "entries",
                queryset=PlanEntry.objects.select_related("unit").order_by("order", "pk"),
            )
        ).order_by("order")
    )
    for group in groups:
        group.rows = _period_runs(list(group.entries.all()), group.expected_period)
    outline = getattr(plan, "outline", None)
    context = {
        "plan": plan,
        "groups": groups,
        "entry_total": sum(len(group.rows) for group in groups),
        "outline": outline,
        "history": history.page(request, plan_sources(plan))
        if can_see_history(request.user)
        else None,
    }
    if outline is not None:
        context.update(_outline_context(outline))
    return render(request, "plans/inspectionplan_detail.html", context)


def _period_runs(entries, group_period):
    """Give each entry the rowspan of its period cell: consecutive equal periods share one."""
    for entry in entries:
        entry.shown_period = entry.expected_period or group_period
        entry.period_rowspan = 1
    run_start = None
    for entry in entries:
        if run_start is not None and entry.shown_period == run_start.shown_period:
            run_start.period_rowspan += 1
            entry.period_rowspan = 0
        else:
            run_start = entry
    return entries


def _outline_context(outline):
    items = list(
        OutlineItem.objects.filter(outline=outline)
        .select_related("audience_unit")
        .order_by("order")
    )
    indicators = Indicator.objects.filter(outline=outline).select_related("audience_unit")
    footnotes = list(Footnote.objects.filter(outline=outline).order_by("number"))
    rules = (
        IndicatorRule.objects.filter(outline=outline)
        .select_related("target")
        .prefetch_related(Prefetch("terms", queryset=Indicator.objects.order_by("order")))
        .order_by("pk")
    )
    depth, figures, markers = {}, defaultdict(list), defaultdict(list)
    for indicator in indicators.order_by("order"):
        figures[indicator.item_id].append(indicator)
    for footnote in footnotes:
        markers[footnote.item_id].append(footnote.number)
    for item in items:
        item.depth = depth[item.pk] = depth.get(item.parent_id, -1) + 1
        item.figures = figures[item.pk]
        item.footnote_numbers = markers[item.pk]
    return {
        "items": items,
        "footnotes": footnotes,
        "title_footnotes": markers[None],
        "rules": list(rules),
        "indicator_total": sum(len(v) for v in figures.values()),
    }
