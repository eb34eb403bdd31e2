from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "Quản trị hệ thống kiểm tra CCHC"
admin.site.site_title = "Quản trị kiểm tra CCHC"
admin.site.index_title = "Danh mục quản trị"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ke-hoach/", include("plans.urls")),
    path("bao-cao/", include("reports.urls")),
    path("kiem-tra/", include("findings.urls")),
    path("quan-tri/", admin.site.urls),
]
