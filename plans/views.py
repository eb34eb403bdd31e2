from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from cchc_inspection.roles import staff_required
from reports.models import OutlineItem

from .models import InspectionPlan, PlanEntry


@staff_required
def plan_list(request):
    plans = InspectionPlan.objects.select_related("agency").annotate(
        entry_count=Count("entries", distinct=True),
        inspection_count=Count("inspections", distinct=True),
    )
    return render(request, "plans/inspectionplan_list.html", {"plans": plans})


@staff_required
def plan_detail(request, pk):
    plan = get_object_or_404(InspectionPlan.objects.select_related("agency"), pk=pk)
    groups = plan.groups.prefetch_related(
        Prefetch(
            "entries", queryset=PlanEntry.objects.select_related("unit").order_by("order", "pk")
        )
    )
    outline = getattr(plan, "outline", None)
    items = []
    if outline is not None:
        items = (
            OutlineItem.objects.filter(outline=outline)
            .select_related("audience_unit")
            .prefetch_related("indicators", "footnotes")
        )
    return render(
        request,
        "plans/inspectionplan_detail.html",
        {"plan": plan, "groups": groups, "outline": outline, "items": items},
    )
