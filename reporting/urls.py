from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/download/", views.pack_download, name="download"),
    path("register.<str:kind>", views.register_export, name="register"),
]
