"""The matrix of figures of a plan as Excel."""

from django.urls import path

from cchc_inspection.roles import staff_required
from cchc_inspection.spreadsheets import stamp
from plans.access import get_plan

from ..exports import write_matrix


@staff_required
def matrix_export(request, pk):
    plan = get_plan(request.user, pk)
    return write_matrix(plan).response(stamp(f"so-lieu-ke-hoach-{plan.year}"))


urlpatterns = [
    path("ke-hoach/<int:pk>/so-lieu/xuat-excel/", matrix_export, name="matrix-export"),
]
