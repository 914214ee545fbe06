from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("review/<str:ref>/", views.review, name="review"),
    path("conditions/<int:pk>/met/", views.condition_met, name="condition-met"),
]
