from django.urls import path

from oversight import apis, inventory_apis

urlpatterns = [
    path("use-cases/<str:ref>/incidents/", apis.UseCaseIncidentListApi.as_view(), name="use-case-incidents"),
    path("use-cases/<str:ref>/suspension/", apis.UseCaseSuspensionApi.as_view(), name="use-case-suspension"),
    path(
        "use-cases/<str:ref>/suspension/lift/",
        apis.UseCaseSuspensionLiftApi.as_view(),
        name="use-case-suspension-lift",
    ),
    path("use-cases/<str:ref>/evidence/", apis.UseCaseEvidenceApi.as_view(), name="use-case-evidence"),
    path(
        "use-cases/<str:ref>/attestations/",
        apis.UseCaseAttestationApi.as_view(),
        name="use-case-attestations",
    ),
    path("evidence/<int:pk>/download/", apis.EvidenceDownloadApi.as_view(), name="evidence-download"),
    path("incidents/", apis.IncidentListApi.as_view(), name="incident-list"),
    path("inventory/providers/", inventory_apis.ProviderListApi.as_view(), name="provider-list"),
    path("inventory/providers/<int:pk>/", inventory_apis.ProviderDetailApi.as_view(), name="provider-detail"),
    path(
        "inventory/providers/<int:pk>/terms/",
        inventory_apis.ProviderTermsApi.as_view(),
        name="provider-terms",
    ),
    path(
        "inventory/providers/<int:pk>/models/",
        inventory_apis.ProviderModelsApi.as_view(),
        name="provider-models",
    ),
    path("incidents/<int:pk>/", apis.IncidentDetailApi.as_view(), name="incident-detail"),
    path(
        "incidents/<int:pk>/deadlines/<int:deadline>/met/",
        apis.IncidentDeadlineMetApi.as_view(),
        name="incident-deadline-met",
    ),
]
