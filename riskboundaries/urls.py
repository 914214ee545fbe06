from django.urls import path

from riskboundaries import views

app_name = "riskboundaries"

urlpatterns = [
    path("", views.boundary_active, name="active"),
    path("history/", views.boundary_history, name="history"),
    path("compare/", views.boundary_compare, name="compare"),
    path("new/", views.boundary_new, name="new"),
    path("impact-preview/", views.boundary_impact_preview, name="impact-preview"),
    path("<int:version>/", views.boundary_detail, name="detail"),
    path("<int:version>/edit/", views.boundary_edit, name="edit"),
    path("<int:version>/sign/", views.boundary_sign, name="sign"),
    path("<int:version>/re-review/", views.boundary_re_review, name="re-review"),
]
