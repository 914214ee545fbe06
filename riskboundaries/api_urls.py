from django.urls import path

from riskboundaries import apis

urlpatterns = [
    path("risk-boundaries/", apis.BoundaryListCreateApi.as_view(), name="boundary-list"),
    path("risk-boundaries/active/", apis.BoundaryActiveApi.as_view(), name="boundary-active"),
    path("risk-boundaries/<int:version>/", apis.BoundaryDetailApi.as_view(), name="boundary-detail"),
    path("risk-boundaries/<int:version>/sign/", apis.BoundarySignApi.as_view(), name="boundary-sign"),
    path("risk-boundaries/<int:version>/impact/", apis.BoundaryImpactApi.as_view(), name="boundary-impact"),
]
