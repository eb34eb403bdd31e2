from django.urls import path

from findings import documents

# Official documents of the inspection work, as PDFs (see findings/documents.py).
urlpatterns = [
    path("bien-ban/<int:pk>/bien-ban.pdf", documents.minutes_pdf, name="minutes-pdf"),
    path("ket-luan/<int:pk>/thong-bao.pdf", documents.conclusion_pdf, name="conclusion-pdf"),
    path("ke-hoach/<int:pk>/bao-cao-tong-hop.pdf", documents.summary_pdf, name="summary-pdf"),
]
