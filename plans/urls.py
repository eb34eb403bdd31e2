from django.urls import path

from . import documents, inspection_views, plan_views, spreadsheet_views, team_views, views

app_name = "plans"


P, T, V = plan_views, team_views, inspection_views
# Drafting, issuing and closing plans; Phụ lục 1; teams; the schedule (helper "plans").
plan_views_patterns = [
    path("moi/", P.plan_create, name="plan-create"),
    path("<int:pk>/sua/", P.plan_update, name="plan-update"),
    path("<int:pk>/sao/", P.plan_copy, name="plan-copy"),
    path("<int:pk>/ban-hanh/", P.plan_issue, name="plan-issue"),
    path("<int:pk>/ket-thuc/", P.plan_close, name="plan-close"),
    path("<int:pk>/phu-luc-1/", P.plan_appendix, name="plan-appendix"),
    path("<int:pk>/phu-luc-1/nhom/them/", P.group_add, name="group-add"),
    path("nhom/<int:pk>/sua/", P.group_update, name="group-update"),
    path("nhom/<int:pk>/di-chuyen/", P.group_move, name="group-move"),
    path("nhom/<int:pk>/xoa/", P.group_delete, name="group-delete"),
    path("<int:pk>/phu-luc-1/them/", P.entry_add, name="entry-add"),
    path("phu-luc-1/<int:pk>/sua/", P.entry_update, name="entry-update"),
    path("phu-luc-1/<int:pk>/xoa/", P.entry_delete, name="entry-delete"),
    path("<int:pk>/doan/", T.team_list, name="team-list"),
    path("<int:pk>/doan/them/", T.team_create, name="team-create"),
    path("doan/<int:pk>/", T.team_detail, name="team-detail"),
    path("doan/<int:pk>/sua/", T.team_update, name="team-update"),
    path("doan/<int:pk>/ban-hanh/", T.team_issue, name="team-issue"),
    path("doan/<int:pk>/chuong-trinh/", T.team_programme, name="team-programme"),
    path("doan/<int:pk>/thanh-vien/them/", T.member_add, name="member-add"),
    path("thanh-vien/<int:pk>/sua/", T.member_update, name="member-update"),
    path("thanh-vien/<int:pk>/xoa/", T.member_delete, name="member-delete"),
    path("cuoc-kiem-tra/", V.inspection_list, name="inspection-list"),
    path("<int:pk>/cuoc-kiem-tra/them/", V.inspection_create, name="inspection-create"),
    path("cuoc-kiem-tra/<int:pk>/", V.inspection_detail, name="inspection-detail"),
    path("cuoc-kiem-tra/<int:pk>/sua/", V.inspection_update, name="inspection-update"),
    path("cuoc-kiem-tra/<int:pk>/han-bao-cao/", V.inspection_deadline, name="inspection-deadline"),
    path("cuoc-kiem-tra/<int:pk>/huy/", V.inspection_cancel, name="inspection-cancel"),
    path(
        "cuoc-kiem-tra/<int:pk>/da-kiem-tra/",
        V.inspection_review_done,
        name="inspection-review-done",
    ),
    path("cuoc-kiem-tra/<int:pk>/hau-can/", V.inspection_logistics, name="inspection-logistics"),
]

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/ke-hoach.pdf", documents.plan_pdf, name="plan-pdf"),
    path("doan/<int:pk>/quyet-dinh.pdf", documents.team_pdf, name="team-pdf"),
    *plan_views_patterns,
    *spreadsheet_views.urlpatterns,
]
