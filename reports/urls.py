from .views import documents, exports, review, unit

app_name = "reports"

# Unit-side pages (the focal person's report and evidence) and staff-side review pages.
urlpatterns = unit.urlpatterns + review.urlpatterns + documents.urlpatterns + exports.urlpatterns
