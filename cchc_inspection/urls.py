from django.contrib import admin
from django.urls import include, path

from . import accounts, views

admin.site.site_header = "Quản trị hệ thống kiểm tra CCHC"
admin.site.site_title = "Quản trị kiểm tra CCHC"
admin.site.index_title = "Danh mục quản trị"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("dang-xuat/", accounts.LogoutView.as_view(), name="logout"),
    path("don-vi/", include("units.urls")),
    path("ke-hoach/", include("plans.urls")),
    path("bao-cao/", include("reports.urls")),
    path("kiem-tra/", include("findings.urls")),
    path("quan-tri/", admin.site.urls),
]
