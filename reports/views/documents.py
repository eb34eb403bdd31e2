from django.urls import path

from reports import documents

# The request for a report, as the letter sent to the unit (pk = inspection).
urlpatterns = [
    path("kiem-tra/<int:pk>/cong-van-de-nghi.pdf", documents.request_pdf, name="request-pdf"),
]
