from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/download/", views.pack_download, name="download"),
    path("<int:pk>/download/issued/", views.pack_download, {"kind": "issued"}, name="download_issued"),
    path("<int:pk>/sign/", views.pack_sign, name="sign"),
    path("statement/<str:quarter>/", views.statement_edit, name="statement"),
    path("register.<str:kind>", views.register_export, name="register"),
    path("exports/", views.register_exports, name="exports"),
    path("exports/<int:pk>/download/", views.register_export_download, name="export-download"),
]
