"""Phụ lục 1 of a plan in and out of Excel (staff only)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from cchc_inspection.roles import staff_required
from cchc_inspection.spreadsheets import UploadForm

from . import access
from .exports import write_appendix
from .imports import import_appendix
from .plan_views import refuse_if_issued


@staff_required
def appendix_export(request, pk):
    """Phụ lục 1 in the appendix's own layout, as an Excel file."""
    plan = access.get_plan(request.user, pk)
    return write_appendix(plan).response(f"phu-luc-1-ke-hoach-{plan.year}.xlsx")


@staff_required
def appendix_import(request, pk):
    """Add or update Phụ lục 1 rows of a draft plan from Excel; all rows or none."""
    plan = access.get_plan(request.user, pk)
    refused = refuse_if_issued(request, plan)
    if refused:
        return refused
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        outcome = import_appendix(plan, form.cleaned_data["file"].read(), user=request.user)
        if outcome.ok:
            messages.success(
                request,
                f"Đã nhập Phụ lục 1: thêm mới {outcome.created}, cập nhật {outcome.updated}, "
                f"không đổi {outcome.unchanged} đơn vị.",
            )
            return redirect("plans:plan-appendix", pk=plan.pk)
        problems = outcome.problems
    context = {"plan": plan, "form": form, "problems": problems}
    return render(request, "plans/planentry_import.html", context)


urlpatterns = [
    path("<int:pk>/phu-luc-1/xuat-excel/", appendix_export, name="appendix-export"),
    path("<int:pk>/phu-luc-1/nhap-excel/", appendix_import, name="appendix-import"),
]
