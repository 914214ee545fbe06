"""The Celery app. Configuration comes from Django settings (CELERY_*); tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# OutboxTask (a DjangoTask) runs a message published from the outbox once, however often it was published.
app = Celery("config", task_cls="outbox.task:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
