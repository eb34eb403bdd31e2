from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("xuat-excel/", views.unit_export, name="unit-export"),
    path("nhap-excel/", views.unit_import, name="unit-import"),
]
