"""Staff pages of the unit roster: the list, its Excel export and its Excel import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from cchc_inspection.roles import staff_required
from cchc_inspection.spreadsheets import UploadForm, stamp

from .exports import in_roster_order, write_roster
from .imports import import_roster
from .models import Unit

PAGE_SIZE = 50


def _filtered(request):
    """The roster narrowed by the list's GET filters (search, category, in force)."""
    units = Unit.objects.search(request.GET.get("q", ""))
    category = request.GET.get("category")
    if category in Unit.Category.values:
        units = units.filter(category=category)
    if request.GET.get("current") == "1":
        units = units.current()
    return units


@staff_required
def unit_list(request):
    units = in_roster_order(_filtered(request).select_related("parent"))
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": params.urlencode(),
        "categories": Unit.Category.choices,
        "q": request.GET.get("q", ""),
        "category": request.GET.get("category", ""),
        "current": request.GET.get("current") == "1",
    }
    return render(request, "units/unit_list.html", context)


@staff_required
def unit_export(request):
    """The roster (with the list's filters) as an Excel file."""
    return write_roster(_filtered(request)).response(stamp("danh-muc-don-vi"))


@staff_required
def unit_import(request):
    """Add or update units from an Excel roster; all rows or none."""
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        outcome = import_roster(form.cleaned_data["file"].read(), user=request.user)
        if outcome.ok:
            messages.success(
                request,
                f"Đã nhập danh mục: thêm mới {outcome.created}, cập nhật {outcome.updated}, "
                f"không đổi {outcome.unchanged} cơ quan, đơn vị.",
            )
            return redirect("units:unit-list")
        problems = outcome.problems
    return render(request, "units/unit_import.html", {"form": form, "problems": problems})
