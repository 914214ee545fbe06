from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.use_case_list, name="list"),
    path("new/", views.use_case_new, name="new"),
    path("preview/", views.use_case_preview, name="preview"),
    path("ruleset/", views.ruleset, name="ruleset"),
    path("ruleset/acknowledge/", views.ruleset_acknowledge, name="ruleset_acknowledge"),
    path("<str:ref>/", views.use_case_detail, name="detail"),
    path("<str:ref>/edit/", views.use_case_edit, name="edit"),
    path("<str:ref>/submit/", views.use_case_submit, name="submit"),
    path("<str:ref>/withdraw/", views.use_case_withdraw, name="withdraw"),
    path("<str:ref>/obligations/<str:obligation>/", views.obligation_state, name="obligation_state"),
]
