"""The app's URLs plus ``bench/``: a bare Django view that renders a template, no database."""

from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import include, path

ROWS = [(n, f"Dòng thứ {n}", f"Nội dung mẫu số {n} của trang đo hiệu năng") for n in range(20)]


def bare(request):
    html = get_template("bench/bare.html").render({"rows": ROWS, "title": "Trang đo cơ sở"})
    return HttpResponse(html)


urlpatterns = [path("bench/", bare), path("", include("cchc_inspection.urls"))]
