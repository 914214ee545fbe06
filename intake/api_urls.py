from django.urls import path

from intake import apis

urlpatterns = [
    path("ruleset/", apis.RulesetApi.as_view(), name="ruleset"),
    path("ruleset/acknowledge/", apis.RulesetAcknowledgeApi.as_view(), name="ruleset-acknowledge"),
    path("use-cases/", apis.UseCaseListCreateApi.as_view(), name="use-case-list"),
    path("use-cases/<str:ref>/", apis.UseCaseDetailApi.as_view(), name="use-case-detail"),
    path("use-cases/<str:ref>/submit/", apis.UseCaseSubmitApi.as_view(), name="use-case-submit"),
    path("use-cases/<str:ref>/withdraw/", apis.UseCaseWithdrawApi.as_view(), name="use-case-withdraw"),
    path("use-cases/<str:ref>/assessment/", apis.UseCaseAssessmentApi.as_view(), name="use-case-assessment"),
    path("use-cases/<str:ref>/revisions/", apis.UseCaseRevisionListApi.as_view(), name="use-case-revisions"),
    path(
        "use-cases/<str:ref>/obligations/",
        apis.UseCaseObligationListApi.as_view(),
        name="use-case-obligations",
    ),
    path(
        "use-cases/<str:ref>/obligations/<str:obligation>/",
        apis.UseCaseObligationApi.as_view(),
        name="use-case-obligation",
    ),
]
