"""The project's URLs plus the benchmark's comparison endpoints (used only by bench/queue.py)."""

from django.urls import include, path

from bench.naive import NaiveQueueApi

urlpatterns = [
    path("bench/naive-queue/", NaiveQueueApi.as_view(), name="bench-naive-queue"),
    path("", include("config.urls")),
]
