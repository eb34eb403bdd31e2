"""The matrix of figures of a plan as Excel."""

from django.shortcuts import get_object_or_404
from django.urls import path

from cchc_inspection.roles import staff_required
from cchc_inspection.spreadsheets import stamp
from plans.models import InspectionPlan

from ..exports import write_matrix


@staff_required
def matrix_export(request, pk):
    plan = get_object_or_404(InspectionPlan, pk=pk)
    return write_matrix(plan).response(stamp(f"so-lieu-ke-hoach-{plan.year}"))


urlpatterns = [
    path("ke-hoach/<int:pk>/so-lieu/xuat-excel/", matrix_export, name="matrix-export"),
]
