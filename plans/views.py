from collections import defaultdict

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from cchc_inspection import history
from cchc_inspection.roles import can_see_history, staff_required
from reports.models import Footnote, Indicator, IndicatorRule, OutlineItem
from units.models import Unit

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
    once and shaped in Python, and an issued plan's appendices come from the cache.
    """
    plan = get_object_or_404(visible_plans(request.user).select_related("agency", "outline"), pk=pk)
    context = {
        "plan": plan,
        "outline": getattr(plan, "outline", None),
        "history": history.page(request, plan_sources(plan))
        if can_see_history(request.user)
        else None,
        **appendices(plan),
    }
    return render(request, "plans/inspectionplan_detail.html", context)


def appendices(plan):
    """Phụ lục 1 and Phụ lục 2 of ``plan`` as HTML, with their counts.

    Rendering them is most of the page's cost (a province's plan lists ~60 units and ~70
    figures). Once the plan is issued its groups, entries and outline are locked at the
    model level (``cchc_inspection.integrity``), so the HTML is rendered once and kept in
    the cache. The one thing shown that can still change is a unit's name (the roster is
    re-imported, a unit renamed): the names are kept with the HTML and compared with the
    database on each use (one query), and a change renders the appendices again. The key
    carries the plan's ``updated_at``, so a re-created database never gets another plan's
    appendices.
    """
    if plan.status == plan.Status.DRAFT:
        return _render_appendices(plan)
    key = f"plans:appendices:{plan.pk}:{plan.updated_at.isoformat()}"
    cached = cache.get(key)
    if cached is not None and _unit_names(cached["unit_names"]) == cached["unit_names"]:
        return cached
    rendered = _render_appendices(plan)
    cache.set(key, rendered, None)
    return rendered


def _unit_names(ids):
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _render_appendices(plan):
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
    units = {entry.unit_id: entry.unit.name for group in groups for entry in group.rows}
    outline = getattr(plan, "outline", None)
    outline_context = _outline_context(outline) if outline is not None else {}
    for row in [*outline_context.get("items", ()), *outline_context.get("indicators", ())]:
        if row.audience_unit_id:
            units[row.audience_unit_id] = row.audience_unit.name
    return {
        "appendix_html": render_to_string("plans/_plan_appendix.html", {"groups": groups}),
        "outline_html": render_to_string(
            "plans/_plan_outline.html", {"outline": outline, **outline_context}
        )
        if outline is not None
        else "",
        "entry_total": sum(len(group.rows) for group in groups),
        "indicator_total": len(outline_context.get("indicators", ())),
        "unit_names": units,
    }


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
        "indicators": [indicator for item in items for indicator in item.figures],
        "footnotes": footnotes,
        "title_footnotes": markers[None],
        "rules": list(rules),
    }
