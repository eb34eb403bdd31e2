from .views import dashboard, documents, exports, portal, staff

app_name = "findings"

# Staff pages (findings, minutes, conclusions, tracker, register), the dashboard, and the
# unit portal (the focal person's home and remediation reports).
urlpatterns = (
    staff.urlpatterns
    + dashboard.urlpatterns
    + portal.urlpatterns
    + documents.urlpatterns
    + exports.urlpatterns
)
