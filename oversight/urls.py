from django.urls import path

from oversight import inventory_views, views

app_name = "oversight"

urlpatterns = [
    path("requests/<str:ref>/incidents/new/", views.incident_new, name="incident-new"),
    path("requests/<str:ref>/suspend/", views.suspend, name="suspend"),
    path("requests/<str:ref>/lift/", views.lift, name="lift"),
    path("requests/<str:ref>/evidence/", views.evidence, name="evidence"),
    path("requests/<str:ref>/attest/", views.attest, name="attest"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("inventory/", inventory_views.provider_list, name="inventory"),
    path("inventory/providers/<int:pk>/", inventory_views.provider_detail, name="provider"),
    path("inventory/providers/<int:pk>/models/", inventory_views.model_add, name="model-add"),
    path("deadlines/<int:pk>/met/", views.deadline_met, name="deadline-met"),
]
