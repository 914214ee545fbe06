from django.urls import path

from approvals import apis

urlpatterns = [
    path("use-cases/<str:ref>/decisions/", apis.UseCaseDecisionsApi.as_view(), name="use-case-decisions"),
    path("review-queue/", apis.ReviewQueueApi.as_view(), name="review-queue"),
]
